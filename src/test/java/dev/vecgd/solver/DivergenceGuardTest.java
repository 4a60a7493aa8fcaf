package dev.vecgd.solver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link DivergenceGuard}'s decisions on constructed loss sequences, rule by rule and at each rule's boundary: a
 * non-finite loss, growth past 10⁶·J(θ₀) (J(θ₀) = 0 replaced by the smallest normal), {@value DivergenceGuard#MAX_RISES}
 * rises in a row (a rise is strictly above J_{k−1}(1 + ρ) + η; a fall resets the count), and in mini-batch mode only
 * rises above J(θ₀) count. The reasons name the iteration and the numbers.
 */
class DivergenceGuardTest {

    /** Feeds losses[k] at iteration k; returns the first k the guard reports, or −1. */
    private static int firstDivergence(DivergenceGuard g, double noise, double... losses) {
        for (int k = 0; k < losses.length; k++) {
            if (g.diverged(k, losses[k], noise)) return k;
        }
        return -1;
    }

    @Test
    void aNonFiniteLossDivergesAtOnce() {
        DivergenceGuard g = new DivergenceGuard(1, 1e-9);
        assertFalse(g.diverged(0, 1));
        assertNull(g.reason());
        assertTrue(g.diverged(1, Double.NaN));
        assertEquals("the loss became NaN at iteration 1", g.reason());
        DivergenceGuard h = new DivergenceGuard(1, 1e-9);
        assertTrue(h.diverged(7, Double.POSITIVE_INFINITY));
        assertEquals("the loss became Infinity at iteration 7", h.reason());
    }

    @Test
    void growthPastAMillionTimesTheStartDiverges() {
        DivergenceGuard g = new DivergenceGuard(2, 1e-9);
        assertFalse(g.diverged(0, 2e6), "exactly 1e6·J(θ₀) is not growth past it");
        DivergenceGuard h = new DivergenceGuard(2, 1e-9);
        assertTrue(h.diverged(0, Math.nextUp(2e6)));
        assertEquals("the loss grew to 2.00000e+06 > 1e6·J(θ₀) = 1e6·2.00000 at iteration 0", h.reason());
    }

    @Test
    void aZeroStartingLossIsReplacedByTheSmallestNormal() {
        DivergenceGuard g = new DivergenceGuard(0, 1e-9);
        assertFalse(g.diverged(0, 0));
        assertFalse(g.diverged(1, 1e6 * Double.MIN_NORMAL));
        assertTrue(g.diverged(2, 1e-300));
        assertEquals("the loss grew to 1.00000e-300 > 1e6·J(θ₀) = 1e6·2.22507e-308 at iteration 2", g.reason());
    }

    @Test
    void fiveRisesInARowDivergeAtTheFifth() {
        DivergenceGuard g = new DivergenceGuard(1, 1e-9);
        assertEquals(5, firstDivergence(g, 0, 1, 2, 3, 4, 5, 6, 7));
        assertEquals("the loss rose 5 times in a row (to 6.00000 at iteration 5)", g.reason());
        assertEquals(5, DivergenceGuard.MAX_RISES);
    }

    @Test
    void aFallResetsTheCount() {
        // four rises, a fall, then five rises: divergence at the fifth rise after the fall (k = 10), not before
        DivergenceGuard g = new DivergenceGuard(1, 1e-9);
        assertEquals(10, firstDivergence(g, 0, 1, 2, 3, 4, 5, 4.5, 5, 6, 7, 8, 9));
    }

    @Test
    void aRiseMustExceedTheToleranceStrictly() {
        // ρ = 0.5: growth by exactly 1.5 per step (exact in binary) is never a rise; by 1.5 + 2⁻²⁰ it is
        DivergenceGuard exact = new DivergenceGuard(1, 0.5);
        assertEquals(-1, firstDivergence(exact, 0, 1, 1.5, 2.25, 3.375, 5.0625, 7.59375, 11.390625));
        DivergenceGuard above = new DivergenceGuard(1, 0.5);
        double[] l = new double[7];
        l[0] = 1;
        for (int k = 1; k < l.length; k++) l[k] = l[k - 1] * (1.5 + 0x1p-20);
        assertEquals(5, firstDivergence(above, 0, l));
    }

    @Test
    void aDecreasingLossNeverCountsWhateverTheTolerance() {
        DivergenceGuard g = new DivergenceGuard(1, 0.5);
        assertEquals(-1, firstDivergence(g, 0, 1, 0.9, 0.8, 0.7, 0.6, 0.55, 0.52, 0.51));
    }

    @Test
    void risesWithinTheRoundingNoiseDoNotCount() {
        double[] losses = {10, 10.5, 11, 11.5, 12, 12.5, 13};
        assertEquals(-1, firstDivergence(new DivergenceGuard(10, 1e-9), 0.5, losses), "rises of 0.5 = η: noise");
        assertEquals(5, firstDivergence(new DivergenceGuard(10, 1e-9), 0.4, losses), "rises of 0.5 > η = 0.4");
        assertEquals(5, firstDivergence(new DivergenceGuard(10, 1e-9), 0, losses));
    }

    @Test
    void miniBatchModeCountsOnlyRisesAboveTheStart() {
        // J(θ₀) = 10: rises below it (1 → 9) are noise; rises above it count, and exactly 10 does not
        DivergenceGuard g = new DivergenceGuard(10, 0.01, true);
        assertEquals(-1, firstDivergence(g, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        DivergenceGuard h = new DivergenceGuard(10, 0.01, true);
        assertEquals(5, firstDivergence(h, 0, 1, 11, 12, 13, 14, 15));
        DivergenceGuard atStart = new DivergenceGuard(10, 0.01, true);
        assertEquals(-1, firstDivergence(atStart, 0, 1, 10, 11, 12, 13, 14), "the rise to exactly J(θ₀) does not count");
        DivergenceGuard full = new DivergenceGuard(10, 0.01, false);
        assertEquals(5, firstDivergence(full, 0, 1, 2, 3, 4, 5, 6, 7));
        // the 10⁶ growth rule still uses J(θ₀) (not the smallest normal) in mini-batch mode
        DivergenceGuard big = new DivergenceGuard(10, 0.5, true);
        assertFalse(big.diverged(0, 1e7));
        assertTrue(big.diverged(1, 2e7));
    }
}
