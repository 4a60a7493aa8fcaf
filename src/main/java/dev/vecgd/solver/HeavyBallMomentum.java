package dev.vecgd.solver;

/**
 * Polyak's heavy ball ({@code momentum}):
 * <pre>
 *   v ← β v − α ∇J(w),   w ← w + v,    β = {@value #BETA},  α the learning rate (0.9/L̂ by default)
 * </pre>
 * On a quadratic it is stable for α &lt; 2(1 + β)/L; along a direction of curvature λ ≪ L it moves like
 * gradient descent with step α/(1 − β), i.e. about 1/(1 − β) = 10× fewer iterations than {@code gd} on the
 * slow (ill-conditioned) directions. The optimal β = ((√κ − 1)/(√κ + 1))² needs the smallest eigenvalue μ,
 * which vecgd does not estimate, hence the fixed β.
 *
 * <p><b>Restart</b>: when the loss rises ({@code J_k > J_{k−1}}) the velocity is zeroed, so the iteration
 * never oscillates for long and the divergence guard (5 rises in a row) only fires on a genuinely too
 * large α. In mini-batch mode (no loss observed) it is plain heavy ball without restart.
 */
public final class HeavyBallMomentum implements Optimizer, LossObserver {

    /** Momentum coefficient β. */
    public static final double BETA = 0.9;

    private double[] v;
    private double previousLoss = Double.NaN;

    @Override
    public void observeLoss(double loss) {
        if (v != null && loss > previousLoss) java.util.Arrays.fill(v, 0);
        previousLoss = loss;
    }

    @Override
    public void step(double[] params, double[] gradient, double alpha) {
        if (v == null || v.length != params.length) v = new double[params.length];
        for (int j = 0; j < params.length; j++) {
            v[j] = BETA * v[j] - alpha * gradient[j];
            params[j] += v[j];
        }
    }

    @Override
    public void reset() {
        v = null;
        previousLoss = Double.NaN;
    }

    @Override
    public String name() {
        return "momentum";
    }
}
