package dev.vecgd.solver;

import dev.vecgd.model.FitDiagnostics;
import dev.vecgd.model.FitSettings;
import dev.vecgd.model.LinearModel;

import java.util.Arrays;

/**
 * The outcome of {@link LinearRegression#fit}. Coefficients are on the original scale of X.
 *
 * <p><b>Divergence is a status, not an exception</b>: a diverged fit returns a result with
 * {@link StopReason#DIVERGED}, {@code converged() == false}, a message naming α, and — never NaN —
 * the parameters of the lowest finite loss seen (at worst the starting point). Call
 * {@link #requireConverged()} to turn any non-converged result into an exception.
 *
 * @param coefficients       θ_1..θ_n on the original scale (a copy is returned by the accessor)
 * @param intercept          θ₀ (0 when the intercept is off)
 * @param iterations         steps taken (epochs in mini-batch mode)
 * @param converged          true iff {@code stopReason == CONVERGED}
 * @param stopReason         why the fit stopped
 * @param message            a human-readable account of the stop
 * @param loss               J at the returned parameters (including the L2 term, and the L1 term with
 *                           {@link FitOptions#l1()})
 * @param gradientNorm       ‖∇J‖ at the returned parameters (standardized coordinates); with L1 the norm of the
 *                           smallest subgradient of J + λ₁‖w‖₁ ({@link ProximalGradient})
 * @param relativeGradient   ‖∇J‖ / S, the quantity compared with the gradient tolerance
 * @param learningRate       α used
 * @param passes             every full read of X: the finiteness check and the column statistics (one pass with
 *                           {@code normal} on row-major standardized data, where it also makes the Gram matrix;
 *                           three elsewhere; two statistics passes for a {@link RowSource}), every gradient pass
 *                           (the power iterations of the automatic rate included), the Gram pass of
 *                           {@code normal} and of the diagnostics (standard errors, κ) when it is made
 * @param historyIterations  iterations of the recorded history entries
 * @param historyLoss        recorded losses
 * @param historyGradient    recorded gradient norms
 * @param wallTimeNanos      wall time of the whole fit (checks, statistics, rate, descent)
 * @param r2                 coefficient of determination on the training data (uncentered without intercept)
 * @param rmse               root mean squared residual on the training data, {@code √(Σr²/m)}
 * @param implementation     the kernels that read X ({@link GradientSource#implementation()}: {@link dev.vecgd.kernel.Kernels#implementation()} for float64 X)
 * @param optimizer          the solver's name ({@link Solver#id()}), or the custom optimizer's name for gd
 * @param residualStd        residual standard deviation σ̂ = √(Σr²/(m − p)), p = fitted parameters (NaN if
 *                           diagnostics are off or m ≤ p); see {@link Solver} and the package docs
 * @param standardErrors     standard errors of the coefficients, original scale (NaN if diagnostics are off)
 * @param interceptStandardError standard error of the intercept (0 without intercept)
 * @param conditionNumber    estimate κ ≈ ‖H‖₁‖H⁻¹‖₁ of the standardized Hessian H = ÃᵀÃ/m + λP (NaN if off)
 * @param warning            what the caller should know beyond the status, else the empty string: the
 *                           conditioning (when κ·ε exceeds the tolerance or fewer than 6 digits are certain: the
 *                           digits to expect, and whether κ is of the standardized matrix), the constant columns,
 *                           nearly constant columns
 * @param constantColumns    0-based indices of the constant columns (see {@link Standardization}): coefficient 0,
 *                           absorbed by the intercept (all-zero columns without an intercept); not counted in the
 *                           degrees of freedom (a copy is returned by the accessor)
 * @param settings           the options of the fit as a value ({@link FitOptions#settings()}); null when the result
 *                           was built by one of the older constructors
 * @param rows               training rows m (0 when unknown)
 */
