package dev.vecgd.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH JSON results ({@code -rf json}) of the vecgd benchmarks into a Markdown report and a PNG
 * chart, with one set of tables per kernel vector width.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.vecgd.bench.report.ReportMain --json A.json[,B.json...]
 * [--extra-json E.json[,...]] [--env A-env.json[,...]] [--baseline P.json[:W][,...]] [--out docs/benchmarks.md]
 * [--chart docs/benchmarks-gbps.png] [--profile NAME] [--command "how it was run"]}.
 * <ul>
 *   <li>{@code --json}: the results, usually one file per width ({@code benchmarks/run.sh} writes
 *       {@code <profile>-512.json}, {@code -256}, {@code -128}); {@code --extra-json}: more results read as
 *       part of the same report (e.g. the ThreadsBenchmark and StorageBenchmark files of
 *       {@code run.sh extra}). A result's width is its {@code bits} parameter (checked against the fork's
 *       kernels by {@code KernelWidth}); a result without one (a run made before per-width runs) takes the
 *       width of its file's environment, {@code X-env.json} beside {@code X.json}, or of the only
 *       {@code --env} given; otherwise it is shown under "unknown width".</li>
 *   <li>{@code --env}: {@link EnvMain} files (kernels, species, CPU) of JVMs with the forks' flags, one per width.</li>
 *   <li>{@code --baseline}: JMH results of the previous kernels, for the target "≥ 2× the previous simd";
 *       {@code :W} gives the width of a file that has no bits parameter (else its {@code -env.json}).</li>
 * </ul>
 * Reading only files, it also regenerates a report without rerunning JMH ({@code benchmarks/run.sh report}).
 *
 * <p>Per width, shape and layout the report gives ms per gradient, GB/s counting {@code 8·(m·n + m)} bytes
 * (X and y read once; GB = 10⁹ bytes), the share of the <em>best</em> read probe of the same run (the fastest
 * of {@code readProbe}, {@code readProbe2}, {@code readProbe4}: one stream underestimates the bandwidth), the
 * speed-ups over {@code naive}, {@code scalarFused} and the baseline's {@code simd}, B/op from
 * {@code gc.alloc.rate.norm}, with the JMH error, and checks the targets of issue 12 per width
 * ({@link Targets}). The plain loops do not depend on the kernel width: they run once, and the tables
 * of every width show them.
 */
public final class ReportMain {

    static final String GRADIENT = "GradientBenchmark";
    static final String KERNEL = "KernelBenchmark";
    static final String STEP = "SolverStepBenchmark";
    static final String THREADS = "ThreadsBenchmark";
    static final String STORAGE = "StorageBenchmark";
    static final List<String> STORAGES = List.of("heap", "offheap", "mapped");
    static final List<String> GRADIENT_METHODS = List.of("naive", "scalarFused", "simd", "readProbe", "readProbe2", "readProbe4");
    static final List<String> PROBES = List.of("readProbe", "readProbe2", "readProbe4");
    static final List<String> LAYOUTS = List.of("row", "column");

    /** "DRAM sizes": shapes whose X has at least 2³¹ bytes. */
    static final long DRAM_X_BYTES = 1L << 31;
    /** Off-heap and mapped within 5 % of heap arrays: time ≤ 1.05 × heap's. */
    static final double TARGET_STORAGE_SLOWDOWN = 0.05;

