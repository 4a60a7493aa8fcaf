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
 * are the two extension points.
 *
 * <p>The method is a {@link dev.vecgd.solver.Solver} ({@code FitOptions.builder().solver("cg")}):
 * {@code gd}, {@code momentum}, {@code nesterov} run the descent loop with an
 * {@link dev.vecgd.solver.Optimizer}; {@code cg} (CGLS, one read of X per iteration, XᵀX never formed) and
 * {@code normal} (one-pass Gram matrix of the standardized design + Cholesky + iterative refinement) run
 * their own loops with the same stopping rules, guard, history, listener and result. Diagnostics
 * (residual standard deviation, standard errors, κ estimate and conditioning warning) come from the Gram
 * matrix of the standardized problem, accumulated in one extra pass (or reused by {@code normal}).
 *
 * <p>{@link dev.vecgd.solver.LinearRegression#fit} takes a heap {@code Dataset} or an off-heap /
 * memory-mapped {@code SegmentDataset}; its full-batch gradient comes from a
 * {@link dev.vecgd.solver.ParallelGradientSource}: fixed row chunks on {@code FitOptions.threads()}
 * threads, reduced in chunk order by a fixed tree, so the fit is bit-identical for every thread count.
 *
 * <p>Data that is not in this JVM — partitions on a cluster, a database — is a
 * {@link dev.vecgd.solver.RowSource}: the solver sees it only through one-pass sums over all rows (column
 * moments, and the fused gradient with or without y), so {@code gd}, {@code momentum}, {@code nesterov} and
 * {@code cg} run on it unchanged ({@link dev.vecgd.solver.LinearRegression#fit(RowSource, FitOptions)}; the
 * optional module {@code vecgd-spark} provides the Spark one).
 */
package dev.vecgd.solver;
