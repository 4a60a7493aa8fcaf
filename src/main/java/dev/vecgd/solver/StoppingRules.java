package dev.vecgd.solver;

/**
 * The convergence rules, checked at every iteration k on the loss J_k and gradient ∇J_k at the
 * current parameters (in the solver's standardized coordinates):
 * <ol>
 *   <li><b>Relative gradient norm</b>: {@code ‖∇J_k‖ ≤ gtol · S} with the problem scale
 *   <pre>  S = √T · R · G,   T = trace(ÃᵀÃ/m),   R = max(‖y‖, ‖r₀‖)/√m,   G = 1 + max_j |μ_j|/σ_j</pre>
 *   T is the mean squared norm of a standardized row (n + 1 with an intercept), R the root mean
 *   square of the targets or of the starting residuals r₀ (whichever is larger, so a warm start far
 *   away or y ≡ 0 still gives a positive scale), G the amplification of rounding by centering. Why
 *   this scale: by Cauchy–Schwarz ‖∇J‖ ≤ √T·rms(r), and the rounding error of a computed gradient is
 *   about {@code ε·√T·(rms of the terms of r)·G}, the terms of r being of the size of y; so the
 *   rounding floor of ‖∇J‖ is a small multiple of {@code ε·S} and any gtol ≥ ~1e-13 is reachable
 *   whatever the units of X and y. (Smaller gtol are accepted; when rounding stalls the descent the
 *   loss-change rule or the iteration budget ends the fit, honestly reported.)</li>
 *   <li><b>Relative loss change</b> (off when ftol = 0): {@code k ≥ 1 and |J_{k−1} − J_k| ≤ ftol · J_k}.</li>
 *   <li><b>Iteration budget</b>: k = maxIterations → {@link StopReason#MAX_ITERATIONS}.</li>
 * </ol>
 */
public final class StoppingRules {

    private final double gradientTolerance;
    private final double lossChangeTolerance;
    private final double scale;
    private final int maxIterations;
    private double previousLoss = Double.NaN;

    /**
     * @param scale the problem scale S (see the class comment), {@code >= 0}
     */
    public StoppingRules(double gradientTolerance, double lossChangeTolerance, double scale, int maxIterations) {
        this.gradientTolerance = gradientTolerance;
        this.lossChangeTolerance = lossChangeTolerance;
        this.scale = scale;
        this.maxIterations = maxIterations;
    }

    /** The scale S from its parts: {@code √T · max(rms(y), rms(r₀)) · G}. */
    public static double scale(double trace, double rmsY, double rmsR0, double centeringGain) {
        return Math.sqrt(trace) * Math.max(rmsY, rmsR0) * centeringGain;
    }

    /** The problem scale S. */
    public double scale() {
        return scale;
    }

    /** ‖∇J‖ / S (∞ when S = 0 and the gradient is not 0). */
    public double relativeGradient(double gradientNorm) {
        return gradientNorm == 0 ? 0 : gradientNorm / scale;
    }

    /** True when a convergence rule holds at iteration k. Call once per iteration, in order. */
    public boolean converged(int k, double loss, double gradientNorm) {
        boolean grad = gradientNorm <= gradientTolerance * scale;
        boolean change = lossChangeTolerance > 0 && k >= 1
                && Math.abs(previousLoss - loss) <= lossChangeTolerance * loss;
        previousLoss = loss;
        return grad || change;
    }

    /** Describes which rule held, for the result's message. */
    public String convergedMessage(int k, double loss, double gradientNorm) {
        if (gradientNorm <= gradientTolerance * scale) {
            return "converged after " + k + " iterations: ‖∇J‖ = " + fmt(gradientNorm) + " ≤ tol·S = "
                    + fmt(gradientTolerance) + "·" + fmt(scale);
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
