package dev.vecgd.solver;

import dev.vecgd.data.DataChecks;
import dev.vecgd.data.Dataset;

import java.util.Objects;

/**
 * The <b>duality gap</b> of the lasso / elastic-net objective at a point: a certificate of how far the point's
 * objective is from the minimum, {@code F(w, b) − F* ≤ gap}, computed from one gradient pass. The objective is the
 * one {@link LinearRegression#fit(Dataset, FitOptions)} minimizes with {@link FitOptions#l1()}, in the standardized
 * coordinates w of {@link Standardization} (intercept b = w_n never penalized):
 * <pre>
 *   P(w, b) = 1/(2m) ‖y − Ãw − b·1‖² + λ₁‖w‖₁ + (λ₂/2)‖w‖²
 * </pre>
 * The dual point is the standard one of glmnet, scikit-learn ({@code enet_coordinate_descent}) and celer: the
 * residual at the optimal intercept for this w, rescaled into the dual feasible set. With r = Ãw + b − y,
 * ρ = Σr/m (0 without an intercept), ā_j the column means of Ã (0 without an intercept), and g = ∇J(w, b) the
 * smooth gradient ({@code g_j = Σ r_i ã_ij/m + λ₂ w_j}):
 * <pre>
 *   q   = Σr²/m − ρ²                       (the mean square of the centred residual r − ρ)
 *   v_j = g_j − ā_j ρ                      (∇_w of the smooth part at the optimal intercept)
 *   c   = min(1, λ₁ / max_j |v_j|)         (1 when v = 0)
 *   D   = c·(q − w·(v − λ₂w)) − (c²/2)·(q + λ₂‖w‖²)
 *   gap = P(w, b) − D  ≥ 0
 * </pre>
 * D is the dual objective {@code θ·y − ½‖θ‖²} (per row) at the feasible θ = c·(centred residual) of the problem
 * augmented with √(mλ₂)·I for the ridge term, so {@code D ≤ F* ≤ P(w, b)} (weak duality), and gap = 0 exactly at
 * the optimum (there c = 1 by the optimality conditions). The intercept need not be at its optimum: P is taken at the
 * given b (so the gap also bounds the intercept's part of the suboptimality). {@link #relative()} divides by
 * {@code Σ(y − ȳ)²/m} (Σy²/m without an intercept): scikit-learn's {@code tol} convention (its gap on the ½‖·‖²
 * scale compared with {@code tol·‖y‖²}). With λ₁ = 0 the rescaled residual is feasible only at the optimum (c = 0
 * elsewhere, D = 0): the gap is then P itself, valid but uninformative.
 *
 * @param primal P(w, b), the penalized objective at the point (the {@link FitResult#loss()} of an L1 fit)
 * @param dual   D, the dual objective at the rescaled residual
 * @param gap    P − D, a rounded value below 0 (only near the optimum, within a few ulps of P) reported as 0
 * @param scale  Σ(y − ȳ)²/m with an intercept, Σy²/m without (what {@link #relative()} divides by)
 */
public record DualityGap(double primal, double dual, double gap, double scale) {

    /** gap / scale (0 when the gap is 0, +∞ when the targets have no spread but the gap does not vanish). */
    public double relative() {
        if (gap == 0) return 0;
        return scale > 0 ? gap / scale : Double.POSITIVE_INFINITY;
    }

    /**
     * The gap of a fitted model on the data it was fitted to: the standardization and target statistics of the
     * options (two passes and one more over y), then one gradient pass at the model's parameters.
     *
     * @param data    the data, not modified
     * @param options the options of the fit: standardize, intercept, {@link FitOptions#l1()} λ₁ and
     *                {@link FitOptions#l2()} λ₂ (threads and chunk size of the pass)
     * @param fit     the fit (coefficients on the original scale and intercept), not modified
     * @throws IllegalArgumentException for non-finite data or a fit with another number of coefficients
     */
    public static DualityGap of(Dataset data, FitOptions options, FitResult fit) {
        Objects.requireNonNull(fit, "fit is null");
        return of(data, options, fit.coefficients(), fit.intercept());
    }

    /**
     * The gap at the parameters {@code (coefficients, intercept)} on the original scale (see the class comment and
     * {@link #of(Dataset, FitOptions, FitResult)}).
     *
     * @param coefficients n values, not modified
     * @param intercept    the intercept (ignored without {@link FitOptions#intercept()})
     */
    public static DualityGap of(Dataset data, FitOptions options, double[] coefficients, double intercept) {
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(options, "options is null");
        Objects.requireNonNull(coefficients, "coefficients are null");
        int n = data.cols();
        if (coefficients.length != n) {
            throw new IllegalArgumentException(coefficients.length + " coefficients for " + n + " feature columns");
        }
        DataChecks.requireFinite(data);
        boolean icpt = options.intercept();
        Standardization s = Standardization.compute(data, options.standardize(), icpt);
        TargetStats t = TargetStats.of(data);
        double[] p = java.util.Arrays.copyOf(coefficients, n + 1);
        p[n] = icpt ? intercept : 0;
        double[] w = new double[n + 1];
        s.fromOriginal(p, w);
        double[] g = new double[n + 1];
        try (ParallelGradientSource source = new ParallelGradientSource(data, options.chunkRows(), options.threads())) {
            LeastSquaresObjective f = new LeastSquaresObjective(data, source, s, icpt, options.l2());
            f.evaluate(w, g);
            return at(w, g, f.lastSumSquares(), data.rows(), options.l1(), options.l2(), columnMeans(s, icpt),
                    scale(t, icpt));
        }
    }

