package dev.vecgd.solver;

import dev.vecgd.data.DataChecks;
import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.CompensatedKernels;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.kernel.SegmentReader;
import dev.vecgd.kernel.SegmentVector;

/**
 * {@code normal} with {@link Precision#EXTENDED}: the least-squares solution of the double data to nearly full
 * double precision, also where κ·ε ≥ 1. With A = [X, 1] (X alone without an intercept):
 * <pre>
 *   S = [X 1 y]ᵀ[X 1 y]                 one compensated Gram pass (double-double sums of exact products)
 *   T = XᵀX − m·μμᵀ,  c = Xᵀy − m·μ·ȳ    centred in double-double (μ = Σx/m; T = XᵀX, c = Xᵀy without intercept)
 *   E = DTD = LLᵀ                        double-double Cholesky, D = diag(1/√T_jj) (unit diagonal)
 *   β = D·E⁻¹·D·c,  b = ȳ − μᵀβ          double-double, rounded to double at the end
 *   refine: g = Aᵀ(Aβ + b − y) exactly   (one compensated gradient pass, {@link CompensatedKernels})
 *           δ_β = D·E⁻¹·D·(g_x − μ·g_1),  δ_b = g_1/m − μᵀδ_β      (block elimination of the ones column)
 *           (β, b) ← (β, b) − δ  while the correction shrinks
 * </pre>
 * The gradient is exact to about u² (u = 2⁻⁵³) relative to the terms summed, and the factorization solves with
 * a relative error ρ ≈ κ·k·u², so each refinement multiplies the error by ρ: the iterate reaches the rounding of
 * the exact solution to double as long as ρ ≪ 1 (κ ≪ 10³⁰).
 *
 * <p><b>Stopping</b>, with r(δ) = max over parameters of |δ_p|·‖a_p‖ / max_p |β_p|·‖a_p‖ (the correction relative
 * to the solution, in equilibrated coordinates; ‖a_p‖ = √T_pp, √m for the intercept), measured at the returned
 * point: {@link StopReason#CONVERGED} when r(δ) ≤ max(tol, 8ε) and ρ ≤ 1/2 (then the error of the returned point
 * is at most r(δ)/(1 − ρ) relative, in that norm); {@link StopReason#PRECISION_LIMIT} when r(δ) stops halving
 * before that; {@link StopReason#MAX_ITERATIONS} after min(maxIterations, {@value #MAX_REFINEMENTS}) refinements;
 * {@link StopReason#ILL_CONDITIONED} when the Cholesky of E fails even in double-double (the standard {@code normal}
 * fit is returned then, its message saying so). Iterations = refinements applied; passes = the Gram pass + the
 * gradient passes (the finiteness check and the two column-statistics passes are not counted, as in the classic
 * path).
 *
 * <p><b>Diagnostics</b> from the exact residuals of the returned point: Σr² in double-double, σ̂ = √(Σr²/(m − p)),
 * se(β_j) = σ̂·√((T⁻¹)_jj), se(b) = σ̂·√(1/m + μᵀT⁻¹μ) (μᵀT⁻¹μ in double-double: it cancels), κ₁ of E.
 */
final class ExtendedNormal {

    /** Most refinement passes. */
    static final int MAX_REFINEMENTS = 10;

    private static final double EPS = Math.ulp(1.0);
    private static final double U2 = 0x1p-104;

    /** The two passes over the data, accumulating double-doubles (layouts of {@link CompensatedKernels}). */
    private interface Passes {
        void gram(double[] acc);

        void gradient(double[] theta, double b, double[] acc);
    }

    private ExtendedNormal() {
    }

    static FitResult fit(Dataset data, FitOptions o, long start) {
        DataChecks.requireFinite(data);
        Standardization scaling = Standardization.compute(data, o.standardize(), o.intercept());
        TargetStats targets = TargetStats.of(data);
        LinearRegression.checkRange(scaling, targets, data.rows(), o);
        int m = data.rows();
        Passes passes = new Passes() {
            @Override
            public void gram(double[] acc) {
                CompensatedKernels.gramAdd(data.x(), data.y(), 0, m, acc);
            }

            @Override
            public void gradient(double[] theta, double b, double[] acc) {
                CompensatedKernels.residualsGradientAdd(data.x(), theta, b, data.y(), 0, m, acc);
            }
        };
        FitResult r = solve(passes, data.cols(), m, scaling, targets, o, start);
        return r != null ? r : singular(LinearRegression.fitStandard(data, o));
    }

