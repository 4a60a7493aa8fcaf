package dev.vecgd.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;

/**
 * The fused least-squares kernel over off-heap data ({@link SegmentMatrix}, {@link SegmentVector}),
 * for datasets larger than a Java array: the checked public API, like {@link Kernels} for heap arrays.
 *
 * <p>The implementation follows {@link Kernels}: the Vector API version
 * ({@code DoubleVector.fromMemorySegment}, loaded reflectively after the same module check) when
 * {@link Kernels#isVectorized()}, the scalar reference otherwise. Rows are {@code long}; one call is
 * cut into implementation calls of at most {@link #MAX_CALL_ROWS} rows (fixed boundaries from
 * {@code from}). The scalar version gives the same bits as {@link Kernels#lossGradientAdd} with the
 * scalar heap kernels on the same numbers; the vector version agrees with it to rounding and is
 * deterministic. For several threads see {@link ParallelKernels}.
 *
 * <p><b>float32 X.</b> Every method accepts a {@link SegmentMatrix} of {@link ElementType#FLOAT32} unchanged: it
 * dispatches on the element type once per call to the float kernels ({@link #floatImplementation()}), which widen
 * each float to double before using it; θ, y, w, g and every sum stay double. On the same (float-representable)
 * numbers the scalar float kernel gives the same bits as the scalar double kernel, the vector float kernel
 * agrees with the vector double kernel to rounding.
 */
public final class SegmentKernels {

    /** Rows per implementation call (inner loops count rows with an {@code int}). */
    public static final int MAX_CALL_ROWS = 1 << 30;

    private static final SegmentKernelImpl IMPL = choose();
    private static final SegmentKernelImpl FLOAT_IMPL = chooseFloat();

    private SegmentKernels() {
    }

    private static SegmentKernelImpl choose() {
        if (!Kernels.isVectorized()) return ScalarSegmentKernels.INSTANCE;
        SegmentKernelImpl v = loadVector();
        return v != null ? v : ScalarSegmentKernels.INSTANCE;
    }

    private static SegmentKernelImpl chooseFloat() {
        if (!Kernels.isVectorized()) return ScalarFloatSegmentKernels.INSTANCE;
        SegmentKernelImpl v = loadFloatVector();
        return v != null ? v : ScalarFloatSegmentKernels.INSTANCE;
    }

    /** The float32 vector implementation, or null when the Vector API is not available. */
    static SegmentKernelImpl loadFloatVector() {
        return load("dev.vecgd.kernel.VectorFloatSegmentKernels", SegmentKernelImpl.class, "float32 segment kernels");
    }

    /** The vector implementation, or null when the Vector API is not available. */
    static SegmentKernelImpl loadVector() {
        return load("dev.vecgd.kernel.VectorSegmentKernels", SegmentKernelImpl.class, "segment kernels");
    }

    /** {@code className.create()} loaded reflectively (after the module check), or null with a warning. */
    private static <T> T load(String className, Class<T> type, String what) {
        if (KernelProvider.whyNoVector() != null) return null;
        try {
            Class<?> c = Class.forName(className, true, SegmentKernels.class.getClassLoader());
            return type.cast(MethodHandles.lookup().findStatic(c, "create", MethodType.methodType(type)).invoke());
        } catch (Throwable e) {
            System.getLogger("dev.vecgd.kernel").log(System.Logger.Level.WARNING,
                    "vecgd: the Vector API " + what + " failed to load: " + e);
            return null;
        }
    }

    static SegmentKernelImpl impl() {
        return IMPL;
    }

    static SegmentKernelImpl floatImpl() {
        return FLOAT_IMPL;
    }

    /** The active implementation for x's element type. */
    private static SegmentKernelImpl implFor(SegmentMatrix x) {
        return x.elementType() == ElementType.FLOAT32 ? FLOAT_IMPL : IMPL;
    }

    /** The active implementation's name. */
    public static String implementation() {
        return IMPL.name();
    }