    /**
     * The gap of a <b>weighted</b> fit ({@link LinearRegression#fit(Dataset, double[], FitOptions)}): the same formulas
     * with the normalized weights v = w·m/W in every sum (Σr² → Σ v r², ρ = Σ v r/m, ā the weighted column means of Ã,
     * the scale Σ v (y − ȳ_w)²/m), i.e. the gap of the unweighted problem on the rows scaled by √v. Integer weights give
     * the gap of the repeated rows. One weighted statistics pass (plain loops) and one weighted gradient pass.
     *
     * @param weights one weight per row, finite and ≥ 0, not all 0; not modified
     * @throws IllegalArgumentException as {@link #of(Dataset, FitOptions, double[], double)}, and for bad weights
     *                                  (naming the row)
     */
    public static DualityGap of(Dataset data, double[] weights, FitOptions options, double[] coefficients,
                                double intercept) {
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(weights, "weights are null");
        Objects.requireNonNull(options, "options is null");
        Objects.requireNonNull(coefficients, "coefficients are null");
        int n = data.cols();
        if (coefficients.length != n) {
            throw new IllegalArgumentException(coefficients.length + " coefficients for " + n + " feature columns");
        }
        DataChecks.requireFinite(data);
        boolean icpt = options.intercept();
        WeightedFit wf = WeightedFit.of(data, weights, options.standardize(), icpt);
        double[] p = java.util.Arrays.copyOf(coefficients, n + 1);
        p[n] = icpt ? intercept : 0;
        double[] w = new double[n + 1];
        wf.scaling.fromOriginal(p, w);
        double[] g = new double[n + 1];
        try (WeightedGradientSource source = wf.source(data, true, options)) {
            LeastSquaresObjective f = new LeastSquaresObjective(n, data.rows(), source, wf.scaling, icpt, options.l2(),
                    null);
            f.evaluate(w, g);
            return at(w, g, f.lastSumSquares(), data.rows(), options.l1(), options.l2(), columnMeans(wf.scaling, icpt),
                    scale(wf.targets, icpt));
        }
    }

    /**
     * The column means ā of the standardized design Ã: {@code (mean of x_j − μ_j)·s_j} with an intercept (0 when the
     * fit centres; the column means themselves with standardization off), all 0 without one (no intercept, no
     * constraint on the dual point).
     */
    static double[] columnMeans(Standardization s, boolean intercept) {
        int n = s.features();
        double[] a = new double[n];
        if (!intercept) return a;
        for (int j = 0; j < n; j++) a[j] = (s.columnMean(j) - s.mean(j)) * s.scale(j);
        return a;
    }

    /** The relative gap's divisor: Σ(y − ȳ)²/m with an intercept, Σy²/m without. */
    static double scale(TargetStats t, boolean intercept) {
        double s = t.spread(intercept);
        return s * s;
    }

    /**
     * The gap from one evaluation of J (no pass over the data; O(n)).
     *
     * @param w    the point in solver coordinates (n coefficients, intercept last), not modified
     * @param g    ∇J(w) as {@link LeastSquaresObjective#evaluate} gives it (with λ₂w; g_n = Σr/m, 0 without an
     *             intercept), not modified
     * @param ssr  Σr² of that evaluation
     * @param abar ā ({@link #columnMeans}), not modified
     */
    static DualityGap at(double[] w, double[] g, double ssr, long m, double l1, double l2, double[] abar,
                         double scale) {
        int n = w.length - 1;
        double rho = g[n];
        double q = ssr / m - rho * rho;
        double vmax = 0;
        double wu = 0;
        double ww = 0;
        double w1 = 0;
        for (int j = 0; j < n; j++) {
            double v = g[j] - abar[j] * rho;
            vmax = Math.max(vmax, Math.abs(v));
            wu += w[j] * (v - l2 * w[j]);
            ww += w[j] * w[j];
            w1 += Math.abs(w[j]);
        }
        double c = vmax > l1 ? l1 / vmax : 1;
        double primal = ssr / (2.0 * m) + 0.5 * l2 * ww + l1 * w1;
        double dual = c * (q - wu) - 0.5 * c * c * (q + l2 * ww);
        double gap = Math.max(0, primal - dual);
        return new DualityGap(primal, dual, gap, scale);
    }
}
