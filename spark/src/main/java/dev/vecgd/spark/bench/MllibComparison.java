package dev.vecgd.spark.bench;

import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;
import dev.vecgd.spark.SparkLinearRegression;
import dev.vecgd.spark.SparkRowSource;
import dev.vecgd.spark.example.SyntheticFrame;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * vecgd on Spark against Spark MLlib's {@code LinearRegression} ({@code l-bfgs} and {@code normal}) on the
 * same cached DataFrame: wall time to solution, Spark jobs (each a pass over the cached data),
 * iterations, and the coefficients' agreement with a reference (vecgd's normal equations with iterative
 * refinement on the collected data). Every method runs {@code --repeat} times in the same JVM; the best
 * time is reported (the first run includes JIT warm-up).
 */
@Command(name = "mllib-comparison", mixinStandardHelpOptions = true,
        description = "vecgd-on-Spark vs MLlib LinearRegression on one cached synthetic DataFrame.")
public final class MllibComparison implements Callable<Integer> {

    @Option(names = "--rows", description = "rows (default ${DEFAULT-VALUE})")
    long rows = 4_000_000;
    @Option(names = "--features", description = "features (default ${DEFAULT-VALUE})")
    int features = 16;
    @Option(names = "--partitions", description = "partitions (default: 2 per core)")
    int partitions = 0;
    @Option(names = "--seed", description = "data seed (default ${DEFAULT-VALUE})")
    long seed = 42;
    @Option(names = "--repeat", description = "runs per method, best time reported (default ${DEFAULT-VALUE})")
    int repeat = 2;
    @Option(names = "--markdown", description = "also write the report to this file")
    Path markdown;

    /** One fit; {@code packSeconds} is vecgd's packing of the DataFrame into blocks (NaN for MLlib). */
    private record Outcome(double[] coefficients, double intercept, int iterations, boolean converged, double packSeconds) {
    }

