package dev.vecgd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@link CompensatedBenchmark}: its methods compute what they claim (the compensated and plain passes agree on
 * benign data, the compensated Gram pass holds m and Σy²), and JMH runs them on tiny shapes (the smoke pattern of
 * {@link JmhSmokeTest}; nothing is measured here).
 */
class CompensatedBenchmarkTest {

    @Test
    void methodsAgreeWithThePlainPassAndTheGramSums() {
        for (String layout : new String[] {"row", "column"}) {
            BenchState s = new BenchState().setup("103x5", layout);
            CompensatedBenchmark b = new CompensatedBenchmark();
            double plain = b.plainFused(s);
            double[] g = s.g.clone();
            double compensated = b.compensatedFused(s);
            assertEquals(plain, compensated, 1e-12 * plain, layout + " Σr²");
            for (int j = 0; j <= 5; j++) {
                double dd = b.acc[2 * j] + b.acc[2 * j + 1];
                assertEquals(g[j], dd, 1e-10 * (1 + Math.abs(g[j])), layout + " g" + j);
            }
            b.compensatedGram(s);
            int w = 7;
            assertEquals(103.0, b.acc[2 * (5 * w + 5)], layout + " m");
            double yy = 0;
            for (int i = 0; i < s.m; i++) yy = Math.fma(s.targets.get(i), s.targets.get(i), yy);
            assertEquals(yy, b.acc[2 * (w * w - 1)] + b.acc[2 * (w * w - 1) + 1], 1e-12 * yy, layout + " Σy²");
        }
    }

    @Test
    void jmhRunsTheMethodsOnTinyShapes() throws Exception {
        System.setProperty("jmh.ignoreLock", "true");
        Options opts = new OptionsBuilder()
                .include("dev\\.vecgd\\.bench\\.CompensatedBenchmark\\.")
                .param("shape", "64x5")
                .param("layout", "row", "column")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20))
                .timeUnit(TimeUnit.MILLISECONDS)
                .shouldFailOnError(true)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();
        Collection<RunResult> results;
        try {
            results = new Runner(opts).run();
        } finally {
            System.clearProperty("jmh.ignoreLock");
        }
        assertEquals(3 * 2, results.size(), "JMH results");
        for (RunResult r : results) {
            double score = r.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), r.getParams().getBenchmark() + " scored " + score);
        }
    }
}
