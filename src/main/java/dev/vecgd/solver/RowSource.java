package dev.vecgd.solver;

/**
 * Data the solver reaches only through <b>sums over all of its rows</b> ({@link ChunkedRowSource} implements it
 * for chunks of {@link dev.vecgd.data.Dataset} you provide): partitions on a cluster (the
 * optional module {@code vecgd-spark}), a database, files re-read on every pass. Every full-batch
 * quantity of a least-squares fit is such a sum, so {@link LinearRegression#fit(RowSource, FitOptions)}
 * runs {@code gd}, {@code momentum}, {@code nesterov} and {@code cg} on it unchanged — the same
 * standardization, stopping rules, divergence guard and {@link FitResult} as a local fit.
 *
 * <p>The rows are {@code (x_i, y_i)} with n features each. Each call is <b>one pass</b> over all m rows
 * and <b>adds</b> into its output (like {@link GradientBuffer#accumulate}); the solver zeroes first.
 * An implementation must:
 * <ul>
 *   <li>visit every row exactly once per call;</li>
 *   <li>sum in a fixed order (the same for every call with the same arguments) if fits are to be
 *       reproducible bit for bit — on a cluster that means reducing partial sums in partition order,
 *       not in task-completion order;</li>
 *   <li>reject NaN and ±Inf in X or y with an {@link IllegalArgumentException} naming where it is (the
 *       solver also checks that the column sums of {@link #moments} are finite, as a safety net).</li>
 * </ul>
 *
 * <p><b>Sample weights</b> (optional): a source whose rows carry weights w_i answers {@link #hasWeights()} true and
 * implements {@link #weightedMoments} and {@link #weightedAccumulate}; {@link LinearRegression#fit(RowSource,
 * FitOptions)} then fits the weighted problem of {@link LinearRegression#fit(dev.vecgd.data.Dataset, double[],
 * FitOptions)} from those passes. It must reject a negative or non-finite weight with an
 * {@link IllegalArgumentException} naming its row. Sources without weights need not change: the defaults say
 * "no weights" and throw {@link UnsupportedOperationException} if called.
 */
public interface RowSource {

    /** Number of features n (the intercept is not a column). */
    int cols();

    /** Number of rows m, {@code >= 1} for a fit. */
    long rows();

    /**
     * One pass of column moments over X and y, with {@code v_ij = x_ij} for j &lt; n and {@code v_in = y_i}:
     * <pre>
     *   center == null:   out[j] += Σ_i v_ij
     *   otherwise:        out[j] += Σ_i (v_ij − center[j])²          j = 0..n
     * </pre>
     *
     * @param center null, or n + 1 centers (features, then y), not modified
     * @param out    n + 1 values, <b>modified</b> (added to)
     */
    void moments(double[] center, double[] out);

    /**
     * One pass of the fused gradient kernel at p, added into {@code into}:
     * <pre>
     *   r_i = Σ_j p_j x_ij + p_n − (withTargets ? y_i : 0)
     *   sum[j] += Σ_i r_i x_ij  (j &lt; n),   sum[n] += Σ_i r_i,   Σr² += Σ_i r_i²,   rows += m
     * </pre>
     * (with {@code withTargets = false} it is the product with the Gram matrix that {@code cg} needs).
     *
     * @param p           n coefficients then the intercept, not modified
     * @param withTargets false: as if y ≡ 0
     * @param into        <b>modified</b> (added to; never zeroed here)
     */
    void accumulate(double[] p, boolean withTargets, GradientBuffer into);

    /**
     * The kernels this source's passes run, which {@link FitResult#implementation()} of a fit over it reports:
     * {@link dev.vecgd.kernel.Kernels#implementation()} by default (a source over double rows); a source over other
     * storage names its own (e.g. {@link FloatRowSource}: the float32 kernels).
     */
    default String implementation() {
        return dev.vecgd.kernel.Kernels.implementation();
    }

    /**
     * Whether {@link #crossProductsAdd} is implemented. With it, the {@code normal} solver runs on this
     * source and every fit reports standard errors and a condition-number estimate (one more pass);
     * without it ({@code false}, the default) only the residual standard deviation.
     */
    default boolean hasCrossProducts() {
        return false;
    }

