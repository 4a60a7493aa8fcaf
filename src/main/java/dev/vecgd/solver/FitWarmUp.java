package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * {@link LinearRegression#warmUp()}: real fits of small seeded problems (4,096 rows; 3, 8 and 16 columns; both
 * layouts; every solver; heap and off-heap), three rounds, so the JIT compiles the kernels <i>and</i> the solver
 * code around them along the paths a fit takes. Kernel-only warm-up ({@link dev.vecgd.kernel.Kernels#warmUp()})
 * is not enough: measured here (20,000 × 8, fresh JVM, vector kernels), the first fit took 1.1–1.5 s without
 * warm-up or after the kernel warm-up alone, 0.01–0.4 s after this one.
 */
final class FitWarmUp {

    static final int ROWS = 4096;
    static final int ROUNDS = 3;
    static final int[] WIDTHS = {3, 8, 16};

    private FitWarmUp() {
    }

    static Duration run() {
        long t0 = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(18);
        for (int round = 0; round < ROUNDS; round++) {
            for (int n : WIDTHS) {
                double[] x = new double[ROWS * n];
                double[] y = new double[ROWS];
                for (int i = 0; i < x.length; i++) x[i] = rnd.nextDouble(-1, 1) + (i % n);
                for (int i = 0; i < ROWS; i++) y[i] = rnd.nextDouble(-1, 1) + x[i * n];
                for (Layout layout : Layout.values()) {
                    Dataset d = layout == Layout.ROW_MAJOR ? Dataset.rowMajor(x, ROWS, n, y) : Dataset.columnMajor(x, ROWS, n, y);
                    for (Solver s : Solver.values()) {
                        LinearRegression.fit(d, FitOptions.builder().solver(s).maxIterations(200).build());
                    }
                    if (round == 0 && n == 8) {
                        try (SegmentDataset off = SegmentDataset.copyOf(d, layout)) {
                            LinearRegression.fit(off, FitOptions.builder().solver(Solver.CG).build());
                        }
                    }
                }
            }
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
