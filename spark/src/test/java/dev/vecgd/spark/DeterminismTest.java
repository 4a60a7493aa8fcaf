package dev.vecgd.spark;

import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two Spark fits of the same data whose tasks finish in different orders give bit-identical results:
 * the partials are added in partition order, never in completion order.
 */
class DeterminismTest {

    static SparkSession spark;
    static TestData data;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local4();
        data = new TestData(12_007, 4, 0.5, 7);
    }

    /** Records, per stage, the partitions in the order their tasks ended. */
    static final class CompletionOrder extends SparkListener {
        final Map<Integer, List<Integer>> byStage = new TreeMap<>();

        @Override
        public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
            byStage.computeIfAbsent(end.stageId(), s -> new ArrayList<>()).add(end.taskInfo().partitionId());
        }

        synchronized List<List<Integer>> orders() {
            return new ArrayList<>(byStage.values());
        }
    }

    private record Run(FitResult result, List<List<Integer>> completion) {
    }

    private Run fit(String solver, TaskDelay delay) throws java.util.concurrent.TimeoutException {
        try (SparkRowSource src = SparkRowSource.of(data.frame(spark, 8), "y", TestData.featureNames(4))) {
            src.taskDelay(delay);
            CompletionOrder listener = new CompletionOrder();
            spark.sparkContext().addSparkListener(listener);
            try {
                FitResult r = LinearRegression.fit(src, FitOptions.builder().solver(solver).build());
                // the listener bus is asynchronous: wait until it has delivered every event posted so far
                spark.sparkContext().listenerBus().waitUntilEmpty(60_000);
                return new Run(r, listener.orders());
            } finally {
                spark.sparkContext().removeSparkListener(listener);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gd", "cg", "normal"})
    void differentTaskTimingGivesBitIdenticalCoefficients(String solver) throws java.util.concurrent.TimeoutException {
        // first gradient passes: low partitions slow in run A, high partitions slow in run B (8 partitions, 4 cores)
        Run a = fit(solver, (p, pass) -> pass < 4 ? 10L * (8 - p) : 0);
        Run b = fit(solver, (p, pass) -> pass < 4 ? 10L * p + (p % 3) * 7 : 0);
        assertNotEquals(a.completion(), b.completion(), "the runs must really differ in task completion order");
        assertTrue(a.completion().stream().anyMatch(o -> !isSorted(o)) || b.completion().stream().anyMatch(o -> !isSorted(o)),
                "some stage finished out of partition order");
        FitResult x = a.result();
        FitResult y = b.result();
        assertTrue(x.converged(), x.message());
        assertEquals(x.iterations(), y.iterations());
        for (int j = 0; j < 4; j++) {
            assertEquals(Double.doubleToRawLongBits(x.coefficient(j)), Double.doubleToRawLongBits(y.coefficient(j)), "θ" + j);
        }
        assertEquals(Double.doubleToRawLongBits(x.intercept()), Double.doubleToRawLongBits(y.intercept()));
        assertEquals(Double.doubleToRawLongBits(x.loss()), Double.doubleToRawLongBits(y.loss()));
        assertEquals(Double.doubleToRawLongBits(x.standardErrors()[0]), Double.doubleToRawLongBits(y.standardErrors()[0]));
    }

    private static boolean isSorted(List<Integer> order) {
        for (int k = 1; k < order.size(); k++) if (order.get(k) < order.get(k - 1)) return false;
        return true;
    }
}
