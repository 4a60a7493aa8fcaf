package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.FloatMatrix;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heap float32 X through {@link FloatRowSource}: every full-batch solver fits it as the same (float-representable)
 * data stored as {@code double}, with and without sample weights.
 * <ul>
 *   <li>Against {@link ChunkedRowSource} over the widened {@code double[]} (the same statistics, passes and
 *       blocks): the <b>same bits</b> — coefficients, intercept, iterations, passes, stop reason, standard errors, κ,
 *       R² — because the heap float kernels sum in the order of the heap double kernels
 *       ({@code FloatKernelsTest}) and the cross-products pass widens exactly.</li>
 *   <li>Against the heap {@code Dataset} fit of the same doubles (another path: one-pass normal equations, its own
 *       statistics): to 1e-9 relative, the agreement of two float64 fits of one well-conditioned problem that
 *       converge to ‖∇J‖ ≤ 1e-13 (κ ≈ 10 here, so the coefficients agree to about κ·1e-13 plus the rounding of the
 *       two paths; 1e-9 leaves room for the iterative solvers' differing stop points).</li>
 * </ul>
 */
class FloatRowSourceTest {

    private static final int M = 1237;
    private static final int N = 5;

    /** The synthetic problem with X rounded to float: both storages hold the same numbers. */
    static Dataset problem(long seed, Layout layout) {
        double[][] a = TestProblems.syntheticArrays(M, N, 0.5, seed);
        for (int k = 0; k < a[0].length; k++) a[0][k] = (float) a[0][k];
        if (layout == Layout.ROW_MAJOR) return Dataset.rowMajor(a[0], M, N, a[1]);
        double[] c = new double[M * N];
        for (int i = 0; i < M; i++) for (int j = 0; j < N; j++) c[j * M + i] = a[0][i * N + j];
        return new Dataset(Matrix.columnMajor(c, M, N), dev.vecgd.kernel.StridedVector.of(a[1]));
    }

    /** The dataset's X as a float matrix of the same layout (an offset and a padded leading dimension, NaN padding). */
    static FloatMatrix floats(Dataset d) {
        Matrix x = d.x();
        boolean row = x.layout() == Layout.ROW_MAJOR;
        int ld = (row ? N : M) + 3;
        float[] a = new float[2 + ld * (row ? M : N)];
        Arrays.fill(a, Float.NaN);
        FloatMatrix f = new FloatMatrix(a, 2, M, N, ld, x.layout());
        for (int i = 0; i < M; i++) for (int j = 0; j < N; j++) a[f.index(i, j)] = (float) x.get(i, j);
        return f;
    }

    static double[] targets(Dataset d) {
        double[] y = new double[d.rows()];
        for (int i = 0; i < y.length; i++) y[i] = d.y(i);
        return y;
    }

    static List<Arguments> variants() {
        List<Arguments> out = new ArrayList<>();
        for (Layout layout : Layout.values()) {
            for (Solver s : Solver.values()) {
                out.add(Arguments.of(s.id(), layout, "plain"));
            }
            out.add(Arguments.of("gd", layout, "l1"));
            out.add(Arguments.of("cg", layout, "l2"));
            out.add(Arguments.of("gd", layout, "no intercept"));
            out.add(Arguments.of("gd", layout, "unstandardized"));
            out.add(Arguments.of("gd", layout, "weighted"));
            out.add(Arguments.of("cg", layout, "weighted"));
            out.add(Arguments.of("normal", layout, "weighted"));
        }
        return out;
    }

    private static FitOptions options(String solver, String variant) {
        FitOptions.Builder b = FitOptions.builder().solver(solver).gradientTolerance(1e-13).maxIterations(20_000);
        switch (variant) {
            case "l1" -> b.l1(0.05);
            case "l2" -> b.l2(0.1);
            case "no intercept" -> b.intercept(false);
            case "unstandardized" -> b.standardize(false).learningRate(1e-4).maxIterations(2_000);
            default -> { }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("variants")
    void everySolverFitsFloat32AsTheSameDataInFloat64(String solver, Layout layout, String variant) {
        Dataset d = problem(91, layout);
        FitOptions o = options(solver, variant);
        boolean weighted = variant.equals("weighted");
        double[] w = new double[M];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < M; i++) w[i] = i % 17 == 0 ? 0 : rnd.nextDouble(0.5, 2);
        FitResult chunked = LinearRegression.fit(weighted ? ChunkedRowSource.of(List.of(d), List.of(w))
                : ChunkedRowSource.of(List.of(d)), o);
        FitResult got = LinearRegression.fit(weighted ? FloatRowSource.of(floats(d), targets(d), w)
                : FloatRowSource.of(floats(d), targets(d)), o);
        String what = solver + " " + variant + " " + layout;
        if (!variant.equals("unstandardized")) assertTrue(chunked.converged(), what + ": " + chunked.message());
        assertEquals(chunked.stopReason(), got.stopReason(), what + ": " + got.message());
        assertEquals(chunked.iterations(), got.iterations(), what + " iterations");
        assertEquals(chunked.passes(), got.passes(), what + " passes");
        assertEquals(dev.vecgd.kernel.FloatKernels.implementation(), got.implementation(), what + ": the float32 kernels ran");
        assertEquals(dev.vecgd.kernel.Kernels.implementation(), chunked.implementation(), what);
        assertArrayEquals(chunked.coefficients(), got.coefficients(), 0.0, what + " θ (the same bits)");
        assertEquals(chunked.intercept(), got.intercept(), 0.0, what + " intercept");
        if (chunked.standardErrors() != null) {
            assertArrayEquals(chunked.standardErrors(), got.standardErrors(), 0.0, what + " standard errors");
        }
        assertEquals(chunked.r2(), got.r2(), 0.0, what + " R²");
        if (variant.equals("plain") || weighted) {
            // the heap float64 fit: another path, the same solution
            FitResult heap = weighted ? LinearRegression.fit(d, w, o) : LinearRegression.fit(d, o);
            for (int j = 0; j < N; j++) {
                assertEquals(heap.coefficient(j), got.coefficient(j), 1e-9 * Math.max(1, Math.abs(heap.coefficient(j))),
                        what + " θ" + j + " vs the heap Dataset fit");
            }
            assertEquals(heap.intercept(), got.intercept(), 1e-9 * Math.max(1, Math.abs(heap.intercept())), what);
            assertTrue(got.standardErrors() != null, what + ": standard errors from the cross-products pass");
        }
    }

    @Test
    void checksShapesAndValuesNamingThem() {
        FloatMatrix x = FloatMatrix.rowMajor(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        assertThrows(NullPointerException.class, () -> FloatRowSource.of(null, new double[3]));
        assertThrows(NullPointerException.class, () -> FloatRowSource.of(x, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FloatRowSource.of(x, new double[2]));
        assertTrue(e.getMessage().contains("y has 2 values, X has 3 rows"), e.getMessage());
        float[] bad = {1, 2, 3, Float.POSITIVE_INFINITY, 5, 6};
        e = assertThrows(IllegalArgumentException.class, () -> FloatRowSource.of(FloatMatrix.rowMajor(bad, 3, 2), new double[3]));
        assertTrue(e.getMessage().contains("X[row 1, column 1] is Infinity"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FloatRowSource.of(FloatMatrix.columnMajor(bad, 3, 2), new double[3]));
        assertTrue(e.getMessage().contains("X[row 0, column 1] is Infinity"), e.getMessage());
        float[] late = {1, 2, 3, 4, Float.NaN, 6}; // column-major: column 1 is {4, NaN, 6}, the NaN in row 1
        e = assertThrows(IllegalArgumentException.class, () -> FloatRowSource.of(FloatMatrix.columnMajor(late, 3, 2), new double[3]));
        assertTrue(e.getMessage().contains("X[row 1, column 1] is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FloatRowSource.of(x, new double[] {0, Double.NaN, 0}));
        assertTrue(e.getMessage().contains("y[row 1] is NaN"), e.getMessage());
        // a value made non-finite after construction is caught by the next statistics pass
        float[] a = {1, 2, 3, 4, 5, 6, 7, 8};
        FloatRowSource s = FloatRowSource.of(FloatMatrix.rowMajor(a, 4, 2), new double[] {1, 2, 3, 5});
        a[5] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(s, FitOptions.defaults()));
        assertTrue(e.getMessage().contains("X[row 2, column 1] is NaN"), e.getMessage());
        assertEquals(2, s.cols());
        assertEquals(4, s.rows());
        assertTrue(s.hasCrossProducts());
        assertTrue(!s.hasWeights());
        assertThrows(UnsupportedOperationException.class, () -> s.weightedMoments(null, new double[4]));
        e = assertThrows(IllegalArgumentException.class, () -> FloatRowSource.of(x, new double[3], new double[2]));
        assertTrue(e.getMessage().contains("weights has 2 values, X has 3 rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FloatRowSource.of(x, new double[3], new double[] {1, -1, 1}));
        assertTrue(e.getMessage().contains("the sample weight of row 1 is -1.0"), e.getMessage());
        assertThrows(NullPointerException.class, () -> FloatRowSource.of(x, new double[3], null));
        FloatRowSource ws = FloatRowSource.of(x, new double[3], new double[] {1, 2, 3});
        assertTrue(ws.hasWeights() && ws.hasWeightedCrossProducts());
    }

    /**
     * The cross-products passes (plain and weighted) over several of their 4,096-row blocks, and over fewer rows than
     * columns, against ChunkedRowSource over the widened doubles (the same blocks and sums: the same bits).
     */
    @Test
    void crossProductsOverManyBlocksAndFewRowsGiveTheBitsOfTheDoubleSource() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        for (int[] shape : new int[][] {{9000, 3}, {2, 5}}) {
            int m = shape[0];
            int n = shape[1];
            float[] xf = new float[m * n];
            double[] xd = new double[m * n];
            double[] y = new double[m];
            double[] w = new double[m];
            for (int k = 0; k < xf.length; k++) xd[k] = xf[k] = (float) rnd.nextDouble(-5, 5);
            for (int i = 0; i < m; i++) {
                y[i] = rnd.nextDouble(-1, 1);
                w[i] = rnd.nextDouble(0.5, 2);
            }
            Dataset d = Dataset.rowMajor(xd, m, n, y);
            double[] mean = new double[n];
            double[] scale = new double[n];
            for (int j = 0; j < n; j++) {
                mean[j] = 0.1 * j;
                scale[j] = 1.0 / (1 + j);
            }
            int k = n + 1;
            double[] g1 = new double[k * k], r1 = new double[k], g2 = new double[k * k], r2 = new double[k];
            FloatRowSource.of(FloatMatrix.rowMajor(xf, m, n), y).crossProductsAdd(mean, scale, true, 0.25, g1, r1);
            ChunkedRowSource.of(List.of(d)).crossProductsAdd(mean, scale, true, 0.25, g2, r2);
            assertArrayEquals(g2, g1, 0.0, m + "x" + n + " gram");
            assertArrayEquals(r2, r1, 0.0, m + "x" + n + " rhs");
            double[] g3 = new double[k * k], r3 = new double[k], g4 = new double[k * k], r4 = new double[k];
            FloatRowSource.of(FloatMatrix.rowMajor(xf, m, n), y, w).weightedCrossProductsAdd(mean, scale, true, 0.25, g3, r3);
            ChunkedRowSource.of(List.of(d), List.of(w)).weightedCrossProductsAdd(mean, scale, true, 0.25, g4, r4);
            assertArrayEquals(g4, g3, 0.0, m + "x" + n + " weighted gram");
            assertArrayEquals(r4, r3, 0.0, m + "x" + n + " weighted rhs");
            assertTrue(g1[0] > 0 && g3[0] > 0, "the passes added something");
        }
    }

    /**
     * The weighted passes refuse an unweighted source by name, and the weighted statistics pass re-checks the shared
     * arrays (X and the weights changed after construction), as the unweighted one does.
     */
    @Test
    void weightedPassesCheckTheirSourceAndTheSharedArrays() {
        float[] a = {1, 2, 3, 4, 5, 6, 7, 8};
        FloatMatrix x = FloatMatrix.rowMajor(a, 4, 2);
        FloatRowSource plain = FloatRowSource.of(x, new double[] {1, 2, 3, 5});
        assertTrue(x == plain.x());
        assertTrue(!plain.hasWeightedCrossProducts());
        GradientBuffer g = new GradientBuffer(2);
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
                () -> plain.weightedAccumulate(new double[3], true, g));
        assertTrue(u.getMessage().contains("has no sample weights"), u.getMessage());
        u = assertThrows(UnsupportedOperationException.class, () -> plain.weightedCrossProductsAdd(new double[2],
                new double[] {1, 1}, true, 0, new double[16], new double[4]));
        assertTrue(u.getMessage().contains("has no sample weights"), u.getMessage());
        double[] w = {1, 2, 3, 4};
        FloatRowSource ws = FloatRowSource.of(x, new double[] {1, 2, 3, 5}, w);
        a[3] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ws.weightedMoments(null, new double[4]));
        assertTrue(e.getMessage().contains("X[row 1, column 1] is NaN"), e.getMessage());
        a[3] = 4;
        w[2] = -0.5;
        e = assertThrows(IllegalArgumentException.class, () -> ws.weightedMoments(null, new double[4]));
        assertTrue(e.getMessage().contains("the sample weight of row 2 is -0.5"), e.getMessage());
        w[2] = 3;
        double[] out = new double[4];
        ws.weightedMoments(null, out); // Σ w·x per column, Σ w·y, Σ w
        assertArrayEquals(new double[] {1 + 2 * 3 + 3 * 5 + 4 * 7, 2 + 2 * 4 + 3 * 6 + 4 * 8, 1 + 2 * 2 + 3 * 3 + 4 * 5, 10},
                out, 0.0);
    }
}
