package dev.vecgd.spark.example;

import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.spark.SparkLinearRegression;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The spark-submit example: fits a synthetic DataFrame made by Spark (the default; no data files) or a
 * Parquet / CSV / JSON file, with vecgd's kernels in the executors, and prints the fit.
 */
@Command(name = "vecgd-spark-example", mixinStandardHelpOptions = true,
        description = "Fits a linear least-squares model on Spark with vecgd (synthetic data unless --input is given).")
public final class SparkFitExample implements Callable<Integer> {

    @Option(names = "--rows", description = "synthetic rows (default ${DEFAULT-VALUE})")
    long rows = 2_000_000;
    @Option(names = "--features", description = "synthetic features (default ${DEFAULT-VALUE})")
    int features = 16;
    @Option(names = "--partitions", description = "partitions of the synthetic data (default: 2 per core)")
    int partitions = 0;
    @Option(names = "--seed", description = "synthetic data seed (default ${DEFAULT-VALUE})")
    long seed = 42;
    @Option(names = "--input", description = "a .parquet, .csv (with header) or .json file or directory instead of synthetic data")
    Path input;
    @Option(names = "--label", description = "label column of --input (default ${DEFAULT-VALUE})")
    String label = "y";
    @Option(names = "--feature-columns", split = ",", description = "feature columns of --input (default: every other numeric column)")
    List<String> featureColumns;
    @Option(names = "--solver", description = "gd, momentum, nesterov or cg (default ${DEFAULT-VALUE})")
    String solver = "gd";

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkFitExample()).execute(args));
    }

    @Override
    public Integer call() {
        if (input != null && !java.nio.file.Files.isReadable(input)) {
            System.err.println("vecgd-spark: error: cannot read --input " + input + " (no such file or directory, or not readable)");
            return 2;
        }
        SparkSession spark = SyntheticFrame.session("vecgd-spark-example");
        try {
            Dataset<Row> df;
            List<String> cols;
            boolean synthetic = input == null;
            if (synthetic) {
                int parts = partitions > 0 ? partitions : 2 * spark.sparkContext().defaultParallelism();
                df = SyntheticFrame.generate(spark, rows, features, parts, seed);
                cols = SyntheticFrame.featureNames(features);
            } else {
                df = read(spark, input);
                cols = featureColumns != null ? featureColumns : numericColumnsExcept(df, label);
            }
            System.out.printf(Locale.ROOT, "data: %s, %d features, label '%s', %d partitions%n",
                    synthetic ? "synthetic, " + rows + " rows" : input.toString(), cols.size(), label, df.rdd().getNumPartitions());
            FitResult r = SparkLinearRegression.fit(df, label, cols, FitOptions.builder().solver(solver).build());
            System.out.println("kernels: " + r.implementation());
            System.out.printf(Locale.ROOT, "%s: %s after %d iterations, %d passes, %.2f s (R² = %.6f, RMSE = %.6g)%n",
                    r.optimizer(), r.converged() ? "converged" : "NOT converged", r.iterations(), r.passes(),
                    r.wallTimeNanos() / 1e9, r.r2(), r.rmse());
            System.out.println("  " + r.message());
            System.out.printf(Locale.ROOT, "  %-12s %16s %12s%s%n", "parameter", "estimate", "std. error",
                    synthetic ? "             true" : "");
            System.out.printf(Locale.ROOT, "  %-12s %16.9f %12.3g%s%n", "intercept", r.intercept(), r.interceptStandardError(),
                    synthetic ? String.format(Locale.ROOT, " %16.9f", SyntheticFrame.INTERCEPT) : "");
            double[] se = r.standardErrors();
            for (int j = 0; j < cols.size(); j++) {
                System.out.printf(Locale.ROOT, "  %-12s %16.9f %12.3g%s%n", cols.get(j), r.coefficient(j), se[j],
                        synthetic ? String.format(Locale.ROOT, " %16.9f", SyntheticFrame.theta(j)) : "");
            }
            return r.converged() ? 0 : 3;
        } catch (IllegalArgumentException e) {
            System.err.println("vecgd-spark: error: " + e.getMessage());
            return 2;
        } finally {
            spark.stop();
        }
    }

    private static Dataset<Row> read(SparkSession spark, Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return spark.read().option("header", "true").option("inferSchema", "true").csv(p.toString());
        }
        if (name.endsWith(".json")) return spark.read().json(p.toString());
        return spark.read().parquet(p.toString());
    }

    private static List<String> numericColumnsExcept(Dataset<Row> df, String label) {
        return java.util.Arrays.stream(df.schema().fields())
                .filter(f -> f.dataType() instanceof org.apache.spark.sql.types.NumericType && !f.name().equals(label))
                .map(org.apache.spark.sql.types.StructField::name).toList();
    }
}
