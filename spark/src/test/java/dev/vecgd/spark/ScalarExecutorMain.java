package dev.vecgd.spark;

import dev.vecgd.kernel.Kernels;
import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import org.apache.spark.sql.SparkSession;

/** Run by {@link ScalarFallbackTest} in a JVM without jdk.incubator.vector: a small Spark fit, key=value out. */
public final class ScalarExecutorMain {

    private ScalarExecutorMain() {
    }

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master("local[4]").appName("vecgd-scalar")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        try {
            TestData data = new TestData(5_003, 3, 0.5, 11);
            FitResult r = SparkLinearRegression.fit(data.frame(spark, 4), "y", TestData.featureNames(3),
                    FitOptions.builder().solver("cg").build());
            System.out.println("driver=" + Kernels.implementation());
            System.out.println("implementation=" + r.implementation());
            System.out.println("converged=" + r.converged());
            for (int j = 0; j < 3; j++) System.out.println("theta" + j + "=" + r.coefficient(j));
            System.out.println("intercept=" + r.intercept());
        } finally {
            spark.stop();
        }
    }
}
