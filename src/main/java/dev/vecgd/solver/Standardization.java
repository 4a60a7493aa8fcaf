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
 * μ = 0 and σ_j is the root mean square of column j. A column with σ_j = 0 (constant, or all zero)
 * gets s_j = 0: its coefficient stays 0 (with an intercept, a constant column is indistinguishable
 * from the intercept). With standardization off, μ = 0 and s = 1.
 *
 * <p>Coefficients are reported on the original scale: {@code β = D w}, {@code b = w_n − μ·β}.
 * Immutable after construction; {@link #compute} makes two passes over X, the other methods none.
 */
public final class Standardization {

    private final int n;
    private final double[] mean;
    private final double[] scale;
    private final double trace;
    private final double centeringGain;

    private Standardization(double[] mean, double[] scale, double trace) {
        this.n = mean.length;
        this.mean = mean;
        this.scale = scale;
        this.trace = trace;
        double gain = 0;
        for (int j = 0; j < n; j++) gain = Math.max(gain, Math.abs(mean[j]) * scale[j]);
        this.centeringGain = 1 + gain;
    }

    /**
     * Column statistics of {@code data} (two passes over X in its storage order).
     *
     * @param standardize false: μ = 0, s = 1 (the identity)
     * @param intercept   true: center and scale by the standard deviation; false: scale by the RMS
     */
    public static Standardization compute(Dataset data, boolean standardize, boolean intercept) {
        Matrix x = data.x();
        return compute(x.rows(), x.cols(), (center, out) -> columnSums(x, center, out), standardize, intercept);
    }

    /** {@link #compute(Dataset, boolean, boolean)} for off-heap data (two passes over X in storage order). */
    public static Standardization compute(SegmentDataset data, boolean standardize, boolean intercept) {
        SegmentMatrix x = data.x();
        return compute(x.rows(), x.cols(), (center, out) -> columnSums(x, center, out), standardize, intercept);
    }

    private interface ColumnSums {
        void add(double[] center, double[] out);
    }

    private static Standardization compute(long m, int n, ColumnSums sums, boolean standardize, boolean intercept) {
        double[] mu = new double[n];
        double[] second = new double[n];
        boolean center = standardize && intercept;
        if (center) sums.add(null, mu);
        for (int j = 0; j < n; j++) mu[j] /= m;
        sums.add(mu, second); // Σ (x_ij − μ_j)²
        return fromMoments(m, mu, second, standardize, intercept);
    }

    /**
     * From column moments computed elsewhere (e.g. by a {@link RowSource}).
     *
     * @param mu     the center: column means when {@code standardize && intercept}, else zeros; kept (not copied)
     * @param second {@code Σ_i (x_ij − μ_j)²}, not modified
     */
    static Standardization fromMoments(long m, double[] mu, double[] second, boolean standardize, boolean intercept) {
        int n = mu.length;
        double[] s = new double[n];
        double trace = intercept ? 1 : 0;
        for (int j = 0; j < n; j++) {
            double ms = second[j] / m;
            if (!standardize) {
                s[j] = 1;
            } else {
                s[j] = ms > 0 ? 1 / Math.sqrt(ms) : 0;
            }
            trace += s[j] * s[j] * ms;
        }
        return new Standardization(mu, s, trace);
    }

    /** Identity scaling for n features (no standardization). */
    public static Standardization identity(int n) {
        double[] s = new double[n];
        java.util.Arrays.fill(s, 1);
        return new Standardization(new double[n], s, Double.NaN);
    }

    /** out[j] += Σ_i x_ij (center == null) or Σ_i (x_ij − center_j)². */
    private static void columnSums(Matrix x, double[] center, double[] out) {
        double[] a = x.data();
        int m = x.rows();
        int n = x.cols();
        if (x.layout() == Layout.ROW_MAJOR) {
            for (int i = 0; i < m; i++) {
                int base = x.offset() + i * x.ld();
                for (int j = 0; j < n; j++) {
                    double v = a[base + j];
                    if (center == null) {
                        out[j] += v;
                    } else {
                        double d = v - center[j];
                        out[j] += d * d;
                    }
                }
            }
        } else {
            for (int j = 0; j < n; j++) {
                int base = x.offset() + j * x.ld();
                double acc = 0;
                double c = center == null ? 0 : center[j];
                for (int i = 0; i < m; i++) {
                    double d = a[base + i] - c;
                    acc += center == null ? a[base + i] : d * d;
                }
                out[j] += acc;
            }
        }
    }

    /**
     * Off-heap {@link #columnSums(Matrix, double[], double[])}, in the same order, through heap buffers
     * ({@link SegmentReader}: fast in a fresh JVM too).
     */
    private static void columnSums(SegmentMatrix x, double[] center, double[] out) {
        int n = x.cols();
        if (x.layout() == Layout.ROW_MAJOR) {
            SegmentReader.rows(x, (buf, ld, first, count) -> {
                for (int r = 0; r < count; r++) {
                    int base = r * ld;
                    for (int j = 0; j < n; j++) {
                        double v = buf[base + j];
                        if (center == null) {
                            out[j] += v;
                        } else {
                            double e = v - center[j];
                            out[j] += e * e;
                        }
                    }
                }
            });
        } else {
            double[] acc = new double[n];
            SegmentReader.columns(x, (buf, j, first, count) -> {
                double c = center == null ? 0 : center[j];
                double s = acc[j];
                for (int r = 0; r < count; r++) {
                    double e = buf[r] - c;
                    s += center == null ? buf[r] : e * e;
                }
                acc[j] = s;
            });
            for (int j = 0; j < n; j++) out[j] += acc[j];
        }
    }

    /** Number of features n.
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
     * intercept): the number of non-constant columns (+1) when standardizing. An upper bound of the
     * largest eigenvalue L. NaN for {@link #identity(int)}.
     */
    public double trace() {
        return trace;
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
