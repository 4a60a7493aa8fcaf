package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every public entry point of {@link LinearRegression} rejects a combination it cannot fit with a message that names
 * the problem and the way out (the exact text): warm starts of the wrong length, mini-batches where only full batch
 * is possible, solver normal without a Gram pass, sources without rows, extended precision where it does not apply,
 * and the path's own checks.
 */
class FitArgumentsTest {

    private static final Dataset DATA = Dataset.rowMajor(new double[]{1, 2, 2, 1, 3, 5, 4, 3, 5, 4, 6, 6}, 6, 2,
            new double[]{1, 2, 3, 4, 5, 7});

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    private static RowSource source() {
        return ChunkedRowSource.of(List.of(DATA));
    }

    @Test
    void warmStartsOfTheWrongLength() {
        FitOptions o = FitOptions.builder().warmStart(new double[3], 0).build();
        String want = "warm start has 3 coefficients, the data has 2 columns";
        assertEquals(want, message(() -> LinearRegression.fit(DATA, o)));
        assertEquals(want, message(() -> LinearRegression.fit(DATA, new double[]{1, 1, 1, 1, 1, 2}, o)));
        assertEquals(want, message(() -> LinearRegression.fit(source(), o)));
        assertEquals(want, message(() -> LinearRegression.path(DATA, o.toBuilder().solver(Solver.NESTEROV).build())));
        try (SegmentDataset off = SegmentDataset.copyOf(DATA, Layout.ROW_MAJOR)) {
            assertEquals(want, message(() -> LinearRegression.fit(off, o)));
            assertEquals(want, message(() -> LinearRegression.fit(off, new double[]{1, 1, 1, 1, 1, 2}, o)));
        }
    }

    @Test
    void miniBatchesWhereOnlyFullBatchIsPossible() {
        FitOptions o = FitOptions.builder().batchSize(2).build();
        // weighted mini-batches run on heap data (issue 20); a weighted RowSource stays full batch
        assertNotNull(LinearRegression.fit(DATA, new double[]{1, 1, 1, 1, 1, 2}, o));
        assertEquals("mini-batches (batchSize = 2) need a heap Dataset; a RowSource is fitted full-batch (batchSize 0)",
                message(() -> LinearRegression.fit(source(), o)));
        try (SegmentDataset off = SegmentDataset.copyOf(DATA, Layout.ROW_MAJOR)) {
            assertEquals("mini-batches (batchSize = 2) need a heap Dataset; off-heap data is fitted full-batch (batchSize 0)",
                    message(() -> LinearRegression.fit(off, o)));
        }
        assertEquals("a regularization path is fitted full batch: batchSize must be 0 (got 2)",
                message(() -> LinearRegression.path(DATA, o)));
        // a batch of all the rows (or more) is full batch
        assertNotNull(LinearRegression.fit(DATA, new double[]{1, 1, 1, 1, 1, 2}, FitOptions.builder().batchSize(6).build()));
        assertNotNull(LinearRegression.fit(source(), FitOptions.builder().batchSize(6).build()));
    }

    @Test
    void sourcesThatCannotBeFitted() {
        RowSource empty = new RowSource() {
            public int cols() { return 2; }
            public long rows() { return 0; }
            public void moments(double[] c, double[] out) { }
            public void accumulate(double[] p, boolean t, GradientBuffer into) { }
        };
        assertEquals("the data has no rows: nothing to fit", message(() -> LinearRegression.fit(empty, FitOptions.defaults())));
        assertEquals("the data has no rows: nothing to fit",
                message(() -> LinearRegression.path(empty, FitOptions.defaults(), null)));
        RowSource negative = new RowSource() {
            public int cols() { return -1; }
            public long rows() { return 5; }
            public void moments(double[] c, double[] out) { }
            public void accumulate(double[] p, boolean t, GradientBuffer into) { }
        };
        assertEquals("the source reports -1 feature columns", message(() -> LinearRegression.fit(negative, FitOptions.defaults())));
        assertEquals("the source reports -1 feature columns",
                message(() -> LinearRegression.path(negative, FitOptions.defaults(), null)));
        RowSource plain = new RowSource() {
            final RowSource inner = source();
            public int cols() { return inner.cols(); }
            public long rows() { return inner.rows(); }
            public void moments(double[] c, double[] out) { inner.moments(c, out); }
            public void accumulate(double[] p, boolean t, GradientBuffer into) { inner.accumulate(p, t, into); }
        };
        assertTrue(message(() -> LinearRegression.fit(plain, FitOptions.builder().solver(Solver.NORMAL).build()))
                .startsWith("solver normal needs the Gram pass, which this RowSource ("), "names the class");
        RowSource weighted = ChunkedRowSource.of(List.of(DATA), List.of(new double[]{1, 1, 1, 1, 1, 2}));
        // ChunkedRowSource has the weighted Gram pass (issue 20), so weighted normal runs there
        assertTrue(LinearRegression.fit(weighted, FitOptions.builder().solver(Solver.NORMAL).build()).converged());
        assertEquals("a regularization path over a RowSource with sample weights is not supported; fit each λ₁ with"
                + " fit(RowSource, options.l1(λ₁)) instead", message(() -> LinearRegression.path(weighted,
                FitOptions.defaults(), null)));
    }

