package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Diagnostics#compute} against closed forms on one feature (so every formula is a line of algebra): the simple
 * regression's standard errors σ̂/√Sxx and σ̂·√(1/m + x̄²/Sxx), the ridge sandwich (one standardized feature:
 * H = diag(1 + λ, 1), so SE(β) shrinks by 1/(1 + λ) and κ = 1 + λ), the degrees of freedom m − p, and the edge cases:
 * no parameter at all, no degree of freedom left, a singular H (κ = ∞, no standard errors), a negative Σr².
 */
class DiagnosticsFormulaTest {

    /** x = 1..8 (x̄ = 4.5, Sxx = 42), any y: only ssr enters. */
    private static Dataset data(boolean intercept) {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] y = {2, 1, 4, 3, 6, 5, 8, 9};
        return Dataset.rowMajor(x, 8, 1, y);
    }

    private static GramMatrix gram(Dataset d, Standardization s, boolean intercept) {
        return GramMatrix.accumulate(d, s, intercept, intercept ? TargetStats.of(d).mean() : 0);
    }

    @Test
    void simpleRegressionStandardErrors() {
        Dataset d = data(true);
        Standardization s = Standardization.compute(d, true, true);
        double ssr = 3.5;
        Diagnostics g = Diagnostics.compute(gram(d, s, true), 0, ssr, 8, s);
        double sigma = Math.sqrt(ssr / (8 - 2));
        assertEquals(sigma, g.residualStd(), 1e-15);
        assertEquals(sigma / Math.sqrt(42), g.standardErrors()[0], 1e-14 * sigma);
        assertEquals(sigma * Math.sqrt(1.0 / 8 + 4.5 * 4.5 / 42), g.interceptStandardError(), 1e-14 * sigma);
        assertEquals(1, g.conditionNumber(), 1e-14, "one standardized feature is orthogonal to the intercept");
    }

    @Test
    void ridgeSandwich() {
        Dataset d = data(true);
        Standardization s = Standardization.compute(d, true, true);
        double lambda = 0.5;
        double ssr = 3.5;
        Diagnostics g = Diagnostics.compute(gram(d, s, true), lambda, ssr, 8, s);
        double sigma = Math.sqrt(ssr / 6);
        // Cov(w) = σ̂²/m · H⁻¹GH⁻¹, G = I: (1 + λ)⁻² on the coefficient; β = s·w
        assertEquals(sigma / Math.sqrt(42) / (1 + lambda), g.standardErrors()[0], 1e-14 * sigma);
        assertEquals(1 + lambda, g.conditionNumber(), 1e-14);
        // the intercept b = w_n − μ·s·w: variance σ̂²/m (1 + μ²s²/(1 + λ)²)
        double sx = Math.sqrt(42.0 / 8);
        double want = sigma / Math.sqrt(8) * Math.sqrt(1 + 4.5 * 4.5 / (sx * sx) / ((1 + lambda) * (1 + lambda)));
        assertEquals(want, g.interceptStandardError(), 1e-14 * sigma);
    }

    @Test
    void withoutIntercept() {
        Dataset d = data(false);
        Standardization s = Standardization.compute(d, true, false);
        double ssr = 2;
        Diagnostics g = Diagnostics.compute(gram(d, s, false), 0, ssr, 8, s);
        double sigma = Math.sqrt(ssr / 7);
        assertEquals(sigma, g.residualStd(), 1e-15);
        assertEquals(sigma / Math.sqrt(204), g.standardErrors()[0], 1e-14 * sigma, "σ̂/√Σx² (Σx² = 204)");
        assertEquals(0, g.interceptStandardError());
    }

    @Test
    void edgeCases() {
        // no parameter (no column, no intercept): σ̂ = √(Σr²/m), κ undefined
        Dataset none = Dataset.rowMajor(new double[0], 4, 0, new double[]{1, 2, 3, 4});
        Standardization s0 = Standardization.compute(none, true, false);
        Diagnostics d0 = Diagnostics.compute(GramMatrix.accumulate(none, s0, false, 0), 0, 30, 4, s0);
        assertEquals(Math.sqrt(30.0 / 4), d0.residualStd(), 1e-15);
        assertEquals(0, d0.standardErrors().length);
        assertTrue(Double.isNaN(d0.conditionNumber()));
        assertTrue(Double.isNaN(Diagnostics.compute(GramMatrix.accumulate(none, s0, false, 0), 0, -1, 4, s0)
                .residualStd()), "a negative Σr² has no square root");
        // no degree of freedom: m = p
        Dataset two = Dataset.rowMajor(new double[]{1, 2}, 2, 1, new double[]{1, 3});
        Standardization s2 = Standardization.compute(two, true, true);
        Diagnostics d2 = Diagnostics.compute(gram(two, s2, true), 0, 0, 2, s2);
        assertTrue(Double.isNaN(d2.residualStd()));
        assertTrue(Double.isNaN(d2.standardErrors()[0]));
        Dataset three = Dataset.rowMajor(new double[]{1, 2, 4}, 3, 1, new double[]{1, 3, 2});
        Standardization s3 = Standardization.compute(three, true, true);
        assertEquals(Math.sqrt(0.5), Diagnostics.compute(gram(three, s3, true), 0, 0.5, 3, s3).residualStd(), 1e-15,
                "one degree of freedom");
        // a singular H: κ = ∞ and no standard errors (σ̂ still reported)
        Dataset dup = Dataset.rowMajor(new double[]{1, 1, 2, 2, 3, 3, 5, 5}, 4, 2, new double[]{1, 2, 2, 4});
        Standardization sd = Standardization.compute(dup, true, true);
        Diagnostics dd = Diagnostics.compute(gram(dup, sd, true), 0, 1, 4, sd);
        assertEquals(Double.POSITIVE_INFINITY, dd.conditionNumber());
        assertTrue(Double.isNaN(dd.standardErrors()[0]) && Double.isNaN(dd.standardErrors()[1]));
        assertTrue(Double.isNaN(dd.interceptStandardError()));
        assertEquals(1, dd.residualStd(), 1e-15, "√(1/(4 − 3))");
        // a constant column: no standard error for it, and it is not a parameter (dof = m − 2)
        Dataset c = Dataset.rowMajor(new double[]{1, 7, 2, 7, 3, 7, 4, 7}, 4, 2, new double[]{1, 3, 2, 5});
        Standardization sc = Standardization.compute(c, true, true);
        Diagnostics dc = Diagnostics.compute(gram(c, sc, true), 0, 2, 4, sc);
        assertTrue(Double.isNaN(dc.standardErrors()[1]));
        assertEquals(1, dc.residualStd(), 1e-15, "√(2/(4 − 2))");
        Diagnostics n = Diagnostics.none(3);
        assertEquals(3, n.standardErrors().length);
        assertTrue(Double.isNaN(n.standardErrors()[2]) && Double.isNaN(n.residualStd()) && Double.isNaN(n.conditionNumber()));
    }
}
