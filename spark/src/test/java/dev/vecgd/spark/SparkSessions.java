package dev.vecgd.spark;

import org.apache.spark.sql.SparkSession;

/** One local[4] session for the whole test JVM (Spark allows one active context per JVM). */
final class SparkSessions {

    private static SparkSession session;

    private SparkSessions() {
    }

    static synchronized SparkSession local4() {
        if (session == null) {
            session = SparkSession.builder().master("local[4]").appName("vecgd-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.host", "127.0.0.1")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }
}
