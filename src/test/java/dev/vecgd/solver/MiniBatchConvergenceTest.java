package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mini-batch fits against the exact least-squares solution (normal equations in the test): the default
 * (variance-reduced steps, constant automatic rate) converges — CONVERGED on the full-batch gradient, coefficients
 * to 1e-4 relative — in a bounded number of epochs for every seed and batch size; plain SGD with a constant step
 * (the only mini-batch mode before) does not, and never claims to; schedules and averaging get plain SGD closer.
 */
class MiniBatchConvergenceTest {

    static final int M = 2000;
    static final int N = 6;
    static final int[] BATCHES = {16, 128, 512};
    static final long[] SEEDS = {1, 2, 3};
    /** The documented bound: well-conditioned data, 2,000 rows, any of these batches, at most this many epochs. */
    static final int MAX_EPOCHS = 60;

    /** max over coefficients of |β − β*|/|β*|, and the intercept relative to |b*| + Σ|μ_j β*_j| (what it absorbs). */
    static double relativeError(FitResult r, double[] exact, Dataset d) {
        double err = 0;
        double absorbed = Math.abs(exact[N]);
        for (int j = 0; j < N; j++) {
            err = Math.max(err, Math.abs(r.coefficient(j) - exact[j]) / Math.abs(exact[j]));
            double mean = 0;
            for (int i = 0; i < d.rows(); i++) mean += d.x().get(i, j);
            absorbed += Math.abs(mean / d.rows() * exact[j]);
        }
        return Math.max(err, Math.abs(r.intercept() - exact[N]) / absorbed);
    }

    static Dataset data(long seed) {
        return TestProblems.synthetic(M, N, 0.5, 100 + seed);
    }

    @Test
    void defaultMiniBatchReachesTheExactSolutionInBoundedEpochs() {
        int checked = 0;
        for (long seed : SEEDS) {
            Dataset d = data(seed);
            double[] exact = TestProblems.normalEquations(d, true, 0);
            for (int b : BATCHES) {
                FitResult r = LinearRegression.fit(d, FitOptions.builder().batchSize(b).seed(seed).build());
                double err = relativeError(r, exact, d);
                String what = String.format(Locale.ROOT, "seed %d batch %d: %s after %d epochs, rel. error %.2e, %s",
                        seed, b, r.stopReason(), r.iterations(), err, r.message());
                System.out.println("mini-batch default: " + what);
                assertEquals(StopReason.CONVERGED, r.stopReason(), what);
                assertTrue(r.iterations() <= MAX_EPOCHS, what);
                assertTrue(err <= 1e-4, what);
                assertTrue(r.passes() >= 2L * r.iterations() + 1, "one B-row sweep and one full pass per epoch: " + what);
                checked++;
            }
        }
        assertEquals(SEEDS.length * BATCHES.length, checked);
    }

    @Test
    void momentumAndNesterovMiniBatchesConvergeToo() {
        Dataset d = data(1);
        double[] exact = TestProblems.normalEquations(d, true, 0);
        for (Solver s : new Solver[] {Solver.MOMENTUM, Solver.NESTEROV}) {
            for (int b : BATCHES) {
                FitResult r = LinearRegression.fit(d, FitOptions.builder().solver(s).batchSize(b).build());
                double err = relativeError(r, exact, d);
                String what = s + " batch " + b + ": " + r.stopReason() + " after " + r.iterations() + " epochs, error "
                        + err + ": " + r.message();
                System.out.println("mini-batch " + what);
                assertEquals(StopReason.CONVERGED, r.stopReason(), what);
                assertTrue(r.iterations() <= MAX_EPOCHS, what);
                assertTrue(err <= 1e-4, what);
            }
        }
    }

    @Test
    void varianceReducedStepsHonourL2AndNoIntercept() {
        Dataset d = data(2);
        for (boolean intercept : new boolean[] {true, false}) {
            for (double l2 : new double[] {0, 0.5}) {
                FitResult exact = LinearRegression.fit(d, FitOptions.builder().solver("normal").intercept(intercept)
                        .l2(l2).build());
                FitResult r = LinearRegression.fit(d, FitOptions.builder().batchSize(64).intercept(intercept).l2(l2)
                        .build());
                String what = "intercept " + intercept + " l2 " + l2 + ": " + r.stopReason() + " after " + r.iterations()
                        + " epochs: " + r.message();
                System.out.println("mini-batch " + what);
                assertEquals(StopReason.CONVERGED, r.stopReason(), what);
                for (int j = 0; j < N; j++) {
                    assertEquals(exact.coefficient(j), r.coefficient(j), 1e-6 * Math.abs(exact.coefficient(j)), what);
                }
            }
        }
    }

    @Test
    void plainConstantStepSgdNeverClaimsConvergence() {
        for (long seed : SEEDS) {
            Dataset d = data(seed);
            double[] exact = TestProblems.normalEquations(d, true, 0);
            FitResult r = LinearRegression.fit(d, FitOptions.builder().batchSize(16).seed(seed)
                    .varianceReduction(false).maxIterations(2000).build());
            double err = relativeError(r, exact, d);
            String what = "seed " + seed + ": " + r.stopReason() + " after " + r.iterations() + " epochs, error " + err
                    + ": " + r.message();
            System.out.println("plain constant SGD " + what);
            assertFalse(r.converged(), what);
            assertNotEquals(StopReason.DIVERGED, r.stopReason(), what);
            assertEquals(StopReason.STALLED, r.stopReason(), what);
            assertTrue(r.message().contains("noise floor"), what);
            assertTrue(err > 1e-4, "the constant step's noise floor is above 1e-4: " + what);
        }
    }

    @Test
    void schedulesAndAveragingBeatTheConstantStep() {
        Dataset d = data(1);
        double[] exact = TestProblems.normalEquations(d, true, 0);
        FitOptions.Builder plain = FitOptions.builder().batchSize(16).seed(1).varianceReduction(false).maxIterations(200)
                .noImprovement(200, 0.1);
        double constant = relativeError(LinearRegression.fit(d, plain.build()), exact, d);
        for (StepSchedule s : new StepSchedule[] {StepSchedule.inverseScaling(0.5), StepSchedule.inverseTime(1)}) {
            FitResult r = LinearRegression.fit(d, plain.schedule(s).averaging(true).build());
            double err = relativeError(r, exact, d);
            String what = s + " averaged: " + r.stopReason() + " after " + r.iterations() + " epochs, error " + err
                    + " (constant step: " + constant + "): " + r.message();
            System.out.println("plain SGD " + what);
            assertFalse(r.converged(), what);
            assertTrue(err < constant / 3, what);
        }
    }

    @Test
    void scheduleFormulasAndValidation() {
        assertEquals(1, StepSchedule.constant().factor(7.5));
        assertEquals(1 / Math.sqrt(4), StepSchedule.inverseScaling(0.5).factor(3), 1e-15);
        assertEquals(1 / (1 + 3 / 2.0), StepSchedule.inverseTime(2).factor(3), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> StepSchedule.inverseScaling(0));
        assertThrows(IllegalArgumentException.class, () -> StepSchedule.inverseScaling(1.5));
        assertThrows(IllegalArgumentException.class, () -> StepSchedule.inverseTime(0));
        assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().noImprovement(0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().noImprovement(5, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FitOptions.builder().averaging(true).build());
        assertTrue(e.getMessage().contains("varianceReduction"), e.getMessage());
    }
}
