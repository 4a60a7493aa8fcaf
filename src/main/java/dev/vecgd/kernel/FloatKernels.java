package dev.vecgd.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;

/**
 * The least-squares kernels of {@link Kernels} over X stored as a heap {@code float[]} ({@link FloatMatrix}, float32
 * storage: half the bytes of X per pass): residuals {@code r = Xθ + b − y}, the gradient part {@code Xᵀr} fused with
 * them in one pass over X (also weighted), predictions, and the packing step of the Gram pass.
 *
 * <p><b>Arithmetic.</b> y, θ, r, g and every sum are {@code double}; each float of X is widened to double (exactly)
 * before it is multiplied, never accumulated in float. So on the same numbers each method computes what its
 * {@link Kernels} counterpart computes on the widened data: the scalar reference gives the same bits as the scalar
 * double kernels, the vector kernels the same bits as the vector double kernels (the same blocks and summation
 * order; tested), and, as in {@link Kernels}, scalar and vector agree to rounding, not bit for bit. Each
 * implementation is deterministic.
 *
 * <p><b>Implementation</b>: chosen once, when this class is first used: the Vector API kernels (half-width
 * {@code FloatVector} loads from the array widened by {@code convertShape(F2D)}) when {@link Kernels#isVectorized()}
 * (the same {@code -Dvecgd.kernel}, {@code -Dvecgd.vector.bits} and {@link KernelSelection}), the scalar reference
 * otherwise. No heap {@code MemorySegment} is involved (see {@link FloatKernelImpl}).
 *
 * <p><b>Conventions</b> as in {@link Kernels}: every method checks its arguments and throws
 * {@link IllegalArgumentException} or {@link NullPointerException} naming the bad one; values are not checked for
 * NaN or infinity; row-indexed vectors are indexed by the row number i of X ({@code r[rOff + i]}, {@code y.get(i)});
 * names ending in {@code Add} add into g and never clear it, {@code residuals} and {@code predict} overwrite their
 * output range. Thread safety: no state; concurrent calls are safe as long as they do not write the same arrays.
 */
public final class FloatKernels {

    private static final FloatKernelImpl IMPL = choose();

    private FloatKernels() {
    }

    private static FloatKernelImpl choose() {
        if (!Kernels.isVectorized()) return ScalarFloatKernels.INSTANCE;
        FloatKernelImpl v = loadVector();
        return v != null ? v : ScalarFloatKernels.INSTANCE;
    }

    /** The vector implementation, or null (with a warning) when it cannot be loaded. */
    static FloatKernelImpl loadVector() {
        if (KernelProvider.whyNoVector() != null) return null;
        try {
            Class<?> c = Class.forName("dev.vecgd.kernel.VectorFloatKernels", true, FloatKernels.class.getClassLoader());
            return (FloatKernelImpl) MethodHandles.lookup().findStatic(c, "create", MethodType.methodType(FloatKernelImpl.class))
                    .invoke();
        } catch (Throwable e) {
            System.getLogger("dev.vecgd.kernel").log(System.Logger.Level.WARNING,
                    "vecgd: the Vector API float32 kernels failed to load: " + e);
            return null;
        }
    }

    static FloatKernelImpl impl() {
        return IMPL;
    }

    /** The active implementation's name, e.g. {@code "vector (float32): 512-bit, 8 floats widened to doubles per vector"}. */
    public static String implementation() {
        return IMPL.name();
    }

    /**
     * Residuals: {@code r[rOff + i] = x_i·θ + b − y_i} for {@code from ≤ i < to} (x_i widened to double); returns
     * {@code Σ r_i²} over the range. Overwrites that range of r.
     *
     * @param x     the m×n float matrix, not modified
     * @param theta the n coefficients, not modified ({@code theta.length >= n})
     * @param b     the intercept
     * @param y     the targets, not modified (row i reads {@code y.get(i)})
     * @param r     output, <b>modified</b>: {@code r[rOff + from .. rOff + to)} is overwritten; not the array of y or θ
     * @param rOff  offset of row 0's residual in r
     * @param from  first row, inclusive
     * @param to    last row, exclusive
     * @return {@code Σ r_i²} over the range (0 for an empty range)
     */
    public static double residuals(FloatMatrix x, double[] theta, double b, StridedVector y,
                                   double[] r, int rOff, int from, int to) {
        checkRange(x, from, to);
        checkTheta(x, theta);
        checkTargets(y, from, to);
        Kernels.checkRowVector("r", r, rOff, from, to);
        checkNotAliased("r", r, theta, y.data(), null);
        return x.layout() == Layout.ROW_MAJOR
                ? IMPL.residualsRow(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(), y.stride(), r, rOff, from, to)
                : IMPL.residualsCol(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(), y.stride(), r, rOff, from, to);
    }

