package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.kernel.SegmentReader;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;

/**
 * Feature standardization <b>without copying X</b>: the solver works in coordinates w of the
 * standardized features {@code x̃_ij = (x_ij − μ_j)·s_j} (D = diag(s), s_j = 1/σ_j), while every
 * kernel call reads the original X.
 *
 * <p>The identities used (exact in real arithmetic, for any μ and s):
 * <pre>
 *   prediction:  x̃_i·w + w_n = x_i·(D w) + (w_n − μ·D w)          → kernel coefficients β = D w, b = w_n − μ·β
 *   gradient:    ∂J/∂w_j = s_j·(Σ r_i x_ij − μ_j Σ r_i)/m = [D(Xᵀr − μ Σr)]_j / m,   ∂J/∂w_n = Σ r_i / m
 * </pre>
 * With an intercept, μ_j is the column mean and σ_j the (population) standard deviation. Without an
 * intercept the features are scaled but <b>not centered</b> (centering would change the model):
 * μ = 0 and σ_j is the root mean square of column j. With standardization off, μ = 0 and s = 1.
 *
 * <p><b>Column statistics</b> are computed in two passes: the first sums each column (and finds max |x_j|),
 * the second sums {@code d = (x − μ₀)·c} and {@code d²} with μ₀ the first mean and c a power of two
 * near 1/max|x_j| (exact scaling, so the squares neither overflow nor underflow for any finite data);
 * then {@code μ = μ₀ + Σd/(c·m)} and {@code σ² = (Σd² − (Σd)²/m)/(c²·m)} (the corrected two-pass
 * algorithm). A column whose values are all equal gets σ = 0 up to a few ulps of μ, whatever μ (0.1,
 * 1/3, 1e300).
 *
 * <p><b>Constant columns.</b> With an intercept, a column with {@code σ_j ≤} {@value #CONSTANT_ULPS}{@code ·ε·|μ_j|}
 * (constant to working precision — including an all-zero column) is <i>constant</i>: s_j = 0, so its
 * coefficient is 0 and the intercept absorbs it (it is indistinguishable from the intercept), and it takes
 * no part in the trace T, the stopping scale or the degrees of freedom — also with standardization off.
 * Without an intercept a constant nonzero column is an ordinary regressor (it plays the intercept's role);
 * only an all-zero column is constant there (coefficient 0: it has no effect on the fit). {@link #constantColumns()}
 * lists them; {@link FitResult#constantColumns()} reports them.
 *
 * <p>Coefficients are reported on the original scale: {@code β = D w}, {@code b = w_n − μ·β}.
 * Immutable after construction; {@link #compute} makes two passes over X, the other methods none.
 */
public final class Standardization {

    /** A column with σ ≤ CONSTANT_ULPS·ε·|μ| is constant (with an intercept). */
    public static final double CONSTANT_ULPS = 8;

    private final int n;
    private final double[] mean;
    private final double[] scale;
    private final double trace;
    private final double centeringGain;
    /** True column means and (centered) standard deviations, whatever the standardization; raw root mean squares. */
    private final double[] columnMean;
    private final double[] columnStd;
    private final double[] columnRms;
    private final boolean[] constant;

    private Standardization(double[] mean, double[] scale, double trace, double[] columnMean, double[] columnStd,
                            boolean[] constant) {
        this.n = mean.length;
        this.mean = mean;
        this.scale = scale;
        this.trace = trace;
        this.columnMean = columnMean;
        this.columnStd = columnStd;
        this.constant = constant;
        this.columnRms = new double[n];
        double gain = 0;
        for (int j = 0; j < n; j++) {
            gain = Math.max(gain, Math.abs(mean[j]) * scale[j]);
            columnRms[j] = Math.hypot(columnMean[j], columnStd[j]);
        }
        this.centeringGain = 1 + gain;
    }

