package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link FitResult#passes()} of a weighted fit counts every read of X, as the unweighted fits do: on the heap and
 * off-heap the finiteness check and the two weighted statistics passes come before the solver's passes; a
 * weighted {@link RowSource} reads X once less (its moments pass checks the values itself).
 */
class WeightedPassCountTest {

    @Test
    void weightedFitsCountTheirPreparationReads() {
        double[] w = WeightedFitTest.integerWeights(5);
        Dataset heap = Dataset.of(WeightedFitTest.X, WeightedFitTest.Y);
        int half = heap.rows() / 2;
        double[] w1 = java.util.Arrays.copyOfRange(w, 0, half), w2 = java.util.Arrays.copyOfRange(w, half, w.length);
        ChunkedRowSource chunks = ChunkedRowSource.of(List.of(
                Dataset.of(java.util.Arrays.copyOfRange(WeightedFitTest.X, 0, half), java.util.Arrays.copyOfRange(WeightedFitTest.Y, 0, half)),
                Dataset.of(java.util.Arrays.copyOfRange(WeightedFitTest.X, half, w.length), java.util.Arrays.copyOfRange(WeightedFitTest.Y, half, w.length))),
                List.of(w1, w2));
        for (Solver s : List.of(Solver.GD, Solver.CG)) {
            // a fixed rate and an unreachable tolerance: the solver's own passes are the same everywhere
            FitOptions o = FitOptions.builder().solver(s).learningRate(0.05).maxIterations(7).gradientTolerance(0).build();
            FitResult h = LinearRegression.fit(heap, w, o);
            FitResult c = LinearRegression.fit(chunks, o);
            assertEquals(h.iterations(), c.iterations(), s + ": iterations");
            assertEquals(c.passes() + 1, h.passes(), s + ": the heap fit reads X once more than the RowSource (its finiteness check)");
            try (SegmentDataset off = SegmentDataset.copyOf(heap, Layout.ROW_MAJOR)) {
                assertEquals(h.passes(), LinearRegression.fit(off, w, o).passes(), s + ": off-heap = heap");
            }
        }
    }
}
