package dev.vecgd.solver;

/**
 * The L1 (lasso) and elastic-net fit: proximal gradient on the composite objective, in solver coordinates w
 * (see {@link Standardization}):
 * <pre>
 *   F(w) = J(w) + λ₁ Σ_{j&lt;n} |w_j|,     J = 1/(2m) Σ r_i² + (λ₂/2) Σ_{j&lt;n} w_j²      (intercept w_n never penalized)
 *   x_{k+1} = prox(y_k − α ∇J(y_k)),   prox(v)_j = sign(v_j)·max(|v_j| − αλ₁, 0)  (j &lt; n; the intercept is not thresholded)
 * </pre>
 * {@code gd} is the plain proximal gradient (ISTA: y_{k+1} = x_{k+1}); {@code nesterov} is FISTA with the adaptive
 * gradient restart of O'Donoghue &amp; Candès (2015), as in {@link NesterovMomentum}:
 * <pre>
 *   restart (t ← 1) when (y_k − x_{k+1})·(x_{k+1} − x_k) &gt; 0,   t' = (1 + √(1 + 4t²))/2,
 *   y_{k+1} = x_{k+1} + ((t − 1)/t')·(x_{k+1} − x_k)
 * </pre>
 * One fused kernel pass per iteration (J and ∇J at y_k); the soft-threshold is O(n). The step is the automatic
 * α = 0.9/L̂ of {@link LearningRates} (or the fixed rate), L̂ the power-iteration estimate of the largest eigenvalue
 * of the Hessian of J.
 *
 * <p><b>Stopping.</b> F has no gradient, so the rules of {@link StoppingRules} are applied to the <b>minimum-norm
 * subgradient</b> of F at the evaluated point y (computed exactly from ∇J(y), no extra pass):
 * <pre>
 *   s_j = ∂_j J + λ₁ sign(y_j)   (y_j ≠ 0),     s_j = sign(∂_j J)·max(|∂_j J| − λ₁, 0)   (y_j = 0),     s_n = ∂_n J
 * </pre>
 * ‖s‖ = 0 iff y minimizes F, and F is μ-strongly convex with μ = λ_min(H) of the same Hessian H as the smooth fit,
 * so ‖y − w*‖ ≤ ‖s‖/μ: CONVERGED ({@code ‖s‖ ≤ tol·S}) carries exactly the guarantee of the smooth solvers. The
 * extrapolated point of FISTA is not sparse in general; when the gradient mapping {@code ‖y − x_{k+1}‖/α} already
 * meets the tolerance, the momentum is restarted (y_{k+1} = x_{k+1}, a thresholded point), so the check is made at
 * a point with the zeros of the prox. Rounding floor, loss-change rule, budget and listener as for the other
 * solvers. FISTA's F is not monotone, so the {@link DivergenceGuard} counts only a non-finite F or growth beyond
 * 10⁶·F(w₀), not single rises.
 *
 * <p>Gradients follow the project convention: each evaluation zeroes its buffer and accumulates (see
 * {@link LeastSquaresObjective#evaluate}).
 */
final class ProximalGradient {

    private ProximalGradient() {
    }

    /**
     * Runs the fit from w.
     *
     * @param f          the objective J (with λ₂), its passes counted from here
     * @param o          the options: {@link FitOptions#l1()} λ₁, solver gd or nesterov, tolerances, budget
     * @param w          the start (solver coordinates), <b>overwritten</b> with the returned point
     * @param alpha      the step α
     * @param ratePasses passes already spent on the step (added to {@link FitResult#passes()})
     * @param gram       the Gram matrix for the diagnostics, or null (then one more pass if diagnostics are on)
     */
    static FitResult run(LeastSquaresObjective f, TargetStats targets, FitOptions o, long start, double[] w,
                         double alpha, long ratePasses, GramMatrix gram) {
        return run(f, targets, o, start, w, alpha, ratePasses, gram, 0);
    }

