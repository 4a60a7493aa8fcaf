package dev.vecgd.solver;

import dev.vecgd.data.DataChecks;
import dev.vecgd.data.Dataset;
import dev.vecgd.data.RegressionData;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Kernels;

import java.util.Objects;

/**
 * Linear least squares by gradient descent, the entry point of the solver:
 * <pre>
 *   h(θ, x_i) = θ₀ + Σ_j θ_j x_ij,   J(θ) = 1/(2m) Σ_i (h(θ, x_i) − y_i)²  (+ (λ/2)‖w‖² with L2)
 *   θ ← θ − α ∇J(θ),   ∇J(θ)_j = (1/m) Σ_i (h(θ, x_i) − y_i) x_ij,   every row in every step
 * </pre>
 * in standardized coordinates (see {@link Standardization}) with the stopping rules of
 * {@link StoppingRules} and the guard of {@link DivergenceGuard}.
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
            return fit(f, n, m, data, scaling, targets, options, warm, start);
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
     * {@link Dataset}). The data is not modified, and stays owned by the caller (not closed).
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
        try (ParallelGradientSource source = new ParallelGradientSource(data, options.chunkRows(), options.threads())) {
            LeastSquaresObjective f = new LeastSquaresObjective(n, m, source, scaling, options.intercept(), options.l2());
            return fit(f, n, m, null, scaling, targets, options, warm, start);
        }
    }

    /** The common part; {@code heap} is null for off-heap data (then full batch only). */
    private static FitResult fit(LeastSquaresObjective f, int n, int m, Dataset heap, Standardization scaling,
                                 TargetStats targets, FitOptions options, double[] warm, long start) {
        double[] w = new double[n + 1];
        if (warm != null) {
            double[] p = new double[n + 1];
            System.arraycopy(warm, 0, p, 0, n);
            p[n] = options.intercept() ? options.warmStartIntercept() : 0;
            scaling.fromOriginal(p, w);
        }
        int batch = options.batchSize() > 0 && options.batchSize() < m ? options.batchSize() : 0;
        double alpha;
        if (options.autoLearningRate()) {
            double l = LearningRates.largestEigenvalue(f);
            alpha = batch == 0 ? LearningRates.auto(l)
                    : LearningRates.autoMiniBatch(l, scaling.maxRowNormSquared(heap) + (options.intercept() ? 1 : 0)
                    + options.l2(), m, batch);
        } else {
            alpha = options.learningRate();
        }
        return new DescentLoop(f, targets, options, alpha, batch, start).run(w);
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
            int m = f.rows();
            double[] grad = new double[size];
            double[] best = w.clone();
            History history = new History(o.historyCapacity());
            Optimizer opt = o.newOptimizer();
            opt.reset();
            IterationListener listener = o.listener();
            int[] order = null;
            java.util.SplittableRandom rnd = null;
            if (batch > 0) {
                order = new int[m];
                for (int i = 0; i < m; i++) order[i] = i;
                rnd = new java.util.SplittableRandom(o.seed());
            }
            long epochs = 0;

            double loss = f.evaluate(w, grad);
            double ssr = f.lastSumSquares();
            StoppingRules rules = new StoppingRules(o.gradientTolerance(), o.lossChangeTolerance(), f.scaling().trace(),
                    Math.max(Math.sqrt(targets.sumSquares() / m), Math.sqrt(ssr / m)), f.scaling().centeringGain(),
                    o.maxIterations());
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
                    for (int a = 0; a < m; a += batch) {
                        f.evaluateRows(w, order, a, Math.min(a + batch, m), grad);
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
            double[] p = new double[size];
            f.scaling().toOriginal(finalW, p);
            double[] coefficients = java.util.Arrays.copyOf(p, size - 1);
            double sst = targets.totalSumSquares(f.intercept());
            double r2 = sst > 0 ? 1 - finalSsr / sst : Double.NaN;
            double rmse = Math.sqrt(finalSsr / m);
            long passes = f.passes() + epochs; // including the power iterations
            return new FitResult(coefficients, p[size - 1], k, reason == StopReason.CONVERGED, reason, message,
                    finalLoss, finalGrad, rules.relativeGradient(finalGrad, Math.sqrt(finalSsr / m)), alpha, passes,
                    history.iterations(), history.losses(), history.gradientNorms(),
                    System.nanoTime() - start, r2, rmse, Kernels.implementation(), opt.name());
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
