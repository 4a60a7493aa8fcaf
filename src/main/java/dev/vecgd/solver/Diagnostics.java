package dev.vecgd.solver;

/**
 * Fit diagnostics from the Gram matrix G = ÃᵀÃ/m of the standardized problem ({@link GramMatrix}):
 * <pre>
 *   residual std   σ̂ = √(Σr² / (m − p))                     p = fitted parameters (non-constant columns + intercept)
 *   Cov(w)         = σ̂²/m · G⁻¹                              (λ = 0)
 *                  = σ̂²/m · H⁻¹ G H⁻¹,  H = G + λP            (ridge: the sandwich form, for fixed λ)
 *   original scale p = T w with T = [[D, 0], [−μᵀD, 1]]  ⇒  Cov(β, b) = T Cov(w) Tᵀ:
 *   se(β_j) = s_j √Cov(w)_jj,     se(b) = √(tᵀ Cov(w) t),  t = (−μ_1 s_1, …, −μ_n s_n, 1)
 *   κ ≈ ‖H‖₁ ‖H⁻¹‖₁                                          (1-norm estimate of the condition number of H)
 * </pre>
 * This equals the textbook σ̂²(AᵀA)⁻¹ on the original design A = [X, 1] (Ã = A T), but is computed from
 * the well-scaled standardized matrix. Standard errors of constant (inactive) columns are NaN; without an
 * intercept its standard error is 0 (it is fixed at 0). If H is not positive definite, the standard
 * errors are NaN and κ = ∞.
 *
 * @param residualStd            σ̂ (NaN when m ≤ p)
 * @param standardErrors         se(β_j), original scale
 * @param interceptStandardError se(b)
 * @param conditionNumber        κ estimate of H (the standardized Hessian)
 */
record Diagnostics(double residualStd, double[] standardErrors, double interceptStandardError,
                   double conditionNumber) {

    static Diagnostics none(int n) {
        double[] se = new double[n];
        java.util.Arrays.fill(se, Double.NaN);
        return new Diagnostics(Double.NaN, se, Double.NaN, Double.NaN);
    }

    static Diagnostics compute(GramMatrix gm, double l2, double ssr, long m, Standardization s) {
        int k = gm.k;
        int n = gm.n;
        if (k == 0) { // no parameter at all (n = 0 without an intercept): nothing to estimate, κ undefined
            long dof0 = m;
            return new Diagnostics(ssr >= 0 ? Math.sqrt(ssr / dof0) : Double.NaN, new double[0], 0, Double.NaN);
        }
        long dof = m - gm.activeCount();
        double sigma = dof > 0 && ssr >= 0 ? Math.sqrt(ssr / dof) : Double.NaN;
        double[] h = gm.hessian(l2);
        int[] bad = new int[1];
        double[] l = GramMatrix.cholesky(h, k, bad);
        double[] se = new double[n];
        if (l == null) {
            java.util.Arrays.fill(se, Double.NaN);
            return new Diagnostics(sigma, se, Double.NaN, Double.POSITIVE_INFINITY);
        }
        double[] hinv = GramMatrix.inverse(l, k);
        double kappa = GramMatrix.norm1(h, k) * GramMatrix.norm1(hinv, k);
        double[] cov = hinv;
        if (l2 != 0) cov = mul(mul(hinv, gm.g, k), hinv, k);
        double f = sigma * sigma / m;
        for (int j = 0; j < n; j++) {
            se[j] = gm.active[j] ? s.scale(j) * Math.sqrt(f * cov[j * k + j]) : Double.NaN;
        }
        double seB = 0;
        if (gm.intercept) {
            double[] t = new double[k];
            for (int j = 0; j < n; j++) t[j] = gm.active[j] ? -s.mean(j) * s.scale(j) : 0;
            t[n] = 1;
            double v = 0;
            for (int p = 0; p < k; p++) {
                double row = 0;
                for (int q = 0; q < k; q++) row += cov[p * k + q] * t[q];
                v += t[p] * row;
            }
            seB = Math.sqrt(f * v);
        }
        return new Diagnostics(sigma, se, seB, kappa);
    }

    private static double[] mul(double[] a, double[] b, int k) {
        double[] c = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int r = 0; r < k; r++) {
                double v = a[i * k + r];
                if (v == 0) continue;
                for (int j = 0; j < k; j++) c[i * k + j] += v * b[r * k + j];
            }
        }
        return c;
    }
}
