package dev.vecgd.kernel;

import java.util.Objects;

/**
 * The least-squares kernels of vecgd: residuals {@code r = Xθ + b − y}, the gradient part
 * {@code Xᵀr}, both in one pass over X, predictions and the loss {@code ‖r‖²/(2m)}.
 *
 * <p>Every method checks its arguments (shapes, leading dimensions, row ranges, array bounds and
 * harmful aliasing) and throws {@link IllegalArgumentException} or {@link NullPointerException}
 * naming the bad argument; then it runs the implementation chosen once at start-up (see
 * {@link #implementation()}): the Vector API kernels when {@code jdk.incubator.vector} is available,
 * the scalar reference otherwise. Values are not checked for NaN or infinity here (that would cost a
 * pass over X); they propagate through the sums as IEEE 754 says.
 *
 * <p><b>Indexing.</b> Every row-indexed vector is indexed by the row number i of X, not by its
 * position in the range: the target of row i is {@code y.get(i)}, its residual is {@code r[rOff + i]}.
 * A buffer that holds only the rows {@code [from, to)} is therefore passed with {@code rOff = −from}.
 *
 * <p><b>Accumulate vs overwrite.</b> Names ending in {@code Add} add into {@code g} and never clear it;
 * the caller zeroes it (this is what lets a gradient be summed over chunks of rows, or over threads).
 * {@code residuals} and {@code predict} overwrite their output range.
 *
 * <p><b>Rounding.</b> The vector implementation sums in a different order from the scalar reference
 * (several partial sums per lane, reduced at the end), so results agree to rounding, not bit for
 * bit. Each implementation is deterministic: the same call on the same data gives the same bits.
 *
 * <p>Thread safety: the methods keep no state; concurrent calls are safe as long as they do not
 * write the same arrays.
 */
public final class Kernels {

    private static final KernelImpl IMPL = KernelProvider.choose();

    private Kernels() {
    }

    /**
     * The active implementation, e.g. {@code "vector: 512-bit, 8 doubles per vector"} or {@code "scalar"}; chosen
     * once per JVM from {@link KernelSelection#select} or the system properties (see {@link KernelProvider}).
     */
    public static String implementation() {
        return IMPL.name();
    }

    /** True when the Vector API kernels are active. */
    public static boolean isVectorized() {
        return IMPL != ScalarKernels.INSTANCE;
    }

    /** Width in bits of the vectors the active kernels use (64 for the scalar kernels). */
    public static int vectorBits() {
        return IMPL.vectorBits();
    }

    private static volatile java.util.concurrent.CompletableFuture<java.time.Duration> background;

    /**
     * Compiles the kernels now: runs each of them (fused, residuals, gradient, predict, cross products, the
     * off-heap kernel) on problems of 2,048 rows, both layouts and widths from 1 to 64 columns, on private
     * arrays, so that the JIT compiles the Vector API code (in a fresh JVM the first ~10⁵ rows through
     * interpreted vector code cost about a second). Cost: one to four seconds of one core in a fresh JVM. This
     * compiles the kernels only: <b>before fits, prefer {@code LinearRegression.warmUp()}</b>, which also compiles
     * the solver code around them (measured: the kernel warm-up alone left a first fit of 20,000 × 8 at 1.1 s).
     * Idempotent, safe from any thread; the results of later calls do not depend on it.
     *
     * @return the time it took
     */
    public static java.time.Duration warmUp() {
        return KernelWarmUp.run();
    }

