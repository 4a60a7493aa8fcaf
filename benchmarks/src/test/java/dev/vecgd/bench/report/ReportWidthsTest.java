package dev.vecgd.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report on small synthetic JMH JSON files with chosen times: one table per width, the best probe
 * of the same width, the target verdicts and gaps, the baseline, widths from parameters and from
 * environment files.
 */
class ReportWidthsTest {

    private static final ObjectMapper M = new ObjectMapper();

    @TempDir
    Path dir;

    /** One JMH result: avgt in ms/op, 1 % error, gc.alloc.rate.norm = alloc. */
    private static ObjectNode result(String cls, String method, String shape, String layout, String bits, String threads,
                                     double ms, double alloc) {
        ObjectNode b = M.createObjectNode();
        b.put("benchmark", "dev.vecgd.bench." + cls + "." + method);
        b.put("jmhVersion", "1.37");
        b.put("mode", "avgt");
        b.put("threads", 1);
        b.put("forks", 1);
        b.put("jdkVersion", "25");
        b.put("vmName", "OpenJDK 64-Bit Server VM");
        b.put("vmVersion", "25");
        b.putArray("jvmArgs").add("--add-modules").add("jdk.incubator.vector");
        b.put("warmupIterations", 3);
        b.put("warmupTime", "1 s");
        b.put("measurementIterations", 5);
        b.put("measurementTime", "1 s");
        ObjectNode params = b.putObject("params");
        params.put("shape", shape);
        params.put("layout", layout);
        if (bits != null) params.put("bits", bits);
        if (threads != null) params.put("threads", threads);
        ObjectNode pm = b.putObject("primaryMetric");
        pm.put("score", ms);
        pm.put("scoreError", ms * 0.01);
        pm.put("scoreUnit", "ms/op");
        ObjectNode gc = b.putObject("secondaryMetrics").putObject("·gc.alloc.rate.norm");
        gc.put("score", alloc);
        gc.put("scoreError", 0.0);
        gc.put("scoreUnit", "B/op");
        return b;
    }

    private static void gradient(ArrayNode a, String shape, String layout, String bits, double simd, double p1, double p2,
                                 double p4, double simdAlloc) {
        a.add(result("GradientBenchmark", "simd", shape, layout, bits, null, simd, simdAlloc));
        a.add(result("GradientBenchmark", "readProbe", shape, layout, bits, null, p1, 0.0));
        a.add(result("GradientBenchmark", "readProbe2", shape, layout, bits, null, p2, 0.0));
        a.add(result("GradientBenchmark", "readProbe4", shape, layout, bits, null, p4, 0.0));
    }

    private Path write(String name, ArrayNode a) throws Exception {
        Path p = dir.resolve(name);
        M.writeValue(p.toFile(), a);
        return p;
    }

    private Path env(String name, int bits) throws Exception {
        ObjectNode e = M.createObjectNode();
        e.put("kernels", "vector: " + bits + "-bit, " + bits / 64 + " doubles per vector");
        e.put("kernelVectorBits", bits);
        e.put("readProbeSpecies", "Species[double, 8, S_512_BIT]");
        e.put("cpuModel", "Test CPU");
        Path p = dir.resolve(name);
        M.writeValue(p.toFile(), e);
        return p;
    }

