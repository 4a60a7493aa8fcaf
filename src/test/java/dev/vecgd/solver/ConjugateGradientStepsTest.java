package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code cg} step by step, against what its javadoc promises: plain CG (a {@link RowSource} without cross products, so
 * no preconditioner) ends in about n + 1 iterations on a well-conditioned problem (a wrong β or direction turns it
 * into a crawl); the loss reported per iteration by the recurrence is the true loss at that iterate (the same fit
 * stopped there re-evaluates it); one iteration is one read of X; the preconditioner is used up to
 * {@value ConjugateGradient#PRECONDITION_MAX_COLUMNS} columns and not above.
 */
class ConjugateGradientStepsTest {

    /** A source that only has the moments and gradient passes (no cross products: cg runs unpreconditioned). */
    private record PlainSource(RowSource inner) implements RowSource {
        @Override
        public int cols() {
            return inner.cols();
        }

        @Override
        public long rows() {
            return inner.rows();
        }

        @Override
        public void moments(double[] center, double[] out) {
            inner.moments(center, out);
        }

        @Override
        public void accumulate(double[] p, boolean withTargets, GradientBuffer into) {
            inner.accumulate(p, withTargets, into);
        }
    }

    /**
     * n features sharing a factor: x_j = 10j + share·z + s_j·e_j with s_j = 1 (spread) or 0.5 + 0.4j (each column its own
     * correlation, so the eigenvalues of the standardized Gram matrix are spread out and cg needs every direction).
     */
    private static Dataset correlated(int m, int n, double share, long seed, boolean spread) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[m * n];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double z = TestProblems.gaussian(rnd);
            double t = 3;
            for (int j = 0; j < n; j++) {
                x[i * n + j] = 10 * j + share * z + (spread ? 0.5 + 0.4 * j : 1) * TestProblems.gaussian(rnd);
                t += (j % 3 - 1) * x[i * n + j];
            }
            y[i] = t + 0.1 * TestProblems.gaussian(rnd);
        }
        return Dataset.rowMajor(x, m, n, y);
    }

    private static double[][] rows(Dataset d) {
        double[][] a = new double[d.rows()][d.cols()];
        for (int i = 0; i < d.rows(); i++) for (int j = 0; j < d.cols(); j++) a[i][j] = d.x(i, j);
        return a;
    }

    private static double[] ys(Dataset d) {
        double[] y = new double[d.rows()];
        for (int i = 0; i < y.length; i++) y[i] = d.y(i);
        return y;
    }

    private static RowSource plain(Dataset d) {
        return new PlainSource(ChunkedRowSource.of(List.of(d)));
    }

    @Test
    void plainCgEndsInAboutNPlusOneIterations() {
        Dataset d = correlated(400, 5, 2, 1, true);
        ExactLeastSquares exact = ExactLeastSquares.of(rows(d), ys(d), true);
        FitResult r = LinearRegression.fit(plain(d), FitOptions.builder().solver(Solver.CG).build());
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        // n + 1 = 6 in exact arithmetic; steepest descent at κ ≈ 20 would need well over 100
        assertTrue(r.iterations() <= 8, "iterations " + r.iterations());
        for (int j = 0; j < 5; j++) {
            assertEquals(exact.coefficients()[j], r.coefficient(j), 1e-7 * Math.abs(exact.coefficients()[j]) + 1e-7,
                    "θ" + j);
        }
        assertEquals(exact.intercept(), r.intercept(), 1e-7 * Math.abs(exact.intercept()));
        // one iteration is one read of X (plus the statistics passes and the first gradient)
        assertTrue(r.passes() >= r.iterations() + 3, "passes " + r.passes() + ", iterations " + r.iterations());
        assertTrue(Double.isNaN(r.learningRate()), "cg has no learning rate");
    }

    /** The losses the listener sees for iterations 0..k of one fit. */
    private static List<Double> losses(RowSource s, FitOptions.Builder b) {
        List<Double> seen = new ArrayList<>();
        LinearRegression.fit(s, b.listener((k, loss, g) -> seen.add(loss)).build());
        return seen;
    }

    @Test
    void theLossOfEveryIterationIsTheTrueLossAtThatIterate() {
        for (double l2 : new double[]{0, 0.05}) {
            Dataset d = correlated(400, 5, 2, 2, true);
            List<Double> seen = losses(plain(d), FitOptions.builder().solver(Solver.CG).l2(l2));
            assertTrue(seen.size() >= 5, "iterations " + seen.size());
            for (int k = 1; k <= 3; k++) {
                // the same fit stopped at iteration k reports the loss re-evaluated at its parameters (one pass)
                FitResult r = LinearRegression.fit(plain(d), FitOptions.builder().solver(Solver.CG).l2(l2)
                        .maxIterations(k).build());
                assertEquals(StopReason.MAX_ITERATIONS, r.stopReason());
                assertEquals(r.loss(), seen.get(k), 1e-9 * r.loss(), "λ = " + l2 + ", iteration " + k);
                assertTrue(seen.get(k) < seen.get(k - 1), "cg lowers J at every step");
            }
        }
    }

    @Test
    void preconditionedUpTo256Columns() {
        // κ of 256 or 257 standardized columns sharing a factor is in the thousands: plain cg needs far more than 4
        // iterations, cg preconditioned by the Cholesky factor of the Gram matrix a handful
        for (int n : new int[]{256, 257}) {
            Dataset d = correlated(700, n, 3, 3, false);
            FitResult r = LinearRegression.fit(d, FitOptions.builder().solver(Solver.CG).maxIterations(4).build());
            if (n <= ConjugateGradient.PRECONDITION_MAX_COLUMNS) {
                assertEquals(StopReason.CONVERGED, r.stopReason(), n + " columns: " + r.message());
            } else {
                assertEquals(StopReason.MAX_ITERATIONS, r.stopReason(), n + " columns: " + r.message());
            }
        }
    }
}