    /**
     * The fused pass, reading each element of X once: for {@code from ≤ i < to}, {@code r_i = x_i·θ + b − y_i} is
     * stored in {@code r[rOff + i]}, {@code g[j] += Σ r_i·x_ij} for {@code j < n} and {@code g[n] += Σ r_i} (the
     * intercept's part). Returns {@code Σ r_i²}.
     *
     * @param x     the m×n float matrix, not modified
     * @param theta the n coefficients, not modified
     * @param b     the intercept
     * @param y     the targets, not modified
     * @param r     output, <b>modified</b> (overwritten over the range); not the array of y, θ or g
     * @param rOff  offset of row 0's residual in r
     * @param g     accumulator of length {@code >= n + 1}, <b>modified</b> (added to, never cleared); not the array
     *              of y, θ or r
     * @param from  first row, inclusive
     * @param to    last row, exclusive
     * @return {@code Σ r_i²} over the range
     */
    public static double residualsGradientAdd(FloatMatrix x, double[] theta, double b, StridedVector y,
                                              double[] r, int rOff, double[] g, int from, int to) {
        checkRange(x, from, to);
        checkTheta(x, theta);
        checkTargets(y, from, to);
        Kernels.checkRowVector("r", r, rOff, from, to);
        checkGradient(x, g);
        checkNotAliased("r", r, theta, y.data(), g);
        checkNotAliased("g", g, theta, y.data(), r);
        return fused(x, theta, b, y, r, rOff, g, from, to);
    }

    /**
     * As {@link #residualsGradientAdd} without storing the residuals: {@code g[j] += Σ r_i·x_ij} for {@code j < n},
     * {@code g[n] += Σ r_i}; returns {@code Σ r_i²}, with {@code r_i = x_i·θ + b − y_i}, {@code from ≤ i < to}. One
     * full-batch gradient contribution of rows {@code [from, to)}.
     *
     * @param x     the m×n float matrix, not modified
     * @param theta the n coefficients, not modified
     * @param b     the intercept
     * @param y     the targets, not modified
     * @param g     accumulator of length {@code >= n + 1}, <b>modified</b> (added to, never cleared); not the array
     *              of y or θ
     * @param from  first row, inclusive
     * @param to    last row, exclusive
     * @return {@code Σ r_i²} over the range
     */
    public static double lossGradientAdd(FloatMatrix x, double[] theta, double b, StridedVector y,
                                         double[] g, int from, int to) {
        checkRange(x, from, to);
        checkTheta(x, theta);
        checkTargets(y, from, to);
        checkGradient(x, g);
        checkNotAliased("g", g, theta, y.data(), null);
        return fused(x, theta, b, y, null, 0, g, from, to);
    }

    /**
     * The weighted fused pass (sample weights), one read of X:
     * <pre>
     *   r_i = x_i·θ + b − y_i,   g[j] += Σ_i w_i·r_i·x_ij  (j &lt; n),   g[n] += Σ_i w_i·r_i,   returns Σ_i w_i·r_i²
     * </pre>
     * for {@code from ≤ i < to}, {@code w_i = w[wOff + i]}; as {@link Kernels#weightedLossGradientAdd} on the widened
     * data (the same bits). Accumulates into g (never cleared). The weights are not checked here (a fit checks them
     * once: finite and ≥ 0).
     *
     * @param x     the m×n float matrix, not modified
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
    public static double weightedLossGradientAdd(FloatMatrix x, double[] theta, double b, StridedVector y, double[] w,
                                                 int wOff, double[] r, int rOff, double[] g, int from, int to) {
        checkRange(x, from, to);
        checkTheta(x, theta);
        checkTargets(y, from, to);
        Kernels.checkRowVector("w", w, wOff, from, to);
        if (r != null) {
            Kernels.checkRowVector("r", r, rOff, from, to);
            checkNotAliased("r", r, theta, y.data(), g);
            if (r == w) throw new IllegalArgumentException("r must not share its array with another argument of this call");
        }
        checkGradient(x, g);
        checkNotAliased("g", g, theta, y.data(), r);
        if (g == w) throw new IllegalArgumentException("g must not share its array with another argument of this call");
        return x.layout() == Layout.ROW_MAJOR
                ? IMPL.fusedWeightedRow(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(), y.stride(),
                        w, wOff, r, rOff, g, from, to)
                : IMPL.fusedWeightedCol(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(), y.stride(),
                        w, wOff, r, rOff, g, from, to);
    }

    private static double fused(FloatMatrix x, double[] theta, double b, StridedVector y,
                                double[] r, int rOff, double[] g, int from, int to) {
        return x.layout() == Layout.ROW_MAJOR
                ? IMPL.fusedRow(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(), y.stride(), r, rOff, g, from, to)
                : IMPL.fusedCol(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(), y.stride(), r, rOff, g, from, to);
    }

    /**
     * Predictions: {@code out[outOff + i] = x_i·θ + b} for {@code from ≤ i < to}. Overwrites that range of out.
     *
     * @param x      the m×n float matrix, not modified
     * @param theta  exactly n coefficients, not modified (a longer θ is rejected, as in {@link Kernels#predict})
     * @param b      the intercept
     * @param out    output, <b>modified</b> (overwritten over the range); not θ
     * @param outOff offset of row 0's prediction in out
     * @param from   first row, inclusive
     * @param to     last row, exclusive
     */
    public static void predict(FloatMatrix x, double[] theta, double b, double[] out, int outOff, int from, int to) {
        checkRange(x, from, to);
        Objects.requireNonNull(theta, "theta is null");
        if (theta.length != x.cols()) {
            throw new IllegalArgumentException("theta has " + theta.length + " elements, the matrix has " + x.cols()
                    + " columns: a prediction needs exactly one coefficient per column");
        }
        Kernels.checkRowVector("out", out, outOff, from, to);
        checkNotAliased("out", out, theta, null, null);
        if (x.layout() == Layout.ROW_MAJOR) {
            IMPL.residualsRow(x.data(), x.offset(), x.ld(), x.cols(), theta, b, null, 0, 1, out, outOff, from, to);
        } else {
            IMPL.residualsCol(x.data(), x.offset(), x.ld(), x.cols(), theta, b, null, 0, 1, out, outOff, from, to);
        }
    }

