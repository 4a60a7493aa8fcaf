package dev.vecgd.model;

import java.util.Objects;

/**
 * The options a {@link LinearModel} was fitted with — the value part of {@code dev.vecgd.solver.FitOptions}
 * (everything that decides the model; not the listener, the optimizer factory, the warm start, threads or chunk
 * size, which never change the result's meaning). Immutable; saved with the model.
 *
 * @param solver              the solver's id: {@code gd}, {@code momentum}, {@code nesterov}, {@code cg} or {@code normal}
 * @param intercept           true when an intercept was fitted (else it is fixed at 0)
 * @param standardize         true when the solver worked on standardized features
 * @param l2                  the L2 penalty λ (see {@code FitOptions.Builder#l2})
 * @param l1                  the L1 penalty λ₁ (see {@code FitOptions.Builder#l1}; 0 = none)
 * @param learningRate        the requested fixed rate α, or NaN for the automatic rate (the rate used is in
 *                            {@link FitDiagnostics#learningRate()})
 * @param maxIterations       the iteration budget
 * @param gradientTolerance   the relative gradient tolerance
 * @param lossChangeTolerance the relative loss-change tolerance (0 = off)
 * @param batchSize           rows per mini-batch (0 = full batch)
 * @param seed                the mini-batch shuffling seed
 * @param diagnostics         true when standard errors and κ were computed
 */
public record FitSettings(String solver, boolean intercept, boolean standardize, double l2, double l1,
                          double learningRate, int maxIterations, double gradientTolerance, double lossChangeTolerance,
                          int batchSize, long seed, boolean diagnostics) {

    /** Without an L1 penalty (l1 = 0; the record before {@code l1} existed). */
    public FitSettings(String solver, boolean intercept, boolean standardize, double l2, double learningRate,
                       int maxIterations, double gradientTolerance, double lossChangeTolerance, int batchSize,
                       long seed, boolean diagnostics) {
        this(solver, intercept, standardize, l2, 0, learningRate, maxIterations, gradientTolerance,
                lossChangeTolerance, batchSize, seed, diagnostics);
    }

    /** Checks the values: a solver id, λ ≥ 0 finite, α NaN or &gt; 0 finite, non-negative budgets and tolerances. */
    public FitSettings {
        Objects.requireNonNull(solver, "solver is null");
        if (solver.isBlank()) throw new IllegalArgumentException("solver is empty");
        if (!(l2 >= 0) || !Double.isFinite(l2)) throw new IllegalArgumentException("l2 must be finite and >= 0, got " + l2);
        if (!(l1 >= 0) || !Double.isFinite(l1)) throw new IllegalArgumentException("l1 must be finite and >= 0, got " + l1);
        if (!Double.isNaN(learningRate) && (!(learningRate > 0) || !Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("learningRate must be NaN (automatic) or finite and > 0, got " + learningRate);
        }
        if (maxIterations < 0) throw new IllegalArgumentException("maxIterations must be >= 0, got " + maxIterations);
        if (!(gradientTolerance >= 0) || !Double.isFinite(gradientTolerance)) {
            throw new IllegalArgumentException("gradientTolerance must be finite and >= 0, got " + gradientTolerance);
        }
        if (!(lossChangeTolerance >= 0) || !Double.isFinite(lossChangeTolerance)) {
            throw new IllegalArgumentException("lossChangeTolerance must be finite and >= 0, got " + lossChangeTolerance);
        }
        if (batchSize < 0) throw new IllegalArgumentException("batchSize must be >= 0, got " + batchSize);
    }

    /** True when the learning rate was automatic. */
    public boolean autoLearningRate() {
        return Double.isNaN(learningRate);
    }
}
