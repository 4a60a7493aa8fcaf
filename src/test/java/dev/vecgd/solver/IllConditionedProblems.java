package dev.vecgd.solver;

import dev.vecgd.data.Dataset;

import java.util.SplittableRandom;

/**
 * Ill-conditioned polynomial regressions generated in the tests, whose exact least-squares solution of the double
 * data comes from {@link ExactLeastSquares} (BigDecimal), never from the library:
 * <ul>
 *   <li>{@code wampler0}: degree 5 on x = 0…20, y = 1 + x + … + x⁵ (integers, exact in double): zero residual,
 *   the solution is all ones (NIST Wampler1's design; κ of the standardized XᵀX ≈ 10⁶–10⁷);</li>
 *   <li>{@code wamplerNoise}: the same design, y + 10⁴·N(0, 1)-like noise rounded to double (nonzero residual);</li>
 *   <li>{@code wamplerLarge}: the same design, noise 10⁷ (residuals larger than most of y's variation);</li>
 *   <li>{@code filipLike}: degree 10 on 82 values of x clustered in [−8.8, −3.1] (NIST Filip's range) and a smooth
 *   y ≈ 0.8–0.95 plus small noise: κ ≈ 10¹⁵–10¹⁹.</li>
 * </ul>
 */
final class IllConditionedProblems {

    /** A generated problem with its exact answer. */
    record Problem(String name, double[][] x, double[] y, boolean intercept, ExactLeastSquares exact) {
        Dataset dataset() {
            return Dataset.of(x, y);
        }
    }

    private IllConditionedProblems() {
    }

    static Problem[] all() {
        return new Problem[] {wampler0(), wamplerNoise("wamplerNoise", 1e4, 5), wamplerNoise("wamplerLarge", 1e7, 6),
                filipLike()};
    }

    static Problem wampler0() {
        double[][] x = powers(range(21), 5);
        double[] y = new double[21];
        for (int i = 0; i < 21; i++) {
            double s = 0;
            for (int k = 5; k >= 0; k--) s = s * i + 1; // Horner, exact: integers below 2⁵³
            y[i] = s;
        }
        return problem("wampler0", x, y);
    }

    static Problem wamplerNoise(String name, double noise, long seed) {
        Problem base = wampler0();
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] y = base.y().clone();
        for (int i = 0; i < y.length; i++) y[i] += noise * (rnd.nextDouble() * 2 - 1);
        return problem(name, base.x(), y);
    }

    static Problem filipLike() {
        int m = 82;
        SplittableRandom rnd = new SplittableRandom(11);
        double[] t = new double[m];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            t[i] = -8.8 + 5.7 * rnd.nextDouble();
            double u = (t[i] + 6) / 3;
            y[i] = 0.87 + 0.05 * Math.sin(2.5 * u) - 0.02 * u * u * u + 0.003 * (rnd.nextDouble() - 0.5);
        }
        return problem("filipLike", powers(t, 10), y);
    }

    private static Problem problem(String name, double[][] x, double[] y) {
        return new Problem(name, x, y, true, ExactLeastSquares.of(x, y, true));
    }

    private static double[] range(int m) {
        double[] t = new double[m];
        for (int i = 0; i < m; i++) t[i] = i;
        return t;
    }

    /** Columns t, t², …, t^degree (each power rounded to double once, as a user's table would hold it). */
    private static double[][] powers(double[] t, int degree) {
        double[][] x = new double[t.length][degree];
        for (int i = 0; i < t.length; i++) {
            double p = 1;
            for (int k = 0; k < degree; k++) {
                p *= t[i];
                x[i][k] = p;
            }
        }
        return x;
    }
}
