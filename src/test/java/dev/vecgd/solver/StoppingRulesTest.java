package dev.vecgd.solver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link StoppingRules} on a hand-made standardization (two features, μ = (10, 0), σ = (2, 0.5), intercept), against
 * the formulas of its javadoc: S = √T(σ_y + ρ); F = 16ε√T(rms(y) + |b| + Σ|β_j| rms(x_j) + Gρ) with G = 1 + max|μ_j|s_j;
 * CONVERGED at ‖∇J‖ ≤ tol·S (boundary included), PRECISION_LIMIT after {@value StoppingRules#STALL_ITERATIONS}
 * iterations below F without a new smallest gradient, the loss-change rule from k = 1 with |ΔJ| ≤ ftol·J (boundary
 * included), and the numbers in the messages.
 */
class StoppingRulesTest {

    private static final double EPS = Math.ulp(1.0);
    private static final Standardization SCALING = Standardization.fromStats(new double[]{10, 0}, new double[]{2, 0.5},
            true, true);
    /** w = (1, −2, 3): kernel parameters β = (0.5, −4), b = 3 − 10·0.5 = −2. */
    private static final double[] W = {1, -2, 3};

    private static StoppingRules rules(double tol, double ftol) {
        return new StoppingRules(tol, ftol, SCALING.trace(), 2, 5, SCALING, 100);
    }

    @Test
    void theStandardizationBehindTheRules() {
        assertEquals(3, SCALING.trace(), 0, "two active columns and the intercept");
        assertEquals(6, SCALING.centeringGain(), 0, "1 + |10|·(1/2)");
        assertEquals(0.5 * Math.hypot(10, 2) + 4 * 0.5 + 2, SCALING.termMagnitude(W), 1e-15);
    }

    @Test
    void scaleAndRelativeGradient() {
        StoppingRules r = rules(1e-6, 0);
        assertEquals(Math.sqrt(3) * 2.5, r.scale(0.5), 1e-15);
        assertEquals(0.1 / (Math.sqrt(3) * 2.5), r.relativeGradient(0.1, 0.5), 1e-16);
        assertEquals(0, r.relativeGradient(0, 0), "a zero gradient is relative 0 even when S = 0 would give NaN");
    }

    @Test
    void floorFollowsTheDocumentedFormula() {
        StoppingRules r = rules(1e-6, 0);
        double rho = 0.75;
        double expected = 16 * EPS * Math.sqrt(3) * (5 + SCALING.termMagnitude(W) + 6 * rho);
        assertEquals(expected, r.floor(W, rho), 1e-12 * expected);
        assertEquals(StoppingRules.FLOOR_ULPS, 16);
        // the loss noise is about ρ·16ε(rms(y) + terms) (plus a second-order term) when ρ is far above the rounding
        double terms = 5 + SCALING.termMagnitude(W);
        assertEquals(rho * 16 * EPS * terms, r.lossNoise(W, rho), 1e-9 * rho * 16 * EPS * terms);
        assertTrue(r.lossNoise(W, 0) > 0, "second-order term when the residuals are 0");
    }

    @Test
    void convergedAtTheToleranceIncluded() {
        double rho = 0.5;
        StoppingRules r = rules(1e-6, 0);
        double limit = 1e-6 * r.scale(rho);
        assertTrue(r.gradientRule(limit, rho));
        assertFalse(r.gradientRule(Math.nextUp(limit), rho));
        assertEquals(StoppingRules.Verdict.CONVERGED, r.check(0, 1, limit, rho, W, true));
        assertEquals(StoppingRules.Verdict.CONTINUE, rules(1e-6, 0).check(0, 1, limit, rho, W, false),
                "a recurrence gradient (cg) never converges the fit");
        assertEquals(StoppingRules.Verdict.CONTINUE, rules(1e-6, 0).check(0, 1, Math.nextUp(limit), rho, W, true));
    }

    @Test
    void precisionLimitAfterStallingBelowTheFloor() {
        double rho = 0.5;
        StoppingRules r = rules(1e-20, 0); // tol·S ≈ 4e-20, far below F ≈ 1e-13
        double g = r.floor(W, rho) / 2;
        assertFalse(r.gradientRule(g, rho));
        assertTrue(r.belowFloor(g, rho, W));
        assertEquals(StoppingRules.Verdict.CONTINUE, r.check(0, 1, g, rho, W, true), "a new smallest gradient");
        for (int k = 1; k < StoppingRules.STALL_ITERATIONS; k++) {
            assertEquals(StoppingRules.Verdict.CONTINUE, r.check(k, 1, g, rho, W, true), "stall " + k);
        }
        assertEquals(StoppingRules.Verdict.PRECISION_LIMIT, r.check(20, 1, g, rho, W, true));
    }

    @Test
    void aNewSmallestGradientOrAStepAboveTheFloorRestartsTheStallCount() {
        double rho = 0.5;
        StoppingRules r = rules(1e-20, 0);
        double g = r.floor(W, rho) / 2;
        int k = 0;
        for (int i = 0; i < 15; i++) assertEquals(StoppingRules.Verdict.CONTINUE, r.check(k++, 1, g, rho, W, true));
        assertEquals(StoppingRules.Verdict.CONTINUE, r.check(k++, 1, g / 2, rho, W, true), "new minimum");
        for (int i = 0; i < 19; i++) assertEquals(StoppingRules.Verdict.CONTINUE, r.check(k++, 1, g, rho, W, true));
        assertEquals(StoppingRules.Verdict.CONTINUE, r.check(k++, 1, 2 * r.floor(W, rho), rho, W, true), "above F");
        // above the floor the reference is forgotten: g (larger than the old minimum g/2) is a new minimum again
        for (int i = 0; i < 20; i++) assertEquals(StoppingRules.Verdict.CONTINUE, r.check(k++, 1, g, rho, W, true));
        assertEquals(StoppingRules.Verdict.PRECISION_LIMIT, r.check(k, 1, g, rho, W, true));
    }

    @Test
    void noFloorWithAZeroToleranceOrARecurrenceGradient() {
        double rho = 0.5;
        StoppingRules zero = rules(0, 0);
        StoppingRules rec = rules(1e-20, 0);
        double g = zero.floor(W, rho) / 2;
        assertFalse(zero.belowFloor(g, rho, W));
        for (int k = 0; k < 50; k++) {
            assertEquals(StoppingRules.Verdict.CONTINUE, zero.check(k, 1, g, rho, W, true));
            assertEquals(StoppingRules.Verdict.CONTINUE, rec.check(k, 1, g, rho, W, false));
        }
        assertFalse(rules(1e-6, 0).belowFloor(g, rho, W), "below the floor but converged: not 'below the floor'");
        assertFalse(rules(1e-20, 0).belowFloor(2 * zero.floor(W, rho), rho, W));
    }

    @Test
    void lossChangeRuleFromTheSecondIterationWithItsBoundary() {
        double rho = 0.5;
        double g = 1; // far above tol·S and F
        StoppingRules r = rules(1e-6, 0.5);
        assertEquals(StoppingRules.Verdict.CONTINUE, r.check(0, 3, g, rho, W, true));
        assertEquals(StoppingRules.Verdict.LOSS_CHANGE, r.check(1, 2, g, rho, W, true), "|3 − 2| = 0.5·2");
        StoppingRules s = rules(1e-6, 0.5);
        assertEquals(StoppingRules.Verdict.CONTINUE, s.check(0, 3.5, g, rho, W, true));
        assertEquals(StoppingRules.Verdict.CONTINUE, s.check(1, 2, g, rho, W, true), "|3.5 − 2| > 0.5·2");
        StoppingRules off = rules(1e-6, 0);
        off.check(0, 2, g, rho, W, true);
        assertEquals(StoppingRules.Verdict.CONTINUE, off.check(1, 2, g, rho, W, true), "ftol = 0: off");
        StoppingRules rec = rules(1e-6, 0.5);
        rec.check(0, 3, g, rho, W, false);
        assertEquals(StoppingRules.Verdict.LOSS_CHANGE, rec.check(1, 2, g, rho, W, false), "also for cg's recurrence");
    }

    @Test
    void messagesNameTheirNumbers() {
        double rho = 0.5;
        StoppingRules r = rules(1e-6, 0.5);
        double s = Math.sqrt(3) * 2.5;
        assertEquals("converged after 7 iterations: ‖∇J‖ = 2.00000e-06 ≤ tol·S = 1.00000e-06·"
                + StoppingRules.fmt(s), r.message(StoppingRules.Verdict.CONVERGED, 7, 2e-6, rho, W));
        assertEquals("not converged: stalled after 4 iterations: relative loss change ≤ ftol = 0.500000 but ‖∇J‖/S = "
                + StoppingRules.fmt(1 / s) + " > tolerance 1.00000e-06 (the coefficients may be far from the optimum)",
                r.message(StoppingRules.Verdict.LOSS_CHANGE, 4, 1, rho, W));
        double g = 3e-14;
        String p = r.message(StoppingRules.Verdict.PRECISION_LIMIT, 9, g, rho, W);
        assertTrue(p.startsWith("not converged: stopped at the rounding floor after 9 iterations: ‖∇J‖/S = "
                + StoppingRules.fmt(g / s) + " > tolerance 1.00000e-06, but the gradient is below the rounding floor"
                + " of double precision (F/S = " + StoppingRules.fmt(r.floor(W, rho) / s) + ": "), p);
        assertTrue(p.contains("(a tolerance ≥ " + StoppingRules.fmt(2 * g / s) + " would have been met;"), p);
        assertThrows(IllegalArgumentException.class, () -> r.message(StoppingRules.Verdict.CONTINUE, 1, g, rho, W));
    }

    @Test
    void budget() {
        StoppingRules r = rules(1e-6, 0);
        assertFalse(r.outOfIterations(99));
        assertTrue(r.outOfIterations(100));
        assertEquals(1e-6, r.gradientTolerance());
    }
}
