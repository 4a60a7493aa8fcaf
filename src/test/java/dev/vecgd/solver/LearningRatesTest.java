package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The automatic learning rate against closed forms: for two standardized features with correlation ρ the
 * Hessian of the standardized problem with intercept is diag([[1, ρ], [ρ, 1]] + λI, 1), so L = max(1 + |ρ| + λ, 1)
 * exactly; the mini-batch rate follows the formula of {@link LearningRates#autoMiniBatch} with the largest row
 * curvature computed here. The power iteration stops when its Rayleigh quotient L̂ ≤ L changes by less than
 * {@link LearningRates#POWER_TOLERANCE}: the rate c/L̂ is then at least c/L and at most 0.1 % above.
 */
class LearningRatesTest {

    private static final int M = 500;

    /** x2 = x1 + 0.3·noise: correlation about 0.95, so the power iteration converges in a few steps. */
    private static Dataset correlated() {
        SplittableRandom rnd = new SplittableRandom(9);
        double[] x = new double[M * 2];
        double[] y = new double[M];
        for (int i = 0; i < M; i++) {
            double a = rnd.nextDouble() * 4 + 10;
            double b = a + 0.3 * TestProblems.gaussian(rnd);
            x[2 * i] = a;
            x[2 * i + 1] = b;
            y[i] = 1 + 2 * a - b + 0.1 * TestProblems.gaussian(rnd);
        }
        return Dataset.rowMajor(x, M, 2, y);
    }

    /** [μ1, μ2, σ1, σ2, ρ] with σ the population standard deviation (divisor m), as the standardization uses. */
    private static double[] moments(Dataset d) {
        double m1 = 0, m2 = 0;
        for (int i = 0; i < M; i++) {
            m1 += d.x(i, 0);
            m2 += d.x(i, 1);
        }
        m1 /= M;
        m2 /= M;
        double s11 = 0, s22 = 0, s12 = 0;
        for (int i = 0; i < M; i++) {
            double a = d.x(i, 0) - m1;
            double b = d.x(i, 1) - m2;
            s11 += a * a;
            s22 += b * b;
            s12 += a * b;
        }
        double sd1 = Math.sqrt(s11 / M), sd2 = Math.sqrt(s22 / M);
        return new double[] {m1, m2, sd1, sd2, s12 / Math.sqrt(s11 * s22)};
    }

    @Test
    void fullBatchRateIsSafetyOverTheLargestEigenvalue() {
        Dataset d = correlated();
        double rho = moments(d)[4];
        assertTrue(rho > 0.9, "ρ " + rho);
        for (double lambda : new double[] {0, 0.5}) {
            FitResult r = LinearRegression.fit(d, FitOptions.builder().l2(lambda).maxIterations(0).build());
            double l = Math.max(1 + rho + lambda, 1);
            assertBetween(FitOptions.AUTO_SAFETY / l, r.learningRate(), "λ = " + lambda);
        }
        // the fixed rate is used as given
        FitResult fixed = LinearRegression.fit(d, FitOptions.builder().learningRate(0.25).maxIterations(0).build());
        assertEquals(0.25, fixed.learningRate());
    }

    @Test
    void miniBatchRateUsesTheExpectedSmoothnessOfSampling() {
        Dataset d = correlated();
        double[] mo = moments(d);
        double lambda = 0.1;
        double l = 1 + mo[4] + lambda;
        double lmax = 0;
        for (int i = 0; i < M; i++) {
            double z1 = (d.x(i, 0) - mo[0]) / mo[2];
            double z2 = (d.x(i, 1) - mo[1]) / mo[3];
            lmax = Math.max(lmax, z1 * z1 + z2 * z2);
        }
        lmax += 1 + lambda; // the intercept's column of ones, and λ
        for (int b : new int[] {1, 10, 250, M - 1}) {
            FitResult r = LinearRegression.fit(d, FitOptions.builder().l2(lambda).batchSize(b).maxIterations(0).build());
            double lb = (double) M * (b - 1) / ((double) b * (M - 1)) * l + (double) (M - b) / ((double) b * (M - 1)) * lmax;
            double want = FitOptions.AUTO_SAFETY / Math.max(lb, l);
            assertBetween(want, r.learningRate(), "batch " + b);
        }
        // a batch of all rows is full batch
        assertBetween(FitOptions.AUTO_SAFETY / l, LinearRegression.fit(d, FitOptions.builder().l2(lambda).batchSize(M)
                .maxIterations(0).build()).learningRate(), "batch = m");
    }

    /** want ≤ got ≤ want·(1 + 10⁻³): the estimate L̂ of L is from below, to the power iteration's tolerance. */
    private static void assertBetween(double want, double got, String what) {
        assertTrue(got >= want * (1 - 1e-12) && got <= want * (1 + LearningRates.POWER_TOLERANCE),
                what + ": rate " + got + ", c/L = " + want);
    }

    @Test
    void autoMiniBatchFormula() {
        // L_B = m(B−1)/(B(m−1))·L + (m−B)/(B(m−1))·L_max, α = c/max(L_B, L)
        assertEquals(0.9 / (100.0 * 9 / (10 * 99) * 2 + 90.0 / (10 * 99) * 10), LearningRates.autoMiniBatch(2, 10, 100, 10), 1e-15);
        assertEquals(0.9 / 2, LearningRates.autoMiniBatch(2, 10, 100, 100), 0.0, "B = m: full batch");
        assertEquals(0.9 / 2, LearningRates.autoMiniBatch(2, 10, 100, 200), 0.0, "B > m: full batch");
        assertEquals(0.9 / 2, LearningRates.autoMiniBatch(2, 10, 1, 1), 0.0, "m = 1");
        assertEquals(0.9 / 10, LearningRates.autoMiniBatch(2, 10, 100, 1), 1e-15, "B = 1: the largest row curvature");
        assertEquals(0.9 / 2, LearningRates.autoMiniBatch(2, 1, 100, 10), 1e-15, "never above c/L");
        assertEquals(0.45, LearningRates.auto(2), 0.0);
    }

    /** Constant columns only: nothing to estimate, L = 1 (or λ when penalized), never 0 or NaN. */
    @Test
    void constantFeaturesGiveAFiniteRate() {
        double[] x = new double[M];
        double[] y = new double[M];
        java.util.Arrays.fill(x, 3.0);
        for (int i = 0; i < M; i++) y[i] = i % 7;
        Dataset d = Dataset.rowMajor(x, M, 1, y);
        FitResult r = LinearRegression.fit(d, FitOptions.builder().maxIterations(0).build());
        assertEquals(FitOptions.AUTO_SAFETY, r.learningRate(), 1e-12, "L = 1 (the intercept's curvature)");
    }
}
