package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mini-batch fits with sample weights ({@link LinearRegression#fit(Dataset, double[], FitOptions)} with a batch size)
 * against the heap full-batch weighted optimum (the weighted normal equations at a tight tolerance): the
 * variance-reduced default converges (CONVERGED on the full weighted gradient) to it for gd, momentum and nesterov and
 * several batch sizes; zero-weight rows are ignored however wild; integer weights give the repeated rows' optimum;
 * plain SGD with a constant step never claims convergence it does not have.
 */
class WeightedMiniBatchTest {

    static final int M = 2000;
    static final int N = 6;

    /** Weights in (0.2, 3), every 9th row 0 with its y replaced by an outlier (it must not matter); modifies d's y. */
    static double[] weights(Dataset d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] w = new double[d.rows()];
        for (int i = 0; i < w.length; i++) {
            if (i % 9 == 4) {
                w[i] = 0;
                dev.vecgd.kernel.StridedVector y = d.y();
                y.data()[y.offset() + i * y.stride()] = 1e4 * (rnd.nextDouble() - 0.5);
            } else {
                w[i] = 0.2 + 2.8 * rnd.nextDouble();
            }
        }
        return w;
    }

    static void assertNear(FitResult want, FitResult got, double tol, String what) {
        assertEquals(StopReason.CONVERGED, got.stopReason(), what + ": " + got.message());
        double scale = 0;
        for (double v : want.coefficients()) scale = Math.max(scale, Math.abs(v));
        for (int j = 0; j < N; j++) {
            assertEquals(want.coefficient(j), got.coefficient(j), tol * scale, what + " β" + j);
        }
        assertEquals(want.intercept(), got.intercept(), tol * (1 + Math.abs(want.intercept()) + scale * 10), what + " b");
        assertEquals(want.r2(), got.r2(), tol, what + " R²");
    }

    @Test
    void varianceReducedMiniBatchesReachTheWeightedOptimum() {
        Dataset d = TestProblems.synthetic(M, N, 0.5, 77);
        double[] w = weights(d, 5);
        FitResult exact = LinearRegression.fit(d, w, FitOptions.builder().solver("normal").gradientTolerance(1e-14).build());
        assertTrue(exact.converged(), exact.message());
        int checked = 0;
        for (String solver : new String[] {"gd", "momentum", "nesterov"}) {
            for (int b : new int[] {16, 128, 512}) {
                FitResult r = LinearRegression.fit(d, w, FitOptions.builder().solver(solver).batchSize(b).seed(b)
                        .maxIterations(200).build());
                String what = solver + " batch " + b + " (" + r.iterations() + " epochs)";
                assertNear(exact, r, 1e-5, what);
                assertTrue(r.message().contains("epochs of variance-reduced mini-batches"), r.message());
                checked++;
            }
        }
        assertEquals(9, checked);
    }

    @Test
    void integerWeightsGiveTheRepeatedRowsOptimumAndPlainSgdIsHonest() {
        double[] iw = WeightedFitTest.integerWeights(9);
        Dataset data = Dataset.of(WeightedFitTest.X, WeightedFitTest.Y);
        FitResult rep = LinearRegression.fit(WeightedFitTest.repeated(iw), FitOptions.builder().solver("normal").build());
        FitResult mb = LinearRegression.fit(data, iw, FitOptions.builder().batchSize(32).maxIterations(500).build());
        assertNear(rep, mb, 1e-5, "integer weights, batch 32");
        // plain SGD at a constant step stalls at its noise floor: never CONVERGED unless the gradient rule really holds
        FitResult plain = LinearRegression.fit(data, iw, FitOptions.builder().batchSize(32).varianceReduction(false)
                .maxIterations(300).build());
        if (plain.converged()) {
            assertTrue(plain.relativeGradient() <= FitOptions.defaults().gradientTolerance(), plain.message());
        } else {
            assertTrue(plain.stopReason() == StopReason.STALLED || plain.stopReason() == StopReason.MAX_ITERATIONS,
                    plain.stopReason() + ": " + plain.message());
        }
    }

    @Test
    void equalWeightsMiniBatchMatchesTheUnweightedMiniBatchOptimum() {
        Dataset d = TestProblems.synthetic(M, N, 0.5, 78);
        double[] ones = new double[M];
        java.util.Arrays.fill(ones, 2.5);
        FitResult unweighted = LinearRegression.fit(d, FitOptions.builder().solver("normal").build());
        FitResult r = LinearRegression.fit(d, ones, FitOptions.builder().batchSize(64).build());
        assertNear(unweighted, r, 1e-5, "equal weights, batch 64");
    }
}
