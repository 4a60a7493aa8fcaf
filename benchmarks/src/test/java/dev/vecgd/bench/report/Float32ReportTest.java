package dev.vecgd.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The float32 rows of the report (issue 19) on small synthetic JMH JSON files: results with {@code dtype=float32}
 * count 4·m·n + 8·m bytes, stay out of the float64 tables, get their own section, and the float32 targets (float32
 * simd ≥ 90 % of the best float32 probe, float64 simd / float32 simd ≥ 1.8×) are judged per width with their gaps;
 * a run without float32 rows shows no float32 target.
 */
class Float32ReportTest {

    private static final ObjectMapper M = new ObjectMapper();

    @TempDir
    Path dir;

    private static ObjectNode result(String cls, String method, String shape, String layout, String dtype, String storage,
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
        b.put("warmupIterations", 2);
        b.put("warmupTime", "1 s");
        b.put("measurementIterations", 3);
        b.put("measurementTime", "1 s");
        ObjectNode params = b.putObject("params");
        params.put("shape", shape);
        if (layout != null) params.put("layout", layout);
        params.put("bits", "512");
        if (dtype != null) params.put("dtype", dtype);
        if (storage != null) params.put("storage", storage);
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

    private static void gradient(ArrayNode a, String shape, String layout, String dtype, double simd, double p2, double p4) {
        a.add(result("GradientBenchmark", "simd", shape, layout, dtype, null, simd, 0.0));
        a.add(result("GradientBenchmark", "readProbe2", shape, layout, dtype, null, p2, 0.0));
        a.add(result("GradientBenchmark", "readProbe4", shape, layout, dtype, null, p4, 0.0));
    }

    private String report(ArrayNode a, String name) throws Exception {
        Path json = dir.resolve(name + ".json");
        M.writeValue(json.toFile(), a);
        Path md = dir.resolve(name + ".md");
        ReportMain.main(new String[] {"--json", json.toString(), "--out", md.toString(), "--chart",
                dir.resolve(name + ".png").toString(), "--profile", "float32"});
        return Files.readString(md);
    }

    @Test
    void float32RowsTargetsAndSection() throws Exception {
        ArrayNode a = M.createArrayNode();
        gradient(a, "16777216x16", "row", "float64", 120, 115, 110);   // float64 simd 120 ms
        gradient(a, "16777216x16", "row", "float32", 60, 58, 55);      // 55/60 = 91.7 %; 120/60 = 2.00×
        gradient(a, "16777216x16", "column", "float64", 130, 115, 110);
        gradient(a, "16777216x16", "column", "float32", 80, 58, 55);   // 68.8 %; 1.63×: both missed
        gradient(a, "268435456x1", "row", "float64", 800, 700, 690);   // float64 results without a dtype param too
        a.add(result("StorageBenchmark", "simd", "16777216x16", null, "float32", "offheap", 61, 0.0));
        a.add(result("StorageBenchmark", "readProbe", "16777216x16", null, "float32", "offheap", 56, 0.0));
        a.add(result("StorageBenchmark", "simd", "16777216x16", null, null, "offheap", 118, 0.0));
        String r = report(a, "f32");

        JmhResults read = JmhResults.read(List.of(dir.resolve("f32.json")));
        Result f32 = read.results.stream().filter(x -> x.isFloat32() && x.method().equals("simd")
                && x.benchmarkClass().equals("GradientBenchmark")).findFirst().orElseThrow();
        assertEquals(4L * 16777216 * 16 + 8L * 16777216, f32.bytes(), "float32: 4·m·n + 8·m bytes");
        assertEquals("dtype=float32", f32.variant());

        assertTrue(r.contains("| float32 simd ≥ 90.0 % of the best float32 probe (DRAM) | 16777216x16 | row | 91.7 % — met |"), r);
        assertTrue(r.contains("| float64 simd time / float32 simd time ≥ 1.80× (DRAM) | 16777216x16 | row | 2× — met |"), r);
        assertTrue(r.contains("| float32 simd ≥ 90.0 % of the best float32 probe (DRAM) | 16777216x16 | column | 68.8 % — **missed** by 21.3 points"), r);
        assertTrue(r.contains("| float64 simd time / float32 simd time ≥ 1.80× (DRAM) | 16777216x16 | column | 1.63× — **missed** by 0.175×"), r);
        assertTrue(r.contains("| float32 simd ≥ 90.0 % of the best float32 probe (DRAM) | 268435456x1 | row | not measured in this run |"), r);
        assertTrue(r.contains("## float32 storage: `GradientBenchmark` with `dtype=float32`"), r);
        // the float32 section: GB/s over 4·m·n + 8·m bytes (1.2080e9 bytes / 60 ms = 20.1 GB/s; the probe 55 ms: 22.0), the best float32 probe
        assertTrue(r.contains("| 16777216x16 | row | 512-bit | 60.0 ± 0.600 (1.0 %) | 20.1 | 22.0 (4) | 91.7 % | 120 ± 1.20 (1.0 %) | 2× |"), r);
        // the float64 tables keep the float64 rows only
        assertTrue(r.contains("| 16777216x16 | row | 512-bit | `simd` | 120 ± 1.20 (1.0 %) |"), r);
        assertFalse(r.contains("| 16777216x16 | row | 512-bit | `simd` | 60.0"), r);
        assertTrue(r.contains("| simd ≥ 90.0 % of the best probe (DRAM) | 16777216x16 | row | 91.7 % — met |"), "float64 share: 110/120");
        // storage: float32 row with its probe and the float64 / float32 ratio
        assertTrue(r.contains("| 16777216x16 | 512-bit | `offheap` | float32 | 61.0 ± 0.610 (1.0 %) | 19.8 | – | 91.8 % | 1.93× |"), r);
    }

    @Test
    void aRunWithoutFloat32RowsHasNoFloat32Target() throws Exception {
        ArrayNode a = M.createArrayNode();
        gradient(a, "16777216x16", "row", null, 120, 115, 110);
        String r = report(a, "f64");
        assertFalse(r.contains("float32 simd ≥"), r);
        assertFalse(r.contains("## float32 storage"), r);
    }
}
