package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Regularization paths and k-fold cross-validation, against the coordinate-descent reference and brute force. */
class PathTest {

    @Test
    void pathMatchesCoordinateDescentAndStartsAtLambdaMax() {
        double[][][] p = ElasticNetTest.sparseProblem(400, 15, 23);
        double[][] x = p[0];
        double[] y = p[1][0];
        RegularizationPath path = LinearRegression.path(Dataset.of(x, y), ElasticNetTest.tight().build());
        assertEquals(100, path.size());
        assertEquals(LassoReference.lambdaMax(x, y, true), path.lambdaMax(), 1e-12 * path.lambdaMax());
        assertEquals(path.lambdaMax(), path.lambda(0));
        assertEquals(1e-4 * path.lambdaMax(), path.lambda(99), 1e-15 * path.lambdaMax());
        assertTrue(path.allConverged());
        assertEquals(0, path.nonzeros(0), "at λ_max every coefficient is 0");
        assertEquals(15, path.nonzeros(99), "at 1e-4·λ_max every coefficient is in");
        for (int k : new int[] {5, 20, 40, 70, 99}) {
            double[] want = LassoReference.fit(x, y, true, true, path.lambda(k), 0);
            ElasticNetTest.assertMatches(want, path.fits().get(k), "path λ number " + k);
        }
        for (int k = 1; k < path.size(); k++) {
            assertTrue(path.trainingLoss(k) <= path.trainingLoss(k - 1) * (1 + 1e-9),
                    "the training loss does not rise as λ₁ falls, at " + k);
        }
        long sum = 0;
        for (int k = 0; k < path.size(); k++) sum += path.passes(k);
        assertTrue(path.passes() > sum, "the total counts the shared set-up too");
    }

    @Test
    void warmStartsSavePassesOverColdFits() {
        double[][][] p = ElasticNetTest.sparseProblem(300, 12, 29);
        Dataset data = Dataset.of(p[0], p[1][0]);
        FitOptions o = ElasticNetTest.tight().l2(0.1).diagnostics(false).build();
        double lmax = LassoReference.lambdaMax(p[0], p[1][0], true);
        double[] grid = RegularizationPath.logGrid(lmax, 20, 1e-3);
        RegularizationPath path = LinearRegression.path(data, o, grid);
        long warm = 0;
        long cold = 0;
        for (int k = 0; k < grid.length; k++) {
            FitResult r = LinearRegression.fit(data, o.toBuilder().l1(grid[k]).build());
            double[] want = LassoReference.fit(p[0], p[1][0], true, true, grid[k], 0.1);
            ElasticNetTest.assertMatches(want, path.fits().get(k), "elastic-net path " + k);
            ElasticNetTest.assertMatches(want, r, "cold fit " + k);
            warm += path.passes(k);
            cold += r.passes();
        }
        assertTrue(warm < cold, "warm " + warm + " vs cold " + cold + " passes");
    }

    @Test
    void rowSourcePathEqualsTheHeapPath() {
        double[][][] p = ElasticNetTest.sparseProblem(240, 7, 31);
        Dataset data = Dataset.of(p[0], p[1][0]);
        double[] grid = {0.5, 0.1, 0.01};
        FitOptions o = ElasticNetTest.tight().build();
        RegularizationPath heap = LinearRegression.path(data, o, grid);
        RowRangeSource all = new RowRangeSource(data, new int[] {0, 100}, new int[] {100, 240});
        RegularizationPath source = LinearRegression.path(all, o, grid);
        assertEquals(heap.lambdaMax(), source.lambdaMax(), 1e-12 * heap.lambdaMax());
        for (int k = 0; k < grid.length; k++) {
            double[] a = heap.coefficients(k);
            double[] b = source.coefficients(k);
            for (int j = 0; j < a.length; j++) {
                assertEquals(a[j] == 0, b[j] == 0, "support at " + k + ", " + j);
                assertEquals(a[j], b[j], 1e-9 * (1 + Math.abs(a[j])));
            }
        }
    }

