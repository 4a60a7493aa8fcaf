package dev.vecgd.solver;

import dev.vecgd.data.DataChecks;
import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.Matrix;

import java.util.Objects;

/**
 * The sufficient statistics of a least-squares fit, kept over a stream of chunks: the row count m, the column
 * means of [X, y] and their centered cross products
 * <pre>
 *   C = Σ_i (v_i − v̄)(v_i − v̄)ᵀ,   v_i = (x_i1, …, x_in, y_i)        ((n + 1) × (n + 1))
 * </pre>
 * {@link #add(Dataset)} ({@code partialFit}) folds a chunk in by the pairwise update of Chan, Golub and
 * LeVeque: the chunk's own means and centered products (two passes over the chunk), then
 * <pre>
 *   δ = v̄_B − v̄_A,   v̄ = v̄_A + δ·m_B/m,   C = C_A + C_B + δδᵀ·m_A·m_B/m        (m = m_A + m_B)
 * </pre>
 * (centered sums, so an offset of a column does not cancel digits as raw Σx², Σxy would). Memory (n + 1)² doubles
 * whatever the number of rows; old chunks are never read again.
 *
 * <p><b>Exact incremental fits.</b> These statistics determine the least-squares (and ridge) solution, its
 * standardization, standard errors and κ exactly, so {@link LinearRegression#fit(SufficientStatistics, FitOptions)}
 * with solver {@code normal} gives, after any number of {@code add} calls, the fit of all rows seen so far — the
 * same coefficients as {@code fit(concatenated data)} up to rounding (≈ κ·ε; about 1e-13 relative in
 * {@code StreamingFitTest}). Only {@code normal} supports exact updates: the iterative solvers
 * ({@code gd, momentum, nesterov, cg}) need a pass over every row per iteration — for them use
 * {@link ChunkedRowSource} over all chunks (optionally warm-started from the previous fit), which re-reads old
 * chunks. Not thread-safe; {@link #merge} combines statistics built on different threads or machines.
 */
public final class SufficientStatistics {

    private final int n;
    private long m;
    /** v̄, n + 1 values (y last). */
    private final double[] mean;
    /** C, (n + 1)², row-major, symmetric. */
    private final double[] c;

    /** Empty statistics for n feature columns. */
    public SufficientStatistics(int n) {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        this.n = n;
        this.mean = new double[n + 1];
        this.c = new double[(n + 1) * (n + 1)];
    }

    /** Statistics of these chunks (one {@link #add} each). */
    public static SufficientStatistics of(Iterable<? extends Dataset> chunks) {
        SufficientStatistics s = null;
        for (Dataset d : chunks) {
            if (s == null) s = new SufficientStatistics(d.cols());
            s.add(d);
        }
        if (s == null) throw new IllegalArgumentException("no chunks: nothing to fit");
        return s;
    }

    /** Feature columns n. */
    public int cols() {
        return n;
    }

    /** Rows added so far. */
    public long rows() {
        return m;
    }

