package dev.vecgd.kernel;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Run in a forked JVM by {@link FallbackTest}: one fused pass on a small fixed problem through the
 * public API, then prints the implementation and the results, one {@code key=value} per line
 * (doubles as {@link Double#toString}, which round-trips exactly).
 */
public final class FallbackMain {

    static final int M = 7;
    static final int N = 3;
    static final double B = 0.75;
    static final double[] THETA = {0.5, -1.25, 2.0};
    static final double[] G0 = {1.0, -2.0, 3.0, 0.5};

    private FallbackMain() {
    }

    /** Row-major M×N features. */
    static double[] x() {
        double[] x = new double[M * N];
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) {
                x[i * N + j] = (i + 1) * 0.5 - j * 0.375 + (i * j % 3) * 0.125;
            }
        }
        return x;
    }

    static double[] y() {
        double[] y = new double[M];
        for (int i = 0; i < M; i++) y[i] = i * 0.3 - 1.0;
        return y;
    }

    public static void main(String[] args) {
        double[] r = new double[M];
        double[] g = G0.clone();
        double ss = Kernels.residualsGradientAdd(Matrix.rowMajor(x(), M, N), THETA, B, StridedVector.of(y()),
                r, 0, g, 0, M);
        System.out.println("implementation=" + Kernels.implementation());
        System.out.println("ss=" + ss);
        System.out.println("r=" + join(r));
        System.out.println("g=" + join(g));
        // The off-heap and parallel paths must not touch the Vector API either.
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared();
             ParallelKernels pk = new ParallelKernels(2)) {
            java.lang.foreign.MemorySegment xs = arena.allocate(8L * M * N, 64);
            java.lang.foreign.MemorySegment.copy(x(), 0, xs, java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0, M * N);
            java.lang.foreign.MemorySegment ys = arena.allocate(8L * M, 64);
            java.lang.foreign.MemorySegment.copy(y(), 0, ys, java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0, M);
            double[] g2 = new double[N + 1];
            double ss2 = pk.lossGradientAdd(SegmentMatrix.rowMajor(xs, M, N), THETA, B, SegmentVector.of(ys), g2, 0, M, 3);
            System.out.println("segment.implementation=" + SegmentKernels.implementation());
            System.out.println("segment.ss=" + ss2);
        }
        // heap float32 X (the values are float-representable: multiples of 1/8 well inside float's range)
        double[] xd = x();
        float[] xf = new float[xd.length];
        for (int k = 0; k < xd.length; k++) xf[k] = (float) xd[k];
        double[] g3 = new double[N + 1];
        double ss3 = FloatKernels.lossGradientAdd(FloatMatrix.rowMajor(xf, M, N), THETA, B, StridedVector.of(y()), g3, 0, M);
        System.out.println("float.implementation=" + FloatKernels.implementation());
        System.out.println("float.ss=" + ss3);
    }

    private static String join(double[] v) {
        return Arrays.stream(v).mapToObj(Double::toString).collect(Collectors.joining(","));
    }
}
