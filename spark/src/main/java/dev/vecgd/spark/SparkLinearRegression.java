package dev.vecgd.spark;

import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Objects;

/**
 * Linear least squares on Apache Spark with vecgd's kernels and solvers: the entry point of
 * {@code vecgd-spark}. The full-batch gradient is a sum over rows, so each iteration is one Spark job
 * whose tasks run the fused SIMD kernel over their partition's packed rows; the driver adds the
 * per-partition partials in partition order and steps the parameters with the same solver, stopping
 * rules and divergence guard as a local fit ({@link LinearRegression#fit(dev.vecgd.solver.RowSource, FitOptions)}).
 * Solvers {@code gd}, {@code momentum}, {@code nesterov}, {@code cg} and {@code normal} (one pass for the Gram
 * matrix of the standardized problem, then Cholesky and refinement on the driver); full batch. Results carry
 * standard errors and a condition-number estimate, from one extra cross-products pass (reused by {@code normal}).
 *
 * <pre>{@code
 * FitResult r = SparkLinearRegression.fit(df, "price", List.of("area", "rooms", "age"),
 *         FitOptions.builder().solver("cg").build());
 * if (!r.converged()) System.err.println(r.message());
 * }</pre>
 *
 * <p>{@link FitResult#implementation()} names the kernels the executors ran ({@code "spark executors: …"});
 * {@link FitResult#passes()} counts the gradient passes (each one Spark job; packing and the two column
 * statistics passes come on top). To fit the same data several times (e.g. for several λ), make a
 * {@link SparkRowSource} once and call {@link LinearRegression#fit(dev.vecgd.solver.RowSource, FitOptions)}.
 */
public final class SparkLinearRegression {

    private SparkLinearRegression() {
    }

    /**
     * Fits a DataFrame ({@link SparkRowSource#of(Dataset, String, List)} says which columns are accepted).
     *
     * @param data     the DataFrame, not modified
     * @param label    the numeric target column
     * @param features numeric feature columns, or one vector / numeric-array column
     * @param options  the fit options ({@code threads} and {@code chunkRows} do not apply: Spark's tasks do)
     */
    public static FitResult fit(Dataset<Row> data, String label, List<String> features, FitOptions options) {
        Objects.requireNonNull(options, "options is null"); // before the packing job
        try (SparkRowSource source = SparkRowSource.of(data, label, features)) {
            return fit(source, options);
        }
    }

    /**
     * Fits a DataFrame with <b>sample weights</b> from the numeric column {@code weightCol} (MLlib's {@code weightCol};
     * {@link SparkRowSource#of(Dataset, String, List, String)}): the weighted problem of
     * {@link LinearRegression#fit(dev.vecgd.data.Dataset, double[], FitOptions)} (weighted standardization, R², RMSE,
     * frequency-weights residual standard deviation, standard errors and κ from one weighted cross-products pass), every
     * solver (gd, momentum, nesterov, cg and normal), and l1/l2.
     *
     * @param weightCol the weight column (finite, ≥ 0; 0 excludes the row), or null for an unweighted fit
     */
    public static FitResult fit(Dataset<Row> data, String label, List<String> features, String weightCol,
                                FitOptions options) {
        Objects.requireNonNull(options, "options is null"); // before the packing job
        try (SparkRowSource source = SparkRowSource.of(data, label, features, weightCol)) {
            return fit(source, options);
        }
    }

    /**
     * Fits rows given as {@code double[]}: n features, then the label last.
     *
     * @param rows    the rows, not modified
     * @param options the fit options
     */
    public static FitResult fit(JavaRDD<double[]> rows, FitOptions options) {
        Objects.requireNonNull(options, "options is null");
        try (SparkRowSource source = SparkRowSource.of(rows)) {
            return fit(source, options);
        }
    }

    /**
     * Fits an already packed source (it stays open); the result names the executors' kernels.
     */
    public static FitResult fit(SparkRowSource source, FitOptions options) {
        FitResult r = LinearRegression.fit(source, options);
        return withImplementation(r, "spark executors: " + String.join(" | ", source.executorKernels())
                + " (" + source.partitions() + " partitions)");
    }

    private static FitResult withImplementation(FitResult r, String implementation) {
        return r.withImplementation(implementation);
    }
}
