package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The parts of a standard-precision {@link FitResult} that {@code LinearRegression.result} adds, against exact
 * arithmetic or the definitions: n coefficients; the wall time within the time measured around the call; for a
 * {@link RowSource} without the cross-products pass the residual standard deviation √(SSR/(m − n − 1)) from residuals
 * summed exactly in {@link BigDecimal} at the returned coefficients (NaN without degrees of freedom), no standard
 * errors and no κ; an unused option after the conditioning warning, separated by "; "; a RowSource that reports no
 * rows refused by name.
 */
class StandardResultTest {

    private static final int N = 3;

    private static Dataset data(int m, double collinear) {
        SplittableRandom rnd = new SplittableRandom(52);
        double[] x = new double[m * N];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            x[i * N] = TestProblems.gaussian(rnd);
            x[i * N + 1] = 2 + TestProblems.gaussian(rnd);
            x[i * N + 2] = x[i * N] + collinear * TestProblems.gaussian(rnd);
            y[i] = 1 + x[i * N] - 2 * x[i * N + 1] + 0.5 * x[i * N + 2] + 0.2 * TestProblems.gaussian(rnd);
        }
        return Dataset.rowMajor(x, m, N, y);
    }

    /** A RowSource without the cross-products pass (delegating the rest). */
    private static RowSource withoutCrossProducts(Dataset d) {
        ChunkedRowSource s = ChunkedRowSource.of(List.of(d));
        return new RowSource() {
            @Override
            public int cols() {
                return s.cols();
            }

            @Override
            public long rows() {
                return s.rows();
            }

            @Override
            public void moments(double[] center, double[] out) {
                s.moments(center, out);
            }

            @Override
            public void accumulate(double[] p, boolean withTargets, GradientBuffer into) {
                s.accumulate(p, withTargets, into);
            }
        };
    }

    private static double exactSsr(Dataset d, FitResult r) {
        BigDecimal ssr = BigDecimal.ZERO;
        for (int i = 0; i < d.rows(); i++) {
            BigDecimal res = new BigDecimal(r.intercept()).subtract(new BigDecimal(d.y(i)));
            for (int j = 0; j < N; j++) {
                res = res.add(new BigDecimal(r.coefficient(j)).multiply(new BigDecimal(d.x().get(i, j))));
            }
            ssr = ssr.add(res.multiply(res));
        }
        return ssr.doubleValue();
    }

    @Test
    void coefficientsAndWallTime() {
        Dataset d = data(50, 1);
        for (Solver s : Solver.values()) {
            long t0 = System.nanoTime();
            FitResult r = LinearRegression.fit(d, FitOptions.builder().solver(s).build());
            double elapsed = (System.nanoTime() - t0) * 1e-9;
            assertEquals(N, r.coefficients().length, s + ": one coefficient per feature");
            assertTrue(r.wallTimeSeconds() >= 0 && r.wallTimeSeconds() <= elapsed,
                    s + ": " + r.wallTimeSeconds() + " s, measured around the call " + elapsed + " s");
        }
    }

    @Test
    void aRowSourceWithoutCrossProductsGetsTheResidualStdOnly() {
        Dataset d = data(50, 1);
        FitResult r = LinearRegression.fit(withoutCrossProducts(d), FitOptions.builder().solver(Solver.CG).build());
        assertTrue(r.converged(), r.message());
        assertEquals(Math.sqrt(exactSsr(d, r) / (50 - N - 1)), r.residualStd(), 1e-12 * r.residualStd(),
                "σ̂ = √(SSR/(m − n − 1))");
        for (int j = 0; j < N; j++) assertTrue(Double.isNaN(r.standardErrors()[j]), "no SE without the Gram pass");
        assertTrue(Double.isNaN(r.conditionNumber()), "no κ without the Gram pass");
        // m = n + 1 rows: no degrees of freedom
        FitResult exact = LinearRegression.fit(withoutCrossProducts(data(N + 1, 1)),
                FitOptions.builder().solver(Solver.CG).build());
        assertTrue(Double.isNaN(exact.residualStd()), "dof = 0: " + exact.residualStd());
    }

    @Test
    void anUnusedOptionFollowsTheConditioningWarning() {
        Dataset nearlyCollinear = data(50, 1e-7);
        FitResult plain = LinearRegression.fit(nearlyCollinear, FitOptions.builder().solver(Solver.NORMAL).build());
        assertTrue(plain.warning().startsWith("ill-conditioned: "), plain.warning());
        FitResult both = LinearRegression.fit(nearlyCollinear, FitOptions.builder().solver(Solver.NORMAL)
                .learningRate(0.3).build());
        assertEquals(plain.warning() + "; options not used by this fit, ignored: learningRate 0.3 (solver normal"
                + " solves directly)", both.warning());
    }

    @Test
    void aRowSourceWithoutRowsIsRefused() {
        RowSource empty = new RowSource() {
            @Override
            public int cols() {
                return 2;
            }

            @Override
            public long rows() {
                return 0;
            }

            @Override
            public void moments(double[] center, double[] out) {
                throw new AssertionError("not read");
            }

            @Override
            public void accumulate(double[] p, boolean withTargets, GradientBuffer into) {
                throw new AssertionError("not read");
            }
        };
        assertEquals("the data has no rows: nothing to fit", assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.fit(empty, FitOptions.defaults())).getMessage());
        assertEquals("the data has no rows: nothing to fit", assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.path(empty, FitOptions.defaults(), null)).getMessage());
    }

    /**
     * Entry points at their smallest: a RowSource without feature columns fits the intercept alone (ȳ, here from the
     * targets 1, 3, 5 and 7: 4); sufficient statistics of n = 0 columns are allowed; merging empty statistics changes
     * nothing and returns the receiver; the one-argument off-heap fit is the fit with the default options.
     */
    @Test
    void smallestInputs() {
        Dataset a = Dataset.rowMajor(new double[0], 2, 0, new double[]{1, 3});
        Dataset b = Dataset.rowMajor(new double[0], 2, 0, new double[]{5, 7});
        FitResult onlyIntercept = LinearRegression.fit(ChunkedRowSource.of(List.of(a, b)), FitOptions.builder()
                .solver(Solver.CG).build());
        assertEquals(0, onlyIntercept.coefficients().length);
        assertEquals(4, onlyIntercept.intercept(), 1e-12, onlyIntercept.message());
        SufficientStatistics none = new SufficientStatistics(0);
        assertEquals(0, none.cols());
        Dataset d = data(30, 1);
        SufficientStatistics stats = SufficientStatistics.of(List.of(d));
        double[] before = stats.means().clone();
        assertSame(stats, stats.merge(new SufficientStatistics(N)), "merge returns the receiver");
        assertArrayEquals(before, stats.means(), 0, "merging empty statistics changes nothing");
        assertEquals(30, stats.rows());
        try (dev.vecgd.data.SegmentDataset off = dev.vecgd.data.SegmentDataset.copyOf(d, dev.vecgd.kernel.Layout.ROW_MAJOR)) {
            FitResult one = LinearRegression.fit(off);
            FitResult two = LinearRegression.fit(off, FitOptions.defaults());
            assertArrayEquals(two.coefficients(), one.coefficients(), 0);
            assertEquals(two.intercept(), one.intercept(), 0);
        }
    }
}