    /**
     * {@link #run(LeastSquaresObjective, TargetStats, FitOptions, long, double[], double, long, GramMatrix)} that also
     * stops, CONVERGED, as soon as the {@link DualityGap#relative() relative duality gap} at the evaluated point is at
     * most {@code gapTolerance} (&gt; 0; 0: off). The gap is computed from each evaluation's gradient (O(n), no pass);
     * it certifies {@code F(y) − F* ≤ gapTolerance·Σ(y − ȳ)²/m}, a bound on the objective, not on the coefficients.
     */
    static FitResult run(LeastSquaresObjective f, TargetStats targets, FitOptions o, long start, double[] w,
                         double alpha, long ratePasses, GramMatrix gram, double gapTolerance) {
        int size = f.size();
        int n = size - 1;
        long m = f.rows();
        double l1 = o.l1();
        boolean accelerated = o.solver() == Solver.NESTEROV;
        long passes0 = f.passes();
        double[] g = new double[size];
        double[] s = new double[size];
        double[] y = w.clone();
        double[] x = w.clone();
        double[] next = new double[size];
        double[] best = w.clone();
        History history = new History(o.historyCapacity());
        IterationListener listener = o.listener();
        StoppingRules rules = LinearRegression.rules(f, targets, o);
        double t = 1;
        double[] abar = gapTolerance > 0 ? DualityGap.columnMeans(f.scaling(), f.intercept()) : null;
        double gapScale = DualityGap.scale(targets, f.intercept());

        double loss = f.evaluate(y, g) + l1 * norm1(y, n);
        // F of FISTA rises and falls: only a non-finite or exploding F is divergence
        DivergenceGuard guard = new DivergenceGuard(loss, Double.POSITIVE_INFINITY);
        double bestLoss = Double.POSITIVE_INFINITY;
        double bestGrad = Double.NaN;
        double bestSsr = Double.NaN;
        int bestK = 0;
        StopReason reason;
        String message;
        double snorm;
        int k = 0;
        while (true) {
            snorm = subgradient(y, g, l1, n, s);
            double rmsR = Math.sqrt(f.lastSumSquares() / m);
            history.record(k, loss, snorm);
            if (loss < bestLoss) {
                System.arraycopy(y, 0, best, 0, size);
                bestLoss = loss;
                bestGrad = snorm;
                bestSsr = f.lastSumSquares();
                bestK = k;
            }
            boolean keepGoing = listener == null || listener.onIteration(k, loss, snorm);
            if (guard.diverged(k, loss, rules.lossNoise(y, rmsR))) {
                reason = StopReason.DIVERGED;
                message = "diverged: " + guard.reason() + " with step α = " + StoppingRules.fmt(alpha)
                        + (o.autoLearningRate() ? "" : "; use a smaller rate or the automatic rate")
                        + ". Returned the parameters of the lowest objective seen (iteration " + bestK + ").";
                break;
            }
            if (gapTolerance > 0) {
                double rel = DualityGap.at(y, g, f.lastSumSquares(), m, l1, f.l2(), abar, gapScale).relative();
                if (rel <= gapTolerance) {
                    reason = StopReason.CONVERGED;
                    message = "converged: relative duality gap " + StoppingRules.fmt(rel) + " <= "
                            + StoppingRules.fmt(gapTolerance) + " after " + k + " iterations";
                    break;
                }
            }
            StoppingRules.Verdict v = rules.check(k, loss, snorm, rmsR, y, true);
            if (v != StoppingRules.Verdict.CONTINUE) {
                reason = switch (v) {
                    case CONVERGED -> StopReason.CONVERGED;
                    case PRECISION_LIMIT -> StopReason.PRECISION_LIMIT;
                    default -> StopReason.STALLED;
                };
                message = rules.message(v, k, snorm, rmsR, y) + " (‖∇J‖: the smallest subgradient of J + λ₁‖w‖₁)";
                break;
            }
            if (!keepGoing) {
                reason = StopReason.STOPPED_BY_CALLBACK;
                message = "stopped by the listener at iteration " + k;
                break;
            }
            if (rules.outOfIterations(k)) {
                if (rules.belowFloor(snorm, rmsR, y)) {
                    reason = StopReason.PRECISION_LIMIT;
                    message = rules.precisionMessage("reached maxIterations = " + o.maxIterations(), snorm, rmsR, y);
                } else {
                    reason = StopReason.MAX_ITERATIONS;
                    message = "not converged: reached maxIterations = " + o.maxIterations() + " with ‖s‖/S = "
                            + StoppingRules.fmt(rules.relativeGradient(snorm, rmsR)) + " > tolerance "
                            + StoppingRules.fmt(o.gradientTolerance()) + " (s: the smallest subgradient of J + λ₁‖w‖₁)";
                }
                break;
            }
            double mapping = proxStep(y, g, alpha, l1, n, next);
            if (!accelerated) {
                System.arraycopy(next, 0, y, 0, size);
            } else {
                double gs = 0;
                for (int j = 0; j < size; j++) gs += (y[j] - next[j]) * (next[j] - x[j]);
                // restart when momentum points uphill, or when the mapping is within the tolerance: the next point
                // checked is then a thresholded one (the extrapolation would blur its zeros)
                if (gs > 0 || rules.gradientRule(mapping / alpha, rmsR)) t = 1;
                double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
                double beta = (t - 1) / tNext;
                for (int j = 0; j < size; j++) {
                    y[j] = next[j] + beta * (next[j] - x[j]);
                    x[j] = next[j];
                }
                t = tNext;
            }
            k++;
            loss = f.evaluate(y, g) + l1 * norm1(y, n);
        }
        double[] finalW = y;
        double finalLoss = loss;
        double finalGrad = snorm;
        double finalSsr = f.lastSumSquares();
        if (reason == StopReason.DIVERGED) {
            finalW = best;
            finalLoss = bestLoss;
            finalGrad = bestGrad;
            finalSsr = Double.isFinite(bestLoss) ? bestSsr : Double.NaN;
        }
        System.arraycopy(finalW, 0, w, 0, size);
        long passes = f.passes() - passes0 + ratePasses;
        return LinearRegression.result(f, targets, o, rules, w, k, reason, message, finalLoss, finalGrad, finalSsr,
                alpha, passes, history, start, o.solver().id(), gram);
    }