    /** The active implementation's name for float32 X ({@link ElementType#FLOAT32}). */
    public static String floatImplementation() {
        return FLOAT_IMPL.name();
    }

    /**
     * One pass over rows {@code [from, to)} without storing residuals: {@code g[j] += Σ r_i·x_ij}
     * (j &lt; n), {@code g[n] += Σ r_i}; returns {@code Σ r_i²}, with {@code r_i = x_i·θ + b − y_i}.
     *
     * @param x     the matrix (float64 or float32), not modified
     * @param theta n coefficients, not modified
     * @param b     intercept
     * @param y     targets, not modified (may be a column of X's segment)
     * @param g     accumulator of length {@code >= n + 1}, <b>modified</b> (added to)
     * @param from  first row, inclusive
     * @param to    last row, exclusive
     */
    public static double lossGradientAdd(SegmentMatrix x, double[] theta, double b, SegmentVector y,
                                         double[] g, long from, long to) {
        check(x, theta, y, g, from, to);
        return run(implFor(x), x, theta, b, y, g, from, to, MAX_CALL_ROWS);
    }

    /**
     * The weighted pass over rows {@code [from, to)} (sample weights), as
     * {@link Kernels#weightedLossGradientAdd} on the heap (the same bits for the same data): {@code g[j] += Σ w_i r_i x_ij}
     * (j &lt; n), {@code g[n] += Σ w_i r_i}; returns {@code Σ w_i r_i²}.
     *
     * @param x     the matrix (float64 or float32), not modified
     * @param theta n coefficients, not modified
     * @param b     intercept
     * @param y     targets, not modified
     * @param w     weights, not modified (not checked: a fit checks them once)
     * @param g     accumulator of length {@code >= n + 1}, <b>modified</b> (added to)
     * @param from  first row, inclusive
     * @param to    last row, exclusive
     */
    public static double weightedLossGradientAdd(SegmentMatrix x, double[] theta, double b, SegmentVector y,
                                                 SegmentVector w, double[] g, long from, long to) {
        check(x, theta, y, g, from, to);
        Objects.requireNonNull(w, "w (the weights) is null");
        if (to > from && w.capacity() < to) {
            throw new IllegalArgumentException("w is too short: row " + (to - 1) + " is outside " + w);
        }
        return runWeighted(implFor(x), x, theta, b, y, w, g, from, to);
    }

    /** The weighted pass with a given implementation, which must read x's element type. */
    static double runWeighted(SegmentKernelImpl impl, SegmentMatrix x, double[] theta, double b, SegmentVector y,
                              SegmentVector w, double[] g, long from, long to) {
        requireType(impl, x);
        boolean row = x.layout() == Layout.ROW_MAJOR;
        double ss = 0;
        for (long lo = from; lo < to; lo += MAX_CALL_ROWS) {
            int count = (int) Math.min(MAX_CALL_ROWS, to - lo);
            ss += row
                    ? impl.fusedWeightedRow(x.segment(), x.offset(), x.ld(), x.cols(), theta, b, y.segment(), y.offset(),
                            y.stride(), w.segment(), w.offset(), w.stride(), g, lo, count)
                    : impl.fusedWeightedCol(x.segment(), x.offset(), x.ld(), x.cols(), theta, b, y.segment(), y.offset(),
                            y.stride(), w.segment(), w.offset(), w.stride(), g, lo, count);
        }
        return ss;
    }

    /** The pass with a given implementation (which must read x's element type), all rows per call. */
    static double run(SegmentKernelImpl impl, SegmentMatrix x, double[] theta, double b, SegmentVector y,
                      double[] g, long from, long to) {
        return run(impl, x, theta, b, y, g, from, to, MAX_CALL_ROWS);
    }

