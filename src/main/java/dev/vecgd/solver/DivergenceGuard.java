package dev.vecgd.solver;

/**
 * Detects a diverging descent (checked at every iteration, before the convergence rules):
 * <ul>
 *   <li>the loss is NaN or infinite;</li>
 *   <li>{@code J_k > 10⁶ · J(θ₀)} (with J(θ₀) replaced by {@link Double#MIN_NORMAL} when it is 0);</li>
 *   <li>the loss rose {@value #MAX_RISES} times in a row, a rise being {@code J_k > J_{k−1}·(1 + ρ) + η_k}
 *   with ρ = 1e-9 for full batch and ρ = 0.5 in mini-batch mode (whose epoch losses fluctuate at the noise
 *   floor of a fixed rate: only a steady growth by half per epoch is divergence), and η_k the rounding noise
 *   of the loss evaluation ({@link StoppingRules#lossNoise}: large when y or the features have large offsets
 *   or nearly constant columns), so rounding noise near the optimum is never counted. In mini-batch mode the
 *   rises count only while the loss is above J(θ₀) (all progress lost): a variance-reduced or momentum run far
 *   from its optimum (e.g. an intercept 1e8 away) can rise by half five epochs running and still be far below
 *   where it started — that is noise, which the epoch rule ({@link StopReason#STALLED}) judges, not divergence;
 *   a rate that is really too large grows geometrically past J(θ₀) and then past 10⁶·J(θ₀).</li>
 * </ul>
 * For a quadratic J, full-batch GD with α &lt; 2/L decreases J at every step, so none of these fires
 * with the automatic rate.
 */
public final class DivergenceGuard {

    /** Consecutive rises that count as divergence. */
    public static final int MAX_RISES = 5;
    /** Growth over the starting loss that counts as divergence. */
    public static final double MAX_GROWTH = 1e6;

    private final double initialLoss;
    private final double rawInitialLoss;
    private final double riseTolerance;
    private final boolean aboveStartOnly;
    private double previous = Double.NaN;
    private int rises;
    private String reason;

    public DivergenceGuard(double initialLoss, double riseTolerance) {
        this(initialLoss, riseTolerance, false);
    }

    /**
     * @param aboveStartOnly count rises only while the loss exceeds J(θ₀) (mini-batch mode, see the class doc)
     */
    public DivergenceGuard(double initialLoss, double riseTolerance, boolean aboveStartOnly) {
        this.rawInitialLoss = initialLoss;
        this.initialLoss = initialLoss > 0 ? initialLoss : Double.MIN_NORMAL;
        this.riseTolerance = riseTolerance;
        this.aboveStartOnly = aboveStartOnly;
    }

    /** True when iteration k's loss shows divergence; {@link #reason()} then says which rule fired. */
    public boolean diverged(int k, double loss) {
        return diverged(k, loss, 0);
    }

    /** {@link #diverged(int, double)} where a rise must also exceed the loss's rounding noise η ≥ 0. */
    public boolean diverged(int k, double loss, double noise) {
        if (!Double.isFinite(loss)) {
            reason = "the loss became " + loss + " at iteration " + k;
            return true;
        }
        if (loss > MAX_GROWTH * initialLoss) {
            reason = "the loss grew to " + StoppingRules.fmt(loss) + " > 1e6·J(θ₀) = 1e6·"
                    + StoppingRules.fmt(initialLoss) + " at iteration " + k;
            return true;
        }
        if (k > 0 && loss > previous * (1 + riseTolerance) + noise && (!aboveStartOnly || loss > rawInitialLoss)) {
            rises++;
        } else {
            rises = 0;
        }
        previous = loss;
        if (rises >= MAX_RISES) {
            reason = "the loss rose " + MAX_RISES + " times in a row (to " + StoppingRules.fmt(loss)
                    + " at iteration " + k + ")";
            return true;
        }
        return false;
    }

    /** Which rule fired, or null. */
    public String reason() {
        return reason;
    }
}
