package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link ProximalGradient} (the lasso and elastic net by ISTA, {@code gd}, and FISTA, {@code nesterov}): its pieces
 * against hand-computed values (the soft threshold at its boundary, one proximal step with the intercept never
 * thresholded, the smallest subgradient in each of its cases, overflow-safe), and its loop's stops: every status with
 * its message, the listener, divergence returning the best point, exact zeros above λ_max, and FISTA reaching the
 * ISTA solution in fewer iterations.
 */
class ProximalGradientTest {

    @Test
    void softThresholdShrinksTowardsZeroAndZeroesTheBand() {
        assertEquals(2, ProximalGradient.softThreshold(3, 1));
        assertEquals(-2, ProximalGradient.softThreshold(-3, 1));
        assertEquals(0, ProximalGradient.softThreshold(1, 1), "the band's edge is zeroed");
        assertEquals(0, ProximalGradient.softThreshold(-1, 1), "the band's edge is zeroed");
        assertEquals(0, ProximalGradient.softThreshold(0.5, 1));
        assertEquals(0.75, ProximalGradient.softThreshold(0.75, 0));
        assertEquals(Math.ulp(1.0), ProximalGradient.softThreshold(1 + Math.ulp(1.0), 1));
    }

    @Test
    void aProximalStepThresholdsTheCoefficientsOnly() {
        double[] y = {1, -2, 0.5, 3};
        double[] g = {1, 1, -1, 2};
        double[] next = new double[4];
        // α = 0.5, λ₁ = 2: threshold 1; y − αg = (0.5, −2.5, 1, 2); the intercept (last) is not thresholded
        double mapping = ProximalGradient.proxStep(y, g, 0.5, 2, 3, next);
        assertArrayEquals(new double[]{0, -1.5, 0, 2}, next, 0);
        assertEquals(Math.sqrt(1 + 0.25 + 0.25 + 1), mapping, 1e-15, "‖y − next‖");
    }

    @Test
    void theSmallestSubgradientInEachCase() {
        double[] y = {1, -1, 0, 0, 5};
        double[] g = {0.5, 0.5, 0.3, -2, 0.7};
        double[] s = new double[5];
        double norm = ProximalGradient.subgradient(y, g, 1, 4, s);
        // w > 0: g + λ; w < 0: g − λ; w = 0: soft threshold of g (0 inside the band); intercept: g
        assertArrayEquals(new double[]{1.5, -0.5, 0, -1, 0.7}, s, 1e-15);
        assertEquals(Math.sqrt(2.25 + 0.25 + 0 + 1 + 0.49), norm, 1e-15);
        assertEquals(Math.sqrt(0.25 + 0.25 + 0.09 + 4 + 0.49), ProximalGradient.subgradient(y, g, 0, 4, s), 1e-15,
                "λ₁ = 0: the gradient");
        assertArrayEquals(g, s, 0);
        assertEquals(0, ProximalGradient.subgradient(new double[3], new double[3], 1, 2, s));
        assertEquals(Math.sqrt(2) * 1e200, ProximalGradient.subgradient(new double[]{1, 1}, new double[]{1e200, 1e200},
                0, 1, new double[2]), 1e185, "no overflow in the squares");
        assertEquals(Double.POSITIVE_INFINITY, ProximalGradient.subgradient(new double[]{1, 1},
                new double[]{Double.POSITIVE_INFINITY, 1}, 0, 1, new double[2]));
        assertEquals(3, ProximalGradient.norm1(new double[]{1, -2, 30}, 2), "the intercept is not penalized");
    }

