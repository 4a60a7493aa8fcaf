/**
 * The gradient-descent solver: {@link dev.vecgd.solver.LinearRegression#fit} and its parts.
 *
 * <p>Layers, from the data up: a {@link dev.vecgd.solver.GradientSource} adds raw sums
 * ({@code Xᵀr}, {@code Σr}, {@code Σr²}) of all rows into a {@link dev.vecgd.solver.GradientBuffer}
 * (accumulate until {@code zeroGrad()}); the {@link dev.vecgd.solver.LeastSquaresObjective} turns
 * them into J and ∇J in standardized coordinates ({@link dev.vecgd.solver.Standardization}, L2);
 * an {@link dev.vecgd.solver.Optimizer} steps the parameters; {@link dev.vecgd.solver.StoppingRules}
 * and {@link dev.vecgd.solver.DivergenceGuard} decide when to stop; the
 * {@link dev.vecgd.solver.FitResult} reports it. Sources (chunked, threaded, off-heap) and optimizers
 * (momentum, Nesterov, CG) are the two extension points.
 */
package dev.vecgd.solver;
