package dev.vecgd.kernel;

import java.util.Objects;

/**
 * Compensated ("Dot2", Ogita–Rump–Oishi 2005) passes over X for the extended-precision solver: every product is
 * split exactly by TwoProduct ({@code p = a·b, e = fma(a, b, −p)}) and every sum by TwoSum, so the results are
 * double-doubles as accurate as if computed in twice the working precision. Scalar reference implementation,
 * allocation-free; both layouts, and row-major heap blocks (the off-heap path copies rows with {@link SegmentReader}).
 * The fused pass runs the implementation chosen at start-up ({@link Kernels#implementation()}): the Vector API
 * kernels ({@code CompensatedVector}, {@code CompensatedGramVector}: lanes = rows) or the scalar reference
 * ({@code CompensatedScalar}). The implementations sum in different orders, each within the bound below.
 *
 * <p><b>Accumulator layout</b>: a double-double quantity k occupies {@code acc[2k]} (high part) and
 * {@code acc[2k + 1]} (low part, the accumulated errors); its value is {@code acc[2k] + acc[2k + 1]}. Every
 * method <b>adds</b> to {@code acc} (never overwrites), so passes over blocks of rows accumulate.
 *
 * <p><b>Error bound</b> (Ogita–Rump–Oishi, Prop. 5.5 applied per row and per sum): each residual
 * r_i = x_iᵀθ + b − y_i is exact up to {@code u·|r_i| + γ²_{n+2}·(Σ_j|x_ij θ_j| + |b| + |y_i|)}, u = 2⁻⁵³,
 * γ_k = k·u/(1 − k·u); a sum over m rows adds {@code γ²_{m+1}·Σ|terms|}. The value hi + lo of an accumulator is
 * therefore the exact sum up to about (n + m)²·u² relative to the magnitudes involved — far below one ulp of
 * the result unless the result cancels by more than ~16 digits. {@code CompensatedKernelsTest} checks this
 * against exact {@link java.math.BigDecimal} sums.
 */
public final class CompensatedKernels {

    private CompensatedKernels() {
    }

    /**
     * The residuals r = Xθ + b − y of rows [from, to) as double-doubles, and
     * <pre>
     *   acc[j]   += Σ_i x_ij·r_i      (j &lt; n, the gradient part Xᵀr)
     *   acc[n]   += Σ_i r_i
     *   acc[n+1] += Σ_i r_i²
     * </pre>
     * all double-double (layout in the class comment; {@code acc.length ≥ 2(n + 2)}).
     *
     * @param x     the features, not modified
     * @param theta the n coefficients, not modified
     * @param b     the intercept
     * @param y     the targets, not modified
     * @param acc   accumulated, modified
     */
    public static void residualsGradientAdd(Matrix x, double[] theta, double b, StridedVector y, int from, int to,
                                            double[] acc) {
        check(x, theta, y, from, to, acc);
        if (x.layout() == Layout.ROW_MAJOR) {
            Kernels.impl().compensatedFusedRow(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(),
                    y.stride(), from, to, acc);
        } else {
            Kernels.impl().compensatedFusedCol(x.data(), x.offset(), x.ld(), x.cols(), theta, b, y.data(), y.offset(),
                    y.stride(), from, to, acc);
        }
    }

    /**
     * {@link #residualsGradientAdd(Matrix, double[], double, StridedVector, int, int, double[])} over {@code rows}
     * row-major rows of a heap block: element (i, j) at {@code a[off + i·ld + j]}, target i at {@code y[yOff + i]}.
     * a and y are not modified; acc is accumulated.
     */
    public static void residualsGradientAddRows(double[] a, int off, int ld, int rows, int n, double[] theta, double b,
                                                double[] y, int yOff, double[] acc) {
        Objects.checkFromIndexSize(yOff, rows, y.length);
        if (rows > 0) Objects.checkFromIndexSize(off, (rows - 1) * ld + n, a.length);
        if (theta.length < n || acc.length < 2 * (n + 2)) {
            throw new IllegalArgumentException("theta needs " + n + " and acc " + 2 * (n + 2) + " elements, got "
                    + theta.length + " and " + acc.length);
        }
        Kernels.impl().compensatedFusedRow(a, off, ld, n, theta, b, y, yOff, 1, 0, rows, acc);
    }

    /**
     * The double-double cross products of the augmented rows v_i = (x_i, 1, y_i), w = n + 2 values, over rows
     * [from, to):
     * <pre>
     *   acc[u·w + v] += Σ_i v_iu·v_iv     for u ≤ v (upper triangle; the lower one is not touched)
     * </pre>
     * so S holds XᵀX, Σx (column n), Xᵀy (column n + 1), m, Σy and Σy². Layout as in the class comment
     * ({@code acc.length ≥ 2w²}).
     *
     * @param x   the features, not modified
     * @param y   the targets, not modified
     * @param acc accumulated, modified
     */
    public static void gramAdd(Matrix x, StridedVector y, int from, int to, double[] acc) {
        Objects.requireNonNull(x, "x is null");
        Objects.checkFromToIndex(from, to, x.rows());
        if (to > from && to > y.capacity()) {
            throw new IllegalArgumentException("y holds " + y.capacity() + " elements, rows up to " + to + " are read");
        }
        int w = x.cols() + 2;
        if (acc.length < 2 * w * w) throw new IllegalArgumentException("acc needs " + 2 * w * w + " elements, got " + acc.length);
        int rs = x.layout() == Layout.ROW_MAJOR ? x.ld() : 1;
        int cs = x.layout() == Layout.ROW_MAJOR ? 1 : x.ld();
        Kernels.impl().compensatedGram(x.data(), x.offset() + from * rs, rs, cs, to - from, x.cols(), y.data(),
                y.offset() + from * y.stride(), y.stride(), acc);
    }

    /**
     * {@link #gramAdd(Matrix, StridedVector, int, int, double[])} over {@code rows} row-major rows of a heap block
     * (element (i, j) at {@code a[off + i·ld + j]}, target i at {@code y[yOff + i]}); a and y not modified.
     */
    public static void gramAddRows(double[] a, int off, int ld, int rows, int n, double[] y, int yOff, double[] acc) {
        Objects.checkFromIndexSize(yOff, rows, y.length);
        if (rows > 0) Objects.checkFromIndexSize(off, (rows - 1) * ld + n, a.length);
        int w = n + 2;
        if (acc.length < 2 * w * w) throw new IllegalArgumentException("acc needs " + 2 * w * w + " elements, got " + acc.length);
        Kernels.impl().compensatedGram(a, off, ld, 1, rows, n, y, yOff, 1, acc);
    }

    private static void check(Matrix x, double[] theta, StridedVector y, int from, int to, double[] acc) {
        Objects.requireNonNull(x, "x is null");
        Objects.requireNonNull(theta, "theta is null");
        Objects.requireNonNull(y, "y is null");
        Objects.requireNonNull(acc, "acc is null");
        Objects.checkFromToIndex(from, to, x.rows());
        int n = x.cols();
        if (theta.length != n) throw new IllegalArgumentException("theta has " + theta.length + " elements, x has " + n + " columns");
        if (acc.length < 2 * (n + 2)) throw new IllegalArgumentException("acc needs " + 2 * (n + 2) + " elements, got " + acc.length);
        if (to > from && to > y.capacity()) {
            throw new IllegalArgumentException("y holds " + y.capacity() + " elements, rows up to " + to + " are read");
        }
    }
}