    /**
     * Column statistics of {@code data} (two passes over X in its storage order).
     *
     * @param standardize false: μ = 0, s = 1 (the identity, but constant columns still get s = 0 with an intercept)
     * @param intercept   true: center and scale by the standard deviation; false: scale by the RMS
     */
    public static Standardization compute(Dataset data, boolean standardize, boolean intercept) {
        Matrix x = data.x();
        return compute(x.rows(), x.cols(), (c, f, a, b) -> columnSums(x, c, f, a, b), standardize, intercept);
    }

    /** {@link #compute(Dataset, boolean, boolean)} for off-heap data (two passes over X in storage order). */
    public static Standardization compute(SegmentDataset data, boolean standardize, boolean intercept) {
        SegmentMatrix x = data.x();
        return compute(x.rows(), x.cols(), (c, f, a, b) -> columnSums(x, c, f, a, b), standardize, intercept);
    }

    /**
     * center == null: a[j] += Σ x_ij, b[j] = max(b[j], |x_ij|); else a[j] += Σ d_ij, b[j] += Σ d_ij² with
     * d_ij = (x_ij − center_j)·factor_j.
     */
    private interface ColumnSums {
        void add(double[] center, double[] factor, double[] a, double[] b);
    }

    private static Standardization compute(long m, int n, ColumnSums sums, boolean standardize, boolean intercept) {
        double[] sum = new double[n];
        double[] max = new double[n];
        sums.add(null, null, sum, max);
        double[] mu0 = new double[n];
        double[] factor = new double[n];
        for (int j = 0; j < n; j++) {
            mu0[j] = sum[j] / m;
            if (!Double.isFinite(mu0[j])) {
                throw new IllegalArgumentException("overflow: the sum of feature column " + j + " is " + sum[j]
                        + " (values up to " + max[j] + "): the data's magnitude is beyond double arithmetic;"
                        + " divide the column by a power of ten and fit again");
            }
            factor[j] = max[j] > 0 ? Math.scalb(1.0, -Math.getExponent(max[j])) : 1;
        }
        double[] d1 = new double[n];
        double[] d2 = new double[n];
        sums.add(mu0, factor, d1, d2);
        double[] mu = new double[n];
        double[] sd = new double[n];
        for (int j = 0; j < n; j++) {
            double dm = d1[j] / m;
            mu[j] = mu0[j] + dm / factor[j];
            double var = Math.max(0, d2[j] / m - dm * dm);
            sd[j] = Math.sqrt(var) / factor[j];
        }
        return fromStats(mu, sd, standardize, intercept);
    }

    /**
     * From column means and centered standard deviations computed elsewhere (e.g. by a {@link RowSource}).
     *
     * @param mu the column means, not kept
     * @param sd the column standard deviations √(Σ(x − μ)²/m), not kept
     */
    static Standardization fromStats(double[] mu, double[] sd, boolean standardize, boolean intercept) {
        int n = mu.length;
        double[] center = new double[n];
        double[] s = new double[n];
        boolean[] constant = new boolean[n];
        double trace = intercept ? 1 : 0;
        double eps = Math.ulp(1.0);
        for (int j = 0; j < n; j++) {
            double rms = Math.hypot(mu[j], sd[j]);
            constant[j] = intercept ? sd[j] <= CONSTANT_ULPS * eps * Math.abs(mu[j]) : rms == 0;
            double sigma = intercept ? sd[j] : rms;
            if (!constant[j] && !(1 / sigma < Double.POSITIVE_INFINITY)) constant[j] = true; // σ subnormal
            if (constant[j]) {
                s[j] = 0;
            } else if (!standardize) {
                s[j] = 1;
                trace += rms * rms;
            } else {
                s[j] = 1 / sigma;
                center[j] = intercept ? mu[j] : 0;
                trace += 1;
            }
        }
        return new Standardization(center, s, trace, mu.clone(), sd.clone(), constant);
    }

