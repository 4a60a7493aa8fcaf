package dev.vecgd.solver;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Options of {@link LinearRegression#fit}. Immutable; build with {@link #builder()}. Every setter
 * rejects a bad value at once with an {@link IllegalArgumentException} naming it.
 *
 * <p>Defaults: automatic learning rate, intercept on, standardize on, 10 000 iterations, gradient
 * tolerance 1e-10, loss-change tolerance 0 (off), no L2 and no L1 penalty, no warm start, full batch,
 * seed 42, history of 1 000 entries, chunks of 65 536 rows, solver gd (plain gradient descent), diagnostics on,
 * standard precision ({@link Precision}), no listener; for mini-batches (see {@link Builder#batchSize}): variance-reduced steps, constant schedule, no
 * averaging, STALLED after 20 epochs without a 10 % decrease of the full-batch ‖∇J‖.
 */
public final class FitOptions {

    /** Safety factor c of the automatic rate α = c/L (power iteration underestimates L). */
    public static final double AUTO_SAFETY = 0.9;

    private final double learningRate;
    private final boolean intercept;
    private final boolean standardize;
    private final int maxIterations;
    private final double gradientTolerance;
    private final double lossChangeTolerance;
    private final double l2;
    private final double l1;
    private final double[] warmCoefficients;
    private final double warmIntercept;
    private final int batchSize;
    private final long seed;
    private final int historyCapacity;
    private final int chunkRows;
    private final int threads;
    private final IterationListener listener;
    private final Supplier<? extends Optimizer> optimizer;
    private final Solver solver;
    /** False when the solver was left to the default (then a path or an L1 fit picks nesterov). */
    private final boolean solverChosen;
    private final boolean diagnostics;
    private final boolean varianceReduction;
    private final StepSchedule schedule;
    private final boolean averaging;
    private final int noImprovementEpochs;
    private final double noImprovementTolerance;
    private final Precision precision;

    private FitOptions(Builder b) {
        learningRate = b.learningRate;
        intercept = b.intercept;
        standardize = b.standardize;
        maxIterations = b.maxIterations;
        gradientTolerance = b.gradientTolerance;
        lossChangeTolerance = b.lossChangeTolerance;
        l2 = b.l2;
        l1 = b.l1;
        warmCoefficients = b.warmCoefficients == null ? null : b.warmCoefficients.clone();
        warmIntercept = b.warmIntercept;
        batchSize = b.batchSize;
        seed = b.seed;
        historyCapacity = b.historyCapacity;
        chunkRows = b.chunkRows;
        threads = b.threads;
        listener = b.listener;
        optimizer = b.optimizer;
        // unset: nesterov (FISTA) for an L1 penalty, else gd
        solver = b.solver != null ? b.solver : (b.l1 > 0 ? Solver.NESTEROV : Solver.GD);
        solverChosen = b.solver != null;
        diagnostics = b.diagnostics;
        varianceReduction = b.varianceReduction;
        schedule = b.schedule;
        averaging = b.averaging;
        noImprovementEpochs = b.noImprovementEpochs;
        noImprovementTolerance = b.noImprovementTolerance;
        precision = b.precision;
        if (precision == Precision.EXTENDED) {
            if (solver != Solver.NORMAL) {
                throw new IllegalArgumentException("precision extended runs the normal equations in double-double"
                        + " arithmetic: it needs solver normal (got " + solver.id() + "); set solver(\"normal\")");
            }
            if (l2 != 0) {
                throw new IllegalArgumentException("precision extended solves the unpenalized problem: it needs l2 = 0"
                        + " (got " + l2 + ")");
            }
            if (batchSize != 0) {
                throw new IllegalArgumentException("precision extended is full batch: it needs batchSize 0 (got "
                        + batchSize + ")");
            }
        }
        if (l1 > 0 && solver != Solver.GD && solver != Solver.NESTEROV) {
            throw new IllegalArgumentException("l1 = " + l1 + " needs a proximal solver: nesterov (FISTA, the default"
                    + " with l1) or gd (proximal gradient); solver " + solver.id() + " has no L1 step");
        }
        if (l1 > 0 && batchSize > 0) {
            throw new IllegalArgumentException("l1 = " + l1 + " is fitted full batch: batchSize must be 0 (got "
                    + batchSize + ")");
        }
        if (varianceReduction && averaging) {
            throw new IllegalArgumentException("averaging is for plain mini-batch SGD: turn varianceReduction off"
                    + " (variance-reduced steps converge to the exact minimizer without averaging)");
        }
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options (a solver left to the default stays so: chosen again by {@code build()}). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.learningRate = learningRate;
        b.intercept = intercept;
        b.standardize = standardize;
        b.maxIterations = maxIterations;
        b.gradientTolerance = gradientTolerance;
        b.lossChangeTolerance = lossChangeTolerance;
        b.l2 = l2;
        b.l1 = l1;
        b.warmCoefficients = warmCoefficients == null ? null : warmCoefficients.clone();
        b.warmIntercept = warmIntercept;
        b.batchSize = batchSize;
        b.seed = seed;
        b.historyCapacity = historyCapacity;
        b.chunkRows = chunkRows;
        b.threads = threads;
        b.listener = listener;
        b.optimizer = optimizer;
        b.solver = solverChosen ? solver : null;
        b.diagnostics = diagnostics;
        b.varianceReduction = varianceReduction;
        b.schedule = schedule;
        b.averaging = averaging;
        b.noImprovementEpochs = noImprovementEpochs;
        b.noImprovementTolerance = noImprovementTolerance;
        b.precision = precision;
        return b;
    }

    /** True when {@link Builder#solver} was called (false: the default was chosen by {@code build()}). */
    boolean solverChosen() {
        return solverChosen;
    }

    /** The defaults. */
    public static FitOptions defaults() {
        return builder().build();
    }

    /** True when the learning rate is chosen automatically (α = {@value #AUTO_SAFETY}/L). */
    public boolean autoLearningRate() {
        return Double.isNaN(learningRate);
    }

    /** The fixed learning rate α, or NaN for automatic. */
    public double learningRate() {
        return learningRate;
    }

    public boolean intercept() {
        return intercept;
    }

    public boolean standardize() {
        return standardize;
    }

    public int maxIterations() {
        return maxIterations;
    }

    public double gradientTolerance() {
        return gradientTolerance;
    }

    public double lossChangeTolerance() {
        return lossChangeTolerance;
    }

    public double l2() {
        return l2;
    }

    /** The L1 penalty λ₁ (0: none); see {@link Builder#l1}. */
    public double l1() {
        return l1;
    }

    /** A copy of the warm-start coefficients (original scale), or null. */
    public double[] warmStartCoefficients() {
        return warmCoefficients == null ? null : warmCoefficients.clone();
    }

    public double warmStartIntercept() {
        return warmIntercept;
    }

    /** Rows per mini-batch; 0 means full batch. */
    public int batchSize() {
        return batchSize;
    }

    public long seed() {
        return seed;
    }

    public int historyCapacity() {
        return historyCapacity;
    }

    /**
     * Rows per chunk of the full-batch gradient; 0 (the default) means automatic:
     * {@link dev.vecgd.kernel.ParallelKernels#defaultChunkRows(int)} (about 2 MiB of X per chunk).
     */
    public int chunkRows() {
        return chunkRows;
    }

    /**
     * Threads for the full-batch gradient; 0 (the default) means automatic: 1 below
     * {@link dev.vecgd.kernel.ParallelKernels#SINGLE_THREAD_BYTES} of X, else all processors. The
     * result does not depend on it (fixed chunks, fixed reduction tree).
     */
    public int threads() {
        return threads;
    }

    /** The listener, or null. */
    public IterationListener listener() {
        return listener;
    }

    /** The solver (default {@link Solver#GD}, or {@link Solver#NESTEROV} when {@link #l1()} &gt; 0). */
    public Solver solver() {
        return solver;
    }

    /** True (default) to compute standard errors, residual std and κ (one extra pass over X after the solve). */
    public boolean diagnostics() {
        return diagnostics;
    }

    /** Mini-batch: variance-reduced steps (default true); see {@link Builder#varianceReduction}. */
    public boolean varianceReduction() {
        return varianceReduction;
    }

    /** Mini-batch: the step-size schedule (default constant); see {@link StepSchedule}. */
    public StepSchedule schedule() {
        return schedule;
    }

    /** Mini-batch: Polyak–Ruppert averaging of the iterates (default false); see {@link Builder#averaging}. */
    public boolean averaging() {
        return averaging;
    }

    /** Mini-batch: epochs without progress before {@link StopReason#STALLED} (default 20). */
    public int noImprovementEpochs() {
        return noImprovementEpochs;
    }

    /** The arithmetic (default {@link Precision#STANDARD}); see {@link Precision}. */
    public Precision precision() {
        return precision;
    }

    /** Mini-batch: the relative decrease of the full-batch ‖∇J‖ that counts as progress (default 0.1). */
    public double noImprovementTolerance() {
        return noImprovementTolerance;
    }

    /** The optimizer factory of gd when none is set (identity tells a custom one apart). */
    private static final Supplier<? extends Optimizer> DEFAULT_OPTIMIZER = PlainGradientDescent::new;

    /**
     * The options set here that the solver does not use, as a sentence for {@link FitResult#warning()} ("" when
     * every option set applies): a learning rate with {@code cg} or {@code normal} (which choose their own
     * steps or solve directly), a step schedule or averaging without mini-batches ({@code batchSize} 0), a
     * warm start with {@code normal}, a custom {@link Builder#optimizer} with any solver but plain {@code gd}
     * (momentum and nesterov have their own steps; with l1 every solver takes proximal steps). Nothing is silently
     * ignored.
     */
    public String unusedOptions() {
        java.util.List<String> unused = new java.util.ArrayList<>();
        boolean direct = solver == Solver.NORMAL;
        if (!Double.isNaN(learningRate) && (direct || solver == Solver.CG)) {
            unused.add("learningRate " + learningRate + " (solver " + solver.id() + " "
                    + (direct ? "solves directly" : "chooses its own steps") + ")");
        }
        if (batchSize == 0 && schedule.kind() != StepSchedule.Kind.CONSTANT) {
            unused.add("schedule " + schedule + " (full batch: batchSize 0)");
        }
        if (batchSize == 0 && averaging) unused.add("averaging (full batch: batchSize 0)");
        if (direct && warmCoefficients != null) unused.add("warmStart (solver normal solves directly)");
        if (l1 > 0 && optimizer != DEFAULT_OPTIMIZER) {
            unused.add("optimizer (l1 > 0: " + solver.id() + " takes proximal steps, " + (solver == Solver.GD
                    ? "plain proximal gradient" : "FISTA") + ")");
        }
        if (solver != Solver.GD && optimizer != DEFAULT_OPTIMIZER && l1 == 0) {
            unused.add("optimizer (only solver gd uses a custom optimizer; " + solver.id() + " has its own steps)");
        }
        return unused.isEmpty() ? "" : "options not used by this fit, ignored: " + String.join("; ", unused);
    }

    /**
     * The value part of these options, saved with a model ({@link dev.vecgd.model.FitSettings}): solver,
     * intercept, standardize, l2, l1, learning rate (NaN = automatic), budgets, tolerances, batch size, seed,
     * diagnostics — not the listener, optimizer factory, warm start, threads or chunk size, nor (model format 1) the
     * mini-batch method: variance reduction, schedule, averaging and epoch rule.
     */
    public dev.vecgd.model.FitSettings settings() {
        return new dev.vecgd.model.FitSettings(solver.id(), intercept, standardize, l2, l1, learningRate, maxIterations,
                gradientTolerance, lossChangeTolerance, batchSize, seed, diagnostics);
    }

    /**
     * A fresh optimizer for one fit: the configured {@link Builder#optimizer} for {@link Solver#GD},
     * {@link HeavyBallMomentum} for momentum, {@link NesterovMomentum} for nesterov (cg and normal use none).
     */
    public Optimizer newOptimizer() {
        return switch (solver) {
            case MOMENTUM -> new HeavyBallMomentum();
            case NESTEROV -> new NesterovMomentum();
            default -> Objects.requireNonNull(optimizer.get(), "the optimizer supplier returned null");
        };
    }

    /** Builder of {@link FitOptions}. */
    public static final class Builder {
        private double learningRate = Double.NaN;
        private boolean intercept = true;
        private boolean standardize = true;
        private int maxIterations = 10_000;
        private double gradientTolerance = 1e-10;
        private double lossChangeTolerance = 0;
        private double l2 = 0;
        private double l1 = 0;
        private double[] warmCoefficients;
        private double warmIntercept;
        private int batchSize = 0;
        private long seed = 42;
        private int historyCapacity = 1000;
        private int chunkRows = 0;
        private int threads = 0;
        private IterationListener listener;
        private Supplier<? extends Optimizer> optimizer = DEFAULT_OPTIMIZER;
        private Solver solver; // null: chosen by build() (nesterov with l1, else gd)
        private boolean diagnostics = true;
        private boolean varianceReduction = true;
        private StepSchedule schedule = StepSchedule.constant();
        private boolean averaging = false;
        private int noImprovementEpochs = 20;
        private double noImprovementTolerance = 0.1;
        private Precision precision = Precision.STANDARD;

        private Builder() {
        }

        /** A fixed learning rate α: finite and {@code > 0}. */
        public Builder learningRate(double alpha) {
            if (!(alpha > 0) || !Double.isFinite(alpha)) {
                throw new IllegalArgumentException("learning rate must be finite and > 0, got " + alpha
                        + " (or use autoLearningRate())");
            }
            learningRate = alpha;
            return this;
        }

        /**
         * The default: α = c/L with c = {@value FitOptions#AUTO_SAFETY} and L the largest eigenvalue of
         * the (standardized) {@code ÃᵀÃ/m + λI} estimated by power iteration through the kernels.
         */
        public Builder autoLearningRate() {
            learningRate = Double.NaN;
            return this;
        }

        /** Fit an intercept θ₀ (default true); never penalized by L2. */
        public Builder intercept(boolean on) {
            intercept = on;
            return this;
        }

        /** Work on standardized features (default true); coefficients are reported on the original scale. */
        public Builder standardize(boolean on) {
            standardize = on;
            return this;
        }

        /** Maximum number of steps (≥ 0; 0 evaluates the starting point only). */
        public Builder maxIterations(int n) {
            if (n < 0) throw new IllegalArgumentException("maxIterations must be >= 0, got " + n);
            maxIterations = n;
            return this;
        }

        /** Relative gradient-norm tolerance (≥ 0); see {@link StoppingRules}. */
        public Builder gradientTolerance(double tol) {
            gradientTolerance = requireTolerance("gradientTolerance", tol);
            return this;
        }

        /**
         * Relative loss-change tolerance (≥ 0; 0 disables the rule); see {@link StoppingRules}. A stop on this rule
         * alone is {@link StopReason#STALLED}, never CONVERGED (a small loss change does not bound the coefficients).
         */
        public Builder lossChangeTolerance(double tol) {
            lossChangeTolerance = requireTolerance("lossChangeTolerance", tol);
            return this;
        }

        /**
         * L2 penalty λ ≥ 0: J + (λ/2)·Σ_j w_j² over the coefficients (not the intercept), in solver coordinates
         * (w_j = σ_j·β_j with standardization). scikit-learn's {@code Ridge(alpha)} on raw X is
         * {@code standardize(false).l2(alpha / m)}; see {@link Solver} for glmnet's λ.
         */
        public Builder l2(double lambda) {
            if (!(lambda >= 0) || !Double.isFinite(lambda)) {
                throw new IllegalArgumentException("l2 must be finite and >= 0, got " + lambda);
            }
            l2 = lambda;
            return this;
        }

        /**
         * L1 penalty λ₁ ≥ 0 (lasso; with {@link #l2} the elastic net): J + λ₁·Σ_j |w_j| + (λ₂/2)·Σ_j w_j² over the
         * coefficients (never the intercept), in solver coordinates (w_j = σ_j·β_j with standardization, σ_j the
         * population standard deviation; w = β without). The objective is not differentiable, so it is fitted by
         * proximal gradient steps (soft-thresholding, {@link ProximalGradient}): solver {@code nesterov} (FISTA with
         * adaptive restart; the default when l1 &gt; 0 and no solver is set) or {@code gd} (plain proximal gradient).
         * Other solvers and mini-batches are rejected by {@link #build()}. Standard errors are not reported (NaN): the
         * lasso has no such classical standard errors.
         *
         * <p>scikit-learn's {@code ElasticNet(alpha, l1_ratio)}, which minimizes
         * {@code 1/(2m)‖y − Xβ − b‖² + alpha·l1_ratio·‖β‖₁ + alpha·(1 − l1_ratio)/2·‖β‖²}, is
         * {@code l1(alpha·l1_ratio).l2(alpha·(1 − l1_ratio))} with {@code standardize(false)} on the same X, or with
         * {@code standardize(true)} on {@code StandardScaler}-transformed X (our β = its coefficients / σ_j);
         * {@code Lasso(alpha)} is {@code l1(alpha)}. glmnet's lasso ({@code alpha = 1}, gaussian,
         * {@code standardize = TRUE}) uses the same objective on population-standardized X, so its λ is our λ₁ with
         * {@code standardize(true)} (from glmnet's documentation, not tested here).
         */
        public Builder l1(double lambda) {
            if (!(lambda >= 0) || !Double.isFinite(lambda)) {
                throw new IllegalArgumentException("l1 must be finite and >= 0, got " + lambda);
            }
            l1 = lambda;
            return this;
        }

        /** Start from these coefficients (original scale, copied) and intercept instead of zeros. */
        public Builder warmStart(double[] coefficients, double intercept) {
            Objects.requireNonNull(coefficients, "warm-start coefficients are null");
            for (int j = 0; j < coefficients.length; j++) {
                if (!Double.isFinite(coefficients[j])) {
                    throw new IllegalArgumentException("warm-start coefficient " + j + " is " + coefficients[j]);
                }
            }
            if (!Double.isFinite(intercept)) throw new IllegalArgumentException("warm-start intercept is " + intercept);
            warmCoefficients = Arrays.copyOf(coefficients, coefficients.length);
            warmIntercept = intercept;
            return this;
        }

        /**
         * Mini-batch size: 0 (default) = full batch; 1 = stochastic; an iteration is then one epoch (solvers gd,
         * momentum, nesterov; heap {@link dev.vecgd.data.Dataset} only).
         *
         * <p><b>How a mini-batch fit runs and stops.</b> Every epoch shuffles the rows (seeded), takes ⌈m/B⌉
         * steps on B-row gradients, then makes <b>one full pass over X</b> for the full-batch loss J and gradient
         * ∇J at the point the fit would return (so an epoch costs two reads of X, both counted in
         * {@link FitResult#passes()}). Every stopping rule reads that full-batch gradient: CONVERGED is the same
         * checked claim as for full batch (‖∇J‖ ≤ tol·S, {@link StoppingRules}), never an estimate from
         * mini-batches.
         * <ul>
         *   <li><b>Default: variance-reduced steps</b> ({@link #varianceReduction}, SVRG): each step uses
         *   {@code g_B(w) − g_B(w̃) + ∇J(w̃)}, w̃ the point of the epoch's start, whose full gradient the check
         *   pass has just computed; for least squares {@code g_B(w) − g_B(w̃)} is the B-row gradient of the
         *   y-free problem at w − w̃, so a step costs one B-row pass as before. Its noise vanishes at the
         *   minimizer, so with the constant automatic rate α = 0.9/L_B ({@link LearningRates#autoMiniBatch}) the
         *   iterates converge linearly to the <b>exact</b> least-squares solution, like full batch: on
         *   well-conditioned data (κ ≲ 10) the default tolerance 1e-10 — coefficients to far better than
         *   1e-4 relative — is reached in a few dozen epochs for every batch size
         *   (MiniBatchConvergenceTest: 2,000 rows, batches 16–512, at most 60 epochs). L_B is an expected
         *   smoothness, not a bound: should the automatic rate prove unstable (with momentum, far from the optimum),
         *   the fit goes back to its lowest-loss point with half the rate (at most 10 times; the message says so)
         *   rather than ending {@link StopReason#DIVERGED} — a user's fixed rate is never changed.</li>
         *   <li><b>Plain SGD</b> ({@code varianceReduction(false)}): the step's noise does not vanish at the
         *   minimizer; a constant step stalls at a noise floor (about α·σ²/B), so use a decaying
         *   {@link #schedule} and {@link #averaging}. The averaged iterate's distance to the minimizer
         *   then shrinks only like σ·√(n/(m·epochs)) (the statistical error of the rows seen): no bounded
         *   number of epochs reaches a fixed tolerance on noisy data, so such fits normally end
         *   {@link StopReason#STALLED} or at the budget, with the accuracy reached in the message.</li>
         *   <li><b>Epoch-level stopping rule</b> ({@link #noImprovement}): the fit stops {@link StopReason#STALLED}
         *   when the smallest full-batch ‖∇J‖ seen has not decreased by the fraction δ (default 0.1) for N epochs
         *   (default 20), returning the parameters of the lowest full-batch loss seen. It reads the gradient, not
         *   the loss: near the minimizer the loss changes only quadratically (below rounding) while the gradient
         *   still shrinks linearly. The per-epoch full pass is its only cost.</li>
         * </ul>
         */
        public Builder batchSize(int rows) {
            if (rows < 0) throw new IllegalArgumentException("batchSize must be >= 0 (0 = full batch), got " + rows);
            batchSize = rows;
            return this;
        }

        /**
         * Mini-batch: variance-reduced (SVRG) steps, default true; false for plain mini-batch SGD (then use a
         * {@link #schedule} and {@link #averaging}). See {@link #batchSize}.
         */
        public Builder varianceReduction(boolean on) {
            varianceReduction = on;
            return this;
        }

        /** Mini-batch: the step-size schedule (default {@link StepSchedule#constant()}); full batch ignores it. */
        public Builder schedule(StepSchedule s) {
            schedule = Objects.requireNonNull(s, "schedule is null");
            return this;
        }

        /**
         * Mini-batch: Polyak–Ruppert averaging (default false; needs {@code varianceReduction(false)}): the fit
         * checks and returns the running mean of the iterates after every step from the second epoch on (the first
         * epoch's transient excluded), not the last iterate.
         */
        public Builder averaging(boolean on) {
            averaging = on;
            return this;
        }

        /**
         * Mini-batch epoch-level stopping rule (see {@link #batchSize}): STALLED after {@code epochs} (≥ 1) epochs in
         * which the smallest full-batch ‖∇J‖ did not fall below (1 − {@code tolerance}) times its value at the last
         * progress ({@code 0 ≤ tolerance < 1}). Defaults 20 and 0.1.
         */
        public Builder noImprovement(int epochs, double tolerance) {
            if (epochs < 1) throw new IllegalArgumentException("noImprovement epochs must be >= 1, got " + epochs);
            if (!(tolerance >= 0 && tolerance < 1)) {
                throw new IllegalArgumentException("noImprovement tolerance must be in [0, 1), got " + tolerance);
            }
            noImprovementEpochs = epochs;
            noImprovementTolerance = tolerance;
            return this;
        }

        /** Seed of the mini-batch shuffling. */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** Maximum entries of the loss / gradient-norm history (≥ 2). */
        public Builder historyCapacity(int n) {
            if (n < 2) throw new IllegalArgumentException("historyCapacity must be >= 2, got " + n);
            historyCapacity = n;
            return this;
        }

        /**
         * Rows per kernel call of the full-batch gradient (≥ 1), or 0 for automatic (the default); fixed
         * boundaries, independent of threads.
         */
        public Builder chunkRows(int n) {
            if (n < 0) throw new IllegalArgumentException("chunkRows must be >= 1, or 0 for automatic, got " + n);
            chunkRows = n;
            return this;
        }

        /**
         * Threads for the full-batch gradient, 1 to {@value #MAX_THREADS}, or 0 for automatic (the
         * default). Results are bit-identical for every value.
         */
        public Builder threads(int n) {
            if (n < 0 || n > MAX_THREADS) {
                throw new IllegalArgumentException("threads must be between 0 (automatic) and " + MAX_THREADS + ", got " + n);
            }
            threads = n;
            return this;
        }

        /** Largest accepted {@link #threads(int)}. */
        public static final int MAX_THREADS = 1024;

        /** Per-iteration callback (null for none). */
        public Builder listener(IterationListener l) {
            listener = l;
            return this;
        }

        /** The update rule of solver gd (default {@link PlainGradientDescent}); a new instance per fit. Other solvers ignore it. */
        public Builder optimizer(Supplier<? extends Optimizer> factory) {
            optimizer = Objects.requireNonNull(factory, "optimizer factory is null");
            return this;
        }

        /** The solver (default {@link Solver#GD}, or {@link Solver#NESTEROV} with {@link #l1}); see {@link Solver}. */
        public Builder solver(Solver s) {
            solver = Objects.requireNonNull(s, "solver is null");
            return this;
        }

        /** The solver by name ({@link Solver#parse}): gd, momentum, nesterov, cg or normal. */
        public Builder solver(String name) {
            return solver(Solver.parse(name));
        }

        /**
         * Compute the diagnostics of {@link FitResult} (standard errors, residual std, κ estimate) — one
         * extra pass over X accumulating the standardized Gram matrix, not counted in the passes. Default true.
         */
        public Builder diagnostics(boolean on) {
            diagnostics = on;
            return this;
        }

        /**
         * The arithmetic (default {@link Precision#STANDARD}). {@link Precision#EXTENDED} needs solver
         * {@code normal}, l2 = 0 and full batch; {@link #build()} rejects other combinations naming the option.
         */
        public Builder precision(Precision p) {
            precision = Objects.requireNonNull(p, "precision is null");
            return this;
        }

        public FitOptions build() {
            return new FitOptions(this);
        }

        private static double requireTolerance(String name, double tol) {
            if (!(tol >= 0) || !Double.isFinite(tol)) {
                throw new IllegalArgumentException(name + " must be finite and >= 0, got " + tol);
            }
            return tol;
        }
    }
}