    /** Predictions for all rows: a new array of length m with {@code Xθ + b}. */
    public static double[] predict(FloatMatrix x, double[] theta, double b) {
        Objects.requireNonNull(x, "x (the matrix) is null");
        double[] out = new double[x.rows()];
        predict(x, theta, b, out, 0, 0, x.rows());
        return out;
    }

    /**
     * The packing step of a Gram pass from float rows (as {@link Kernels#copyShiftedRows}, whose output
     * {@link Kernels#gramAdd} then reads): rows {@code [from, from + rows)} of a row-major x widened and shifted into
     * the double block out,
     * <pre>
     *   out[oOff + r·ldo + j] = (double) x_{from + r, j} − shift[j]           for r &lt; rows, j &lt; n
     *   absMax[j]             = max(absMax[j], |out[oOff + r·ldo + j]|)
     * </pre>
     * One rounded subtraction per element and exact maxima: every implementation gives the same bits, which are the
     * bits of {@link Kernels#copyShiftedRows} on the widened data. With {@code shift} all zeros it is the exact
     * widening copy. Overwrites only those elements of out (columns n … ldo − 1 are not touched).
     *
     * @param x      a row-major float matrix, not modified
     * @param from   first row
     * @param rows   number of rows, {@code >= 0}
     * @param shift  x.cols() values, not modified
     * @param out    <b>modified</b> (overwritten at the positions above); not shift or absMax
     * @param oOff   index of row 0's first element in out
     * @param ldo    distance between rows of out, {@code >= x.cols()}
     * @param absMax x.cols() values, <b>modified</b> (max-accumulated)
     */
    public static void copyShiftedRows(FloatMatrix x, int from, int rows, double[] shift, double[] out, int oOff, int ldo,
                                       double[] absMax) {
        Objects.requireNonNull(x, "x (the matrix) is null");
        Objects.requireNonNull(shift, "shift is null");
        Objects.requireNonNull(out, "out is null");
        Objects.requireNonNull(absMax, "absMax is null");
        if (x.layout() != Layout.ROW_MAJOR) throw new IllegalArgumentException("copyShiftedRows needs row-major data, got " + x);
        int n = x.cols();
        if (rows < 0 || from < 0 || (long) from + rows > x.rows()) {
            throw new IllegalArgumentException("rows [" + from + ", " + ((long) from + rows) + ") are not inside [0, " + x.rows() + ")");
        }
        if (ldo < n || oOff < 0) throw new IllegalArgumentException("ldo (" + ldo + ") must be >= n (" + n + ") and oOff >= 0, got " + oOff);
        if (shift.length < n || absMax.length < n) {
            throw new IllegalArgumentException("shift and absMax need n = " + n + " values, got " + shift.length + " and " + absMax.length);
        }
        if (rows > 0 && n > 0 && oOff + (long) (rows - 1) * ldo + n > out.length) {
            throw new IllegalArgumentException("out holds " + out.length + " values; " + rows + " rows of " + n + " at offset "
                    + oOff + " and stride " + ldo + " need " + (oOff + (long) (rows - 1) * ldo + n));
        }
        if (out == shift || out == absMax || absMax == shift) throw new IllegalArgumentException("out, shift and absMax must be different arrays");
        if (rows == 0 || n == 0) return;
        IMPL.copyShiftedRows(x.data(), x.offset() + from * x.ld(), x.ld(), rows, n, shift, out, oOff, ldo, absMax);
    }