    private ReportMain() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, String> opts = parse(args);
        List<Path> jsons = new ArrayList<>(paths(require(opts, "--json")));
        if (opts.containsKey("--extra-json")) jsons.addAll(paths(opts.get("--extra-json")));
        List<Path> envPaths = opts.containsKey("--env") ? paths(opts.get("--env")) : List.of();
        Path out = Path.of(opts.getOrDefault("--out", "docs/benchmarks.md"));
        Path chart = Path.of(opts.getOrDefault("--chart", "docs/benchmarks-gbps.png"));
        List<JsonNode> envs = new ArrayList<>();
        for (Path e : envPaths) envs.add(new ObjectMapper().readTree(e.toFile()));
        JmhResults baseline = new JmhResults();
        List<String> baselineNames = new ArrayList<>();
        if (opts.containsKey("--baseline")) {
            for (String spec : opts.get("--baseline").split(",")) {
                if (spec.isBlank()) continue;
                readBaseline(baseline, spec.trim());
                baselineNames.add(spec.trim());
            }
        }
        String report = generate(JmhResults.read(jsons, envPaths), envs, baseline, baselineNames, out, chart,
                opts.getOrDefault("--profile", "?"), opts.get("--command"), jsons);
        System.out.println("wrote " + out + (Files.exists(chart) ? " and " + chart : ""));
        if (opts.containsKey("--print")) System.out.println(report);
    }

    private static List<Path> paths(String commaList) {
        return Arrays.stream(commaList.split(",")).map(String::trim).filter(p -> !p.isEmpty()).map(Path::of).toList();
    }

    /**
     * Reads {@code FILE.json[:W]} into {@code into}: results without a bits parameter are attributed to W,
     * else to the width of {@code FILE-env.json}; it is an error when neither says.
     */
    static void readBaseline(JmhResults into, String spec) throws IOException {
        int colon = spec.lastIndexOf(':');
        Path file;
        int bits;
        if (colon > 0 && spec.substring(colon + 1).matches("\\d+")) {
            file = Path.of(spec.substring(0, colon));
            bits = Integer.parseInt(spec.substring(colon + 1));
        } else {
            file = Path.of(spec);
            bits = JmhResults.widthOfFile(file, List.of());
        }
        int before = into.results.size();
        into.readFile(file, bits);
        for (Result r : into.results.subList(before, into.results.size())) {
            if (r.bits() == 0) {
                throw new IllegalArgumentException("baseline " + file + " has results without a bits parameter and no "
                        + JmhResults.envOf(file) + ": give its width as " + file + ":512 (or :256, :128)");
            }
        }
    }

    /**
     * Appends, unchanged and in file-name order, the Markdown files of {@code bench/sections/} beside
     * {@code out} (e.g. docs/bench/sections/*.md for docs/benchmarks.md): results measured outside JMH
     * (the scale run, time to solution, Spark vs MLlib) that a regenerated report must keep.
     */
    static void handWrittenSections(StringBuilder md, Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        Path dir = parent == null ? null : parent.resolve("bench").resolve("sections");
        if (dir == null || !Files.isDirectory(dir)) return;
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
        }
        if (files.isEmpty()) return;
        md.append("---\n\n*The sections below are not generated from JMH: they record runs outside it, and are kept in ")
                .append(files.stream().map(p -> "`" + parent.relativize(p).toString().replace('\\', '/') + "`")
                        .reduce((a, b) -> a + ", " + b).orElse(""))
                .append(" (edit those files; this report appends them unchanged).*\n\n");
        for (Path f : files) {
            String text = Files.readString(f);
            md.append(text);
            if (!text.endsWith("\n")) md.append('\n');
            md.append('\n');
        }
    }

    /**
     * Writes the report to {@code out} and the chart to {@code chart} (the chart only when there are
     * {@code GradientBenchmark} results); returns the Markdown.
     */
    static String generate(JmhResults jmh, List<JsonNode> envs, JmhResults baselineResults, List<String> baselineNames,
                           Path out, Path chart, String profile, String command, List<Path> jsons) throws IOException {
        List<Result> every = new ArrayList<>(jmh.results);
        if (every.isEmpty()) throw new IOException("no vecgd benchmark results (with shape and layout params) in " + jsons);
        ResultIndex idx = new ResultIndex(every);
        ResultIndex baseline = new ResultIndex(baselineResults.results);
        List<Integer> widths = idx.widths();
        // The main sections: the single-thread heap benchmarks (Threads and Storage have their own).
        List<Result> all = every.stream().filter(r -> !r.benchmarkClass().equals(THREADS) && !r.benchmarkClass().equals(STORAGE)).toList();
        List<String> shapes = all.stream()
                .sorted(Comparator.comparingLong(Result::bytes).thenComparingInt(Result::n))
                .map(Result::shape).distinct().toList();
        List<String> layouts = LAYOUTS.stream().filter(l -> all.stream().anyMatch(r -> r.layout().equals(l))).toList();
        // float64 results only: the float32 rows (dtype=float32) have their own section and targets
        List<Result> gradient = all.stream().filter(r -> r.benchmarkClass().equals(GRADIENT) && !r.isFloat32()).toList();
        List<Integer> gradientWidths = widths.stream()
                .filter(w -> all.stream().anyMatch(r -> r.benchmarkClass().equals(GRADIENT) && r.bits() == w)).toList();
        String sources = jsons.stream().map(p -> "`" + p.getFileName() + "`").reduce((a, b) -> a + ", " + b).orElse("?");

        StringBuilder md = new StringBuilder();
        md.append("# vecgd benchmarks\n\n");
        md.append("Generated by `dev.vecgd.bench.report.ReportMain` from ").append(sources)
                .append(" (profile **").append(profile).append("**). Do not edit by hand: rerun `benchmarks/run.sh ")
                .append(profile).append(List.of("full", "quick", "smoke").contains(profile)
                        ? "`, or `benchmarks/run.sh report" + (profile.equals("full") ? "" : " " + profile)
                        + "` to rebuild this file from the saved JSON without rerunning JMH.\n\n"
                        : "`.\n\n");
        header(md, jmh, envs, widths, baselineNames, command);

        for (JsonNode env : envs) {
            if (env.path("kernels").asText("").equals("scalar")) {
                md.append("> **Warning:** `Kernels` ran the scalar reference in a run of this report, so `simd` is not SIMD there.\n\n");
                break;
            }
        }

        md.append("Each kernel width is a separate JMH run (`-Dvecgd.vector.bits=W`, results labelled `bits=W` and checked ")
                .append("against the fork's kernels). The read probes always use the hardware's vector width (they measure the ")
                .append("machine) and run in every width's run; the ceiling of a row is the **best probe** of that run: the fastest ")
                .append("of `readProbe` (one stream: X, then y), `readProbe2` (X and y in one loop) and `readProbe4` (four quarters of ")
                .append("X and y in one loop). `naive` and `scalarFused` (plain loops) do not depend on the kernel width: they run once ")
                .append("per shape and layout, in the widest width's run, and every width's table compares with those.\n\n");

        if (!gradient.isEmpty()) {
            targetsSideBySide(md, idx, baseline, gradientWidths, layouts);
            for (int bits : gradientWidths) {
                widthSection(md, idx, baseline, bits, shapes, layouts);
            }

            Path rel = relative(out, chart);
            md.append("## Chart\n\n![GB/s per shape, method, width and layout](").append(rel.toString().replace('\\', '/')).append(")\n\n");

            md.append("## `GradientBenchmark`: every method\n\n");
            md.append("`naive`: two passes with plain loops (r = Xθ + b − y stored, then Xᵀr; column-major reads whole columns). ")
                    .append("`scalarFused`: one pass with plain loops, r not stored. `simd`: `Kernels.lossGradientAdd` over the whole matrix ")
                    .append("(r not stored). `readProbe`, `readProbe2`, `readProbe4`: pure Vector API reads of X and y in one, two and five ")
                    .append("streams (four accumulators each), the bandwidth ceiling. Every gradient method zeroes g (n + 1 doubles, ")
                    .append("`Arrays.fill`) inside each operation. `bits`: the kernel width of the run the row was measured in; ")
                    .append("`% of best probe` against the best probe of that run.\n\n");
            md.append("| shape | layout | bits | method | ms/op ± error | GB/s | % of best probe | × naive | × scalarFused | B/op |\n");
            md.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
            for (String shape : shapes) {
                for (String layout : layouts) {
                    for (int bits : gradientWidths) {
                        Result probe = idx.bestProbe(GRADIENT, shape, layout, bits);
                        Result naive = idx.anyWidth(GRADIENT, "naive", shape, layout, bits);
                        Result fused = idx.anyWidth(GRADIENT, "scalarFused", shape, layout, bits);
                        for (String method : GRADIENT_METHODS) {
                            Result r = idx.get(GRADIENT, method, shape, layout, bits);
                            if (r == null) continue;
                            md.append("| ").append(shape).append(" | ").append(layout).append(" | ").append(width(bits))
                                    .append(" | `").append(method).append("` | ")
                                    .append(msWithError(r)).append(" | ").append(fmt(r.gbPerSecond()))
                                    .append(" | ").append(probe == null ? "–" : pct(probe.ms() / r.ms()))
                                    .append(" | ").append(naive == null ? "–" : times(naive.ms() / r.ms()))
                                    .append(" | ").append(fused == null ? "–" : times(fused.ms() / r.ms()))
                                    .append(" | ").append(bytesPerOp(r)).append(" |\n");
                        }
                    }
                }
            }
            md.append('\n');
        }

        kernelSection(md, idx, shapes, layouts, widths);
        stepSection(md, idx, shapes, layouts, widths);
        threadsSection(md, idx, every, widths);
        storageSection(md, idx, every, widths);
        float32Section(md, idx, shapes, layouts, widths);
        handWrittenSections(md, out);

        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(out, md.toString());
        if (!gradient.isEmpty()) {
            List<Result> series = chartSeries(idx, gradient, gradientWidths, shapes, layouts);
            List<String> labels = series.stream().map(Result::method).distinct().toList();
            GbpsChart.write(chart, series, shapes, layouts, labels, chartSubtitle(jmh, envs));
        }
        return md.toString();
    }

    /** The chart's series: naive, scalarFused, simd at each width, the best probe of the widest width's run. */
    private static List<Result> chartSeries(ResultIndex idx, List<Result> gradient, List<Integer> widths,
                                            List<String> shapes, List<String> layouts) {
        List<Result> out = new ArrayList<>();
        for (String m : List.of("naive", "scalarFused")) {
            for (Result r : gradient) if (r.method().equals(m)) out.add(r);
        }
        for (int bits : widths) {
            for (Result r : gradient) if (r.method().equals("simd") && r.bits() == bits) out.add(r.withMethod("simd " + width(bits)));
        }
        int probeWidth = widths.get(0);
        for (String shape : shapes) {
            for (String layout : layouts) {
                Result p = idx.bestProbe(GRADIENT, shape, layout, probeWidth);
                if (p != null) out.add(p.withMethod("best probe"));
            }
        }
        return out;
    }

    private static void header(StringBuilder md, JmhResults jmh, List<JsonNode> envs, List<Integer> widths,
                               List<String> baselineNames, String command) {
        md.append("| | |\n|---|---|\n");
        row(md, "JDK", String.join("; ", jmh.jdks));
        if (!envs.isEmpty()) {
            JsonNode env = envs.get(0);
            row(md, "CPU", env.path("cpuModel").asText("?") + "; " + env.path("availableProcessors").asText("?")
                    + " processors visible to the JVM; memory " + env.path("memTotal").asText("?"));
            List<String> kernels = new ArrayList<>();
            for (JsonNode e : envs) {
                String k = "`" + e.path("kernels").asText("?") + "` (" + e.path("kernelVectorBits").asText("?") + "-bit)";
                if (!kernels.contains(k)) kernels.add(k);
            }
            row(md, "kernels (`Kernels.implementation()`), per run", String.join("; ", kernels));
            row(md, "read probe species (hardware's width)", "`" + env.path("readProbeSpecies").asText("?") + "`");
            row(md, "OS", env.path("os").asText("?"));
            row(md, "captured at", envs.stream().map(e -> e.path("capturedAt").asText("?")).distinct()
                    .reduce((a, b) -> a + ", " + b).orElse("?"));
        } else {
            row(md, "CPU, kernels, species", "not recorded (no --env file)");
        }
        row(md, "kernel widths in this report", widths.stream().map(ReportMain::width).reduce((a, b) -> a + ", " + b).orElse("?"));
        row(md, "baseline (previous kernels)", baselineNames.isEmpty() ? "none (no --baseline)"
                : baselineNames.stream().map(b -> "`" + Path.of(b).getFileName() + "`").reduce((a, b) -> a + ", " + b).orElse(""));
        row(md, "fork JVM flags (heap)", jmh.jvmArgs.stream().map(a -> "`" + a + "`").reduce((a, b) -> a + "; " + b).orElse("?"));
        row(md, "benchmark threads", jmh.threads.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("?"));
        row(md, "JMH", String.join("; ", jmh.jmhVersions) + "; " + String.join("; ", jmh.settings));
        if (command != null && !command.isBlank()) row(md, "command", "`" + command + "`");
        md.append('\n');
    }

    /** One table: every target (rows) at every width (columns), measured value and verdict. */
    private static void targetsSideBySide(StringBuilder md, ResultIndex idx, ResultIndex baseline, List<Integer> widths,
                                          List<String> layouts) {
        md.append("## Targets per width\n\n");
        md.append("From issue 12, per kernel width: in L2 `simd` ≥ 6× `naive` and ≥ 2× the previous kernels' `simd` (the baseline, same ")
                .append("width); at DRAM sizes row-major ≥ 90 % and column-major ≥ 80 % of the best probe; 0 B/op; 2 threads ≥ 85 % of the ")
                .append("best 2-thread probe; from issue 19, when the run has float32 rows: float32 `simd` ≥ 90 % of the best ")
                .append("float32 probe and float64 `simd` time / float32 `simd` time ≥ 1.8× at 16777216x16 and 268435456x1. ")
                .append("Each cell: measured value — verdict (a missed target with its gap; JMH error ≥ 3 % is ")
                .append("marked not conclusive).\n\n");
        Map<String, Map<Integer, Targets.Verdict>> rows = new LinkedHashMap<>();
        Map<Integer, int[]> counts = new LinkedHashMap<>();
        for (int bits : widths) {
            int[] c = new int[3];
            for (Targets.Verdict v : Targets.evaluate(idx, baseline, bits, layouts)) {
                String target = v.target().replaceAll(", worst: [\\w ]+", "");
                boolean alloc = target.startsWith("kernels 0 B/op");
                String key = target + " | " + (alloc ? "worst | –" : v.shape() + " | " + v.layout());
                rows.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(bits, v);
                c[v.status().ordinal()]++;
            }
            counts.put(bits, c);
        }
        md.append("| target | shape | layout |");
        for (int bits : widths) md.append(" ").append(width(bits)).append(" |");
        md.append("\n|---|---|---|");
        for (int ignored : widths) md.append("---|");
        md.append('\n');
        for (var e : rows.entrySet()) {
            md.append("| ").append(e.getKey()).append(" |");
            for (int bits : widths) {
                Targets.Verdict v = e.getValue().get(bits);
                String cell = v == null ? "–" : v.status() == Targets.Status.NOT_MEASURED ? v.text()
                        : (v.target().contains("worst: ") ? v.shape() + " " + v.layout() + " `"
                        + v.target().replaceAll(".*worst: ", "").replace(")", "") + "`: " : "") + v.measured() + " — " + v.text();
                md.append(" ").append(cell.replace("|", "\\|")).append(" |");
            }
            md.append('\n');
        }
        md.append("| **met / missed / not measured** | | |");
        for (int bits : widths) {
            int[] c = counts.get(bits);
            md.append(" ").append(c[0]).append(" / ").append(c[1]).append(" / ").append(c[2]).append(" |");
        }
        md.append("\n\n");
    }

    /** The summary table and the target list of one width. */
    private static void widthSection(StringBuilder md, ResultIndex idx, ResultIndex baseline, int bits, List<String> shapes,
                                     List<String> layouts) {
        md.append("## ").append(bits == 0 ? "Unknown kernel width" : bits + "-bit kernels (" + bits / 64 + " doubles per vector)").append("\n\n");
        md.append("GB/s = 8·(m·n + m) bytes (X and y, read once) per gradient / time; GB = 10⁹ bytes. `best probe` = the fastest read ")
                .append("probe of this run (which one in brackets: 1, 2 or 4 for `readProbe`, `readProbe2`, `readProbe4`); `% of best probe` = ")
                .append("its time / the time of `simd`. Speed-ups are time ratios; `× previous` against the baseline's `simd` at the same ")
                .append("width. ± is JMH's error (99.9 % confidence half-width).\n\n");
        md.append("| shape | layout | X + y | simd ms | simd GB/s | best probe GB/s | % of best probe | × naive | × scalarFused | × previous | simd B/op |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String shape : shapes) {
            for (String layout : layouts) {
                Result simd = idx.get(GRADIENT, "simd", shape, layout, bits);
                if (simd == null) continue;
                Result probe = idx.bestProbe(GRADIENT, shape, layout, bits);
                Result naive = idx.anyWidth(GRADIENT, "naive", shape, layout, bits);
                Result fused = idx.anyWidth(GRADIENT, "scalarFused", shape, layout, bits);
                Result prev = baseline.get(GRADIENT, "simd", shape, layout, bits);
                md.append("| ").append(shape).append(" | ").append(layout).append(" | ").append(size(simd.bytes()))
                        .append(" | ").append(msWithError(simd))
                        .append(" | ").append(fmt(simd.gbPerSecond()))
                        .append(" | ").append(probe == null ? "–" : fmt(probe.gbPerSecond()) + " (" + streams(probe) + ")")
                        .append(" | ").append(probe == null ? "–" : pct(probe.ms() / simd.ms()))
                        .append(" | ").append(naive == null ? "–" : times(naive.ms() / simd.ms()))
                        .append(" | ").append(fused == null ? "–" : times(fused.ms() / simd.ms()))
                        .append(" | ").append(prev == null ? "–" : times(prev.ms() / simd.ms()))
                        .append(" | ").append(bytesPerOp(simd)).append(" |\n");
            }
        }
        md.append('\n');
        md.append("Targets at ").append(width(bits)).append(":\n\n");
        md.append("| target | shape | layout | measured | verdict |\n|---|---|---|---:|---|\n");
        for (Targets.Verdict v : Targets.evaluate(idx, baseline, bits, layouts)) {
            md.append("| ").append(v.target()).append(" | ").append(v.shape()).append(" | ").append(v.layout()).append(" | ")
                    .append(v.measured()).append(" | ").append(v.text()).append(" |\n");
        }
        md.append('\n');
    }

    /**
     * float32 storage (issue 19): per shape, layout and width with float32 GradientBenchmark results, float32 simd
     * against the best float32 probe of the same run and against float64 simd of the same run.
     */
    private static void float32Section(StringBuilder md, ResultIndex idx, List<String> shapes, List<String> layouts,
                                       List<Integer> widths) {
        String v = Targets.F32;
        if (idx.all().stream().noneMatch(r -> r.benchmarkClass().equals(GRADIENT) && r.isFloat32())) return;
        md.append("## float32 storage: `GradientBenchmark` with `dtype=float32`\n\n");
        md.append("The same logical matrix rounded to float32, held as floats in native memory (64-byte aligned, same layout), ")
                .append("y as native doubles: `simd` = `SegmentKernels.lossGradientAdd` on the float32 view (each float widened ")
                .append("to double, every sum in double); the float32 probes read the same float bytes (float vectors of the ")
                .append("hardware's width) and y. GB/s = (4·m·n + 8·m) bytes / time. `% of best float32 probe` = that probe's ")
                .append("time / float32 simd time; `float64 / float32` = float64 simd time / float32 simd time, both from the same ")
                .append("run (float64 simd reads the heap `double[]`, 8·(m·n + m) bytes). Targets (in **Targets per width**): ")
                .append("≥ 90 % and ≥ 1.8× at 16777216x16 and 268435456x1.\n\n");
        md.append("| shape | layout | bits | float32 simd ms ± error | float32 GB/s | best float32 probe GB/s | % of best float32 probe ")
                .append("| float64 simd ms | float64 / float32 | float32 B/op |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String shape : shapes) {
            for (String layout : layouts) {
                for (int bits : widths) {
                    Result simd = idx.get(GRADIENT, "simd", shape, layout, v, bits);
                    Result probe = idx.bestProbe(GRADIENT, shape, layout, v, bits);
                    if (simd == null && probe == null) continue;
                    Result simd64 = idx.get(GRADIENT, "simd", shape, layout, bits);
                    md.append("| ").append(shape).append(" | ").append(layout).append(" | ").append(width(bits))
                            .append(" | ").append(simd == null ? "–" : msWithError(simd))
                            .append(" | ").append(simd == null ? "–" : fmt(simd.gbPerSecond()))
                            .append(" | ").append(probe == null ? "–" : fmt(probe.gbPerSecond()) + " (" + streams(probe) + ")")
                            .append(" | ").append(simd == null || probe == null ? "–" : pct(probe.ms() / simd.ms()))
                            .append(" | ").append(simd64 == null ? "–" : msWithError(simd64))
                            .append(" | ").append(simd == null || simd64 == null ? "–" : times(simd64.ms() / simd.ms()))
                            .append(" | ").append(simd == null ? "–" : bytesPerOp(simd)).append(" |\n");
                }
            }
        }
        md.append('\n');
    }

    /** "1", "2" or "4": the streams of a probe method. */
    static String streams(Result probe) {
        String m = probe.method();
        return m.equals("readProbe") ? "1" : m.substring("readProbe".length());
    }

    static String width(int bits) {
        return bits == 0 ? "unknown width" : bits + "-bit";
    }

    private static void kernelSection(StringBuilder md, ResultIndex idx, List<String> shapes, List<String> layouts, List<Integer> widths) {
        if (!idx.hasClass(KERNEL)) return;
        md.append("## `KernelBenchmark`: the unfused kernels\n\n");
        md.append("`residuals` (r = Xθ + b − y, written) and `gradientAdd` (g += Xᵀr, g zeroed first) through `Kernels`; ")
                .append("GB/s counts the same 8·(m·n + m) bytes as above (each also reads or writes r, so the real traffic is higher). ")
                .append("`two passes ÷ simd` = (residuals + gradientAdd) / simd at the same width.\n\n");
        md.append("| shape | layout | bits | residuals ms ± error | GB/s | B/op | gradientAdd ms ± error | GB/s | B/op | two passes ÷ simd |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String shape : shapes) {
            for (String layout : layouts) {
                for (int bits : widths) {
                    Result res = idx.get(KERNEL, "residuals", shape, layout, bits);
                    Result grad = idx.get(KERNEL, "gradientAdd", shape, layout, bits);
                    if (res == null && grad == null) continue;
                    Result simd = idx.get(GRADIENT, "simd", shape, layout, bits);
                    md.append("| ").append(shape).append(" | ").append(layout).append(" | ").append(width(bits)).append(" | ")
                            .append(res == null ? "– | – | –" : msWithError(res) + " | " + fmt(res.gbPerSecond()) + " | " + bytesPerOp(res))
                            .append(" | ")
                            .append(grad == null ? "– | – | –" : msWithError(grad) + " | " + fmt(grad.gbPerSecond()) + " | " + bytesPerOp(grad))
                            .append(" | ")
                            .append(res != null && grad != null && simd != null ? times((res.ms() + grad.ms()) / simd.ms()) : "–")
                            .append(" |\n");
                }
            }
        }
        md.append('\n');
    }

    private static void stepSection(StringBuilder md, ResultIndex idx, List<String> shapes, List<String> layouts, List<Integer> widths) {
        if (!idx.hasClass(STEP)) return;
        md.append("## `SolverStepBenchmark`: one BGD iteration\n\n");
        md.append("Zero g, one fused pass, θ ← θ − α·g/m. Overhead = (step − simd) / simd at the same width, from two separate ")
                .append("measurements (so it is within their errors when small).\n\n");
        md.append("| shape | layout | bits | step ms ± error | simd ms | overhead | B/op |\n|---|---|---:|---:|---:|---:|---:|\n");
        for (String shape : shapes) {
            for (String layout : layouts) {
                for (int bits : widths) {
                    Result step = idx.get(STEP, "step", shape, layout, bits);
                    if (step == null) continue;
                    Result simd = idx.get(GRADIENT, "simd", shape, layout, bits);
                    md.append("| ").append(shape).append(" | ").append(layout).append(" | ").append(width(bits))
                            .append(" | ").append(msWithError(step))
                            .append(" | ").append(simd == null ? "–" : fmt(simd.ms()))
                            .append(" | ").append(simd == null ? "–" : String.format(Locale.ROOT, "%+.1f %%", 100 * (step.ms() / simd.ms() - 1)))
                            .append(" | ").append(bytesPerOp(step)).append(" |\n");
                }
            }
        }
        md.append('\n');
    }

    /** Shapes of one benchmark class, by size. */
    private static List<String> shapesOf(List<Result> every, String cls) {
        return every.stream().filter(r -> r.benchmarkClass().equals(cls))
                .sorted(Comparator.comparingLong(Result::bytes).thenComparingInt(Result::n))
                .map(Result::shape).distinct().toList();
    }

    private static void threadsSection(StringBuilder md, ResultIndex idx, List<Result> every, List<Integer> widths) {
        if (!idx.hasClass(THREADS)) return;
        List<String> shapes = shapesOf(every, THREADS);
        List<Integer> threadCounts = every.stream().filter(r -> r.benchmarkClass().equals(THREADS))
                .map(Result::threads).distinct().sorted().toList();
        md.append("## Threads: `ParallelKernels` against the best read probe on as many threads\n\n");
        md.append("`simd`: `ParallelKernels.lossGradientAdd` over the whole matrix in chunks of `defaultChunkRows(n)` rows ")
                .append("(fixed chunks and reduction tree: the same bits at every thread count), g zeroed in each operation. ")
                .append("Probes: X and y cut into `threads` contiguous parts, each read on its own thread (caller plus a pre-started pool) ")
                .append("by `readProbe` (one stream), `readProbe2` or `readProbe4`; `best probe` is the fastest of them at that thread count ")
                .append("in the same run. `threads` is passed to the library; JMH runs one benchmark thread. ")
                .append("GB/s = 8·(m·n + m) bytes / time. `% of best probe` = best probe time / simd time at the same thread count; ")
                .append("speed-up = time at 1 thread / time at this count.\n\n");
        md.append("| shape | layout | bits | threads | simd ms ± error | simd GB/s | probe GB/s (1 / 2 / 4 streams) | % of best probe | simd speed-up | best probe speed-up | simd B/op |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String shape : shapes) {
            for (String layout : LAYOUTS) {
                for (int bits : widths) {
                    Result simd1 = idx.get(THREADS, "simd", shape, layout, "threads=1", bits);
                    Result probe1 = idx.bestProbe(THREADS, shape, layout, "threads=1", bits);
                    for (int t : threadCounts) {
                        String v = "threads=" + t;
                        Result simd = idx.get(THREADS, "simd", shape, layout, v, bits);
                        Result probe = idx.bestProbe(THREADS, shape, layout, v, bits);
                        if (simd == null && probe == null) continue;
                        StringBuilder probes = new StringBuilder();
                        for (String p : PROBES) {
                            Result r = idx.get(THREADS, p, shape, layout, v, bits);
                            if (probes.length() > 0) probes.append(" / ");
                            probes.append(r == null ? "–" : fmt(r.gbPerSecond()));
                        }
                        md.append("| ").append(shape).append(" | ").append(layout).append(" | ").append(width(bits)).append(" | ").append(t)
                                .append(" | ").append(simd == null ? "–" : msWithError(simd))
                                .append(" | ").append(simd == null ? "–" : fmt(simd.gbPerSecond()))
                                .append(" | ").append(probes)
                                .append(" | ").append(simd == null || probe == null ? "–" : pct(probe.ms() / simd.ms()))
                                .append(" | ").append(simd == null || simd1 == null ? "–" : times(simd1.ms() / simd.ms()))
                                .append(" | ").append(probe == null || probe1 == null ? "–" : times(probe1.ms() / probe.ms()))
                                .append(" | ").append(simd == null ? "–" : bytesPerOp(simd)).append(" |\n");
                    }
                }
            }
        }
        md.append('\n');
        md.append("The target \"2 threads ≥ 85 % of the best 2-thread probe\" is judged per width in **Targets per width** above.\n\n");
    }

    private static void storageSection(StringBuilder md, ResultIndex idx, List<Result> every, List<Integer> widths) {
        if (!idx.hasClass(STORAGE)) return;
        List<String> shapes = shapesOf(every, STORAGE);
        md.append("## Storage: heap arrays, off-heap and mapped `.npy`\n\n");
        md.append("One thread, row-major, the same values: `heap` = `Kernels.lossGradientAdd` on `double[]`; ")
                .append("`offheap` = `SegmentKernels.lossGradientAdd` on a 64-byte aligned arena copy (X and y separate); ")
                .append("`mapped` = the same kernel on the table [X | y] written as a `.npy` and mapped read-only ")
                .append("(`SegmentDataset.mapNpy`, y the last column, so rows of n + 1 values). GB/s = 8·(m·n + m) bytes / time; ")
                .append("`% of heap` = heap time / this time (above 100 % = faster than heap).\n\n");
        md.append("`dtype`: float64, or float32 (the same matrix rounded to float32, through the float32 kernels: `offheap` = a ")
                .append("float32 arena copy; `mapped` = a `<f4` table, y widened once to native doubles; no float32 `heap`: the core ")
                .append("refuses heap `float[]` segments), GB/s then over 4·m·n + 8·m bytes. `readProbe` (when run): one stream over ")
                .append("exactly the bytes `simd` reads from that storage; `% of probe` = its time / simd time. `% of heap` compares with ")
                .append("the float64 heap arrays; `float64 / float32` = float64 time / float32 time of the same storage.\n\n");
        md.append("| shape | bits | storage | dtype | ms ± error | GB/s | % of heap | % of probe | float64 / float32 | B/op |\n")
                .append("|---|---:|---|---|---:|---:|---:|---:|---:|---:|\n");
        StringBuilder targets = new StringBuilder();
        for (String shape : shapes) {
            for (int bits : widths) {
                for (String dtype : List.of("float64", Result.FLOAT32)) {
                    String suffix = dtype.equals(Result.FLOAT32) ? "," + Targets.F32 : "";
                    Result heap = idx.get(STORAGE, "simd", shape, "row", "storage=heap", bits); // float64 heap arrays
                    for (String storage : STORAGES) {
                        String variant = "storage=" + storage + suffix;
                        Result r = idx.get(STORAGE, "simd", shape, "row", variant, bits);
                        if (r == null) continue;
                        Result probe = idx.get(STORAGE, "readProbe", shape, "row", variant, bits);
                        Result r64 = suffix.isEmpty() ? null : idx.get(STORAGE, "simd", shape, "row", "storage=" + storage, bits);
                        md.append("| ").append(shape).append(" | ").append(width(bits)).append(" | `").append(storage).append("` | ")
                                .append(dtype).append(" | ")
                                .append(msWithError(r))
                                .append(" | ").append(fmt(r.gbPerSecond()))
                                .append(" | ").append(heap == null ? "–" : pct(heap.ms() / r.ms()))
                                .append(" | ").append(probe == null ? "–" : pct(probe.ms() / r.ms()))
                                .append(" | ").append(r64 == null ? "–" : times(r64.ms() / r.ms()))
                                .append(" | ").append(bytesPerOp(r)).append(" |\n");
                        if (heap == null || storage.equals("heap") || !suffix.isEmpty()) continue;
                        double slowdown = r.ms() / heap.ms() - 1;
                        String verdict = slowdown <= TARGET_STORAGE_SLOWDOWN ? "met" + Targets.errorNote(r, heap)
                                : String.format(Locale.ROOT, "**missed** by %.1f points (%s vs %s GB/s)",
                                100 * (slowdown - TARGET_STORAGE_SLOWDOWN), fmt(r.gbPerSecond()), fmt(heap.gbPerSecond()))
                                + Targets.errorNote(r, heap);
                        targets.append("| ").append(storage).append(" within 5 % of heap (time ≤ 1.05 × heap) | ").append(shape)
                                .append(" | ").append(width(bits))
                                .append(" | ").append(String.format(Locale.ROOT, "%+.1f %%", 100 * slowdown)).append(" | ")
                                .append(verdict).append(" |\n");
                    }
                }
            }
        }
        md.append('\n');
        md.append("| target | shape | bits | time vs heap | verdict |\n|---|---|---:|---:|---|\n");
        md.append(targets.length() == 0 ? "| off-heap and mapped within 5 % of heap | – | – | – | not measured (needs heap and another storage) |\n"
                : targets.toString());
        md.append('\n');
    }

    private static String chartSubtitle(JmhResults jmh, List<JsonNode> envs) {
        String s = "GB/s = 8·(m·n + m) bytes / time per gradient; 1 thread; " + String.join("; ", jmh.jdks);
        if (!envs.isEmpty()) {
            JsonNode env = envs.get(0);
            s += "\n" + env.path("cpuModel").asText("?") + "; simd at each kernel width; best probe (hardware width "
                    + env.path("readProbeSpecies").asText("?") + ") of the widest width's run";
        }
        return s;
    }

    // ---- formatting ----

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }

    /** Three significant digits, no exponent for the usual range. */
    static String fmt(double v) {
        if (!Double.isFinite(v)) return "–";
        double a = Math.abs(v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        if (a >= 0.001) return String.format(Locale.ROOT, "%.3g", v);
        return String.format(Locale.ROOT, "%.2e", v);
    }

    static String msWithError(Result r) {
        String e = Double.isFinite(r.msError())
                ? " ± " + fmt(r.msError()) + String.format(Locale.ROOT, " (%.1f %%)", 100 * r.relativeError())
                : " (no error: 1 iteration)";
        return fmt(r.ms()) + e;
    }

    static String pct(double share) {
        return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f %%", 100 * share) : "–";
    }

    static String times(double ratio) {
        if (ratio == Math.rint(ratio) && ratio >= 1 && ratio < 1e6) return (long) ratio + "×";
        return Double.isFinite(ratio) ? fmt(ratio) + "×" : "–";
    }

    static String bytesPerOp(Result r) {
        return Double.isFinite(r.allocBytesPerOp()) ? String.format(Locale.ROOT, "%.3f", r.allocBytesPerOp()) : "–";
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        return String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0);
    }

    private static Path relative(Path from, Path to) {
        Path base = from.toAbsolutePath().normalize().getParent();
        Path target = to.toAbsolutePath().normalize();
        return base == null ? target : base.relativize(target);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--print")) {
                opts.put(a, "");
            } else if (a.startsWith("--") && i + 1 < args.length) {
                opts.put(a, args[++i]);
            } else {
                throw new IllegalArgumentException("usage: ReportMain --json A.json[,B.json...] [--extra-json E.json[,...]] "
                        + "[--env ENV.json[,...]] [--baseline P.json[:W][,...]] [--out REPORT.md] [--chart CHART.png] [--profile NAME] "
                        + "[--command TEXT] [--print]; bad argument: " + a);
            }
        }
        return opts;
    }

    private static String require(Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null) throw new IllegalArgumentException("missing " + key + " (the JMH JSON result, from -rf json)");
        return v;
    }

}