    /** The pass with a given implementation and number of rows per implementation call (tests force a small one). */
    static double run(SegmentKernelImpl impl, SegmentMatrix x, double[] theta, double b, SegmentVector y,
                      double[] g, long from, long to, int callRows) {
        requireType(impl, x);
        boolean row = x.layout() == Layout.ROW_MAJOR;
        double ss = 0;
        for (long lo = from; lo < to; lo += callRows) {
            int count = (int) Math.min(callRows, to - lo);
            ss += row
                    ? impl.fusedRow(x.segment(), x.offset(), x.ld(), x.cols(), theta, b, y.segment(), y.offset(), y.stride(), g, lo, count)
                    : impl.fusedCol(x.segment(), x.offset(), x.ld(), x.cols(), theta, b, y.segment(), y.offset(), y.stride(), g, lo, count);
        }
        return ss;
    }

    /** A float kernel must never read float64 X (nor the reverse): the bytes would be read as the wrong type. */
    private static void requireType(SegmentKernelImpl impl, SegmentMatrix x) {
        if (impl.elementType() != x.elementType()) {
            throw new IllegalArgumentException(impl.name() + " reads " + impl.elementType().dtypeName() + " X, got " + x);
        }
    }

    /**
     * {@link Kernels#copyShiftedRows} from off-heap row-major data: rows {@code [from, from + rows)} of x
     * (element (i, j) at element index {@code x.offset() + i·x.ld() + j}) shifted into the heap block out
     * (row r at {@code out[oOff + r·ldo]}); absMax max-accumulated. The same bits as the heap version.
     *
     * @param x      a row-major matrix (float64 or float32: each float widened to double), not modified
     * @param from   first row
     * @param rows   number of rows, {@code >= 0}
     * @param shift  x.cols() values, not modified
     * @param out    <b>modified</b> (overwritten: columns 0 … n − 1 of rows 0 … rows − 1)
     * @param ldo    distance between rows of out, {@code >= x.cols()}
     * @param absMax x.cols() values, <b>modified</b> (max-accumulated)
     */
    public static void copyShiftedRows(SegmentMatrix x, long from, int rows, double[] shift, double[] out, int oOff,
                                       int ldo, double[] absMax) {
        Objects.requireNonNull(x, "x (the matrix) is null");
        Objects.requireNonNull(shift, "shift is null");
        Objects.requireNonNull(out, "out is null");
        Objects.requireNonNull(absMax, "absMax is null");
        if (x.layout() != Layout.ROW_MAJOR) throw new IllegalArgumentException("copyShiftedRows needs row-major data, got " + x);
        int n = x.cols();
        if (rows < 0 || from < 0 || from + rows > x.rows()) {
            throw new IllegalArgumentException("rows [" + from + ", " + (from + rows) + ") are not inside [0, " + x.rows() + ")");
        }
        if (ldo < n || oOff < 0) throw new IllegalArgumentException("ldo (" + ldo + ") must be >= n (" + n + ") and oOff >= 0, got " + oOff);
        if (shift.length < n || absMax.length < n) {
            throw new IllegalArgumentException("shift and absMax need n = " + n + " values, got " + shift.length + " and " + absMax.length);
        }
        if (rows > 0 && n > 0 && oOff + (long) (rows - 1) * ldo + n > out.length) {
            throw new IllegalArgumentException("out holds " + out.length + " values; " + rows + " rows of " + n + " at stride " + ldo + " need " + (oOff + (long) (rows - 1) * ldo + n));
        }
        if (out == shift || out == absMax || absMax == shift) throw new IllegalArgumentException("out, shift and absMax must be different arrays");
        if (rows == 0 || n == 0) return;
        implFor(x).copyShiftedRows(x.segment(), x.offset() + from * x.ld(), x.ld(), rows, n, shift, out, oOff, ldo, absMax);
    }

