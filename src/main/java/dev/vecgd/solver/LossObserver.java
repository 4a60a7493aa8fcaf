package dev.vecgd.solver;

/**
 * An {@link Optimizer} that also wants the full-batch loss J(w) at the point whose gradient it is about
 * to be given (for adaptive restart). {@link LinearRegression} calls {@link #observeLoss} right before
 * each full-batch {@link Optimizer#step}.
 */
interface LossObserver {

    /** J at the current parameters, before the step. */
    void observeLoss(double loss);
}
