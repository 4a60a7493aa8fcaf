package dev.vecgd.solver;

import dev.vecgd.data.DataChecks;
import dev.vecgd.data.Dataset;
import dev.vecgd.data.RegressionData;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.SegmentVector;

import java.lang.foreign.Arena;

import java.util.Objects;

/**
 * Linear least squares by gradient descent, the entry point of the solver:
 * <pre>
 *   h(θ, x_i) = θ₀ + Σ_j θ_j x_ij,   J(θ) = 1/(2m) Σ_i (h(θ, x_i) − y_i)²  (+ (λ/2)‖w‖² with L2)
 *   θ ← θ − α ∇J(θ),   ∇J(θ)_j = (1/m) Σ_i (h(θ, x_i) − y_i) x_ij,   every row in every step
 * </pre>
 * in standardized coordinates (see {@link Standardization}) with the stopping rules of
 * {@link StoppingRules} and the guard of {@link DivergenceGuard}. That is the default solver
 * {@link Solver#GD}; {@link FitOptions.Builder#solver} selects heavy-ball momentum, Nesterov, CGLS or
 * the normal equations instead — same problem, same rules, same {@link FitResult}.
 *
 * <p>{@code fit} checks its input (finite X and y, shapes, warm-start length) and throws
 * {@link IllegalArgumentException} naming the problem; optimization failures (divergence, budget) are
 * reported in the {@link FitResult}, not thrown. X and y are not modified.
 */
public final class LinearRegression {

    private LinearRegression() {
    }

    /**
     * Compiles the fitting code now, so the first real fit of a fresh JVM is not slow: small fits (4,096 rows,
     * 3/8/16 columns, both layouts, every solver, heap and off-heap; {@link FitWarmUp}) on private data. Cost:
     * about 2–6 s of one core in a fresh JVM on the development machine (2 shared cores); afterwards a first fit of
     * 20,000 × 8 took 0.01–0.4 s instead of 1.1–1.5 s. Call it at service start-up (e.g. on a background thread); idempotent,
     * thread-safe, and no later result depends on it.
     *
     * @return the time it took
     */
    public static java.time.Duration warmUp() {
        return FitWarmUp.run();
    }

    /** {@link #fit(Dataset, FitOptions)} with {@link FitOptions#defaults()}. */
    public static FitResult fit(Dataset data) {
        return fit(data, FitOptions.defaults());
    }

    /**
     * Whether the fit starts with {@link OnePassNormal}'s one read of X (checks, statistics and the Gram matrix):
     * {@code normal}, and {@code cg} when it will precondition with the Gram matrix (at most
     * {@link ConjugateGradient#PRECONDITION_MAX_COLUMNS} columns). The data decides the rest ({@code of} returns
     * null for column-major data, standardization off or data that needs the classic checks).
     */
    private static boolean onePass(FitOptions options, int n) {
        return options.solver() == Solver.NORMAL
                || (options.solver() == Solver.CG && n <= ConjugateGradient.PRECONDITION_MAX_COLUMNS)
                || n <= FIRST_ORDER_ONE_PASS_MAX_COLUMNS;
    }

    /**
     * Columns up to which gd, momentum and nesterov (full batch) also start with the one-pass preparation: its
     * Gram matrix (m·n²/2 multiply-adds, in the same read as the checks and statistics) replaces the two other
     * preparation reads and gives the automatic rate without a pass (the power iteration runs on the n × n
     * matrix instead of over X: up to {@value LearningRates#MAX_POWER_ITERATIONS} reads saved).
     */
    static final int FIRST_ORDER_ONE_PASS_MAX_COLUMNS = 64;

    /** Reads of X before a classic-path fit: the finiteness check and the two column-statistics passes. */
    static final int PREPARATION_READS = 3;

    /**
     * Fits θ₀ (if enabled) and θ to the dataset.
     *
     * @param data    the dataset, not modified
     * @param options the options
     * @return the fit; check {@link FitResult#converged()} or {@link FitResult#stopReason()}
     * @throws IllegalArgumentException on NaN/Inf in X or y (naming row and column) or a warm start of the wrong length
     */
    public static FitResult fit(Dataset data, FitOptions options) {
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(options, "options is null");
        if (options.precision() == Precision.EXTENDED) return ExtendedNormal.fit(data, options, System.nanoTime());
        return fitStandard(data, options);
    }

    /** {@link #fit(Dataset, FitOptions)} in standard precision, whatever {@link FitOptions#precision()} says. */
    static FitResult fitStandard(Dataset data, FitOptions options) {
        long start = System.nanoTime();
        int n = data.cols();
        int m = data.rows();
        double[] warm = options.warmStartCoefficients();
        if (warm != null && warm.length != n) {
            throw new IllegalArgumentException("warm start has " + warm.length + " coefficients, the data has " + n + " columns");
        }
        try (ParallelGradientSource source = new ParallelGradientSource(data, options.chunkRows(), options.threads())) {
            if (onePass(options, n) && (options.batchSize() <= 0 || options.batchSize() >= m)) {
                // one read of X for the checks, the statistics and the Gram matrix (null: the classic path below)
                OnePassNormal.Prepared one = OnePassNormal.of(data, options, source);
                if (one != null) {
                    checkRange(one.scaling(), one.targets(), m, options);
                    LeastSquaresObjective f = new LeastSquaresObjective(data, source, one.scaling(), options.intercept(),
                            options.l2(), yMean -> one.gram());
                    f.preparedGram(one.gram());
                    f.addPreparationPasses(1); // the one read of X that checked, measured and summed it
                    return fit(f, n, m, data, one.scaling(), one.targets(), options, warm, start, null);
                }
            }
            DataChecks.requireFinite(data);
            Standardization scaling = Standardization.compute(data, options.standardize(), options.intercept());
            TargetStats targets = TargetStats.of(data);
            checkRange(scaling, targets, m, options);
            LeastSquaresObjective f = new LeastSquaresObjective(data, source, scaling, options.intercept(), options.l2());
            f.addPreparationPasses(PREPARATION_READS);
            return fit(f, n, m, data, scaling, targets, options, warm, start, null);
        }
    }

