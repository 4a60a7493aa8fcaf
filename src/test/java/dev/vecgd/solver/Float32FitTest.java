package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.NpyWriter;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.ElementType;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.SegmentVector;
import dev.vecgd.model.LinearModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every solver on float32 X ({@link ElementType#FLOAT32}) gives the fit of the same (float-representable) data
 * stored as float64: coefficients, intercept, iterations, stop reason, standard errors and diagnostics, to
 * 1e-12 relative (the float kernels compute what the double kernels compute on the widened numbers), both
 * layouts, 1 and 2 threads; the L1 (FISTA / proximal gradient), ridge, weighted and extended-precision paths
 * too. A float32 {@code .npy} written by {@link NpyWriter} maps zero-copy and fits the same.
 */
class Float32FitTest {

    @TempDir
    Path dir;

    private static final int M = 1237;
    private static final int N = 5;

    /** The synthetic problem with X rounded to float (so both storages hold the same numbers). */
    static Dataset problem(long seed) {
        double[][] a = TestProblems.syntheticArrays(M, N, 0.5, seed);
        for (int k = 0; k < a[0].length; k++) a[0][k] = (float) a[0][k];
        return Dataset.rowMajor(a[0], M, N, a[1]);
    }

    static List<Arguments> variants() {
        List<Arguments> out = new ArrayList<>();
        for (Layout layout : Layout.values()) {
            for (Solver s : Solver.values()) out.add(Arguments.of(s.id(), layout, "plain"));
            out.add(Arguments.of("nesterov", layout, "l1"));
            out.add(Arguments.of("gd", layout, "l1"));
            out.add(Arguments.of("cg", layout, "l2"));
            out.add(Arguments.of("gd", layout, "weighted"));
            out.add(Arguments.of("normal", layout, "weighted"));
            out.add(Arguments.of("normal", layout, "extended"));
            out.add(Arguments.of("gd", layout, "unstandardized"));
        }
        return out;
    }

    private static FitOptions.Builder options(String solver, String variant) {
        FitOptions.Builder b = FitOptions.builder().solver(solver).gradientTolerance(1e-13).maxIterations(20_000).chunkRows(100);
        switch (variant) {
            case "l1" -> b.l1(0.05);
            case "l2" -> b.l2(0.1);
            case "extended" -> b.precision(Precision.EXTENDED);
            case "unstandardized" -> b.standardize(false).learningRate(1e-4).maxIterations(3_000);
            default -> { }
        }
        return b;
    }

    private static void assertSameFit(FitResult want, FitResult got, double tol, String what) {
        assertEquals(want.stopReason(), got.stopReason(), what + ": " + got.message());
        assertEquals(want.iterations(), got.iterations(), what + " iterations");
        for (int j = 0; j < N; j++) {
            assertEquals(want.coefficient(j), got.coefficient(j), tol * Math.max(1, Math.abs(want.coefficient(j))), what + " θ" + j);
        }
        assertEquals(want.intercept(), got.intercept(), tol * Math.max(1, Math.abs(want.intercept())), what + " intercept");
        if (want.standardErrors() != null) {
            for (int j = 0; j < N; j++) {
                double se = want.standardErrors()[j];
                if (Double.isNaN(se)) assertTrue(Double.isNaN(got.standardErrors()[j]), what + " SE" + j + " (none with l1)");
                else assertEquals(se, got.standardErrors()[j], tol * se, what + " SE" + j);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("variants")
    void everySolverFitsFloat32AsTheSameDataInFloat64(String solver, Layout layout, String variant) {
        Dataset heap = problem(91);
        double[] w = new double[M];
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < M; i++) w[i] = rnd.nextDouble(0.5, 2);
        boolean weighted = variant.equals("weighted");
        try (SegmentDataset d64 = SegmentDataset.copyOf(heap, layout);
             SegmentDataset d32 = SegmentDataset.copyOf(heap, layout, ElementType.FLOAT32)) {
            assertEquals(ElementType.FLOAT32, d32.elementType());
            assertEquals(4L * M * N, d32.featureBytes());
            for (int threads : new int[] {1, 2}) {
                FitOptions o = options(solver, variant).threads(threads).build();
                FitResult want = weighted ? LinearRegression.fit(d64, w, o) : LinearRegression.fit(d64, o);
                FitResult got = weighted ? LinearRegression.fit(d32, w, o) : LinearRegression.fit(d32, o);
                String what = solver + " " + variant + " " + layout + " threads=" + threads;
                if (!variant.equals("unstandardized")) assertTrue(want.converged(), what + ": " + want.message());
                assertSameFit(want, got, 1e-12, what);
                if (variant.equals("extended")) { // compensated passes over blocks widened to doubles, for both
                    assertEquals(want.implementation(), got.implementation(), what);
                } else {
                    assertEquals(dev.vecgd.kernel.SegmentKernels.floatImplementation(), got.implementation(), what + ": the float32 kernels ran");
                    assertEquals(dev.vecgd.kernel.Kernels.implementation(), want.implementation(), what);
                }
                if (!weighted) {
                    LinearModel mdl = got.model();
                    assertEquals(mdl.score(d64), mdl.score(d32), 1e-12, what + " R² on float32 data");
                    assertEquals(0, java.util.Arrays.compare(mdl.predict(d64.x()), mdl.predict(d32.x())), what + " predict");
                }
            }
        }
    }

    @Test
    void aMappedFloat32NpyFitsAsTheDoubleData() throws IOException {
        Dataset heap = problem(92);
        Path x = dir.resolve("x32.npy");
        Path y = dir.resolve("y.npy");
        Path table = dir.resolve("table32.npy");
        NpyWriter.write(x, heap.x(), ElementType.FLOAT32);
        double[] yv = new double[M];
        for (int i = 0; i < M; i++) yv[i] = heap.y(i);
        NpyWriter.write(y, yv);
        // a float32 table with y as its last column: y is rounded to float there, so compare with that data
        double[] tab = new double[M * (N + 1)];
        double[] yf = new double[M];
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) tab[i * (N + 1) + j] = heap.x(i, j);
            tab[i * (N + 1) + N] = yf[i] = (float) heap.y(i);
        }
        NpyWriter.write(table, dev.vecgd.kernel.Matrix.rowMajor(tab, M, N + 1), ElementType.FLOAT32);
        double[] xs = new double[M * N];
        for (int i = 0; i < M; i++) for (int j = 0; j < N; j++) xs[i * N + j] = heap.x(i, j);
        Dataset heapYf = Dataset.rowMajor(xs, M, N, yf);
        FitOptions o = options("gd", "plain").build();
        try (SegmentDataset m32 = SegmentDataset.mapNpy(x, y);
             SegmentDataset t32 = SegmentDataset.mapNpy(table, N);
             SegmentDataset d64 = SegmentDataset.copyOf(heap, Layout.ROW_MAJOR);
             SegmentDataset t64 = SegmentDataset.copyOf(heapYf, Layout.ROW_MAJOR)) {
            assertEquals(ElementType.FLOAT32, m32.elementType());
            assertEquals(ElementType.FLOAT32, t32.elementType());
            assertSameFit(LinearRegression.fit(d64, o), LinearRegression.fit(m32, o), 1e-12, "mapped x32 + y64");
            assertSameFit(LinearRegression.fit(t64, o), LinearRegression.fit(t32, o), 1e-12, "mapped float32 table");
            for (int i = 0; i < M; i += 97) assertEquals(yf[i], t32.y(i), 0.0);
        }
    }

    @Test
    void copyingToFloat32RoundsOnceAndRejectsOverflow() {
        double[] xs = {1.0 / 3, 2, 3e38, 4, 5, 6};
        Dataset ok = Dataset.rowMajor(xs, 3, 2, new double[3]);
        try (SegmentDataset d = SegmentDataset.copyOf(ok, Layout.COLUMN_MAJOR, ElementType.FLOAT32)) {
            assertEquals((double) (float) (1.0 / 3), d.x(0, 0), 0.0);
            assertEquals((double) 3e38f, d.x(1, 0), 0.0);
            assertEquals(24, d.featureBytes());
        }
        double[] big = {1, 2, 3, 4e38};
        Dataset bad = Dataset.rowMajor(big, 2, 2, new double[2]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SegmentDataset.copyOf(bad, Layout.ROW_MAJOR, ElementType.FLOAT32));
        assertTrue(e.getMessage().contains("row 1, column 1") && e.getMessage().contains("float32"), e.getMessage());
        // non-finite values are kept and rejected by the fit's check, naming the element
        double[] nan = {1, Double.NaN, 3, 4};
        try (SegmentDataset d = SegmentDataset.copyOf(Dataset.rowMajor(nan, 2, 2, new double[2]), Layout.ROW_MAJOR,
                ElementType.FLOAT32)) {
            IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(d));
            assertTrue(f.getMessage().contains("row 0, column 1"), f.getMessage());
        }
    }

    @Test
    void aFloat32DatasetWithAStridedTargetFromAnotherSegment() {
        Dataset heap = problem(93);
        try (SegmentDataset d32 = SegmentDataset.copyOf(heap, Layout.ROW_MAJOR, ElementType.FLOAT32);
             SegmentDataset d64 = SegmentDataset.copyOf(heap, Layout.ROW_MAJOR)) {
            SegmentDataset view = new SegmentDataset(d32.x(), new SegmentVector(d64.y().segment(), 0, 1));
            FitOptions o = options("cg", "plain").build();
            assertSameFit(LinearRegression.fit(d64, o), LinearRegression.fit(view, o), 1e-12, "view");
        }
    }
}
