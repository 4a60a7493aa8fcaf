package dev.vecgd.solver;

import dev.vecgd.data.DataChecks;
import dev.vecgd.data.Dataset;

/**
 * A regularization path being fitted ({@link LinearRegression#path}): the shared set-up once — λ_max from one gradient
 * at w = 0, the automatic step from one power iteration (L does not depend on λ₁), the Gram pass of the diagnostics
 * (κ; when on and available) — then one warm-started {@link ProximalGradient} fit per {@link #next} call, each
 * starting from the previous call's solution. Two fitters over the same data can be advanced in turn (the benchmark
 * interleaves FISTA and proximal gd λ by λ). Not thread-safe; close it to release a heap source's threads.
 */
final class PathFitter implements AutoCloseable {

    private final LeastSquaresObjective f;
    private final TargetStats targets;
    private final FitOptions o;
    private final double lambdaMax;
    private final double alpha;
    private final long setupPasses;
    private final GramMatrix gram;
    private final double[] w;
    private final AutoCloseable resources;

    private PathFitter(LeastSquaresObjective f, LeastSquaresObjective h, TargetStats targets, FitOptions o,
                       AutoCloseable resources) {
        this.f = f;
        this.targets = targets;
        this.o = o;
        this.resources = resources;
        int n = f.size() - 1;
        long passes0 = f.passes();
        w = new double[n + 1];
        double[] g = new double[n + 1];
        if (o.intercept()) w[n] = targets.mean(); // the optimal intercept at β = 0, so ∂J/∂w_n = 0 there
        f.evaluate(w, g);
        double max = 0;
        for (int j = 0; j < n; j++) max = Math.max(max, Math.abs(g[j])); // the L2 term is 0 at w = 0
        lambdaMax = max;
        long setup = 0;
        double a = o.learningRate();
        if (o.autoLearningRate()) {
            a = LearningRates.auto(LearningRates.largestEigenvalue(h));
            setup += h.passes();
        }
        alpha = a;
        GramMatrix gm = null;
        if (o.diagnostics() && f.hasGram()) {
            gm = f.gram(targets.mean());
        }
        gram = gm;
        setupPasses = f.passes() - passes0 + setup;
        double[] warm = o.warmStartCoefficients();
        if (warm != null) {
            double[] p = java.util.Arrays.copyOf(warm, n + 1);
            p[n] = o.intercept() ? o.warmStartIntercept() : 0;
            f.scaling().fromOriginal(p, w);
        }
    }

    /** Over an objective (and its y-free twin h for the automatic step, or null), no resources to close. */
    static PathFitter of(LeastSquaresObjective f, LeastSquaresObjective h, TargetStats targets, FitOptions o) {
        return new PathFitter(f, h, targets, o, null);
    }

    /**
     * Over heap data with checked path options ({@link LinearRegression#path}): the finiteness check, the column and
     * target statistics, then the set-up.
     */
    static PathFitter of(Dataset data, FitOptions o) {
        DataChecks.requireFinite(data);
        Standardization scaling = Standardization.compute(data, o.standardize(), o.intercept());
        TargetStats targets = TargetStats.of(data);
        LinearRegression.checkRange(scaling, targets, data.rows(), o);
        Dataset zeroY = o.autoLearningRate() ? Dataset.of(data.x(), new double[data.rows()]) : null;
        ParallelGradientSource source = new ParallelGradientSource(data, o.chunkRows(), o.threads());
        ParallelGradientSource hs = zeroY == null ? null : new ParallelGradientSource(zeroY, o.chunkRows(), o.threads());
        AutoCloseable close = () -> {
            try (source; hs) {
                // closes both
            }
        };
        try {
            LeastSquaresObjective f = new LeastSquaresObjective(data, source, scaling, o.intercept(), o.l2());
            LeastSquaresObjective h = hs == null ? null
                    : new LeastSquaresObjective(zeroY, hs, scaling, o.intercept(), o.l2());
            return new PathFitter(f, h, targets, o, close);
        } catch (RuntimeException e) {
            source.close();
            if (hs != null) hs.close();
            throw e;
        }
    }

    /** The smallest λ₁ with every coefficient 0 (see {@link RegularizationPath#lambdaMax()}). */
    double lambdaMax() {
        return lambdaMax;
    }

    /** The step α of every fit. */
    double alpha() {
        return alpha;
    }

    /** Reads of X of the set-up (λ_max gradient, power iteration, Gram pass). */
    long setupPasses() {
        return setupPasses;
    }

    /**
     * The fit at λ₁ from the previous solution (the options' warm start, else 0 at the first call), which it replaces.
     *
     * @param gapTolerance also stop when the relative duality gap is at most this (0: the options' rules only; see
     *                     {@link ProximalGradient#run(LeastSquaresObjective, TargetStats, FitOptions, long, double[],
     *                     double, long, GramMatrix, double)})
     */
    FitResult next(double l1, double gapTolerance) {
        FitOptions ol = o.toBuilder().l1(l1).build();
        return ProximalGradient.run(f, targets, ol, System.nanoTime(), w, alpha, 0, gram, gapTolerance);
    }

    /** The duality gap at the current solution for λ₁ (one gradient pass, counted in no fit's passes). */
    DualityGap gap(double l1) {
        int n = w.length - 1;
        double[] g = new double[n + 1];
        f.evaluate(w, g);
        return DualityGap.at(w, g, f.lastSumSquares(), f.rows(), l1, f.l2(),
                DualityGap.columnMeans(f.scaling(), f.intercept()), DualityGap.scale(targets, f.intercept()));
    }

    /** The whole path over {@code lambdas} (null: the default grid; tall: m &gt; n, its ratio 10⁻⁴ instead of 10⁻²). */
    RegularizationPath run(double[] lambdas, boolean tall) {
        long passes0 = f.passes();
        double[] grid = lambdas != null ? lambdas.clone() : lambdaMax > 0
                ? RegularizationPath.logGrid(lambdaMax, 100, tall ? 1e-4 : 1e-2) : new double[] {0};
        java.util.List<FitResult> fits = new java.util.ArrayList<>(grid.length);
        for (double l1 : grid) fits.add(next(l1, 0));
        return new RegularizationPath(lambdaMax, grid, fits, f.passes() - passes0 + setupPasses);
    }

    @Override
    public void close() {
        if (resources == null) return;
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the path's gradient sources failed", e);
        }
    }
}