    static FitResult fit(SegmentDataset data, FitOptions o, long start) {
        DataChecks.requireFinite(data);
        Standardization scaling = Standardization.compute(data, o.standardize(), o.intercept());
        TargetStats targets = TargetStats.of(data);
        LinearRegression.checkRange(scaling, targets, data.rows(), o);
        int n = data.cols();
        SegmentMatrix x = data.x();
        SegmentVector y = data.y();
        double[] ys = new double[SegmentReader.BUFFER];
        Passes passes = new Passes() {
            @Override
            public void gram(double[] acc) {
                rows(x, y, ys, (buf, off, ld, count) -> CompensatedKernels.gramAddRows(buf, off, ld, count, n, ys, 0, acc));
            }

            @Override
            public void gradient(double[] theta, double b, double[] acc) {
                rows(x, y, ys, (buf, off, ld, count) ->
                        CompensatedKernels.residualsGradientAddRows(buf, off, ld, count, n, theta, b, ys, 0, acc));
            }
        };
        FitResult r = solve(passes, n, data.rows(), scaling, targets, o, start);
        return r != null ? r : singular(LinearRegression.fitStandard(data, o));
    }

    private interface Block {
        void accept(double[] buf, int off, int ld, int count);
    }

    /** Row-major heap blocks of off-heap rows, with their targets in ys. */
    private static void rows(SegmentMatrix x, SegmentVector y, double[] ys, Block consumer) {
        int n = x.cols();
        if (x.layout() == Layout.ROW_MAJOR && n > 0) {
            SegmentReader.rows(x, (buf, ld, first, count) -> {
                for (int from = 0; from < count; from += ys.length) {
                    int cnt = Math.min(ys.length, count - from);
                    for (int i = 0; i < cnt; i++) ys[i] = y.get(first + from + i);
                    consumer.accept(buf, from * ld, ld, cnt);
                }
            });
            return;
        }
        int block = Math.max(1, ys.length / Math.max(1, n));
        double[] buf = new double[block * Math.max(1, n)];
        for (long first = 0; first < x.rows(); first += block) {
            int cnt = (int) Math.min(block, x.rows() - first);
            for (int i = 0; i < cnt; i++) {
                for (int j = 0; j < n; j++) buf[i * n + j] = x.get(first + i, j);
                ys[i] = y.get(first + i);
            }
            consumer.accept(buf, 0, n, cnt);
        }
    }

    private static FitResult singular(FitResult standard) {
        String note = "precision extended: XᵀX is singular even in double-double arithmetic (the columns are linearly"
                + " dependent); this is the standard-precision normal fit: ";
        return new FitResult(standard.coefficients(), standard.intercept(), standard.iterations(), false,
                StopReason.ILL_CONDITIONED, note + standard.message(), standard.loss(), standard.gradientNorm(),
                standard.relativeGradient(), standard.learningRate(), standard.passes(), standard.historyIterations(),
                standard.historyLoss(), standard.historyGradient(), standard.wallTimeNanos(), standard.r2(),
                standard.rmse(), standard.implementation(), standard.optimizer(), standard.residualStd(),
                standard.standardErrors(), standard.interceptStandardError(), standard.conditionNumber(),
                standard.warning(), standard.constantColumns(), standard.settings(), standard.rows());
    }

