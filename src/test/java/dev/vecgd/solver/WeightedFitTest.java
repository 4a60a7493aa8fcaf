package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Sample weights: integer weights against the unweighted fit of the data with rows repeated, zero weights against
 * the fit without those rows, equal weights against today's fit, a weighted lasso against the coordinate-descent
 * reference on the repeated rows, and the bad inputs.
 */
class WeightedFitTest {

    static final double[][][] P = ElasticNetTest.sparseProblem(300, 9, 41);
    static final double[][] X = P[0];
    static final double[] Y = P[1][0];

    static double[] integerWeights(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] w = new double[Y.length];
        for (int i = 0; i < w.length; i++) w[i] = rnd.nextInt(4); // 0, 1, 2 or 3
        return w;
    }

    /** The rows repeated w_i times (a copy, for the reference fit). */
    static Dataset repeated(double[] w) {
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            for (int k = 0; k < (int) w[i]; k++) {
                xs.add(X[i]);
                ys.add(Y[i]);
            }
        }
        return Dataset.of(xs.toArray(new double[0][]), ys.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static void assertSameFit(FitResult want, FitResult got, double tol, String what) {
        assertTrue(got.converged(), what + ": " + got.message());
        for (int j = 0; j < want.coefficients().length; j++) {
            assertEquals(want.coefficient(j), got.coefficient(j), tol * (1 + Math.abs(want.coefficient(j))), what + " β" + j);
            assertEquals(want.coefficient(j) == 0, got.coefficient(j) == 0, what + ": support at " + j);
        }
        assertEquals(want.intercept(), got.intercept(), tol * (1 + Math.abs(want.intercept())), what + " intercept");
        assertEquals(want.r2(), got.r2(), tol, what + " R²");
        assertEquals(want.rmse(), got.rmse(), tol * want.rmse(), what + " RMSE");
    }

    @Test
    void integerWeightsEqualRepeatedRows() {
        double[] w = integerWeights(5);
        Dataset data = Dataset.of(X, Y);
        Dataset rep = repeated(w);
        for (String solver : new String[] {"gd", "nesterov", "momentum", "cg", "normal"}) {
            FitOptions o = FitOptions.builder().solver(solver).gradientTolerance(1e-12).maxIterations(100_000).build();
            FitResult want = LinearRegression.fit(rep, o);
            FitResult got = LinearRegression.fit(data, w, o);
            assertSameFit(want, got, 1e-9, solver);
            assertEquals(want.residualStd(), got.residualStd(), 1e-9 * want.residualStd(),
                    solver + ": frequency-weights residual std");
            for (int j = 0; j < X[0].length; j++) {
                assertEquals(want.standardErrors()[j], got.standardErrors()[j], 1e-8 * want.standardErrors()[j],
                        solver + ": standard error " + j);
            }
            assertEquals(want.interceptStandardError(), got.interceptStandardError(), 1e-8 * want.interceptStandardError());
            assertEquals(want.conditionNumber(), got.conditionNumber(), 1e-8 * want.conditionNumber(), solver + ": κ");
        }
        // the weighted elastic net: against the fit of the repeated rows and the coordinate-descent reference on them
        FitOptions o = ElasticNetTest.tight().l1(0.3).l2(0.2).build();
        FitResult got = LinearRegression.fit(data, w, o);
        assertSameFit(LinearRegression.fit(rep, o), got, 1e-8, "weighted elastic net");
        double[][] rx = new double[(int) rep.rows()][];
        double[] ry = new double[rep.rows()];
        for (int i = 0; i < rep.rows(); i++) {
            rx[i] = new double[X[0].length];
            for (int j = 0; j < X[0].length; j++) rx[i][j] = rep.x(i, j);
            ry[i] = rep.y(i);
        }
        ElasticNetTest.assertMatches(LassoReference.fit(rx, ry, true, true, 0.3, 0.2), got, "weighted elastic net vs CD");
    }

    @Test
    void zeroWeightsExcludeRowsAndNonIntegerWeightsScaleFreely() {
        double[] w = new double[Y.length];
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            w[i] = i % 5 == 0 ? 0 : 1;
            if (w[i] > 0) kept.add(i);
        }
        double[] y = Y.clone();
        for (int i = 0; i < y.length; i += 5) y[i] = 1e4; // outliers on the excluded rows: they must not matter
        double[][] kx = new double[kept.size()][];
        double[] ky = new double[kept.size()];
        for (int k = 0; k < kept.size(); k++) {
            kx[k] = X[kept.get(k)];
            ky[k] = Y[kept.get(k)];
        }
        FitOptions o = FitOptions.builder().solver("cg").gradientTolerance(1e-12).build();
        FitResult want = LinearRegression.fit(Dataset.of(kx, ky), o);
        assertSameFit(want, LinearRegression.fit(Dataset.of(X, y), w, o), 1e-9, "zero weights");
        // scaling every weight by 0.37 changes nothing but the frequency-weights residual std
        double[] scaled = integerWeights(9);
        FitResult a = LinearRegression.fit(Dataset.of(X, Y), scaled, o);
        for (int i = 0; i < scaled.length; i++) scaled[i] *= 0.37;
        assertSameFit(a, LinearRegression.fit(Dataset.of(X, Y), scaled, o), 1e-9, "scaled weights");
    }

    @Test
    void equalWeightsGiveTodaysFit() {
        double[] ones = new double[Y.length];
        java.util.Arrays.fill(ones, 1);
        for (String solver : new String[] {"gd", "nesterov", "cg", "normal"}) {
            FitOptions o = FitOptions.builder().solver(solver).gradientTolerance(1e-12).maxIterations(100_000).build();
            FitResult today = LinearRegression.fit(Dataset.of(X, Y), o);
            FitResult weighted = LinearRegression.fit(Dataset.of(X, Y), ones, o);
            assertSameFit(today, weighted, 1e-12, solver + " all-ones");
            assertEquals(today.residualStd(), weighted.residualStd(), 1e-12 * today.residualStd());
            assertEquals(today.standardErrors()[2], weighted.standardErrors()[2], 1e-12 * today.standardErrors()[2]);
            assertEquals(today.conditionNumber(), weighted.conditionNumber(), 1e-12 * today.conditionNumber());
        }
    }

    @Test
    void badWeightsAreRejectedNamingTheRow() {
        Dataset data = Dataset.of(X, Y);
        FitOptions o = FitOptions.defaults();
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            double[] w = integerWeights(1);
            w[17] = bad;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(data, w, o));
            assertTrue(e.getMessage().contains("row 17"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.fit(data, new double[Y.length], o)).getMessage().contains("0"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.fit(data, new double[3], o)).getMessage().contains("3 sample weights"));
        // mini-batches are for gd, momentum and nesterov (WeightedMiniBatchTest), not cg
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(data, integerWeights(2),
                FitOptions.builder().solver("cg").batchSize(10).build())).getMessage().contains("batchSize"));
    }
}
