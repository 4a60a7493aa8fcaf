package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link DualityGap}: vanishes at the coordinate-descent optimum of {@link LassoReference}, is never negative, equals
 * primal − dual computed here from first principles (an explicitly standardized copy of X, the residual at the
 * optimal intercept rescaled into the dual feasible set, θ·y − ½‖θ‖² with the ridge rows), bounds the suboptimality,
 * and stops a proximal fit when asked.
 */
class DualityGapTest {

    /** [primal, dual] at (β, b) on the original scale, by plain loops over an explicitly standardized copy. */
    static double[] primalDual(double[][] x, double[] y, double[] beta, double b, boolean intercept,
                               boolean standardize, double l1, double l2) {
        int m = y.length;
        int n = x[0].length;
        double[] mu = new double[n];
        double[] sd = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (double[] r : x) s += r[j];
            mu[j] = intercept ? s / m : 0;
            double q = 0;
            for (double[] r : x) q += (r[j] - mu[j]) * (r[j] - mu[j]);
            sd[j] = standardize ? Math.sqrt(q / m) : 1;
        }
        double[] w = new double[n];
        for (int j = 0; j < n; j++) w[j] = beta[j] * sd[j];
        double[] res = new double[m]; // y − Xβ − b
        double rbar = 0;
        double ybar = 0;
        for (int i = 0; i < m; i++) {
            double h = intercept ? b : 0;
            for (int j = 0; j < n; j++) h += x[i][j] * beta[j];
            res[i] = y[i] - h;
            rbar += res[i] / m;
            ybar += y[i] / m;
        }
        if (!intercept) {
            rbar = 0;
            ybar = 0;
        }
        double ss = 0;
        double ww = 0;
        double w1 = 0;
        for (double r : res) ss += r * r;
        for (double v : w) {
            ww += v * v;
            w1 += Math.abs(v);
        }
        double primal = ss / (2.0 * m) + 0.5 * l2 * ww + l1 * w1;
        // θ (per row): the centred residual; the dual constraint |z_jᵀθ/m − λ₂ w_j| ≤ λ₁ over the standardized columns
        double worst = 0;
        for (int j = 0; j < n; j++) {
            double c = 0;
            for (int i = 0; i < m; i++) c += (x[i][j] - mu[j]) / sd[j] * (res[i] - rbar);
            worst = Math.max(worst, Math.abs(c / m - l2 * w[j]));
        }
        double scale = worst > l1 ? l1 / worst : 1;
        double ty = 0;
        double tt = 0;
        for (int i = 0; i < m; i++) {
            double t = scale * (res[i] - rbar);
            ty += t * (y[i] - ybar);
            tt += t * t;
        }
        tt += scale * scale * l2 * ww * m; // the ridge rows of θ: −c·√(mλ₂)·w
        double dual = (ty - 0.5 * tt) / m;
        return new double[] {primal, dual};
    }

    private static FitOptions options(boolean intercept, boolean standardize, double l1, double l2) {
        return FitOptions.builder().intercept(intercept).standardize(standardize).l1(l1).l2(l2).build();
    }

    @Test
    void vanishesAtTheCoordinateDescentOptimum() {
        double[][][] p = ElasticNetTest.sparseProblem(300, 12, 5);
        double[][] x = p[0];
        double[] y = p[1][0];
        Dataset data = Dataset.of(x, y);
        for (boolean intercept : new boolean[] {true, false}) {
            for (boolean standardize : new boolean[] {true, false}) {
                double lmax = LassoReference.lambdaMax(x, y, intercept);
                for (double frac : new double[] {0.5, 0.05}) {
                    for (double l2 : new double[] {0, 0.2}) {
                        double l1 = frac * lmax * (standardize ? 1 : 0.3);
                        double[] ref = LassoReference.fit(x, y, intercept, standardize, l1, l2);
                        double[] beta = java.util.Arrays.copyOf(ref, 12);
                        DualityGap g = DualityGap.of(data, options(intercept, standardize, l1, l2), beta, ref[12]);
                        String what = "intercept " + intercept + ", standardize " + standardize + ", λ₁ = " + l1
                                + ", λ₂ = " + l2;
                        assertTrue(g.relative() <= 1e-11, what + ": gap " + g);
                        assertTrue(g.scale() > 0, what);
                        double[] pd = primalDual(x, y, beta, ref[12], intercept, standardize, l1, l2);
                        assertEquals(pd[0], g.primal(), 1e-12 * Math.abs(pd[0]), what + ": primal");
                        assertEquals(pd[1], g.dual(), 1e-10 * Math.abs(pd[0]), what + ": dual");
                    }
                }
            }
        }
    }

    @Test
    void isPrimalMinusDualAndNeverNegativeAwayFromTheOptimum() {
        double[][][] p = ElasticNetTest.sparseProblem(200, 9, 8);
        double[][] x = p[0];
        double[] y = p[1][0];
        Dataset data = Dataset.of(x, y);
        SplittableRandom rnd = new SplittableRandom(3);
        int positive = 0;
        for (boolean intercept : new boolean[] {true, false}) {
            for (boolean standardize : new boolean[] {true, false}) {
                double l1 = 0.1 * LassoReference.lambdaMax(x, y, intercept) * (standardize ? 1 : 0.3);
                for (double l2 : new double[] {0, 0.5}) {
                    double[] ref = LassoReference.fit(x, y, intercept, standardize, l1, l2);
                    double best = primalDual(x, y, java.util.Arrays.copyOf(ref, 9), ref[9], intercept, standardize,
                            l1, l2)[0];
                    for (int trial = 0; trial < 25; trial++) {
                        double size = Math.pow(10, -6 + trial % 7); // from near the optimum to far from it
                        double[] beta = new double[9];
                        for (int j = 0; j < 9; j++) {
                            beta[j] = trial % 3 == 0 && ref[j] == 0 ? 0 : ref[j] + size * (rnd.nextDouble() - 0.5);
                        }
                        double b = ref[9] + size * (rnd.nextDouble() - 0.5) * 10;
                        DualityGap g = DualityGap.of(data, options(intercept, standardize, l1, l2), beta, b);
                        double[] pd = primalDual(x, y, beta, b, intercept, standardize, l1, l2);
                        String what = "intercept " + intercept + ", standardize " + standardize + ", λ₂ = " + l2
                                + ", trial " + trial;
                        assertTrue(g.gap() >= 0, what + ": " + g);
                        assertEquals(Math.max(0, pd[0] - pd[1]), g.gap(), 1e-10 * pd[0], what);
                        // a certificate: the objective is within the gap of the minimum
                        assertTrue(g.gap() >= pd[0] - best - 1e-12 * best, what + ": gap " + g.gap()
                                + " below the suboptimality " + (pd[0] - best));
                        assertTrue(g.dual() <= best * (1 + 1e-12), what + ": the dual exceeds the minimum");
                        if (g.gap() > 0) positive++;
                    }
                }
            }
        }
        assertTrue(positive > 150, "the perturbed points must have positive gaps, got " + positive);
    }

    @Test
    void primalIsTheLossOfAnL1FitAndTheGapShrinksWithTheTolerance() {
        double[][][] p = ElasticNetTest.sparseProblem(400, 15, 7);
        Dataset data = Dataset.of(p[0], p[1][0]);
        double l1 = 0.05 * LassoReference.lambdaMax(p[0], p[1][0], true);
        double previous = Double.POSITIVE_INFINITY;
        for (double tol : new double[] {1e-3, 1e-6, 1e-12}) {
            FitOptions o = FitOptions.builder().l1(l1).l2(0.1).gradientTolerance(tol).maxIterations(100_000).build();
            FitResult r = LinearRegression.fit(data, o);
            DualityGap g = DualityGap.of(data, o, r);
            assertEquals(r.loss(), g.primal(), 1e-12 * r.loss(), "FitResult.loss() is P at the returned point");
            assertTrue(g.gap() <= previous, "tolerance " + tol + ": gap " + g.gap() + " after " + previous);
            previous = g.gap();
            // the gap is first order in the subgradient (the dual point moves with the residual): about tol·‖w‖·S
            assertTrue(g.relative() <= 100 * tol, "tolerance " + tol + ": relative gap " + g.relative());
        }
    }

    @Test
    void withoutL1TheGapIsThePrimal() {
        double[][][] p = ElasticNetTest.sparseProblem(100, 4, 2);
        Dataset data = Dataset.of(p[0], p[1][0]);
        FitOptions o = FitOptions.builder().l2(0.3).build();
        DualityGap g = DualityGap.of(data, o, new double[] {0.1, 0.2, 0.3, 0.4}, 1);
        assertEquals(0.0, g.dual());
        assertEquals(g.primal(), g.gap());
    }

    @Test
    void gapToleranceStopsAProximalFitThere() {
        double[][][] p = ElasticNetTest.sparseProblem(500, 20, 13);
        Dataset data = Dataset.of(p[0], p[1][0]);
        double lmax = LassoReference.lambdaMax(p[0], p[1][0], true);
        for (String solver : new String[] {"nesterov", "gd"}) {
            FitOptions o = LinearRegression.pathOptions(FitOptions.builder().solver(solver).gradientTolerance(1e-15)
                    .lossChangeTolerance(0).maxIterations(100_000).build(), 20, null);
            long loose = 0;
            long tight = 0;
            for (double gap : new double[] {1e-4, 1e-9}) {
                try (PathFitter path = PathFitter.of(data, o)) {
                    for (double frac : new double[] {0.5, 0.1, 0.02}) {
                        FitResult r = path.next(frac * lmax, gap);
                        assertEquals(StopReason.CONVERGED, r.stopReason(), solver + ": " + r.message());
                        assertTrue(r.message().contains("duality gap"), r.message());
                        double reached = path.gap(frac * lmax).relative();
                        assertTrue(reached <= gap, solver + " λ = " + frac + "·λmax: gap " + reached + " > " + gap);
                        if (gap > 1e-5) loose += r.passes();
                        else tight += r.passes();
                    }
                }
            }
            assertTrue(tight > loose, solver + ": a tighter gap needs more passes (" + tight + " vs " + loose + ")");
        }
    }

    @Test
    void weightedGapIsTheGapOfTheRepeatedRows() {
        double[] iw = WeightedFitTest.integerWeights(4);
        Dataset data = Dataset.of(WeightedFitTest.X, WeightedFitTest.Y);
        Dataset rep = WeightedFitTest.repeated(iw);
        FitOptions o = FitOptions.builder().l1(0.2).l2(0.1).gradientTolerance(1e-4).build();
        FitResult r = LinearRegression.fit(data, iw, o); // loose: a visible gap
        DualityGap weighted = DualityGap.of(data, iw, o, r.coefficients(), r.intercept());
        DualityGap repeated = DualityGap.of(rep, o, r.coefficients(), r.intercept());
        assertEquals(repeated.primal(), weighted.primal(), 1e-12 * repeated.primal());
        assertEquals(repeated.dual(), weighted.dual(), 1e-11 * repeated.primal());
        assertEquals(repeated.relative(), weighted.relative(), 1e-9 * repeated.relative() + 1e-15);
        assertTrue(weighted.gap() > 0, weighted.toString());
        assertEquals(r.loss(), weighted.primal(), 1e-12 * r.loss(), "the weighted fit's loss is P");
        FitResult tight = LinearRegression.fit(data, iw, FitOptions.builder().l1(0.2).l2(0.1).gradientTolerance(1e-13)
                .maxIterations(100_000).build());
        assertTrue(DualityGap.of(data, iw, o, tight.coefficients(), tight.intercept()).relative() <= 1e-12);
        assertThrows(IllegalArgumentException.class, () -> DualityGap.of(data, new double[3], o, r.coefficients(), 0));
    }

    @Test
    void rejectsCoefficientsOfTheWrongLength() {
        Dataset data = Dataset.of(new double[][] {{1, 2}, {3, 5}, {4, 4}}, new double[] {1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DualityGap.of(data, FitOptions.defaults(), new double[3], 0));
        assertTrue(e.getMessage().contains("3 coefficients for 2"), e.getMessage());
    }
}
