package dev.vecgd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vecgd.bench.report.ReportMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark through JMH itself (the generated harness code, the {@code @Param}
 * override, {@code -prof gc}, JSON output) in this JVM on tiny shapes, then turns the JSON into a
 * report and a chart with {@link ReportMain}.
 */
class JmhSmokeTest {

    @Test
    void jmhRunsEveryBenchmarkOnTinyShapesAndTheReportIsWritten(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("smoke.json");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        System.setProperty("vecgd.bench.tmp", tmp.toString()); // forks(0): StorageBenchmark's .npy goes here
        // JMH's lock (/tmp/jmh.lock) keeps two measuring runs apart; this run checks the pipeline, not the
        // numbers, so a JMH run elsewhere on the machine (another build, a benchmark) must not fail it.
        System.setProperty("jmh.ignoreLock", "true");
        Options opts = new OptionsBuilder()
                .include("dev\\.vecgd\\.bench\\.(GradientBenchmark|KernelBenchmark|SolverStepBenchmark|ThreadsBenchmark|StorageBenchmark)\\.")
                .param("shape", "64x5", "103x3")
                .param("layout", "row", "column")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20))
                .timeUnit(TimeUnit.MILLISECONDS)
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .shouldFailOnError(true)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();
        Collection<RunResult> results;
        try {
            results = new Runner(opts).run();
        } finally {
            System.clearProperty("vecgd.bench.tmp");
            System.clearProperty("jmh.ignoreLock");
        }
        // 9 methods (6 GradientBenchmark, 2 KernelBenchmark, 1 SolverStepBenchmark) × 2 shapes × 2 layouts;
        // ThreadsBenchmark: 4 methods × 2 shapes × 2 layouts × 2 thread counts; StorageBenchmark (no layout
        // parameter): 2 methods (simd, readProbe) × 2 shapes × 3 storages (dtype float64, the default)
        assertEquals(36 + 32 + 12, results.size(), "JMH results");
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count(), "StorageBenchmark deleted its temporary .npy");
        }
        for (RunResult r : results) {
            double score = r.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), r.getParams().getBenchmark() + " scored " + score);
        }

        Path md = dir.resolve("docs/benchmarks.md");
        Path png = dir.resolve("docs/benchmarks-gbps.png");
        Path env = dir.resolve("env.json");
        dev.vecgd.bench.report.EnvMain.main(new String[] {env.toString()});
        ReportMain.main(new String[] {"--json", json.toString(), "--env", env.toString(), "--out", md.toString(),
                "--chart", png.toString(), "--profile", "test"});
        String report = Files.readString(md);
        // bits = auto here (no run.sh): the report takes the width from the one environment file.
        String w = dev.vecgd.kernel.Kernels.vectorBits() + "-bit";
        for (String expected : new String[] {"| 103x3 | column | " + w + " | `simd` |", "| 64x5 | row | " + w + " | `readProbe` |",
                "| 64x5 | row | " + w + " | `readProbe2` |", "| 64x5 | row | " + w + " | `readProbe4` |",
                "## Targets per width", "## " + w + " kernels", "## `KernelBenchmark`", "## `SolverStepBenchmark`", "benchmarks-gbps.png",
                "read probe species", "not measured in this run", "## Threads", "| 103x3 | column | " + w + " | 2 |",
                "2 threads ≥ 85 % of the best 2-thread probe", "## Storage", "| 64x5 | " + w + " | `mapped` |",
                "mapped within 5 % of heap"}) {
            assertTrue(report.contains(expected), "report lacks '" + expected + "':\n" + report);
        }
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', "chart is a PNG");
    }
}
