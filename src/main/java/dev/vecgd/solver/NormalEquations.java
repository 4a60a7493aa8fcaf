package dev.vecgd.solver;

/**
 * {@code normal}: the direct baseline. One pass over X accumulates the standardized Gram matrix
 * G = ÃᵀÃ/m and c = Ãᵀ(y − ȳ)/m ({@link GramMatrix}); then
 * <pre>
 *   H = G + λP = LLᵀ (Cholesky),   w = H⁻¹c (+ ȳ on the intercept)
 *   refinement: w ← w − H⁻¹∇J(w)   with the true gradient (one pass each), while the stopping rule fails
 * </pre>
 * at most {@value #MAX_REFINEMENTS} refinement steps (bounded by maxIterations). Iterations = refinement
 * steps taken; passes = every read of X. For row-major data with standardization on, the Gram pass is
 * {@link OnePassNormal}: it also does the finiteness check and the column and target statistics, so a
 * well-conditioned problem takes 2 reads (the Gram pass and the gradient check); the classic path (column-major
 * data, standardization off) reads X three more times first (the check and two statistics passes). The refinement recovers accuracy lost by
 * rounding in G (the normal equations square κ), but on an ill-conditioned problem it may still fail the
 * rule: the result then says {@code converged = false}. A warm start is ignored.
 *
 * <p>If H is not (numerically) positive definite — a Cholesky pivot ≤ k·ε·H_jj, i.e. a column is a
 * linear combination of the others (with λ = 0) — the least-squares solution is not unique. Then, as every
 * solver does on singular data (the contract of {@link Solver}), no exception: the factorization is of
 * {@code H + δ·diag(H)} with δ = {@value #SINGULAR_SHIFT} (a solution near the smallest in standardized
 * coordinates, the one gradient descent from 0 finds), refined with the true gradient, and the result is
 * {@link StopReason#ILL_CONDITIONED} with a message naming the dependent column and the warning of κ = ∞.
 */
final class NormalEquations {

    /** Relative diagonal shift used when H is singular. */
    static final double SINGULAR_SHIFT = 1e-10;

    /** Maximum refinement steps. */
    static final int MAX_REFINEMENTS = 3;

    private NormalEquations() {
    }

    static FitResult run(LeastSquaresObjective f, TargetStats targets, FitOptions o, long start) {
        int size = f.size();
        int n = size - 1;
        long m = f.rows();
        boolean intercept = f.intercept();
        GramMatrix gm = f.gram(targets.mean());
        int k = gm.k;
        double[] hm = gm.hessian(f.l2());
        int[] bad = new int[1];
        double[] l = GramMatrix.cholesky(hm, k, bad);
        String singular = null;
        if (l == null) {
            String col = bad[0] == n ? "the intercept column" : "column " + bad[0];
            singular = "not converged: ill-conditioned — XᵀX " + (f.l2() > 0 ? "+ λI " : "") + "is singular (Cholesky"
                    + " pivot of " + col + " ≤ k·ε of its diagonal, after standardization): the columns are linearly"
                    + " dependent and the least-squares coefficients are not unique; returned one least-squares solution"
                    + " (near the smallest in standardized coordinates; the fitted values are determined, the coefficients"
                    + " are not). Remove the dependent column or add an L2 penalty (l2 > 0) for unique coefficients.";
            double[] shifted = hm.clone();
            for (int p = 0; p < k; p++) shifted[p * k + p] += SINGULAR_SHIFT * Math.max(hm[p * k + p], Double.MIN_NORMAL);
            l = GramMatrix.cholesky(shifted, k, bad);
            if (l == null) { // an all-zero pivot even after the shift cannot happen for a finite H; be explicit anyway
                throw new IllegalStateException("normal equations: the shifted XᵀX is not positive definite either");
            }
        }
        double[] sol = GramMatrix.solve(l, k, gm.rhs);
        double[] w = new double[size];
        System.arraycopy(sol, 0, w, 0, n);
        if (intercept) w[n] = sol[n] + gm.shift;
        double[] g = new double[size];
        double loss = f.evaluate(w, g);
        double ssr = f.lastSumSquares();
        StoppingRules rules = LinearRegression.rules(f, targets, o);
        int budget = Math.min(o.maxIterations(), MAX_REFINEMENTS);
        IterationMonitor mon = new IterationMonitor(o, rules, loss, size, budget, "normal");
        int it = 0;
        double gnorm;
        double[] gk = new double[k];
        while (true) {
            gnorm = Math.sqrt(ConjugateGradient.dot(g, g));
            if (mon.stop(it, loss, gnorm, Math.sqrt(ssr / m), w, ssr, true)) break;
            System.arraycopy(g, 0, gk, 0, k);
            double[] delta = GramMatrix.solve(l, k, gk);
            for (int j = 0; j < k; j++) w[j] -= delta[j];
            loss = f.evaluate(w, g);
            ssr = f.lastSumSquares();
            it++;
        }
        double[] finalW = w;
        if (mon.reason == StopReason.DIVERGED) {
            finalW = mon.best;
            loss = f.evaluate(finalW, g);
            ssr = f.lastSumSquares();
            gnorm = Math.sqrt(ConjugateGradient.dot(g, g));
        }
        StopReason reason = mon.reason;
        String message = mon.message;
        if (singular != null && reason != StopReason.DIVERGED && reason != StopReason.STOPPED_BY_CALLBACK) {
            reason = StopReason.ILL_CONDITIONED;
            message = singular;
        }
        return LinearRegression.result(f, targets, o, rules, finalW, it, reason, message, loss, gnorm, ssr,
                Double.NaN, f.passes(), mon.history(), start, "normal", gm);
    }
}
