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

    /** Widths of the files read (from their results' bits, else from their environment), in file order. */
    final Set<Integer> widths = new LinkedHashSet<>();

    static JmhResults read(Path json) throws IOException {
        return read(List.of(json));
    }

    /**
     * Several result files as one report (e.g. the per-width files and extra.json); a later file's
     * duplicate wins. A result's width is its {@code bits} parameter when that is a number, else the
     * {@code kernelVectorBits} of the file's environment ({@link #envOf}), else 0 (unknown).
     */
    static JmhResults read(List<Path> jsons) throws IOException {
        return read(jsons, List.of());
    }

    /** As {@link #read(List)}; {@code envs} are candidate environment files (see {@link #envOf}). */
    static JmhResults read(List<Path> jsons, List<Path> envs) throws IOException {
        JmhResults r = new JmhResults();
        for (Path json : jsons) {
            r.readFile(json, widthOfFile(json, envs));
        }
        return r;
    }

    /**
     * The width of a results file without a {@code bits} parameter: {@code W} of a {@code FILE.json:W}
     * argument is handled by the caller; here the environment {@code <name>-env.json} beside it, else the
     * only environment given, else 0.
     */
    static int widthOfFile(Path json, List<Path> envs) throws IOException {
        Path env = envOf(json);
        if (env == null && envs.size() == 1) env = envs.get(0);
        if (env == null) return 0;
        return new ObjectMapper().readTree(env.toFile()).path("kernelVectorBits").asInt(0);
    }

    /** {@code X-env.json} beside {@code X.json}, when it exists. */
    static Path envOf(Path json) {
        String name = json.getFileName().toString();
        if (!name.endsWith(".json")) return null;
        Path env = json.resolveSibling(name.substring(0, name.length() - ".json".length()) + "-env.json");
        return java.nio.file.Files.isRegularFile(env) ? env : null;
    }

    /** Reads one file, attributing results without a numeric bits parameter to {@code fileBits}. */
    void readFile(Path json, int fileBits) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        if (root == null || !root.isArray()) {
            throw new IOException(json + " is not a JMH JSON result (expected an array)");
        }
        for (JsonNode b : root) {
            add(b, fileBits);
        }
    }

    private void add(JsonNode b, int fileBits) {
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
        String bitsParam = params.path("bits").asText("");
        int bits = bitsParam.matches("\\d+") ? Integer.parseInt(bitsParam) : fileBits;
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
        String dtype = params.path("dtype").asText("float64");
        results.add(new Result(cls, method, shape, layout, mn[0], mn[1], ms, err, alloc, allocErr, iterationMs,
                threadsParam, storage, bits, dtype));
        widths.add(bits);

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