    /** The fit, or null when E is not positive definite in double-double. */
    private static FitResult solve(Passes data, int n, long m, Standardization scaling, TargetStats targets,
                                   FitOptions o, long start) {
        boolean intercept = o.intercept();
        int w = n + 2;
        double[] acc = new double[2 * w * w];
        data.gram(acc);
        long passes = 1;
        int[] act = active(scaling, n);
        int k = act.length;
        DoubleDouble md = DoubleDouble.of((double) m);
        DoubleDouble[] mu = new DoubleDouble[k];
        for (int p = 0; p < k; p++) mu[p] = intercept ? dd(acc, w, act[p], n).div(md) : DoubleDouble.ZERO;
        DoubleDouble yMean = dd(acc, w, n, n + 1).div(md);
        DoubleDouble[] t = new DoubleDouble[k * k];
        DoubleDouble[] c = new DoubleDouble[k];
        for (int p = 0; p < k; p++) {
            for (int q = p; q < k; q++) {
                DoubleDouble v = dd(acc, w, act[p], act[q]);
                if (intercept) v = v.sub(dd(acc, w, act[p], n).mul(mu[q]));
                t[p * k + q] = v;
                t[q * k + p] = v;
            }
            c[p] = dd(acc, w, act[p], n + 1);
            if (intercept) c[p] = c[p].sub(dd(acc, w, act[p], n).mul(yMean));
        }
        double[] d = new double[k];
        for (int p = 0; p < k; p++) {
            if (!(t[p * k + p].hi() > 0)) return null;
            d[p] = 1 / Math.sqrt(t[p * k + p].hi());
        }
        DoubleDouble[] e = new DoubleDouble[k * k];
        for (int p = 0; p < k; p++) for (int q = 0; q < k; q++) e[p * k + q] = t[p * k + q].mul(d[p]).mul(d[q]);
        DoubleDouble[] l = cholesky(e, k);
        if (l == null) return null;
        double[][] inv = inverse(l, d, k); // E⁻¹, for κ and the standard errors
        double kappa = Math.max(norm1(e, k), intercept ? 1 : 0) * Math.max(norm1(inv, k), intercept ? 1 : 0);
        double rho = kappa * k * 16 * U2;

        // the first solution from the Gram sums
        DoubleDouble[] beta = solve(l, d, c, k);
        double[] theta = new double[n];
        for (int p = 0; p < k; p++) theta[act[p]] = beta[p].value();
        double b = 0;
        if (intercept) {
            DoubleDouble bb = yMean;
            for (int p = 0; p < k; p++) bb = bb.sub(mu[p].mul(beta[p]));
            b = bb.value();
        }
        double sqrtM = Math.sqrt((double) m);
        double[] norms = new double[k];
        for (int p = 0; p < k; p++) norms[p] = Math.sqrt(t[p * k + p].hi());

        int budget = Math.min(o.maxIterations(), MAX_REFINEMENTS);
        History history = new History(o.historyCapacity());
        double[] g = new double[2 * (n + 2)];
        double previous = Double.POSITIVE_INFINITY;
        double tol = Math.max(o.gradientTolerance(), 8 * EPS);
        int it = 0;
        StopReason reason;
        double rel;
        while (true) {
            java.util.Arrays.fill(g, 0);
            data.gradient(theta, b, g);
            passes++;
            DoubleDouble g1 = dd(g, n);
            DoubleDouble[] rhs = new DoubleDouble[k];
            for (int p = 0; p < k; p++) rhs[p] = intercept ? dd(g, act[p]).sub(mu[p].mul(g1)) : dd(g, act[p]);
            DoubleDouble[] delta = solve(l, d, rhs, k);
            DoubleDouble deltaB = DoubleDouble.ZERO;
            if (intercept) {
                deltaB = g1.div(md);
                for (int p = 0; p < k; p++) deltaB = deltaB.sub(mu[p].mul(delta[p]));
            }
            double num = intercept ? Math.abs(deltaB.hi()) * sqrtM : 0;
            double den = intercept ? Math.abs(b) * sqrtM : 0;
            for (int p = 0; p < k; p++) {
                num = Math.max(num, Math.abs(delta[p].hi()) * norms[p]);
                den = Math.max(den, Math.abs(theta[act[p]]) * norms[p]);
            }
            rel = den > 0 ? num / den : (num > 0 ? Double.POSITIVE_INFINITY : 0);
            double ssr = dd(g, n + 1).value();
            history.record(it, ssr / (2.0 * m), gradientNorm(g, scaling, n, intercept, m));
            if (rel <= tol && rho <= 0.5) {
                reason = StopReason.CONVERGED;
                break;
            }
            if (!(rel <= 0.5 * previous)) {
                reason = StopReason.PRECISION_LIMIT;
                break;
            }
            if (it >= budget) {
                reason = StopReason.MAX_ITERATIONS;
                break;
            }
            for (int p = 0; p < k; p++) theta[act[p]] = DoubleDouble.of(theta[act[p]]).sub(delta[p]).value();
            if (intercept) b = DoubleDouble.of(b).sub(deltaB).value();
            previous = rel;
            it++;
        }
        return result(g, theta, b, it, reason, rel, rho, kappa, passes, history, act, d, inv, l, mu, scaling, targets,
                n, m, o, start);
    }

