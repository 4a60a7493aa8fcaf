package dev.vecgd.solver;

import java.util.List;

/**
 * The fits of a regularization path ({@link LinearRegression#path}): one {@link FitResult} per λ₁, in the order of
 * {@link #lambdas()}, each warm-started from the previous one, all with the same λ₂, standardization and step.
 *
 * @param lambdaMax the smallest λ₁ at which every coefficient is 0: {@code max_j |∂J/∂w_j|} at w = 0 with the
 *                  intercept at its optimum (standardized coordinates; from one gradient pass)
 * @param lambdas   the λ₁ values, in the order fitted (a copy is returned by the accessor)
 * @param fits      the fit at each λ₁ (coefficients on the original scale, status, message, passes)
 * @param passes    every read of X the path made: the λ_max gradient, the power iteration of the automatic step, the
 *                  Gram pass of the diagnostics (when on; shared by all λ) and every fit's passes
 */
public record RegularizationPath(double lambdaMax, double[] lambdas, List<FitResult> fits, long passes) {

    public RegularizationPath {
        lambdas = lambdas.clone();
        fits = List.copyOf(fits);
        if (fits.size() != lambdas.length) {
            throw new IllegalArgumentException(fits.size() + " fits for " + lambdas.length + " values of λ₁");
        }
    }

    @Override
    public double[] lambdas() {
        return lambdas.clone();
    }

    /** The number of λ values. */
    public int size() {
        return lambdas.length;
    }

    /** λ₁ number k. */
    public double lambda(int k) {
        return lambdas[k];
    }

    /** The coefficients at λ₁ number k (original scale, a copy). */
    public double[] coefficients(int k) {
        return fits.get(k).coefficients();
    }

    /** The intercept at λ₁ number k. */
    public double intercept(int k) {
        return fits.get(k).intercept();
    }

    /** The number of nonzero coefficients at λ₁ number k. */
    public int nonzeros(int k) {
        int c = 0;
        for (double v : fits.get(k).coefficients()) if (v != 0) c++;
        return c;
    }

    /** The training loss Σr²/(2m) at λ₁ number k (without the penalty terms; RMSE²/2). */
    public double trainingLoss(int k) {
        double rmse = fits.get(k).rmse();
        return 0.5 * rmse * rmse;
    }

    /** Passes over X of the fit at λ₁ number k (its own evaluations; the shared set-up is in {@link #passes()}). */
    public long passes(int k) {
        return fits.get(k).passes();
    }

    /** True when every fit is {@link StopReason#CONVERGED}. */
    public boolean allConverged() {
        for (FitResult r : fits) if (!r.converged()) return false;
        return true;
    }

    /**
     * A log-spaced grid of {@code count} values from {@code max} down to {@code ratio·max} (glmnet's default shape:
     * 100 values, ratio 10⁻⁴ when m &gt; n, else 10⁻²).
     *
     * @throws IllegalArgumentException for count &lt; 1, max not finite and &gt; 0, or ratio not in (0, 1]
     */
    public static double[] logGrid(double max, int count, double ratio) {
        if (count < 1) throw new IllegalArgumentException("a grid needs at least 1 value, got " + count);
        if (!(max > 0) || !Double.isFinite(max)) throw new IllegalArgumentException("grid maximum must be finite and > 0, got " + max);
        if (!(ratio > 0 && ratio <= 1)) throw new IllegalArgumentException("grid ratio must be in (0, 1], got " + ratio);
        double[] g = new double[count];
        for (int k = 0; k < count; k++) {
            g[k] = count == 1 ? max : max * Math.pow(ratio, (double) k / (count - 1));
        }
        return g;
    }
}
