package dev.vecgd.spark;

import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    @ValueSource(strings = {"gd", "cg", "momentum", "nesterov", "normal"})
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
        // the diagnostics too: standard errors and κ from the cross-products pass, as on the heap
        for (int j = 0; j < 5; j++) {
            assertEquals(local.standardErrors()[j], remote.standardErrors()[j], 1e-10 * local.standardErrors()[j], "SE" + j);
        }
        assertEquals(local.interceptStandardError(), remote.interceptStandardError(), 1e-10 * local.interceptStandardError());
        assertEquals(local.conditionNumber(), remote.conditionNumber(), 1e-10 * local.conditionNumber());
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
    void rddVectorAndArrayColumnsGiveTheSameBitsAsNumericColumns() {
        FitOptions o = FitOptions.builder().solver("cg").build();
        FitResult columns = SparkLinearRegression.fit(data.frame(spark, 6), "y", TestData.featureNames(5), o);
        FitResult rdd = SparkLinearRegression.fit(data.rdd(spark, 6), o);
        StructType vs = TestData.schema(DataTypes.createStructField("v", SQLDataTypes.VectorType(), false),
                DataTypes.createStructField("y", DataTypes.DoubleType, false));
        StructType as = TestData.schema(DataTypes.createStructField("v", DataTypes.createArrayType(DataTypes.DoubleType), false),
                DataTypes.createStructField("y", DataTypes.DoubleType, false));
        FitResult vector = SparkLinearRegression.fit(spark.createDataFrame(data.rdd(spark, 6)
                .map(a -> RowFactory.create(Vectors.dense(Arrays.copyOf(a, 5)), a[5])), vs), "y", List.of("v"), o);
        FitResult array = SparkLinearRegression.fit(spark.createDataFrame(data.rdd(spark, 6)
                .map(a -> RowFactory.create(Arrays.stream(a, 0, 5).boxed().toArray(), a[5])), as), "y", List.of("v"), o);
        for (FitResult r : List.of(rdd, vector, array)) {
            assertArrayEquals(columns.coefficients(), r.coefficients(), 0.0);
            assertEquals(Double.doubleToRawLongBits(columns.intercept()), Double.doubleToRawLongBits(r.intercept()));
        }
    }

    @Test
    void integerAndFloatColumnsAreReadAsDoubles() {
        StructType s = TestData.schema(DataTypes.createStructField("i", DataTypes.IntegerType, false),
                DataTypes.createStructField("l", DataTypes.LongType, false),
                DataTypes.createStructField("f", DataTypes.FloatType, false),
                DataTypes.createStructField("y", DataTypes.DoubleType, false));
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < 400; k++) {
            int i = k % 17;
            long l = (k * 7L) % 23;
            float f = (k % 5) * 0.5f;
            rows.add(RowFactory.create(i, l, f, 1.0 + 2.0 * i - 0.5 * l + 4.0 * f)); // exact fit
        }
        FitResult r = SparkLinearRegression.fit(spark.createDataFrame(rows, s), "y", List.of("i", "l", "f"),
                FitOptions.builder().solver("cg").build());
        assertTrue(r.converged(), r.message());
        assertEquals(2.0, r.coefficient(0), 1e-9);
        assertEquals(-0.5, r.coefficient(1), 1e-9);
        assertEquals(4.0, r.coefficient(2), 1e-9);
        assertEquals(1.0, r.intercept(), 1e-9);
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
            assertEquals(src.passes(), r.passes(), "the result counts every pass: two column-statistics passes, one per"
                    + " gradient, one for the standard errors");
            assertTrue(r.standardErrors()[0] > 0 && r.conditionNumber() >= 1, r.toString());
            assertTrue(r.passes() <= 2 * 6 + 4 + 3, "cg on 5 features: a handful of passes, got " + r.passes());
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
