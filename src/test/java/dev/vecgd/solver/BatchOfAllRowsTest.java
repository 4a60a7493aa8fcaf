package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A mini-batch size of m (all rows) is a full-batch fit ({@link FitOptions.Builder#batchSize}: mini-batches are
 * {@code 0 < batchSize < m}): on every entry point that takes one, batchSize = m gives the same fit, bit for bit, as
 * batchSize = 0, and the full-batch-only solvers (cg, normal) and storages (off-heap, RowSource, weighted off-heap)
 * accept it; batchSize = m − 1 is a mini-batch (refused where mini-batches are not supported).
 */
class BatchOfAllRowsTest {

    private static final Dataset DATA = TestProblems.synthetic(120, 3, 0.1, 12);
    private static final int M = DATA.rows();

    private static double[] weights() {
        double[] w = new double[M];
        for (int i = 0; i < M; i++) w[i] = 0.5 + i % 4;
        return w;
    }

    private static void assertSameFit(FitResult want, FitResult got, String what) {
        assertArrayEquals(want.coefficients(), got.coefficients(), 0, what);
        assertEquals(want.intercept(), got.intercept(), 0, what);
        assertEquals(want.iterations(), got.iterations(), what);
        assertEquals(want.stopReason(), got.stopReason(), what);
    }

    /** The fit with batchSize b, on the given entry point. */
    private static void sameAsFullBatch(String what, Solver s, Function<FitOptions, FitResult> fit) {
        FitOptions.Builder b = FitOptions.builder().solver(s).maxIterations(50);
        FitResult full = fit.apply(b.batchSize(0).build());
        FitResult all = fit.apply(b.batchSize(M).build());
        assertSameFit(full, all, what + ", " + s.id() + ": batchSize = m is full batch");
    }

    @Test
    void batchSizeMIsFullBatchOnEveryEntryPoint() {
        for (Solver s : Solver.values()) {
            sameAsFullBatch("heap", s, o -> LinearRegression.fit(DATA, o));
            sameAsFullBatch("heap weighted", s, o -> LinearRegression.fit(DATA, weights(), o));
            sameAsFullBatch("RowSource", s, o -> LinearRegression.fit(ChunkedRowSource.of(List.of(DATA)), o));
            for (Layout layout : Layout.values()) {
                try (SegmentDataset off = SegmentDataset.copyOf(DATA, layout)) {
                    sameAsFullBatch("off-heap " + layout, s, o -> LinearRegression.fit(off, o));
                    sameAsFullBatch("off-heap weighted " + layout, s, o -> LinearRegression.fit(off, weights(), o));
                }
            }
        }
    }

    @Test
    void batchSizeMMinusOneIsAMiniBatch() {
        FitOptions mini = FitOptions.builder().solver(Solver.GD).batchSize(M - 1).maxIterations(3).build();
        assertNotEquals(LinearRegression.fit(DATA, mini.toBuilder().batchSize(0).build()).coefficient(0),
                LinearRegression.fit(DATA, mini).coefficient(0), "a mini-batch fit is not the full-batch fit");
        assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(DATA,
                mini.toBuilder().solver(Solver.CG).build()), "cg is full batch");
        try (SegmentDataset off = SegmentDataset.copyOf(DATA, Layout.ROW_MAJOR)) {
            assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(off, mini), "off-heap");
            assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(off, weights(), mini),
                    "off-heap weighted");
        }
        assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(ChunkedRowSource.of(List.of(DATA)),
                mini), "RowSource");
    }
}