    private static FitResult result(double[] g, double[] theta, double b, int it, StopReason reason, double rel,
                                    double rho, double kappa, long passes, History history, int[] act, double[] d,
                                    double[][] inv, DoubleDouble[] l, DoubleDouble[] mu, Standardization scaling,
                                    TargetStats targets, int n, long m, FitOptions o, long start) {
        boolean intercept = o.intercept();
        int k = act.length;
        double ssr = dd(g, n + 1).value();
        double loss = ssr / (2.0 * m);
        double gnorm = gradientNorm(g, scaling, n, intercept, m);
        double rmse = Math.sqrt(ssr / m);
        double sst = targets.totalSumSquares(intercept);
        double r2 = sst > 0 ? 1 - ssr / sst : Double.NaN;
        double tol = o.gradientTolerance();
        String message = switch (reason) {
            case CONVERGED -> String.format(java.util.Locale.ROOT, "converged (extended precision) after %d"
                    + " refinements: the correction from the exact gradient is %.3g of the solution ≤ max(tol, 8ε) ="
                    + " %.3g (factorization error ρ ≈ κ·k·16·2⁻¹⁰⁴ = %.3g)", it, rel, Math.max(tol, 8 * EPS), rho);
            case PRECISION_LIMIT -> String.format(java.util.Locale.ROOT, "not converged: extended-precision refinement"
                    + " stopped shrinking after %d refinements at a correction of %.3g of the solution > max(tol, 8ε) ="
                    + " %.3g; %s", it, rel, Math.max(tol, 8 * EPS), rho > 0.5 ? String.format(java.util.Locale.ROOT,
                    "κ ≈ %.3g is beyond double-double arithmetic (ρ = %.3g > 1/2)", kappa, rho)
                    : "the tolerance is below what the double coefficients can hold");
            default -> String.format(java.util.Locale.ROOT, "not converged: reached %d extended-precision refinements"
                    + " (min(maxIterations = %d, %d)) with a correction of %.3g of the solution > max(tol, 8ε) = %.3g",
                    it, o.maxIterations(), MAX_REFINEMENTS, rel, Math.max(tol, 8 * EPS));
        };
        double[] se = new double[n];
        double interceptSe = 0;
        double residualStd = Double.NaN;
        double kappaOut = Double.NaN;
        if (o.diagnostics()) {
            long dof = m - k - (intercept ? 1 : 0);
            residualStd = dof > 0 ? Math.sqrt(ssr / dof) : Double.NaN;
            for (int p = 0; p < k; p++) se[act[p]] = residualStd * Math.sqrt(inv[p][p]) * d[p];
            if (intercept) {
                DoubleDouble q = DoubleDouble.of(1).div((double) m); // 1/m + μᵀT⁻¹μ, T⁻¹ = D E⁻¹ D
                DoubleDouble[] z = solve(l, d, mu, k);
                for (int p = 0; p < k; p++) q = q.add(mu[p].mul(z[p]));
                interceptSe = residualStd * Math.sqrt(q.value());
            }
            kappaOut = kappa;
        } else {
            java.util.Arrays.fill(se, Double.NaN);
            interceptSe = Double.NaN;
        }
        String warning = warning(kappaOut, scaling, intercept);
        String unused = o.unusedOptions();
        if (!unused.isEmpty()) warning = warning.isEmpty() ? unused : warning + "; " + unused;
        StoppingRules rules = LinearRegression.rules(scaling, targets, o);
        return new FitResult(theta, intercept ? b : 0, it, reason == StopReason.CONVERGED, reason, message, loss, gnorm,
                rules.relativeGradient(gnorm, rmse), Double.NaN, passes, history.iterations(), history.losses(),
                history.gradientNorms(), System.nanoTime() - start, r2, rmse, implementation(), Solver.NORMAL.id(),
                residualStd, se, interceptSe, kappaOut, warning, scaling.constantColumns(), o.settings(), m);
    }

    /** {@link FitResult#implementation()} of an extended fit: which compensated passes ran. */
    static String implementation() {
        return "extended precision: compensated passes on " + dev.vecgd.kernel.Kernels.implementation();
    }

    /** The warning of an extended fit: the sensitivity of the solution to the rounding of the data itself. */
    static String warning(double kappa, Standardization s, boolean intercept) {
        String base = LinearRegression.warning(Double.NaN, 0, true, s, intercept);
        if (Double.isNaN(kappa) || kappa * EPS <= 1e-6) return base;
        String c = String.format(java.util.Locale.ROOT, "ill-conditioned: κ ≈ %.3g (the equilibrated XᵀX);"
                + " extended precision solves the double data as given, but a change of the data by its rounding"
                + " (relative ε) may move the coefficients by about κ·ε ≈ %.2g relative (%.1f digits that the data"
                + " itself determines)", kappa, kappa * EPS, Math.max(0, -Math.log10(kappa * EPS)));
        return base.isEmpty() ? c : c + "; " + base;
    }

