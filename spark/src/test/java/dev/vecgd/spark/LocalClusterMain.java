package dev.vecgd.spark;

import dev.vecgd.kernel.Kernels;
import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import org.apache.spark.sql.SparkSession;

/**
 * Run by {@link LocalClusterTest} in a JVM of its own: a Spark "local-cluster" (a master, two workers and
 * two executor JVMs on this machine) whose executors are told to use the scalar kernels, while this driver
 * uses the vector ones; fits twice and prints key=value lines.
 */
public final class LocalClusterMain {

    private LocalClusterMain() {
    }

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("vecgd-local-cluster")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executor.extraJavaOptions", "-Dvecgd.kernel=scalar")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        try {
            TestData data = new TestData(8_009, 3, 0.5, 13);
            FitOptions o = FitOptions.builder().solver("cg").gradientTolerance(1e-14).build();
            FitResult a = SparkLinearRegression.fit(data.frame(spark, 5), "y", TestData.featureNames(3), o);
            FitResult b = SparkLinearRegression.fit(data.rdd(spark, 5), o);
            System.out.println("driver=" + Kernels.implementation());
            System.out.println("implementation=" + a.implementation());
            System.out.println("converged=" + a.converged());
            for (int j = 0; j < 3; j++) {
                System.out.println("theta" + j + "=" + a.coefficient(j));
                System.out.println("same" + j + "=" + (Double.doubleToRawLongBits(a.coefficient(j)) == Double.doubleToRawLongBits(b.coefficient(j))));
            }
            System.out.println("intercept=" + a.intercept());
            System.out.println("se0=" + a.standardErrors()[0]);
        } finally {
            spark.stop();
        }
    }
}
