package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.Matrix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Time to a given duality gap along a lasso path (issue 20): FISTA ({@code nesterov}) against the plain proximal
 * gradient ({@code gd}) on the same data, the same λ grid, the same step (0.9/L̂ from the power iteration) and the same
 * warm starts, each fit stopped as soon as its relative duality gap ({@link DualityGap#relative()}) is at most the
 * target. The two methods advance <b>in turn, λ by λ</b> (two {@link PathFitter}s; which one goes first alternates), so
 * that load from other work on a shared machine hits both alike. Per λ: the nonzeros, passes over X, wall and process
 * CPU seconds of each method and the gap reached (recomputed after the fit from one more pass, not timed). Skipped
 * unless {@code -Dvecgd.bench20=true}:
 * <pre>  mvn -B -q test -Dtest='LassoPathBenchmark#printTable' -Dvecgd.bench20=true -Dsurefire.failIfNoSpecifiedTests=false \
 *      -Dvecgd.test.argLine="--add-modules jdk.incubator.vector -Xmx6g" [-Dvecgd.bench.m=1000000] [-Dvecgd.bench.n=256]
 *      [-Dvecgd.bench.k=16] [-Dvecgd.bench.corr=0.3] [-Dvecgd.bench.lambdas=10] [-Dvecgd.bench.ratio=0.01]
 *      [-Dvecgd.bench.gap=1e-6] [-Dvecgd.bench.cap=5000] [-Dvecgd.bench.threads=0]</pre>
 * The data ({@link #problem}): X with a common factor (pairwise correlation corr²/(1 + corr²)), column offsets and
 * scales, y from k nonzero coefficients of a seeded truth plus noise. {@code LassoPathBenchmarkTest} runs a tiny
 * version in the normal test suite.
 */
class LassoPathBenchmark {

    /** One method's fit at one λ. */
    record Method(int nonzeros, long passes, double seconds, double cpuSeconds, double gap, StopReason stop) {
    }

    /** One λ of the path, both methods. */
    record Row(double lambda, Method fista, Method ista) {
    }

    /** The path: λ_max, the set-up reads of each fitter (λ_max gradient, power iteration), the rows. */
    record Result(double lambdaMax, long setupFista, long setupIsta, double alpha, List<Row> rows) {
        long passes(boolean fista) {
            long s = 0;
            for (Row r : rows) s += (fista ? r.fista() : r.ista()).passes();
            return s;
        }

        double seconds(boolean fista) {
            double s = 0;
            for (Row r : rows) s += (fista ? r.fista() : r.ista()).seconds();
            return s;
        }

        double cpuSeconds(boolean fista) {
            double s = 0;
            for (Row r : rows) s += (fista ? r.fista() : r.ista()).cpuSeconds();
            return s;
        }
    }

    /**
     * m × n row-major: x_ij = 2j/n + (1 + j mod 5)·(z_ij + corr·c_i) with z, c iid N(0, 1); y = Σ_j β_j x_ij + 1 + noise,
     * β nonzero (±(1 + u), u uniform in [0, 1)) on k columns spread over the n, the noise N(0, σ²) with σ set for a
     * signal-to-noise ratio of about 3 (std of the signal / σ).
     */
    static Dataset problem(int m, int n, int k, double corr, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] beta = new double[n];
        for (int t = 0; t < k; t++) {
            int j = (int) ((long) t * n / k);
            beta[j] = (rnd.nextBoolean() ? 1 : -1) * (1 + rnd.nextDouble()) / (1 + j % 5);
        }
        double signal = 0;
        for (int j = 0; j < n; j++) {
            double s = beta[j] * (1 + j % 5);
            signal += s * s;
        }
        double sigma = Math.sqrt(signal * (1 + corr * corr)) / 3;
        double[] x = new double[Math.multiplyExact(m, n)];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double c = corr * TestProblems.gaussian(rnd);
            double h = 1;
            int base = i * n;
            for (int j = 0; j < n; j++) {
                double v = 2.0 * j / n + (1 + j % 5) * (TestProblems.gaussian(rnd) + c);
                x[base + j] = v;
                h += beta[j] * v;
            }
            y[i] = h + sigma * TestProblems.gaussian(rnd);
        }
        return Dataset.of(Matrix.rowMajor(x, m, n), y);
    }

    /**
     * Runs both paths in turn over {@code count} λ from λ_max down to {@code ratio·λ_max} (log grid).
     *
     * @param gap     the relative duality gap each fit must reach
     * @param cap     the iteration cap of each fit (a fit that hits it reports MAX_ITERATIONS and its gap)
     * @param threads the fits' threads (0: automatic)
     */
    static Result run(Dataset d, int count, double ratio, double gap, int cap, int threads) {
        return run(d, count, ratio, gap, cap, threads, row -> { });
    }

    /** {@link #run(Dataset, int, double, double, int, int)}, each row handed to {@code progress} as soon as it is done. */
    static Result run(Dataset d, int count, double ratio, double gap, int cap, int threads,
                      java.util.function.Consumer<Row> progress) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        FitOptions.Builder b = FitOptions.builder().diagnostics(false).maxIterations(cap).threads(threads)
                .gradientTolerance(1e-15).lossChangeTolerance(0);
        FitOptions fo = LinearRegression.pathOptions(b.solver("nesterov").build(), d.cols(), null);
        FitOptions io = LinearRegression.pathOptions(b.solver("gd").build(), d.cols(), null);
        try (PathFitter fista = PathFitter.of(d, fo); PathFitter ista = PathFitter.of(d, io)) {
            double[] grid = RegularizationPath.logGrid(fista.lambdaMax(), count, ratio);
            List<Row> rows = new ArrayList<>();
            for (int k = 0; k < grid.length; k++) {
                double l1 = grid[k];
                Method f;
                Method g;
                if (k % 2 == 0) {
                    f = step(fista, l1, gap, os);
                    g = step(ista, l1, gap, os);
                } else {
                    g = step(ista, l1, gap, os);
                    f = step(fista, l1, gap, os);
                }
                rows.add(new Row(l1, f, g));
                progress.accept(rows.get(k));
            }
            return new Result(fista.lambdaMax(), fista.setupPasses(), ista.setupPasses(), fista.alpha(), rows);
        }
    }

    private static Method step(PathFitter p, double l1, double gap, com.sun.management.OperatingSystemMXBean os) {
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        FitResult r = p.next(l1, gap);
        double sec = (System.nanoTime() - t0) * 1e-9;
        double cpu = (os.getProcessCpuTime() - c0) * 1e-9;
        int nz = 0;
        for (double v : r.coefficients()) if (v != 0) nz++;
        return new Method(nz, r.passes(), sec, cpu, p.gap(l1).relative(), r.stopReason());
    }

    /** The markdown table of a result. */
    static String table(Result r) {
        StringBuilder s = new StringBuilder();
        s.append("| λ/λ_max | nonzeros FISTA | nonzeros gd | passes FISTA | passes gd | s FISTA | s gd | CPU s FISTA |"
                + " CPU s gd | gap FISTA | gap gd | stop FISTA | stop gd |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row w : r.rows()) {
            Method f = w.fista();
            Method g = w.ista();
            s.append(String.format(Locale.ROOT, "| %.4f | %d | %d | %d | %d | %.3f | %.3f | %.3f | %.3f | %.1e | %.1e | %s | %s |%n",
                    w.lambda() / r.lambdaMax(), f.nonzeros(), g.nonzeros(), f.passes(), g.passes(), f.seconds(),
                    g.seconds(), f.cpuSeconds(), g.cpuSeconds(), f.gap(), g.gap(), f.stop(), g.stop()));
        }
        s.append(String.format(Locale.ROOT, "| **total** | | | **%d** | **%d** | **%.2f** | **%.2f** | **%.2f** | **%.2f** | | | | |%n",
                r.passes(true), r.passes(false), r.seconds(true), r.seconds(false), r.cpuSeconds(true),
                r.cpuSeconds(false)));
        return s.toString();
    }

    @Test
    void printTable() {
        if (!Boolean.getBoolean("vecgd.bench20")) return;
        int m = Integer.getInteger("vecgd.bench.m", 1_000_000);
        int n = Integer.getInteger("vecgd.bench.n", 256);
        int k = Integer.getInteger("vecgd.bench.k", 16);
        double corr = Double.parseDouble(System.getProperty("vecgd.bench.corr", "0.3"));
        int count = Integer.getInteger("vecgd.bench.lambdas", 10);
        double ratio = Double.parseDouble(System.getProperty("vecgd.bench.ratio", "0.01"));
        double gap = Double.parseDouble(System.getProperty("vecgd.bench.gap", "1e-6"));
        int cap = Integer.getInteger("vecgd.bench.cap", 5000);
        int threads = Integer.getInteger("vecgd.bench.threads", 0);
        long t0 = System.nanoTime();
        Dataset d = problem(m, n, k, corr, 20);
        System.out.printf(Locale.ROOT, "data %d × %d (k = %d nonzero, corr %.2f) made in %.1f s; kernels %s; JDK %s;"
                        + " %d processors; threads %d; target relative gap %.0e; cap %d iterations%n", m, n, k, corr,
                (System.nanoTime() - t0) * 1e-9, dev.vecgd.kernel.Kernels.implementation(),
                Runtime.version(), Runtime.getRuntime().availableProcessors(), threads, gap, cap);
        // warm-up: both methods on a small copy of the same problem (JIT), not timed
        run(problem(20_000, n, k, corr, 21), 4, ratio, gap, cap, threads);
        Result r = run(d, count, ratio, gap, cap, threads, row -> System.out.println("done: " + row));
        System.out.printf(Locale.ROOT, "λ_max = %.6g, step α = %.6g, set-up reads: FISTA %d, gd %d%n%n", r.lambdaMax(),
                r.alpha(), r.setupFista(), r.setupIsta());
        System.out.println(table(r));
    }
}
