package dev.vecgd.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the fit that produced a {@link LinearModel} reported about itself: the status, the work done and the
 * statistics on the training data. The parts of {@code dev.vecgd.solver.FitResult} that describe the model,
 * without the wall time and the loss history (which differ between two identical fits), so that two identical
 * fits give equal models. Immutable: the arrays are copied in and out; value-based {@code equals}.
 *
 * @param stopReason             the {@code StopReason} name, e.g. {@code "CONVERGED"}
 * @param converged              true iff the stop reason is CONVERGED
 * @param message                the human-readable account of the stop
 * @param iterations             steps taken (epochs in mini-batch mode)
 * @param passes                 full passes over X
 * @param loss                   J at the model (including the L2 term)
 * @param gradientNorm           ‖∇J‖ at the model (standardized coordinates)
 * @param relativeGradient       ‖∇J‖/S, compared with the tolerance
 * @param learningRate           α used (NaN for solvers without one)
 * @param r2                     R² on the training data (uncentered without an intercept)
 * @param rmse                   √(Σr²/m) on the training data
 * @param residualStd            σ̂ = √(Σr²/(m − p)), NaN when not computed
 * @param standardErrors         standard errors of the coefficients (NaN when not computed)
 * @param interceptStandardError standard error of the intercept (0 without intercept)
 * @param conditionNumber        κ estimate of the standardized Hessian (NaN when not computed)
 * @param warning                the fit's warning, or the empty string
 * @param constantColumns        0-based indices of the constant columns
 * @param optimizer              the solver's (or custom optimizer's) name
 * @param implementation         the kernels that ran
 */
public record FitDiagnostics(String stopReason, boolean converged, String message, int iterations, long passes,
                             double loss, double gradientNorm, double relativeGradient, double learningRate,
                             double r2, double rmse, double residualStd, double[] standardErrors,
                             double interceptStandardError, double conditionNumber, String warning,
                             int[] constantColumns, String optimizer, String implementation) {

    /** Copies the arrays; rejects null references. */
    public FitDiagnostics {
        Objects.requireNonNull(stopReason, "stopReason is null");
        Objects.requireNonNull(message, "message is null");
        Objects.requireNonNull(warning, "warning is null");
        Objects.requireNonNull(optimizer, "optimizer is null");
        Objects.requireNonNull(implementation, "implementation is null");
        standardErrors = Objects.requireNonNull(standardErrors, "standardErrors is null").clone();
        constantColumns = Objects.requireNonNull(constantColumns, "constantColumns is null").clone();
        if (iterations < 0) throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        if (passes < 0) throw new IllegalArgumentException("passes must be >= 0, got " + passes);
    }

    /** A copy of the standard errors. */
    @Override
    public double[] standardErrors() {
        return standardErrors.clone();
    }

    /** A copy of the constant columns' indices. */
    @Override
    public int[] constantColumns() {
        return constantColumns.clone();
    }

    /** Component-wise; doubles compared as by {@link Double#compare} (NaN equals NaN, −0.0 differs from 0.0). */
    @Override
    public boolean equals(Object o) {
        return o instanceof FitDiagnostics d
                && stopReason.equals(d.stopReason) && converged == d.converged && message.equals(d.message)
                && iterations == d.iterations && passes == d.passes && same(loss, d.loss)
                && same(gradientNorm, d.gradientNorm) && same(relativeGradient, d.relativeGradient)
                && same(learningRate, d.learningRate) && same(r2, d.r2) && same(rmse, d.rmse)
                && same(residualStd, d.residualStd) && Arrays.equals(standardErrors, d.standardErrors)
                && same(interceptStandardError, d.interceptStandardError) && same(conditionNumber, d.conditionNumber)
                && warning.equals(d.warning) && Arrays.equals(constantColumns, d.constantColumns)
                && optimizer.equals(d.optimizer) && implementation.equals(d.implementation);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(stopReason, converged, message, iterations, passes, loss, gradientNorm, relativeGradient,
                learningRate, r2, rmse, residualStd, interceptStandardError, conditionNumber, warning, optimizer,
                implementation);
        return 31 * (31 * h + Arrays.hashCode(standardErrors)) + Arrays.hashCode(constantColumns);
    }

    @Override
    public String toString() {
        return "FitDiagnostics[" + stopReason + ", iterations=" + iterations + ", passes=" + passes + ", loss=" + loss
                + ", r2=" + r2 + ", rmse=" + rmse + ", standardErrors=" + Arrays.toString(standardErrors)
                + (warning.isEmpty() ? "" : ", warning=" + warning) + "]";
    }

    private static boolean same(double a, double b) {
        return Double.compare(a, b) == 0;
    }
}
