package dev.vecgd.spark;

import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spark fit (local[4], 6 partitions) equals the local fit of the same rows: same solver, same
 * stopping rules, gradient sums that differ only in summation order.
 */
class SparkFitTest {

    static SparkSession spark;
    static TestData data;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local4();
        data = new TestData(20_011, 5, 0.5, 42);
    }

    static FitOptions options(String solver) {
        // tight: at the default tolerance the two fits stop within that tolerance of the solution, and then differ
        // by the stopping error (up to ~1e-10), not by the summation order this test is about
        return FitOptions.builder().solver(solver).gradientTolerance(1e-15).maxIterations(5_000).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gd", "cg", "momentum", "nesterov"})
    void dataFrameFitEqualsTheLocalFit(String solver) {
        FitResult local = LinearRegression.fit(data.local(), options(solver));
        FitResult remote = SparkLinearRegression.fit(data.frame(spark, 6), "y", TestData.featureNames(5), options(solver));
        assertTrue(local.converged(), local.message());
        assertTrue(remote.converged(), remote.message());
        assertTrue(TestData.maxComponentDifference(local, remote) <= 1e-12,
                () -> "component-wise " + TestData.maxComponentDifference(local, remote) + "\nlocal  " + local + "\nspark  " + remote);
        assertEquals(local.r2(), remote.r2(), 1e-12);
        assertEquals(local.rmse(), remote.rmse(), 1e-12 * local.rmse());
        assertEquals(local.residualStd(), remote.residualStd(), 1e-12 * local.residualStd());
        assertEquals(local.iterations(), remote.iterations(), 1, "same method, same path: the same iteration count ±1");
        // and it is the right answer: the generating coefficients within the noise
        for (int j = 0; j < 5; j++) assertEquals(TestData.theta(j), remote.coefficient(j), 0.05, "θ" + j);
        assertEquals(TestData.INTERCEPT, remote.intercept(), 0.1);
    }

    @Test
    void defaultOptionsConvergeToTheLocalAnswerToo() {
        FitResult local = LinearRegression.fit(data.local(), FitOptions.defaults());
        FitResult remote = SparkLinearRegression.fit(data.frame(spark, 6), "y", TestData.featureNames(5), FitOptions.defaults());
        assertTrue(remote.converged(), remote.message());
        assertEquals(local.iterations(), remote.iterations());
        assertTrue(TestData.relativeDifference(local, remote) <= 1e-12, () -> "" + TestData.relativeDifference(local, remote));
    }

    @Test
    void theResultNamesTheExecutorsKernelsAndCountsPasses() {
        try (SparkRowSource src = SparkRowSource.of(data.rdd(spark, 4))) {
            assertEquals(4, src.partitions());
            assertEquals(20_011, src.rows());
            assertEquals(5, src.cols());
            FitResult r = SparkLinearRegression.fit(src, FitOptions.builder().solver("cg").build());
            assertTrue(r.converged(), r.message());
            assertTrue(r.implementation().startsWith("spark executors: vector"), r.implementation());
            assertTrue(r.implementation().endsWith("(4 partitions)"), r.implementation());
            assertEquals(2 + r.passes(), src.passes(), "two column-statistics passes, then one per gradient");
            assertTrue(r.passes() <= 2 * 6 + 4, "cg on 5 features: a handful of passes, got " + r.passes());
        }
    }

    @Test
    void anL2PenaltyAndNoInterceptAgreeWithTheLocalFit() {
        for (FitOptions o : new FitOptions[]{
                FitOptions.builder().l2(0.25).solver("cg").gradientTolerance(1e-15).build(),
                FitOptions.builder().intercept(false).solver("nesterov").gradientTolerance(1e-15).maxIterations(5_000).build()}) {
            FitResult local = LinearRegression.fit(data.local(), o);
            FitResult remote = SparkLinearRegression.fit(data.rdd(spark, 5), o);
            assertTrue(remote.converged(), remote.message());
            double[] a = local.coefficients();
            for (int j = 0; j < a.length; j++) {
                assertEquals(a[j], remote.coefficient(j), 1e-12 * Math.abs(a[j]), o + " θ" + j);
            }
            assertEquals(local.intercept(), remote.intercept(), 1e-12 * Math.max(1, Math.abs(local.intercept())));
        }
    }
}