    /** y = 1 + 2·x0 − x1 + 0.5·x2 + noise, x correlated (κ ≈ 20 standardized). */
    private static Dataset data() {
        SplittableRandom rnd = new SplittableRandom(21);
        int m = 300;
        double[] x = new double[m * 3];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double z = TestProblems.gaussian(rnd);
            for (int j = 0; j < 3; j++) x[3 * i + j] = 2 * z + TestProblems.gaussian(rnd);
            y[i] = 1 + 2 * x[3 * i] - x[3 * i + 1] + 0.5 * x[3 * i + 2] + 0.2 * TestProblems.gaussian(rnd);
        }
        return Dataset.rowMajor(x, m, 3, y);
    }

    @Test
    void fistaReachesTheIstaSolutionInFewerIterations() {
        Dataset d = data();
        FitResult ista = LinearRegression.fit(d, FitOptions.builder().solver(Solver.GD).l1(0.05).build());
        FitResult fista = LinearRegression.fit(d, FitOptions.builder().solver(Solver.NESTEROV).l1(0.05).build());
        assertEquals(StopReason.CONVERGED, ista.stopReason(), ista.message());
        assertEquals(StopReason.CONVERGED, fista.stopReason(), fista.message());
        assertTrue(fista.message().endsWith(" (‖∇J‖: the smallest subgradient of J + λ₁‖w‖₁)"), fista.message());
        for (int j = 0; j < 3; j++) assertEquals(ista.coefficient(j), fista.coefficient(j), 1e-6, "θ" + j);
        assertEquals(ista.intercept(), fista.intercept(), 1e-6);
        assertTrue(fista.iterations() < ista.iterations(), "FISTA " + fista.iterations() + ", ISTA " + ista.iterations());
        assertTrue(fista.passes() > fista.iterations(), "one gradient pass per iteration, plus the preparation");
        assertEquals("nesterov", fista.optimizer());
    }

    @Test
    void aboveLambdaMaxEveryCoefficientIsExactlyZero() {
        FitResult r = LinearRegression.fit(data(), FitOptions.builder().solver(Solver.NESTEROV).l1(1e3).build());
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        assertArrayEquals(new double[3], r.coefficients(), 0);
    }

    @Test
    void theBudgetAndTheListenerStopTheLoop() {
        Dataset d = data();
        FitResult r = LinearRegression.fit(d, FitOptions.builder().solver(Solver.GD).l1(0.05).maxIterations(2).build());
        assertEquals(StopReason.MAX_ITERATIONS, r.stopReason());
        assertEquals(2, r.iterations());
        assertArrayEquals(new int[]{0, 1, 2}, r.historyIterations());
        assertTrue(r.message().startsWith("not converged: reached maxIterations = 2 with ‖s‖/S = "), r.message());
        assertTrue(r.message().endsWith(" > tolerance 1.00000e-10 (s: the smallest subgradient of J + λ₁‖w‖₁)"),
                r.message());
        double[] h = r.historyLoss();
        assertTrue(h[2] < h[1] && h[1] < h[0], "ISTA lowers J + λ₁‖w‖₁ at every step");
        assertEquals(h[2], r.loss(), 0, "the reported objective is the last one");
        List<Integer> seen = new ArrayList<>();
        FitResult stopped = LinearRegression.fit(d, FitOptions.builder().solver(Solver.NESTEROV).l1(0.05)
                .listener((k, loss, g) -> {
                    seen.add(k);
                    return k < 3;
                }).build());
        assertEquals(StopReason.STOPPED_BY_CALLBACK, stopped.stopReason());
        assertEquals("stopped by the listener at iteration 3", stopped.message());
        assertEquals(List.of(0, 1, 2, 3), seen);
        assertEquals(3, stopped.iterations());
    }

    @Test
    void aTooLargeFixedStepDivergesAndReturnsTheBestPoint() {
        Dataset d = data();
        FitResult r = LinearRegression.fit(d, FitOptions.builder().solver(Solver.GD).l1(0.05).learningRate(50).build());
        assertEquals(StopReason.DIVERGED, r.stopReason());
        assertTrue(r.message().contains(" with step α = 50.0000; use a smaller rate or the automatic rate. Returned the"
                + " parameters of the lowest objective seen (iteration "), r.message());
        double[] losses = r.historyLoss();
        double lowest = Double.POSITIVE_INFINITY;
        for (double l : losses) if (Double.isFinite(l)) lowest = Math.min(lowest, l);
        assertEquals(lowest, r.loss(), 1e-12 * lowest, "the lowest objective seen, not the diverged one");
        assertTrue(Double.isFinite(r.coefficient(0)));
    }

    /**
     * A fixed step α = 2.3/L, a little above 2/L, from the lasso solution with its intercept off by 1 and its coefficients
     * by 1e-3: the intercept's error (its own direction, curvature 1 with centred features) shrinks at once, while
     * the small error along the top eigen-direction grows by 1.3 per step until the guard stops the fit. The fit returns the best
     * iterate, which is after iteration 0: the same coefficients, objective, ‖s‖, R² and RMSE as a fit with the same
     * start and step stopped by maxIterations at that iteration.
     */
    @Test
    void divergenceAfterProgressReturnsTheBestIterateNotTheStart() {
        Dataset d = data();
        FitResult solution = LinearRegression.fit(d, FitOptions.builder().solver(Solver.GD).l1(0.05).build());
        assertEquals(StopReason.CONVERGED, solution.stopReason(), solution.message());
        double rate = 2.3 / FitOptions.AUTO_SAFETY * solution.learningRate(); // auto: α = AUTO_SAFETY/L
        double[] start = solution.coefficients().clone();
        for (int j = 0; j < 3; j++) start[j] += 1e-3; // an error along the top eigen-direction (correlated features)
        FitOptions.Builder b = FitOptions.builder().solver(Solver.GD).l1(0.05).learningRate(rate)
                .warmStart(start, solution.intercept() + 1);
        FitResult r = LinearRegression.fit(d, b.build());
        assertEquals(StopReason.DIVERGED, r.stopReason(), r.message());
        java.util.regex.Matcher at = java.util.regex.Pattern.compile("\\(iteration (\\d+)\\)").matcher(r.message());
        assertTrue(at.find(), r.message());
        int best = Integer.parseInt(at.group(1));
        assertTrue(best > 0, "the best iterate is not the start: " + r.message());
        double[] h = r.historyLoss();
        assertTrue(h[best] < h[0], "progress first");
        FitResult stopped = LinearRegression.fit(d, b.maxIterations(best).build());
        assertEquals(best, stopped.iterations());
        assertArrayEquals(stopped.coefficients(), r.coefficients(), 0, "the best iterate's coefficients");
        assertEquals(stopped.intercept(), r.intercept(), 0);
        assertEquals(stopped.loss(), r.loss(), 0);
        assertEquals(h[best], r.loss(), 0);
        assertEquals(stopped.gradientNorm(), r.gradientNorm(), 0);
        assertEquals(stopped.r2(), r.r2(), 0, "R² of the best iterate");
        assertEquals(stopped.rmse(), r.rmse(), 0, "RMSE of the best iterate");
        assertTrue(Double.isFinite(r.r2()));
    }

    /**
     * FISTA with its gradient restart, iterated here in plain Java on the raw problem (no intercept, no
     * standardization: J(w) = ‖Xw − y‖²/(2m) + λ₁‖w‖₁): the objective of every iteration matches, and the reference
     * restarts several times in these iterations (momentum pointing uphill resets t to 1).
     */
    @Test
    void fistaFollowsTheTextbookIterationWithRestarts() {
        Dataset d = data();
        int m = d.rows();
        double[][] x = new double[m][3];
        double[] yv = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < 3; j++) x[i][j] = d.x().get(i, j);
            yv[i] = d.y(i);
        }
        double alpha = 0.05;
        double l1 = 0.05;
        int iterations = 40;
        FitResult r = LinearRegression.fit(d, FitOptions.builder().solver(Solver.NESTEROV).l1(l1).learningRate(alpha)
                .intercept(false).standardize(false).gradientTolerance(0).lossChangeTolerance(0)
                .maxIterations(iterations).build());
        assertEquals(iterations, r.iterations(), r.message());
        double[] h = r.historyLoss();
        double[] xk = new double[3];
        double[] yk = new double[3];
        double[] next = new double[3];
        double t = 1;
        int restarts = 0;
        for (int k = 0; k <= iterations; k++) {
            double[] g = new double[3];
            double ss = 0;
            for (int i = 0; i < m; i++) {
                double res = -yv[i];
                for (int j = 0; j < 3; j++) res += x[i][j] * yk[j];
                ss += res * res;
                for (int j = 0; j < 3; j++) g[j] += res * x[i][j] / m;
            }
            double f = ss / (2 * m) + l1 * (Math.abs(yk[0]) + Math.abs(yk[1]) + Math.abs(yk[2]));
            assertEquals(f, h[k], 1e-12 * f, "objective at iteration " + k);
            if (k == iterations) break;
            double gs = 0;
            for (int j = 0; j < 3; j++) {
                double v = yk[j] - alpha * g[j];
                next[j] = Math.signum(v) * Math.max(Math.abs(v) - alpha * l1, 0);
                gs += (yk[j] - next[j]) * (next[j] - xk[j]);
            }
            if (gs > 0) {
                t = 1;
                restarts++;
            }
            double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            double beta = (t - 1) / tNext;
            for (int j = 0; j < 3; j++) {
                yk[j] = next[j] + beta * (next[j] - xk[j]);
                xk[j] = next[j];
            }
            t = tNext;
        }
        assertTrue(restarts >= 2, "the reference restarted " + restarts + " times");
        assertArrayEquals(yk, r.coefficients(), 1e-12, "the last point");
    }
}