    /**
     * {@link #warmUp()} on a daemon thread, started at most once per JVM; returns its future (the same one on
     * every call). Kernel calls may run meanwhile; they just are not faster until it is done.
     */
    public static synchronized java.util.concurrent.CompletableFuture<java.time.Duration> warmUpInBackground() {
        if (background == null) {
            java.util.concurrent.CompletableFuture<java.time.Duration> f = new java.util.concurrent.CompletableFuture<>();
            Thread t = Thread.ofPlatform().daemon().name("vecgd-warm-up").unstarted(() -> {
                try {
                    f.complete(warmUp());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
            t.start();
            background = f;
        }
        return background;
    }

    static KernelImpl impl() {
        return IMPL;
    }

    /**
     * Residuals: {@code r[rOff + i] = x_i·θ + b − y_i} for {@code from ≤ i < to}; returns
     * {@code Σ r_i²} over the range.
     *
     * @param x     the m×n matrix, not modified
     * @param theta the n coefficients, not modified ({@code theta.length >= n})
     * @param b     the intercept
     * @param y     the targets, not modified (row i reads {@code y.get(i)}; may share X's array)
     * @param r     output, <b>modified</b>: {@code r[rOff + from .. rOff + to)} is overwritten; must not
     *              be the array of x, y or theta
     * @param rOff  offset of row 0's residual in r
     * @param from  first row, inclusive
     * @param to    last row, exclusive
     * @return {@code Σ r_i²} over the range (0 for an empty range)
     */
    public static double residuals(Matrix x, double[] theta, double b, StridedVector y,
                                   double[] r, int rOff, int from, int to) {
        checkMatrixRange(x, from, to);
        checkTheta(x, theta);
        checkTargets(x, y, from, to);
        checkRowVector("r", r, rOff, from, to);
        checkNotAliased("r", r, x, theta, y.data(), null);
        return x.layout() == Layout.ROW_MAJOR
                ? IMPL.residualsRow(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(), y.stride(), r, rOff, from, to)
                : IMPL.residualsCol(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(), y.stride(), r, rOff, from, to);
    }

    /** {@link #residuals(Matrix, double[], double, StridedVector, double[], int, int, int)} over all rows, y and r contiguous. */
    public static double residuals(Matrix x, double[] theta, double b, double[] y, double[] r) {
        Objects.requireNonNull(x, "x (the matrix) is null");
        Objects.requireNonNull(y, "y is null");
        int m = x.rows();
        checkTheta(x, theta);
        if (y.length < m) {
            throw new IllegalArgumentException("y is too short: " + y.length + " elements for " + m + " rows");
        }
        checkRowVector("r", r, 0, 0, m);
        checkNotAliased("r", r, x, theta, y, null);
        // the same checks and call as the StridedVector version, without allocating a view of y
        return x.layout() == Layout.ROW_MAJOR
                ? IMPL.residualsRow(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y, 0, 1, r, 0, 0, m)
                : IMPL.residualsCol(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y, 0, 1, r, 0, 0, m);
    }

    /**
     * Gradient accumulation: {@code g[j] += Σ_{from ≤ i < to} r[rOff + i] · x_ij} for {@code j < n};
     * returns {@code Σ r_i} (the intercept's part of the gradient), which it does <b>not</b> add anywhere.
     * It never clears g: zero it before the first contribution of a new gradient.
     *
     * @param x    the m×n matrix, not modified
     * @param r    the residuals, not modified
     * @param rOff offset of row 0's residual in r
     * @param g    the gradient accumulator, <b>modified</b> (added to): {@code g.length >= n}; must not
     *             be the array of x or r
     * @param from first row, inclusive
     * @param to   last row, exclusive
     * @return {@code Σ r_i} over the range
     */
    public static double gradientAdd(Matrix x, double[] r, int rOff, double[] g, int from, int to) {
        checkMatrixRange(x, from, to);
        checkRowVector("r", r, rOff, from, to);
        checkGradient(x, g, 0);
        checkNotAliased("g", g, x, r, null, null);
        return x.layout() == Layout.ROW_MAJOR
                ? IMPL.gradientAddRow(x.data(), x.offset(), x.ld(), x.cols(), r, rOff, g, from, to)
                : IMPL.gradientAddCol(x.data(), x.offset(), x.ld(), x.cols(), r, rOff, g, from, to);
    }

    /** {@link #gradientAdd(Matrix, double[], int, double[], int, int)} over all rows, r contiguous. */
    public static double gradientAdd(Matrix x, double[] r, double[] g) {
        Objects.requireNonNull(x, "x (the matrix) is null");
        return gradientAdd(x, r, 0, g, 0, x.rows());
    }

    /**
     * The fused pass, reading each element of X once: for {@code from ≤ i < to},
     * {@code r_i = x_i·θ + b − y_i} is stored in {@code r[rOff + i]}, {@code g[j] += Σ r_i·x_ij} for
     * {@code j < n} and {@code g[n] += Σ r_i} (the intercept's part). Returns {@code Σ r_i²}.
     *
     * @param x     the m×n matrix, not modified
     * @param theta the n coefficients, not modified
     * @param b     the intercept
     * @param y     the targets, not modified (may share X's array)
     * @param r     output, <b>modified</b> (overwritten over the range); not the array of x, y, theta or g
     * @param rOff  offset of row 0's residual in r
     * @param g     accumulator of length {@code >= n + 1}, <b>modified</b> (added to, never cleared);
     *              not the array of x, y, theta or r
     * @param from  first row, inclusive
     * @param to    last row, exclusive
     * @return {@code Σ r_i²} over the range
     */
    public static double residualsGradientAdd(Matrix x, double[] theta, double b, StridedVector y,
                                              double[] r, int rOff, double[] g, int from, int to) {
        checkMatrixRange(x, from, to);
        checkTheta(x, theta);
        checkTargets(x, y, from, to);
        checkRowVector("r", r, rOff, from, to);
        checkGradient(x, g, 1);
        checkNotAliased("r", r, x, theta, y.data(), g);
        checkNotAliased("g", g, x, theta, y.data(), r);
        return fused(x, theta, b, y, r, rOff, g, from, to);
    }

    /**
     * As {@link #residualsGradientAdd} but without storing the residuals (saving 8 bytes written per
     * row): {@code g[j] += Σ r_i·x_ij} for {@code j < n}, {@code g[n] += Σ r_i}; returns {@code Σ r_i²}.
     * This is one full-batch gradient contribution for rows {@code [from, to)}.
     *
     * @param x     the m×n matrix, not modified
     * @param theta the n coefficients, not modified
     * @param b     the intercept
     * @param y     the targets, not modified
     * @param g     accumulator of length {@code >= n + 1}, <b>modified</b> (added to, never cleared);
     *              not the array of x, y or theta
     * @param from  first row, inclusive
     * @param to    last row, exclusive
     * @return {@code Σ r_i²} over the range
     */
    public static double lossGradientAdd(Matrix x, double[] theta, double b, StridedVector y,
                                         double[] g, int from, int to) {
        checkMatrixRange(x, from, to);
        checkTheta(x, theta);
        checkTargets(x, y, from, to);
        checkGradient(x, g, 1);
        checkNotAliased("g", g, x, theta, y.data(), null);
        return fused(x, theta, b, y, null, 0, g, from, to);
    }

    /**
     * The weighted fused pass (sample weights), one read of X:
     * <pre>
     *   r_i = x_i·θ + b − y_i,   g[j] += Σ_i w_i·r_i·x_ij  (j &lt; n),   g[n] += Σ_i w_i·r_i,   returns Σ_i w_i·r_i²
     * </pre>
     * for {@code from ≤ i < to}, {@code w_i = w[wOff + i]}. Accumulates into g (never cleared), like
     * {@link #lossGradientAdd}; with every w_i = 1 it computes the same quantities (the vector kernels round w_i·r_i
     * separately, so the bits may differ from the unweighted kernel). The weights are not checked here (a fit checks
     * them once: finite and ≥ 0).
     *
     * @param x     the m×n matrix, not modified
     * @param theta the n coefficients, not modified
     * @param b     the intercept
     * @param y     the targets, not modified
     * @param w     the weights, contiguous, not modified
     * @param wOff  offset of row 0's weight in w
     * @param r     null, or the residuals' output, <b>modified</b> (overwritten over the range, unweighted r_i); not
     *              the array of another argument
     * @param rOff  offset of row 0's residual in r
     * @param g     accumulator of length {@code >= n + 1}, <b>modified</b> (added to, never cleared); not the array
     *              of another argument
     * @param from  first row, inclusive
     * @param to    last row, exclusive
     * @return {@code Σ w_i r_i²} over the range
     */
    public static double weightedLossGradientAdd(Matrix x, double[] theta, double b, StridedVector y, double[] w,
                                                 int wOff, double[] r, int rOff, double[] g, int from, int to) {
        checkMatrixRange(x, from, to);
        checkTheta(x, theta);
        checkTargets(x, y, from, to);
        checkRowVector("w", w, wOff, from, to);
        if (r != null) {
            checkRowVector("r", r, rOff, from, to);
            checkNotAliased("r", r, x, theta, y.data(), g);
            if (r == w) throw new IllegalArgumentException("r must not share its array with another argument of this call");
        }
        checkGradient(x, g, 1);
        checkNotAliased("g", g, x, theta, y.data(), r);
        if (g == w) throw new IllegalArgumentException("g must not share its array with another argument of this call");
        return x.layout() == Layout.ROW_MAJOR
                ? IMPL.fusedWeightedRow(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(),
                        y.stride(), w, wOff, r, rOff, g, from, to)
                : IMPL.fusedWeightedCol(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(),
                        y.stride(), w, wOff, r, rOff, g, from, to);
    }

    /**
     * Cross products of the columns of a column-major block — the update of a Gram matrix and its
     * right-hand side by cnt rows:
     * <pre>
     *   c[p·k + q] += Σ_{r &lt; cnt} a[p·lda + r]·a[q·lda + r]     for 0 ≤ p ≤ q &lt; k  (upper triangle only)
     *   d[p]       += Σ_{r &lt; cnt} a[p·lda + r]·v[r]              for 0 ≤ p &lt; k
     * </pre>
     * The strictly lower triangle of c is not touched. Accumulates: nothing is cleared.
     *
     * @param a   k columns of cnt values, column p starting at {@code a[p·lda]}; not modified
     * @param lda distance between columns, {@code >= cnt}
     * @param k   number of columns, {@code >= 0}
     * @param cnt number of rows, {@code >= 0}
     * @param v   cnt values, not modified
     * @param c   k × k, row-major, <b>modified</b> (upper triangle added to); not a or v
     * @param d   k values, <b>modified</b> (added to); not a, v or c
     */
    public static void crossProductsAdd(double[] a, int lda, int k, int cnt, double[] v, double[] c, double[] d) {
        Objects.requireNonNull(a, "a is null");
        Objects.requireNonNull(v, "v is null");
        Objects.requireNonNull(c, "c is null");
        Objects.requireNonNull(d, "d is null");
        if (k < 0 || cnt < 0) throw new IllegalArgumentException("k and cnt must be >= 0, got k = " + k + ", cnt = " + cnt);
        if (lda < cnt) throw new IllegalArgumentException("lda (" + lda + ") must be >= cnt (" + cnt + ")");
        if (k > 0 && cnt > 0 && (long) (k - 1) * lda + cnt > a.length) {
            throw new IllegalArgumentException("a holds " + a.length + " values; " + k + " columns of " + cnt
                    + " rows at stride " + lda + " need " + ((long) (k - 1) * lda + cnt));
        }
        if (v.length < cnt) throw new IllegalArgumentException("v holds " + v.length + " values, cnt = " + cnt);
        if ((long) k * k > c.length) throw new IllegalArgumentException("c holds " + c.length + " values, k² = " + ((long) k * k));
        if (d.length < k) throw new IllegalArgumentException("d holds " + d.length + " values, k = " + k);
        if (c == a || c == v || d == a || d == v || c == d) {
            throw new IllegalArgumentException("c and d must not share an array with each other, a or v");
        }
        IMPL.crossProductsAdd(a, lda, k, cnt, v, c, d);
    }

    /**
     * The Gram update (symmetric rank-cnt update of C's upper triangle) by a block of row-major rows:
     * <pre>
     *   c[p·ldc + q] += Σ_{r &lt; cnt} a[aOff + r·lda + p]·a[aOff + r·lda + q]      for 0 ≤ p ≤ q &lt; k
     * </pre>
     * each entry summed as one chain of fused multiply-adds in row order, {@code c ← fma(a_rp, a_rq, c)}
     * starting from its old value. So every implementation (scalar, and vector at any width) gives the same
     * bits, and cutting the rows into consecutive calls does not change them. The strictly lower triangle of c
     * is not touched. Accumulates: nothing is cleared. The vector implementation is register-blocked (tiles
     * of C in vector registers, see {@code GramKernelVector}): about m·k²/2 FMAs at a large share of the
     * FMA peak when the block is in cache.
     *
     * <p>With the targets as a last column of a (k = n + 1 or n + 2 columns), the same call also gives Xᵀy
     * and yᵀy.
     *
     * @param a    cnt rows of k values, row r at {@code a[aOff + r·lda]}; not modified
     * @param lda  distance between rows, {@code >= k}
     * @param k    number of columns, {@code >= 0}
     * @param cnt  number of rows, {@code >= 0}
     * @param c    k × k at row stride ldc, <b>modified</b> (upper triangle added to); not a
     * @param ldc  distance between rows of c, {@code >= k}
     */
    public static void gramAdd(double[] a, int aOff, int lda, int k, int cnt, double[] c, int ldc) {
        Objects.requireNonNull(a, "a is null");
        Objects.requireNonNull(c, "c is null");
        if (k < 0 || cnt < 0) throw new IllegalArgumentException("k and cnt must be >= 0, got k = " + k + ", cnt = " + cnt);
        if (lda < k) throw new IllegalArgumentException("lda (" + lda + ") must be >= k (" + k + ")");
        if (ldc < k) throw new IllegalArgumentException("ldc (" + ldc + ") must be >= k (" + k + ")");
        if (aOff < 0) throw new IllegalArgumentException("aOff must be >= 0, got " + aOff);
        if (k > 0 && cnt > 0 && aOff + (long) (cnt - 1) * lda + k > a.length) {
            throw new IllegalArgumentException("a holds " + a.length + " values; " + cnt + " rows of " + k
                    + " at offset " + aOff + " and stride " + lda + " need " + (aOff + (long) (cnt - 1) * lda + k));
        }
        if (k > 0 && (long) (k - 1) * ldc + k > c.length) {
            throw new IllegalArgumentException("c holds " + c.length + " values; k = " + k + " rows at stride " + ldc
                    + " need " + ((long) (k - 1) * ldc + k));
        }
        if (c == a) throw new IllegalArgumentException("c must not be a's array");
        IMPL.gramAdd(a, aOff, lda, k, cnt, c, ldc);
    }

    /**
     * The packing step of a Gram pass: a block of row-major rows copied, shifted, into a packed block, and
     * the largest magnitude of each shifted column kept:
     * <pre>
     *   out[oOff + r·ldo + j] = x[xOff + r·ldx + j] − shift[j]
     *   absMax[j]             = max(absMax[j], |out[oOff + r·ldo + j]|)        for r &lt; rows, j &lt; n
     * </pre>
     * One rounded subtraction per element and exact maxima, so every implementation gives the same bits (a NaN
     * makes its column's absMax NaN, as {@link Math#max} does). Overwrites only those elements of out (the
     * columns n … ldo − 1 of each row are not touched); absMax is <b>accumulated</b> (max with what it holds).
     *
     * @param x      rows × n, row r at {@code x[xOff + r·ldx]}; not modified
     * @param ldx    distance between rows of x, {@code >= n}
     * @param rows   number of rows, {@code >= 0}
     * @param n      number of columns, {@code >= 0}
     * @param shift  n values subtracted column by column, not modified
     * @param out    <b>modified</b> (overwritten at the positions above); not x, shift or absMax
     * @param ldo    distance between rows of out, {@code >= n}
     * @param absMax n values, <b>modified</b> (max-accumulated); not x, shift or out
     */
    public static void copyShiftedRows(double[] x, int xOff, int ldx, int rows, int n, double[] shift,
                                       double[] out, int oOff, int ldo, double[] absMax) {
        Objects.requireNonNull(x, "x is null");
        Objects.requireNonNull(shift, "shift is null");
        Objects.requireNonNull(out, "out is null");
        Objects.requireNonNull(absMax, "absMax is null");
        if (rows < 0 || n < 0) throw new IllegalArgumentException("rows and n must be >= 0, got rows = " + rows + ", n = " + n);
        if (ldx < n || ldo < n) throw new IllegalArgumentException("ldx (" + ldx + ") and ldo (" + ldo + ") must be >= n (" + n + ")");
        if (xOff < 0 || oOff < 0) throw new IllegalArgumentException("offsets must be >= 0, got xOff = " + xOff + ", oOff = " + oOff);
        if (shift.length < n || absMax.length < n) {
            throw new IllegalArgumentException("shift and absMax need n = " + n + " values, got " + shift.length + " and " + absMax.length);
        }
        if (rows > 0 && n > 0) {
            long needX = xOff + (long) (rows - 1) * ldx + n;
            long needO = oOff + (long) (rows - 1) * ldo + n;
            if (needX > x.length) throw new IllegalArgumentException("x holds " + x.length + " values; " + rows + " rows of " + n + " at offset " + xOff + " and stride " + ldx + " need " + needX);
            if (needO > out.length) throw new IllegalArgumentException("out holds " + out.length + " values; " + rows + " rows of " + n + " at offset " + oOff + " and stride " + ldo + " need " + needO);
        }
        if (out == x || out == shift || out == absMax || absMax == x || absMax == shift) {
            throw new IllegalArgumentException("out and absMax must not share an array with x, shift or each other");
        }
        IMPL.copyShiftedRows(x, xOff, ldx, rows, n, shift, out, oOff, ldo, absMax);
    }

    /**
     * The packing step of a <b>weighted</b> Gram pass: a block of row-major rows shifted, scaled column by column and
     * multiplied by the square root of each row's weight, so that {@link #gramAdd} over the block sums
     * {@code Σ_i w_i a_i a_iᵀ}:
     * <pre>
     *   out[oOff + r·ldo + j] = ((x[xOff + r·ldx + j] − shift[j])·scale[j])·sw[swOff + r]      for r &lt; rows, j &lt; n
     * </pre>
     * Three rounded operations per element in that order (no fused multiply-add), so every implementation gives the
     * same bits. Overwrites only those elements of out (the columns n … ldo − 1 of each row are not touched: the caller
     * fills the intercept and target columns).
     *
     * @param x     rows × n, row r at {@code x[xOff + r·ldx]}; not modified
     * @param ldx   distance between rows of x, {@code >= n}
     * @param rows  number of rows, {@code >= 0}
     * @param n     number of columns, {@code >= 0}
     * @param shift n values subtracted column by column, not modified
     * @param scale n values multiplied column by column, not modified
     * @param sw    the rows' square-root weights from {@code sw[swOff]} (rows values), not modified
     * @param out   <b>modified</b> (overwritten at the positions above); not x, shift, scale or sw
     * @param ldo   distance between rows of out, {@code >= n}
     */
    public static void copyWeightedRows(double[] x, int xOff, int ldx, int rows, int n, double[] shift, double[] scale,
                                        double[] sw, int swOff, double[] out, int oOff, int ldo) {
        Objects.requireNonNull(x, "x is null");
        Objects.requireNonNull(shift, "shift is null");
        Objects.requireNonNull(scale, "scale is null");
        Objects.requireNonNull(sw, "sw is null");
        Objects.requireNonNull(out, "out is null");
        if (rows < 0 || n < 0) throw new IllegalArgumentException("rows and n must be >= 0, got rows = " + rows + ", n = " + n);
        if (ldx < n || ldo < n) throw new IllegalArgumentException("ldx (" + ldx + ") and ldo (" + ldo + ") must be >= n (" + n + ")");
        if (xOff < 0 || oOff < 0 || swOff < 0) {
            throw new IllegalArgumentException("offsets must be >= 0, got xOff = " + xOff + ", oOff = " + oOff + ", swOff = " + swOff);
        }
        if (shift.length < n || scale.length < n) {
            throw new IllegalArgumentException("shift and scale need n = " + n + " values, got " + shift.length + " and " + scale.length);
        }
        if ((long) swOff + rows > sw.length) {
            throw new IllegalArgumentException("sw holds " + sw.length + " values; " + rows + " rows at offset " + swOff + " need " + ((long) swOff + rows));
        }
        if (rows > 0 && n > 0) {
            long needX = xOff + (long) (rows - 1) * ldx + n;
            long needO = oOff + (long) (rows - 1) * ldo + n;
            if (needX > x.length) throw new IllegalArgumentException("x holds " + x.length + " values; " + rows + " rows of " + n + " at offset " + xOff + " and stride " + ldx + " need " + needX);
            if (needO > out.length) throw new IllegalArgumentException("out holds " + out.length + " values; " + rows + " rows of " + n + " at offset " + oOff + " and stride " + ldo + " need " + needO);
        }
        if (out == x || out == shift || out == scale || out == sw) {
            throw new IllegalArgumentException("out must not share an array with x, shift, scale or sw");
        }
        if (rows == 0 || n == 0) return;
        IMPL.copyWeightedRows(x, xOff, ldx, rows, n, shift, scale, sw, swOff, out, oOff, ldo);
    }

    /**
     * Standardizes a block of row-major rows into columns (the copy before {@link #crossProductsAdd}):
     * <pre>
     *   out[j·ldo + r] = (x[xOff + r·ldx + j] − mean[j])·scale[j]      for r &lt; rows, j &lt; n
     * </pre>
     * Each value is one subtraction and one multiplication, each rounded, so every implementation gives
     * the same bits. Overwrites those elements of out; nothing else.
     *
     * @param x     row-major rows, not modified
     * @param ldx   distance between rows in x, {@code >= n}
     * @param mean  n values, not modified
     * @param scale n values, not modified
     * @param out   <b>modified</b> (overwritten at the positions above); not x
     * @param ldo   distance between columns in out, {@code >= rows}
     */
    public static void standardizeRowsToColumns(double[] x, int xOff, int ldx, int rows, int n, double[] mean,
                                                double[] scale, double[] out, int ldo) {
        Objects.requireNonNull(x, "x is null");
        Objects.requireNonNull(mean, "mean is null");
        Objects.requireNonNull(scale, "scale is null");
        Objects.requireNonNull(out, "out is null");
        if (rows < 0 || n < 0) throw new IllegalArgumentException("rows and n must be >= 0, got " + rows + ", " + n);
        if (ldx < n) throw new IllegalArgumentException("ldx (" + ldx + ") must be >= n (" + n + ")");
        if (ldo < rows) throw new IllegalArgumentException("ldo (" + ldo + ") must be >= rows (" + rows + ")");
        if (xOff < 0) throw new IllegalArgumentException("xOff must be >= 0, got " + xOff);
        if (rows > 0 && n > 0) {
            if (xOff + (long) (rows - 1) * ldx + n > x.length) {
                throw new IllegalArgumentException("x holds " + x.length + " values; " + rows + " rows of " + n
                        + " at offset " + xOff + " and stride " + ldx + " need " + (xOff + (long) (rows - 1) * ldx + n));
            }
            if ((long) (n - 1) * ldo + rows > out.length) {
                throw new IllegalArgumentException("out holds " + out.length + " values; " + n + " columns of " + rows
                        + " at stride " + ldo + " need " + ((long) (n - 1) * ldo + rows));
            }
        }
        if (mean.length < n || scale.length < n) throw new IllegalArgumentException("mean and scale must hold n = " + n + " values");
        if (out == x) throw new IllegalArgumentException("out must not be x's array");
        IMPL.standardizeRowsToColumns(x, xOff, ldx, rows, n, mean, scale, out, ldo);
    }

    private static double fused(Matrix x, double[] theta, double b, StridedVector y,
                                double[] r, int rOff, double[] g, int from, int to) {
        return x.layout() == Layout.ROW_MAJOR
                ? IMPL.fusedRow(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(), y.stride(), r, rOff, g, from, to)
                : IMPL.fusedCol(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(), y.stride(), r, rOff, g, from, to);
    }

    /**
     * Predictions: {@code out[outOff + i] = x_i·θ + b} for {@code from ≤ i < to}.
     *
     * @param x      the m×n matrix, not modified
     * @param theta  the n coefficients, not modified: exactly n ({@code theta.length == x.cols()}; a longer θ is
     *               rejected — it would mean a model of more features than the data has columns)
     * @param b      the intercept
     * @param out    output, <b>modified</b> (overwritten over the range); not the array of x or theta
     * @param outOff offset of row 0's prediction in out
     * @param from   first row, inclusive
     * @param to     last row, exclusive
     */
    public static void predict(Matrix x, double[] theta, double b, double[] out, int outOff, int from, int to) {
        checkMatrixRange(x, from, to);
        checkThetaExact(x, theta);
        checkRowVector("out", out, outOff, from, to);
        checkNotAliased("out", out, x, theta, null, null);
        if (x.layout() == Layout.ROW_MAJOR) {
            IMPL.residualsRow(x.data(), x.offset(), x.ld(), x.cols(), theta, b, null, 0, 1, out, outOff, from, to);
        } else {
            IMPL.residualsCol(x.data(), x.offset(), x.ld(), x.cols(), theta, b, null, 0, 1, out, outOff, from, to);
        }
    }

    /** Predictions for all rows: returns a new array of length m with {@code Xθ + b}. */
    public static double[] predict(Matrix x, double[] theta, double b) {
        Objects.requireNonNull(x, "x (the matrix) is null");
        double[] out = new double[x.rows()];
        predict(x, theta, b, out, 0, 0, x.rows());
        return out;
    }

    /**
     * {@code Σ_{from ≤ i < to} (x_i·θ + b − y_i)²} without storing anything.
     *
     * @param x     the m×n matrix, not modified
     * @param theta the n coefficients, not modified
     * @param b     the intercept
     * @param y     the targets, not modified
     * @param from  first row, inclusive
     * @param to    last row, exclusive
     * @return the sum of squared residuals over the range
     */
    public static double sumSquaredResiduals(Matrix x, double[] theta, double b, StridedVector y, int from, int to) {
        checkMatrixRange(x, from, to);
        checkTheta(x, theta);
        checkTargets(x, y, from, to);
        return x.layout() == Layout.ROW_MAJOR
                ? IMPL.residualsRow(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(), y.stride(), null, 0, from, to)
                : IMPL.residualsCol(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(), y.stride(), null, 0, from, to);
    }

    /**
     * The least-squares loss over all m rows: {@code J = Σ (x_i·θ + b − y_i)² / (2m)}.
     *
     * @throws IllegalArgumentException if X has no rows (the mean over no rows is undefined)
     */
    public static double loss(Matrix x, double[] theta, double b, StridedVector y) {
        Objects.requireNonNull(x, "x (the matrix) is null");
        if (x.rows() == 0) throw new IllegalArgumentException("loss of an empty matrix (m = 0) is undefined");
        return sumSquaredResiduals(x, theta, b, y, 0, x.rows()) / (2.0 * x.rows());
    }

    // ---- argument checks: each names the argument it rejects ----

    static void checkMatrixRange(Matrix x, int from, int to) {
        Objects.requireNonNull(x, "x (the matrix) is null");
        if (from < 0 || to < from || to > x.rows()) {
            throw new IllegalArgumentException("row range [from=" + from + ", to=" + to + ") is not inside [0, "
                    + x.rows() + ") (the matrix has " + x.rows() + " rows)");
        }
    }

    static void checkTheta(Matrix x, double[] theta) {
        Objects.requireNonNull(theta, "theta is null");
        if (theta.length < x.cols()) {
            throw new IllegalArgumentException("theta has " + theta.length + " elements, the matrix has "
                    + x.cols() + " columns");
        }
    }

    /** θ of exactly n elements (predictions: a mismatch is a schema error, not a layout choice). */
    static void checkThetaExact(Matrix x, double[] theta) {
        Objects.requireNonNull(theta, "theta is null");
        if (theta.length != x.cols()) {
            throw new IllegalArgumentException("theta has " + theta.length + " elements, the matrix has "
                    + x.cols() + " columns: a prediction needs exactly one coefficient per column");
        }
    }

    static void checkGradient(Matrix x, double[] g, int extra) {
        Objects.requireNonNull(g, "g (the gradient accumulator) is null");
        if (g.length < x.cols() + extra) {
            throw new IllegalArgumentException("g has " + g.length + " elements, needs at least " + (x.cols() + extra)
                    + (extra == 1 ? " (n coefficients + 1 for the intercept's part)" : " (one per column)"));
        }
    }

    static void checkTargets(Matrix x, StridedVector y, int from, int to) {
        Objects.requireNonNull(y, "y (the targets) is null");
        if (to > from) {
            long last = y.offset() + (long) (to - 1) * y.stride();
            if (last >= y.data().length) {
                throw new IllegalArgumentException("y is too short: row " + (to - 1) + " reads index " + last
                        + " of an array of length " + y.data().length);
            }
        }
    }

    static void checkRowVector(String name, double[] v, int off, int from, int to) {
        // not requireNonNull(v, name + " is null"): that would build the message on every call
        if (v == null) throw new NullPointerException(name + " is null");
        if (to > from && ((long) off + from < 0 || (long) off + to > v.length)) {
            throw new IllegalArgumentException(name + " is too short or its offset is wrong: rows [" + from + ", " + to
                    + ") with offset " + off + " need indices [" + ((long) off + from) + ", " + ((long) off + to)
                    + ") of an array of length " + v.length);
        }
    }

    static void checkNotAliased(String name, double[] out, Matrix x, double[] a, double[] b, double[] c) {
        if (out == x.data()) throw new IllegalArgumentException(name + " must not be the matrix's array (it would overwrite X)");
        if (out == a || out == b || out == c) {
            throw new IllegalArgumentException(name + " must not share its array with another argument of this call");
        }
    }
}
