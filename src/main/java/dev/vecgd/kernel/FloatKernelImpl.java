package dev.vecgd.kernel;

/**
 * The heap float32 kernels: {@link KernelImpl}'s methods over X stored as a {@code float[]} ({@link FloatMatrix}),
 * with the same arguments and conventions (element (i, j) of X is {@code x[xOff + i*ldx + j]} in the
 * {@code ...Row} methods and {@code x[xOff + j*ldx + i]} in the {@code ...Col} methods; rows [from, to) only;
 * {@code y[yOff + i*yInc]} the target of row i, a null y meaning y = 0; {@code r[rOff + i]} its residual, a null
 * r meaning "do not store"). y, θ, r, g and every sum are doubles; each float is widened to double (exactly)
 * before it is used, so on the same numbers an implementation computes what its double counterpart of
 * {@link KernelImpl} computes. Implementations trust their arguments: {@link FloatKernels} checks them.
 *
 * <p>A separate interface (not heap {@code MemorySegment}s through the float32 {@link SegmentKernelImpl}): the segment
 * kernels' load sites would then see heap and native segments and C2 would compile both paths at each of them
 * (measured: the native float32 pass 76–84 % slower after heap float segments had run in the same JVM).
 */
interface FloatKernelImpl {

    /** Human-readable name, e.g. {@code "scalar (float32)"}. */
    String name();

    /** {@code r[i] = x_i·θ + b − y[i]} (stored if r != null; y null: y = 0); returns {@code Σ r[i]²}. */
    double residualsRow(float[] x, int xOff, int ldx, int n, double[] theta, double b,
                        double[] y, int yOff, int yInc, double[] r, int rOff, int from, int to);

    /** Column-major {@link #residualsRow}. */
    double residualsCol(float[] x, int xOff, int ldx, int n, double[] theta, double b,
                        double[] y, int yOff, int yInc, double[] r, int rOff, int from, int to);

    /**
     * One pass over X: {@code r[i] = x_i·θ + b − y[i]} (stored if r != null), {@code g[j] += Σ r[i]·x[i][j]}
     * for j &lt; n, {@code g[n] += Σ r[i]}; returns {@code Σ r[i]²}.
     */
    double fusedRow(float[] x, int xOff, int ldx, int n, double[] theta, double b,
                    double[] y, int yOff, int yInc, double[] r, int rOff, double[] g, int from, int to);

    /** Column-major {@link #fusedRow}. */
    double fusedCol(float[] x, int xOff, int ldx, int n, double[] theta, double b,
                    double[] y, int yOff, int yInc, double[] r, int rOff, double[] g, int from, int to);

    /**
     * The weighted fused pass: {@code r[i] = x_i·θ + b − y[i]} (stored if r != null, unweighted),
     * {@code g[j] += Σ w[i]·r[i]·x[i][j]} for j &lt; n, {@code g[n] += Σ w[i]·r[i]}; returns {@code Σ w[i]·r[i]²}, with
     * {@code w[i] = w[wOff + i]} (contiguous).
     */
    double fusedWeightedRow(float[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y, int yOff,
                            int yInc, double[] w, int wOff, double[] r, int rOff, double[] g, int from, int to);

    /** Column-major {@link #fusedWeightedRow}. */
    double fusedWeightedCol(float[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y, int yOff,
                            int yInc, double[] w, int wOff, double[] r, int rOff, double[] g, int from, int to);

    /**
     * The packing step of a Gram pass from float rows: {@code out[oOff + r·ldo + j] = (double) x[xOff + r·ldx + j]
     * − shift[j]} and {@code absMax[j] = max(absMax[j], |that|)} for r &lt; rows, j &lt; n. The same bits in every
     * implementation ({@link PackKernelScalar} is the reference).
     */
    void copyShiftedRows(float[] x, int xOff, int ldx, int rows, int n, double[] shift, double[] out,
                         int oOff, int ldo, double[] absMax);

    /**
     * Standardizes float rows into double columns: {@code out[j·ldo + r] = ((double) x[xOff + r·ldx + j] − mean[j])·scale[j]}
     * for r &lt; rows, j &lt; n (one rounded subtraction and one rounded product: the same bits in every implementation,
     * the bits of {@link KernelImpl#standardizeRowsToColumns} on the widened data).
     */
    void standardizeRowsToColumns(float[] x, int xOff, int ldx, int rows, int n, double[] mean, double[] scale,
                                  double[] out, int ldo);
}
