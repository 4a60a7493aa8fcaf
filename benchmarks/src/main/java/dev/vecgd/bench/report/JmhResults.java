package dev.vecgd.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vecgd.bench.BenchState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the JSON that JMH writes with {@code -rf json}: the results and the run settings. */
final class JmhResults {

    final List<Result> results = new ArrayList<>();
    final Set<String> jdks = new LinkedHashSet<>();
    final Set<String> jvmArgs = new LinkedHashSet<>();
    final Set<Integer> threads = new LinkedHashSet<>();
    final Set<String> settings = new LinkedHashSet<>();
    final Set<String> jmhVersions = new LinkedHashSet<>();

    static JmhResults read(Path json) throws IOException {
        return read(List.of(json));
    }

    /** Several result files as one run (e.g. full.json and extra.json); a later file's duplicate wins. */
    static JmhResults read(List<Path> jsons) throws IOException {
        JmhResults r = new JmhResults();
        for (Path json : jsons) {
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            if (root == null || !root.isArray()) {
                throw new IOException(json + " is not a JMH JSON result (expected an array)");
            }
            for (JsonNode b : root) {
                r.add(b);
            }
        }
        return r;
    }

    private void add(JsonNode b) {
        String benchmark = b.path("benchmark").asText();
        int dot = benchmark.lastIndexOf('.');
        String cls = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
        String method = benchmark.substring(dot + 1);
        JsonNode params = b.path("params");
        String shape = params.path("shape").asText("");
        String storage = params.path("storage").asText("");
        // StorageBenchmark is row-major only and has no layout parameter.
        String layout = params.path("layout").asText(storage.isEmpty() ? "" : "row");
        int threadsParam = params.path("threads").asInt(0);
        if (shape.isEmpty() || layout.isEmpty()) return; // not one of ours
        int[] mn = BenchState.parseShape(shape);

        JsonNode pm = b.path("primaryMetric");
        double toMs = msPerUnit(pm.path("scoreUnit").asText());
        double ms = number(pm.path("score")) * toMs;
        double err = number(pm.path("scoreError")) * toMs;

        double alloc = Double.NaN, allocErr = Double.NaN;
        for (Iterator<Map.Entry<String, JsonNode>> it = b.path("secondaryMetrics").properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                alloc = number(e.getValue().path("score"));
                allocErr = number(e.getValue().path("scoreError"));
            }
        }
        double iterationMs = durationMs(b.path("measurementTime").asText());
        results.add(new Result(cls, method, shape, layout, mn[0], mn[1], ms, err, alloc, allocErr, iterationMs,
                threadsParam, storage));

        jdks.add(b.path("jdkVersion").asText() + " (" + b.path("vmName").asText() + " " + b.path("vmVersion").asText() + ")");
        List<String> args = new ArrayList<>();
        b.path("jvmArgs").forEach(a -> args.add(a.asText()));
        jvmArgs.add(String.join(" ", args));
        threads.add(b.path("threads").asInt());
        jmhVersions.add(b.path("jmhVersion").asText());
        settings.add(b.path("forks").asInt() + " fork(s), warm-up " + b.path("warmupIterations").asInt() + " × "
                + b.path("warmupTime").asText() + ", measurement " + b.path("measurementIterations").asInt() + " × "
                + b.path("measurementTime").asText());
    }

    /** A JSON number, or a string such as "NaN" (JMH writes non-finite values as strings). */
    static double number(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return Double.NaN;
        if (n.isNumber()) return n.doubleValue();
        try {
            return Double.parseDouble(n.asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** JMH's iteration time, e.g. "1 s", "500 ms", "10 ms"; NaN when it cannot be read. */
    static double durationMs(String text) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length != 2) return Double.NaN;
        try {
            double v = Double.parseDouble(parts[0]);
            return switch (parts[1]) {
                case "s" -> v * 1e3;
                case "ms" -> v;
                case "us" -> v * 1e-3;
                case "ns" -> v * 1e-6;
                case "min" -> v * 60e3;
                default -> Double.NaN;
            };
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double msPerUnit(String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "s/op" -> 1e3;
            case "ms/op" -> 1.0;
            case "us/op" -> 1e-3;
            case "ns/op" -> 1e-6;
            default -> throw new IllegalArgumentException("unsupported JMH score unit '" + unit
                    + "' (run in average-time mode, -bm avgt)");
        };
    }
}
