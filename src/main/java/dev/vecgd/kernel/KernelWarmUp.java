package dev.vecgd.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * {@link Kernels#warmUp()}: runs every kernel on small problems of both layouts and a spread of widths, so the
 * JIT compiles the Vector API code (which runs hundreds of times slower interpreted) before the first real fit.
 * Works on its own arrays only; keeps no state.
 */
final class KernelWarmUp {

    static final int ROWS = 2048;
    static final int ROUNDS = 6;
    static final int[] WIDTHS = {1, 2, 3, 4, 7, 8, 9, 16, 17, 33, 64};

    private KernelWarmUp() {
    }

    static Duration run() {
        long t0 = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(18);
        int maxN = WIDTHS[WIDTHS.length - 1];
        double[] x = new double[ROWS * maxN];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextDouble(-1, 1);
        double[] y = new double[ROWS];
        for (int i = 0; i < ROWS; i++) y[i] = rnd.nextDouble(-1, 1);
        double[] theta = new double[maxN];
        for (int j = 0; j < maxN; j++) theta[j] = rnd.nextDouble(-1, 1);
        double[] r = new double[ROWS];
        double[] g = new double[maxN + 1];
        double[] c = new double[maxN * maxN];
        double sink = 0;
        StridedVector yv = StridedVector.of(y);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xs = arena.allocate(8L * x.length, 64);
            MemorySegment.copy(x, 0, xs, ValueLayout.JAVA_DOUBLE, 0, x.length);
            MemorySegment ys = arena.allocate(8L * ROWS, 64);
            MemorySegment.copy(y, 0, ys, ValueLayout.JAVA_DOUBLE, 0, ROWS);
            SegmentVector ysv = SegmentVector.of(ys);
            MemorySegment fs = arena.allocate(4L * x.length, 64); // the same values as float32 (the float kernels)
            for (int i = 0; i < x.length; i++) fs.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) x[i]);
            for (int round = 0; round < ROUNDS; round++) {
                for (int n : WIDTHS) {
                    double[] t = java.util.Arrays.copyOf(theta, n);
                    for (Matrix a : new Matrix[] {Matrix.rowMajor(x, 0, ROWS, n, n), Matrix.columnMajor(x, 0, ROWS, n, ROWS)}) {
                        java.util.Arrays.fill(g, 0);
                        sink += Kernels.lossGradientAdd(a, t, 0.5, yv, g, 0, ROWS);
                        sink += Kernels.residualsGradientAdd(a, t, 0.5, yv, r, 0, g, 0, ROWS);
                        sink += Kernels.residuals(a, t, 0.5, yv, r, 0, 0, ROWS);
                        sink += Kernels.gradientAdd(a, r, 0, g, 0, ROWS);
                        Kernels.predict(a, t, 0.5, r, 0, 0, ROWS);
                        sink += r[ROWS - 1] + g[0];
                    }
                    for (SegmentMatrix s : new SegmentMatrix[] {new SegmentMatrix(xs, 0, ROWS, n, n, Layout.ROW_MAJOR),
                            new SegmentMatrix(xs, 0, ROWS, n, ROWS, Layout.COLUMN_MAJOR)}) {
                        java.util.Arrays.fill(g, 0);
                        sink += SegmentKernels.lossGradientAdd(s, t, 0.5, ysv, g, 0, ROWS);
                    }
                    for (SegmentMatrix s : new SegmentMatrix[] {SegmentMatrix.rowMajor(fs, ROWS, n, ElementType.FLOAT32),
                            SegmentMatrix.columnMajor(fs, ROWS, n, ElementType.FLOAT32)}) {
                        java.util.Arrays.fill(g, 0);
                        sink += SegmentKernels.lossGradientAdd(s, t, 0.5, ysv, g, 0, ROWS);
                    }
                    if (n <= 16) {
                        java.util.Arrays.fill(c, 0);
                        Kernels.crossProductsAdd(x, ROWS, n, 256, y, c, g);
                        sink += c[0];
                    }
                }
            }
        }
        if (sink == 0.123456789) System.out.print(""); // keep the results alive
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
