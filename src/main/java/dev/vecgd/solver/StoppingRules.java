package dev.vecgd.solver;

/**
 * The convergence rules, checked at every iteration k on the loss J_k and the <b>true</b> gradient ∇J_k at
 * the current parameters w_k (in the solver's standardized coordinates; cg checks its recurrence gradient
 * only to decide when to evaluate the true one):
 * <ol>
 *   <li><b>Relative gradient norm</b> → {@link StopReason#CONVERGED}: {@code ‖∇J_k‖ ≤ tol · S_k} with
 *   <pre>
 *   S_k = √T · (σ_y + ρ_k)
 *   T   = trace(ÃᵀÃ/m)          mean squared norm of a standardized row (= active columns + 1 with an intercept)
 *   σ_y = √(Σ(y_i − ȳ)²/m)      the <b>centered</b> spread of y (its rms without an intercept)
 *   ρ_k = ‖r_k‖/√m              root mean square of the current residuals
 *   </pre>
 *   Only centered, scale-free quantities: an offset of y or of a feature (y = 1e10 + Xβ, x = 1e8 + noise)
 *   does not loosen the rule, and constant columns take no part (T counts active columns only).
 *   <p><b>What CONVERGED guarantees.</b> J is quadratic with Hessian H = ÃᵀÃ/m + λP, so for the minimizer w*
 *   <pre>
 *   ‖w − w*‖ ≤ ‖∇J(w)‖ / λ_min(H) ≤ κ · (tol·S + F) / λ_max(H)
 *   </pre>
 *   where F (below) bounds the rounding error of the computed gradient. With an intercept and
 *   standardization, λ_max ≥ 1 and ‖w*‖ is of the size of σ_y, so the standardized coefficients have a
 *   relative error of about κ·tol·√T·(1 + ρ/σ_y) ≲ 2κ·tol·√T (plus κ·F/σ_y): with κ ≈ 1, about −log10(tol)
 *   digits. {@link FitResult#conditionNumber()} reports κ; {@link FitResult#warning()} predicts the digits,
 *   and a fit whose bound certifies no digit at all (κ·max(tol, ε) ≥ 1) is reported
 *   {@link StopReason#ILL_CONDITIONED} instead of CONVERGED.</li>
 *   <li><b>Rounding floor</b> → {@link StopReason#PRECISION_LIMIT}: the computed gradient cannot be trusted
 *   below
 *   <pre>
 *   F_k = {@value #FLOOR_ULPS}·ε·√T·(rms(y) + |b| + Σ_j |β_j|·rms(x_j) + G·ρ_k),   G = 1 + max_j |μ_j|·s_j
 *   </pre>
 *   Each residual {@code r_i = x_i·β + b − y_i} is formed from terms of the size of the <i>uncentered</i> y and
 *   of x_i·β and b, with an error of about ε times their size; and the standardized gradient
 *   {@code s_j(Σ r_i x_ij − μ_j Σ r_i)/m} subtracts two sums of size |μ_j|·s_j·ρ. When tol·S_k &lt; F_k
 *   (offsets of y or x many orders above their spread, nearly constant columns), the tolerance cannot be
 *   certified in double precision: once ‖∇J‖ ≤ F_k and the true gradient norm has not reached a new minimum
 *   for {@value #STALL_ITERATIONS} iterations (rounding noise, not progress), the fit stops with
 *   PRECISION_LIMIT and says how close it got; a fit at the budget below the floor also reports
 *   PRECISION_LIMIT, not MAX_ITERATIONS. F depends on ε, not on tol. With tol = 0 the fit runs its whole
 *   budget (and reports MAX_ITERATIONS).</li>
 *   <li><b>Relative loss change</b> (off when ftol = 0, the default): {@code k ≥ 1 and
 *   |J_{k−1} − J_k| ≤ ftol · J_k}. A small change in J does not imply accurate coefficients on
 *   ill-conditioned data (GD then crawls), so this rule ends the fit as {@link StopReason#STALLED}, with the
 *   relative gradient in the message — never CONVERGED unless the gradient rule holds too.</li>
 *   <li><b>Iteration budget</b>: k = maxIterations → {@link StopReason#MAX_ITERATIONS} (or PRECISION_LIMIT
 *   below the floor).</li>
 * </ol>
 * With L2 the same rules apply to the penalized gradient. σ_y = 0 (constant y) makes S = √T·ρ: the fit then
 * converges when the gradient is exactly 0, and otherwise stops on the floor.
 */
public final class StoppingRules {

    /** The rounding floor F in units of ε·√T·(term sizes). */
    public static final double FLOOR_ULPS = 16;
    /** Iterations below the floor without a new smallest gradient norm before PRECISION_LIMIT. */
    public static final int STALL_ITERATIONS = 20;

    /** What the rules say about one iteration. */
    enum Verdict { CONTINUE, CONVERGED, PRECISION_LIMIT, LOSS_CHANGE }

    private final double gradientTolerance;
    private final double lossChangeTolerance;
    private final double sqrtTrace;
    private final double spread;
    private final double yRms;
    private final Standardization scaling;
    private final int maxIterations;
    private double previousLoss = Double.NaN;
    private double stallReference = Double.POSITIVE_INFINITY;
    private int stall;

