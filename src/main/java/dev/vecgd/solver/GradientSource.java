package dev.vecgd.solver;

/**
 * Where the raw full-batch gradient sums come from: adds {@code Xᵀr}, {@code Σr}, {@code Σr²} and the
 * row count of <b>all</b> rows at parameters p into a {@link GradientBuffer}. The solver zeroes the
 * buffer first; a source only accumulates. Implementations decide how the rows are visited
 * (chunked, later threaded or off-heap), and must not allocate per call.
 */
public interface GradientSource {

    /** Number of rows m one call visits. */
    long rows();

    /**
     * Adds every row's contribution at p into {@code into} (accumulates; does not zero).
     *
     * @param p    kernel parameters (n coefficients on the original scale, intercept last), not modified
     * @param into <b>modified</b> (added to)
     */
    void accumulate(double[] p, GradientBuffer into);

    /**
     * The kernels that read X in {@link #accumulate}, which {@link FitResult#implementation()} reports:
     * {@link dev.vecgd.kernel.Kernels#implementation()} by default (float64 X); a source over float32 X names the
     * float32 kernels.
     */
    default String implementation() {
        return dev.vecgd.kernel.Kernels.implementation();
    }
}
