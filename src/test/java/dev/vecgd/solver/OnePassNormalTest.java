package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code normal} in one read of X ({@link OnePassNormal}): the same answer as the classic path (separate
 * finiteness check, column statistics and Gram pass — taken for column-major data) and as the
 * plain (uncentred, row-order) normal equations of {@link TestProblems} — within 1e-8, that reference's own error
 * at n = 32 is about 6e-10 —, exactly <b>two</b> passes in all (the one Gram pass and the
 * gradient check), constant columns found exactly, non-finite data still named, heap = off-heap, and the
 * same bits for any thread count.
 */
class OnePassNormalTest {

    /** Row-major and column-major copies of the same synthetic data with large offsets (mean 10·j + 1e4). */
    static Dataset[] data(int m, int n, boolean constantColumn, long seed) {
        return data(m, n, constantColumn, seed, 1e4);
    }

    static Dataset[] data(int m, int n, boolean constantColumn, long seed, double offset) {
        double[][] a = TestProblems.syntheticArrays(m, n, 0.1, seed);
        double[] x = a[0];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) x[i * n + j] += offset;
            if (constantColumn) x[i * n + 1] = 0.1;
        }
        double[] col = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) col[j * m + i] = x[i * n + j];
        return new Dataset[]{Dataset.rowMajor(x, m, n, a[1]), Dataset.columnMajor(col, m, n, a[1])};
    }

    @ParameterizedTest(name = "m={0} n={1} intercept={2} standardize={3} l2={4} constant={5}")
    @CsvSource({
            "1000, 5, true, true, 0, false",
            "1000, 5, true, true, 0, true",
            "777, 13, true, true, 0, false",
            "2049, 32, true, true, 0.01, false",
            "500, 7, false, true, 0, false",
            "500, 7, false, true, 0, true",
            "3, 1, true, true, 0, false",
            "64, 9, true, true, 0, false"})
    void oneReadOfXGivesTheClassicAnswerInTwoPasses(int m, int n, boolean intercept, boolean standardize, double l2,
                                                     boolean constant) {
        // without an intercept, offsets make the columns nearly collinear (κ ~ offset²): both paths then lose
        // digits to the problem itself, so the offset is small there
        Dataset[] d = data(m, n, constant, 11L * m + n, intercept ? 1e4 : 10);
        FitOptions o = FitOptions.builder().solver("normal").intercept(intercept).standardize(standardize).l2(l2)
                .gradientTolerance(1e-12).build();
        FitResult one = LinearRegression.fit(d[0], o);
        FitResult classic = LinearRegression.fit(d[1], o);
        assertEquals(2, one.passes(), "passes over X: the Gram pass (with the checks and statistics) + the gradient check");
        assertEquals(3 + 1 + classic.iterations() + 1, classic.passes(),
                "classic path: check + two statistics passes, the Gram pass, one gradient per refinement and the first");
        assertArrayEquals(classic.constantColumns(), one.constantColumns());
        double scale = 0;
        for (double c : classic.coefficients()) scale = Math.max(scale, Math.abs(c));
        for (int j = 0; j < n; j++) {
            assertEquals(classic.coefficient(j), one.coefficient(j), 1e-9 * Math.max(1, scale), "θ" + j);
        }
        assertEquals(classic.intercept(), one.intercept(), 1e-9 * Math.max(1, Math.abs(classic.intercept())) + 1e-6 * scale);
        assertEquals(classic.r2(), one.r2(), 1e-12);
        assertEquals(classic.residualStd(), one.residualStd(), 1e-9 * classic.residualStd());
        if (classic.standardErrors() != null) {
            for (int j = 0; j < n; j++) {
                double want = classic.standardErrors()[j];
                if (Double.isNaN(want)) assertTrue(Double.isNaN(one.standardErrors()[j]));
                else assertEquals(want, one.standardErrors()[j], 1e-6 * Math.abs(want));
            }
        }
    }

    @ParameterizedTest(name = "m={0} n={1} intercept={2}")
    @CsvSource({"1000, 5, true", "2049, 32, true", "500, 7, false", "64, 9, true"})
    void matchesThePlainNormalEquations(int m, int n, boolean intercept) {
        Dataset d = data(m, n, false, 13L * m + n, 0)[0];
        FitResult one = LinearRegression.fit(d, FitOptions.builder().solver("normal").intercept(intercept).build());
        assertEquals(2, one.passes());
        double[] ref = TestProblems.normalEquations(d, intercept, 0);
        for (int j = 0; j < n; j++) assertTrue(TestProblems.relErr(one.coefficient(j), ref[j]) < 1e-8, "θ" + j + " vs the oracle");
        if (intercept) assertTrue(TestProblems.relErr(one.intercept(), ref[n]) < 1e-8, "intercept vs the oracle");
    }

    @Test
    void standardizationOffTakesTheClassicPath() {
        Dataset[] d = data(500, 4, false, 8);
        FitOptions o = FitOptions.builder().solver("normal").standardize(false).build();
        assertEquals(null, OnePassNormal.of(d[0], o));
        assertArrayEquals(LinearRegression.fit(d[1], o).coefficients(), LinearRegression.fit(d[0], o).coefficients(), 1e-6);
    }

    @Test
    void aConstantColumnIsFoundExactly() {
        Dataset[] d = data(300, 6, true, 3);
        FitResult r = LinearRegression.fit(d[0], FitOptions.builder().solver("normal").build());
        assertArrayEquals(new int[]{1}, r.constantColumns());
        assertEquals(0.0, r.coefficient(1), 0.0);
    }

    @Test
    void nonFiniteDataIsStillNamed() {
        Dataset[] d = data(300, 6, false, 4);
        d[0].x().data()[17 * 6 + 4] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.fit(d[0], FitOptions.builder().solver("normal").build()));
        assertTrue(e.getMessage().contains("row 17") && e.getMessage().contains("column 4"), e.getMessage());
        Dataset[] f = data(300, 6, false, 4);
        f[0].y().data()[5] = Double.POSITIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(f[0], FitOptions.builder().solver("normal").build()));
    }

    @Test
    void offHeapEqualsHeapAndThreadsDoNotChangeTheBits() {
        Dataset[] d = data(5000, 17, false, 5);
        FitOptions o1 = FitOptions.builder().solver("normal").threads(1).build();
        FitOptions o2 = FitOptions.builder().solver("normal").threads(2).chunkRows(1000).build();
        FitResult heap = LinearRegression.fit(d[0], o1);
        FitResult heap2 = LinearRegression.fit(d[0], o2);
        assertArrayEquals(heap.coefficients(), heap2.coefficients(), 0.0);
        assertEquals(heap.intercept(), heap2.intercept(), 0.0);
        try (SegmentDataset off = SegmentDataset.copyOf(d[0], Layout.ROW_MAJOR)) {
            FitResult seg = LinearRegression.fit(off, o1);
            assertEquals(2, seg.passes());
            assertArrayEquals(heap.coefficients(), seg.coefficients(), 0.0);
            assertEquals(heap.intercept(), seg.intercept(), 0.0);
            // the off-heap pass on the calling thread: the same statistics and Gram matrix as the heap pass
            OnePassNormal.Prepared a = OnePassNormal.of(d[0], o1);
            OnePassNormal.Prepared b = OnePassNormal.of(off, o1);
            assertArrayEquals(a.scaling().means(), b.scaling().means(), 0.0);
            assertArrayEquals(a.scaling().scales(), b.scaling().scales(), 0.0);
            assertEquals(a.targets(), b.targets());
            assertArrayEquals(a.gram().g, b.gram().g, 0.0);
            assertArrayEquals(a.gram().rhs, b.gram().rhs, 0.0);
        }
    }

    @Test
    void rowsInSeveralPartsOnAnyThreadCountGiveTheSameBitsAndTheOraclesAnswer() {
        int m = 5 * OnePassNormal.MIN_PART_ROWS + 123; // five parts; the 123 extra rows go one each to the first parts
        int n = 9;
        assertEquals(5, OnePassNormal.parts(m));
        assertEquals(1, OnePassNormal.parts(OnePassNormal.MIN_PART_ROWS + 1));
        assertEquals(OnePassNormal.MAX_PARTS, OnePassNormal.parts(1L << 40));
        Dataset d = data(m, n, false, 21, 0)[0];
        double[] ref = TestProblems.normalEquations(d, true, 0);
        FitResult first = null;
        for (int threads : new int[]{1, 2, 3}) {
            FitResult r = LinearRegression.fit(d, FitOptions.builder().solver("normal").threads(threads).build());
            assertEquals(2, r.passes());
            for (int j = 0; j < n; j++) assertTrue(TestProblems.relErr(r.coefficient(j), ref[j]) < 1e-8, "θ" + j + " vs the oracle");
            assertTrue(TestProblems.relErr(r.intercept(), ref[n]) < 1e-8, "intercept vs the oracle");
            if (first == null) {
                first = r;
            } else {
                assertArrayEquals(first.coefficients(), r.coefficients(), 0.0, threads + " threads");
                assertEquals(first.intercept(), r.intercept(), 0.0, threads + " threads");
            }
        }
        try (SegmentDataset off = SegmentDataset.copyOf(d, Layout.ROW_MAJOR)) {
            FitResult seg = LinearRegression.fit(off, FitOptions.builder().solver("normal").threads(2).build());
            assertArrayEquals(first.coefficients(), seg.coefficients(), 0.0, "off-heap, 2 threads");
            assertEquals(first.intercept(), seg.intercept(), 0.0, "off-heap, 2 threads");
        }
    }

    @Test
    void largeOffsetsDoNotCancel() {
        // features = 1e8 + small spread: the shift by the first row keeps the centred sums accurate
        int m = 2000;
        SplittableRandom rnd = new SplittableRandom(9);
        double[] x = new double[m * 2];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double a = rnd.nextDouble(), b = rnd.nextDouble();
            x[2 * i] = 1e8 + a;
            x[2 * i + 1] = -3e7 + 2 * b;
            y[i] = 1 + 2 * a - 0.5 * b + 1e-3 * TestProblems.gaussian(rnd);
        }
        FitOptions o = FitOptions.builder().solver("normal").build();
        FitResult r = LinearRegression.fit(Dataset.of(Matrix.rowMajor(x, m, 2), y), o);
        assertEquals(2.0, r.coefficient(0), 1e-3);
        assertEquals(-0.25, r.coefficient(1), 1e-3);
        double[] col = new double[2 * m];
        for (int i = 0; i < m; i++) { col[i] = x[2 * i]; col[m + i] = x[2 * i + 1]; }
        FitResult classic = LinearRegression.fit(Dataset.of(Matrix.columnMajor(col, m, 2), y), o);
        System.out.println("large offsets: one pass " + r.passes() + " passes, " + r.stopReason() + ", θ = "
                + java.util.Arrays.toString(r.coefficients()) + "; classic " + classic.passes() + " passes, "
                + classic.stopReason() + ", θ = " + java.util.Arrays.toString(classic.coefficients()));
        assertEquals(classic.coefficient(0), r.coefficient(0), 1e-9 * 2);
        assertEquals(classic.coefficient(1), r.coefficient(1), 1e-9);
        assertTrue(r.passes() <= classic.passes() + 1, "passes: one pass " + r.passes() + ", classic " + classic.passes());
    }
}