    /**
     * @param trace   T, the trace of the standardized Gram matrix (with the intercept column)
     * @param spread  σ_y, the centered rms of y (its rms without an intercept)
     * @param yRms    rms(y), uncentered (for the rounding floor)
     * @param scaling the standardization (G, the column sizes, the kernel parameters of w)
     */
    StoppingRules(double gradientTolerance, double lossChangeTolerance, double trace, double spread, double yRms,
                  Standardization scaling, int maxIterations) {
        this.gradientTolerance = gradientTolerance;
        this.lossChangeTolerance = lossChangeTolerance;
        this.sqrtTrace = Math.sqrt(trace);
        this.spread = spread;
        this.yRms = yRms;
        this.scaling = scaling;
        this.maxIterations = maxIterations;
    }

    /** The scale S_k for the current residual root mean square ρ_k. */
    public double scale(double rmsResidual) {
        return sqrtTrace * (spread + rmsResidual);
    }

    /** The rounding floor F_k at the solver point w and residual rms ρ_k. */
    public double floor(double[] w, double rmsResidual) {
        return FLOOR_ULPS * Math.ulp(1.0) * sqrtTrace
                * (yRms + scaling.termMagnitude(w) + scaling.centeringGain() * rmsResidual);
    }

    /**
     * The rounding noise of a loss evaluation J = Σr²/(2m) at w: each r_i carries an error of about
     * ε·(|y_i| + |x_i·β| + |b|), so J is uncertain by about ρ times that (the {@link DivergenceGuard} does not
     * count a rise below it).
     */
    double lossNoise(double[] w, double rmsResidual) {
        return FLOOR_ULPS * Math.ulp(1.0) * (yRms + scaling.termMagnitude(w)) * (rmsResidual
                + FLOOR_ULPS * Math.ulp(1.0) * (yRms + scaling.termMagnitude(w)));
    }

    /** ‖∇J‖ / S_k (0 when the gradient is exactly 0). */
    public double relativeGradient(double gradientNorm, double rmsResidual) {
        return gradientNorm == 0 ? 0 : gradientNorm / scale(rmsResidual);
    }

    /** True when the gradient rule holds. */
    boolean gradientRule(double gradientNorm, double rmsResidual) {
        return gradientNorm <= gradientTolerance * scale(rmsResidual);
    }

    /**
     * The verdict at iteration k; call once per iteration, in order.
     *
     * @param trueGradient false when {@code gradientNorm} is a recurrence (cg): then only the loss-change rule
     *                     and nothing about the floor
     */
    Verdict check(int k, double loss, double gradientNorm, double rmsResidual, double[] w, boolean trueGradient) {
        boolean change = lossChangeTolerance > 0 && k >= 1
                && Math.abs(previousLoss - loss) <= lossChangeTolerance * loss;
        previousLoss = loss;
        if (trueGradient && gradientRule(gradientNorm, rmsResidual)) return Verdict.CONVERGED;
        if (trueGradient && gradientTolerance > 0) {
            if (gradientNorm <= floor(w, rmsResidual)) {
                if (gradientNorm < stallReference) {
                    stallReference = gradientNorm;
                    stall = 0;
                } else if (++stall >= STALL_ITERATIONS) {
                    return Verdict.PRECISION_LIMIT;
                }
            } else {
                stall = 0;
                stallReference = Double.POSITIVE_INFINITY;
            }
        }
        return change ? Verdict.LOSS_CHANGE : Verdict.CONTINUE;
    }

    /** The message of a verdict other than CONTINUE. */
    String message(Verdict v, int k, double gradientNorm, double rmsResidual, double[] w) {
        return switch (v) {
            case CONVERGED -> "converged after " + k + " iterations: ‖∇J‖ = " + fmt(gradientNorm) + " ≤ tol·S = "
                    + fmt(gradientTolerance) + "·" + fmt(scale(rmsResidual));
            case PRECISION_LIMIT -> precisionMessage("stopped at the rounding floor after " + k + " iterations",
                    gradientNorm, rmsResidual, w);
            case LOSS_CHANGE -> "not converged: stalled after " + k + " iterations: relative loss change ≤ ftol = "
                    + fmt(lossChangeTolerance) + " but ‖∇J‖/S = " + fmt(relativeGradient(gradientNorm, rmsResidual))
                    + " > tolerance " + fmt(gradientTolerance) + " (the coefficients may be far from the optimum)";
            case CONTINUE -> throw new IllegalArgumentException("no message for CONTINUE");
        };
    }

    /** "not converged: …: ‖∇J‖/S = x > tolerance; the rounding floor F/S = y: …". */
    String precisionMessage(String head, double gradientNorm, double rmsResidual, double[] w) {
        double reached = relativeGradient(gradientNorm, rmsResidual);
        return "not converged: " + head + ": ‖∇J‖/S = " + fmt(relativeGradient(gradientNorm, rmsResidual)) + " > tolerance "
                + fmt(gradientTolerance) + ", but the gradient is below the rounding floor of double precision (F/S = "
                + fmt(floor(w, rmsResidual) / scale(rmsResidual)) + ": offsets of y or of the features, or nearly"
                + " constant columns, large against their spread) and stopped decreasing — as close as double"
                + " arithmetic gets, not certified to the tolerance (a tolerance ≥ " + fmt(2 * reached)
                + " would have been met; centering the data lowers the floor)";
    }

    /** True when the gradient is below the rounding floor (for the end of the budget). */
    boolean belowFloor(double gradientNorm, double rmsResidual, double[] w) {
        return gradientTolerance > 0 && gradientNorm <= floor(w, rmsResidual) && !gradientRule(gradientNorm, rmsResidual);
    }

    /** True when the budget is used up at iteration k. */
    public boolean outOfIterations(int k) {
        return k >= maxIterations;
    }

    double gradientTolerance() {
        return gradientTolerance;
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }
}
