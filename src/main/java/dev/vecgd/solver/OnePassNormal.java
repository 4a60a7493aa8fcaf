package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.kernel.SegmentKernels;
import dev.vecgd.kernel.SegmentVector;

/**
 * {@code normal} in <b>one read of X</b>: the finiteness check, the column statistics (means, standard
 * deviations, constant columns), the target statistics, Ãᵀ(y − ȳ) and the standardized Gram matrix all come
 * from one register-blocked Gram pass ({@link Kernels#gramAdd}) over the <i>shifted, augmented</i> rows
 * <pre>
 *   b_i = (x_i − x_0, 1, y_i − y_0)        (w = n + 2 values; x_0, y_0 the first row with an intercept, 0 without)
 *   S   = Σ_i b_i b_iᵀ                     (upper triangle; S_n,n = m, S_j,n = Σ z_ij = s_j, S_j,n+1 = Σ z_ij (y_i − y_0))
 * </pre>
 * Everything else is applied to the w × w result, not to X. For design columns u, v with offsets
 * δ_u = x_0,u − c_u (c the standardization's centre; the ones column has δ = 0, the target δ = y_0 − ȳ with an
 * intercept), the cross products of the centred columns are
 * <pre>
 *   T(u, v) = Σ_i (z_iu + δ_u)(z_iv + δ_v) = S_uv + δ_u s_v + δ_v s_u + m δ_u δ_v
 * </pre>
 * and G = D T D / m with D the standardization's scales. The shift by the first row keeps the sums from
 * cancelling catastrophically when the columns have large offsets (the "shifted data" algorithm for the
 * variance: the error is of order ε·(μ − x_0)²/σ² relative, small when the first row is a typical row);
 * the refinement step of {@link NormalEquations} uses the true gradient and recovers what rounding lost.
 *
 * <p><b>When</b>: row-major data (heap or off-heap) with standardization on (the default). Without an intercept
 * the features are not centred, x_0 = 0 and S holds the raw cross products. With standardization off the
 * problem is solved in uncentred coordinates, where T would cancel: {@link #of} returns null and the classic
 * path runs.
 *
 * <p>The rows are packed {@link CrossProducts#padded} wide (zero columns up to a multiple of 8), so the kernel
 * works in whole vector strips at every width.
 *
 * <p><b>Finiteness</b>: a NaN or ±∞ anywhere in a row makes its diagonal entry of S non-finite. When any
 * diagonal entry is not finite, above 2⁹⁰⁰, or below 2⁻⁹⁰⁰ for a column whose largest |z| is not 0 (its squares
 * underflowed), {@link #of} returns null and the caller takes the classic path, whose separate checks name the
 * offending element, the overflow or the underflow. A constant column has z ≡ 0 exactly (max |z| = 0), so
 * S_jj = 0 and σ_j = 0: it is detected exactly.
 */
final class OnePassNormal {

    private static final double TOO_SMALL = 0x1p-900;
    private static final double TOO_LARGE = 0x1p900;

    /** The fit's standardization, target statistics and Gram matrix, from the one pass. */
    record Prepared(Standardization scaling, TargetStats targets, GramMatrix gram) {
    }

    private OnePassNormal() {
    }

    /** One pass over row-major heap data; null when the data is column-major, empty or not plainly finite. */
    static Prepared of(Dataset data, FitOptions o) {
        Matrix x = data.x();
        int m = data.rows();
        int n = data.cols();
        if (x.layout() != Layout.ROW_MAJOR || m == 0 || n == 0 || !o.standardize()) return null;
        boolean intercept = o.intercept();
        double[] a = x.data();
        int off = x.offset();
        int ldx = x.ld();
        double[] x0 = new double[n];
        double y0 = 0;
        if (intercept) {
            System.arraycopy(a, off, x0, 0, n);
            y0 = data.y(0);
        }
        int w = n + 2;
        int ld = CrossProducts.padded(w);
        double[] s = new double[ld * ld];
        int block = CrossProducts.blockRows(ld);
        double[] buf = packBuffer(block, ld, n); // the ones column set once; columns w … ld − 1 stay 0
        double[] amax = new double[w]; // max |z| per column: tells an exact zero spread from squares that underflowed
        for (int from = 0; from < m; from += block) {
            int cnt = Math.min(block, m - from);
            Kernels.copyShiftedRows(a, off + from * ldx, ldx, cnt, n, x0, buf, 0, ld, amax);
            double ymax = amax[n + 1];
            for (int r = 0; r < cnt; r++) {
                double zy = data.y(from + r) - y0;
                buf[r * ld + n + 1] = zy;
                ymax = Math.max(ymax, Math.abs(zy));
            }
            amax[n + 1] = ymax;
            Kernels.gramAdd(buf, 0, ld, ld, cnt, s, ld);
        }
        return finish(n, m, x0, y0, s, ld, amax, o);
    }