    /**
     * {@link Kernels#copyWeightedRows} from off-heap row-major data: rows {@code [from, from + rows)} of x packed into
     * the heap block out (row r at {@code out[oOff + r·ldo]}) as {@code ((x_ij − shift[j])·scale[j])·sw[swOff + r]}.
     * The same bits as the heap version.
     *
     * @param x     a row-major matrix, not modified
     * @param from  first row
     * @param rows  number of rows, {@code >= 0}
     * @param shift x.cols() values, not modified
     * @param scale x.cols() values, not modified
     * @param sw    the rows' square-root weights from {@code sw[swOff]}, not modified
     * @param out   <b>modified</b> (overwritten: columns 0 … n − 1 of rows 0 … rows − 1)
     * @param ldo   distance between rows of out, {@code >= x.cols()}
     */
    public static void copyWeightedRows(SegmentMatrix x, long from, int rows, double[] shift, double[] scale,
                                        double[] sw, int swOff, double[] out, int oOff, int ldo) {
        Objects.requireNonNull(x, "x (the matrix) is null");
        Objects.requireNonNull(shift, "shift is null");
        Objects.requireNonNull(scale, "scale is null");
        Objects.requireNonNull(sw, "sw is null");
        Objects.requireNonNull(out, "out is null");
        if (x.layout() != Layout.ROW_MAJOR) throw new IllegalArgumentException("copyWeightedRows needs row-major data, got " + x);
        int n = x.cols();
        if (rows < 0 || from < 0 || from + rows > x.rows()) {
            throw new IllegalArgumentException("rows [" + from + ", " + (from + rows) + ") are not inside [0, " + x.rows() + ")");
        }
        if (ldo < n || oOff < 0) throw new IllegalArgumentException("ldo (" + ldo + ") must be >= n (" + n + ") and oOff >= 0, got " + oOff);
        if (shift.length < n || scale.length < n) {
            throw new IllegalArgumentException("shift and scale need n = " + n + " values, got " + shift.length + " and " + scale.length);
        }
        if (swOff < 0 || (long) swOff + rows > sw.length) {
            throw new IllegalArgumentException("sw holds " + sw.length + " values; " + rows + " rows at offset " + swOff + " need " + ((long) swOff + rows));
        }
        if (rows > 0 && n > 0 && oOff + (long) (rows - 1) * ldo + n > out.length) {
            throw new IllegalArgumentException("out holds " + out.length + " values; " + rows + " rows of " + n + " at stride " + ldo + " need " + (oOff + (long) (rows - 1) * ldo + n));
        }
        if (out == shift || out == scale || out == sw) throw new IllegalArgumentException("out must not be shift, scale or sw");
        if (rows == 0 || n == 0) return;
        implFor(x).copyWeightedRows(x.segment(), x.offset() + from * x.ld(), x.ld(), rows, n, shift, scale, sw, swOff, out, oOff, ldo);
    }

    /** Argument checks shared with {@link ParallelKernels}. */
    static void check(SegmentMatrix x, double[] theta, SegmentVector y, double[] g, long from, long to) {
        Objects.requireNonNull(x, "x (the matrix) is null");
        Objects.requireNonNull(theta, "theta is null");
        Objects.requireNonNull(y, "y (the targets) is null");
        Objects.requireNonNull(g, "g (the gradient accumulator) is null");
        if (from < 0 || to < from || to > x.rows()) {
            throw new IllegalArgumentException("row range [from=" + from + ", to=" + to + ") is not inside [0, "
                    + x.rows() + ")");
        }
        if (theta.length < x.cols()) {
            throw new IllegalArgumentException("theta has " + theta.length + " elements, the matrix has " + x.cols() + " columns");
        }
        if (g.length < x.cols() + 1) {
            throw new IllegalArgumentException("g has " + g.length + " elements, needs at least " + (x.cols() + 1)
                    + " (n coefficients + 1 for the intercept's part)");
        }
        if (g == theta) throw new IllegalArgumentException("g must not share its array with theta");
        if (to > from && y.capacity() < to) {
            throw new IllegalArgumentException("y is too short: row " + (to - 1) + " is outside " + y);
        }
    }
}
