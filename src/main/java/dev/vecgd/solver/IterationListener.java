package dev.vecgd.solver;

/**
 * Called once per iteration with the state at the current parameters (before the step that
 * iteration takes): for progress bars, logging, or an early stop by the caller.
 *
 * <p>Called on the fitting thread; it must be fast (it runs every iteration) and should not allocate
 * if the fit's zero-allocation property matters to the caller.
 */
@FunctionalInterface
public interface IterationListener {

    /**
     * @param iteration    number of steps taken so far (0 = the starting point)
     * @param loss         J at the current parameters (including the L2 term)
     * @param gradientNorm ‖∇J‖ (Euclidean, in the solver's standardized coordinates)
     * @return true to go on, false to stop the fit with {@link StopReason#STOPPED_BY_CALLBACK}
     */
    boolean onIteration(int iteration, double loss, double gradientNorm);
}
