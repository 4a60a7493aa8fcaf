package dev.vecgd.solver;

/**
 * Nesterov's accelerated gradient ({@code nesterov}) in the FISTA form, with the adaptive
 * <b>gradient restart</b> of O'Donoghue &amp; Candès (2015). The parameters the loop holds are the
 * extrapolated point y; x is kept here:
 * <pre>
 *   x_{k+1} = y_k − α ∇J(y_k)
 *   restart: if ∇J(y_k)ᵀ(x_{k+1} − x_k) &gt; 0 then t_k ← 1   (momentum would carry us uphill)
 *   t_{k+1} = (1 + √(1 + 4 t_k²)) / 2,                       t_0 = 1
 *   y_{k+1} = x_{k+1} + ((t_k − 1)/t_{k+1}) (x_{k+1} − x_k)
 * </pre>
 * The step is α = 0.9/L̂ (L̂ from power iteration; theory asks α ≤ 1/L). The strong-convexity
 * constant μ (smallest eigenvalue of the Hessian) is <b>not</b> estimated: the constant-momentum
 * variant β = (√κ − 1)/(√κ + 1) needs it, while the restart scheme recovers the optimal linear rate
 * 1 − O(1/√κ) without knowing it (it restarts about every √κ iterations on a quadratic). The test uses
 * gradients only — not the loss, whose changes drop below rounding long before the gradient does — so it
 * keeps working down to tolerances near ε.
 */
public final class NesterovMomentum implements Optimizer {

    private double[] xPrev;
    private double t = 1;

    /** A new optimizer; its momentum state starts empty and is sized on the first step. */
    public NesterovMomentum() {
    }

    @Override
    public void step(double[] params, double[] gradient, double alpha) {
        int n = params.length;
        if (xPrev == null || xPrev.length != n) {
            xPrev = params.clone();
            t = 1;
        }
        double gs = 0;
        for (int j = 0; j < n; j++) {
            double x = params[j] - alpha * gradient[j];
            gs += gradient[j] * (x - xPrev[j]);
        }
        if (gs > 0) t = 1;
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
    }

    @Override
    public String name() {
        return "nesterov";
    }
}
