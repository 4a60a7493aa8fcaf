package dev.vecgd.solver;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link IterationMonitor}'s bookkeeping and decisions, in their documented order, on made-up iterations: the
 * history, the best point (strictly lower loss only), the listener's arguments and answer, divergence (returning the
 * best point's iteration in the message), the stopping rules' verdicts with the method's name, and the budget
 * (MAX_ITERATIONS naming maxIterations or the solver's own budget; PRECISION_LIMIT at the budget below the floor, for
 * a true gradient only).
 */
class IterationMonitorTest {

    private static final Standardization SCALING = Standardization.fromStats(new double[]{10, 0}, new double[]{2, 0.5},
            true, true);

    private static StoppingRules rules(FitOptions o) {
        return new StoppingRules(o.gradientTolerance(), o.lossChangeTolerance(), SCALING.trace(), 2, 5, SCALING,
                o.maxIterations());
    }

    private static IterationMonitor monitor(FitOptions o, int budget) {
        return new IterationMonitor(o, rules(o), 10, 3, budget, "cg");
    }

    @Test
    void keepsTheBestPointOfStrictlyLowerLoss() {
        FitOptions o = FitOptions.builder().maxIterations(100).build();
        IterationMonitor mon = monitor(o, 100);
        assertFalse(mon.stop(0, 5, 1, 0.5, new double[]{1, 1, 1}, 7, true));
        assertFalse(mon.stop(1, 3, 0.8, 0.5, new double[]{2, 2, 2}, 6, true));
        assertFalse(mon.stop(2, 3, 0.7, 0.5, new double[]{3, 3, 3}, 5, true));
        assertFalse(mon.stop(3, 4, 0.6, 0.5, new double[]{4, 4, 4}, 4, true));
        assertArrayEquals(new double[]{2, 2, 2}, mon.best);
        assertEquals(3, mon.bestLoss);
        assertEquals(0.8, mon.bestGrad);
        assertEquals(6, mon.bestSsr);
        assertEquals(1, mon.bestK);
        assertArrayEquals(new int[]{0, 1, 2, 3}, mon.history().iterations());
        assertArrayEquals(new double[]{5, 3, 3, 4}, mon.history().losses());
        assertArrayEquals(new double[]{1, 0.8, 0.7, 0.6}, mon.history().gradientNorms());
        assertNull(mon.reason);
    }

    @Test
    void theListenerSeesEveryIterationAndCanStopTheFit() {
        List<double[]> seen = new ArrayList<>();
        FitOptions o = FitOptions.builder().maxIterations(100).listener((k, loss, g) -> {
            seen.add(new double[]{k, loss, g});
            return k < 2;
        }).build();
        IterationMonitor mon = monitor(o, 100);
        assertFalse(mon.stop(0, 5, 1, 0.5, new double[3], 1, true));
        assertFalse(mon.stop(1, 4, 0.9, 0.5, new double[3], 1, true));
        assertTrue(mon.stop(2, 3, 0.8, 0.5, new double[3], 1, true));
        assertEquals(StopReason.STOPPED_BY_CALLBACK, mon.reason);
        assertEquals("stopped by the listener at iteration 2", mon.message);
        assertEquals(3, seen.size());
        assertArrayEquals(new double[]{2, 3, 0.8}, seen.get(2));
    }

    @Test
    void divergenceComesFirstAndNamesTheBestIteration() {
        FitOptions o = FitOptions.builder().maxIterations(100).listener((k, loss, g) -> false).build();
        IterationMonitor mon = monitor(o, 100);
        // a listener that stops at once: divergence is still reported first
        IterationMonitor nan = new IterationMonitor(o, rules(o), 10, 3, 100, "cg");
        assertTrue(nan.stop(0, Double.NaN, 1, 0.5, new double[3], 1, true));
        assertEquals(StopReason.DIVERGED, nan.reason);
        assertTrue(mon.stop(0, Double.POSITIVE_INFINITY, 1, 0.5, new double[3], 1, true));
        assertEquals(StopReason.DIVERGED, mon.reason);
        assertEquals("diverged: the loss became Infinity at iteration 0 (cg, a numerical failure: the data may be too"
                + " ill-conditioned for double precision). Returned the parameters of the lowest loss seen (iteration 0).",
                mon.message);
        FitOptions quiet = FitOptions.builder().maxIterations(100).build();
        IterationMonitor later = monitor(quiet, 100);
        assertFalse(later.stop(0, 9, 1, 0.5, new double[]{1, 2, 3}, 1, true));
        assertFalse(later.stop(1, 8, 1, 0.5, new double[]{4, 5, 6}, 1, true));
        assertTrue(later.stop(2, 1e8, 1, 0.5, new double[]{7, 8, 9}, 1, true), "1e8 > 1e6·J(θ₀) = 1e7");
        assertEquals(StopReason.DIVERGED, later.reason);
        assertTrue(later.message.endsWith("(iteration 1)."), later.message);
        assertArrayEquals(new double[]{4, 5, 6}, later.best);
    }

