package dev.vecgd.kernel;

/**
 * The arithmetic of vecgd, one method per kernel and layout. Implementations trust their
 * arguments: {@link Kernels} checks them first.
 *
 * <p>Conventions shared by every method: X has n columns; element (i, j) is
 * {@code x[xOff + i*ldx + j]} in the {@code ...Row} methods and {@code x[xOff + j*ldx + i]} in the
 * {@code ...Col} methods. Only rows {@code [from, to)} are touched. {@code y[yOff + i*yInc]} is the
 * target of row i; {@code r[rOff + i]} its residual. A null {@code y} means y = 0 (prediction); a
 * null {@code r} means "do not store the residuals".
 */
interface KernelImpl {

    /** Human-readable name, e.g. {@code "scalar"} or {@code "vector: 512-bit, 8 doubles"}. */
    String name();

    /** Width of the vectors used, in bits; 64 for the scalar implementation. */
    int vectorBits();

    /** {@code r[i] = x_i·θ + b − y[i]} (stored if r != null); returns {@code Σ r[i]²}. */
    double residualsRow(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                        double[] y, int yOff, int yInc, double[] r, int rOff, int from, int to);

    /** Column-major {@link #residualsRow}. */
    double residualsCol(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                        double[] y, int yOff, int yInc, double[] r, int rOff, int from, int to);

    /** {@code g[j] += Σ_i r[i]·x[i][j]} for j < n; returns {@code Σ r[i]}. */
    double gradientAddRow(double[] x, int xOff, int ldx, int n, double[] r, int rOff, double[] g, int from, int to);

    /** Column-major {@link #gradientAddRow}. */
    double gradientAddCol(double[] x, int xOff, int ldx, int n, double[] r, int rOff, double[] g, int from, int to);

    /**
     * One pass over X: {@code r[i] = x_i·θ + b − y[i]} (stored if r != null), {@code g[j] += Σ r[i]·x[i][j]}
     * for j < n, {@code g[n] += Σ r[i]}; returns {@code Σ r[i]²}.
     */
    double fusedRow(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                    double[] y, int yOff, int yInc, double[] r, int rOff, double[] g, int from, int to);

    /** Column-major {@link #fusedRow}. */
    double fusedCol(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                    double[] y, int yOff, int yInc, double[] r, int rOff, double[] g, int from, int to);

    /**
     * The weighted fused pass over X: {@code r[i] = x_i·θ + b − y[i]} (stored if r != null, unweighted),
     * {@code g[j] += Σ w[i]·r[i]·x[i][j]} for j < n, {@code g[n] += Σ w[i]·r[i]}; returns {@code Σ w[i]·r[i]²}, with
     * {@code w[i] = w[wOff + i]} (contiguous).
     */
    double fusedWeightedRow(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y, int yOff,
                            int yInc, double[] w, int wOff, double[] r, int rOff, double[] g, int from, int to);

    /** Column-major {@link #fusedWeightedRow}. */
    double fusedWeightedCol(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y, int yOff,
                            int yInc, double[] w, int wOff, double[] r, int rOff, double[] g, int from, int to);

    /**
     * Cross products of the k columns of a column-major block of cnt rows (column p at {@code a[p·lda]}):
     * {@code c[p·k + q] += Σ_r a_pr·a_qr} for p ≤ q (upper triangle only) and {@code d[p] += Σ_r a_pr·v[r]}.
     */
    void crossProductsAdd(double[] a, int lda, int k, int cnt, double[] v, double[] c, double[] d);

    /**
     * Standardizes rows into columns: {@code out[j·ldo + r] = (x[xOff + r·ldx + j] − mean[j])·scale[j]} for
     * r &lt; rows, j &lt; n (a subtraction then a multiplication, each rounded: every implementation gives the
     * same bits).
     */
    void standardizeRowsToColumns(double[] x, int xOff, int ldx, int rows, int n, double[] mean, double[] scale,
                                  double[] out, int ldo);

    /**
     * The Gram update {@code c[p·ldc + q] ← fma(a_rp, a_rq, c[p·ldc + q])} for r = 0 … cnt − 1 in order, for every
     * 0 ≤ p ≤ q &lt; k, with {@code a_rp = a[aOff + r·lda + p]} (row-major rows). The same bits in every
     * implementation ({@link GramKernelScalar} is the reference; the vector kernel overrides this).
     */
    default void gramAdd(double[] a, int aOff, int lda, int k, int cnt, double[] c, int ldc) {
        GramKernelScalar.gramAdd(a, aOff, lda, k, cnt, c, ldc);
    }

    /**
     * The packing step of a Gram pass: {@code out[oOff + r·ldo + j] = x[xOff + r·ldx + j] − shift[j]} and
     * {@code absMax[j] = max(absMax[j], |that|)} for r &lt; rows, j &lt; n. The same bits in every implementation
     * ({@link PackKernelScalar} is the reference; the vector kernel overrides this).
     */
    default void copyShiftedRows(double[] x, int xOff, int ldx, int rows, int n, double[] shift, double[] out,
                                 int oOff, int ldo, double[] absMax) {
        PackKernelScalar.copyShiftedRows(x, xOff, ldx, rows, n, shift, out, oOff, ldo, absMax);
    }

    /**
     * The weighted packing step of a weighted Gram pass:
     * {@code out[oOff + r·ldo + j] = ((x[xOff + r·ldx + j] − shift[j])·scale[j])·sw[swOff + r]} for r &lt; rows,
     * j &lt; n. The same bits in every implementation ({@link PackKernelScalar} is the reference).
     */
    default void copyWeightedRows(double[] x, int xOff, int ldx, int rows, int n, double[] shift, double[] scale,
                                  double[] sw, int swOff, double[] out, int oOff, int ldo) {
        PackKernelScalar.copyWeightedRows(x, xOff, ldx, rows, n, shift, scale, sw, swOff, out, oOff, ldo);
    }

    /**
     * The compensated fused pass of {@link CompensatedKernels#residualsGradientAdd} over rows [from, to) of row-major
     * X: Dot2 residuals, then Xᵀr, Σr and Σr² added to the double-double accumulators {@code acc} (layout of
     * {@link CompensatedKernels}). The scalar reference unless overridden.
     */
    default void compensatedFusedRow(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                                     int yOff, int yInc, int from, int to, double[] acc) {
        CompensatedScalar.residualsGradient(x, xOff + from * ldx, ldx, 1, to - from, n, theta, b, y, yOff + from * yInc,
                yInc, acc);
    }

    /** Column-major {@link #compensatedFusedRow}. */
    default void compensatedFusedCol(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                                     int yOff, int yInc, int from, int to, double[] acc) {
        CompensatedScalar.residualsGradient(x, xOff + from, 1, ldx, to - from, n, theta, b, y, yOff + from * yInc,
                yInc, acc);
    }

    /**
     * The compensated Gram pass of {@link CompensatedKernels#gramAdd} over {@code rows} rows, element (i, j) at
     * {@code a[base + i·rs + j·cs]}, target i at {@code y[yBase + i·ys]}. The scalar reference unless overridden.
     */
    default void compensatedGram(double[] a, int base, int rs, int cs, int rows, int n, double[] y, int yBase, int ys,
                                 double[] acc) {
        CompensatedScalar.gram(a, base, rs, cs, rows, n, y, yBase, ys, acc);
    }
}
