package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.Kernels;

import java.util.Arrays;

/**
 * The gradient of the least-squares loss, accumulated over rows like a tensor's {@code .grad}.
 *
 * <p>Parameters are one array {@code p} of length n + 1: the coefficients {@code p[0..n)} and the
 * intercept {@code p[n]}; the model is {@code h(p, x_i) = p[n] + Σ_j p[j]·x_ij}. Each
 * {@link #accumulate} call <b>adds</b> the rows it is given:
 * <pre>
 *   sum[j] += Σ_i r_i·x_ij  (j &lt; n),   sum[n] += Σ_i r_i,   rows += #rows,   Σr² += Σ_i r_i²
 *   with r_i = h(p, x_i) − y_i
 * </pre>
 * and nothing is ever cleared except by {@link #zeroGrad()}. The gradient of
 * {@code J = 1/(2m) Σ r_i²} over all rows accumulated is {@code ∂J/∂p_j = sum[j] / rows}: the mean
 * divides by the <b>total</b> number of rows accumulated, never per chunk, so a gradient summed over
 * chunks equals the whole-data gradient: bit for bit where the chunks keep the kernel's summation
 * order (a single chunk; the coefficient part with the scalar kernels, which add row by row into the
 * buffer), to rounding otherwise (Σr and Σr² are per-call partial sums; vector kernels reduce lanes
 * per call).
 *
 * <p><b>Why {@code zeroGrad()} is needed.</b> Forgetting it between two steps makes the second step
 * use the sum of the old and the new contributions: {@code sum} holds {@code Xᵀr(p_old) + Xᵀr(p_new)}
 * and {@code rows} is 2m, so the "gradient" is the average of two gradients taken at different
 * points — a wrong direction and a wrong size, and GD no longer converges to the least-squares
 * solution. The typical loop is:
 * <pre>{@code
 * GradientBuffer grad = new GradientBuffer(n);
 * Optimizer gd = new PlainGradientDescent();
 * for (int it = 0; it < iterations; it++) {
 *     grad.zeroGrad();                                   // start a new gradient
 *     for (RowRange c : RowChunks.of(m, 65_536).asList()) {
 *         grad.accumulate(data, p, c.from(), c.to());     // adds Xᵀr and Σr of these rows
 *     }
 *     gd.step(p, grad, alpha);                           // p ← p − α·sum/rows
 * }
 * }</pre>
 *
 * <p>Not thread-safe: use one buffer per thread and {@link #addFrom(GradientBuffer)} to combine them.
 * No method allocates.
 */
public final class GradientBuffer {

    private final int n;
    private final double[] sum;
    private final double[] mean;
    private long rows;
    private double sumSquares;

    /** A zeroed buffer for n coefficients and the intercept. */
    public GradientBuffer(int n) {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        this.n = n;
        this.sum = new double[n + 1];
        this.mean = new double[n + 1];
    }

    /** Number of coefficients n (the buffer holds n + 1 values: the intercept's part last). */
    public int coefficients() {
        return n;
    }

    /** Clears the sums, the row count and Σr²: the next {@link #accumulate} starts a new gradient. */
    public void zeroGrad() {
        Arrays.fill(sum, 0.0);
        rows = 0;
        sumSquares = 0;
    }

    /**
     * Adds the contribution of rows {@code [from, to)} at parameters p (one fused kernel pass,
     * {@link Kernels#lossGradientAdd}): {@code sum[j] += Σ r_i x_ij}, {@code sum[n] += Σ r_i},
     * {@code rows += to − from}, {@code Σr² += Σ r_i²}.
     *
     * @param data the dataset, not modified
     * @param p    parameters, not modified: coefficients {@code p[0..n)}, intercept {@code p[n]}
     * @param from first row, inclusive
     * @param to   last row, exclusive
     * @return {@code Σ r_i²} of these rows
     */
    public double accumulate(Dataset data, double[] p, int from, int to) {
        if (data.cols() != n) {
            throw new IllegalArgumentException("the dataset has " + data.cols() + " columns, this buffer is for " + n);
        }
        if (p.length != n + 1) {
            throw new IllegalArgumentException("p must hold n + 1 = " + (n + 1) + " values (intercept last), got " + p.length);
        }
        double ss = Kernels.lossGradientAdd(data.x(), p, p[n], data.y(), sum, from, to);
        rows += to - from;
        sumSquares += ss;
        return ss;
    }

    /** Adds all rows of {@code data}: {@code accumulate(data, p, 0, m)}. */
    public double accumulate(Dataset data, double[] p) {
        return accumulate(data, p, 0, data.rows());
    }

    /** Adds another buffer's sums, row count and Σr² into this one (e.g. per-thread partials, in a fixed order). */
    public void addFrom(GradientBuffer other) {
        if (other.n != n) throw new IllegalArgumentException("buffers for " + other.n + " and " + n + " coefficients");
        for (int j = 0; j <= n; j++) sum[j] += other.sum[j];
        rows += other.rows;
        sumSquares += other.sumSquares;
    }

    /**
     * Adds raw sums computed elsewhere (e.g. by {@link dev.vecgd.kernel.ParallelKernels}):
     * {@code sum[j] += sums[j]} for j ≤ n, {@code rows += rows}, {@code Σr² += sumSquares}.
     *
     * @param sums       n + 1 values (coefficient parts, intercept part last), not modified
     * @param rows       number of rows the sums cover, {@code >= 0}
     * @param sumSquares their {@code Σ r_i²}
     */
    public void add(double[] sums, long rows, double sumSquares) {
        if (sums.length < n + 1) {
            throw new IllegalArgumentException("sums must hold n + 1 = " + (n + 1) + " values, got " + sums.length);
        }
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        for (int j = 0; j <= n; j++) sum[j] += sums[j];
        this.rows += rows;
        this.sumSquares += sumSquares;
    }

    /** Rows accumulated since the last {@link #zeroGrad()}. */
    public long rows() {
        return rows;
    }

    /** {@code Σ r_i²} over the rows accumulated. */
    public double sumSquares() {
        return sumSquares;
    }

    /** The raw sum for parameter j: {@code Σ r_i x_ij} (j &lt; n) or {@code Σ r_i} (j = n). */
    public double sum(int j) {
        return sum[j];
    }

    /** The loss over the rows accumulated, {@code J = Σr² / (2·rows)}. */
    public double loss() {
        requireRows();
        return sumSquares / (2.0 * rows);
    }

    /**
     * The gradient {@code ∂J/∂p_j = sum[j] / rows} for j ≤ n, written into an internal array that is
     * returned and <b>overwritten by the next call</b> (so the call does not allocate).
     *
     * @throws IllegalStateException if no rows were accumulated
     */
    public double[] meanGradient() {
        requireRows();
        double inv = 1.0 / rows;
        for (int j = 0; j <= n; j++) mean[j] = sum[j] * inv;
        return mean;
    }

    private void requireRows() {
        if (rows == 0) throw new IllegalStateException("no rows accumulated since zeroGrad(): the gradient is undefined");
    }
}
