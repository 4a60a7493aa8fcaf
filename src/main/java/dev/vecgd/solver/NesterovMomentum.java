package dev.vecgd.solver;

/**
 * Nesterov's accelerated gradient ({@code nesterov}) in the FISTA form, with the adaptive
 * function-value restart of O'Donoghue &amp; Candès (2015). The parameters the loop holds are the
 * extrapolated point y; x is kept here:
 * <pre>
 *   x_{k+1} = y_k − α ∇J(y_k)
 *   t_{k+1} = (1 + √(1 + 4 t_k²)) / 2,            t_0 = 1
 *   y_{k+1} = x_{k+1} + ((t_k − 1)/t_{k+1}) (x_{k+1} − x_k)
 *   restart: if J(y_k) &gt; J(y_{k−1}) then t_k ← 1 (the next step is a plain gradient step from y_k)
 * </pre>
 * The step is α = 0.9/L̂ (L̂ from power iteration; theory asks α ≤ 1/L). The strong-convexity
 * constant μ (smallest eigenvalue of the Hessian) is <b>not</b> estimated: the constant-momentum
 * variant β = (√κ − 1)/(√κ + 1) needs it, while the restart scheme recovers the optimal linear rate
 * 1 − O(1/√κ) without knowing it (it restarts roughly every √κ iterations on a quadratic). In mini-batch
 * mode (no loss observed) it runs without restart.
 */
public final class NesterovMomentum implements Optimizer, LossObserver {

    private double[] xPrev;
    private double t = 1;
    private double previousLoss = Double.NaN;

    @Override
    public void observeLoss(double loss) {
        if (loss > previousLoss) t = 1;
        previousLoss = loss;
    }

    @Override
    public void step(double[] params, double[] gradient, double alpha) {
        int n = params.length;
        if (xPrev == null || xPrev.length != n) {
            xPrev = params.clone();
            t = 1;
        }
        double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
        double beta = (t - 1) / tNext;
        for (int j = 0; j < n; j++) {
            double x = params[j] - alpha * gradient[j];
            params[j] = x + beta * (x - xPrev[j]);
            xPrev[j] = x;
        }
        t = tNext;
    }

    @Override
    public void reset() {
        xPrev = null;
        t = 1;
        previousLoss = Double.NaN;
    }

    @Override
    public String name() {
        return "nesterov";
    }
}
