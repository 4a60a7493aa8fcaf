package dev.vecgd.solver;

/**
 * {@code cg}: the conjugate gradient method on the (ridge-)regularized least-squares problem in
 * standardized coordinates (CGLS / CGNR), i.e. CG on the normal equations
 * <pre>
 *   H w = b,   H = ÃᵀÃ/m + λP,   b = Ãᵀy/m          (P: identity on the coefficients, 0 on the intercept)
 * </pre>
 * <b>without ever forming ÃᵀÃ</b>: each product Hd is one fused kernel pass over X,
 * {@code Ãᵀ(Ãd)/m + λPd} = the gradient of the same objective with y ≡ 0 evaluated at d. With
 * g_k = ∇J(w_k) = Hw_k − b:
 * <pre>
 *   d_0 = −g_0
 *   q_k = H d_k                                   (one read of X: residuals Ãd and Ãᵀ(Ãd) fused)
 *   a_k = g_kᵀg_k / d_kᵀq_k
 *   w_{k+1} = w_k + a_k d_k,   g_{k+1} = g_k + a_k q_k          (recurrence, no pass)
 *   J_{k+1} = J_k + a_k g_kᵀd_k + ½ a_k² d_kᵀq_k                 (exact for the quadratic J, no pass)
 *   d_{k+1} = −g_{k+1} + (g_{k+1}ᵀg_{k+1} / g_kᵀg_k) d_k
 * </pre>
 * So <b>one iteration is one read of X</b> (the two kernel operations Ãd and Ãᵀ(·) are fused into one
 * pass, {@link dev.vecgd.kernel.Kernels#lossGradientAdd}). The recurrence gradient drifts from the true
 * one by rounding, so whenever it satisfies the gradient rule the true ∇J(w) is evaluated (one more pass,
 * "residual replacement"): if that passes the {@link StoppingRules} the fit has converged, otherwise CG
 * restarts from the true gradient. Convergence and every reported loss/gradient at a stop are therefore
 * the true ones. In exact arithmetic CG ends in at most n + 1 iterations; the error in the H-norm shrinks
 * at least like 2((√κ − 1)/(√κ + 1))^k. No learning rate (α is reported as NaN), no power iteration.
 */
final class ConjugateGradient {

    private ConjugateGradient() {
    }

    /**
     * @param f the objective (with y)
     * @param h the same objective with y ≡ 0 (its gradient at d is Hd)
     * @param w the start, <b>modified</b> in place (the solution on return)
     */
    static FitResult run(LeastSquaresObjective f, LeastSquaresObjective h, TargetStats targets, FitOptions o,
                         long start, double[] w) {
        int size = f.size();
        int n = size - 1;
        long m = f.rows();
        double l2 = f.l2();
        double[] g = new double[size];
        double[] d = new double[size];
        double[] q = new double[size];
        double loss = f.evaluate(w, g);
        double ssr = f.lastSumSquares();
        StoppingRules rules = LinearRegression.rules(f, targets, o);
        IterationMonitor mon = new IterationMonitor(o, rules, loss, size, o.maxIterations(), "cg");
        double gg = dot(g, g);
        for (int j = 0; j < size; j++) d[j] = -g[j];
        boolean fresh = true;
        int k = 0;
        double gnorm;
        double rms;
        while (true) {
            gnorm = Math.sqrt(gg);
            rms = Math.sqrt(ssr / m);
            if (!fresh && (rules.gradientRule(gnorm, rms) || rules.belowFloor(gnorm, rms, w))) {
                // residual replacement: check the claim with the true gradient, restart from it
                loss = f.evaluate(w, g);
                ssr = f.lastSumSquares();
                gg = dot(g, g);
                for (int j = 0; j < size; j++) d[j] = -g[j];
                fresh = true;
                gnorm = Math.sqrt(gg);
                rms = Math.sqrt(ssr / m);
            }
            if (mon.stop(k, loss, gnorm, rms, w, ssr, fresh)) break;
            h.evaluate(d, q);
            double dq = dot(d, q);
            if (!(dq > 0) || !Double.isFinite(dq)) {
                mon.force(StopReason.PRECISION_LIMIT, "not converged: cg broke down at iteration " + k
                        + " (dᵀHd = " + StoppingRules.fmt(dq) + ": H is numerically singular along the search"
                        + " direction, or rounding dominates) with ‖∇J‖/S = "
                        + StoppingRules.fmt(rules.relativeGradient(gnorm, rms)) + " > tolerance "
                        + StoppingRules.fmt(o.gradientTolerance()));
                break;
            }
            double a = gg / dq;
            double gd = dot(g, d);
            for (int j = 0; j < size; j++) {
                w[j] += a * d[j];
                g[j] += a * q[j];
            }
            loss += a * gd + 0.5 * a * a * dq;
            double ggNew = dot(g, g);
            double beta = ggNew / gg;
            for (int j = 0; j < size; j++) d[j] = -g[j] + beta * d[j];
            gg = ggNew;
            double pen = 0;
            for (int j = 0; j < n; j++) pen += w[j] * w[j];
            ssr = Math.max(0, 2.0 * m * (loss - 0.5 * l2 * pen));
            fresh = false;
            k++;
        }
        double[] finalW = w;
        if (mon.reason == StopReason.DIVERGED) finalW = mon.best;
        if (!fresh || finalW != w) { // report the true values at the returned point
            loss = f.evaluate(finalW, g);
            ssr = f.lastSumSquares();
            gnorm = Math.sqrt(dot(g, g));
        }
        return LinearRegression.result(f, targets, o, rules, finalW, k, mon.reason, mon.message, loss, gnorm, ssr,
                Double.NaN, f.passes() + h.passes(), mon.history(), start, "cg", null);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }
}
