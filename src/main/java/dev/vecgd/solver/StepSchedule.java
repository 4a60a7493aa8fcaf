package dev.vecgd.solver;

import java.util.Locale;

/**
 * The step-size schedule of a mini-batch fit ({@link FitOptions.Builder#schedule}): the step at time t is
 * {@code α_t = α₀ · s(t)}, with α₀ the learning rate (automatic or fixed) and t the number of <b>epochs</b>
 * elapsed, counted fractionally (rows processed / m), so a schedule means the same for every batch size:
 * <pre>
 *   constant()               s(t) = 1
 *   inverseScaling(p)        s(t) = 1 / (1 + t)^p          (scikit-learn's "invscaling", t in epochs, 0 &lt; p ≤ 1)
 *   inverseTime(t₀)          s(t) = 1 / (1 + t/t₀)         (the 1/t decay of scikit-learn's "optimal", t₀ &gt; 0 epochs)
 * </pre>
 * Full-batch fits ignore it (their step is constant). Immutable.
 *
 * @param kind      which formula
 * @param parameter p for {@link Kind#INVERSE_SCALING}, t₀ for {@link Kind#INVERSE_TIME}, unused (0) for constant
 */
public record StepSchedule(Kind kind, double parameter) {

    /** The formulas. */
    public enum Kind { CONSTANT, INVERSE_SCALING, INVERSE_TIME }

    public StepSchedule {
        if (kind == null) throw new IllegalArgumentException("schedule kind is null");
        switch (kind) {
            case CONSTANT -> parameter = 0;
            case INVERSE_SCALING -> {
                if (!(parameter > 0 && parameter <= 1)) {
                    throw new IllegalArgumentException("inverse-scaling power must be in (0, 1], got " + parameter);
                }
            }
            case INVERSE_TIME -> {
                if (!(parameter > 0) || !Double.isFinite(parameter)) {
                    throw new IllegalArgumentException("inverse-time t0 must be finite and > 0 epochs, got " + parameter);
                }
            }
        }
    }

    /** s(t) = 1. */
    public static StepSchedule constant() {
        return new StepSchedule(Kind.CONSTANT, 0);
    }

    /** s(t) = 1/(1 + t)^power, t in epochs (scikit-learn's {@code invscaling} with {@code power_t}; 0 &lt; power ≤ 1). */
    public static StepSchedule inverseScaling(double power) {
        return new StepSchedule(Kind.INVERSE_SCALING, power);
    }

    /** s(t) = 1/(1 + t/t₀), t and t₀ in epochs (the 1/t decay of scikit-learn's {@code optimal}). */
    public static StepSchedule inverseTime(double t0Epochs) {
        return new StepSchedule(Kind.INVERSE_TIME, t0Epochs);
    }

    /** s(t) for t ≥ 0 epochs. */
    public double factor(double epochs) {
        return switch (kind) {
            case CONSTANT -> 1;
            case INVERSE_SCALING -> 1 / Math.pow(1 + epochs, parameter);
            case INVERSE_TIME -> 1 / (1 + epochs / parameter);
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CONSTANT -> "constant";
            case INVERSE_SCALING -> String.format(Locale.ROOT, "invscaling(power %.3g)", parameter);
            case INVERSE_TIME -> String.format(Locale.ROOT, "1/(1+t/t0)(t0 %.3g epochs)", parameter);
        };
    }
}
