package dev.vecgd.solver;

/**
 * One update rule of a first-order method: given the gradient at the current parameters, move them.
 * Implementations may keep state (e.g. a momentum vector) but must not allocate per step.
 *
 * <p>Parameters and gradient use the layout of {@link GradientBuffer}: n coefficients then the
 * intercept, n + 1 values.
 */
public interface Optimizer {

    /**
     * Updates {@code params} in place from {@code gradient}.
     *
     * @param params   the parameters, <b>modified</b>
     * @param gradient the gradient at {@code params}, not modified
     * @param alpha    the learning rate, {@code > 0}
     */
    void step(double[] params, double[] gradient, double alpha);

    /** {@link #step(double[], double[], double)} with the buffer's mean gradient {@code sum / rows}. */
    default void step(double[] params, GradientBuffer gradient, double alpha) {
        step(params, gradient.meanGradient(), alpha);
    }

    /** Clears any state kept between steps (called at the start of a fit). */
    default void reset() {
    }

    /** Short name for results and logs, e.g. {@code "gd"}. */
    String name();
}
