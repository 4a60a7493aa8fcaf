package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The full-batch descent loop of {@link LinearRegression} step by step, against the iteration computed here in plain
 * double arithmetic on the standardized problem (μ, σ and the gradient (1/m)Ãᵀ(Ãw − y) from the data): after one,
 * two and three steps of {@code gd} and {@code momentum} with a fixed α the returned coefficients, intercept, loss
 * and history are those of the hand iteration; a diverging rate returns the start (the lowest loss seen) with its
 * loss, R² and RMSE, and says which rate to change.
 */
class GradientDescentStepsTest {

    private static final int M = 60;

    private static Dataset data() {
        SplittableRandom rnd = new SplittableRandom(12);
        double[] x = new double[M * 2];
        double[] y = new double[M];
        for (int i = 0; i < M; i++) {
            x[2 * i] = 4 + TestProblems.gaussian(rnd);
            x[2 * i + 1] = -1 + 2 * TestProblems.gaussian(rnd) + 0.5 * x[2 * i];
            y[i] = 3 + 2 * x[2 * i] - x[2 * i + 1] + 0.3 * TestProblems.gaussian(rnd);
        }
        return Dataset.rowMajor(x, M, 2, y);
    }

    /** The standardized design Ã (with the ones column last). */
    private static double[][] design(Dataset d, double[] mu, double[] sd) {
        for (int j = 0; j < 2; j++) {
            double s = 0;
            for (int i = 0; i < M; i++) s += d.x(i, j);
            mu[j] = s / M;
            double q = 0;
            for (int i = 0; i < M; i++) q += (d.x(i, j) - mu[j]) * (d.x(i, j) - mu[j]);
            sd[j] = Math.sqrt(q / M);
        }
        double[][] a = new double[M][3];
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < 2; j++) a[i][j] = (d.x(i, j) - mu[j]) / sd[j];
            a[i][2] = 1;
        }
        return a;
    }

    /** J(w) and ∇J(w) = (1/m)Ãᵀ(Ãw − y) into g. */
    private static double lossAndGradient(double[][] a, Dataset d, double[] w, double[] g) {
        java.util.Arrays.fill(g, 0);
        double ss = 0;
        for (int i = 0; i < M; i++) {
            double r = a[i][0] * w[0] + a[i][1] * w[1] + w[2] - d.y(i);
            ss += r * r;
            for (int j = 0; j < 3; j++) g[j] += r * a[i][j] / M;
        }
        return ss / (2 * M);
    }

    private static void assertFitIs(double[] w, double[] mu, double[] sd, double loss, FitResult r, String what) {
        double b0 = w[0] / sd[0];
        double b1 = w[1] / sd[1];
        assertEquals(b0, r.coefficient(0), 1e-11 * Math.abs(b0) + 1e-13, what + " θ1");
        assertEquals(b1, r.coefficient(1), 1e-11 * Math.abs(b1) + 1e-13, what + " θ2");
        double b = w[2] - mu[0] * b0 - mu[1] * b1;
        assertEquals(b, r.intercept(), 1e-11 * Math.abs(b) + 1e-12, what + " intercept");
        assertEquals(loss, r.loss(), 1e-11 * loss, what + " loss");
    }

    @Test
    void gdAndMomentumStepsAreTheHandIteration() {
        Dataset d = data();
        double[] mu = new double[2];
        double[] sd = new double[2];
        double[][] a = design(d, mu, sd);
        double alpha = 0.3;
        for (Solver s : new Solver[]{Solver.GD, Solver.MOMENTUM, Solver.NESTEROV}) {
            Optimizer opt = s == Solver.GD ? new PlainGradientDescent()
                    : s == Solver.MOMENTUM ? new HeavyBallMomentum() : new NesterovMomentum();
            double[] w = new double[3];
            double[] g = new double[3];
            double[] losses = new double[4];
            losses[0] = lossAndGradient(a, d, w, g);
            for (int k = 1; k <= 3; k++) {
                opt.step(w, g, alpha);
                losses[k] = lossAndGradient(a, d, w, g);
                FitResult r = LinearRegression.fit(d, FitOptions.builder().solver(s).learningRate(alpha)
                        .gradientTolerance(0).maxIterations(k).build());
                assertEquals(StopReason.MAX_ITERATIONS, r.stopReason(), r.message());
                assertEquals(k, r.iterations());
                assertFitIs(w, mu, sd, losses[k], r, s + " after " + k + " steps");
                double[] h = r.historyLoss();
                assertEquals(k + 1, h.length);
                for (int e = 0; e <= k; e++) assertEquals(losses[e], h[e], 1e-11 * losses[e], s + " history " + e);
                assertEquals(alpha, r.learningRate());
                assertEquals(s.id(), r.optimizer());
            }
        }
    }

    @Test
    void aDivergingRateReturnsTheStart() {
        Dataset d = data();
        FitResult r = LinearRegression.fit(d, FitOptions.builder().learningRate(50).build());
        assertEquals(StopReason.DIVERGED, r.stopReason());
        assertTrue(r.message().endsWith(" with learning rate α = 50.0000; use a smaller rate or the automatic rate"
                + " (FitOptions.builder().autoLearningRate(), the default). Returned the parameters of the lowest loss"
                + " seen (iteration 0)."), r.message());
        assertArrayEquals(new double[2], r.coefficients(), 0);
        assertEquals(0, r.intercept(), 0);
        double sy2 = 0, my = 0;
        for (int i = 0; i < M; i++) {
            sy2 += d.y(i) * d.y(i);
            my += d.y(i) / M;
        }
        double syy = 0;
        for (int i = 0; i < M; i++) syy += (d.y(i) - my) * (d.y(i) - my);
        assertEquals(sy2 / (2 * M), r.loss(), 1e-12 * sy2, "J at the start");
        assertEquals(r.historyLoss()[0], r.loss(), 0);
        assertEquals(Math.sqrt(sy2 / M), r.rmse(), 1e-12 * Math.sqrt(sy2 / M));
        assertEquals(1 - sy2 / syy, r.r2(), 1e-10 * Math.abs(1 - sy2 / syy));
    }

    /**
     * A fixed step α = 2.3/L (a little above 2/L) from the solution with its intercept off by 1 and its coefficients
     * by 1e-3: the loss first falls (the intercept's error shrinks), then the error along the top eigen-direction
     * grows by 1.3 per step until the fit is DIVERGED. It returns the lowest-loss iterate, after iteration 0: the
     * same coefficients, loss, R² and RMSE as the same fit stopped by maxIterations at that iteration.
     */
    @Test
    void divergenceAfterProgressReturnsTheBestIterate() {
        Dataset d = data();
        FitResult solution = LinearRegression.fit(d, FitOptions.builder().solver(Solver.NORMAL).build());
        double auto = LinearRegression.fit(d, FitOptions.builder().solver(Solver.GD).maxIterations(1).build())
                .learningRate();
        double rate = 2.3 / FitOptions.AUTO_SAFETY * auto; // auto: α = AUTO_SAFETY/L
        double[] start = solution.coefficients().clone();
        for (int j = 0; j < start.length; j++) start[j] += 1e-3;
        FitOptions.Builder b = FitOptions.builder().solver(Solver.GD).learningRate(rate)
                .warmStart(start, solution.intercept() + 1);
        FitResult r = LinearRegression.fit(d, b.build());
        assertEquals(StopReason.DIVERGED, r.stopReason(), r.message());
        java.util.regex.Matcher at = java.util.regex.Pattern.compile("\\(iteration (\\d+)\\)").matcher(r.message());
        assertTrue(at.find(), r.message());
        int best = Integer.parseInt(at.group(1));
        assertTrue(best > 0, "the best iterate is not the start: " + r.message());
        assertTrue(r.historyLoss()[best] < r.historyLoss()[0], "progress first");
        FitResult stopped = LinearRegression.fit(d, b.maxIterations(best).build());
        assertEquals(best, stopped.iterations());
        assertArrayEquals(stopped.coefficients(), r.coefficients(), 0, "the best iterate's coefficients");
        assertEquals(stopped.intercept(), r.intercept(), 0);
        assertEquals(stopped.loss(), r.loss(), 0);
        assertEquals(stopped.gradientNorm(), r.gradientNorm(), 0);
        assertEquals(stopped.r2(), r.r2(), 0, "R² of the best iterate");
        assertEquals(stopped.rmse(), r.rmse(), 0, "RMSE of the best iterate");
    }
}