    /** Identity scaling for n features (no standardization). */
    public static Standardization identity(int n) {
        double[] s = new double[n];
        java.util.Arrays.fill(s, 1);
        return new Standardization(new double[n], s, Double.NaN, new double[n], new double[n], new boolean[n]);
    }

    private static void columnSums(Matrix x, double[] center, double[] factor, double[] a, double[] b) {
        double[] v = x.data();
        int m = x.rows();
        int n = x.cols();
        if (x.layout() == Layout.ROW_MAJOR) {
            for (int i = 0; i < m; i++) rowSums(v, x.offset() + i * x.ld(), n, center, factor, a, b);
        } else {
            for (int j = 0; j < n; j++) {
                double[] r = columnSums(v, x.offset() + j * x.ld(), m, center == null ? 0 : center[j],
                        factor == null ? 1 : factor[j], center != null);
                combine(j, r, center != null, a, b);
            }
        }
    }

    private static void rowSums(double[] v, int base, int n, double[] center, double[] factor, double[] a, double[] b) {
        for (int j = 0; j < n; j++) {
            double e = v[base + j];
            if (center == null) {
                a[j] += e;
                b[j] = Math.max(b[j], Math.abs(e));
            } else {
                double d = (e - center[j]) * factor[j];
                a[j] += d;
                b[j] += d * d;
            }
        }
    }

