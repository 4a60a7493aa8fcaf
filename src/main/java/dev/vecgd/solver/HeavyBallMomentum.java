package dev.vecgd.solver;

/**
 * Polyak's heavy ball ({@code momentum}) with an increasing momentum schedule and gradient restart:
 * <pre>
 *   if ∇J(w_k)ᵀv_k &gt; 0 then t_k ← 1              (restart: the velocity points uphill)
 *   t_{k+1} = (1 + √(1 + 4 t_k²)) / 2,   β_k = min({@value #BETA_MAX}, (t_k − 1)/t_{k+1}),   t_0 = 1
 *   v_{k+1} = β_k v_k − α ∇J(w_k),   w_{k+1} = w_k + v_{k+1}              (α = 0.9/L̂ by default)
 * </pre>
 * Unlike {@code nesterov} the gradient is taken at w_k itself, not at an extrapolated point. On a
 * quadratic the heavy ball is stable for α &lt; 2(1 + β)/L, which α = 0.9/L̂ and β ≤ 0.99 satisfy. The
 * textbook constant β = ((√κ − 1)/(√κ + 1))² with α = 4/(√L + √μ)² needs the smallest eigenvalue μ,
 * which vecgd does not estimate; instead β grows like Nesterov's sequence (0, 0.28, 0.43, …) and the
 * O'Donoghue–Candès gradient test resets it whenever the momentum overshoots, which adapts it to the
 * conditioning without μ. The test uses gradients only, so it keeps working below the precision of the loss.
 */
public final class HeavyBallMomentum implements Optimizer {

    /** Upper bound of the momentum coefficient β. */
    public static final double BETA_MAX = 0.99;

    private double[] v;
    private double t = 1;

    /** A new optimizer; its momentum state starts empty and is sized on the first step. */
    public HeavyBallMomentum() {
    }

    @Override
    public void step(double[] params, double[] gradient, double alpha) {
        int n = params.length;
        if (v == null || v.length != n) v = new double[n];
        double gv = 0;
        for (int j = 0; j < n; j++) gv += gradient[j] * v[j];
        if (gv > 0) t = 1;
        double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
        double beta = Math.min(BETA_MAX, (t - 1) / tNext);
        t = tNext;
        for (int j = 0; j < n; j++) {
            v[j] = beta * v[j] - alpha * gradient[j];
            params[j] += v[j];
        }
    }

    @Override
    public void reset() {
        v = null;
        t = 1;
    }

    @Override
    public String name() {
        return "momentum";
    }
}