    @Test
    void theRulesVerdictNamesTheMethod() {
        FitOptions o = FitOptions.builder().maxIterations(100).gradientTolerance(1e-6).build();
        IterationMonitor mon = monitor(o, 100);
        assertTrue(mon.stop(4, 1, 0, 0.5, new double[3], 1, true));
        assertEquals(StopReason.CONVERGED, mon.reason);
        assertTrue(mon.message.startsWith("converged after 4 iterations: ‖∇J‖ = 0.00000 ≤ tol·S"), mon.message);
        assertTrue(mon.message.endsWith(" (cg)"), mon.message);
        FitOptions f = FitOptions.builder().maxIterations(100).lossChangeTolerance(0.5).build();
        IterationMonitor stalled = monitor(f, 100);
        assertFalse(stalled.stop(0, 3, 1, 0.5, new double[3], 1, true));
        assertTrue(stalled.stop(1, 2, 1, 0.5, new double[3], 1, true));
        assertEquals(StopReason.STALLED, stalled.reason);
        assertTrue(stalled.message.startsWith("not converged: stalled after 1 iterations"), stalled.message);
    }

    @Test
    void theBudgetEndsTheFitAtItsLastIteration() {
        FitOptions o = FitOptions.builder().maxIterations(5).gradientTolerance(1e-6).build();
        IterationMonitor mon = monitor(o, 5);
        for (int k = 0; k < 5; k++) assertFalse(mon.stop(k, 10 - k, 1, 0.5, new double[3], 1, true), "k = " + k);
        assertTrue(mon.stop(5, 5, 1, 0.5, new double[3], 1, true));
        assertEquals(StopReason.MAX_ITERATIONS, mon.reason);
        assertEquals("not converged: cg reached maxIterations = 5 with ‖∇J‖/S = "
                + StoppingRules.fmt(1 / (Math.sqrt(3) * 2.5)) + " > tolerance 1.00000e-06", mon.message);
        IterationMonitor own = monitor(o, 3);
        for (int k = 0; k < 3; k++) assertFalse(own.stop(k, 10 - k, 1, 0.5, new double[3], 1, true));
        assertTrue(own.stop(3, 5, 1, 0.5, new double[3], 1, true));
        assertEquals(StopReason.MAX_ITERATIONS, own.reason);
        assertTrue(own.message.startsWith("not converged: cg reached its budget of 3 iterations with"), own.message);
    }

    @Test
    void theBudgetBelowTheFloorIsAPrecisionLimitForATrueGradientOnly() {
        FitOptions o = FitOptions.builder().maxIterations(2).gradientTolerance(1e-20).build();
        double g = rules(o).floor(new double[3], 0.5) / 2;
        IterationMonitor mon = monitor(o, 2);
        assertFalse(mon.stop(0, 3, 2 * g, 0.5, new double[3], 1, true));
        assertFalse(mon.stop(1, 2, 2 * g, 0.5, new double[3], 1, true));
        assertTrue(mon.stop(2, 1, g, 0.5, new double[3], 1, true));
        assertEquals(StopReason.PRECISION_LIMIT, mon.reason);
        assertTrue(mon.message.startsWith("not converged: cg reached maxIterations = 2: ‖∇J‖/S = "), mon.message);
        IterationMonitor rec = monitor(o, 1);
        assertFalse(rec.stop(0, 3, g, 0.5, new double[3], 1, false));
        assertTrue(rec.stop(1, 2, g, 0.5, new double[3], 1, false));
        assertEquals(StopReason.MAX_ITERATIONS, rec.reason, "a recurrence gradient proves nothing about the floor");
        assertTrue(rec.message.startsWith("not converged: cg reached its budget of 1 iterations"), rec.message);
    }

    @Test
    void forceSetsTheReasonAndMessage() {
        IterationMonitor mon = monitor(FitOptions.defaults(), 10);
        mon.force(StopReason.STALLED, "why");
        assertEquals(StopReason.STALLED, mon.reason);
        assertEquals("why", mon.message);
    }
}
