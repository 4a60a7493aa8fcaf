/**
 * vecgd on Apache Spark: {@link dev.vecgd.spark.SparkLinearRegression} fits a DataFrame or a
 * {@code JavaRDD<double[]>} with the core's solvers; {@link dev.vecgd.spark.SparkRowSource} is the
 * {@link dev.vecgd.solver.RowSource} behind it (rows packed once per partition into row-major blocks,
 * one Spark job per pass, partials reduced in partition order for bit-identical results).
 *
 * <p>Spark 4.2 on JDK 25 is {@code provided}: a cluster or {@code spark-submit} supplies it. The package
 * {@code dev.vecgd.spark.example} holds the spark-submit example, {@code dev.vecgd.spark.bench} the MLlib
 * comparison.
 */
package dev.vecgd.spark;