    /** ‖∇J‖ in standardized coordinates from the double-double gradient sums. */
    private static double gradientNorm(double[] g, Standardization s, int n, boolean intercept, long m) {
        double sum = 0;
        for (int j = 0; j < n; j++) {
            double sc = s.scale(j) == 0 ? 0 : 1 / s.scale(j); // ∂J/∂w_j = σ_j·∂J/∂β_j (standardized w_j = β_j·σ_j)
            double v = dd(g, j).value() / m * sc;
            sum += v * v;
        }
        if (intercept) {
            double v = dd(g, n).value() / m;
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    private static int[] active(Standardization s, int n) {
        int k = 0;
        for (int j = 0; j < n; j++) if (!s.isConstant(j)) k++;
        int[] act = new int[k];
        k = 0;
        for (int j = 0; j < n; j++) if (!s.isConstant(j)) act[k++] = j;
        return act;
    }

    private static DoubleDouble dd(double[] acc, int w, int u, int v) {
        int i = 2 * (Math.min(u, v) * w + Math.max(u, v));
        return DoubleDouble.of(acc[i], acc[i + 1]);
    }

    private static DoubleDouble dd(double[] acc, int q) {
        return DoubleDouble.of(acc[2 * q], acc[2 * q + 1]);
    }

    /** Lower Cholesky factor of the k × k symmetric e (row-major), or null if a pivot is ≤ k·16·u² (e has unit diagonal). */
    static DoubleDouble[] cholesky(DoubleDouble[] e, int k) {
        DoubleDouble[] l = new DoubleDouble[k * k];
        java.util.Arrays.fill(l, DoubleDouble.ZERO);
        for (int j = 0; j < k; j++) {
            DoubleDouble s = e[j * k + j];
            for (int p = 0; p < j; p++) s = s.sub(l[j * k + p].mul(l[j * k + p]));
            if (!(s.hi() > 16.0 * k * U2)) return null;
            DoubleDouble dj = s.sqrt();
            l[j * k + j] = dj;
            for (int i = j + 1; i < k; i++) {
                DoubleDouble v = e[i * k + j];
                for (int p = 0; p < j; p++) v = v.sub(l[i * k + p].mul(l[j * k + p]));
                l[i * k + j] = v.div(dj);
            }
        }
        return l;
    }

    /** D·(LLᵀ)⁻¹·D·rhs in double-double. */
    static DoubleDouble[] solve(DoubleDouble[] l, double[] d, DoubleDouble[] rhs, int k) {
        DoubleDouble[] z = new DoubleDouble[k];
        for (int i = 0; i < k; i++) {
            DoubleDouble v = rhs[i].mul(d[i]);
            for (int p = 0; p < i; p++) v = v.sub(l[i * k + p].mul(z[p]));
            z[i] = v.div(l[i * k + i]);
        }
        for (int i = k - 1; i >= 0; i--) {
            DoubleDouble v = z[i];
            for (int p = i + 1; p < k; p++) v = v.sub(l[p * k + i].mul(z[p]));
            z[i] = v.div(l[i * k + i]);
        }
        for (int i = 0; i < k; i++) z[i] = z[i].mul(d[i]);
        return z;
    }

    /** E⁻¹ = (LLᵀ)⁻¹ rounded to double (unit D). */
    private static double[][] inverse(DoubleDouble[] l, double[] d, int k) {
        double[] ones = new double[k];
        java.util.Arrays.fill(ones, 1);
        double[][] inv = new double[k][k];
        for (int q = 0; q < k; q++) {
            DoubleDouble[] unit = new DoubleDouble[k];
            for (int p = 0; p < k; p++) unit[p] = p == q ? DoubleDouble.of(1) : DoubleDouble.ZERO;
            DoubleDouble[] col = solve(l, ones, unit, k);
            for (int p = 0; p < k; p++) inv[p][q] = col[p].value();
        }
        return inv;
    }

    private static double norm1(DoubleDouble[] a, int k) {
        double best = 0;
        for (int q = 0; q < k; q++) {
            double s = 0;
            for (int p = 0; p < k; p++) s += Math.abs(a[p * k + q].value());
            best = Math.max(best, s);
        }
        return best;
    }

    private static double norm1(double[][] a, int k) {
        double best = 0;
        for (int q = 0; q < k; q++) {
            double s = 0;
            for (int p = 0; p < k; p++) s += Math.abs(a[p][q]);
            best = Math.max(best, s);
        }
        return best;
    }
}
