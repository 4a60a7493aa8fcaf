package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The safeguards of the automatic rate ({@link LearningRates}) that its javadoc promises: L̂ capped by the trace T ≥ L
 * (T + λn with a penalty), T when there is no estimate, λ or 1 when there is nothing at all (X ≡ 0); the
 * overflow-safe norm of the power iteration.
 */
class LearningRateSafeguardsTest {

    @Test
    void normRescalesWhenTheSquaresOverflowOrUnderflow() {
        assertEquals(5, LearningRates.norm(new double[]{3, 4}), 0);
        assertEquals(5e200, LearningRates.norm(new double[]{3e200, 4e200}), 1e186);
        assertEquals(5e-200, LearningRates.norm(new double[]{3e-200, -4e-200}), 1e-214);
        assertEquals(0, LearningRates.norm(new double[]{0, 0}), 0);
        assertEquals(Double.POSITIVE_INFINITY, LearningRates.norm(new double[]{Double.POSITIVE_INFINITY, 1}));
        // squares just above the normal range: the plain sum
        double a = Math.sqrt(Double.MIN_NORMAL);
        assertEquals(Math.sqrt(2) * a, LearningRates.norm(new double[]{a, a}), 1e-15 * a);
    }

    @Test
    void theGramEstimateIsCappedByTheTrace() {
        Dataset d = PreconditionedCgTest.correlated(500, 4, 0.3, 3)[0];
        FitOptions o = FitOptions.builder().solver("gd").build();
        OnePassNormal.Prepared one = OnePassNormal.of(d, o);
        GramMatrix gm = one.gram();
        double trace = one.scaling().trace();
        double l = LearningRates.largestEigenvalue(gm, 0, trace);
        assertEquals(GramRateTest.jacobiLargest(gm.hessian(0), gm.k), l, 1e-8 * l);
        assertTrue(l < trace);
        assertEquals(l / 2, LearningRates.largestEigenvalue(gm, 0, l / 2), 0, "a trace below L̂ caps it");
        assertEquals(l / 2 + 0.25 * 4, LearningRates.largestEigenvalue(gm, 0.25, l / 2), 1e-15,
                "the cap is T + λn (the intercept is not penalized)");
        assertEquals(l, LearningRates.largestEigenvalue(gm, 0, Double.NaN), 0, "no cap from an unknown trace");
        double l2 = LearningRates.largestEigenvalue(gm, 0.25, trace);
        assertEquals(GramRateTest.jacobiLargest(gm.hessian(0.25), gm.k), l2, 1e-8 * l2, "H = G + λP");
    }

    @Test
    void withoutAnyActiveColumnTheRateComesFromTheTraceOrThePenalty() {
        // one all-zero column, no intercept: nothing to iterate on; T = 0
        Dataset zero = Dataset.rowMajor(new double[8], 8, 1, new double[]{1, 2, 3, 4, 5, 6, 7, 8});
        FitOptions plain = FitOptions.builder().intercept(false).build();
        OnePassNormal.Prepared one = OnePassNormal.of(zero, plain);
        assertEquals(0, one.scaling().trace(), 0);
        assertEquals(1, LearningRates.largestEigenvalue(one.gram(), 0, 0), 0, "nothing at all: 1");
        assertEquals(0.5, LearningRates.largestEigenvalue(one.gram(), 0.5, 0), 0, "T + λn = 0.5");
        assertEquals(3, LearningRates.largestEigenvalue(one.gram(), 0, 3), 0, "no estimate: T");
        // the power iteration through the kernels (standardization off): the same safeguards
        for (double l2 : new double[]{0, 0.5}) {
            FitResult r = LinearRegression.fit(zero, FitOptions.builder().intercept(false).standardize(false).l2(l2)
                    .maxIterations(0).build());
            assertEquals(FitOptions.AUTO_SAFETY / (l2 > 0 ? l2 : 1), r.learningRate(), 1e-15, "λ = " + l2);
        }
    }

    @Test
    void thePowerIterationThroughTheKernelsIsCappedByTheTrace() {
        // standardization off: T = Σ rms(x_j)² (+1); two identical columns of rms r give L = 2r² exactly = T
        // (without intercept), so L̂ ≤ T holds with equality in the limit and the rate is c/T to the tolerance
        double[] x = new double[200 * 2];
        double[] y = new double[200];
        for (int i = 0; i < 200; i++) {
            x[2 * i] = x[2 * i + 1] = 1 + (i % 10);
            y[i] = i % 3;
        }
        Dataset d = Dataset.rowMajor(x, 200, 2, y);
        double t = 0;
        for (int i = 0; i < 200; i++) t += 2 * x[2 * i] * x[2 * i] / 200;
        FitResult r = LinearRegression.fit(d, FitOptions.builder().intercept(false).standardize(false).maxIterations(0)
                .build());
        double rate = r.learningRate();
        assertTrue(rate >= FitOptions.AUTO_SAFETY / t * (1 - 1e-12), "never above the trace: rate " + rate + ", c/T "
                + FitOptions.AUTO_SAFETY / t);
        assertTrue(rate <= FitOptions.AUTO_SAFETY / t * (1 + LearningRates.POWER_TOLERANCE), "rate " + rate);
    }
}
