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

    /** {@link #fit(Dataset, FitOptions)} with {@link FitOptions#defaults()}. */
    public static FitResult fit(Dataset data) {
        return fit(data, FitOptions.defaults());
    }

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
        long start = System.nanoTime();
        DataChecks.requireFinite(data);
        int n = data.cols();
        int m = data.rows();
        double[] warm = options.warmStartCoefficients();
        if (warm != null && warm.length != n) {
            throw new IllegalArgumentException("warm start has " + warm.length + " coefficients, the data has " + n + " columns");
        }
        Standardization scaling = Standardization.compute(data, options.standardize(), options.intercept());
        TargetStats targets = TargetStats.of(data);
        try (ParallelGradientSource source = new ParallelGradientSource(data, options.chunkRows(), options.threads())) {
            LeastSquaresObjective f = new LeastSquaresObjective(data, source, scaling, options.intercept(), options.l2());
            return fit(f, n, m, data, scaling, targets, options, warm, start, null);
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
     * cross-products pass over X. The data is not modified, and stays owned by the caller (not closed).
     *
     * @throws IllegalArgumentException on NaN/Inf in X or y, a warm start of the wrong length, more than
     *                                  2³¹ − 1 rows, or a mini-batch size below m
     */
    public static FitResult fit(SegmentDataset data, FitOptions options) {
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(options, "options is null");
        long start = System.nanoTime();
        if (data.rows() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the dataset has " + data.rows() + " rows; fits support at most "
                    + Integer.MAX_VALUE + " rows (any number of elements)");
        }
        if (options.batchSize() > 0 && options.batchSize() < data.rows()) {
            throw new IllegalArgumentException("mini-batches (batchSize = " + options.batchSize()
                    + ") need a heap Dataset; off-heap data is fitted full-batch (batchSize 0)");
        }
        DataChecks.requireFinite(data);
        int n = data.cols();
        int m = (int) data.rows();
        double[] warm = options.warmStartCoefficients();
        if (warm != null && warm.length != n) {
            throw new IllegalArgumentException("warm start has " + warm.length + " coefficients, the data has " + n + " columns");
        }
        Standardization scaling = Standardization.compute(data, options.standardize(), options.intercept());
        TargetStats targets = TargetStats.of(data);
        boolean intercept = options.intercept();
        LeastSquaresObjective.GramPass gram = yMean -> GramMatrix.accumulate(data, scaling, intercept, yMean);
        try (ParallelGradientSource source = new ParallelGradientSource(data, options.chunkRows(), options.threads());
             Arena zeros = options.solver() == Solver.CG ? Arena.ofShared() : null;
             ParallelGradientSource withoutTargets = zeros == null ? null : new ParallelGradientSource(
                     // cg's products Hd are gradients with y ≡ 0: the same X with a zeroed y (8·m bytes off-heap)
                     new SegmentDataset(data.x(), SegmentVector.of(zeros.allocate(8L * m, 64))),
                     options.chunkRows(), options.threads())) {
            LeastSquaresObjective f = new LeastSquaresObjective(n, m, source, scaling, intercept, options.l2(), gram);
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
     * counts the latter. Diagnostics: standard errors and κ from one cross-products pass when the source has
     * it (reused by {@code normal}), else the residual standard deviation only.
     *
     * @param data    the rows, not modified
     * @param options the options ({@link FitOptions#threads()} and {@link FitOptions#chunkRows()} are the
     *                source's business and ignored here)
     * @throws IllegalArgumentException for no rows, a mini-batch size below m, solver {@code normal} without
     *                                  cross products, a warm start of the wrong length, or non-finite column
     *                                  sums (naming the column)
     */
    public static FitResult fit(RowSource data, FitOptions options) {
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(options, "options is null");
        long start = System.nanoTime();
        int n = data.cols();
        long m = data.rows();
        if (n < 0) throw new IllegalArgumentException("the source reports " + n + " feature columns");
        if (m <= 0) throw new IllegalArgumentException("the data has no rows: nothing to fit");
        if (options.batchSize() > 0 && options.batchSize() < m) {
            throw new IllegalArgumentException("mini-batches (batchSize = " + options.batchSize()
                    + ") need a heap Dataset; a RowSource is fitted full-batch (batchSize 0)");
        }
        if (options.solver() == Solver.NORMAL && !data.hasCrossProducts()) {
            throw new IllegalArgumentException("solver normal needs the Gram pass, which this RowSource ("
                    + data.getClass().getSimpleName() + ") does not implement (hasCrossProducts() is false); use cg,"
                    + " which also ends in about n + 1 passes on a well-conditioned problem");
        }
        double[] warm = options.warmStartCoefficients();
        if (warm != null && warm.length != n) {
            throw new IllegalArgumentException("warm start has " + warm.length + " coefficients, the data has " + n + " columns");
        }
        RowSourceStats stats = RowSourceStats.of(data, options.standardize(), options.intercept());
        LeastSquaresObjective.GramPass gram = data.hasCrossProducts()
                ? yMean -> GramMatrix.accumulate(data, stats.scaling(), options.intercept(), yMean) : null;
        LeastSquaresObjective f = new LeastSquaresObjective(n, m, pass(data, m, true), stats.scaling(),
                options.intercept(), options.l2(), gram);
        return fit(f, n, m, null, stats.scaling(), stats.targets(), options, warm, start, pass(data, m, false));
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
        if (options.autoLearningRate()) {
            double l = LearningRates.largestEigenvalue(f);
            alpha = batch == 0 ? LearningRates.auto(l)
                    : LearningRates.autoMiniBatch(l, scaling.maxRowNormSquared(heap) + (options.intercept() ? 1 : 0)
                    + options.l2(), heap.rows(), batch);
        } else {
            alpha = options.learningRate();
        }
        return new DescentLoop(f, targets, options, alpha, batch, start).run(w);
    }

    /** The stopping rules of a fit, from the loss evaluation at the start (shared by every solver). */
    static StoppingRules rules(LeastSquaresObjective f, TargetStats targets, FitOptions o, double startSsr) {
        long m = f.rows();
        return new StoppingRules(o.gradientTolerance(), o.lossChangeTolerance(), f.scaling().trace(),
                Math.max(Math.sqrt(targets.sumSquares() / m), Math.sqrt(startSsr / m)), f.scaling().centeringGain(),
                o.maxIterations());
    }

    /**
     * The {@link FitResult} of any solver: parameters back to the original scale, R², RMSE and the
     * {@link Diagnostics} (from {@code gram} if the solver has it, else one more pass over X when
     * {@link FitOptions#diagnostics()} is on; that pass is not counted in {@code passes}).
     */
    static FitResult result(LeastSquaresObjective f, TargetStats targets, FitOptions o, StoppingRules rules,
                            double[] w, int k, StopReason reason, String message, double loss, double gnorm,
                            double ssr, double alpha, long passes, History history, long start, String name,
                            GramMatrix gram) {
        int size = f.size();
        long m = f.rows();
        if (reason == StopReason.DIVERGED && !Double.isFinite(loss)) {
            ssr = Double.NaN; // even the start overflowed: report the start, flagged by the status
        }
        double[] p = new double[size];
        f.scaling().toOriginal(w, p);
        double[] coefficients = java.util.Arrays.copyOf(p, size - 1);
        double sst = targets.totalSumSquares(f.intercept());
        double r2 = sst > 0 ? 1 - ssr / sst : Double.NaN;
        double rmse = Math.sqrt(ssr / m);
        Diagnostics diag;
        if (!o.diagnostics() || !Double.isFinite(ssr)) {
            diag = Diagnostics.none(size - 1);
        } else if (gram == null && !f.hasGram()) {
            // a RowSource without cross products: no Gram pass, so no standard errors and no κ; the
            // residual standard deviation needs only Σr²
            long dof = m - (size - 1) - (f.intercept() ? 1 : 0);
            Diagnostics none = Diagnostics.none(size - 1);
            diag = new Diagnostics(dof > 0 ? Math.sqrt(ssr / dof) : Double.NaN, none.standardErrors(),
                    none.interceptStandardError(), none.conditionNumber());
        } else {
            GramMatrix gm = gram != null ? gram : f.gram(targets.mean());
            diag = Diagnostics.compute(gm, f.l2(), ssr, m, f.scaling());
        }
        String warning = conditioningWarning(diag.conditionNumber(), o.gradientTolerance());
        return new FitResult(coefficients, p[size - 1], k, reason == StopReason.CONVERGED, reason, message,
                loss, gnorm, rules.relativeGradient(gnorm, rmse), alpha, passes,
                history.iterations(), history.losses(), history.gradientNorms(),
                System.nanoTime() - start, r2, rmse, Kernels.implementation(), name,
                diag.residualStd(), diag.standardErrors(), diag.interceptStandardError(), diag.conditionNumber(),
                warning);
    }

    /**
     * The conditioning warning: when κ·ε &gt; gtol the gradient tolerance asks for more precision than
     * the conditioning allows; the coefficients then have about −log10(κ·ε) correct digits at best.
     */
    static String conditioningWarning(double kappa, double gtol) {
        double eps = Math.ulp(1.0);
        if (Double.isNaN(kappa) || !(kappa * eps > gtol)) return "";
        if (Double.isInfinite(kappa)) {
            return "ill-conditioned: the standardized XᵀX is singular to working precision (κ ≈ ∞); the coefficients"
                    + " are not unique";
        }
        return String.format(java.util.Locale.ROOT, "ill-conditioned: κ ≈ %.3g (standardized XᵀX/m + λI); tolerance"
                + " %.3g asks for more than κ·ε = %.3g allows — expect about %.1f correct digits in the coefficients",
                kappa, gtol, kappa * eps, Math.max(0, -Math.log10(kappa * eps)));
    }

    /** The iteration itself; one instance per fit. */
    private static final class DescentLoop {
        private final LeastSquaresObjective f;
        private final TargetStats targets;
        private final FitOptions o;
        private final double alpha;
        private final int batch;
        private final long start;

        DescentLoop(LeastSquaresObjective f, TargetStats targets, FitOptions o, double alpha, int batch, long start) {
            this.f = f;
            this.targets = targets;
            this.o = o;
            this.alpha = alpha;
            this.batch = batch;
            this.start = start;
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
            if (batch > 0) {
                order = new int[(int) m]; // mini-batches only on a heap Dataset: m < 2^31
                for (int i = 0; i < order.length; i++) order[i] = i;
                rnd = new java.util.SplittableRandom(o.seed());
            }
            long epochs = 0;

            double loss = f.evaluate(w, grad);
            double ssr = f.lastSumSquares();
            StoppingRules rules = rules(f, targets, o, ssr);
            DivergenceGuard guard = new DivergenceGuard(loss, batch > 0 ? 1e-2 : 1e-9);
            double bestLoss = Double.POSITIVE_INFINITY;
            double bestGrad = Double.NaN;
            double bestSsr = Double.NaN;
            int bestK = 0;
            StopReason reason;
            String message;
            int k = 0;
            double gnorm;
            double rmsR;
            while (true) {
                gnorm = norm(grad);
                rmsR = Math.sqrt(f.lastSumSquares() / m);
                history.record(k, loss, gnorm);
                if (loss < bestLoss) {
                    System.arraycopy(w, 0, best, 0, size);
                    bestLoss = loss;
                    bestGrad = gnorm;
                    bestSsr = f.lastSumSquares();
                    bestK = k;
                }
                boolean keepGoing = listener == null || listener.onIteration(k, loss, gnorm);
                if (guard.diverged(k, loss)) {
                    reason = StopReason.DIVERGED;
                    message = "diverged: " + guard.reason() + " with "
                            + (o.autoLearningRate() ? "the automatic learning rate" : "learning rate")
                            + " α = " + StoppingRules.fmt(alpha) + "; "
                            + (o.autoLearningRate() ? "set a smaller fixed rate"
                            : "use a smaller rate or the automatic rate (FitOptions.builder().autoLearningRate(), the default)")
                            + ". Returned the parameters of the lowest loss seen (iteration " + bestK + ").";
                    break;
                }
                if (rules.converged(k, loss, gnorm, rmsR)) {
                    reason = StopReason.CONVERGED;
                    message = rules.convergedMessage(k, gnorm, rmsR);
                    break;
                }
                if (!keepGoing) {
                    reason = StopReason.STOPPED_BY_CALLBACK;
                    message = "stopped by the listener at iteration " + k;
                    break;
                }
                if (rules.outOfIterations(k)) {
                    reason = StopReason.MAX_ITERATIONS;
                    message = "not converged: reached maxIterations = " + o.maxIterations() + " with ‖∇J‖/S = "
                            + StoppingRules.fmt(rules.relativeGradient(gnorm, rmsR)) + " > tolerance "
                            + StoppingRules.fmt(o.gradientTolerance());
                    break;
                }
                if (batch == 0) {
                    opt.step(w, grad, alpha);
                } else {
                    shuffle(order, rnd);
                    for (int a = 0; a < order.length; a += batch) {
                        f.evaluateRows(w, order, a, Math.min(a + batch, order.length), grad);
                        opt.step(w, grad, alpha);
                    }
                    epochs++;
                }
                k++;
                loss = f.evaluate(w, grad);
            }
            double[] finalW = w;
            double finalLoss = loss;
            double finalGrad = gnorm;
            double finalSsr = f.lastSumSquares();
            if (reason == StopReason.DIVERGED) {
                finalW = best;
                finalLoss = bestLoss;
                finalGrad = bestGrad;
                finalSsr = bestSsr;
                if (!Double.isFinite(finalLoss)) { // even the start overflowed: report the start, flagged by the status
                    finalSsr = Double.NaN;
                }
            }
            long passes = f.passes() + epochs; // including the power iterations
            return result(f, targets, o, rules, finalW, k, reason, message, finalLoss, finalGrad, finalSsr, alpha, passes,
                    history, start, opt.name(), null);
        }

        private static double norm(double[] g) {
            double s = 0;
            for (double v : g) s += v * v;
            return Math.sqrt(s);
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