    /** One pass over row-major off-heap data, each block packed straight from the segment ({@link SegmentKernels#copyShiftedRows}). */
    static Prepared of(SegmentDataset data, FitOptions o) {
        SegmentMatrix x = data.x();
        SegmentVector y = data.y();
        long m = data.rows();
        int n = data.cols();
        if (x.layout() != Layout.ROW_MAJOR || m == 0 || n == 0 || !o.standardize()) return null;
        boolean intercept = o.intercept();
        double[] x0 = new double[n];
        double y0 = 0;
        if (intercept) {
            for (int j = 0; j < n; j++) x0[j] = x.get(0, j);
            y0 = y.get(0);
        }
        int w = n + 2;
        int ld = CrossProducts.padded(w);
        double[] s = new double[ld * ld];
        int block = CrossProducts.blockRows(ld);
        double[] buf = packBuffer(block, ld, n); // the ones column set once; columns w … ld − 1 stay 0
        double[] amax = new double[w]; // max |z| per column: tells an exact zero spread from squares that underflowed
        for (long from = 0; from < m; from += block) { // packed straight from the segment, no heap copy first
            int cnt = (int) Math.min(block, m - from);
            SegmentKernels.copyShiftedRows(x, from, cnt, x0, buf, 0, ld, amax);
            double ymax = amax[n + 1];
            for (int r = 0; r < cnt; r++) {
                double zy = y.get(from + r) - y0;
                buf[r * ld + n + 1] = zy;
                ymax = Math.max(ymax, Math.abs(zy));
            }
            amax[n + 1] = ymax;
            Kernels.gramAdd(buf, 0, ld, ld, cnt, s, ld);
        }
        return finish(n, m, x0, y0, s, ld, amax, o);
    }

    /** A packed block of {@code block} rows of stride ld: column n (the ones) is 1, the columns past n + 1 are 0. */
    private static double[] packBuffer(int block, int ld, int n) {
        double[] buf = new double[block * ld];
        for (int r = 0; r < block; r++) buf[r * ld + n] = 1;
        return buf;
    }

    /** Statistics and the standardized Gram matrix from S; null when S says the data needs the classic path. */
    static Prepared finish(int n, long m, double[] x0, double y0, double[] s, int ld, double[] amax, FitOptions o) {
        int w = n + 2;
        for (int u = 0; u < w; u++) {
            double d = s[u * ld + u];
            if (!Double.isFinite(d) || d > TOO_LARGE || (amax[u] > 0 && !(d >= TOO_SMALL))) return null;
        }
        double md = (double) m;
        int yi = n + 1;
        double[] sum = new double[w];
        for (int u = 0; u < w; u++) sum[u] = u <= n ? s[u * ld + n] : s[n * ld + u];
        double[] mu = new double[n];
        double[] sd = new double[n];
        for (int j = 0; j < n; j++) {
            double dm = sum[j] / md;
            mu[j] = x0[j] + dm;
            sd[j] = Math.sqrt(Math.max(0, s[j * ld + j] - sum[j] * dm) / md);
        }
        boolean intercept = o.intercept();
        Standardization scaling = Standardization.fromStats(mu, sd, o.standardize(), intercept);
        double yMean = y0 + sum[yi] / md;
        double ySd = Math.sqrt(Math.max(0, s[yi * ld + yi] - sum[yi] * (sum[yi] / md)) / md);
        TargetStats targets = TargetStats.of(m, yMean, ySd);
        // offsets of the design columns from their centres, and their scales (the ones column: 0 and 1)
        double shift = intercept ? yMean : 0;
        double[] delta = new double[w];
        double[] scale = new double[w];
        for (int j = 0; j < n; j++) {
            delta[j] = x0[j] - scaling.mean(j);
            scale[j] = scaling.scale(j);
        }
        scale[n] = 1;
        delta[yi] = y0 - shift;
        scale[yi] = 1;
        int k = intercept ? n + 1 : n;
        double[] gram = new double[k * k];
        double[] rhs = new double[k];
        for (int p = 0; p < k; p++) {
            for (int q = p; q < k; q++) gram[p * k + q] = scale[p] * scale[q] * centred(s, ld, sum, delta, md, p, q);
            rhs[p] = scale[p] * centred(s, ld, sum, delta, md, p, yi);
        }
        GramMatrix gm = GramMatrix.fromSums(n, intercept, shift, scaling, m, gram, rhs);
        gm.yy = centred(s, ld, sum, delta, md, yi, yi) / md;
        return new Prepared(scaling, targets, gm);
    }

    /** T(u, v) = S_uv + δ_u s_v + δ_v s_u + m δ_u δ_v for u ≤ v. */
    private static double centred(double[] s, int w, double[] sum, double[] delta, double m, int u, int v) {
        return s[u * w + v] + delta[u] * sum[v] + delta[v] * sum[u] + m * delta[u] * delta[v];
    }
}