    @Test
    void extendedPrecisionOnlyWhereItApplies() {
        FitOptions ext = FitOptions.builder().solver(Solver.NORMAL).precision(Precision.EXTENDED).build();
        assertEquals("precision extended reads the rows with compensated kernels: it fits a Dataset or SegmentDataset,"
                + " not a RowSource (use precision standard here)", message(() -> LinearRegression.fit(source(), ext)));
        SufficientStatistics stats = SufficientStatistics.of(List.of(DATA));
        assertEquals("precision extended reads the rows with compensated kernels: it fits a Dataset or SegmentDataset,"
                + " not SufficientStatistics (use precision standard here)", message(() -> LinearRegression.fit(stats, ext)));
    }

    @Test
    void sufficientStatisticsNeedNormalAndRows() {
        assertEquals("the statistics hold no rows: nothing to fit",
                message(() -> LinearRegression.fit(new SufficientStatistics(2), FitOptions.defaults())));
        assertEquals("a fit from SufficientStatistics is exact and needs solver normal (got cg); the iterative solvers"
                + " read the rows on every iteration: fit a ChunkedRowSource over the chunks instead",
                message(() -> LinearRegression.fit(SufficientStatistics.of(List.of(DATA)),
                        FitOptions.builder().solver(Solver.CG).build())));
    }

    @Test
    void thePathsOwnChecks() {
        assertEquals("a regularization path is fitted by proximal steps: solver nesterov (FISTA, the default) or gd, not cg",
                message(() -> LinearRegression.path(DATA, FitOptions.builder().solver(Solver.CG).build())));
        assertEquals("no values of λ₁ given (null for the default grid)",
                message(() -> LinearRegression.path(DATA, FitOptions.defaults(), new double[0])));
        assertEquals("λ₁ number 1 is -1.0: must be finite and >= 0",
                message(() -> LinearRegression.path(DATA, FitOptions.defaults(), new double[]{1, -1})));
        assertEquals("λ₁ number 0 is NaN: must be finite and >= 0",
                message(() -> LinearRegression.path(DATA, FitOptions.defaults(), new double[]{Double.NaN})));
        assertEquals("λ₁ number 0 is Infinity: must be finite and >= 0",
                message(() -> LinearRegression.path(DATA, FitOptions.defaults(), new double[]{Double.POSITIVE_INFINITY})));
        RegularizationPath p = LinearRegression.path(DATA, FitOptions.builder().solver(Solver.GD).build(), new double[]{0});
        assertEquals("gd", p.fits().get(0).optimizer(), "gd when chosen");
        assertEquals("nesterov", LinearRegression.path(DATA, FitOptions.defaults(), new double[]{0}).fits().get(0)
                .optimizer(), "nesterov by default");
    }

    @Test
    void weightCountsMustMatchTheRows() {
        assertEquals("5 sample weights for 6 rows", message(() -> LinearRegression.fit(DATA, new double[5],
                FitOptions.defaults())));
        try (SegmentDataset off = SegmentDataset.copyOf(DATA, Layout.ROW_MAJOR);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            assertEquals("7 sample weights for 6 rows", message(() -> LinearRegression.fit(off, new double[7],
                    FitOptions.defaults())));
            dev.vecgd.kernel.SegmentVector three = dev.vecgd.kernel.SegmentVector.of(arena.allocate(8 * 3, 64));
            assertEquals("3 sample weights for 6 rows", message(() -> LinearRegression.fit(off, three,
                    FitOptions.defaults())));
            // more weights than rows: the first m are used
            java.lang.foreign.MemorySegment seven = arena.allocate(8 * 7, 64);
            for (int i = 0; i < 7; i++) seven.setAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, i, 1);
            FitResult r = LinearRegression.fit(off, dev.vecgd.kernel.SegmentVector.of(seven), FitOptions.defaults());
            FitResult plain = LinearRegression.fit(DATA, new double[]{1, 1, 1, 1, 1, 1}, FitOptions.defaults());
            assertArrayEquals(plain.coefficients(), r.coefficients(), 1e-9);
        }
    }
}
