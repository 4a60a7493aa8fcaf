package dev.vecgd.solver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The update rules of {@link PlainGradientDescent}, {@link HeavyBallMomentum} and {@link NesterovMomentum}, step by
 * step against their javadoc formulas computed by hand here (two or three steps on made-up gradients), including the
 * restart tests at their exact boundary (a gradient orthogonal to the velocity: no restart), the β cap of the heavy
 * ball (its velocity under a constant gradient tends to −α g/(1 − β_max)), the reset and the resizing of the state.
 */
class OptimizerStepTest {

    private static final double PHI = (1 + Math.sqrt(5)) / 2;

    /** t_{k+1} = (1 + √(1 + 4 t_k²)) / 2. */
    private static double next(double t) {
        return (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    }

    @Test
    void plainGradientDescentSubtractsAlphaTimesTheGradient() {
        double[] p = {1, -2, 3};
        new PlainGradientDescent().step(p, new double[]{0.5, 0.25, -1, 99}, 0.1);
        assertArrayEquals(new double[]{1 - 0.05, -2 - 0.025, 3 + 0.1}, p, 0);
        assertEquals("gd", new PlainGradientDescent().name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PlainGradientDescent().step(new double[3], new double[2], 0.1));
        assertEquals("gradient has 2 values, params 3", e.getMessage());
    }

    @Test
    void heavyBallFirstStepsFollowTheFormula() {
        HeavyBallMomentum hb = new HeavyBallMomentum();
        assertEquals("momentum", hb.name());
        double alpha = 0.1;
        double[] p = {1, 2};
        // step 1: v = 0, t = 1, β = 0: v1 = −α g1
        double[] g1 = {1, -2};
        hb.step(p, g1, alpha);
        double[] v1 = {-0.1, 0.2};
        assertArrayEquals(new double[]{1 + v1[0], 2 + v1[1]}, p, 1e-15);
        // step 2: g2·v1 = −0.1·3 − 0.2·... < 0: no restart, t = φ, β = (φ − 1)/t(φ)
        double[] g2 = {3, 1};
        double[] before = p.clone();
        hb.step(p, g2, alpha);
        double beta2 = (PHI - 1) / next(PHI);
        double[] v2 = {beta2 * v1[0] - alpha * g2[0], beta2 * v1[1] - alpha * g2[1]};
        assertArrayEquals(new double[]{before[0] + v2[0], before[1] + v2[1]}, p, 1e-15);
        // step 3: β grows to (t₂ − 1)/t₃
        double[] g3 = {1, 0};
        before = p.clone();
        hb.step(p, g3, alpha);
        double t2 = next(PHI);
        double beta3 = (t2 - 1) / next(t2);
        assertTrue(g3[0] * v2[0] + g3[1] * v2[1] < 0, "no restart in this step");
        double[] v3 = {beta3 * v2[0] - alpha * g3[0], beta3 * v2[1] - alpha * g3[1]};
        assertArrayEquals(new double[]{before[0] + v3[0], before[1] + v3[1]}, p, 1e-15);
    }

    @Test
    void heavyBallRestartsOnlyWhenTheVelocityPointsUphill() {
        double alpha = 0.5;
        // gradient orthogonal to the velocity (g·v = 0 exactly): no restart, β = (φ − 1)/t(φ) > 0
        HeavyBallMomentum hb = new HeavyBallMomentum();
        double[] p = {0, 0};
        hb.step(p, new double[]{1, 0}, alpha); // v1 = (−0.5, 0)
        hb.step(p, new double[]{0, 1}, alpha); // g·v1 = 0
        double beta2 = (PHI - 1) / next(PHI);
        assertArrayEquals(new double[]{-0.5 + beta2 * -0.5, -0.5}, p, 1e-15);
        // gradient along the velocity (g·v > 0): restart, t = 1, β = 0
        HeavyBallMomentum up = new HeavyBallMomentum();
        double[] q = {0, 0};
        up.step(q, new double[]{1, 0}, alpha); // v1 = (−0.5, 0)
        up.step(q, new double[]{-1, 0}, alpha); // g·v1 = 0.5 > 0: v2 = 0·v1 + 0.5
        assertArrayEquals(new double[]{0, 0}, q, 1e-15);
    }

    @Test
    void heavyBallMomentumIsCappedAtBetaMax() {
        // with a constant gradient the velocity never points uphill: β_k → 1 without the cap (and v grows without
        // bound), β_k = β_max = 0.99 with it, so v → −α g/(1 − β_max) = −100 α g
        HeavyBallMomentum hb = new HeavyBallMomentum();
        double[] p = {0};
        double[] g = {1};
        double alpha = 1e-3;
        double last = 0;
        for (int k = 0; k < 5000; k++) {
            last = p[0];
            hb.step(p, g, alpha);
        }
        double v = p[0] - last;
        assertEquals(-alpha / (1 - HeavyBallMomentum.BETA_MAX), v, 1e-6 * alpha / (1 - HeavyBallMomentum.BETA_MAX));
    }

    /** Three steps of {@code o} from p on the gradients g1, g2, g3; returns p after each step. */
    private static double[][] threeSteps(Optimizer o, double[] p) {
        double[][] gs = {{1, 2}, {0.5, 1}, {-2, 1}};
        double[][] out = new double[3][];
        for (int s = 0; s < 3; s++) {
            o.step(p, gs[s], 0.1);
            out[s] = p.clone();
        }
        return out;
    }

    @Test
    void heavyBallAfterResetBehavesLikeANewOptimizer() {
        HeavyBallMomentum hb = new HeavyBallMomentum();
        double[] p = {0, 0};
        for (int k = 0; k < 4; k++) hb.step(p, new double[]{1, 1}, 0.1);
        hb.reset();
        double[][] again = threeSteps(hb, new double[]{5, 5});
        double[][] fresh = threeSteps(new HeavyBallMomentum(), new double[]{5, 5});
        for (int s = 0; s < 3; s++) assertArrayEquals(fresh[s], again[s], 0, "step " + s);
        // another size: a fresh zero velocity of that size (no momentum from the old one)
        double[] r = {1, 1, 1};
        hb.step(r, new double[]{1, 0, -1}, 0.1);
        assertArrayEquals(new double[]{0.9, 1, 1.1}, r, 1e-15);
    }

    @Test
    void nesterovFirstStepsFollowTheFormula() {
        NesterovMomentum nag = new NesterovMomentum();
        assertEquals("nesterov", nag.name());
        double alpha = 0.1;
        double[] y = {1, 2};
        // step 1: x1 = y0 − α g, x0 = y0, β = 0: y1 = x1
        double[] g1 = {1, -2};
        nag.step(y, g1, alpha);
        double[] x1 = {0.9, 2.2};
        assertArrayEquals(x1, y, 1e-15);
        // step 2: x2 = y1 − α g2; g2·(x2 − x1) = −α|g2|² < 0: no restart; y2 = x2 + β(x2 − x1), β = (φ − 1)/t(φ)
        double[] g2 = {3, 1};
        nag.step(y, g2, alpha);
        double[] x2 = {x1[0] - 0.3, x1[1] - 0.1};
        double beta2 = (PHI - 1) / next(PHI);
        double[] y2 = {x2[0] + beta2 * (x2[0] - x1[0]), x2[1] + beta2 * (x2[1] - x1[1])};
        assertArrayEquals(y2, y, 1e-15);
        // step 3: x3 = y2 − α g3, β = (t₂ − 1)/t₃
        double[] g3 = {-1, 0.5};
        nag.step(y, g3, alpha);
        double[] x3 = {y2[0] + 0.1, y2[1] - 0.05};
        assertTrue(g3[0] * (x3[0] - x2[0]) + g3[1] * (x3[1] - x2[1]) < 0, "no restart in this step");
        double t2 = next(PHI);
        double beta3 = (t2 - 1) / next(t2);
        assertArrayEquals(new double[]{x3[0] + beta3 * (x3[0] - x2[0]), x3[1] + beta3 * (x3[1] - x2[1])}, y, 1e-15);
    }

    @Test
    void nesterovDoesNotRestartOnAZeroGradient() {
        // step 2 with ∇J = 0 (g·(x2 − x1) = 0 exactly): no restart, so t keeps growing and step 3 uses
        // β = (t₂ − 1)/t₃ with t₂ = t(φ); a restart would have used (φ − 1)/t(φ)
        NesterovMomentum nag = new NesterovMomentum();
        double alpha = 0.5;
        double[] y = {0};
        nag.step(y, new double[]{1}, alpha); // x1 = y1 = −0.5
        nag.step(y, new double[]{0}, alpha); // x2 = x1: y2 = x2
        assertArrayEquals(new double[]{-0.5}, y, 0);
        nag.step(y, new double[]{1}, alpha); // x3 = −1, g·(x3 − x2) = −0.5 < 0
        double t2 = next(PHI);
        double beta3 = (t2 - 1) / next(t2);
        assertEquals(-1 + beta3 * -0.5, y[0], 1e-15);
    }

    @Test
    void nesterovRestartsWhenTheStepGoesUphill() {
        NesterovMomentum nag = new NesterovMomentum();
        double alpha = 0.5;
        double[] y = {0};
        nag.step(y, new double[]{1}, alpha); // x1 = −0.5
        nag.step(y, new double[]{1}, alpha); // x2 = −1, y2 = −1 + β2·(−0.5)
        double beta2 = (PHI - 1) / next(PHI);
        double y2 = -1 - 0.5 * beta2;
        assertEquals(y2, y[0], 1e-15);
        // g = −0.1: x3 = y2 + 0.05, x3 − x2 = 0.05 − 0.5 β2 < 0 (β2 ≈ 0.28), g·(x3 − x2) > 0: restart, β = (1 − 1)/φ = 0
        nag.step(y, new double[]{-0.1}, alpha);
        assertEquals(y2 + 0.05, y[0], 1e-15);
    }

    @Test
    void nesterovAfterResetBehavesLikeANewOptimizer() {
        NesterovMomentum nag = new NesterovMomentum();
        double[] y = {0, 0};
        for (int k = 0; k < 4; k++) nag.step(y, new double[]{1, 1}, 0.1);
        nag.reset();
        double[][] again = threeSteps(nag, new double[]{5, 5});
        double[][] fresh = threeSteps(new NesterovMomentum(), new double[]{5, 5});
        for (int s = 0; s < 3; s++) assertArrayEquals(fresh[s], again[s], 0, "step " + s);
        // another size: x_prev = the new point, t = 1, β = 0 (a plain step)
        double[] r = {1, 1, 1};
        nag.step(r, new double[]{1, 0, -1}, 0.1);
        assertArrayEquals(new double[]{0.9, 1, 1.1}, r, 1e-15);
    }
}