    @Test
    void oneTablePerWidthBestProbeTargetsAndBaseline() throws Exception {
        ArrayNode w512 = M.createArrayNode();
        // Plain loops only in the widest run (they do not depend on the width).
        w512.add(result("GradientBenchmark", "naive", "4096x16", "row", "512", null, 1.0, 0.0));
        w512.add(result("GradientBenchmark", "scalarFused", "4096x16", "row", "512", null, 0.5, 0.0));
        gradient(w512, "4096x16", "row", "512", 0.125, 0.05, 0.06, 0.07, 0.0);         // 8× naive
        gradient(w512, "16777216x16", "row", "512", 150, 200, 150, 140, 0.0);        // best = 4 streams: 93.3 %
        gradient(w512, "16777216x16", "column", "512", 170, 200, 150, 140, 0.0);     // 82.4 % ≥ 80 %
        w512.add(result("ThreadsBenchmark", "simd", "16777216x16", "row", "512", "2", 100, 0.0));
        w512.add(result("ThreadsBenchmark", "readProbe", "16777216x16", "row", "512", "2", 120, 0.0));
        w512.add(result("ThreadsBenchmark", "readProbe2", "16777216x16", "row", "512", "2", 90, 0.0));
        w512.add(result("ThreadsBenchmark", "readProbe4", "16777216x16", "row", "512", "2", 95, 0.0));
        ArrayNode w256 = M.createArrayNode();
        gradient(w256, "4096x16", "row", "256", 0.25, 0.05, 0.06, 0.07, 40.0);         // 4× naive; 40 B/op
        gradient(w256, "16777216x16", "row", "256", 200, 200, 160, 180, 0.0);        // best = 2 streams: 80 %
        ArrayNode base = M.createArrayNode();
        base.add(result("GradientBenchmark", "simd", "4096x16", "row", null, null, 0.3, 0.0)); // no bits: from base-env.json
        env("base-env.json", 512);

        Path md = dir.resolve("out/benchmarks.md");
        ReportMain.main(new String[] {"--json", write("full-512.json", w512) + "," + write("full-256.json", w256),
                "--env", env("full-512-env.json", 512) + "," + env("full-256-env.json", 256),
                "--baseline", write("base.json", base).toString(),
                "--out", md.toString(), "--chart", dir.resolve("out/chart.png").toString(), "--profile", "test"});
        String r = Files.readString(md);

        assertTrue(r.contains("## 512-bit kernels (8 doubles per vector)"), r);
        assertTrue(r.contains("## 256-bit kernels (4 doubles per vector)"), r);
        assertTrue(r.indexOf("## 512-bit kernels") < r.indexOf("## 256-bit kernels"), "widest first");
        assertTrue(r.contains("| target | shape | layout | 512-bit | 256-bit |"), r);
        // 512-bit summary row: simd 0.125 ms, best probe readProbe (1 stream) at 4096x16, 8× naive, 4× scalarFused, 2.4× previous.
        assertTrue(r.contains("| 40.0 % | 8× | 4× | 2.40× | 0.000 |"), r);
        // 256-bit: naive taken from the 512-bit run; no baseline at 256 bits.
        assertTrue(r.contains("| 20.0 % | 4× | 2× | – | 40.000 |"), r);
        // Best probe per width: 4 streams at 512, 2 streams at 256; the share uses it.
        assertTrue(r.contains("(4) | 93.3 %"), r);
        assertTrue(r.contains("(2) | 80.0 %"), r);
        // Verdicts with gaps.
        assertTrue(r.contains("| simd ≥ 6× naive (L2) | 4096x16 | row | 8× — met | 4× — **missed** by 2× (67 % of the target) |"), r);
        assertTrue(r.contains("| simd ≥ 2× previous simd (L2) | 4096x16 | row | 2.40× — met | no baseline at 256 bits (give --baseline) |"), r);
        assertTrue(r.contains("| simd ≥ 90.0 % of the best probe (DRAM) | 16777216x16 | row | 93.3 % — met | 80.0 % — **missed** by 10.0 points"
                + " (11.4 vs 14.3 GB/s, readProbe2) |"), r);
        assertTrue(r.contains("| simd ≥ 80.0 % of the best probe (DRAM) | 16777216x16 | column | 82.4 % — met | not measured in this run |"), r);
        assertTrue(r.contains("| simd ≥ 6× naive (L2) | 4096x7 | row | not measured in this run |"), r);
        assertTrue(r.contains("**missed** by 39.000 B/op"), r);
        assertTrue(r.contains("| 2 threads ≥ 85.0 % of the best 2-thread probe | 16777216x16 | row | 90.0 % — met |"), r);
        // Every method table: the rows carry their width; no 512-bit result appears under 256 bits.
        assertTrue(r.contains("| 16777216x16 | row | 256-bit | `simd` | 200 ± 2.00 (1.0 %) |"), r);
        assertTrue(r.contains("| 16777216x16 | row | 512-bit | `simd` | 150 ± 1.50 (1.0 %) |"), r);
        assertFalse(r.contains("| 16777216x16 | row | 256-bit | `simd` | 150"), r);
        assertFalse(r.contains("| 4096x16 | row | 256-bit | `naive` |"), "naive is listed where it ran");
        // Counts per width: met / missed / not measured.
        assertTrue(r.matches("(?s).*\\| \\*\\*met / missed / not measured\\*\\* \\| \\| \\| \\d+ / \\d+ / \\d+ \\| \\d+ / \\d+ / \\d+ \\|.*"), r);
        byte[] png = Files.readAllBytes(dir.resolve("out/chart.png"));
        assertTrue(png.length > 1000 && png[1] == 'P', "chart written");
    }

    @Test
    void widthsComeFromTheBitsParameterElseTheEnvironmentElseAreUnknown() throws Exception {
        ArrayNode legacy = M.createArrayNode();
        gradient(legacy, "4096x16", "row", null, 0.125, 0.05, 0.06, 0.07, 0.0);
        Path json = write("old.json", legacy);
        assertEquals(0, JmhResults.read(List.of(json)).results.get(0).bits(), "no bits, no environment: unknown");
        env("old-env.json", 512);
        assertEquals(512, JmhResults.read(List.of(json)).results.get(0).bits(), "from old-env.json beside it");
        ArrayNode labelled = M.createArrayNode();
        gradient(labelled, "4096x16", "row", "128", 0.125, 0.05, 0.06, 0.07, 0.0);
        assertEquals(128, JmhResults.read(List.of(write("x.json", labelled)), List.of(dir.resolve("old-env.json")))
                .results.get(0).bits(), "the bits parameter wins over an environment");

        ArrayNode base = M.createArrayNode();
        base.add(result("GradientBenchmark", "simd", "4096x16", "row", null, null, 0.3, 0.0));
        Path b = write("nobits.json", base);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportMain.readBaseline(new JmhResults(), b.toString()));
        assertTrue(e.getMessage().contains(":512"), e.getMessage());
        JmhResults given = new JmhResults();
        ReportMain.readBaseline(given, b + ":256");
        assertEquals(256, given.results.get(0).bits());
    }
}
