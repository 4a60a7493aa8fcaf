package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Mini-batch epochs of {@link LinearRegression}'s descent loop against the same epochs computed here in plain double
 * arithmetic on the standardized problem: the seeded shuffle of every epoch, every batch (the last one partial), the
 * schedule's step α·s(rows seen / m), plain and variance-reduced steps (g_B(w) − g_B(w̃) + ∇J(w̃), w̃ the start of
 * the epoch), the running average after the first epoch, and momentum carried across batches. After one and two
 * epochs the returned coefficients, intercept and loss are those of the hand computation.
 */
class MiniBatchStepsTest {

    private static final int M = 7;
    private static final int BATCH = 3;

    private static Dataset data() {
        SplittableRandom rnd = new SplittableRandom(40);
        double[] x = new double[M * 2];
        double[] y = new double[M];
        for (int i = 0; i < M; i++) {
            x[2 * i] = 2 + TestProblems.gaussian(rnd);
            x[2 * i + 1] = -1 + TestProblems.gaussian(rnd);
            y[i] = 1 + 3 * x[2 * i] - x[2 * i + 1] + 0.2 * TestProblems.gaussian(rnd);
        }
        return Dataset.rowMajor(x, M, 2, y);
    }

    /** The standardized rows ã_i (ones last) with the library's own μ and σ. */
    private static double[][] design(Dataset d, Standardization s) {
        double[][] a = new double[M][3];
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < 2; j++) a[i][j] = (d.x(i, j) - s.mean(j)) * s.scale(j);
            a[i][2] = 1;
        }
        return a;
    }

    /** (1/|B|) Σ_{i ∈ B} ã_i (ã_i·w − t_i) over rows order[from..to), t = y or 0. */
    private static double[] gradient(double[][] a, double[] t, double[] w, int[] order, int from, int to) {
        double[] g = new double[3];
        for (int k = from; k < to; k++) {
            int i = order[k];
            double r = a[i][0] * w[0] + a[i][1] * w[1] + a[i][2] * w[2] - t[i];
            for (int j = 0; j < 3; j++) g[j] += r * a[i][j] / (to - from);
        }
        return g;
    }

    private static double loss(double[][] a, double[] y, double[] w) {
        double s = 0;
        for (int i = 0; i < M; i++) {
            double r = a[i][0] * w[0] + a[i][1] * w[1] + w[2] - y[i];
            s += r * r;
        }
        return s / (2 * M);
    }

    /** The point after {@code epochs} epochs, as the loop computes it. */
    private static double[] epochs(double[][] a, double[] y, int epochs, double alpha, StepSchedule schedule,
                                   boolean reduced, boolean averaging, Optimizer opt) {
        int[] order = new int[M];
        for (int i = 0; i < M; i++) order[i] = i;
        SplittableRandom rnd = new SplittableRandom(42); // FitOptions' default seed
        int[] all = order.clone();
        double[] w = new double[3];
        double[] avg = w.clone();
        long averaged = 0;
        long rowsSeen = 0;
        double[] zero = new double[M];
        for (int e = 0; e < epochs; e++) {
            double[] anchor = w.clone();
            double[] anchorGrad = gradient(a, y, anchor, all, 0, M);
            for (int i = M - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < M; from += BATCH) {
                int to = Math.min(from + BATCH, M);
                double rate = alpha * schedule.factor((double) rowsSeen / M);
                double[] g;
                if (reduced) {
                    double[] diff = {w[0] - anchor[0], w[1] - anchor[1], w[2] - anchor[2]};
                    g = gradient(a, zero, diff, order, from, to);
                    for (int j = 0; j < 3; j++) g[j] += anchorGrad[j];
                } else {
                    g = gradient(a, y, w, order, from, to);
                }
                opt.step(w, g, rate);
                rowsSeen += to - from;
                if (averaging && e >= 1) {
                    averaged++;
                    for (int j = 0; j < 3; j++) avg[j] += (w[j] - avg[j]) / averaged;
                } else if (averaging) {
                    avg = w.clone();
                }
            }
        }
        return averaging ? avg : w;
    }

    private static void check(Dataset d, String what, FitOptions.Builder b, boolean reduced, boolean averaging,
                              Solver solver, StepSchedule schedule) {
        double alpha = 0.2;
        for (int k = 1; k <= 2; k++) {
            FitResult r = LinearRegression.fit(d, b.solver(solver).learningRate(alpha).batchSize(BATCH).schedule(schedule)
                    .gradientTolerance(0).maxIterations(k).build());
            Standardization s = Standardization.compute(d, true, true);
            double[][] a = design(d, s);
            double[] y = new double[M];
            for (int i = 0; i < M; i++) y[i] = d.y(i);
            Optimizer opt = solver == Solver.MOMENTUM ? new HeavyBallMomentum() : new PlainGradientDescent();
            double[] w = epochs(a, y, k, alpha, schedule, reduced, averaging, opt);
            String at = what + " after " + k + " epochs";
            assertEquals(StopReason.MAX_ITERATIONS, r.stopReason(), at + ": " + r.message());
            assertEquals(k, r.iterations(), at);
            double b0 = w[0] * s.scale(0);
            double b1 = w[1] * s.scale(1);
            assertEquals(b0, r.coefficient(0), 1e-11 * (1 + Math.abs(b0)), at + " θ1");
            assertEquals(b1, r.coefficient(1), 1e-11 * (1 + Math.abs(b1)), at + " θ2");
            assertEquals(w[2] - s.mean(0) * b0 - s.mean(1) * b1, r.intercept(), 1e-10, at + " intercept");
            assertEquals(loss(a, y, w), r.loss(), 1e-11 * r.loss(), at + " loss at the returned point");
        }
    }

    @Test
    void plainMiniBatchEpochs() {
        check(data(), "plain SGD", FitOptions.builder().varianceReduction(false), false, false, Solver.GD,
                StepSchedule.constant());
    }

    @Test
    void aScheduleShrinksTheStepByRowsSeen() {
        check(data(), "plain SGD, 1/(1 + t/2)", FitOptions.builder().varianceReduction(false), false, false, Solver.GD,
                StepSchedule.inverseTime(2));
    }

    @Test
    void varianceReducedEpochs() {
        check(data(), "variance-reduced", FitOptions.builder().varianceReduction(true), true, false, Solver.GD,
                StepSchedule.constant());
    }

    @Test
    void averagedEpochs() {
        check(data(), "averaged SGD", FitOptions.builder().varianceReduction(false).averaging(true), false, true,
                Solver.GD, StepSchedule.constant());
    }

    @Test
    void momentumAcrossBatches() {
        check(data(), "momentum SGD", FitOptions.builder().varianceReduction(false), false, false, Solver.MOMENTUM,
                StepSchedule.constant());
    }

    @Test
    void aStalledMiniBatchFitReturnsItsBestEpoch() {
        // plain SGD with a fixed step reaches its noise floor: no epoch lowers the full-batch gradient
        // below half its best value for 3 epochs, and the fit returns the epoch of the lowest full-batch loss
        FitResult r = LinearRegression.fit(data(), FitOptions.builder().varianceReduction(false).learningRate(0.3)
                .batchSize(BATCH).noImprovement(3, 0.5).maxIterations(200).build());
        assertEquals(StopReason.STALLED, r.stopReason(), r.message());
        assertTrue(r.message().startsWith("not converged: stalled after " + r.iterations() + " epochs of plain"
                + " mini-batches of 3 rows (constant step) at the mini-batch noise floor: the full-batch ‖∇J‖ did not"
                + " fall below 0.500000 × "), r.message());
        assertTrue(r.message().contains(" in 3 epochs; ‖∇J‖/S = "), r.message());
        double[] h = r.historyLoss();
        double best = Double.POSITIVE_INFINITY;
        int bestK = -1;
        for (int k = 0; k < h.length; k++) {
            if (h[k] < best) {
                best = h[k];
                bestK = k;
            }
        }
        assertEquals(best, r.loss(), 0, "the lowest full-batch loss seen");
        assertTrue(r.message().endsWith("Returned the parameters of the lowest full-batch loss seen (epoch " + bestK
                + ")."), r.message());
    }
}
