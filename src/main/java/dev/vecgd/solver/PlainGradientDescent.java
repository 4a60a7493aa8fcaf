package dev.vecgd.solver;

/**
 * Plain (batch) gradient descent: {@code p_j ← p_j − α·g_j} for every parameter, where g is the
 * gradient of J over all the rows it was accumulated from. Stateless.
 */
public final class PlainGradientDescent implements Optimizer {

    /** A new optimizer; it keeps no state between steps. */
    public PlainGradientDescent() {
    }

    @Override
    public void step(double[] params, double[] gradient, double alpha) {
        if (params.length > gradient.length) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " values, params " + params.length);
        }
        for (int j = 0; j < params.length; j++) {
            params[j] -= alpha * gradient[j];
        }
    }

    @Override
    public String name() {
        return "gd";
    }
}