    /**
     * Adds a chunk (its rows join the statistics; the chunk is not kept).
     *
     * @param chunk n feature columns, finite values, not modified
     * @return this
     * @throws IllegalArgumentException for another column count or NaN/±Inf (naming row and column)
     */
    public SufficientStatistics add(Dataset chunk) {
        Objects.requireNonNull(chunk, "chunk is null");
        if (chunk.cols() != n) {
            throw new IllegalArgumentException("the chunk has " + chunk.cols() + " feature columns, the statistics " + n);
        }
        DataChecks.requireFinite(chunk);
        int rows = chunk.rows();
        if (rows == 0) return this;
        Matrix x = chunk.x();
        int k = n + 1;
        double[] mb = new double[k];
        double[] v = new double[k];
        // the chunk's means, corrected by a second pass (Σ(v − μ₀)/m)
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) mb[j] += x.get(i, j);
            mb[n] += chunk.y(i);
        }
        for (int j = 0; j < k; j++) mb[j] /= rows;
        double[] corr = new double[k];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) corr[j] += x.get(i, j) - mb[j];
            corr[n] += chunk.y(i) - mb[n];
        }
        for (int j = 0; j < k; j++) mb[j] += corr[j] / rows;
        double[] cb = new double[k * k];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) v[j] = x.get(i, j) - mb[j];
            v[n] = chunk.y(i) - mb[n];
            for (int p = 0; p < k; p++) {
                double vp = v[p];
                for (int q = p; q < k; q++) cb[p * k + q] += vp * v[q];
            }
        }
        for (int p = 0; p < k; p++) for (int q = 0; q < p; q++) cb[p * k + q] = cb[q * k + p];
        combine(rows, mb, cb);
        return this;
    }

    /** Adds another statistics' rows (same n): the pairwise update; {@code other} is not modified. */
    public SufficientStatistics merge(SufficientStatistics other) {
        Objects.requireNonNull(other, "other is null");
        if (other.n != n) throw new IllegalArgumentException("statistics of " + other.n + " and " + n + " columns");
        if (other.m > 0) combine(other.m, other.mean.clone(), other.c.clone());
        return this;
    }

    private void combine(long mb, double[] meanB, double[] cb) {
        int k = n + 1;
        long total = m + mb;
        if (m == 0) {
            System.arraycopy(meanB, 0, mean, 0, k);
            System.arraycopy(cb, 0, c, 0, k * k);
            m = mb;
            return;
        }
        double[] delta = new double[k];
        for (int j = 0; j < k; j++) delta[j] = meanB[j] - mean[j];
        double w = (double) m * mb / total;
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < k; q++) c[p * k + q] += cb[p * k + q] + delta[p] * delta[q] * w;
        }
        double fb = (double) mb / total;
        for (int j = 0; j < k; j++) mean[j] += delta[j] * fb;
        m = total;
    }

    /** v̄: the n column means, then ȳ (a copy). */
    public double[] means() {
        return mean.clone();
    }

    /** C: the (n + 1)² centered cross products of [X, y], row-major (a copy). */
    public double[] centeredCrossProducts() {
        return c.clone();
    }

    /** σ_j = √(C_jj / m) for the n features then y. */
    double[] standardDeviations() {
        int k = n + 1;
        double[] sd = new double[k];
        for (int j = 0; j < k; j++) sd[j] = Math.sqrt(Math.max(0, c[j * k + j]) / m);
        return sd;
    }

    /**
     * The raw Gram sums of the standardized design for the {@link CrossProducts} definition, from C and v̄:
     * {@code Σ (x_p − μ_p)(x_q − μ_q) = C_pq + m(x̄_p − μ_p)(x̄_q − μ_q)} and likewise with y − shift and the
     * column of ones — exact identities, no pass over rows.
     */
    GramMatrix gram(Standardization s, boolean intercept, double shift) {
        int k = intercept ? n + 1 : n;
        int kc = n + 1;
        double[] mu = s.means();
        double[] sc = s.scales();
        double[] dx = new double[n];
        for (int j = 0; j < n; j++) dx[j] = mean[j] - mu[j];
        double dy = mean[n] - shift;
        double[] gram = new double[k * k];
        double[] rhs = new double[k];
        for (int p = 0; p < n; p++) {
            for (int q = p; q < n; q++) gram[p * k + q] = sc[p] * sc[q] * (c[p * kc + q] + m * dx[p] * dx[q]);
            rhs[p] = sc[p] * (c[p * kc + n] + m * dx[p] * dy);
            if (intercept) gram[p * k + n] = sc[p] * m * dx[p];
        }
        if (intercept) {
            gram[n * k + n] = m;
            rhs[n] = m * dy;
        }
        return GramMatrix.fromSums(n, intercept, shift, s, m, gram, rhs);
    }

    /**
     * The full-batch gradient sums at original-scale parameters p, from the statistics: with
     * {@code c₀ = x̄·β + b − ȳ} and {@code u = C_xx β − C_xy},
     * {@code Σ r_i x_ij = u_j + m·c₀·x̄_j}, {@code Σ r_i = m·c₀}, {@code Σ r_i² = βᵀC_xxβ − 2βᵀC_xy + C_yy + m·c₀²}.
     * Σr² is a difference of sums of size Σ(y − ȳ)²: its relative error is about ε·Σ(y − ȳ)²/Σr² (1e-12 at R² = 0.9999).
     */
    GradientSource gradientSource() {
        int kc = n + 1;
        return new GradientSource() {
            final double[] sums = new double[n + 1];

            @Override
            public long rows() {
                return m;
            }

            @Override
            public void accumulate(double[] p, GradientBuffer into) {
                double c0 = p[n] - mean[n];
                for (int j = 0; j < n; j++) c0 += mean[j] * p[j];
                double quad = c[n * kc + n];
                double sr = 0;
                for (int j = 0; j < n; j++) {
                    double u = -c[j * kc + n];
                    for (int q = 0; q < n; q++) u += c[j * kc + q] * p[q];
                    sums[j] = u + m * c0 * mean[j];
                    quad += p[j] * (u - c[j * kc + n]);
                }
                sums[n] = m * c0;
                sr = Math.max(0, quad) + m * c0 * c0;
                into.add(sums, m, sr);
            }
        };
    }
}
