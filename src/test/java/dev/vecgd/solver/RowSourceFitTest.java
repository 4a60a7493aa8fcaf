package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LinearRegression#fit(RowSource, FitOptions)}: a source that sees the data only as blocks of rows
 * (as a cluster would) gives the local fit of the same data, for every full-batch solver it supports.
 */
class RowSourceFitTest {

    /** Heap rows in blocks of {@code blockRows}, each block one kernel call, blocks added in order. */
    static final class BlockSource implements RowSource {
        final Dataset data;
        final int blockRows;
        final boolean crossProducts;
        int passes;

        BlockSource(Dataset data, int blockRows) {
            this(data, blockRows, false);
        }

        BlockSource(Dataset data, int blockRows, boolean crossProducts) {
            this.data = data;
            this.blockRows = blockRows;
            this.crossProducts = crossProducts;
        }

        @Override
        public boolean hasCrossProducts() {
            return crossProducts;
        }

        @Override
        public void crossProductsAdd(double[] mean, double[] scale, boolean intercept, double shift, double[] gram,
                                     double[] rhs) {
            if (!crossProducts) RowSource.super.crossProductsAdd(mean, scale, intercept, shift, gram, rhs);
            passes++;
            int n = data.cols();
            for (int from = 0; from < data.rows(); from += blockRows) {
                int rows = Math.min(data.rows(), from + blockRows) - from;
                double[] x = new double[rows * n];
                double[] y = new double[rows];
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < n; j++) x[i * n + j] = data.x(from + i, j);
                    y[i] = data.y(from + i);
                }
                CrossProducts.addRowMajor(x, rows, n, y, mean, scale, intercept, shift, gram, rhs);
            }
        }

        @Override
        public int cols() {
            return data.cols();
        }

        @Override
        public long rows() {
            return data.rows();
        }

        @Override
        public void moments(double[] center, double[] out) {
            passes++;
            int n = data.cols();
            for (int i = 0; i < data.rows(); i++) {
                for (int j = 0; j <= n; j++) {
                    double v = j < n ? data.x(i, j) : data.y(i);
                    out[j] += center == null ? v : (v - center[j]) * (v - center[j]);
                }
            }
        }

        @Override
        public void accumulate(double[] p, boolean withTargets, GradientBuffer into) {
            passes++;
            Dataset d = withTargets ? data : Dataset.of(data.x(), new double[data.rows()]);
            GradientBuffer block = new GradientBuffer(data.cols());
            for (int from = 0; from < data.rows(); from += blockRows) {
                block.zeroGrad();
                block.accumulate(d, p, from, Math.min(data.rows(), from + blockRows));
                into.addFrom(block);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gd", "momentum", "nesterov", "cg"})
    void sourceFitEqualsTheLocalFit(String solver) {
        Dataset data = TestProblems.synthetic(3001, 6, 0.5, 17);
        FitOptions o = FitOptions.builder().solver(solver).gradientTolerance(1e-15).maxIterations(2000).build();
        FitResult local = LinearRegression.fit(data, o);
        BlockSource src = new BlockSource(data, 257);
        FitResult remote = LinearRegression.fit(src, o);
        assertTrue(local.converged(), local.message());
        assertTrue(remote.converged(), remote.message());
        assertEquals(solver.equals("gd") ? "gd" : solver, remote.optimizer());
        // normwise relative difference of (θ, θ₀). The tolerance is tight (1e-15) because at 1e-13 both cg fits
        // stop with an error of ~1e-11 in θ₀ (columns with means up to 50 make the intercept ill-determined),
        // and then they differ by that stopping error, not by the summation order.
        assertTrue(relativeDifference(local, remote) <= 1e-12, "‖Δθ‖/‖θ‖ = " + relativeDifference(local, remote));
        assertEquals(local.r2(), remote.r2(), 1e-12);
        assertEquals(local.residualStd(), remote.residualStd(), 1e-10 * local.residualStd());
        // two moment passes + one pass per gradient evaluation: the result counts every one of them
        assertEquals(src.passes, remote.passes());
        assertTrue(Double.isNaN(remote.standardErrors()[0]), "no Gram pass over a RowSource");
    }

    /** ‖(θ, θ₀)_a − (θ, θ₀)_b‖₂ / ‖(θ, θ₀)_a‖₂. */
    static double relativeDifference(FitResult a, FitResult b) {
        double d = (a.intercept() - b.intercept()) * (a.intercept() - b.intercept());
        double s = a.intercept() * a.intercept();
        for (int j = 0; j < a.coefficients().length; j++) {
            d += (a.coefficient(j) - b.coefficient(j)) * (a.coefficient(j) - b.coefficient(j));
            s += a.coefficient(j) * a.coefficient(j);
        }
        return Math.sqrt(d / s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"normal", "gd", "cg"})
    void withCrossProductsTheSourceGivesNormalAndStandardErrorsLikeTheHeap(String solver) {
        Dataset data = TestProblems.synthetic(2003, 5, 0.5, 23);
        FitOptions o = FitOptions.builder().solver(solver).gradientTolerance(1e-15).maxIterations(5_000).build();
        FitResult local = LinearRegression.fit(data, o);
        BlockSource src = new BlockSource(data, 300, true);
        FitResult remote = LinearRegression.fit(src, o);
        assertTrue(remote.converged(), remote.message());
        assertTrue(relativeDifference(local, remote) <= 1e-12, "‖Δθ‖/‖θ‖ = " + relativeDifference(local, remote));
        double[] qr = TestProblems.qrStandardErrors(data); // independent of CrossProducts, which both sides use
        for (int j = 0; j < 5; j++) {
            assertEquals(qr[j], local.standardErrors()[j], 1e-8 * qr[j], "heap SE" + j + " vs QR");
            assertEquals(qr[j], remote.standardErrors()[j], 1e-8 * qr[j], "SE" + j + " vs QR");
        }
        assertEquals(qr[5], local.interceptStandardError(), 1e-8 * qr[5], "heap intercept SE vs QR");
        assertEquals(qr[5], remote.interceptStandardError(), 1e-8 * qr[5], "intercept SE vs QR");
        assertEquals(qr[6], remote.residualStd(), 1e-9 * qr[6], "σ̂ vs QR");
        assertEquals(local.conditionNumber(), remote.conditionNumber(), 1e-9 * local.conditionNumber());
        // one Gram pass: normal makes it first and reuses it for the diagnostics, the iterative solvers make it at
        // the end; either way the result counts every read (the two statistics passes included)
        assertEquals(src.passes, remote.passes());
    }

    @Test
    void noInterceptAndNoStandardizationAgreeToo() {
        Dataset data = TestProblems.synthetic(777, 3, 0.5, 5);
        for (FitOptions o : new FitOptions[]{
                FitOptions.builder().intercept(false).gradientTolerance(1e-13).build(),
                FitOptions.builder().standardize(false).solver("cg").gradientTolerance(1e-13).build(),
                FitOptions.builder().l2(0.1).solver("nesterov").gradientTolerance(1e-13).build()}) {
            FitResult local = LinearRegression.fit(data, o);
            FitResult remote = LinearRegression.fit(new BlockSource(data, 100), o);
            assertTrue(remote.converged(), remote.message());
            assertTrue(relativeDifference(local, remote) <= 1e-12, o + ": " + relativeDifference(local, remote));
        }
    }

    @Test
    void repeatedFitsAreBitIdentical() {
        Dataset data = TestProblems.synthetic(1000, 4, 0.5, 3);
        FitResult a = LinearRegression.fit(new BlockSource(data, 64), FitOptions.defaults());
        FitResult b = LinearRegression.fit(new BlockSource(data, 64), FitOptions.defaults());
        assertArrayEquals(a.coefficients(), b.coefficients(), 0.0);
        assertEquals(Double.doubleToRawLongBits(a.intercept()), Double.doubleToRawLongBits(b.intercept()));
    }

    @Test
    void badInputIsRejectedWithTheReason() {
        Dataset data = TestProblems.synthetic(50, 2, 0.5, 1);
        BlockSource src = new BlockSource(data, 10);
        var normal = assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.fit(src, FitOptions.builder().solver("normal").build()));
        assertTrue(normal.getMessage().contains("normal") && normal.getMessage().contains("hasCrossProducts"),
                normal.getMessage());
        var batch = assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.fit(src, FitOptions.builder().batchSize(10).build()));
        assertTrue(batch.getMessage().contains("mini-batches"), batch.getMessage());
        var warm = assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.fit(src, FitOptions.builder().warmStart(new double[5], 0).build()));
        assertTrue(warm.getMessage().contains("warm start"), warm.getMessage());
        var empty = assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.fit(new BlockSource(Dataset.rowMajor(new double[0], 0, 2, new double[0]), 10),
                        FitOptions.defaults()));
        assertTrue(empty.getMessage().contains("no rows"), empty.getMessage());
    }

    @Test
    void nonFiniteDataThatASourceMissedIsCaughtByTheColumnSums() {
        double[] x = {1, 2, 3, 4, 5, Double.NaN, 7, 8};
        double[] y = {1, 2, 3, 4};
        // a Dataset would refuse the NaN itself: a source that forgets to check is exactly what the safety net is for
        RowSource leaky = new BlockSource(Dataset.rowMajor(x, 4, 2, y), 2);
        var e = assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(leaky, FitOptions.defaults()));
        assertTrue(e.getMessage().contains("feature column 1"), e.getMessage());
        double[] yInf = {1, Double.POSITIVE_INFINITY, 3, 4};
        var e2 = assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(
                new BlockSource(Dataset.rowMajor(new double[]{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2, yInf), 2), FitOptions.defaults()));
        assertTrue(e2.getMessage().contains("target y"), e2.getMessage());
    }
}