    /**
     * One proximal step: {@code next = prox(y − α g)} (soft-threshold by αλ₁ on the coefficients, not the intercept).
     *
     * @param y    the point, not modified
     * @param g    ∇J(y), not modified
     * @param next <b>overwritten</b> with the step
     * @return ‖y − next‖ (α times the norm of the gradient mapping)
     */
    static double proxStep(double[] y, double[] g, double alpha, double l1, int n, double[] next) {
        double threshold = alpha * l1;
        double sq = 0;
        for (int j = 0; j <= n; j++) {
            double v = y[j] - alpha * g[j];
            if (j < n) v = softThreshold(v, threshold);
            next[j] = v;
            double d = y[j] - v;
            sq += d * d;
        }
        return Math.sqrt(sq);
    }

    /** sign(v)·max(|v| − τ, 0). */
    static double softThreshold(double v, double tau) {
        return v > tau ? v - tau : v < -tau ? v + tau : 0;
    }

    /**
     * The minimum-norm subgradient s of F = J + λ₁‖w_{0..n−1}‖₁ at y (see the class comment).
     *
     * @param y point, not modified
     * @param g ∇J(y), not modified
     * @param s <b>overwritten</b> with s
     * @return ‖s‖ (scaled, so it neither overflows nor underflows)
     */
    static double subgradient(double[] y, double[] g, double l1, int n, double[] s) {
        double max = 0;
        for (int j = 0; j <= n; j++) {
            double v;
            if (j == n || l1 == 0) v = g[j];
            else if (y[j] > 0) v = g[j] + l1;
            else if (y[j] < 0) v = g[j] - l1;
            else v = softThreshold(g[j], l1);
            s[j] = v;
            max = Math.max(max, Math.abs(v));
        }
        if (max == 0 || !Double.isFinite(max)) return max;
        double sum = 0;
        for (int j = 0; j <= n; j++) {
            double u = s[j] / max;
            sum += u * u;
        }
        return max * Math.sqrt(sum);
    }

    /** Σ_{j&lt;n} |w_j|. */
    static double norm1(double[] w, int n) {
        double a = 0;
        for (int j = 0; j < n; j++) a += Math.abs(w[j]);
        return a;
    }
}