    /**
     * Fits with <b>sample weights</b>: minimizes {@code J = 1/(2W) Σ_i w_i (x_i·β + b − y_i)²} (+ the options'
     * penalties), W = Σ w_i, with weighted standardization (weighted means and standard deviations) and weighted
     * R² ({@code 1 − Σ w r² / Σ w (y − ȳ_w)²}) and RMSE ({@code √(Σ w r²/W)}). A weight of 0 excludes its row (which
     * must still be finite); integer weights give the fit of the data with each row repeated w_i times. Every
     * gradient is one pass of the weighted fused kernel ({@link WeightedFit}). Every solver (normal and the
     * diagnostics from the weighted Gram matrix ÃᵀVÃ/m, one plain pass), full batch, and l1. Statistics in the
     * <b>frequency-weights</b> convention (rows counted w_i times): σ̂ = √(Σ w r²/(W − p)), Cov(β) = σ̂²(XᵀWX)⁻¹,
     * so integer weights give the residual std and standard errors of the repeated rows; κ of the weighted Hessian.
     * Equal weights fit the unweighted problem (the same statistics; the gradient sums are chunked differently, so
     * the coefficients agree to rounding, not bit for bit). <b>Mini-batches</b> ({@link FitOptions#batchSize()}; gd,
     * momentum and nesterov, variance-reduced or plain, as unweighted): each batch's gradient is
     * {@code (1/B) Σ_{i∈B} v_i r_i x̃_i}, an unbiased estimate of the full weighted gradient, and the automatic rate
     * uses the largest weighted row curvature {@code max_i v_i (‖x̃_i‖² + 1)}; every check (and the reported loss and
     * gradient) is on the full weighted batch, as for unweighted mini-batches. The weighted gradient runs on {@link FitOptions#threads()}
     * threads in fixed chunks of {@link FitOptions#chunkRows()} rows with a fixed reduction order, so every thread
     * count gives the same bits. Off-heap data: {@link #fit(SegmentDataset, double[], FitOptions)}; a
     * {@link RowSource} with weights ({@link RowSource#hasWeights()}) or Spark's {@code weightCol}:
     * {@link #fit(RowSource, FitOptions)}.
     *
     * @param data    the dataset, not modified
     * @param weights one weight per row, finite and ≥ 0, not all 0; not modified
     * @param options the options
     * @throws IllegalArgumentException for a negative or non-finite weight (naming its row), the wrong number of
     *                                  weights, all weights 0, and everything
     *                                  {@link #fit(Dataset, FitOptions)} rejects
     */
    public static FitResult fit(Dataset data, double[] weights, FitOptions options) {
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(weights, "weights are null");
        Objects.requireNonNull(options, "options is null");
        long start = System.nanoTime();
        int n = data.cols();
        int m = data.rows();
        boolean miniBatch = options.batchSize() > 0 && options.batchSize() < m;
        double[] warm = options.warmStartCoefficients();
        if (warm != null && warm.length != n) {
            throw new IllegalArgumentException("warm start has " + warm.length + " coefficients, the data has " + n + " columns");
        }
        DataChecks.requireFinite(data);
        WeightedFit wf = WeightedFit.of(data, weights, options.standardize(), options.intercept());
        checkRange(wf.scaling, wf.targets, m, options);
        try (WeightedGradientSource source = wf.source(data, true, options);
             WeightedGradientSource withoutTargets = wf.source(data, false, options)) {
            LeastSquaresObjective.GramPass gram = yMean -> wf.gram(data, options.intercept(), yMean);
            // mini-batches: the heap rows with their normalized weights (the full-batch checks still use the source)
            LeastSquaresObjective f = miniBatch
                    ? new LeastSquaresObjective(data, source, wf.scaling, options.intercept(), options.l2(), gram, wf.v)
                    : new LeastSquaresObjective(n, m, source, wf.scaling, options.intercept(), options.l2(), gram);
            f.addPreparationPasses(PREPARATION_READS); // the finiteness check and the two weighted statistics passes
            FitResult r = fit(f, n, m, miniBatch ? data : null, wf.scaling, wf.targets, options, warm, start,
                    withoutTargets);
            return wf.finish(r, wf.scaling.activeColumns() + (options.intercept() ? 1 : 0), m);
        }
    }

    /**
     * {@link #fit(Dataset, double[], FitOptions)} over off-heap or memory-mapped data, the weights one per row in a
     * heap array: the same weighted problem, statistics and conventions, the gradient from the weighted segment
     * kernel on {@link FitOptions#threads()} threads (the same bits for every thread count). The same code computes
     * the statistics as for a heap {@link Dataset}, and the heap and segment kernels agree bit for bit, so the fit
     * equals the weighted fit of a heap copy of the rows bit for bit (with the same options). Allocates 8·m bytes
     * off-heap for the normalized weights (and 8·m more for the y ≡ 0 products), freed at the end. At most 2³¹ − 1
     * rows; full batch.
     *
     * @throws IllegalArgumentException as {@link #fit(Dataset, double[], FitOptions)} (a bad weight names its row)
     */
    public static FitResult fit(SegmentDataset data, double[] weights, FitOptions options) {
        Objects.requireNonNull(weights, "weights are null");
        Objects.requireNonNull(data, "data is null");
        if (weights.length != data.rows()) {
            throw new IllegalArgumentException(weights.length + " sample weights for " + data.rows() + " rows");
        }
        return fitWeighted(data, i -> weights[i], options);
    }

    /**
     * {@link #fit(SegmentDataset, double[], FitOptions)} with the weights in a segment (e.g. a mapped {@code .npy}
     * column): weight i is {@code weights.get(i)}; not modified.
     *
     * @throws IllegalArgumentException as {@link #fit(Dataset, double[], FitOptions)}, and for fewer weights than rows
     */
    public static FitResult fit(SegmentDataset data, SegmentVector weights, FitOptions options) {
        Objects.requireNonNull(weights, "weights are null");
        Objects.requireNonNull(data, "data is null");
        if (data.rows() > 0 && weights.capacity() < data.rows()) {
            throw new IllegalArgumentException(weights.capacity() + " sample weights for " + data.rows() + " rows");
        }
        return fitWeighted(data, weights::get, options);
    }

