package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.kernel.SegmentVector;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * L1 / elastic-net fits (FISTA and proximal gd) against the coordinate-descent reference of {@link LassoReference}:
 * same support (exact zeros), nonzero coefficients to 1e-6 relative, on synthetic sparse data and NIST Longley.
 */
class ElasticNetTest {

    /** m × n, correlated columns with offsets and different scales, y from a sparse truth (4 of n nonzero) + noise. */
    static double[][][] sparseProblem(int m, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] x = new double[m][n];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double common = TestProblems.gaussian(rnd);
            double h = 5;
            for (int j = 0; j < n; j++) {
                x[i][j] = 3.0 * j + (1 + 0.5 * j) * (TestProblems.gaussian(rnd) + 0.4 * common);
                if (j % 3 == 0 && j < 12) h += (j % 2 == 0 ? 1.5 : -2.0) * x[i][j] / (1 + 0.5 * j);
            }
            y[i] = h + 0.8 * TestProblems.gaussian(rnd);
        }
        return new double[][][] {x, {y}};
    }

    static FitOptions.Builder tight() {
        return FitOptions.builder().gradientTolerance(1e-13).maxIterations(200_000);
    }

    static void assertMatches(double[] want, FitResult got, String what) {
        int n = want.length - 1;
        assertTrue(got.converged(), what + ": " + got.stopReason() + " " + got.message());
        for (int j = 0; j < n; j++) {
            double w = want[j];
            double g = got.coefficient(j);
            if (w == 0) {
                assertEquals(0.0, g, what + ": coefficient " + j + " should be exactly 0 (same support as the reference)");
            } else {
                assertNotEquals(0.0, g, what + ": coefficient " + j + " should be nonzero (same support)");
                assertEquals(w, g, 1e-6 * Math.abs(w), what + ": coefficient " + j);
            }
        }
        assertEquals(want[n], got.intercept(), 1e-6 * Math.max(1, Math.abs(want[n])), what + ": intercept");
    }

    @Test
    void lassoAndElasticNetMatchCoordinateDescent() {
        double[][][] p = sparseProblem(400, 15, 7);
        double[][] x = p[0];
        double[] y = p[1][0];
        Dataset data = Dataset.of(x, y);
        double lmax = LassoReference.lambdaMax(x, y, true);
        int zeros = 0;
        for (double frac : new double[] {0.5, 0.1, 0.02}) {
            for (double l2 : new double[] {0, 0.3}) {
                double l1 = frac * lmax;
                double[] want = LassoReference.fit(x, y, true, true, l1, l2);
                for (String solver : new String[] {"nesterov", "gd"}) {
                    FitResult r = LinearRegression.fit(data, tight().l1(l1).l2(l2).solver(solver).build());
                    assertMatches(want, r, solver + " λ₁ = " + frac + "·λmax, λ₂ = " + l2);
                    assertTrue(Double.isNaN(r.standardErrors()[0]), "no classical standard errors for the lasso");
                }
                for (int j = 0; j < 15; j++) if (want[j] == 0) zeros++;
            }
        }
        assertTrue(zeros > 10, "the test must exercise exact zeros, got " + zeros);
    }

    @Test
    void defaultSolverWithL1IsFistaAndFasterThanPlainProximalGd() {
        double[][][] p = sparseProblem(300, 10, 3);
        Dataset data = Dataset.of(p[0], p[1][0]);
        double l1 = 0.05 * LassoReference.lambdaMax(p[0], p[1][0], true);
        FitOptions o = tight().l1(l1).build();
        assertEquals(Solver.NESTEROV, o.solver());
        assertEquals(Solver.GD, FitOptions.builder().build().solver(), "without l1 the default is unchanged");
        FitResult fista = LinearRegression.fit(data, o);
        FitResult ista = LinearRegression.fit(data, tight().l1(l1).solver("gd").build());
        assertTrue(fista.converged() && ista.converged());
        assertTrue(fista.iterations() < ista.iterations(), fista.iterations() + " vs " + ista.iterations());
    }

    @Test
    void withoutInterceptAndWithoutStandardization() {
        double[][][] p = sparseProblem(250, 8, 11);
        double[][] x = p[0];
        double[] y = p[1][0];
        Dataset data = Dataset.of(x, y);
        double[] want = LassoReference.fit(x, y, false, true, 0.3, 0);
        assertMatches(want, LinearRegression.fit(data, tight().intercept(false).l1(0.3).build()), "no intercept");
        // standardize(false): the penalty on raw β (scikit-learn's Lasso(alpha) on the same X is l1(alpha))
        double[] raw = LassoReference.fit(x, y, true, false, 0.2, 0.1);
        assertMatches(raw, LinearRegression.fit(data, tight().standardize(false).l1(0.2).l2(0.1).build()), "raw X");
    }

    @Test
    void aboveLambdaMaxEveryCoefficientIsZero() {
        double[][][] p = sparseProblem(200, 6, 5);
        double[] y = p[1][0];
        double lmax = LassoReference.lambdaMax(p[0], y, true);
        FitResult r = LinearRegression.fit(Dataset.of(p[0], y), tight().l1(lmax * 1.0001).build());
        assertTrue(r.converged(), r.message());
        double mean = 0;
        for (double v : y) mean += v;
        mean /= y.length;
        for (double c : r.coefficients()) assertEquals(0.0, c);
        assertEquals(mean, r.intercept(), 1e-9 * Math.abs(mean));
        FitResult below = LinearRegression.fit(Dataset.of(p[0], y), tight().l1(lmax * 0.99).build());
        int nonzero = 0;
        for (double c : below.coefficients()) if (c != 0) nonzero++;
        assertEquals(1, nonzero, "just below λ_max exactly one coefficient enters");
    }

    @Test
    void nistLongleyLasso() throws Exception {
        NistTest.Strd s = NistTest.load("Longley");
        double[][] x = s.x();
        double[] y = s.y();
        double lmax = LassoReference.lambdaMax(x, y, true);
        for (double frac : new double[] {0.2, 0.01}) {
            double[] want = LassoReference.fit(x, y, true, true, frac * lmax, 0);
            // Longley's offsets (years ≈ 1950, y ≈ 65 000) put the rounding floor near 2e-12 of S: tolerance 1e-11
            FitResult r = LinearRegression.fit(s.dataset(), tight().gradientTolerance(1e-11).l1(frac * lmax).build());
            assertMatches(want, r, "Longley λ₁ = " + frac + "·λmax");
        }
    }

    @Test
    void offHeapGivesTheSameFit() {
        double[][][] p = sparseProblem(300, 9, 13);
        double[][] x = p[0];
        double[] y = p[1][0];
        int m = y.length;
        int n = x[0].length;
        FitOptions o = tight().l1(0.1).l2(0.05).diagnostics(false).build();
        FitResult heap = LinearRegression.fit(Dataset.of(x, y), o);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xs = arena.allocate(8L * m * n, 64);
            MemorySegment ys = arena.allocate(8L * m, 64);
            for (int i = 0; i < m; i++) {
                ys.setAtIndex(ValueLayout.JAVA_DOUBLE, i, y[i]);
                for (int j = 0; j < n; j++) xs.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * n + j, x[i][j]);
            }
            SegmentDataset off = new SegmentDataset(SegmentMatrix.rowMajor(xs, m, n), SegmentVector.of(ys));
            FitResult r = LinearRegression.fit(off, o);
            assertTrue(r.converged(), r.message());
            for (int j = 0; j < n; j++) {
                assertEquals(heap.coefficient(j) == 0, r.coefficient(j) == 0, "support, column " + j);
                assertEquals(heap.coefficient(j), r.coefficient(j), 1e-9 * (1 + Math.abs(heap.coefficient(j))));
            }
        }
    }

    @Test
    void aShortBudgetIsNotConverged() {
        double[][][] p = sparseProblem(300, 10, 17);
        FitResult r = LinearRegression.fit(Dataset.of(p[0], p[1][0]), tight().l1(0.01).maxIterations(3).build());
        assertEquals(StopReason.MAX_ITERATIONS, r.stopReason());
        assertFalse(r.converged());
        assertTrue(r.message().contains("subgradient"), r.message());
    }

    @Test
    void badOptionsAreRejectedByName() {
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().l1(bad));
            assertTrue(e.getMessage().contains("l1"), e.getMessage());
        }
        for (String solver : new String[] {"cg", "normal", "momentum"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FitOptions.builder().l1(0.1).solver(solver).build());
            assertTrue(e.getMessage().contains(solver), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FitOptions.builder().l1(0.1).batchSize(10).build());
        assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
    }

    @Test
    void theModelRecordsL1AndSurvivesSaveAndLoad() {
        double[][][] p = sparseProblem(200, 6, 19);
        FitResult r = LinearRegression.fit(Dataset.of(p[0], p[1][0]), tight().l1(0.25).l2(0.5).build());
        dev.vecgd.model.LinearModel model = r.model();
        assertEquals(0.25, model.options().orElseThrow().l1());
        String json = dev.vecgd.model.ModelFormat.write(model);
        assertTrue(json.contains("\"l1\""), json);
        assertEquals(model, dev.vecgd.model.ModelFormat.parse(json));
        // without L1 the file is unchanged: no "l1" key
        FitResult plain = LinearRegression.fit(Dataset.of(p[0], p[1][0]), tight().l2(0.5).build());
        assertFalse(dev.vecgd.model.ModelFormat.write(plain.model()).contains("\"l1\""));
    }
}