    /**
     * Standardizes rows {@code [from, from + rows)} of a row-major float matrix into double columns (the copy before
     * {@link Kernels#crossProductsAdd}), each float widened to double first:
     * <pre>
     *   out[j·ldo + r] = (x(from + r, j) − mean[j])·scale[j]      for r &lt; rows, j &lt; n
     * </pre>
     * One rounded subtraction and one rounded product per element: every implementation gives the same bits, the
     * bits of {@link Kernels#standardizeRowsToColumns} on the widened data. Overwrites only those elements of out.
     *
     * @param x     a row-major float matrix, not modified
     * @param from  first row
     * @param rows  number of rows, {@code >= 0}
     * @param mean  x.cols() values, not modified
     * @param scale x.cols() values, not modified
     * @param out   <b>modified</b> (overwritten at the positions above); not mean or scale
     * @param ldo   distance between columns of out, {@code >= rows}
     */
    public static void standardizeRowsToColumns(FloatMatrix x, int from, int rows, double[] mean, double[] scale,
                                                double[] out, int ldo) {
        Objects.requireNonNull(x, "x (the matrix) is null");
        Objects.requireNonNull(mean, "mean is null");
        Objects.requireNonNull(scale, "scale is null");
        Objects.requireNonNull(out, "out is null");
        if (x.layout() != Layout.ROW_MAJOR) {
            throw new IllegalArgumentException("standardizeRowsToColumns needs row-major data, got " + x);
        }
        int n = x.cols();
        if (rows < 0 || from < 0 || (long) from + rows > x.rows()) {
            throw new IllegalArgumentException("rows [" + from + ", " + ((long) from + rows) + ") are not inside [0, " + x.rows() + ")");
        }
        if (ldo < rows) throw new IllegalArgumentException("ldo (" + ldo + ") must be >= rows (" + rows + ")");
        if (mean.length < n || scale.length < n) {
            throw new IllegalArgumentException("mean and scale need n = " + n + " values, got " + mean.length + " and " + scale.length);
        }
        if (rows > 0 && n > 0 && (long) (n - 1) * ldo + rows > out.length) {
            throw new IllegalArgumentException("out holds " + out.length + " values; " + n + " columns of " + rows
                    + " at stride " + ldo + " need " + ((long) (n - 1) * ldo + rows));
        }
        if (out == mean || out == scale) throw new IllegalArgumentException("out must not be mean or scale");
        if (rows == 0 || n == 0) return;
        IMPL.standardizeRowsToColumns(x.data(), x.offset() + from * x.ld(), x.ld(), rows, n, mean, scale, out, ldo);
    }

    // ---- argument checks: each names the argument it rejects ----

    private static void checkRange(FloatMatrix x, int from, int to) {
        Objects.requireNonNull(x, "x (the matrix) is null");
        if (from < 0 || to < from || to > x.rows()) {
            throw new IllegalArgumentException("row range [from=" + from + ", to=" + to + ") is not inside [0, "
                    + x.rows() + ") (the matrix has " + x.rows() + " rows)");
        }
    }

    private static void checkTheta(FloatMatrix x, double[] theta) {
        Objects.requireNonNull(theta, "theta is null");
        if (theta.length < x.cols()) {
            throw new IllegalArgumentException("theta has " + theta.length + " elements, the matrix has " + x.cols() + " columns");
        }
    }

    private static void checkGradient(FloatMatrix x, double[] g) {
        Objects.requireNonNull(g, "g (the gradient accumulator) is null");
        if (g.length < x.cols() + 1) {
            throw new IllegalArgumentException("g has " + g.length + " elements, needs at least " + (x.cols() + 1)
                    + " (n coefficients + 1 for the intercept's part)");
        }
    }

    private static void checkTargets(StridedVector y, int from, int to) {
        Objects.requireNonNull(y, "y (the targets) is null");
        if (to > from) {
            long last = y.offset() + (long) (to - 1) * y.stride();
            if (last >= y.data().length) {
                throw new IllegalArgumentException("y is too short: row " + (to - 1) + " reads index " + last
                        + " of an array of length " + y.data().length);
            }
        }
    }

    private static void checkNotAliased(String name, double[] out, double[] a, double[] b, double[] c) {
        if (out == a || out == b || out == c) {
            throw new IllegalArgumentException(name + " must not share its array with another argument of this call");
        }
    }
}