    @Test
    void badArgumentsAreRejectedByName() {
        Dataset data = Dataset.of(ElasticNetTest.sparseProblem(50, 3, 1)[0], ElasticNetTest.sparseProblem(50, 3, 1)[1][0]);
        FitOptions o = FitOptions.defaults();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LinearRegression.path(data, o, new double[] {1, -1}))
                .getMessage().contains("number 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LinearRegression.path(data, o, new double[] {Double.NaN}))
                .getMessage().contains("number 0"));
        assertThrows(IllegalArgumentException.class, () -> LinearRegression.path(data, o, new double[0]));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.path(data, FitOptions.builder().solver("cg").build(), null)).getMessage().contains("cg"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> CrossValidation.path(data, o, null, 1, 0)).getMessage().contains("folds"));
    }

    /** 2 ≤ folds ≤ m: both limits are accepted (m folds: leave one out), one beyond each is refused by name. */
    @Test
    void foldCountsAtTheirLimits() {
        double[][][] p = ElasticNetTest.sparseProblem(12, 2, 3);
        Dataset data = Dataset.of(p[0], p[1][0]);
        FitOptions o = FitOptions.defaults();
        double[] grid = {0.05};
        assertEquals(1, CrossValidation.path(data, o, grid, 2, 1).meanError().length);
        CrossValidation.Result loo = CrossValidation.path(data, o, grid, 12, 1);
        assertTrue(loo.meanError()[0] > 0 && Double.isFinite(loo.meanError()[0]), "leave one out");
        assertEquals("cross-validation needs 2 <= folds <= m = 12, got 13", assertThrows(IllegalArgumentException.class,
                () -> CrossValidation.path(data, o, grid, 13, 1)).getMessage());
        assertEquals("cross-validation needs 2 <= folds <= m = 12, got 1", assertThrows(IllegalArgumentException.class,
                () -> CrossValidation.path(data, o, grid, 1, 1)).getMessage());
    }

    @Test
    void foldsPartitionTheRowsAndDependOnlyOnTheSeed() {
        int m = 103;
        Dataset data = Dataset.of(new double[m][1], new double[m]);
        int[] fold = CrossValidation.assign(Math.min(m, 50), 5, 7);
        int[] seen = new int[m];
        for (int f = 0; f < 5; f++) {
            RowRangeSource test = CrossValidation.ranges(data, fold, f, true);
            RowRangeSource train = CrossValidation.ranges(data, fold, f, false);
            assertTrue(test.rows() > 0);
            assertEquals(m, test.rows() + train.rows());
            for (int[] r : rangesOf(fold, f, m)) for (int i = r[0]; i < r[1]; i++) seen[i]++;
        }
        for (int i = 0; i < m; i++) assertEquals(1, seen[i], "row " + i + " is held out exactly once");
        assertArrayEquals(fold, CrossValidation.assign(50, 5, 7));
        assertFalse(java.util.Arrays.equals(fold, CrossValidation.assign(50, 5, 8)));
    }

    private static List<int[]> rangesOf(int[] fold, int f, int m) {
        List<int[]> r = new ArrayList<>();
        for (int b = 0; b < fold.length; b++) {
            if (fold[b] == f) r.add(new int[] {(int) ((long) b * m / fold.length), (int) ((long) (b + 1) * m / fold.length)});
        }
        return r;
    }

    @Test
    void crossValidationErrorsEqualBruteForceFitsOnCopiedFolds() {
        double[][][] p = ElasticNetTest.sparseProblem(200, 8, 37);
        double[][] x = p[0];
        double[] y = p[1][0];
        Dataset data = Dataset.of(x, y);
        int m = y.length;
        int k = 4;
        double lmax = LassoReference.lambdaMax(x, y, true);
        double[] grid = RegularizationPath.logGrid(lmax, 8, 1e-3);
        FitOptions o = ElasticNetTest.tight().build();
        CrossValidation.Result cv = CrossValidation.path(data, o, grid, k, 42);
        assertTrue(cv.foldsConverged());
        int[] fold = CrossValidation.assign(Math.min(m, 10 * k), k, 42);
        double[][] err = new double[k][grid.length];
        for (int f = 0; f < k; f++) {
            boolean[] held = new boolean[m];
            for (int[] r : rangesOf(fold, f, m)) for (int i = r[0]; i < r[1]; i++) held[i] = true;
            List<double[]> tx = new ArrayList<>();
            List<Double> ty = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                if (!held[i]) {
                    tx.add(x[i]);
                    ty.add(y[i]);
                }
            }
            double[][] trainX = tx.toArray(new double[0][]);
            double[] trainY = ty.stream().mapToDouble(Double::doubleValue).toArray();
            for (int g = 0; g < grid.length; g++) {
                double[] ref = LassoReference.fit(trainX, trainY, true, true, grid[g], 0); // the copied fold, by CD
                double ss = 0;
                int c = 0;
                for (int i = 0; i < m; i++) {
                    if (!held[i]) continue;
                    double r = ref[x[0].length] - y[i];
                    for (int j = 0; j < x[0].length; j++) r += ref[j] * x[i][j];
                    ss += r * r;
                    c++;
                }
                err[f][g] = ss / c;
            }
        }
        double[] mean = cv.meanError();
        for (int g = 0; g < grid.length; g++) {
            double s = 0;
            for (int f = 0; f < k; f++) s += err[f][g];
            assertEquals(s / k, mean[g], 1e-7 * (s / k), "CV error at λ number " + g);
        }
        int best = 0;
        for (int g = 1; g < grid.length; g++) if (mean[g] < mean[best]) best = g;
        assertEquals(best, cv.best());
        assertEquals(grid[best], cv.bestLambda());
        // the standard error of the mean over the folds: √(Σ_f (e_f − ē)²/(k − 1))/√k
        double[] se = cv.standardError();
        for (int g = 0; g < grid.length; g++) {
            double q = 0;
            for (int f = 0; f < k; f++) q += (err[f][g] - mean[g]) * (err[f][g] - mean[g]);
            double want = Math.sqrt(q / (k - 1)) / Math.sqrt(k);
            assertEquals(want, se[g], 1e-5 * want + 1e-12 * mean[g], "CV standard error at λ number " + g);
        }
        // the one-standard-error rule: the largest λ whose error is within one SE of the best
        int oneSe = best;
        for (int g = 0; g < grid.length; g++) {
            if (mean[g] <= mean[best] + se[best] && grid[g] > grid[oneSe]) oneSe = g;
        }
        assertEquals(oneSe, cv.oneStandardError());
        assertTrue(grid[cv.oneStandardError()] >= grid[cv.best()]);
        assertEquals(grid.length, cv.path().size());
        CrossValidation.Result again = CrossValidation.path(data, o, grid, k, 42);
        assertArrayEquals(cv.meanError(), again.meanError(), "same seed, same numbers");
    }
}
