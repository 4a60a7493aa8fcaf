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
 *
 * <p><b>Preconditioned</b> (when the fit can afford the Gram matrix: at most {@value #PRECONDITION_MAX_COLUMNS}
 * columns and a Gram pass over the data, or one already made by the preparing pass): with M = LLᵀ the Cholesky
 * factor of H computed from the Gram matrix, every gradient is replaced by z = M⁻¹g in the direction and the step
 * (PCG: a_k = g_kᵀz_k / d_kᵀq_k, β = g_{k+1}ᵀz_{k+1} / g_kᵀz_k, d = −z + βd). M equals H up to the rounding of
 * the Gram matrix, so each product Hd — still the fused pass over X, never the Gram matrix — corrects what that
 * rounding lost: CG converges in a handful of passes whatever κ is (the classic preconditioned CGLS; with one
 * step it is iterative refinement of the normal equations). The stopping rules, the residual replacement and the
 * reported gradient are unchanged: they use the true gradient g, never z.
 */
final class ConjugateGradient {

    /** Columns up to which the Gram matrix (m·n²/2 multiply-adds, one pass) is worth a preconditioner. */
    static final int PRECONDITION_MAX_COLUMNS = 256;

    private ConjugateGradient() {
    }

    /**
     * The lower Cholesky factor of H = G + λP (k × k) to precondition with, or null: too many columns, no Gram
     * pass over this data, or H not numerically positive definite (then plain CG, which copes with a singular H).
     * Computing G costs one pass over X unless the preparing pass made it (counted in {@code f.passes()}).
     */
    static double[] preconditioner(LeastSquaresObjective f, TargetStats targets) {
        int n = f.size() - 1;
        if (n > PRECONDITION_MAX_COLUMNS || !f.hasGram()) return null;
        GramMatrix gm = f.gram(targets.mean());
        return GramMatrix.cholesky(gm.hessian(f.l2()), gm.k, new int[1]);
    }

    /** z = M⁻¹g on the first k entries (M = LLᵀ), z_j = g_j after them (no intercept: the last entry stays 0). */
    private static void precondition(double[] l, int k, double[] g, double[] z) {
        if (l == null) {
            System.arraycopy(g, 0, z, 0, g.length);
            return;
        }
        double[] head = GramMatrix.solve(l, k, java.util.Arrays.copyOf(g, k));
        System.arraycopy(head, 0, z, 0, k);
        for (int j = k; j < g.length; j++) z[j] = g[j];
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
        double[] chol = preconditioner(f, targets);
        int k = f.intercept() ? n + 1 : n;
        double[] g = new double[size];
        double[] z = new double[size];
        double[] d = new double[size];
        double[] q = new double[size];
        double loss = f.evaluate(w, g);
        double ssr = f.lastSumSquares();
        StoppingRules rules = LinearRegression.rules(f, targets, o);
        IterationMonitor mon = new IterationMonitor(o, rules, loss, size, o.maxIterations(), "cg");
        double gg = dot(g, g);
        precondition(chol, k, g, z);
        double gz = dot(g, z);
        for (int j = 0; j < size; j++) d[j] = -z[j];
        boolean fresh = true;
        int it = 0;
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
                precondition(chol, k, g, z);
                gz = dot(g, z);
                for (int j = 0; j < size; j++) d[j] = -z[j];
                fresh = true;
                gnorm = Math.sqrt(gg);
                rms = Math.sqrt(ssr / m);
            }
            if (mon.stop(it, loss, gnorm, rms, w, ssr, fresh)) break;
            h.evaluate(d, q);
            double dq = dot(d, q);
            if (!(dq > 0) || !Double.isFinite(dq)) {
                mon.force(StopReason.PRECISION_LIMIT, "not converged: cg broke down at iteration " + it
                        + " (dᵀHd = " + StoppingRules.fmt(dq) + ": H is numerically singular along the search"
                        + " direction, or rounding dominates) with ‖∇J‖/S = "
                        + StoppingRules.fmt(rules.relativeGradient(gnorm, rms)) + " > tolerance "
                        + StoppingRules.fmt(o.gradientTolerance()));
                break;
            }
            double a = gz / dq;
            double gd = dot(g, d);
            for (int j = 0; j < size; j++) {
                w[j] += a * d[j];
                g[j] += a * q[j];
            }
            loss += a * gd + 0.5 * a * a * dq;
            gg = dot(g, g);
            precondition(chol, k, g, z);
            double gzNew = dot(g, z);
            double beta = gzNew / gz;
            for (int j = 0; j < size; j++) d[j] = -z[j] + beta * d[j];
            gz = gzNew;
            double pen = 0;
            for (int j = 0; j < n; j++) pen += w[j] * w[j];
            ssr = Math.max(0, 2.0 * m * (loss - 0.5 * l2 * pen));
            fresh = false;
            it++;
        }
        double[] finalW = w;
        if (mon.reason == StopReason.DIVERGED) finalW = mon.best;
        if (!fresh || finalW != w) { // report the true values at the returned point
            loss = f.evaluate(finalW, g);
            ssr = f.lastSumSquares();
            gnorm = Math.sqrt(dot(g, g));
        }
        return LinearRegression.result(f, targets, o, rules, finalW, it, mon.reason, mon.message, loss, gnorm, ssr,
                Double.NaN, f.passes() + h.passes(), mon.history(), start, "cg", null);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }
}