    private static FitResult fitWeighted(SegmentDataset data, java.util.function.IntToDoubleFunction weights,
                                         FitOptions options) {
        Objects.requireNonNull(options, "options is null");
        long start = System.nanoTime();
        if (data.rows() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the dataset has " + data.rows() + " rows; fits support at most "
                    + Integer.MAX_VALUE + " rows (any number of elements)");
        }
        int n = data.cols();
        int m = (int) data.rows();
        if (options.batchSize() > 0 && options.batchSize() < m) {
            throw new IllegalArgumentException("sample weights are fitted full batch: batchSize must be 0 (got "
                    + options.batchSize() + ")");
        }
        double[] warm = options.warmStartCoefficients();
        if (warm != null && warm.length != n) {
            throw new IllegalArgumentException("warm start has " + warm.length + " coefficients, the data has " + n + " columns");
        }
        DataChecks.requireFinite(data);
        WeightedFit wf = WeightedFit.of(data, weights, options.standardize(), options.intercept());
        checkRange(wf.scaling, wf.targets, m, options);
        try (Arena arena = Arena.ofShared()) {
            SegmentVector v = wf.weightSegment(arena);
            try (WeightedGradientSource source = wf.source(data, true, options, arena, v);
                 WeightedGradientSource withoutTargets = wf.source(data, false, options, arena, v)) {
                LeastSquaresObjective f = new LeastSquaresObjective(n, m, source, wf.scaling, options.intercept(),
                        options.l2(), yMean -> wf.gram(data, options.intercept(), yMean));
                f.addPreparationPasses(PREPARATION_READS); // the finiteness check and the two weighted statistics passes
                FitResult r = fit(f, n, m, null, wf.scaling, wf.targets, options, warm, start, withoutTargets);
                return wf.finish(r, wf.scaling.activeColumns() + (options.intercept() ? 1 : 0), m);
            }
        }
    }

    /**
     * Fits heap or off-heap data: {@link #fit(Dataset, FitOptions)} or {@link #fit(SegmentDataset, FitOptions)}.
     */
    public static FitResult fit(RegressionData data, FitOptions options) {
        Objects.requireNonNull(data, "data is null");
        return switch (data) {
            case Dataset heap -> fit(heap, options);
            case SegmentDataset offHeap -> fit(offHeap, options);
        };
    }

    /** {@link #fit(SegmentDataset, FitOptions)} with {@link FitOptions#defaults()}. */
    public static FitResult fit(SegmentDataset data) {
        return fit(data, FitOptions.defaults());
    }

    /**
     * Fits θ₀ (if enabled) and θ to off-heap or memory-mapped data (e.g.
     * {@link SegmentDataset#mapNpy(java.nio.file.Path, int)}), like {@link #fit(Dataset, FitOptions)}:
     * the same solver, the same options, the gradient from the segment kernels on
     * {@link FitOptions#threads()} threads (bit-identical for every thread count). X may hold more than
     * 2³¹ elements; m must be at most 2³¹ − 1 rows. Full batch only (mini-batches need a heap
     * {@link Dataset}); every solver: {@code cg} allocates a zeroed y of 8·m bytes off-heap for its
     * Gram products (freed at the end), {@code normal} and the diagnostics (standard errors, κ) make one
     * cross-products pass over X. The data is not modified, and stays owned by the caller (not closed). Over
     * segments of a confined {@link Arena} ({@link SegmentDataset#isSharedAcrossThreads()} false) the fit runs on
     * the calling thread only, whatever {@link FitOptions#threads()} says (same bits as with threads).
     *
     * @throws IllegalArgumentException on NaN/Inf in X or y, a warm start of the wrong length, more than
     *                                  2³¹ − 1 rows, or a mini-batch size below m
     */
    public static FitResult fit(SegmentDataset data, FitOptions options) {
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(options, "options is null");
        if (data.rows() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the dataset has " + data.rows() + " rows; fits support at most "
                    + Integer.MAX_VALUE + " rows (any number of elements)");
        }
        if (options.precision() == Precision.EXTENDED) return ExtendedNormal.fit(data, options, System.nanoTime());
        return fitStandard(data, options);
    }

    /** {@link #fit(SegmentDataset, FitOptions)} in standard precision, whatever {@link FitOptions#precision()} says. */
    static FitResult fitStandard(SegmentDataset data, FitOptions options) {
        long start = System.nanoTime();
        if (options.batchSize() > 0 && options.batchSize() < data.rows()) {
            throw new IllegalArgumentException("mini-batches (batchSize = " + options.batchSize()
                    + ") need a heap Dataset; off-heap data is fitted full-batch (batchSize 0)");
        }
        int n = data.cols();
        int m = (int) data.rows();
        double[] warm = options.warmStartCoefficients();
        if (warm != null && warm.length != n) {
            throw new IllegalArgumentException("warm start has " + warm.length + " coefficients, the data has " + n + " columns");
        }
        boolean intercept = options.intercept();
        if (onePass(options, n)) {
            // one read of X for the checks, the statistics and the Gram matrix (null: the classic path below)
            try (ParallelGradientSource source = new ParallelGradientSource(data, options.chunkRows(), options.threads())) {
                OnePassNormal.Prepared one = OnePassNormal.of(data, options, source);
                if (one != null) {
                    checkRange(one.scaling(), one.targets(), m, options);
                    LeastSquaresObjective f = new LeastSquaresObjective(n, m, source, one.scaling(), intercept,
                            options.l2(), yMean -> one.gram());
                    f.preparedGram(one.gram());
                    f.addPreparationPasses(1); // the one read of X that checked, measured and summed it
                    if (options.solver() == Solver.NORMAL) {
                        return fit(f, n, m, null, one.scaling(), one.targets(), options, warm, start, null);
                    }
                    try (Arena zeros = Arena.ofShared();
                         ParallelGradientSource withoutTargets = new ParallelGradientSource(new SegmentDataset(data.x(),
                                 SegmentVector.of(zeros.allocate(8L * m, 64))), options.chunkRows(), options.threads())) {
                        return fit(f, n, m, null, one.scaling(), one.targets(), options, warm, start, withoutTargets);
                    }
                }
            }
        }
        DataChecks.requireFinite(data);
        Standardization scaling = Standardization.compute(data, options.standardize(), options.intercept());
        TargetStats targets = TargetStats.of(data);
        checkRange(scaling, targets, m, options);
        LeastSquaresObjective.GramPass gram = yMean -> GramMatrix.accumulate(data, scaling, intercept, yMean);
        boolean needsHessian = options.solver() == Solver.CG
                || (options.solver() != Solver.NORMAL && options.autoLearningRate());
        try (ParallelGradientSource source = new ParallelGradientSource(data, options.chunkRows(), options.threads());
             Arena zeros = needsHessian ? Arena.ofShared() : null;
             ParallelGradientSource withoutTargets = zeros == null ? null : new ParallelGradientSource(
                     // products Hd (cg, the power iteration of the automatic rate) are gradients with y ≡ 0:
                     // the same X with a zeroed y (8·m bytes off-heap)
                     new SegmentDataset(data.x(), SegmentVector.of(zeros.allocate(8L * m, 64))),
                     options.chunkRows(), options.threads())) {
            LeastSquaresObjective f = new LeastSquaresObjective(n, m, source, scaling, intercept, options.l2(), gram);
            f.addPreparationPasses(PREPARATION_READS);
            return fit(f, n, m, null, scaling, targets, options, warm, start, withoutTargets);
        }
    }

    /**
     * Fits θ₀ (if enabled) and θ to data seen only through sums over its rows (see {@link RowSource}; e.g.
     * a Spark DataFrame through {@code dev.vecgd.spark.SparkLinearRegression}): the same solver, options,
     * stopping rules and {@link FitResult} as {@link #fit(Dataset, FitOptions)}. Full batch; solvers
     * {@code gd}, {@code momentum}, {@code nesterov} and {@code cg}, and {@code normal} when the source has
     * the cross-products pass ({@link RowSource#hasCrossProducts()}). Two passes compute the column
     * statistics, then every gradient is one {@link RowSource#accumulate} pass; {@link FitResult#passes()}
     * counts them all (and the cross-products pass when there is one). Diagnostics: standard errors and κ from one cross-products pass when the source has
     * it (reused by {@code normal}), else the residual standard deviation only.
     *
     * <p>A source with <b>sample weights</b> ({@link RowSource#hasWeights()}) is fitted weighted, as
     * {@link #fit(Dataset, double[], FitOptions)}: the weighted statistics from {@link RowSource#weightedMoments}, every
     * gradient one {@link RowSource#weightedAccumulate} pass; solvers gd, momentum, nesterov and cg, and {@code normal}
     * with standard errors and κ when the source has the weighted cross-products pass
     * ({@link RowSource#hasWeightedCrossProducts()}: {@link ChunkedRowSource} and the Spark source do), else only the
     * frequency-weights residual standard deviation.
     *
     * @param data    the rows, not modified
     * @param options the options ({@link FitOptions#threads()} and {@link FitOptions#chunkRows()} are the
     *                source's business and ignored here)
     * @throws IllegalArgumentException for no rows, a mini-batch size below m, solver {@code normal} without
     *                                  (weighted) cross products, weights that are all 0, a warm start of
     *                                  the wrong length, or non-finite column sums (naming the column)
     */
    public static FitResult fit(RowSource data, FitOptions options) {
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(options, "options is null");
        long start = System.nanoTime();
        int n = data.cols();
        long m = data.rows();
        if (n < 0) throw new IllegalArgumentException("the source reports " + n + " feature columns");
        if (m <= 0) throw new IllegalArgumentException("the data has no rows: nothing to fit");
        requireStandard(options, "a RowSource");
        if (options.batchSize() > 0 && options.batchSize() < m) {
            throw new IllegalArgumentException("mini-batches (batchSize = " + options.batchSize()
                    + ") need a heap Dataset; a RowSource is fitted full-batch (batchSize 0)");
        }
        if (options.solver() == Solver.NORMAL && !data.hasWeights() && !data.hasCrossProducts()) {
            throw new IllegalArgumentException("solver normal needs the Gram pass, which this RowSource ("
                    + data.getClass().getSimpleName() + ") does not implement (hasCrossProducts() is false); use cg,"
                    + " which also ends in about n + 1 passes on a well-conditioned problem");
        }
        double[] warm = options.warmStartCoefficients();
        if (warm != null && warm.length != n) {
            throw new IllegalArgumentException("warm start has " + warm.length + " coefficients, the data has " + n + " columns");
        }
        if (data.hasWeights()) return fitWeighted(data, options, warm, start);
        RowSourceStats stats = RowSourceStats.of(data, options.standardize(), options.intercept());
        checkRange(stats.scaling(), stats.targets(), m, options);
        LeastSquaresObjective.GramPass gram = data.hasCrossProducts()
                ? yMean -> GramMatrix.accumulate(data, stats.scaling(), options.intercept(), yMean) : null;
        LeastSquaresObjective f = new LeastSquaresObjective(n, m, pass(data, m, true), stats.scaling(),
                options.intercept(), options.l2(), gram);
        f.addPreparationPasses(2); // the two column-statistics passes
        return fit(f, n, m, null, stats.scaling(), stats.targets(), options, warm, start, pass(data, m, false));
    }

    /**
     * A {@link RowSource} with sample weights ({@link RowSource#hasWeights()}): the weighted problem of
     * {@link #fit(Dataset, double[], FitOptions)} from the source's weighted passes: the weighted statistics from
     * {@link RowSource#weightedMoments} (W from the same pass), every gradient one {@link RowSource#weightedAccumulate}
     * pass scaled by m/W (so the solver sees the normalized weights v = w·m/W, as on the heap). With the weighted
     * cross-products pass ({@link RowSource#hasWeightedCrossProducts()}) solver {@code normal} runs and the diagnostics
     * are those of the heap weighted fit (standard errors, κ, frequency weights); without it {@code normal} is refused
     * and the diagnostics are the frequency-weights residual standard deviation only.
     */
    private static FitResult fitWeighted(RowSource data, FitOptions options, double[] warm, long start) {
        int n = data.cols();
        long m = data.rows();
        if (options.solver() == Solver.NORMAL && !data.hasWeightedCrossProducts()) {
            throw new IllegalArgumentException("solver normal needs a weighted Gram pass, which this RowSource ("
                    + data.getClass().getSimpleName() + ") does not implement (hasWeightedCrossProducts() is false);"
                    + " use cg, which also ends in about n + 1 passes on a well-conditioned problem");
        }
        RowSourceStats stats = RowSourceStats.of(data, options.standardize(), options.intercept(), true);
        checkRange(stats.scaling(), stats.targets(), m, options);
        double scale = m / stats.totalWeight();
        LeastSquaresObjective.GramPass gram = data.hasWeightedCrossProducts()
                ? yMean -> GramMatrix.accumulateWeighted(data, stats.scaling(), options.intercept(), yMean,
                stats.totalWeight()) : null;
        LeastSquaresObjective f = new LeastSquaresObjective(n, m, weightedPass(data, m, scale, true), stats.scaling(),
                options.intercept(), options.l2(), gram);
        f.addPreparationPasses(2); // the two weighted column-statistics passes
        FitResult r = fit(f, n, m, null, stats.scaling(), stats.targets(), options, warm, start,
                weightedPass(data, m, scale, false));
        return WeightedFit.finish(r, stats.scaling().activeColumns() + (options.intercept() ? 1 : 0), m,
                stats.totalWeight());
    }

    /** A {@link RowSource}'s weighted gradient pass scaled by m/W (the normalized weights), as a {@link GradientSource}. */
    private static GradientSource weightedPass(RowSource data, long m, double scale, boolean withTargets) {
        int n = data.cols();
        GradientBuffer raw = new GradientBuffer(n);
        double[] sums = new double[n + 1];
        return new GradientSource() {
            @Override
            public long rows() {
                return m;
            }

            @Override
            public void accumulate(double[] p, GradientBuffer into) {
                raw.zeroGrad();
                data.weightedAccumulate(p, withTargets, raw);
                for (int j = 0; j <= n; j++) sums[j] = raw.sum(j) * scale;
                into.add(sums, m, raw.sumSquares() * scale);
            }

            @Override
            public String implementation() {
                return data.implementation();
            }
        };
    }

    /**
     * The exact least-squares fit of every row added to the statistics so far (an incremental {@code normal} fit
     * over a stream: call {@link SufficientStatistics#add} per chunk, then this, as often as wanted). Solver
     * {@code normal} only (the other solvers need passes over the rows: use {@link ChunkedRowSource}); the same
     * standardization, L2, stopping rule (on the gradient computed from the statistics), diagnostics (standard
     * errors, κ) and {@link FitResult} as {@link #fit(Dataset, FitOptions)} with {@code normal}, and the same
     * coefficients up to rounding. {@link FitResult#passes()} counts evaluations from the statistics (no row is
     * read). R², RMSE and the residual statistics come from Σr² = a difference of centered sums, with a relative
     * error of about ε·Σ(y − ȳ)²/Σr².
     *
     * @throws IllegalArgumentException for no rows, or a solver other than {@code normal}
     */
    public static FitResult fit(SufficientStatistics stats, FitOptions options) {
        Objects.requireNonNull(stats, "stats is null");
        Objects.requireNonNull(options, "options is null");
        long start = System.nanoTime();
        if (stats.rows() <= 0) throw new IllegalArgumentException("the statistics hold no rows: nothing to fit");
        requireStandard(options, "SufficientStatistics");
        if (options.solver() != Solver.NORMAL) {
            throw new IllegalArgumentException("a fit from SufficientStatistics is exact and needs solver normal (got "
                    + options.solver().id() + "); the iterative solvers read the rows on every iteration: fit a"
                    + " ChunkedRowSource over the chunks instead");
        }
        int n = stats.cols();
        long m = stats.rows();
        double[] mean = stats.means();
        double[] sd = stats.standardDeviations();
        Standardization scaling = Standardization.fromStats(java.util.Arrays.copyOf(mean, n),
                java.util.Arrays.copyOf(sd, n), options.standardize(), options.intercept());
        TargetStats targets = TargetStats.of(m, mean[n], sd[n]);
        checkRange(scaling, targets, m, options);
        boolean intercept = options.intercept();
        LeastSquaresObjective f = new LeastSquaresObjective(n, m, stats.gradientSource(), scaling, intercept,
                options.l2(), yMean -> stats.gram(scaling, intercept, intercept ? yMean : 0));
        f.preparedGram(stats.gram(scaling, intercept, intercept ? targets.mean() : 0)); // from the sums: no row read
        return NormalEquations.run(f, targets, options, start);
    }

    /** Extended precision needs the rows themselves (its compensated passes): heap or off-heap datasets only. */
    private static void requireStandard(FitOptions o, String what) {
        if (o.precision() == Precision.EXTENDED) {
            throw new IllegalArgumentException("precision extended reads the rows with compensated kernels: it fits a"
                    + " Dataset or SegmentDataset, not " + what + " (use precision standard here)");
        }
    }

    /** {@link #path(Dataset, FitOptions, double[])} on the default grid: 100 values of λ₁ from λ_max down to 10⁻⁴·λ_max (m &gt; n) or 10⁻²·λ_max. */
    public static RegularizationPath path(Dataset data, FitOptions options) {
        return path(data, options, null);
    }

    /**
     * The regularization path of the lasso / elastic net: one fit per λ₁ in {@code lambdas}, in that order, each
     * warm-started from the previous solution (decreasing λ₁ is the fast order: glmnet's), with the options' λ₂,
     * standardization, intercept and tolerances (their {@code l1} is replaced by each λ₁). The set-up is shared:
     * λ_max from one gradient at w = 0 ({@link RegularizationPath#lambdaMax()}), the automatic step from one power
     * iteration (L does not depend on λ₁), and the Gram pass of the diagnostics (κ; when on) — so the passes of the
     * fits are FISTA iterations only. Each fit stops, and is reported, exactly like
     * {@link #fit(Dataset, FitOptions)} with {@code l1(λ₁)} ({@link ProximalGradient}).
     *
     * <p>Solver: {@code nesterov} (FISTA, the default here even without l1) or {@code gd} (proximal gradient). No
     * screening (strong rules): every iteration is one fused pass that produces all n gradient components from the
     * same read of X, so discarding columns would save arithmetic, not passes.
     *
     * @param data    the dataset, not modified
     * @param options the options (solver gd or nesterov, full batch)
     * @param lambdas λ₁ values, finite and ≥ 0, not modified; null for the default grid
     * @throws IllegalArgumentException for non-finite data (naming row and column), an empty or bad λ₁ (naming
     *                                  its index), another solver, mini-batches, or a warm start of the wrong length
     */
    public static RegularizationPath path(Dataset data, FitOptions options, double[] lambdas) {
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(options, "options is null");
        FitOptions o = pathOptions(options, data.cols(), lambdas);
        try (PathFitter p = PathFitter.of(data, o)) {
            return p.run(lambdas, data.rows() > data.cols());
        }
    }

    /**
     * {@link #path(Dataset, FitOptions, double[])} over a {@link RowSource} (e.g. the training folds of
     * {@link CrossValidation}, or a cluster): the same path, the statistics from the source's passes, κ only when the
     * source has the cross-products pass.
     *
     * @throws IllegalArgumentException as the heap version, and for a source without rows
     */
    public static RegularizationPath path(RowSource data, FitOptions options, double[] lambdas) {
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(options, "options is null");
        int n = data.cols();
        long m = data.rows();
        if (n < 0) throw new IllegalArgumentException("the source reports " + n + " feature columns");
        if (m <= 0) throw new IllegalArgumentException("the data has no rows: nothing to fit");
        if (data.hasWeights()) {
            throw new IllegalArgumentException("a regularization path over a RowSource with sample weights is not"
                    + " supported; fit each λ₁ with fit(RowSource, options.l1(λ₁)) instead");
        }
        FitOptions o = pathOptions(options, n, lambdas);
        RowSourceStats stats = RowSourceStats.of(data, o.standardize(), o.intercept());
        checkRange(stats.scaling(), stats.targets(), m, o);
        LeastSquaresObjective.GramPass gram = data.hasCrossProducts()
                ? yMean -> GramMatrix.accumulate(data, stats.scaling(), o.intercept(), yMean) : null;
        LeastSquaresObjective f = new LeastSquaresObjective(n, m, pass(data, m, true), stats.scaling(), o.intercept(),
                o.l2(), gram);
        LeastSquaresObjective h = o.autoLearningRate() ? new LeastSquaresObjective(n, m, pass(data, m, false),
                stats.scaling(), o.intercept(), o.l2(), null) : null;
        return PathFitter.of(f, h, stats.targets(), o).run(lambdas, m > n);
    }

    /** The options of a path: checked, with the solver nesterov unless gd was chosen. */
    static FitOptions pathOptions(FitOptions options, int n, double[] lambdas) {
        Solver s = options.solverChosen() ? options.solver() : Solver.NESTEROV;
        if (s != Solver.GD && s != Solver.NESTEROV) {
            throw new IllegalArgumentException("a regularization path is fitted by proximal steps: solver nesterov"
                    + " (FISTA, the default) or gd, not " + s.id());
        }
        if (options.batchSize() > 0) {
            throw new IllegalArgumentException("a regularization path is fitted full batch: batchSize must be 0 (got "
                    + options.batchSize() + ")");
        }
        double[] warm = options.warmStartCoefficients();
        if (warm != null && warm.length != n) {
            throw new IllegalArgumentException("warm start has " + warm.length + " coefficients, the data has " + n + " columns");
        }
        if (lambdas != null) {
            if (lambdas.length == 0) throw new IllegalArgumentException("no values of λ₁ given (null for the default grid)");
            for (int k = 0; k < lambdas.length; k++) {
                if (!(lambdas[k] >= 0) || !Double.isFinite(lambdas[k])) {
                    throw new IllegalArgumentException("λ₁ number " + k + " is " + lambdas[k] + ": must be finite and >= 0");
                }
            }
        }
        return options.toBuilder().solver(s).build();
    }

    /** A {@link RowSource}'s gradient pass, with or without y, as a {@link GradientSource}. */
    private static GradientSource pass(RowSource data, long m, boolean withTargets) {
        return new GradientSource() {
            @Override
            public long rows() {
                return m;
            }

            @Override
            public void accumulate(double[] p, GradientBuffer into) {
                data.accumulate(p, withTargets, into);
            }

            @Override
            public String implementation() {
                return data.implementation();
            }
        };
    }

    /**
     * The common part; {@code heap} is null for off-heap and RowSource data (then full batch only);
     * {@code withoutTargets} is the y ≡ 0 gradient {@code cg} needs where it is not built from {@code heap}.
     */
    private static FitResult fit(LeastSquaresObjective f, int n, long m, Dataset heap, Standardization scaling,
                                 TargetStats targets, FitOptions options, double[] warm, long start,
                                 GradientSource withoutTargets) {
        double[] w = new double[n + 1];
        if (warm != null) {
            double[] p = new double[n + 1];
            System.arraycopy(warm, 0, p, 0, n);
            p[n] = options.intercept() ? options.warmStartIntercept() : 0;
            scaling.fromOriginal(p, w);
        }
        int batch = options.batchSize() > 0 && options.batchSize() < m ? options.batchSize() : 0;
        Solver solver = options.solver();
        if (batch > 0 && (solver == Solver.CG || solver == Solver.NORMAL)) {
            throw new IllegalArgumentException("batchSize = " + options.batchSize() + " is for the gd, momentum and"
                    + " nesterov solvers; solver " + solver.id() + " is full batch (use batchSize 0)");
        }
        if ((solver == Solver.NORMAL && !f.hasGram()) || (solver == Solver.CG && heap == null && withoutTargets == null)) {
            throw new IllegalStateException("solver " + solver.id() + " has no " + (solver == Solver.NORMAL
                    ? "Gram pass" : "y ≡ 0 gradient") + " over this data"); // the public entry points check first
        }
        if (solver == Solver.NORMAL) {
            return NormalEquations.run(f, targets, options, start);
        }
        if (solver == Solver.CG && withoutTargets != null) {
            LeastSquaresObjective h = new LeastSquaresObjective(n, m, withoutTargets, scaling, options.intercept(),
                    options.l2(), null);
            return ConjugateGradient.run(f, h, targets, options, start, w);
        }
        if (solver == Solver.CG) {
            // Hd = Ãᵀ(Ãd)/m + λPd is the gradient of the same objective with y ≡ 0
            Dataset zeroY = Dataset.of(heap.x(), new double[heap.rows()]);
            try (ParallelGradientSource hs = new ParallelGradientSource(zeroY, options.chunkRows(), options.threads())) {
                LeastSquaresObjective h = new LeastSquaresObjective(zeroY, hs, scaling, options.intercept(), options.l2());
                return ConjugateGradient.run(f, h, targets, options, start, w);
            }
        }
        double alpha;
        long ratePasses = 0;
        if (options.autoLearningRate()) {
            // the power iteration on the y-free objective: its gradient at v is exactly Hv (no ∇J(0) to subtract,
            // which would cancel when |y| is large)
            double l = Double.NaN;
            if (options.standardize() && batch == 0 && (f.hasPreparedGram()
                    || (f.hasGram() && n <= FIRST_ORDER_ONE_PASS_MAX_COLUMNS))) {
                // the power iteration on the n × n Gram matrix: no pass over X when the preparing pass made it,
                // else one Gram pass (reused by the diagnostics) instead of up to 30 gradient passes
                l = LearningRates.largestEigenvalue(f.gram(targets.mean()), f.l2(), scaling.trace()); // in f.passes()
            }
            if (Double.isFinite(l) && l > 0) {
                // the rate came from the Gram matrix
            } else if (withoutTargets != null) {
                LeastSquaresObjective h = new LeastSquaresObjective(n, m, withoutTargets, scaling, options.intercept(),
                        options.l2(), null);
                l = LearningRates.largestEigenvalue(h);
                ratePasses = h.passes();
            } else {
                Dataset zeroY = Dataset.of(heap.x(), new double[heap.rows()]);
                try (ParallelGradientSource hs = new ParallelGradientSource(zeroY, options.chunkRows(), options.threads())) {
                    LeastSquaresObjective h = new LeastSquaresObjective(zeroY, hs, scaling, options.intercept(), options.l2());
                    l = LearningRates.largestEigenvalue(h);
                    ratePasses = h.passes();
                }
            }
            alpha = batch == 0 ? LearningRates.auto(l)
                    : LearningRates.autoMiniBatch(l, (f.rowWeights() == null
                    ? scaling.maxRowNormSquared(heap) + (options.intercept() ? 1 : 0)
                    : WeightedFit.maxRowCurvature(heap, scaling, f.rowWeights(), options.intercept())) + options.l2(),
                    heap.rows(), batch);
        } else {
            alpha = options.learningRate();
        }
        if (options.l1() > 0) { // lasso / elastic net: proximal steps (FitOptions allows only gd and nesterov, full batch)
            // the reads before the loop (preparation, Gram pass) count too: passes() is every read of X
            return ProximalGradient.run(f, targets, options, start, w, alpha, ratePasses + f.passes(), null);
        }
        LeastSquaresObjective yFree = null;
        if (batch > 0 && options.varianceReduction()) {
            // variance-reduced steps need B-row gradients of the y-free problem (g_B(w) − g_B(w̃) = H_B(w − w̃))
            Dataset zeroY = Dataset.of(heap.x(), new double[heap.rows()]);
            yFree = new LeastSquaresObjective(zeroY, new GradientSource() {
                @Override
                public long rows() {
                    return zeroY.rows();
                }

                @Override
                public void accumulate(double[] p, GradientBuffer into) {
                    throw new IllegalStateException("the y-free objective of a mini-batch fit has B-row passes only");
                }
            }, scaling, options.intercept(), options.l2(), null, f.rowWeights());
        }
        return new DescentLoop(f, targets, options, alpha, batch, start, ratePasses, yFree).run(w);
    }

    /** The stopping rules of a fit (shared by every solver). */
    static StoppingRules rules(LeastSquaresObjective f, TargetStats targets, FitOptions o) {
        return rules(f.scaling(), targets, o);
    }

    static StoppingRules rules(Standardization scaling, TargetStats targets, FitOptions o) {
        return new StoppingRules(o.gradientTolerance(), o.lossChangeTolerance(), scaling.trace(),
                targets.spread(o.intercept()), targets.rms(), scaling, o.maxIterations());
    }

    /** Data magnitudes within which the kernels' sums (Σr², Σ r·x) stay finite and normal. */
    static final double MAX_SQUARE_SUM = 1e306;
    static final double MIN_SPREAD = 1e-152;

    /**
     * Rejects data whose magnitude makes double arithmetic impossible, naming overflow or underflow: the
     * kernels form Σr² (starting at Σy²) and Σ r_i x_ij, and without standardization Σ x_ij²; these must stay
     * below {@value #MAX_SQUARE_SUM}, and a nonzero spread of y or of a feature must stay above
     * {@value #MIN_SPREAD} (its squares would underflow). The statistics themselves never overflow
     * ({@link Standardization}, {@link TargetStats}).
     */
    static void checkRange(Standardization s, TargetStats t, long m, FitOptions o) {
        double sqrtM = Math.sqrt((double) m);
        double yr = t.rms();
        if (yr * sqrtM > Math.sqrt(MAX_SQUARE_SUM)) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "overflow: the targets are too"
                    + " large for double arithmetic: rms(y) = %.3g over %d rows makes Σy² ≈ %.3g, beyond the double range"
                    + " (max %.3g); divide y by a power of ten (and multiply the fitted coefficients back)",
                    yr, m, yr * yr * m, Double.MAX_VALUE));
        }
        double spread = t.spread(o.intercept());
        if (spread > 0 && spread < MIN_SPREAD) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "underflow: the spread of the"
                    + " targets y is %.3g: its squares (%.3g) underflow double arithmetic (smallest normal %.3g);"
                    + " multiply y by a power of ten (and divide the fitted coefficients back)",
                    spread, spread * spread, Double.MIN_NORMAL));
        }
        for (int j = 0; j < s.features(); j++) {
            if (s.isConstant(j)) continue;
            double xr = s.columnRms(j);
            double sd = o.intercept() ? s.columnStd(j) : xr;
            boolean over = !o.standardize() ? xr * sqrtM > Math.sqrt(MAX_SQUARE_SUM) / Math.sqrt(s.features() + 1.0)
                    : xr * Math.max(yr, 1) * m > MAX_SQUARE_SUM;
            if (over) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "overflow: feature column %d is"
                        + " too large for double arithmetic (rms %.3g over %d rows, |y| rms %.3g): its sums of products"
                        + " overflow; divide the column by a power of ten%s", j, xr, m, yr,
                        o.standardize() ? "" : " or turn standardization on"));
            }
            if (sd < MIN_SPREAD || (spread > 0 && sd * spread < MIN_SPREAD * MIN_SPREAD)) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "underflow: feature column %d"
                        + " varies by only %.3g (|y| spread %.3g): its products underflow double arithmetic; multiply"
                        + " the column by a power of ten", j, sd, spread));
            }
        }
    }

    /**
     * The {@link FitResult} of any solver: parameters back to the original scale, R², RMSE and the
     * {@link Diagnostics} (from {@code gram} if the solver has it, else one more pass over X when
     * {@link FitOptions#diagnostics()} is on, added to {@code passes}). A CONVERGED fit whose
     * κ makes the tolerance certify nothing (κ·max(tol, ε) ≥ 1) is reported {@link StopReason#ILL_CONDITIONED}.
     */
    static FitResult result(LeastSquaresObjective f, TargetStats targets, FitOptions o, StoppingRules rules,
                            double[] w, int k, StopReason reason, String message, double loss, double gnorm,
                            double ssr, double alpha, long passes, History history, long start, String name,
                            GramMatrix gram) {
        int size = f.size();
        long m = f.rows();
        Standardization scaling = f.scaling();
        if (reason == StopReason.DIVERGED && !Double.isFinite(loss)) {
            ssr = Double.NaN; // even the start overflowed: report the start, flagged by the status
        }
        double[] p = new double[size];
        scaling.toOriginal(w, p);
        double[] coefficients = java.util.Arrays.copyOf(p, size - 1);
        double sst = targets.totalSumSquares(f.intercept());
        double r2 = sst > 0 ? 1 - ssr / sst : Double.NaN;
        double rmse = Math.sqrt(ssr / m);
        Diagnostics diag;
        if (!o.diagnostics() || !Double.isFinite(ssr)) {
            diag = Diagnostics.none(size - 1);
        } else if (gram == null && !f.hasGram()) {
            // a RowSource without cross products: no Gram pass, so no standard errors and no κ; the
            // residual standard deviation needs only Σr² (degrees of freedom as in Diagnostics: active columns)
            long dof = m - scaling.activeColumns() - (f.intercept() ? 1 : 0);
            Diagnostics none = Diagnostics.none(size - 1);
            diag = new Diagnostics(dof > 0 ? Math.sqrt(ssr / dof) : Double.NaN, none.standardErrors(),
                    none.interceptStandardError(), none.conditionNumber());
        } else {
            long before = f.passes();
            GramMatrix gm = gram != null ? gram : f.gram(targets.mean());
            passes += f.passes() - before; // the diagnostics' own Gram pass, when the solver had none to reuse
            diag = Diagnostics.compute(gm, f.l2(), ssr, m, scaling);
        }
        if (o.l1() > 0) { // no classical standard errors for the lasso: NaN, never the ridge formula's numbers
            Diagnostics none = Diagnostics.none(size - 1);
            diag = new Diagnostics(diag.residualStd(), none.standardErrors(), Double.NaN, diag.conditionNumber());
        }
        double kappa = diag.conditionNumber();
        double tol = o.gradientTolerance();
        if (reason == StopReason.CONVERGED && kappa * Math.max(tol, Math.ulp(1.0)) >= 1) {
            reason = StopReason.ILL_CONDITIONED;
            message = "not converged: ill-conditioned — the gradient rule held (" + message + "), but κ ≈ "
                    + StoppingRules.fmt(kappa) + " makes it certify no digit of the coefficients (κ·max(tol, ε) ≥ 1;"
                    + " the coefficients may be anywhere along the ill-determined directions)";
        }
        String warning = warning(kappa, tol, o.standardize(), scaling, o.intercept());
        String unused = o.unusedOptions();
        if (!unused.isEmpty()) warning = warning.isEmpty() ? unused : warning + "; " + unused;
        return new FitResult(coefficients, p[size - 1], k, reason == StopReason.CONVERGED, reason, message,
                loss, gnorm, rules.relativeGradient(gnorm, rmse), alpha, passes,
                history.iterations(), history.losses(), history.gradientNorms(),
                System.nanoTime() - start, r2, rmse, f.implementation(), name,
                diag.residualStd(), diag.standardErrors(), diag.interceptStandardError(), kappa,
                warning, scaling.constantColumns(), o.settings(), m);
    }

    /** The warning: conditioning, constant and nearly constant columns ("" when there is nothing to say). */
    static String warning(double kappa, double gtol, boolean standardized, Standardization s, boolean intercept) {
        StringBuilder b = new StringBuilder(conditioningWarning(kappa, gtol, standardized));
        int[] constant = s.constantColumns();
        if (constant.length > 0) {
            if (b.length() > 0) b.append("; ");
            b.append(constant.length == 1 ? "column " : "columns ");
            for (int i = 0; i < constant.length; i++) b.append(i == 0 ? "" : ", ").append(constant[i]);
            b.append(constant.length == 1 ? " is" : " are").append(intercept
                    ? " constant (coefficient 0, absorbed by the intercept)" : " all zero (coefficient 0)");
        }
        for (int j = 0; j < s.features(); j++) {
            double rel = s.columnStd(j) / Math.abs(s.columnMean(j));
            if (intercept && !s.isConstant(j) && rel < 1e-8) {
                if (b.length() > 0) b.append("; ");
                b.append(String.format(java.util.Locale.ROOT, "column %d is nearly constant (spread/|mean| = %.3g):"
                        + " its values hold only about %.1f significant digits of variation, and so does its"
                        + " coefficient", j, rel, Math.max(0, Math.log10(rel / Math.ulp(1.0)))));
            }
        }
        return b.toString();
    }

    /**
     * The conditioning warning: when κ·ε &gt; gtol the tolerance asks for more precision than the conditioning
     * allows, and when κ·max(gtol, ε) &gt; 10⁻⁶ fewer than 6 digits are certain; either way it predicts about
     * −log10(κ·max(gtol, ε)) correct digits (the bound of {@link StoppingRules}) and names the matrix measured.
     */
    static String conditioningWarning(double kappa, double gtol, boolean standardized) {
        double eps = Math.ulp(1.0);
        double err = kappa * Math.max(gtol, eps);
        if (Double.isNaN(kappa) || !(kappa * eps > gtol || err > 1e-6)) return "";
        String matrix = standardized ? "the standardized XᵀX/m + λI" : "XᵀX/m + λI (standardization off)";
        if (Double.isInfinite(kappa)) {
            return "ill-conditioned: " + matrix + " is singular to working precision (κ ≈ ∞); the coefficients"
                    + " are not unique in double precision (if the columns are not exactly dependent, " + EXTENDED_HINT + ")";
        }
        return String.format(java.util.Locale.ROOT, "ill-conditioned: κ ≈ %.3g (%s); with tolerance %.3g expect"
                + " about %.1f correct digits in the coefficients (−log10(κ·max(tol, ε)), relative to the whole vector"
                + " in standardized coordinates: a coefficient much smaller than the others may have fewer); for more, %s",
                kappa, matrix, gtol, Math.max(0, -Math.log10(err)), EXTENDED_HINT);
    }

    /** Where the conditioning warning points to. */
    static final String EXTENDED_HINT = "fit with precision extended (solver normal in double-double arithmetic:"
            + " FitOptions.builder().solver(\"normal\").precision(Precision.EXTENDED), CLI --solver normal --precision"
            + " extended)";

    /** The iteration itself; one instance per fit. */
    private static final class DescentLoop {
        /** How often an automatic mini-batch rate is halved before its fit may be reported DIVERGED. */
        static final int MAX_RATE_CUTS = 10;
        private final LeastSquaresObjective f;
        private final TargetStats targets;
        private final FitOptions o;
        private double alpha;          // the automatic mini-batch rate may be halved (see MAX_RATE_CUTS)
        private final int batch;
        private final long start;
        private final long ratePasses;
        /** The y-free objective for variance-reduced mini-batch steps, or null. */
        private final LeastSquaresObjective yFree;

        DescentLoop(LeastSquaresObjective f, TargetStats targets, FitOptions o, double alpha, int batch, long start,
                    long ratePasses, LeastSquaresObjective yFree) {
            this.f = f;
            this.targets = targets;
            this.o = o;
            this.alpha = alpha;
            this.batch = batch;
            this.start = start;
            this.ratePasses = ratePasses;
            this.yFree = yFree;
        }

        FitResult run(double[] w) {
            int size = f.size();
            long m = f.rows();
            double[] grad = new double[size];
            double[] best = w.clone();
            History history = new History(o.historyCapacity());
            Optimizer opt = o.newOptimizer();
            opt.reset();
            IterationListener listener = o.listener();
            int[] order = null;
            java.util.SplittableRandom rnd = null;
            boolean averaging = batch > 0 && o.averaging();
            boolean reduced = batch > 0 && yFree != null;
            double[] point = w;            // the point checked and returned: w, or the running average
            double[] avg = null;
            long averaged = 0;
            double[] anchor = null;        // variance reduction: w̃ and ∇J(w̃)
            double[] anchorGrad = null;
            double[] diff = null;
            double[] step = null;
            if (batch > 0) {
                order = new int[(int) m]; // mini-batches only on a heap Dataset: m < 2^31
                for (int i = 0; i < order.length; i++) order[i] = i;
                rnd = new java.util.SplittableRandom(o.seed());
                if (averaging) {
                    avg = w.clone();
                    point = avg;
                }
                if (reduced) {
                    anchor = new double[size];
                    anchorGrad = new double[size];
                    diff = new double[size];
                    step = new double[size];
                }
            }
            long epochs = 0;
            long rowsSeen = 0;
            StepSchedule schedule = o.schedule();

            double loss = f.evaluate(point, grad);
            StoppingRules rules = rules(f, targets, o);
            // mini-batch epoch losses fluctuate (the noise floor of a fixed rate; variance-reduced momentum far from
            // the optimum): only 50 % rises count, and only once the loss is back above where the fit started
            DivergenceGuard guard = new DivergenceGuard(loss, batch > 0 ? 0.5 : 1e-9, batch > 0);
            int rateCuts = 0;
            double bestLoss = Double.POSITIVE_INFINITY;
            double bestGrad = Double.NaN;
            double bestSsr = Double.NaN;
            int bestK = 0;
            double progressRef = Double.POSITIVE_INFINITY; // epoch rule: ‖∇J‖ at the last progress
            int progressK = 0;
            StopReason reason;
            String message;
            int k = 0;
            double gnorm;
            double rmsR;
            while (true) {
                // every check below is on the true full-batch gradient at the checked point (also after mini-batch epochs)
                gnorm = norm(grad);
                rmsR = Math.sqrt(f.lastSumSquares() / m);
                history.record(k, loss, gnorm);
                if (loss < bestLoss) {
                    System.arraycopy(point, 0, best, 0, size);
                    bestLoss = loss;
                    bestGrad = gnorm;
                    bestSsr = f.lastSumSquares();
                    bestK = k;
                }
                boolean keepGoing = listener == null || listener.onIteration(k, loss, gnorm);
                boolean diverged = guard.diverged(k, loss, rules.lossNoise(point, rmsR));
                if (diverged && batch > 0 && o.autoLearningRate() && rateCuts < MAX_RATE_CUTS && !(loss <= bestLoss)) {
                    // the automatic mini-batch rate rests on an expected smoothness, not a bound: momentum (and its
                    // variance-reduced steps) can still be unstable with it. The library's own rate never ends a
                    // fit as DIVERGED: back to the lowest-loss point, half the rate, momentum restarted.
                    rateCuts++;
                    alpha /= 2;
                    System.arraycopy(best, 0, point, 0, size);
                    if (averaging) {
                        System.arraycopy(best, 0, w, 0, size);
                        averaged = 0;
                    }
                    opt.reset();
                    guard = new DivergenceGuard(bestLoss, 0.5, true);
                    progressRef = Double.POSITIVE_INFINITY;
                    progressK = k;
                    loss = f.evaluate(point, grad);
                    continue;
                }
                if (diverged) {
                    reason = StopReason.DIVERGED;
                    message = "diverged: " + guard.reason() + " with "
                            + (o.autoLearningRate() ? "the automatic learning rate" : "learning rate")
                            + " α = " + StoppingRules.fmt(alpha) + "; "
                            + (o.autoLearningRate() ? "set a smaller fixed rate"
                            : "use a smaller rate or the automatic rate (FitOptions.builder().autoLearningRate(), the default)")
                            + ". Returned the parameters of the lowest loss seen (iteration " + bestK + ").";
                    break;
                }
                StoppingRules.Verdict v = rules.check(k, loss, gnorm, rmsR, point, true);
                if (v == StoppingRules.Verdict.CONVERGED) {
                    reason = StopReason.CONVERGED;
                    message = rules.message(v, k, gnorm, rmsR, point);
                    if (batch > 0) message += " (full-batch gradient after " + k + " epochs of " + miniBatch() + ")";
                    break;
                }
                if (v == StoppingRules.Verdict.PRECISION_LIMIT && (batch == 0 || reduced)) {
                    reason = StopReason.PRECISION_LIMIT;
                    message = rules.message(v, k, gnorm, rmsR, point);
                    break;
                }
                if (v == StoppingRules.Verdict.LOSS_CHANGE) {
                    reason = StopReason.STALLED;
                    message = rules.message(v, k, gnorm, rmsR, point);
                    break;
                }
                if (!keepGoing) {
                    reason = StopReason.STOPPED_BY_CALLBACK;
                    message = "stopped by the listener at iteration " + k;
                    break;
                }
                if (batch > 0) {
                    if (gnorm < (1 - o.noImprovementTolerance()) * progressRef) {
                        progressRef = gnorm;
                        progressK = k;
                    } else if (k - progressK >= o.noImprovementEpochs()) {
                        reason = StopReason.STALLED;
                        message = "not converged: stalled after " + k + " epochs of " + miniBatch()
                                + (reduced ? "" : " at the mini-batch noise floor") + ": the full-batch ‖∇J‖ did not fall"
                                + " below " + StoppingRules.fmt(1 - o.noImprovementTolerance()) + " × "
                                + StoppingRules.fmt(progressRef) + " (its value at epoch " + progressK + ") in "
                                + o.noImprovementEpochs() + " epochs; ‖∇J‖/S = "
                                + StoppingRules.fmt(rules.relativeGradient(gnorm, rmsR)) + " > tolerance "
                                + StoppingRules.fmt(o.gradientTolerance()) + (reduced ? "" : " (plain mini-batch SGD"
                                + " approaches the minimizer only as fast as its noise averages out; use the default"
                                + " variance-reduced steps, full batch or a larger batch for more accuracy)")
                                + ". Returned the parameters of the lowest full-batch loss seen (epoch " + bestK + ").";
                        break;
                    }
                }
                if (rules.outOfIterations(k)) {
                    if ((batch == 0 || reduced) && rules.belowFloor(gnorm, rmsR, point)) {
                        reason = StopReason.PRECISION_LIMIT;
                        message = rules.precisionMessage("reached maxIterations = " + o.maxIterations(), gnorm, rmsR, point);
                    } else {
                        reason = StopReason.MAX_ITERATIONS;
                        message = "not converged: reached maxIterations = " + o.maxIterations() + " with ‖∇J‖/S = "
                                + StoppingRules.fmt(rules.relativeGradient(gnorm, rmsR)) + " > tolerance "
                                + StoppingRules.fmt(o.gradientTolerance());
                    }
                    break;
                }
                if (batch == 0) {
                    opt.step(w, grad, alpha);
                } else {
                    if (reduced) {
                        System.arraycopy(w, 0, anchor, 0, size);   // point == w: grad is ∇J(w̃)
                        System.arraycopy(grad, 0, anchorGrad, 0, size);
                    }
                    shuffle(order, rnd);
                    for (int a = 0; a < order.length; a += batch) {
                        int to = Math.min(a + batch, order.length);
                        double rate = alpha * schedule.factor((double) rowsSeen / m);
                        if (reduced) {
                            for (int j = 0; j < size; j++) diff[j] = w[j] - anchor[j];
                            yFree.evaluateRows(diff, order, a, to, step);
                            for (int j = 0; j < size; j++) step[j] += anchorGrad[j];
                            opt.step(w, step, rate);
                        } else {
                            f.evaluateRows(w, order, a, to, grad);
                            opt.step(w, grad, rate);
                        }
                        rowsSeen += to - a;
                        if (averaging && epochs >= 1) {
                            averaged++;
                            for (int j = 0; j < size; j++) avg[j] += (w[j] - avg[j]) / averaged;
                        } else if (averaging) {
                            System.arraycopy(w, 0, avg, 0, size); // the first epoch: the average starts after it
                        }
                    }
                    epochs++;
                }
                k++;
                loss = f.evaluate(point, grad);
            }
            double[] finalW = point;
            double finalLoss = loss;
            double finalGrad = gnorm;
            double finalSsr = f.lastSumSquares();
            if (reason == StopReason.DIVERGED || (reason == StopReason.STALLED && batch > 0 && bestK != k)) {
                finalW = best;
                finalLoss = bestLoss;
                finalGrad = bestGrad;
                finalSsr = bestSsr;
                if (!Double.isFinite(finalLoss)) { // even the start overflowed: report the start, flagged by the status
                    finalSsr = Double.NaN;
                }
            }
            if (rateCuts > 0) {
                message += " (the automatic mini-batch rate was halved " + rateCuts + (rateCuts == 1 ? " time" : " times")
                        + " after the epoch loss rose: α = " + StoppingRules.fmt(alpha) + ")";
            }
            long passes = f.passes() + epochs + ratePasses; // including the power iterations
            return result(f, targets, o, rules, finalW, k, reason, message, finalLoss, finalGrad, finalSsr, alpha, passes,
                    history, start, opt.name(), null);
        }

        private String miniBatch() {
            return (yFree != null ? "variance-reduced" : "plain") + " mini-batches of " + batch + " rows ("
                    + o.schedule() + " step" + (o.averaging() ? ", averaged" : "") + ")";
        }

        private static double norm(double[] g) {
            double scale = 0;
            for (double v : g) scale = Math.max(scale, Math.abs(v));
            if (scale == 0 || !Double.isFinite(scale)) return scale;
            double s = 0;
            for (double v : g) {
                double u = v / scale;
                s += u * u;
            }
            return scale * Math.sqrt(s);
        }

        private static void shuffle(int[] a, java.util.SplittableRandom rnd) {
            for (int i = a.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = a[i];
                a[i] = a[j];
                a[j] = t;
            }
        }
    }
}
