package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.StridedVector;

/**
 * The pieces of a fit with sample weights ({@link LinearRegression#fit(Dataset, double[], FitOptions)}):
 * <pre>
 *   J(w) = 1/(2W) Σ_i w_i (x_i·β + b − y_i)²  (+ penalties),   W = Σ w_i
 * </pre>
 * computed as {@code 1/(2m) Σ_i v_i r_i²} with the normalized weights {@code v_i = w_i·m/W} (Σ v = m), so every
 * solver, the stopping rules and the statistics keep their row count m (all-ones weights give v = 1 exactly).
 * Standardization and target statistics are the weighted ones: {@code μ_j = Σ v_i x_ij/m},
 * {@code σ_j² = Σ v_i (x_ij − μ_j)²/m} (two passes). The gradient is the weighted fused kernel
 * ({@link Kernels#weightedLossGradientAdd}), one pass per evaluation, in fixed chunks on the calling thread; the
 * weighted Gram matrix (κ, standard errors, {@code normal}) one plain pass. Statistics in the frequency-weights
 * convention ({@link #finish}).
 */
final class WeightedFit {

    /** Rows per kernel call. */
    private static final int CHUNK = 65_536;

    final double[] v;
    final double totalWeight;
    final long positive;
    final Standardization scaling;
    final TargetStats targets;

    private WeightedFit(double[] v, double totalWeight, long positive, Standardization scaling, TargetStats targets) {
        this.v = v;
        this.totalWeight = totalWeight;
        this.positive = positive;
        this.scaling = scaling;
        this.targets = targets;
    }

    /**
     * Checks the weights and computes the weighted statistics.
     *
     * @throws IllegalArgumentException for a weight that is negative or not finite (naming its row), the wrong
     *                                  number of weights, or weights that are all 0
     */
    static WeightedFit of(Dataset data, double[] weights, boolean standardize, boolean intercept) {
        int m = data.rows();
        int n = data.cols();
        if (weights.length != m) {
            throw new IllegalArgumentException(weights.length + " sample weights for " + m + " rows");
        }
        double total = 0;
        long positive = 0;
        for (int i = 0; i < m; i++) {
            double w = weights[i];
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("the sample weight of row " + i + " is " + w
                        + ": weights must be finite and >= 0 (0 excludes the row)");
            }
            total += w;
            if (w > 0) positive++;
        }
        if (!(total > 0)) throw new IllegalArgumentException("every sample weight is 0: no row to fit");
        if (!Double.isFinite(total)) throw new IllegalArgumentException("overflow: the sample weights sum to " + total);
        double[] v = new double[m];
        double f = m / total;
        boolean equal = true;
        for (int i = 0; i < m; i++) equal &= weights[i] == weights[0];
        for (int i = 0; i < m; i++) v[i] = equal ? 1 : weights[i] * f;
        if (equal) { // equal weights: exactly the unweighted problem, with its statistics
            return new WeightedFit(v, total, positive, Standardization.compute(data, standardize, intercept),
                    TargetStats.of(data));
        }
        double[] mean = new double[n + 1];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) mean[j] += v[i] * data.x(i, j);
            mean[n] += v[i] * data.y(i);
        }
        for (int j = 0; j <= n; j++) mean[j] /= m;
        double[] sd = new double[n + 1];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double d = data.x(i, j) - mean[j];
                sd[j] += v[i] * d * d;
            }
            double d = data.y(i) - mean[n];
            sd[n] += v[i] * d * d;
        }
        for (int j = 0; j <= n; j++) sd[j] = Math.sqrt(sd[j] / m);
        Standardization s = Standardization.fromStats(java.util.Arrays.copyOf(mean, n), java.util.Arrays.copyOf(sd, n),
                standardize, intercept);
        return new WeightedFit(v, total, positive, s, TargetStats.of(m, mean[n], sd[n]));
    }

    /** The weighted gradient pass over the data (with y, or y ≡ 0 for the Hessian products). */
    GradientSource source(Dataset data, boolean withTargets) {
        int m = data.rows();
        int n = data.cols();
        StridedVector y = withTargets ? data.y() : StridedVector.of(new double[m]);
        double[] sums = new double[n + 1];
        return new GradientSource() {
            @Override
            public long rows() {
                return m;
            }

            @Override
            public void accumulate(double[] p, GradientBuffer into) {
                java.util.Arrays.fill(sums, 0.0);
                double ss = 0;
                for (int from = 0; from < m; from += CHUNK) {
                    int to = Math.min(m, from + CHUNK);
                    ss += Kernels.weightedLossGradientAdd(data.x(), p, p[n], y, v, 0, null, 0, sums, from, to);
                }
                into.add(sums, m, ss);
            }
        };
    }

    /**
     * The weighted Gram matrix of the standardized design, {@code G = Σ v_i ã_i ã_iᵀ / m} and
     * {@code c = Σ v_i ã_i (y_i − shift) / m} (one pass in plain loops, about m·k²/2 multiply-adds): the Hessian of the
     * weighted J, for κ and the standard errors (and the {@code normal} solver).
     */
    GramMatrix gram(Dataset data, boolean intercept, double yMean) {
        int m = data.rows();
        int n = data.cols();
        int k = intercept ? n + 1 : n;
        double shift = intercept ? yMean : 0;
        double[] g = new double[k * k];
        double[] rhs = new double[k];
        double[] a = new double[k];
        for (int i = 0; i < m; i++) {
            double vi = v[i];
            if (vi == 0) continue; // an excluded row
            for (int j = 0; j < n; j++) a[j] = (data.x(i, j) - scaling.mean(j)) * scaling.scale(j);
            if (intercept) a[n] = 1;
            double yi = data.y(i) - shift;
            for (int p = 0; p < k; p++) {
                double va = vi * a[p];
                rhs[p] += va * yi;
                for (int q = p; q < k; q++) g[p * k + q] += va * a[q];
            }
        }
        return GramMatrix.fromSums(n, intercept, shift, scaling, m, g, rhs);
    }

    /**
     * The result in the <b>frequency-weights</b> convention (the rows counted as repeated w_i times, so integer
     * weights give the statistics of the repeated rows): {@code σ̂ = √(Σ w_i r_i² / (W − p))}, p the fitted
     * parameters, and {@code Cov(β) = σ̂² (XᵀWX)⁻¹}. {@link Diagnostics} computed them with m − p degrees of
     * freedom from the normalized weights; they are rescaled here by √((m − p)/(W − p)).
     */
    FitResult finish(FitResult r, int parameters, long m) {
        double ssrWeighted = r.rmse() * r.rmse() * totalWeight; // rmse² = Σ v r²/m = Σ w r²/W
        double dof = totalWeight - parameters;
        double sigma = dof > 0 ? Math.sqrt(ssrWeighted / dof) : Double.NaN;
        double factor = dof > 0 && m > parameters ? Math.sqrt((m - parameters) / dof) : Double.NaN;
        double[] se = r.standardErrors();
        for (int j = 0; j < se.length; j++) se[j] *= factor;
        double seB = r.interceptStandardError() * factor;
        return new FitResult(r.coefficients(), r.intercept(), r.iterations(), r.converged(), r.stopReason(),
                r.message(), r.loss(), r.gradientNorm(), r.relativeGradient(), r.learningRate(), r.passes(),
                r.historyIterations(), r.historyLoss(), r.historyGradient(), r.wallTimeNanos(), r.r2(), r.rmse(),
                r.implementation(), r.optimizer(), sigma, se, seB, r.conditionNumber(), r.warning(),
                r.constantColumns(), r.settings(), r.rows());
    }
}
