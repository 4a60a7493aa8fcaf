package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Wall and process CPU time of a <b>weighted</b> {@code normal} fit ({@link LinearRegression#fit(Dataset, double[],
 * FitOptions)}) on m × n row-major data with random weights: one warm-up fit, then {@code repeats} timed fits (median
 * and best). Only the public API, so the same file measures an older commit too (copy it there). Skipped unless
 * {@code -Dvecgd.bench20w=true}:
 * <pre>  mvn -B -q test -Dtest='WeightedNormalBenchmark' -Dvecgd.bench20w=true -Dsurefire.failIfNoSpecifiedTests=false \
 *      -Dvecgd.test.argLine="--add-modules jdk.incubator.vector -Xmx3g" [-Dvecgd.bench.m=1000000] [-Dvecgd.bench.n=64]
 *      [-Dvecgd.bench.repeats=5] [-Dvecgd.bench.threads=1] [-Dvecgd.bench.diagnostics=true]</pre>
 */
class WeightedNormalBenchmark {

    @Test
    void printTimes() {
        if (!Boolean.getBoolean("vecgd.bench20w")) return;
        int m = Integer.getInteger("vecgd.bench.m", 1_000_000);
        int n = Integer.getInteger("vecgd.bench.n", 64);
        int repeats = Integer.getInteger("vecgd.bench.repeats", 5);
        int threads = Integer.getInteger("vecgd.bench.threads", 1);
        boolean diagnostics = Boolean.parseBoolean(System.getProperty("vecgd.bench.diagnostics", "true"));
        SplittableRandom rnd = new SplittableRandom(64);
        double[] x = new double[m * n];
        double[] y = new double[m];
        double[] w = new double[m];
        for (int i = 0; i < m; i++) {
            double h = 1;
            for (int j = 0; j < n; j++) {
                double v = j + (1 + j % 3) * (rnd.nextDouble() - 0.5);
                x[i * n + j] = v;
                h += (j % 2 == 0 ? 0.5 : -0.25) * v;
            }
            y[i] = h + rnd.nextDouble() - 0.5;
            w[i] = i % 10 == 0 ? 0 : 0.5 + rnd.nextDouble();
        }
        Dataset d = Dataset.rowMajor(x, m, n, y);
        FitOptions o = FitOptions.builder().solver("normal").threads(threads).diagnostics(diagnostics).build();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        LinearRegression.fit(d, w, o); // warm-up
        double[] sec = new double[repeats];
        double[] cpu = new double[repeats];
        FitResult r = null;
        for (int k = 0; k < repeats; k++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            r = LinearRegression.fit(d, w, o);
            sec[k] = (System.nanoTime() - t0) * 1e-9;
            cpu[k] = (os.getProcessCpuTime() - c0) * 1e-9;
        }
        Arrays.sort(sec);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "weighted normal %d × %d, threads %d, diagnostics %s, kernels %s, JDK %s: wall"
                        + " median %.3f s (best %.3f), CPU median %.3f s (best %.3f), passes %d, %s, κ %.3g%n", m, n,
                threads, diagnostics, dev.vecgd.kernel.Kernels.implementation(), Runtime.version(), sec[repeats / 2],
                sec[0], cpu[repeats / 2], cpu[0], r.passes(), r.stopReason(), r.conditionNumber());
    }
}