    /**
     * Optional: one pass of the cross products of the standardized rows, exactly as
     * {@link CrossProducts#addRowMajor} defines them (which an implementation may call per block of rows):
     * {@code gram[p·k + q] += Σ_i a_ip a_iq} (upper triangle, q ≥ p) and {@code rhs[p] += Σ_i a_ip (y_i − shift)},
     * with {@code a_i = ((x_ij − mean_j)·scale_j)_j [, 1]}, k = n + 1 with an intercept, else n.
     *
     * @param mean      n values, not modified
     * @param scale     n values, not modified
     * @param intercept true: the column of ones last
     * @param shift     subtracted from y
     * @param gram      k × k row-major, <b>modified</b> (upper triangle added to)
     * @param rhs       k values, <b>modified</b> (added to)
     * @throws UnsupportedOperationException if {@link #hasCrossProducts()} is false
     */
    default void crossProductsAdd(double[] mean, double[] scale, boolean intercept, double shift, double[] gram,
                                  double[] rhs) {
        throw new UnsupportedOperationException(getClass().getName() + " has no cross-products pass");
    }

    /**
     * Whether the rows carry sample weights ({@link #weightedMoments} and {@link #weightedAccumulate} implemented).
     * False by default: the fit is unweighted.
     */
    default boolean hasWeights() {
        return false;
    }

    /**
     * One pass of <b>weighted</b> column moments, as {@link #moments} with each row counted w_i times, plus the total
     * weight:
     * <pre>
     *   center == null:   out[j] += Σ_i w_i v_ij
     *   otherwise:        out[j] += Σ_i w_i (v_ij − center[j])²          j = 0..n
     *   always:           out[n + 1] += Σ_i w_i
     * </pre>
     *
     * @param center null, or n + 1 centers (features, then y), not modified
     * @param out    n + 2 values, <b>modified</b> (added to)
     * @throws IllegalArgumentException      for a negative or non-finite weight (naming its row)
     * @throws UnsupportedOperationException if {@link #hasWeights()} is false
     */
    default void weightedMoments(double[] center, double[] out) {
        throw new UnsupportedOperationException(getClass().getName() + " has no sample weights (hasWeights() is false)");
    }

    /**
     * One pass of the <b>weighted</b> fused gradient at p, as {@link #accumulate} with each row's terms multiplied by
     * its weight: {@code sum[j] += Σ_i w_i r_i x_ij}, {@code sum[n] += Σ_i w_i r_i}, {@code Σr² += Σ_i w_i r_i²},
     * {@code rows += m} (every row, zero weights included).
     *
     * @throws UnsupportedOperationException if {@link #hasWeights()} is false
     */
    default void weightedAccumulate(double[] p, boolean withTargets, GradientBuffer into) {
        throw new UnsupportedOperationException(getClass().getName() + " has no sample weights (hasWeights() is false)");
    }

    /**
     * Whether {@link #weightedCrossProductsAdd} is implemented (a source with weights: {@link #hasWeights()}). With it,
     * a weighted fit runs the {@code normal} solver and reports standard errors and κ (one more pass); without it
     * ({@code false}, the default) only the residual standard deviation.
     */
    default boolean hasWeightedCrossProducts() {
        return false;
    }

    /**
     * Optional: one pass of the <b>weighted</b> cross products of the standardized rows, as
     * {@link CrossProducts#addRowMajorWeighted} defines them (which an implementation may call per block of rows, with
     * the rows' raw weights):
     * {@code gram[p·k + q] += Σ_i w_i a_ip a_iq} (upper triangle, q ≥ p) and {@code rhs[p] += Σ_i w_i a_ip (y_i − shift)},
     * a_i as in {@link #crossProductsAdd}. The solver scales by m/W itself.
     *
     * @param gram k × k row-major, <b>modified</b> (upper triangle added to)
     * @param rhs  k values, <b>modified</b> (added to)
     * @throws UnsupportedOperationException if {@link #hasWeightedCrossProducts()} is false
     */
    default void weightedCrossProductsAdd(double[] mean, double[] scale, boolean intercept, double shift,
                                          double[] gram, double[] rhs) {
        throw new UnsupportedOperationException(getClass().getName() + " has no weighted cross-products pass");
    }
}
