package dev.vecgd.solver;

import java.util.SplittableRandom;

/**
 * The automatic learning rate. For the quadratic J, gradient descent decreases J at every step iff
 * α &lt; 2/L, with L the largest eigenvalue of the Hessian {@code H = ÃᵀÃ/m + λI} (standardized
 * design Ã with the column of ones when there is an intercept; λ on the coefficients only).
 * vecgd estimates L by power iteration, each product Hv being one fused kernel pass of the <b>y-free</b>
 * objective (the same X with y ≡ 0, whose gradient at v is exactly Hv — the form {@code ∇J(v) − ∇J(0)}
 * would cancel catastrophically when |y| is large, e.g. |y| ≳ 1e16), and uses
 * <pre>  α = c / L̂,   c = {@value FitOptions#AUTO_SAFETY}</pre>
 * The Rayleigh quotient L̂ never exceeds L, so c &lt; 1 keeps α &lt; 2/L even when L̂ underestimates L by
 * up to 45 %; L̂ is also capped by the trace T ≥ L.
 */
public final class LearningRates {

    /** Maximum power iterations. */
    public static final int MAX_POWER_ITERATIONS = 30;
    /** Stop when the Rayleigh quotient changes by less than this, relatively. */
    public static final double POWER_TOLERANCE = 1e-3;

    private LearningRates() {
    }

    /**
     * Estimates L (largest eigenvalue of the Hessian) by power iteration through the objective's
     * kernels; at most {@value #MAX_POWER_ITERATIONS} passes over X.
     *
     * @param f the objective <b>with y ≡ 0</b> (same X, standardization, intercept and λ as the fit): its
     *          gradient at v is Hv
     */
    public static double largestEigenvalue(LeastSquaresObjective f) {
        int size = f.size();
        int n = size - 1;
        double[] v = new double[size];
        double[] hv = new double[size];
        SplittableRandom rnd = new SplittableRandom(0x5eed);
        for (int j = 0; j < size; j++) v[j] = 0.5 + rnd.nextDouble();
        if (!f.intercept()) v[n] = 0;
        normalize(v);
        double lambda = 0;
        for (int it = 0; it < MAX_POWER_ITERATIONS; it++) {
            f.evaluate(v, hv);
            double rayleigh = dot(v, hv);
            double norm = norm(hv);
            if (!(norm > 0) || !Double.isFinite(norm)) break;
            for (int j = 0; j < size; j++) v[j] = hv[j] / norm;
            boolean done = it >= 2 && Math.abs(rayleigh - lambda) <= POWER_TOLERANCE * rayleigh;
            lambda = rayleigh;
            if (done) break;
        }
        double trace = f.scaling().trace() + (f.l2() * n);
        if (Double.isFinite(trace) && lambda > trace) lambda = trace;
        if (!(lambda > 0) && Double.isFinite(trace) && trace > 0) lambda = trace; // no estimate: T ≥ L is safe
        if (!(lambda > 0)) lambda = f.l2() > 0 ? f.l2() : 1; // X ≡ 0 (or constant columns only)
        return lambda;
    }

    /** Power iterations on an n × n Gram matrix (each costs O(n²) arithmetic, no pass over X). */
    static final int MAX_MATRIX_POWER_ITERATIONS = 500;

    /**
     * L (the largest eigenvalue of H = G + λP) by power iteration on the Gram matrix itself (no pass over X),
     * with the same safeguards as {@link #largestEigenvalue(LeastSquaresObjective)}: the Rayleigh quotient
     * (never above L), capped by the trace T ≥ L, T when there is no estimate. Inactive (constant) columns have
     * a unit diagonal and no coupling in G; they are left out of the iteration so they do not bound L from below.
     *
     * @param gm    the standardized Gram matrix, not modified
     * @param l2    λ
     * @param trace tr(ÃᵀÃ/m) (the standardization's trace, the ones column included), without λ
     */
    static double largestEigenvalue(GramMatrix gm, double l2, double trace) {
        int k = gm.k;
        double[] h = gm.hessian(l2);
        double[] v = new double[k];
        double[] hv = new double[k];
        SplittableRandom rnd = new SplittableRandom(0x5eed);
        for (int j = 0; j < k; j++) v[j] = gm.active[j] ? 0.5 + rnd.nextDouble() : 0;
        double lambda = 0;
        double s = norm(v);
        if (s > 0) {
            for (int j = 0; j < k; j++) v[j] /= s;
            for (int it = 0; it < MAX_MATRIX_POWER_ITERATIONS; it++) {
                for (int p = 0; p < k; p++) {
                    double acc = 0;
                    if (gm.active[p]) for (int q = 0; q < k; q++) acc += h[p * k + q] * v[q];
                    hv[p] = acc;
                }
                double rayleigh = dot(v, hv);
                double norm = norm(hv);
                if (!(norm > 0) || !Double.isFinite(norm)) break;
                for (int j = 0; j < k; j++) v[j] = hv[j] / norm;
                boolean done = it >= 2 && Math.abs(rayleigh - lambda) <= 1e-9 * rayleigh;
                lambda = rayleigh;
                if (done) break;
            }
        }
        int n = gm.n;
        double t = trace + l2 * n; // the trace counts the ones column already
        if (Double.isFinite(t) && lambda > t) lambda = t;
        if (!(lambda > 0) && Double.isFinite(t) && t > 0) lambda = t;
        if (!(lambda > 0)) lambda = l2 > 0 ? l2 : 1;
        return lambda;
    }

    /** α = c/L for full batch. */
    public static double auto(double largestEigenvalue) {
        return FitOptions.AUTO_SAFETY / largestEigenvalue;
    }

    /**
     * α = c/L_B for mini-batches of B rows, with the expected smoothness of B-row sampling without
     * replacement (Gower et al., 2019): {@code L_B = m(B−1)/(B(m−1))·L + (m−B)/(B(m−1))·L_max}, L_max the
     * largest per-row curvature {@code max_i ‖ã_i‖² + λ}.
     */
    public static double autoMiniBatch(double largestEigenvalue, double maxRowCurvature, int m, int b) {
        if (b >= m || m <= 1) return auto(largestEigenvalue);
        double lb = (double) m * (b - 1) / ((double) b * (m - 1)) * largestEigenvalue
                + (double) (m - b) / ((double) b * (m - 1)) * maxRowCurvature;
        return FitOptions.AUTO_SAFETY / Math.max(lb, largestEigenvalue);
    }

    private static void normalize(double[] v) {
        double s = norm(v);
        for (int j = 0; j < v.length; j++) v[j] /= s;
    }

    /**
     * ‖a‖₂; when the plain sum of squares overflows or underflows (unstandardized columns of size 1e100 give
     * Hv ≈ 1e200, whose squares are Infinity), rescaled by max|a_j| first (otherwise the plain sum, so ordinary
     * data gets the same bits as before).
     */
    static double norm(double[] a) {
        double plain = dot(a, a);
        if (plain >= Double.MIN_NORMAL * a.length && Double.isFinite(plain)) return Math.sqrt(plain);
        double big = 0;
        for (double x : a) big = Math.max(big, Math.abs(x));
        if (big == 0 || !Double.isFinite(big)) return big;
        double s = 0;
        for (double x : a) s += (x / big) * (x / big);
        return big * Math.sqrt(s);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }
}
