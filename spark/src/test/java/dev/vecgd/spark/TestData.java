package dev.vecgd.spark;

import dev.vecgd.data.Dataset;
import dev.vecgd.solver.FitResult;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Deterministic regression rows, as local data, as an RDD and as a DataFrame with the same partitions. */
final class TestData {

    static final double INTERCEPT = 3.25;

    final int m;
    final int n;
    final List<double[]> rows;

    /** y = 3.25 + Σ θ_j x_j + noise·N(0,1), θ_j = ±(0.5 + j), x_j ~ (j − n/2) + (1 + j/2)·N(0,1) with a common factor. */
    TestData(int m, int n, double noise, long seed) {
        this.m = m;
        this.n = n;
        this.rows = new ArrayList<>(m);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < m; i++) {
            double[] r = new double[n + 1];
            double common = gaussian(rnd);
            double h = INTERCEPT;
            for (int j = 0; j < n; j++) {
                r[j] = (j - n / 2.0) + (1 + j / 2.0) * (gaussian(rnd) + 0.3 * common);
                h += theta(j) * r[j];
            }
            r[n] = h + noise * gaussian(rnd);
            rows.add(r);
        }
    }

    static double theta(int j) {
        return (j % 2 == 0 ? 1 : -1) * (0.5 + j);
    }

    Dataset local() {
        double[] x = new double[m * n];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            System.arraycopy(rows.get(i), 0, x, i * n, n);
            y[i] = rows.get(i)[n];
        }
        return Dataset.rowMajor(x, m, n, y);
    }

    JavaRDD<double[]> rdd(SparkSession spark, int partitions) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions);
    }

    static List<String> featureNames(int n) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < n; j++) names.add("x" + j);
        return names;
    }

    /** Columns x0..x{n-1} (double) and y, in the RDD's partitions. */
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> frame(SparkSession spark, int partitions) {
        List<StructField> fields = new ArrayList<>();
        for (String f : featureNames(n)) fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField("y", DataTypes.DoubleType, true));
        int width = n + 1;
        JavaRDD<org.apache.spark.sql.Row> r = rdd(spark, partitions).map(a -> {
            Object[] v = new Object[width];
            for (int j = 0; j < width; j++) v[j] = a[j];
            return RowFactory.create(v);
        });
        return spark.createDataFrame(r, DataTypes.createStructType(fields));
    }

    static StructType schema(StructField... fields) {
        return DataTypes.createStructType(fields);
    }

    static double gaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
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

    /** Largest component-wise relative difference over θ and θ₀. */
    static double maxComponentDifference(FitResult a, FitResult b) {
        double worst = Math.abs(a.intercept() - b.intercept()) / Math.abs(a.intercept());
        for (int j = 0; j < a.coefficients().length; j++) {
            worst = Math.max(worst, Math.abs(a.coefficient(j) - b.coefficient(j)) / Math.abs(a.coefficient(j)));
        }
        return worst;
    }
}
