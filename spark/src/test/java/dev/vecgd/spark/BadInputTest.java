package dev.vecgd.spark;

import dev.vecgd.solver.FitOptions;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input fails the fit with an {@link IllegalArgumentException} that names the problem and the column. */
class BadInputTest {

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local4();
    }

    static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("a", DataTypes.DoubleType, true),
            DataTypes.createStructField("b", DataTypes.IntegerType, true),
            DataTypes.createStructField("name", DataTypes.StringType, true),
            DataTypes.createStructField("y", DataTypes.DoubleType, true)));

    /** 40 good rows in 4 partitions, with row {@code bad} replaced. */
    static Dataset<Row> frame(int bad, Row replacement) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(i == bad ? replacement : RowFactory.create(0.5 * i, i % 7, "r" + i, 1.0 + i));
        }
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 4), SCHEMA);
    }

    static IllegalArgumentException fails(Dataset<Row> df, String label, List<String> features) {
        return assertThrows(IllegalArgumentException.class,
                () -> SparkLinearRegression.fit(df, label, features, FitOptions.defaults()));
    }

    static void says(IllegalArgumentException e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), () -> "\"" + p + "\" not in: " + e.getMessage());
    }

    @Test
    void aNullFeatureIsRejectedNamingTheColumn() {
        says(fails(frame(17, RowFactory.create(1.0, null, "x", 2.0)), "y", List.of("a", "b")),
                "feature column 'b'", "null", "partition 1");
    }

    @Test
    void aNaNFeatureIsRejectedNamingTheColumn() {
        says(fails(frame(33, RowFactory.create(Double.NaN, 1, "x", 2.0)), "y", List.of("a", "b")),
                "feature column 'a'", "NaN", "partition 3");
    }

    @Test
    void anInfiniteOrNullLabelIsRejectedNamingTheColumn() {
        says(fails(frame(0, RowFactory.create(1.0, 1, "x", Double.POSITIVE_INFINITY)), "y", List.of("a", "b")),
                "label column 'y'", "Infinity", "partition 0, row 0");
        says(fails(frame(5, RowFactory.create(1.0, 1, "x", null)), "y", List.of("a", "b")), "label column 'y'", "null");
    }

    @Test
    void anEmptyDataFrameIsAClearError() {
        Dataset<Row> empty = frame(-1, null).limit(0);
        says(fails(empty, "y", List.of("a", "b")), "empty", "0 rows");
        says(assertThrows(IllegalArgumentException.class, () -> SparkLinearRegression.fit(
                JavaSparkContext.fromSparkContext(spark.sparkContext()).<double[]>emptyRDD(), FitOptions.defaults())), "empty");
    }

    @Test
    void columnsAreCheckedBeforeAnyJob() {
        Dataset<Row> df = frame(-1, null);
        says(fails(df, "y", List.of("a", "nope")), "no column 'nope'");
        says(fails(df, "y", List.of("a", "name")), "feature column 'name'", "string", "numeric");
        says(fails(df, "name", List.of("a")), "label column 'name'", "numeric");
        says(fails(df, "y", List.of()), "no feature columns");
        says(fails(df, "y", List.of("a", "y")), "label column 'y'", "also listed");
        says(fails(df, "y", List.of("a", "a")), "twice");
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> SparkLinearRegression.fit(df, "y", List.of("a"), null));
        assertTrue(npe.getMessage().contains("options"), npe.getMessage());
    }

    @Test
    void partitionsOfDifferentWidthsAreRejectedAndNothingStaysCached() {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) rows.add(i < 10 ? new double[]{i, 2 * i, 1} : new double[]{i, 1});
        int cachedBefore = spark.sparkContext().getPersistentRDDs().size();
        says(assertThrows(IllegalArgumentException.class, () -> SparkLinearRegression.fit(
                        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2), FitOptions.defaults())),
                "partition 1", "1 features", "other rows 2");
        says(fails(frame(3, RowFactory.create(Double.NaN, 1, "x", 2.0)), "y", List.of("a", "b")), "NaN");
        assertTrue(spark.sparkContext().getPersistentRDDs().size() <= cachedBefore, "the failed sources were unpersisted");
    }

    @Test
    void raggedRowsAndVectorsOfDifferentSizesAreRejected() {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) rows.add(i == 13 ? new double[]{1, 2} : new double[]{i, 2 * i, 1});
        says(assertThrows(IllegalArgumentException.class, () -> SparkLinearRegression.fit(
                        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 1), FitOptions.defaults())),
                "2 values", "earlier rows 3");
        StructType vs = DataTypes.createStructType(List.of(
                DataTypes.createStructField("v", SQLDataTypes.VectorType(), true),
                DataTypes.createStructField("y", DataTypes.DoubleType, true)));
        List<Row> vrows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            vrows.add(RowFactory.create(i == 11 ? Vectors.dense(1, 2, 3) : Vectors.dense(i, 1), 1.0 * i));
        }
        says(fails(spark.createDataFrame(vrows, vs), "y", List.of("v")), "feature column 'v'", "3 elements");
        vrows.set(4, RowFactory.create(Vectors.dense(Double.NaN, 1), 1.0));
        vrows.set(11, RowFactory.create(Vectors.dense(1, 1), 1.0));
        says(fails(spark.createDataFrame(vrows, vs), "y", List.of("v")), "feature column 'v' element 0", "NaN");
    }
}
