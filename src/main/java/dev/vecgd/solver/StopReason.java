package dev.vecgd.solver;

/**
 * Why a fit stopped. Only {@link #CONVERGED} means the coefficients are within the bound documented in
 * {@link StoppingRules}; every other reason comes with a message that says why not and how far the fit got.
 */
public enum StopReason {
    /** The gradient rule held on the true gradient: ‖∇J‖ ≤ tol·S (see {@link StoppingRules}). */
    CONVERGED,
    /** The iteration budget ran out before the gradient rule held. */
    MAX_ITERATIONS,
    /**
     * The loss rose 5 times in a row, became non-finite, or exceeded 10⁶·J(θ₀): the step is too large (see
     * {@link DivergenceGuard}; in mini-batch mode rises count only above J(θ₀)). With the automatic rate this does
     * not happen: full batch it is below 2/L; an automatic mini-batch rate that proves unstable is halved instead.
     */
    DIVERGED,
    /** The {@link IterationListener} asked to stop. */
    STOPPED_BY_CALLBACK,
    /**
     * The gradient reached the rounding floor of double precision (see {@link StoppingRules#floor}) and stopped
     * decreasing before the tolerance held: as close as double arithmetic gets on this data (large offsets,
     * nearly constant columns), but not certified to the tolerance. The message gives the relative gradient
     * reached; a larger tolerance would have been met.
     */
    PRECISION_LIMIT,
    /**
     * Progress stopped before the gradient rule held: a mini-batch fit whose full-batch ‖∇J‖ did not decrease by
     * the fraction {@link FitOptions#noImprovementTolerance()} for {@link FitOptions#noImprovementEpochs()} epochs
     * (plain SGD at its noise floor; see {@link FitOptions.Builder#batchSize}), or the relative loss-change rule
     * (ftol) without the gradient rule.
     */
    STALLED,
    /**
     * The gradient rule held, but the conditioning makes it certify nothing: κ·max(tol, ε) ≥ 1, so the
     * coefficients may have no correct digit (collinear columns, badly scaled features without
     * standardization). See {@link FitResult#warning()}.
     */
    ILL_CONDITIONED
}