    private record Row_(String method, double best, double median, double packMedian, long jobs, Outcome outcome,
                        double maxRelDiff) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new MllibComparison()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        SparkSession spark = SyntheticFrame.session("vecgd-mllib-comparison");
        try {
            return run(spark);
        } finally {
            spark.stop();
        }
    }

    private int run(SparkSession spark) throws IOException {
        int parts = partitions > 0 ? partitions : 2 * spark.sparkContext().defaultParallelism();
        List<String> names = SyntheticFrame.featureNames(features);
        long t0 = System.nanoTime();
        org.apache.spark.sql.Dataset<Row> df = new VectorAssembler().setInputCols(names.toArray(String[]::new))
                .setOutputCol("features").transform(SyntheticFrame.generate(spark, rows, features, parts, seed))
                .select("features", "y").cache();
        long m = df.count();
        double prepSeconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "cached %d rows x %d features in %d partitions (%.1f s)%n", m, features, parts, prepSeconds);

        FitResult ref = reference(df, (int) m);
        System.err.println("reference (vecgd normal, driver): " + ref.message());

        JobCounter counter = new JobCounter();
        spark.sparkContext().addSparkListener(counter);
        List<Row_> table = new ArrayList<>();
        table.add(measure("vecgd gd", counter, ref, () -> vecgd(df, "gd", 1e-10)));
        table.add(measure("vecgd nesterov", counter, ref, () -> vecgd(df, "nesterov", 1e-10)));
        table.add(measure("vecgd cg", counter, ref, () -> vecgd(df, "cg", 1e-10)));
        table.add(measure("vecgd cg (gradient tolerance 1e-14)", counter, ref, () -> vecgd(df, "cg", 1e-14)));
        table.add(measure("vecgd normal", counter, ref, () -> vecgd(df, "normal", 1e-10)));
        table.add(measure("MLlib l-bfgs (defaults: tol 1e-6, maxIter 100)", counter, ref, () -> mllib(df, "l-bfgs", 1e-6, 100)));
        table.add(measure("MLlib l-bfgs (tol 1e-12, maxIter 1000)", counter, ref, () -> mllib(df, "l-bfgs", 1e-12, 1000)));
        table.add(measure("MLlib normal", counter, ref, () -> mllib(df, "normal", 1e-6, 100)));
        spark.sparkContext().removeSparkListener(counter);

        String report = report(spark, m, parts, prepSeconds, ref, table);
        System.out.print(report);
        if (markdown != null) Files.writeString(markdown, report);
        df.unpersist();
        return 0;
    }

    private Row_ measure(String method, JobCounter counter, FitResult ref, Supplier<Outcome> fit) {
        double[] times = new double[repeat];
        double[] packs = new double[repeat];
        long jobs = 0;
        Outcome o = null;
        for (int k = 0; k < repeat; k++) {
            long before = counter.jobs();
            long t = System.nanoTime();
            o = fit.get();
            times[k] = (System.nanoTime() - t) / 1e9;
            packs[k] = o.packSeconds();
            sleepForListener();
            jobs = counter.jobs() - before;
        }
        double[] sorted = times.clone();
        java.util.Arrays.sort(sorted);
        Row_ r = new Row_(method, sorted[0], median(times), median(packs), jobs, o, maxRelDiff(o, ref));
        System.err.printf(Locale.ROOT, "%-48s best %6.2f s  median %6.2f s  %5d jobs  %5d it  %s  max rel diff %.2e  times %s%n",
                method, r.best(), r.median(), jobs, o.iterations(), o.converged() ? "converged" : "NOT converged",
                r.maxRelDiff(), java.util.Arrays.toString(times));
        return r;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    private static void sleepForListener() {
        try {
            Thread.sleep(300); // the listener bus is asynchronous
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Outcome vecgd(org.apache.spark.sql.Dataset<Row> df, String solver, double gtol) {
        long t = System.nanoTime();
        try (SparkRowSource source = SparkRowSource.of(df, "y", List.of("features"))) {
            double pack = (System.nanoTime() - t) / 1e9;
            FitResult r = SparkLinearRegression.fit(source, FitOptions.builder().solver(solver).gradientTolerance(gtol).build());
            return new Outcome(r.coefficients(), r.intercept(), r.iterations(), r.converged(), pack);
        }
    }

    private static Outcome mllib(org.apache.spark.sql.Dataset<Row> df, String solver, double tol, int maxIter) {
        LinearRegressionModel model = new org.apache.spark.ml.regression.LinearRegression()
                .setSolver(solver).setTol(tol).setMaxIter(maxIter).setRegParam(0.0).setElasticNetParam(0.0)
                .setFitIntercept(true).setStandardization(true).setFeaturesCol("features").setLabelCol("y").fit(df);
        int it = model.summary().totalIterations();
        boolean converged = "normal".equals(solver) || it < maxIter;
        return new Outcome(model.coefficients().toArray(), model.intercept(), it, converged, Double.NaN);
    }

    /** vecgd's normal equations (Gram + Cholesky + iterative refinement) on the data collected to the driver. */
    private FitResult reference(org.apache.spark.sql.Dataset<Row> df, int m) {
        double[] x = new double[Math.multiplyExact(m, features)];
        double[] y = new double[m];
        Iterator<Row> it = df.toLocalIterator();
        int i = 0;
        while (it.hasNext()) {
            Row r = it.next();
            Vector v = r.getAs(0);
            for (int j = 0; j < features; j++) x[i * features + j] = v.apply(j);
            y[i++] = r.getDouble(1);
        }
        if (i != m) throw new IllegalStateException("collected " + i + " rows of " + m);
        FitResult ref = LinearRegression.fit(Dataset.rowMajor(x, m, features, y), FitOptions.builder().solver("normal").build());
        if (!ref.converged()) throw new IllegalStateException("the reference did not converge: " + ref.message());
        return ref;
    }

    private static double maxRelDiff(Outcome o, FitResult ref) {
        double worst = Math.abs(o.intercept() - ref.intercept()) / Math.abs(ref.intercept());
        for (int j = 0; j < ref.coefficients().length; j++) {
            worst = Math.max(worst, Math.abs(o.coefficients()[j] - ref.coefficient(j)) / Math.abs(ref.coefficient(j)));
        }
        return worst;
    }

    private String report(SparkSession spark, long m, int parts, double prep, FitResult ref, List<Row_> table) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Data: %,d rows × %d features (synthetic, seed %d), one cached DataFrame"
                        + " (`features` vector column + `y`), %d partitions, master `%s`; cached in %.1f s.%n",
                m, features, seed, parts, spark.sparkContext().master(), prep));
        s.append(String.format(Locale.ROOT, "Spark %s, JDK %s (%s), %s, %d cores; vecgd kernels: %s.%n",
                spark.version(), System.getProperty("java.version"), System.getProperty("java.vm.name"), cpu(),
                Runtime.getRuntime().availableProcessors(), Kernels.implementation()));
        s.append(String.format(Locale.ROOT, "MLlib's BLAS: %s; LAPACK: %s (OPENBLAS_NUM_THREADS=%s).%n",
                netlib("dev.ludovic.netlib.blas.BLAS"), netlib("dev.ludovic.netlib.lapack.LAPACK"),
                System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "unset")));
        s.append(String.format(Locale.ROOT, "Reference: vecgd `normal` on the collected data (%s; κ ≈ %.3g).%n",
                ref.converged() ? "converged" : "not converged", ref.conditionNumber()));
        s.append(String.format(Locale.ROOT, "Time: median and best of %d runs of each method in one JVM (the first"
                + " includes JIT warm-up), from the cached DataFrame to the coefficients, including each library's own"
                + " conversion of the rows (vecgd: packing into blocks, shown separately). Spark jobs: jobs the fit"
                + " started, each a pass over the data.%n%n", repeat));
        s.append("| method | median s | best s | of which packing | Spark jobs | iterations | converged | max rel. diff vs reference |\n");
        s.append("|---|---:|---:|---:|---:|---:|---|---:|\n");
        for (Row_ r : table) {
            s.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %s | %d | %d | %s | %.1e |%n", r.method(), r.median(),
                    r.best(), Double.isNaN(r.packMedian()) ? "–" : String.format(Locale.ROOT, "%.2f", r.packMedian()),
                    r.jobs(), r.outcome().iterations(), r.outcome().converged() ? "yes" : "**no**", r.maxRelDiff()));
        }
        return s.toString();
    }

    /** The implementation class MLlib's netlib wrapper chose (native, or the Java fallback). */
    private static String netlib(String facade) {
        try {
            return Class.forName(facade).getMethod("getInstance").invoke(null).getClass().getSimpleName();
        } catch (ReflectiveOperationException | LinkageError e) {
            return "unknown (" + e + ")";
        }
    }

    private static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
