package dev.vecgd.solver;

/** Why a fit stopped. */
public enum StopReason {
    /** A convergence rule held: the relative gradient norm or the relative loss change was small enough. */
    CONVERGED,
    /** The iteration budget ran out before any convergence rule held. */
    MAX_ITERATIONS,
    /** The loss rose 5 times in a row, became non-finite, or exceeded 10⁶·J(θ₀): the step is too large. */
    DIVERGED,
    /** The {@link IterationListener} asked to stop. */
    STOPPED_BY_CALLBACK
}