    private static double[] columnSums(double[] v, int base, int count, double c, double f, boolean centered) {
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < count; i++) {
            double e = v[base + i];
            if (centered) {
                double d = (e - c) * f;
                s1 += d;
                s2 += d * d;
            } else {
                s1 += e;
                s2 = Math.max(s2, Math.abs(e));
            }
        }
        return new double[] {s1, s2};
    }

    private static void combine(int j, double[] r, boolean centered, double[] a, double[] b) {
        a[j] += r[0];
        b[j] = centered ? b[j] + r[1] : Math.max(b[j], r[1]);
    }

    /**
     * Off-heap {@link #columnSums(Matrix, double[], double[], double[], double[])}, in the same order, through
     * heap buffers ({@link SegmentReader}: fast in a fresh JVM too).
     */
    private static void columnSums(SegmentMatrix x, double[] center, double[] factor, double[] a, double[] b) {
        int n = x.cols();
        if (x.layout() == Layout.ROW_MAJOR) {
            SegmentReader.rows(x, (buf, ld, first, count) -> {
                for (int r = 0; r < count; r++) rowSums(buf, r * ld, n, center, factor, a, b);
            });
        } else {
            SegmentReader.columns(x, (buf, j, first, count) -> combine(j, columnSums(buf, 0, count,
                    center == null ? 0 : center[j], factor == null ? 1 : factor[j], center != null), center != null, a, b));
        }
    }

    /** Number of features n. */
    public int features() {
        return n;
    }

    /** μ_j (0 when not centering). */
    public double mean(int j) {
        return mean[j];
    }

    /** s_j = 1/σ_j (0 for a constant column, 1 without standardization). */
    public double scale(int j) {
        return scale[j];
    }

    /** A copy of μ (n values). */
    public double[] means() {
        return mean.clone();
    }

    /** A copy of s (n values). */
    public double[] scales() {
        return scale.clone();
    }

    /**
     * {@code T = trace(ÃᵀÃ/m)} of the standardized design Ã (with the column of ones when there is an
     * intercept): the number of non-constant columns (+1) when standardizing, {@code Σ rms(x_j)² (+1)} over the
     * non-constant columns without. An upper bound of the
     * largest eigenvalue L. NaN for {@link #identity(int)}.
     */
    public double trace() {
        return trace;
    }

    /** Whether column j is constant (see the class comment): s_j = 0, coefficient 0. */
    public boolean isConstant(int j) {
        return constant[j];
    }

    /** The 0-based indices of the constant columns, in order (empty when there are none). */
    public int[] constantColumns() {
        int c = 0;
        for (boolean b : constant) if (b) c++;
        int[] out = new int[c];
        c = 0;
        for (int j = 0; j < n; j++) if (constant[j]) out[c++] = j;
        return out;
    }

    /** Number of non-constant columns. */
    public int activeColumns() {
        return n - constantColumns().length;
    }

    /** The mean of column j (whatever the standardization). */
    public double columnMean(int j) {
        return columnMean[j];
    }

    /** The centered standard deviation √(Σ(x_ij − x̄_j)²/m) of column j (whatever the standardization). */
    public double columnStd(int j) {
        return columnStd[j];
    }

    /** The root mean square √(Σx_ij²/m) of column j. */
    public double columnRms(int j) {
        return columnRms[j];
    }

    /**
     * The size of the terms a residual {@code r_i = x_i·β + b − y_i} is formed from, apart from y:
     * {@code |b| + Σ_j |β_j|·rms(x_j)} at the solver point w (kernel parameters β = Dw, b = w_n − μ·β);
     * the rounding error of r_i is about ε times this plus ε·|y_i|.
     */
    public double termMagnitude(double[] w) {
        double shift = 0;
        double t = 0;
        for (int j = 0; j < n; j++) {
            double p = scale[j] * w[j];
            shift += mean[j] * p;
            t += Math.abs(p) * columnRms[j];
        }
        return t + Math.abs(w[n] - shift);
    }

    /** {@code 1 + max_j |μ_j|·s_j}: how much centering amplifies the rounding error of a gradient. */
    public double centeringGain() {
        return centeringGain;
    }

    /**
     * Solver coordinates → kernel parameters: {@code p_j = s_j w_j}, {@code p_n = w_n − Σ μ_j p_j}.
     *
     * @param w standardized parameters (n + 1, intercept last), not modified
     * @param p kernel parameters, <b>overwritten</b>
     */
    public void toOriginal(double[] w, double[] p) {
        double shift = 0;
        for (int j = 0; j < n; j++) {
            p[j] = scale[j] * w[j];
            shift += mean[j] * p[j];
        }
        p[n] = w[n] - shift;
    }

    /**
     * Original parameters → solver coordinates (warm start): {@code w_j = p_j / s_j} (0 when s_j = 0),
     * {@code w_n = p_n + Σ μ_j p_j}.
     *
     * @param p original parameters, not modified
     * @param w standardized parameters, <b>overwritten</b>
     */
    public void fromOriginal(double[] p, double[] w) {
        double shift = 0;
        for (int j = 0; j < n; j++) {
            w[j] = scale[j] != 0 ? p[j] / scale[j] : 0;
            shift += mean[j] * p[j];
        }
        w[n] = p[n] + shift;
    }

    /**
     * The standardized gradient from raw accumulated sums: {@code out_j = s_j (sum_j − μ_j sum_n)/rows},
     * {@code out_n = sum_n / rows}.
     *
     * @param buf the accumulated sums, not modified
     * @param out <b>overwritten</b> (n + 1 values)
     */
    public void gradient(GradientBuffer buf, double[] out) {
        double inv = 1.0 / buf.rows();
        double sr = buf.sum(n);
        for (int j = 0; j < n; j++) {
            out[j] = scale[j] * (buf.sum(j) - mean[j] * sr) * inv;
        }
        out[n] = sr * inv;
    }

    /** {@code max_i ‖x̃_i‖²} over the rows (one pass over X; used for the mini-batch step size). */
    public double maxRowNormSquared(Dataset data) {
        Matrix x = data.x();
        double max = 0;
        for (int i = 0; i < x.rows(); i++) {
            double s2 = 0;
            for (int j = 0; j < n; j++) {
                double d = (x.data()[x.index(i, j)] - mean[j]) * scale[j];
                s2 += d * d;
            }
            max = Math.max(max, s2);
        }
        return max;
    }
}
