package dev.vecgd.spark;

import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.ElementType;
import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * float32 blocks (issue 19): a {@link SparkRowSource} packed with {@link ElementType#FLOAT32} (local[4], 6 partitions)
 * fits like the heap float64 fit of the same rows with every feature rounded to float32 — the float32 kernels widen
 * each float and sum in double, so only the summation order differs (and float64 blocks of the rounded rows give the
 * same bits: the heap float32 kernels sum in the order of the float64 ones) — for every solver, weighted too; it holds half
 * the bytes of X in Spark's cache; a feature beyond float32's range is refused naming its column, partition and row.
 */
class SparkFloat32Test {

    static SparkSession spark;
    static TestData data;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local4();
        data = new TestData(20_011, 8, 0.5, 7);
    }

    /** The rows with every feature rounded to float32 (y unchanged). */
    static List<double[]> rounded(List<double[]> rows) {
        List<double[]> out = new ArrayList<>(rows.size());
        for (double[] r : rows) {
            double[] c = r.clone();
            for (int j = 0; j < c.length - 1; j++) c[j] = (float) c[j];
            out.add(c);
        }
        return out;
    }

    /** The heap dataset of the rows (features row-major, y last). */
    static Dataset local(List<double[]> rows, int n) {
        int m = rows.size();
        double[] x = new double[m * n];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            System.arraycopy(rows.get(i), 0, x, i * n, n);
            y[i] = rows.get(i)[n];
        }
        return Dataset.rowMajor(x, m, n, y);
    }

    static org.apache.spark.sql.Dataset<Row> frame(List<double[]> rows, int n, boolean weights, int partitions) {
        List<StructField> fields = new ArrayList<>();
        for (String f : TestData.featureNames(n)) fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField("y", DataTypes.DoubleType, true));
        if (weights) fields.add(DataTypes.createStructField("w", DataTypes.DoubleType, true));
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Object[] v = new Object[n + 1 + (weights ? 1 : 0)];
            for (int j = 0; j <= n; j++) v[j] = rows.get(i)[j];
            if (weights) v[n + 1] = weight(i);
            out.add(RowFactory.create(v));
        }
        JavaRDD<Row> r = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(out, partitions);
        return spark.createDataFrame(r, DataTypes.createStructType(fields));
    }

    static double weight(int i) {
        return 0.25 + (i * 2654435761L >>> 9) % 7;
    }

    static FitOptions options(String solver) {
        return FitOptions.builder().solver(solver).gradientTolerance(1e-15).maxIterations(5_000).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gd", "cg", "nesterov", "normal"})
    void float32BlocksFitLikeTheRoundedDataInFloat64(String solver) {
        List<double[]> r32 = rounded(data.rows);
        FitResult expected = LinearRegression.fit(local(r32, data.n), options(solver));
        FitResult f32;
        try (SparkRowSource source = SparkRowSource.of(frame(data.rows, data.n, false, 6), "y", TestData.featureNames(data.n),
                null, StorageLevel.MEMORY_AND_DISK(), ElementType.FLOAT32)) {
            assertEquals(ElementType.FLOAT32, source.blockType());
            assertEquals(4L * data.m * data.n, source.featureBytes());
            f32 = SparkLinearRegression.fit(source, options(solver));
            assertTrue(source.executorKernels().stream().allMatch(k -> k.contains("float32")), source.executorKernels().toString());
        }
        // float64 blocks of the rounded rows, the same partitions and blocks: the heap float32 kernels sum in the order
        // of the heap float64 kernels, so the Spark fit is the same, bit for bit
        FitResult f64;
        try (SparkRowSource source = SparkRowSource.of(frame(r32, data.n, false, 6), "y", TestData.featureNames(data.n),
                null, StorageLevel.MEMORY_AND_DISK(), ElementType.FLOAT64)) {
            f64 = SparkLinearRegression.fit(source, options(solver));
        }
        assertEquals(f64.iterations(), f32.iterations(), "iterations");
        assertArrayEquals(f64.coefficients(), f32.coefficients(), 0.0, () -> "bits\n" + f64 + "\n" + f32);
        assertEquals(f64.intercept(), f32.intercept(), 0.0);
        assertTrue(expected.converged() && f32.converged(), expected.message() + " / " + f32.message());
        assertTrue(TestData.maxComponentDifference(expected, f32) <= 1e-10,
                () -> "component-wise " + TestData.maxComponentDifference(expected, f32) + "\nlocal  " + expected + "\nspark  " + f32);
        assertEquals(expected.r2(), f32.r2(), 1e-10);
        if (solver.equals("normal")) { // diagnostics from the cross-products pass over float32 blocks
            for (int j = 0; j < data.n; j++) {
                assertEquals(expected.standardErrors()[j], f32.standardErrors()[j], 1e-8 * expected.standardErrors()[j], "SE" + j);
            }
        }
        // and not the float64 fit of the unrounded data to that precision: the rounding is real (but small)
        FitResult unrounded = LinearRegression.fit(data.local(), options(solver));
        assertTrue(TestData.maxComponentDifference(unrounded, f32) < 1e-5, "rounding x to float32 moves the fit by ~1e-7");
    }

    @Test
    void rddRowsAndWeightsToo() {
        List<double[]> r32 = rounded(data.rows);
        FitOptions o = options("cg");
        FitResult expected = LinearRegression.fit(local(r32, data.n), o);
        FitResult rdd;
        try (SparkRowSource s = SparkRowSource.of(data.rdd(spark, 5), StorageLevel.MEMORY_ONLY(), ElementType.FLOAT32)) {
            rdd = SparkLinearRegression.fit(s, o);
        }
        assertTrue(TestData.maxComponentDifference(expected, rdd) <= 1e-10, () -> expected + "\n" + rdd);

        double[] w = new double[data.m];
        for (int i = 0; i < data.m; i++) w[i] = weight(i);
        FitOptions gd = options("gd");
        FitResult weightedExpected = LinearRegression.fit(local(r32, data.n), w, gd);
        FitResult weighted;
        try (SparkRowSource s = SparkRowSource.of(frame(data.rows, data.n, true, 6), "y", TestData.featureNames(data.n), "w",
                StorageLevel.MEMORY_AND_DISK(), ElementType.FLOAT32)) {
            assertTrue(s.hasWeights());
            weighted = SparkLinearRegression.fit(s, gd);
        }
        assertTrue(weightedExpected.converged() && weighted.converged());
        assertTrue(TestData.maxComponentDifference(weightedExpected, weighted) <= 1e-10, () -> weightedExpected + "\n" + weighted);
    }

    @Test
    void float32BlocksHoldHalfTheBytesOfX() {
        long f64;
        long f32;
        try (SparkRowSource s = SparkRowSource.of(data.rdd(spark, 4), StorageLevel.MEMORY_ONLY())) {
            assertEquals(ElementType.FLOAT64, s.blockType());
            assertEquals(8L * data.m * data.n, s.featureBytes());
            f64 = reported(s, 8L * data.m * (data.n + 1));
        }
        try (SparkRowSource s = SparkRowSource.of(data.rdd(spark, 4), StorageLevel.MEMORY_ONLY(), ElementType.FLOAT32)) {
            f32 = reported(s, 4L * data.m * data.n + 8L * data.m);
        }
        // X: 8 → 4 bytes per value, y stays 8: (4·8 + 8) / (8·8 + 8) = 0.56 of the float64 blocks
        long expected64 = 8L * data.m * (data.n + 1);
        assertTrue(f64 >= expected64 && f64 < 1.1 * expected64, "float64 blocks: " + f64 + " bytes, X and y hold " + expected64);
        assertTrue(f32 < 0.6 * f64, "float32 blocks " + f32 + " bytes vs float64 " + f64);
        assertTrue(f32 >= 4L * data.m * data.n + 8L * data.m, "float32 blocks: " + f32 + " bytes");
    }

    /** Spark reports cached blocks asynchronously: wait (up to 10 s) until at least {@code atLeast} bytes show. */
    private static long reported(SparkRowSource s, long atLeast) {
        long bytes = s.cachedMemoryBytes();
        for (int i = 0; i < 100 && bytes < atLeast; i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            bytes = s.cachedMemoryBytes();
        }
        return bytes;
    }

    @Test
    void aFeatureBeyondFloat32IsRefusedNamingItsPlace() {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) rows.add(new double[] {i, 2.0 * i, 1 + i});
        rows.get(13)[1] = 1e39;
        JavaRDD<double[]> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkRowSource.of(rdd, StorageLevel.MEMORY_ONLY(), ElementType.FLOAT32));
        assertTrue(e.getMessage().contains("feature 1 is 1.0E39 at partition 0, row 13"), e.getMessage());
        assertTrue(e.getMessage().contains("not finite in float32"), e.getMessage());
        // float64 packing takes it
        try (SparkRowSource s = SparkRowSource.of(rdd, StorageLevel.MEMORY_ONLY())) {
            assertEquals(40, s.rows());
        }
        // a DataFrame names the column
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> SparkRowSource.of(frame(rows, 2, false, 1), "y", TestData.featureNames(2), null,
                        StorageLevel.MEMORY_ONLY(), ElementType.FLOAT32));
        assertTrue(f.getMessage().contains("feature column 'x1' is 1.0E39 at partition 0, row 13"), f.getMessage());
    }
}
