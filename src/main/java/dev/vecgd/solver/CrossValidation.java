package dev.vecgd.solver;

import dev.vecgd.data.Dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * k-fold cross-validation of a regularization path, to choose λ₁. The rows are cut into {@code min(m, 10k)}
 * contiguous blocks, the blocks are shuffled with the seed and dealt to the k folds in turn; each fold's training
 * and held-out rows are lists of row ranges of the same dataset (no row is copied: {@link RowRangeSource}). For each
 * fold the path is fitted on the training rows ({@link LinearRegression#path(RowSource, FitOptions, double[])},
 * with its own standardization) and scored on the held-out rows:
 * <pre>
 *   MSE_f(λ) = Σ_{i held out} (x_i·β_f(λ) + b_f(λ) − y_i)² / m_f,    CV(λ) = mean_f MSE_f(λ),   SE(λ) = sd_f MSE_f(λ) / √k
 * </pre>
 * The λ grid is the one of the path on all rows (given, or the default grid from its λ_max), so the result also
 * holds that path. Same seed, same folds, same numbers.
 */
public final class CrossValidation {

    private CrossValidation() {
    }

    /**
     * The outcome.
     *
     * @param path          the path on all rows (its λ grid is the one scored)
     * @param meanError     CV(λ) per λ of the path
     * @param standardError SE(λ) per λ
     * @param best          the index of the smallest CV(λ) (the first if tied)
     * @param oneStandardError the index of the largest λ with CV(λ) ≤ CV(λ_best) + SE(λ_best) (glmnet's lambda.1se;
     *                      the largest in value, whatever the order of the grid)
     * @param foldsConverged true when every fold's every fit converged
     */
    public record Result(RegularizationPath path, double[] meanError, double[] standardError, int best,
                         int oneStandardError, boolean foldsConverged) {

        public Result {
            meanError = meanError.clone();
            standardError = standardError.clone();
        }

        @Override
        public double[] meanError() {
            return meanError.clone();
        }

        @Override
        public double[] standardError() {
            return standardError.clone();
        }

        /** λ₁ with the smallest CV error. */
        public double bestLambda() {
            return path.lambda(best);
        }
    }

    /**
     * Runs k-fold cross-validation of the path.
     *
     * @param data    the dataset, not modified (and not copied)
     * @param options the path's options ({@link LinearRegression#path(Dataset, FitOptions, double[])})
     * @param lambdas the λ₁ grid, or null for the default grid of the path on all rows
     * @param folds   k ≥ 2, at most m
     * @param seed    the shuffling seed of the blocks
     * @throws IllegalArgumentException for k &lt; 2 or k &gt; m, and everything the path rejects
     */
    public static Result path(Dataset data, FitOptions options, double[] lambdas, int folds, long seed) {
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(options, "options is null");
        int m = data.rows();
        if (folds < 2 || folds > m) {
            throw new IllegalArgumentException("cross-validation needs 2 <= folds <= m = " + m + ", got " + folds);
        }
        RegularizationPath all = LinearRegression.path(data, options, lambdas);
        double[] grid = all.lambdas();
        int[] foldOfBlock = assign(Math.min(m, 10 * folds), folds, seed);
        double[][] error = new double[folds][grid.length];
        boolean converged = true;
        for (int f = 0; f < folds; f++) {
            RowRangeSource train = ranges(data, foldOfBlock, f, false);
            RowRangeSource test = ranges(data, foldOfBlock, f, true);
            RegularizationPath p = LinearRegression.path(train, options, grid);
            converged &= p.allConverged();
            int n = data.cols();
            GradientBuffer buffer = new GradientBuffer(n);
            double[] params = new double[n + 1];
            for (int k = 0; k < grid.length; k++) {
                System.arraycopy(p.coefficients(k), 0, params, 0, n);
                params[n] = p.intercept(k);
                buffer.zeroGrad();
                test.accumulate(params, true, buffer);
                error[f][k] = buffer.sumSquares() / test.rows();
            }
        }
        double[] mean = new double[grid.length];
        double[] se = new double[grid.length];
        int best = 0;
        for (int k = 0; k < grid.length; k++) {
            double s = 0;
            for (int f = 0; f < folds; f++) s += error[f][k];
            mean[k] = s / folds;
            double q = 0;
            for (int f = 0; f < folds; f++) q += (error[f][k] - mean[k]) * (error[f][k] - mean[k]);
            se[k] = Math.sqrt(q / (folds - 1)) / Math.sqrt(folds);
            if (mean[k] < mean[best]) best = k;
        }
        int oneSe = best;
        for (int k = 0; k < grid.length; k++) {
            if (mean[k] <= mean[best] + se[best] && grid[k] > grid[oneSe]) oneSe = k;
        }
        return new Result(all, mean, se, best, oneSe, converged);
    }

    /** The fold of each of {@code blocks} blocks: a seeded shuffle dealt round-robin (every fold gets a block). */
    static int[] assign(int blocks, int folds, long seed) {
        int[] order = new int[blocks];
        for (int b = 0; b < blocks; b++) order[b] = b;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int b = blocks - 1; b > 0; b--) {
            int j = rnd.nextInt(b + 1);
            int t = order[b];
            order[b] = order[j];
            order[j] = t;
        }
        int[] fold = new int[blocks];
        for (int pos = 0; pos < blocks; pos++) fold[order[pos]] = pos % folds;
        return fold;
    }

    /** The rows of fold f ({@code heldOut}) or of all other folds, as merged ranges in row order. */
    static RowRangeSource ranges(Dataset data, int[] foldOfBlock, int f, boolean heldOut) {
        int m = data.rows();
        int blocks = foldOfBlock.length;
        List<int[]> r = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            if ((foldOfBlock[b] == f) != heldOut) continue;
            int from = (int) ((long) b * m / blocks);
            int to = (int) ((long) (b + 1) * m / blocks);
            if (!r.isEmpty() && r.get(r.size() - 1)[1] == from) r.get(r.size() - 1)[1] = to;
            else r.add(new int[] {from, to});
        }
        int[] from = new int[r.size()];
        int[] to = new int[r.size()];
        for (int k = 0; k < from.length; k++) {
            from[k] = r.get(k)[0];
            to[k] = r.get(k)[1];
        }
        return new RowRangeSource(data, from, to);
    }
}
