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
 *
 * <p>{@link dev.vecgd.solver.LinearRegression#fit} takes a heap {@code Dataset} or an off-heap /
 * memory-mapped {@code SegmentDataset}; its full-batch gradient comes from a
 * {@link dev.vecgd.solver.ParallelGradientSource}: fixed row chunks on {@code FitOptions.threads()}
 * threads, reduced in chunk order by a fixed tree, so the fit is bit-identical for every thread count.
 */
package dev.vecgd.solver;
