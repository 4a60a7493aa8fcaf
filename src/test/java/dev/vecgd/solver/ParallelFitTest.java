package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code FitOptions.threads}: fits are bit-identical for 1, 2 and 3 threads; the option is validated. */
class ParallelFitTest {

    @Test
    void fitIsBitIdenticalForOneTwoThreeThreads() {
        Dataset data = TestProblems.synthetic(1237, 7, 0.5, 99);
        FitResult first = null;
        for (int threads : new int[]{1, 2, 3, 2, 1}) {
            FitResult r = LinearRegression.fit(data, FitOptions.builder().threads(threads).chunkRows(97)
                    .gradientTolerance(1e-13).build());
            assertTrue(r.converged(), r.message());
            if (first == null) {
                first = r;
                assertEquals(TestProblems.trueTheta(7)[0], r.coefficient(0), 0.05);
            } else {
                assertArrayEquals(first.coefficients(), r.coefficients(), 0.0, "threads=" + threads);
                assertEquals(Double.doubleToRawLongBits(first.intercept()), Double.doubleToRawLongBits(r.intercept()));
                assertEquals(first.iterations(), r.iterations());
                assertEquals(Double.doubleToRawLongBits(first.loss()), Double.doubleToRawLongBits(r.loss()));
            }
        }
    }

    @Test
    void sourceMatchesTheChunkedSumToRounding() {
        Dataset data = TestProblems.synthetic(500, 4, 0.5, 7);
        double[] p = {0.1, -0.2, 0.3, 0.4, 1.5};
        GradientBuffer a = new GradientBuffer(4);
        GradientBuffer b = new GradientBuffer(4);
        new ChunkedGradientSource(data, 33).accumulate(p, a);
        try (ParallelGradientSource s = new ParallelGradientSource(data, 33, 2)) {
            assertEquals(2, s.threads());
            assertEquals(500, s.rows());
            s.accumulate(p, b);
        }
        assertEquals(a.rows(), b.rows());
        assertEquals(a.sumSquares(), b.sumSquares(), 1e-12 * a.sumSquares());
        for (int j = 0; j <= 4; j++) assertEquals(a.sum(j), b.sum(j), 1e-11 * (1 + Math.abs(a.sum(j))));
    }

    @Test
    void threadsOptionIsValidated() {
        assertEquals(0, FitOptions.defaults().threads());
        assertEquals(3, FitOptions.builder().threads(3).build().threads());
        assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().threads(-1));
        assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().threads(FitOptions.Builder.MAX_THREADS + 1));
        Dataset data = TestProblems.synthetic(10, 2, 0.5, 1);
        assertThrows(IllegalArgumentException.class, () -> new ParallelGradientSource(data, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().chunkRows(-1));
        assertEquals(0, FitOptions.defaults().chunkRows());
        assertEquals(16384, dev.vecgd.kernel.ParallelKernels.defaultChunkRows(16));
        assertEquals(2048, dev.vecgd.kernel.ParallelKernels.defaultChunkRows(1000));
        assertThrows(IllegalArgumentException.class, () -> new ParallelGradientSource(data, 1, -1));
    }
}
