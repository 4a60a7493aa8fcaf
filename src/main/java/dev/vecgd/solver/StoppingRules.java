package dev.vecgd.solver;

/**
 * The convergence rules, checked at every iteration k on the loss J_k and gradient ∇J_k at the
 * current parameters (in the solver's standardized coordinates):
 * <ol>
 *   <li><b>Relative gradient norm</b>: {@code ‖∇J_k‖ ≤ gtol · S_k} with the problem scale
 *   <pre>
 *   S_k = √T · (R + G · ρ_k)
 *   T = trace(ÃᵀÃ/m)               mean squared norm of a standardized row (= n + 1 with an intercept)
 *   R = max(‖y‖, ‖r₀‖)/√m          root mean square of the targets or of the starting residuals
 *   G = 1 + max_j |μ_j|/σ_j         how much centering amplifies rounding (1 without centering)
 *   ρ_k = ‖r_k‖/√m                  root mean square of the current residuals
 *   </pre>
 *   Why: the computed gradient has two rounding errors. Each residual {@code r_i = x_i·β + b − y_i} is
 *   formed from terms of the size of y, with an error of about ε·|y_i|; through Xᵀr that contributes
 *   about {@code ε·√T·R}. The standardized gradient {@code s_j(Σ r_i x_ij − μ_j Σ r_i)/m} subtracts two
 *   sums of size {@code |μ_j| s_j ρ_k}, contributing about {@code ε·√T·G·ρ_k}. So the rounding floor
 *   of ‖∇J‖ is a small multiple of {@code ε·S_k}: any gtol ≳ 1e-13 is reachable whatever the units,
 *   offsets and size of X and y, while S_k shrinks with the residuals so the rule is not looser than
 *   rounding requires. R is positive unless y ≡ 0 and the start fits exactly, where ∇J = 0 exactly.
 *   Smaller gtol are accepted; if rounding stalls the descent, the loss-change rule or the budget ends
 *   the fit, reported as such.</li>
 *   <p><b>In the form ‖Xᵀr‖ ≤ tol·‖X‖_F·‖r‖</b> (standardized design Ã, λ = 0): ‖∇J‖ = ‖Ãᵀr‖/m,
 *   ‖Ã‖_F = √(mT) and ‖r‖ = √m·ρ_k, so the rule is exactly
 *   <pre>
 *   ‖Ãᵀr‖ ≤ tol · ‖Ã‖_F · (G·‖r‖ + max(‖y‖, ‖r₀‖))
 *   </pre>
 *   i.e. the classical relative criterion ‖Ãᵀr‖ ≤ tol·‖Ã‖_F·‖r‖ with ‖r‖ enlarged by the size of the
 *   data it was computed from. The pure form is unreachable when the fit is (nearly) exact: r is formed
 *   from terms of the size of y, so ‖Ãᵀr‖ cannot fall below about ε‖Ã‖_F‖y‖ however small ‖r‖ is. With
 *   the enlarged scale, tol down to 1e-15 is reachable on well-conditioned data by every solver (see
 *   {@link Solver}; tested on NIST Norris and NoInt1); when rounding stalls a solver above tol the fit
 *   ends not converged, with the reason. With L2 the same rule applies to the penalized gradient.</li>
 *   <li><b>Relative loss change</b> (off when ftol = 0, the default): {@code k ≥ 1 and
 *   |J_{k−1} − J_k| ≤ ftol · J_k}. A small change in J does not imply accurate coefficients on
 *   ill-conditioned data (GD then crawls), which is why it is off by default.</li>
 *   <li><b>Iteration budget</b>: k = maxIterations → {@link StopReason#MAX_ITERATIONS}.</li>
 * </ol>
 */
public final class StoppingRules {

    private final double gradientTolerance;
    private final double lossChangeTolerance;
    private final double sqrtTrace;
    private final double reference;
    private final double centeringGain;
    private final int maxIterations;
    private double previousLoss = Double.NaN;

    /**
     * @param trace         T, the trace of the standardized Gram matrix (with the intercept column)
     * @param reference     R = max(rms(y), rms(r₀))
     * @param centeringGain G = 1 + max_j |μ_j|/σ_j
     */
    public StoppingRules(double gradientTolerance, double lossChangeTolerance, double trace, double reference,
                         double centeringGain, int maxIterations) {
        this.gradientTolerance = gradientTolerance;
        this.lossChangeTolerance = lossChangeTolerance;
        this.sqrtTrace = Math.sqrt(trace);
        this.reference = reference;
        this.centeringGain = centeringGain;
        this.maxIterations = maxIterations;
    }

    /** The scale S_k for the current residual root mean square ρ_k. */
    public double scale(double rmsResidual) {
        return sqrtTrace * (reference + centeringGain * rmsResidual);
    }

    /** ‖∇J‖ / S_k (0 when the gradient is exactly 0). */
    public double relativeGradient(double gradientNorm, double rmsResidual) {
        return gradientNorm == 0 ? 0 : gradientNorm / scale(rmsResidual);
    }

    /** True when a convergence rule holds at iteration k. Call once per iteration, in order. */
    public boolean converged(int k, double loss, double gradientNorm, double rmsResidual) {
        boolean grad = gradientNorm <= gradientTolerance * scale(rmsResidual);
        boolean change = lossChangeTolerance > 0 && k >= 1
                && Math.abs(previousLoss - loss) <= lossChangeTolerance * loss;
        previousLoss = loss;
        return grad || change;
    }

    /** Describes which rule held, for the result's message. */
    public String convergedMessage(int k, double gradientNorm, double rmsResidual) {
        if (gradientNorm <= gradientTolerance * scale(rmsResidual)) {
            return "converged after " + k + " iterations: ‖∇J‖ = " + fmt(gradientNorm) + " ≤ tol·S = "
                    + fmt(gradientTolerance) + "·" + fmt(scale(rmsResidual));
        }
        return "converged after " + k + " iterations: relative loss change ≤ " + fmt(lossChangeTolerance);
    }

    /** True when the budget is used up at iteration k. */
    public boolean outOfIterations(int k) {
        return k >= maxIterations;
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }
}