public record FitResult(double[] coefficients, double intercept, int iterations, boolean converged,
                        StopReason stopReason, String message, double loss, double gradientNorm,
                        double relativeGradient, double learningRate, long passes,
                        int[] historyIterations, double[] historyLoss, double[] historyGradient,
                        long wallTimeNanos, double r2, double rmse, String implementation, String optimizer,
                        double residualStd, double[] standardErrors, double interceptStandardError,
                        double conditionNumber, String warning, int[] constantColumns, FitSettings settings,
                        long rows) {

    /** Without the options and the row count (the constructor before {@link #model()} existed). */
    public FitResult(double[] coefficients, double intercept, int iterations, boolean converged,
                     StopReason stopReason, String message, double loss, double gradientNorm,
                     double relativeGradient, double learningRate, long passes,
                     int[] historyIterations, double[] historyLoss, double[] historyGradient,
                     long wallTimeNanos, double r2, double rmse, String implementation, String optimizer,
                     double residualStd, double[] standardErrors, double interceptStandardError,
                     double conditionNumber, String warning, int[] constantColumns) {
        this(coefficients, intercept, iterations, converged, stopReason, message, loss, gradientNorm, relativeGradient,
                learningRate, passes, historyIterations, historyLoss, historyGradient, wallTimeNanos, r2, rmse,
                implementation, optimizer, residualStd, standardErrors, interceptStandardError, conditionNumber,
                warning, constantColumns, null, 0);
    }

    /** Without constant columns (the constructor before {@code constantColumns} existed). */
    public FitResult(double[] coefficients, double intercept, int iterations, boolean converged,
                     StopReason stopReason, String message, double loss, double gradientNorm,
                     double relativeGradient, double learningRate, long passes,
                     int[] historyIterations, double[] historyLoss, double[] historyGradient,
                     long wallTimeNanos, double r2, double rmse, String implementation, String optimizer,
                     double residualStd, double[] standardErrors, double interceptStandardError,
                     double conditionNumber, String warning) {
        this(coefficients, intercept, iterations, converged, stopReason, message, loss, gradientNorm, relativeGradient,
                learningRate, passes, historyIterations, historyLoss, historyGradient, wallTimeNanos, r2, rmse,
                implementation, optimizer, residualStd, standardErrors, interceptStandardError, conditionNumber,
                warning, new int[0]);
    }

    /**
     * The fitted model: coefficients, intercept, the options ({@link #settings()}), m and the diagnostics
     * (without wall time and history, so two identical fits give equal models). No feature names: add them
     * with {@link LinearModel#withFeatureNames}. A new, immutable object on every call.
     */
    public LinearModel model() {
        FitDiagnostics d = new FitDiagnostics(stopReason.name(), converged, message, iterations, passes, loss,
                gradientNorm, relativeGradient, learningRate, r2, rmse, residualStd, standardErrors,
                interceptStandardError, conditionNumber, warning, constantColumns, optimizer, implementation);
        return LinearModel.of(coefficients, intercept, null, settings, rows, d);
    }

    /** This result with another {@link #implementation()} string (e.g. the executors' kernels of a Spark fit). */
    public FitResult withImplementation(String implementation) {
        return new FitResult(coefficients, intercept, iterations, converged, stopReason, message, loss, gradientNorm,
                relativeGradient, learningRate, passes, historyIterations, historyLoss, historyGradient, wallTimeNanos,
                r2, rmse, implementation, optimizer, residualStd, standardErrors, interceptStandardError,
                conditionNumber, warning, constantColumns, settings, rows);
    }

    /** A copy of the recorded history's iteration numbers. */
    @Override
    public int[] historyIterations() {
        return historyIterations.clone();
    }

    /** A copy of the recorded losses. */
    @Override
    public double[] historyLoss() {
        return historyLoss.clone();
    }

    /** A copy of the recorded gradient norms. */
    @Override
    public double[] historyGradient() {
        return historyGradient.clone();
    }

    /** The solver's name; the same as {@link #optimizer()} (named after {@link FitOptions#solver()}). */
    public String solver() {
        return optimizer;
    }

    /** A copy of the constant columns' indices. */
    @Override
    public int[] constantColumns() {
        return constantColumns.clone();
    }

    /** A copy of the coefficients' standard errors. */
    @Override
    public double[] standardErrors() {
        return standardErrors.clone();
    }

    /** True when {@link #warning()} is not empty. */
    public boolean hasWarning() {
        return !warning.isEmpty();
    }

    @Override
    public double[] coefficients() {
        return coefficients.clone();
    }

    /** Coefficient j (0-based over the features). */
    public double coefficient(int j) {
        return coefficients[j];
    }

    /** Wall time in seconds. */
    public double wallTimeSeconds() {
        return wallTimeNanos / 1e9;
    }

    /** This result if it converged; otherwise throws {@link IllegalStateException} with the message. */
    public FitResult requireConverged() {
        if (!converged) throw new IllegalStateException(stopReason + ": " + message);
        return this;
    }

    @Override
    public String toString() {
        return "FitResult[" + stopReason + ", iterations=" + iterations + ", loss=" + loss + ", intercept=" + intercept
                + ", coefficients=" + Arrays.toString(coefficients) + ", α=" + learningRate + ", " + message + (warning.isEmpty() ? "" : "; " + warning) + "]";
    }
}
