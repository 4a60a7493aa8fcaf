package dev.vecgd.solver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The builder's limits, exactly at each boundary, and that every setter returns the builder. */
class FitOptionsTest {

    @Test
    void boundariesAreAcceptedAndOneStepBeyondIsRejected() {
        FitOptions.Builder b = FitOptions.builder();
        assertSame(b, b.batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> b.batchSize(-1));
        assertSame(b, b.chunkRows(0));
        assertSame(b, b.chunkRows(1));
        assertThrows(IllegalArgumentException.class, () -> b.chunkRows(-1));
        assertSame(b, b.historyCapacity(2));
        assertThrows(IllegalArgumentException.class, () -> b.historyCapacity(1));
        assertSame(b, b.l2(0));
        assertThrows(IllegalArgumentException.class, () -> b.l2(-Double.MIN_VALUE));
        assertThrows(IllegalArgumentException.class, () -> b.l2(Double.POSITIVE_INFINITY));
        assertSame(b, b.threads(0));
        assertSame(b, b.threads(FitOptions.Builder.MAX_THREADS));
        assertThrows(IllegalArgumentException.class, () -> b.threads(FitOptions.Builder.MAX_THREADS + 1));
        assertThrows(IllegalArgumentException.class, () -> b.threads(-1));
        assertSame(b, b.maxIterations(0));
        assertSame(b, b.gradientTolerance(0));
        assertSame(b, b.lossChangeTolerance(0));
        assertSame(b, b.autoLearningRate());
        assertSame(b, b.optimizer(PlainGradientDescent::new));
        FitOptions o = b.batchSize(7).chunkRows(3).historyCapacity(2).l2(0).threads(FitOptions.Builder.MAX_THREADS).build();
        assertEquals(7, o.batchSize());
        assertEquals(3, o.chunkRows());
        assertEquals(2, o.historyCapacity());
        assertEquals(FitOptions.Builder.MAX_THREADS, o.threads());
        assertTrue(o.autoLearningRate());
        assertEquals("gd", o.newOptimizer().name());
    }

    /** noImprovement(epochs ≥ 1, 0 ≤ tolerance < 1): both lower limits are accepted and kept, one step below is not. */
    @Test
    void noImprovementLimitsAtTheirBoundaries() {
        FitOptions o = FitOptions.builder().noImprovement(1, 0).build();
        assertEquals(1, o.noImprovementEpochs());
        assertEquals(0.0, o.noImprovementTolerance());
        FitOptions near = FitOptions.builder().noImprovement(2, Math.nextDown(1.0)).build();
        assertEquals(Math.nextDown(1.0), near.noImprovementTolerance());
        assertEquals("noImprovement epochs must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> FitOptions.builder().noImprovement(0, 0.1)).getMessage());
        assertEquals("noImprovement tolerance must be in [0, 1), got -4.9E-324", assertThrows(IllegalArgumentException.class,
                () -> FitOptions.builder().noImprovement(1, -Double.MIN_VALUE)).getMessage());
        assertEquals("noImprovement tolerance must be in [0, 1), got 1.0", assertThrows(IllegalArgumentException.class,
                () -> FitOptions.builder().noImprovement(1, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().noImprovement(1, Double.NaN));
    }
}
