package dev.vecgd.spark;

import dev.vecgd.data.Dataset;
import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Sample weights on Spark ({@code weightCol}, issue 20): the fit of a DataFrame with a weight column (local[4], 5
 * partitions) equals the heap weighted fit of the same rows ({@link LinearRegression#fit(Dataset, double[],
 * FitOptions)}), integer weights equal the local fit of the repeated rows, fits are reproducible bit for bit, and a
 * bad weight is refused naming its partition and row.
 */
class SparkWeightsTest {

    static SparkSession spark;
    static TestData data;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local4();
        data = new TestData(3_001, 4, 0.5, 20);
    }

    /** Integer weights 0..3 (an int column: cast to double by the source). */
    static int weight(int i) {
        return (int) ((i * 2654435761L >>> 7) % 4);
    }

    static double[] weights(int m) {
        double[] w = new double[m];
        for (int i = 0; i < m; i++) w[i] = weight(i);
        return w;
    }

    /** Columns x0..x3, y and the int weight column w; {@code bad} ≥ 0 puts weight −1 on that row. */
    static org.apache.spark.sql.Dataset<Row> frame(int partitions, int bad) {
        List<StructField> fields = new ArrayList<>();
        for (String f : TestData.featureNames(data.n)) fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField("y", DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField("w", DataTypes.IntegerType, true));
        int width = data.n + 1;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < data.m; i++) {
            Object[] v = new Object[width + 1];
            for (int j = 0; j < width; j++) v[j] = data.rows.get(i)[j];
            v[width] = i == bad ? -1 : weight(i);
            rows.add(RowFactory.create(v));
        }
        JavaRDD<Row> r = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(rows, partitions);
        return spark.createDataFrame(r, DataTypes.createStructType(fields));
    }

    static FitOptions options(String solver) {
        return FitOptions.builder().solver(solver).gradientTolerance(1e-14).maxIterations(20_000).build();
    }

    static void assertClose(FitResult want, FitResult got, double tol, String what) {
        assertTrue(want.converged(), what + ": " + want.message());
        assertTrue(got.converged(), what + ": " + got.message());
        for (int j = 0; j < want.coefficients().length; j++) {
            assertEquals(want.coefficient(j), got.coefficient(j), tol * (1 + Math.abs(want.coefficient(j))), what + " β" + j);
        }
        assertEquals(want.intercept(), got.intercept(), tol * (1 + Math.abs(want.intercept())), what + " intercept");
        assertEquals(want.r2(), got.r2(), tol, what + " R²");
        assertEquals(want.rmse(), got.rmse(), tol * want.rmse(), what + " RMSE");
        assertEquals(want.residualStd(), got.residualStd(), tol * want.residualStd(), what + " residual std");
        double[] se = want.standardErrors();
        double[] gse = got.standardErrors();
        for (int j = 0; j < se.length; j++) {
            if (Double.isNaN(se[j])) {
                assertTrue(Double.isNaN(gse[j]), what + " SE" + j + " should be NaN, got " + gse[j]);
            } else {
                assertEquals(se[j], gse[j], tol * se[j], what + " SE" + j);
            }
        }
        if (Double.isNaN(want.interceptStandardError())) {
            assertTrue(Double.isNaN(got.interceptStandardError()), what + " intercept SE");
        } else {
            assertEquals(want.interceptStandardError(), got.interceptStandardError(),
                    tol * want.interceptStandardError(), what + " intercept SE");
        }
        assertEquals(want.conditionNumber(), got.conditionNumber(), tol * want.conditionNumber(), what + " κ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gd", "cg", "momentum", "nesterov", "normal"})
    void weightColFitEqualsTheHeapWeightedFit(String solver) {
        FitResult local = LinearRegression.fit(data.local(), weights(data.m), options(solver));
        FitResult remote = SparkLinearRegression.fit(frame(5, -1), "y", TestData.featureNames(data.n), "w",
                options(solver));
        assertClose(local, remote, 1e-10, solver); // standard errors and κ included
        assertTrue(Double.isFinite(remote.conditionNumber()) && remote.standardErrors()[0] > 0,
                "the weighted cross-products pass gives standard errors and κ: " + remote);
        assertTrue(remote.implementation().startsWith("spark executors"), remote.implementation());
    }

    @Test
    void integerWeightsEqualTheRepeatedRowsAndTheLassoToo() {
        List<double[]> rep = new ArrayList<>();
        for (int i = 0; i < data.m; i++) for (int k = 0; k < weight(i); k++) rep.add(data.rows.get(i));
        double[] x = new double[rep.size() * data.n];
        double[] y = new double[rep.size()];
        for (int i = 0; i < rep.size(); i++) {
            System.arraycopy(rep.get(i), 0, x, i * data.n, data.n);
            y[i] = rep.get(i)[data.n];
        }
        FitResult repeated = LinearRegression.fit(Dataset.rowMajor(x, rep.size(), data.n, y), options("cg"));
        try (SparkRowSource source = SparkRowSource.of(frame(3, -1), "y", TestData.featureNames(data.n), "w")) {
            assertTrue(source.hasWeights());
            assertClose(repeated, SparkLinearRegression.fit(source, options("cg")), 1e-10, "cg vs repeated rows");
            FitOptions l1 = FitOptions.builder().l1(0.3).gradientTolerance(1e-13).maxIterations(50_000).build();
            assertClose(LinearRegression.fit(data.local(), weights(data.m), l1), SparkLinearRegression.fit(source, l1),
                    1e-9, "weighted lasso");
            assertTrue(source.hasWeightedCrossProducts());
            FitResult repeatedNormal = LinearRegression.fit(Dataset.rowMajor(x, rep.size(), data.n, y), options("normal"));
            // frequency weights: the standard errors of the repeated rows
            assertClose(repeatedNormal, SparkLinearRegression.fit(source, options("normal")), 1e-10,
                    "normal vs repeated rows");
        }
    }

    @Test
    void weightedFitsAreReproducibleAndWithoutWeightColUnchanged() {
        FitResult a = SparkLinearRegression.fit(frame(5, -1), "y", TestData.featureNames(data.n), "w", options("gd"));
        FitResult b = SparkLinearRegression.fit(frame(5, -1), "y", TestData.featureNames(data.n), "w", options("gd"));
        assertArrayEquals(a.coefficients(), b.coefficients(), 0.0);
        assertEquals(a.intercept(), b.intercept(), 0.0);
        assertEquals(a.iterations(), b.iterations());
        // weightCol null: the unweighted fit, and the weight column is ignored
        FitResult plain = SparkLinearRegression.fit(frame(5, -1), "y", TestData.featureNames(data.n), null, options("cg"));
        assertClose(LinearRegression.fit(data.local(), options("cg")), plain, 1e-10, "no weightCol");
        try (SparkRowSource s = SparkRowSource.of(frame(2, -1), "y", TestData.featureNames(data.n))) {
            assertFalse(s.hasWeights());
            assertThrows(UnsupportedOperationException.class, () -> s.weightedMoments(null, new double[data.n + 2]));
        }
    }

    @Test
    void badWeightsAreRefusedNamingTheRow() {
        // row 1234 of 3001 in 5 partitions of ~600: partition 2, row 34 within it
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkLinearRegression.fit(
                frame(5, 1234), "y", TestData.featureNames(data.n), "w", options("cg")));
        assertTrue(e.getMessage().contains("weight column 'w'") && e.getMessage().contains("-1")
                && e.getMessage().contains("partition 2, row 34"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SparkRowSource.of(frame(2, -1), "y",
                TestData.featureNames(data.n), "nope")).getMessage().contains("nope"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SparkRowSource.of(frame(2, -1), "y",
                TestData.featureNames(data.n), "x1")).getMessage().contains("weight column"));
    }
}
