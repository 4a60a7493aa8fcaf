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
 * <p><b>Threads</b>: the rows are cut into {@link #parts}(m) contiguous parts (a function of m only), each summed into
 * its own S on the fit's threads, and the parts' S added by a fixed pairwise tree — the same bits for every
 * thread count (one part, the same bits as a single sequential pass, up to 2·{@link #MIN_PART_ROWS} rows).
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

    /** Parts the rows are cut into: at most this many (a function of m only, never of the thread count). */
    static final int MAX_PARTS = 8;
    /** Rows per part at least: a part's own w × w sums are then a small cost next to its rows. */
    static final int MIN_PART_ROWS = 1 << 16;

    /** {@link #of(Dataset, FitOptions, ParallelGradientSource)} on the calling thread. */
    static Prepared of(Dataset data, FitOptions o) {
        return of(data, o, null);
    }

    /**
     * One pass over row-major heap data; null when the data is column-major, empty or not plainly finite. The
     * rows are cut into {@link #parts} contiguous parts, each summed into its own S (one fma chain per entry
     * in row order) on the threads of {@code threads} (null: the calling thread), then the parts' sums are
     * added by a fixed pairwise tree: the same bits for every thread count.
     */
    static Prepared of(Dataset data, FitOptions o, ParallelGradientSource threads) {
        Matrix x = data.x();
        int m = data.rows();
        int n = data.cols();
        if (x.layout() != Layout.ROW_MAJOR || m == 0 || n == 0 || !o.standardize()) return null;
        double[] a = x.data();
        int off = x.offset();
        int ldx = x.ld();
        double[] x0 = new double[n];
        double y0 = 0;
        if (o.intercept()) {
            System.arraycopy(a, off, x0, 0, n);
            y0 = data.y(0);
        }
        // rows packed by the heap kernel; the targets through the dataset's accessor
        return sum(n, m, x0, y0, o, threads, (from, cnt, x00, buf, ld, amax) ->
                Kernels.copyShiftedRows(a, off + (int) from * ldx, ldx, cnt, n, x00, buf, 0, ld, amax), i -> data.y((int) i));
    }

    /** {@link #of(SegmentDataset, FitOptions, ParallelGradientSource)} on the calling thread. */
    static Prepared of(SegmentDataset data, FitOptions o) {
        return of(data, o, null);
    }

    /**
     * One pass over row-major off-heap data, each block packed straight from the segment
     * ({@link SegmentKernels#copyShiftedRows}); parts and threads as for heap data (a confined segment's source
     * runs on the calling thread only).
     */
    static Prepared of(SegmentDataset data, FitOptions o, ParallelGradientSource threads) {
        SegmentMatrix x = data.x();
        SegmentVector y = data.y();
        long m = data.rows();
        int n = data.cols();
        if (x.layout() != Layout.ROW_MAJOR || m == 0 || n == 0 || !o.standardize()) return null;
        double[] x0 = new double[n];
        double y0 = 0;
        if (o.intercept()) {
            for (int j = 0; j < n; j++) x0[j] = x.get(0, j);
            y0 = y.get(0);
        }
        // rows packed straight from the segment (no heap copy first)
        return sum(n, m, x0, y0, o, threads, (from, cnt, x00, buf, ld, amax) ->
                SegmentKernels.copyShiftedRows(x, from, cnt, x00, buf, 0, ld, amax), y::get);
    }

    /** Packs rows [from, from + cnt) of X, shifted by x0, into the first n columns of buf (a kernel call). */
    private interface RowPacker {
        void pack(long from, int cnt, double[] x0, double[] buf, int ld, double[] absMax);
    }

    /**
     * The pass itself, for any storage: per part, blocks of rows packed by {@code packer}, the shifted targets in
     * column n + 1 (column n holds the ones), then the Gram update; the parts' sums combined by the fixed tree.
     */
    private static Prepared sum(int n, long m, double[] x0, double y0, FitOptions o, ParallelGradientSource threads,
                                RowPacker packer, java.util.function.LongToDoubleFunction y) {
        Sums sums = new Sums(n, m);
        run(threads, sums.parts, k -> {
            long hi = sums.from(k + 1);
            double[] s = sums.s[k];
            double[] amax = sums.amax[k];
            double[] buf = packBuffer(sums.block, sums.ld, n);
            for (long from = sums.from(k); from < hi; from += sums.block) {
                int cnt = (int) Math.min(sums.block, hi - from);
                packer.pack(from, cnt, x0, buf, sums.ld, amax);
                double ymax = amax[n + 1];
                for (int r = 0; r < cnt; r++) {
                    double zy = y.applyAsDouble(from + r) - y0;
                    buf[r * sums.ld + n + 1] = zy;
                    ymax = Math.max(ymax, Math.abs(zy));
                }
                amax[n + 1] = ymax;
                Kernels.gramAdd(buf, 0, sums.ld, sums.ld, cnt, s, sums.ld);
            }
        });
        return finish(n, m, x0, y0, sums.reduce(), sums.ld, sums.maxima(), o);
    }

    /** Number of parts for m rows: {@code clamp(m / MIN_PART_ROWS, 1, MAX_PARTS)}. */
    static int parts(long m) {
        return (int) Math.max(1, Math.min(MAX_PARTS, m / MIN_PART_ROWS));
    }

    private static void run(ParallelGradientSource threads, int parts, java.util.function.IntConsumer part) {
        if (threads == null || parts == 1) {
            for (int k = 0; k < parts; k++) part.accept(k);
        } else {
            threads.forEachChunk(parts, part);
        }
    }

    /** Each part's S (ld × ld) and max |z| per column (w), and the fixed tree that combines them. */
    private static final class Sums {
        final int w;
        final int ld;
        final int block;
        final long m;
        final int parts;
        final double[][] s;
        final double[][] amax;

        Sums(int n, long m) {
            this.w = n + 2;
            this.ld = CrossProducts.padded(w);
            this.block = CrossProducts.blockRows(ld);
            this.m = m;
            this.parts = parts(m);
            this.s = new double[parts][ld * ld];
            this.amax = new double[parts][w];
        }

        /** First row of part k (k = parts: m). */
        long from(int k) {
            return m / parts * k + Math.min(k, m % parts);
        }

        /** S = Σ_k S_k by a pairwise tree over the parts in order (part 0 alone when there is one). */
        double[] reduce() {
            for (int step = 1; step < parts; step *= 2) {
                for (int k = 0; k + step < parts; k += 2 * step) {
                    double[] into = s[k];
                    double[] add = s[k + step];
                    for (int i = 0; i < into.length; i++) into[i] += add[i];
                }
            }
            return s[0];
        }

        /** The largest |z| per column over the parts (exact: the order does not matter). */
        double[] maxima() {
            double[] mx = amax[0];
            for (int k = 1; k < parts; k++) {
                for (int u = 0; u < w; u++) mx[u] = Math.max(mx[u], amax[k][u]);
            }
            return mx;
        }
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
        return new Prepared(scaling, targets, GramMatrix.fromSums(n, intercept, shift, scaling, m, gram, rhs));
    }

    /** T(u, v) = S_uv + δ_u s_v + δ_v s_u + m δ_u δ_v for u ≤ v. */
    private static double centred(double[] s, int w, double[] sum, double[] delta, double m, int u, int v) {
        return s[u * w + v] + delta[u] * sum[v] + delta[v] * sum[u] + m * delta[u] * delta[v];
    }
}
