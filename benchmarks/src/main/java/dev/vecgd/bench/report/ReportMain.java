package dev.vecgd.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH JSON result ({@code -rf json}) of the vecgd benchmarks into a Markdown report and a
 * PNG chart.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.vecgd.bench.report.ReportMain --json RESULT.json
 * [--extra-json EXTRA.json] [--env ENV.json] [--out docs/benchmarks.md] [--chart docs/benchmarks-gbps.png]
 * [--profile NAME] [--command "how it was run"]}. {@code ENV.json} is written by {@link EnvMain} (kernel
 * implementation, species, CPU) in a JVM with the forks' flags. {@code EXTRA.json} is a second JMH
 * result (e.g. {@code docs/bench/extra.json} of {@code benchmarks/run.sh extra}) read as part of the
 * same report; the sections "Threads" and "Storage" appear when {@code ThreadsBenchmark} and
 * {@code StorageBenchmark} results are present in either file. Reading only files, it also regenerates
 * a report without rerunning JMH ({@code benchmarks/run.sh report}).
 *
 * <p>Per shape and layout the report gives ms per gradient, GB/s counting {@code 8·(m·n + m)} bytes
 * (X and y read once; GB = 10⁹ bytes), the share of {@code readProbe} over the same bytes, the
 * speed-ups over {@code naive} and {@code scalarFused}, B/op from {@code gc.alloc.rate.norm}, with
 * the JMH error, and checks the targets of the benchmark issue.
 */
public final class ReportMain {

    static final String GRADIENT = "GradientBenchmark";
    static final String KERNEL = "KernelBenchmark";
    static final String STEP = "SolverStepBenchmark";
    static final String THREADS = "ThreadsBenchmark";
    static final String STORAGE = "StorageBenchmark";
    static final List<String> STORAGES = List.of("heap", "offheap", "mapped");
    static final List<String> GRADIENT_METHODS = List.of("naive", "scalarFused", "simd", "readProbe");
    static final List<String> LAYOUTS = List.of("row", "column");

    /** Targets of the benchmark issue. */
    static final double TARGET_SHARE_OF_PROBE = 0.90;
    static final double TARGET_MAX_ERROR = 0.03;
    static final double TARGET_SPEEDUP_L2 = 10.0;
    static final double TARGET_SPEEDUP_DRAM = 4.0;
    static final double TARGET_ALLOC = 1.0;
    /** "2 GiB sizes": shapes whose X has at least 2³¹ bytes. */
    static final long DRAM_X_BYTES = 1L << 31;
    /** 2 threads ≥ 90 % of the 2-thread read probe (DRAM sizes). */
    static final double TARGET_THREADS_SHARE_OF_PROBE = 0.90;
    /** Off-heap and mapped within 5 % of heap arrays: time ≤ 1.05 × heap's. */
    static final double TARGET_STORAGE_SLOWDOWN = 0.05;

    private ReportMain() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, String> opts = parse(args);
        Path json = Path.of(require(opts, "--json"));
        List<Path> jsons = new ArrayList<>(List.of(json));
        if (opts.containsKey("--extra-json")) jsons.add(Path.of(opts.get("--extra-json")));
        Path out = Path.of(opts.getOrDefault("--out", "docs/benchmarks.md"));
        Path chart = Path.of(opts.getOrDefault("--chart", "docs/benchmarks-gbps.png"));
        JsonNode env = opts.containsKey("--env") ? new ObjectMapper().readTree(Path.of(opts.get("--env")).toFile()) : null;
        String report = generate(JmhResults.read(jsons), env, out, chart, opts.getOrDefault("--profile", "?"),
                opts.get("--command"), jsons);
        System.out.println("wrote " + out + (Files.exists(chart) ? " and " + chart : ""));
        if (opts.containsKey("--print")) System.out.println(report);
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
    static String generate(JmhResults jmh, JsonNode env, Path out, Path chart, String profile, String command,
                           List<Path> jsons) throws IOException {
        List<Result> every = new ArrayList<>(jmh.results);
        if (every.isEmpty()) throw new IOException("no vecgd benchmark results (with shape and layout params) in " + jsons);
        Index idx = new Index(every);
        // The main sections: the single-thread heap benchmarks (Threads and Storage have their own).
        List<Result> all = every.stream().filter(r -> !r.benchmarkClass().equals(THREADS) && !r.benchmarkClass().equals(STORAGE)).toList();
        List<String> shapes = all.stream()
                .sorted(Comparator.comparingLong(Result::bytes).thenComparingInt(Result::n))
                .map(Result::shape).distinct().toList();
        List<String> layouts = LAYOUTS.stream().filter(l -> all.stream().anyMatch(r -> r.layout().equals(l))).toList();
        List<Result> gradient = all.stream().filter(r -> r.benchmarkClass().equals(GRADIENT)).toList();
        String sources = jsons.stream().map(p -> "`" + p.getFileName() + "`").reduce((a, b) -> a + " and " + b).orElse("?");

        StringBuilder md = new StringBuilder();
        md.append("# vecgd benchmarks\n\n");
        md.append("Generated by `dev.vecgd.bench.report.ReportMain` from ").append(sources)
                .append(" (profile **").append(profile).append("**). Do not edit by hand: rerun `benchmarks/run.sh ")
                .append(profile).append(List.of("full", "quick", "smoke").contains(profile)
                        ? "`, or `benchmarks/run.sh report" + (profile.equals("full") ? "" : " " + profile)
                        + "` to rebuild this file from the saved JSON without rerunning JMH.\n\n"
                        : "`.\n\n");
        header(md, jmh, env, command);

        String kernels = env == null ? "" : env.path("kernels").asText("");
        if (kernels.equals("scalar")) {
            md.append("> **Warning:** `Kernels` ran the scalar reference in this run, so `simd` is not SIMD here.\n\n");
        }

        if (!gradient.isEmpty()) { // the single-thread sections and the chart need GradientBenchmark
            md.append("## Summary: `simd` against the ceiling and the plain loops\n\n");
            md.append("GB/s = 8·(m·n + m) bytes (X and y, read once) per gradient / time; GB = 10⁹ bytes. ")
                    .append("`% of probe` = time of `readProbe` / time of `simd` over the same bytes. ")
                    .append("Speed-ups are time ratios. ± is JMH's error (99.9 % confidence half-width).\n\n");
            md.append("| shape | layout | X + y | simd ms | simd GB/s | readProbe GB/s | % of probe | × naive | × scalarFused | simd B/op |\n");
            md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (String shape : shapes) {
                for (String layout : layouts) {
                    Result simd = idx.get(GRADIENT, "simd", shape, layout);
                    if (simd == null) continue;
                    Result probe = idx.get(GRADIENT, "readProbe", shape, layout);
                    Result naive = idx.get(GRADIENT, "naive", shape, layout);
                    Result fused = idx.get(GRADIENT, "scalarFused", shape, layout);
                    md.append("| ").append(shape).append(" | ").append(layout).append(" | ").append(size(simd.bytes()))
                            .append(" | ").append(msWithError(simd))
                            .append(" | ").append(fmt(simd.gbPerSecond()))
                            .append(" | ").append(probe == null ? "–" : fmt(probe.gbPerSecond()))
                            .append(" | ").append(probe == null ? "–" : pct(probe.ms() / simd.ms()))
                            .append(" | ").append(naive == null ? "–" : times(naive.ms() / simd.ms()))
                            .append(" | ").append(fused == null ? "–" : times(fused.ms() / simd.ms()))
                            .append(" | ").append(bytesPerOp(simd)).append(" |\n");
                }
            }
            md.append('\n');

            targets(md, idx, shapes, layouts);

            Path rel = relative(out, chart);
            md.append("## Chart\n\n![GB/s per shape, method and layout](").append(rel.toString().replace('\\', '/')).append(")\n\n");

            md.append("## `GradientBenchmark`: every method\n\n");
            md.append("`naive`: two passes with plain loops (r = Xθ + b − y stored, then Xᵀr; column-major reads whole columns). ")
                    .append("`scalarFused`: one pass with plain loops, r not stored. `simd`: `Kernels.lossGradientAdd` over the whole matrix ")
                    .append("(r not stored). `readProbe`: a pure Vector API read of X and y (eight accumulators), the bandwidth ceiling. ")
                    .append("Every gradient method zeroes g (n + 1 doubles, `Arrays.fill`) inside each operation.\n\n");
            md.append("| shape | layout | method | ms/op ± error | GB/s | % of probe | × naive | × scalarFused | B/op |\n");
            md.append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
            for (String shape : shapes) {
                for (String layout : layouts) {
                    Result probe = idx.get(GRADIENT, "readProbe", shape, layout);
                    Result naive = idx.get(GRADIENT, "naive", shape, layout);
                    Result fused = idx.get(GRADIENT, "scalarFused", shape, layout);
                    for (String method : GRADIENT_METHODS) {
                        Result r = idx.get(GRADIENT, method, shape, layout);
                        if (r == null) continue;
                        md.append("| ").append(shape).append(" | ").append(layout).append(" | `").append(method).append("` | ")
                                .append(msWithError(r)).append(" | ").append(fmt(r.gbPerSecond()))
                                .append(" | ").append(probe == null ? "–" : pct(probe.ms() / r.ms()))
                                .append(" | ").append(naive == null ? "–" : times(naive.ms() / r.ms()))
                                .append(" | ").append(fused == null ? "–" : times(fused.ms() / r.ms()))
                                .append(" | ").append(bytesPerOp(r)).append(" |\n");
                    }
                }
            }
            md.append('\n');
        }

        kernelSection(md, idx, shapes, layouts);
        stepSection(md, idx, shapes, layouts);
        threadsSection(md, idx, every);
        storageSection(md, idx, every);
        handWrittenSections(md, out);

        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(out, md.toString());
        if (!gradient.isEmpty()) {
            GbpsChart.write(chart, gradient, shapes, layouts,
                    GRADIENT_METHODS.stream().filter(m -> gradient.stream().anyMatch(r -> r.method().equals(m))).toList(),
                    chartSubtitle(jmh, env));
        }
        return md.toString();
    }

    private static void header(StringBuilder md, JmhResults jmh, JsonNode env, String command) {
        md.append("| | |\n|---|---|\n");
        row(md, "JDK", String.join("; ", jmh.jdks));
        if (env != null) {
            row(md, "CPU", env.path("cpuModel").asText("?") + "; " + env.path("availableProcessors").asText("?")
                    + " processors visible to the JVM; memory " + env.path("memTotal").asText("?"));
            row(md, "kernels (`Kernels.implementation()`)", "`" + env.path("kernels").asText("?") + "` ("
                    + env.path("kernelVectorBits").asText("?") + "-bit)");
            row(md, "readProbe species", "`" + env.path("readProbeSpecies").asText("?") + "`");
            row(md, "OS", env.path("os").asText("?"));
            row(md, "captured at", env.path("capturedAt").asText("?"));
        } else {
            row(md, "CPU, kernels, species", "not recorded (no --env file)");
        }
        row(md, "fork JVM flags (heap)", jmh.jvmArgs.stream().map(a -> "`" + a + "`").reduce((a, b) -> a + "; " + b).orElse("?"));
        row(md, "benchmark threads", jmh.threads.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("?"));
        row(md, "JMH", String.join("; ", jmh.jmhVersions) + "; " + String.join("; ", jmh.settings));
        if (command != null && !command.isBlank()) row(md, "command", "`" + command + "`");
        md.append('\n');
    }

    private static void targets(StringBuilder md, Index idx, List<String> shapes, List<String> layouts) {
        md.append("## Targets\n\n");
        md.append("From the benchmark issue; a missed target is listed with its measured gap.\n\n");
        md.append("| target | shape | layout | measured | verdict |\n|---|---|---|---:|---|\n");
        int rows = 0;
        for (String shape : shapes) {
            for (String layout : layouts) {
                Result simd = idx.get(GRADIENT, "simd", shape, layout);
                if (simd == null) continue;
                long xBytes = 8L * simd.m() * simd.n();
                Result probe = idx.get(GRADIENT, "readProbe", shape, layout);
                if (xBytes >= DRAM_X_BYTES && probe != null) {
                    double share = probe.ms() / simd.ms();
                    double worstErr = Math.max(simd.relativeError(), probe.relativeError());
                    String verdict;
                    if (share >= TARGET_SHARE_OF_PROBE) {
                        verdict = "met";
                    } else {
                        verdict = String.format(Locale.ROOT, "**missed** by %.1f points (%s vs %s GB/s)",
                                100 * (TARGET_SHARE_OF_PROBE - share), fmt(simd.gbPerSecond()), fmt(probe.gbPerSecond()));
                    }
                    if (!(worstErr < TARGET_MAX_ERROR)) {
                        verdict += String.format(Locale.ROOT, "; error %s ≥ 3 %%: not conclusive",
                                Double.isFinite(worstErr) ? String.format(Locale.ROOT, "%.1f %%", 100 * worstErr) : "unknown");
                    }
                    md.append("| simd ≥ 90 % of readProbe (X ≥ 2 GiB, error < 3 %) | ").append(shape).append(" | ")
                            .append(layout).append(" | ").append(pct(share)).append(" | ").append(verdict).append(" |\n");
                    rows++;
                }
                Result naive = idx.get(GRADIENT, "naive", shape, layout);
                double wanted = shape.equals("4096x16") ? TARGET_SPEEDUP_L2 : shape.equals("16777216x16") ? TARGET_SPEEDUP_DRAM : 0;
                if (wanted > 0 && naive != null) {
                    double speedup = naive.ms() / simd.ms();
                    String verdict = speedup >= wanted ? "met"
                            : String.format(Locale.ROOT, "**missed** by %s (%.0f %% of the target)", times(wanted - speedup),
                            100 * speedup / wanted);
                    md.append("| simd ≥ ").append(times(wanted)).append(" naive | ").append(shape).append(" | ")
                            .append(layout).append(" | ").append(times(speedup)).append(" | ").append(verdict).append(" |\n");
                    rows++;
                }
            }
        }
        // gc.alloc.rate.norm also counts what JMH itself allocates in each iteration (a few KB per
        // iteration, spread over the operations of that iteration): for slow operations that alone
        // exceeds 1 B/op. readProbe cannot allocate, so its bytes per iteration measure that floor;
        // "net" subtracts it from simd's B/op.
        double worstRaw = Double.NEGATIVE_INFINITY, worstNet = Double.NEGATIVE_INFINITY, floorOfWorst = Double.NaN;
        String worstRawAt = null, worstNetAt = null;
        for (String shape : shapes) {
            for (String layout : layouts) {
                Result simd = idx.get(GRADIENT, "simd", shape, layout);
                if (simd == null || !Double.isFinite(simd.allocBytesPerOp())) continue;
                if (simd.allocBytesPerOp() > worstRaw) {
                    worstRaw = simd.allocBytesPerOp();
                    worstRawAt = shape + " " + layout;
                }
                Result probe = idx.get(GRADIENT, "readProbe", shape, layout);
                double floor = probe != null && Double.isFinite(probe.allocBytesPerIteration())
                        ? probe.allocBytesPerIteration() : 0.0;
                double net = simd.allocBytesPerOp() - (Double.isFinite(simd.opsPerIteration()) ? floor / simd.opsPerIteration() : 0.0);
                if (net > worstNet) {
                    worstNet = net;
                    worstNetAt = shape + " " + layout;
                    floorOfWorst = floor;
                }
            }
        }
        if (worstRawAt != null) {
            md.append("| simd gc.alloc.rate.norm < 1 B/op, raw (worst) | ").append(worstRawAt.replace(" ", " | "))
                    .append(" | ").append(String.format(Locale.ROOT, "%.3f B/op", worstRaw)).append(" | ")
                    .append(worstRaw < TARGET_ALLOC ? "met"
                            : String.format(Locale.ROOT, "over by %.3f B/op, including JMH's own per-iteration allocation (next row)",
                            worstRaw - TARGET_ALLOC))
                    .append(" |\n");
            md.append("| simd gc.alloc.rate.norm < 1 B/op, net of JMH's floor (worst) | ").append(worstNetAt.replace(" ", " | "))
                    .append(" | ").append(String.format(Locale.ROOT, "%.3f B/op", worstNet)).append(" | ")
                    .append(worstNet < TARGET_ALLOC ? "met" : String.format(Locale.ROOT, "**missed** by %.3f B/op", worstNet - TARGET_ALLOC))
                    .append(String.format(Locale.ROOT, " (floor: readProbe's %.0f B per iteration)", floorOfWorst))
                    .append(" |\n");
            rows += 2;
        } else {
            md.append("| simd gc.alloc.rate.norm < 1 B/op | – | – | – | not measured (run with `-prof gc`) |\n");
            rows++;
        }
        for (String[] needed : new String[][] {{"4096x16", "simd ≥ 10× naive"}, {"16777216x16", "simd ≥ 4× naive; simd ≥ 90 % of readProbe"}}) {
            if (!shapes.contains(needed[0])) {
                md.append("| ").append(needed[1]).append(" | ").append(needed[0]).append(" | – | – | not measured in this run |\n");
                rows++;
            }
        }
        if (rows == 0) md.append("| – | – | – | – | no target applies to the shapes of this run |\n");
        md.append('\n');
    }

    private static void kernelSection(StringBuilder md, Index idx, List<String> shapes, List<String> layouts) {
        if (!idx.hasClass(KERNEL)) return;
        md.append("## `KernelBenchmark`: the unfused kernels\n\n");
        md.append("`residuals` (r = Xθ + b − y, written) and `gradientAdd` (g += Xᵀr, g zeroed first) through `Kernels`; ")
                .append("GB/s counts the same 8·(m·n + m) bytes as above (each also reads or writes r, so the real traffic is higher). ")
                .append("`two passes ÷ simd` = (residuals + gradientAdd) / simd.\n\n");
        md.append("| shape | layout | residuals ms ± error | GB/s | B/op | gradientAdd ms ± error | GB/s | B/op | two passes ÷ simd |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String shape : shapes) {
            for (String layout : layouts) {
                Result res = idx.get(KERNEL, "residuals", shape, layout);
                Result grad = idx.get(KERNEL, "gradientAdd", shape, layout);
                if (res == null && grad == null) continue;
                Result simd = idx.get(GRADIENT, "simd", shape, layout);
                md.append("| ").append(shape).append(" | ").append(layout).append(" | ")
                        .append(res == null ? "– | – | –" : msWithError(res) + " | " + fmt(res.gbPerSecond()) + " | " + bytesPerOp(res))
                        .append(" | ")
                        .append(grad == null ? "– | – | –" : msWithError(grad) + " | " + fmt(grad.gbPerSecond()) + " | " + bytesPerOp(grad))
                        .append(" | ")
                        .append(res != null && grad != null && simd != null ? times((res.ms() + grad.ms()) / simd.ms()) : "–")
                        .append(" |\n");
            }
        }
        md.append('\n');
    }

    private static void stepSection(StringBuilder md, Index idx, List<String> shapes, List<String> layouts) {
        if (!idx.hasClass(STEP)) return;
        md.append("## `SolverStepBenchmark`: one BGD iteration\n\n");
        md.append("Zero g, one fused pass, θ ← θ − α·g/m. Overhead = (step − simd) / simd, from two separate measurements ")
                .append("(so it is within their errors when small).\n\n");
        md.append("| shape | layout | step ms ± error | simd ms | overhead | B/op |\n|---|---|---:|---:|---:|---:|\n");
        for (String shape : shapes) {
            for (String layout : layouts) {
                Result step = idx.get(STEP, "step", shape, layout);
                if (step == null) continue;
                Result simd = idx.get(GRADIENT, "simd", shape, layout);
                md.append("| ").append(shape).append(" | ").append(layout).append(" | ").append(msWithError(step))
                        .append(" | ").append(simd == null ? "–" : fmt(simd.ms()))
                        .append(" | ").append(simd == null ? "–" : String.format(Locale.ROOT, "%+.1f %%", 100 * (step.ms() / simd.ms() - 1)))
                        .append(" | ").append(bytesPerOp(step)).append(" |\n");
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

    private static String errorNote(Result... rs) {
        double worst = 0;
        for (Result r : rs) worst = Math.max(worst, Double.isFinite(r.relativeError()) ? r.relativeError() : Double.POSITIVE_INFINITY);
        if (worst < TARGET_MAX_ERROR) return "";
        return Double.isFinite(worst)
                ? String.format(Locale.ROOT, "; error %.1f %% ≥ 3 %%: not conclusive", 100 * worst)
                : "; error unknown (1 iteration): not conclusive";
    }

    private static void threadsSection(StringBuilder md, Index idx, List<Result> every) {
        if (!idx.hasClass(THREADS)) return;
        List<String> shapes = shapesOf(every, THREADS);
        List<Integer> threadCounts = every.stream().filter(r -> r.benchmarkClass().equals(THREADS))
                .map(Result::threads).distinct().sorted().toList();
        md.append("## Threads: `ParallelKernels` against a read probe on as many threads\n\n");
        md.append("`simd`: `ParallelKernels.lossGradientAdd` over the whole matrix in chunks of `defaultChunkRows(n)` rows ")
                .append("(fixed chunks and reduction tree: the same bits at every thread count), g zeroed in each operation. ")
                .append("`readProbe`: X and y cut into `threads` contiguous parts, each summed by the vector read probe on its own ")
                .append("thread (caller plus a pre-started pool). `threads` is passed to the library; JMH runs one benchmark thread. ")
                .append("GB/s = 8·(m·n + m) bytes / time. `% of probe` = probe time / simd time at the same thread count; ")
                .append("speed-up = time at 1 thread / time at this count.\n\n");
        md.append("| shape | layout | threads | simd ms ± error | simd GB/s | readProbe GB/s | % of probe | simd speed-up | probe speed-up | simd B/op |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        StringBuilder targets = new StringBuilder();
        for (String shape : shapes) {
            for (String layout : LAYOUTS) {
                Result simd1 = idx.get(THREADS, "simd", shape, layout, "threads=1");
                Result probe1 = idx.get(THREADS, "readProbe", shape, layout, "threads=1");
                for (int t : threadCounts) {
                    String v = "threads=" + t;
                    Result simd = idx.get(THREADS, "simd", shape, layout, v);
                    Result probe = idx.get(THREADS, "readProbe", shape, layout, v);
                    if (simd == null && probe == null) continue;
                    md.append("| ").append(shape).append(" | ").append(layout).append(" | ").append(t)
                            .append(" | ").append(simd == null ? "–" : msWithError(simd))
                            .append(" | ").append(simd == null ? "–" : fmt(simd.gbPerSecond()))
                            .append(" | ").append(probe == null ? "–" : fmt(probe.gbPerSecond()))
                            .append(" | ").append(simd == null || probe == null ? "–" : pct(probe.ms() / simd.ms()))
                            .append(" | ").append(simd == null || simd1 == null ? "–" : times(simd1.ms() / simd.ms()))
                            .append(" | ").append(probe == null || probe1 == null ? "–" : times(probe1.ms() / probe.ms()))
                            .append(" | ").append(simd == null ? "–" : bytesPerOp(simd)).append(" |\n");
                }
                Result simd2 = idx.get(THREADS, "simd", shape, layout, "threads=2");
                Result probe2 = idx.get(THREADS, "readProbe", shape, layout, "threads=2");
                if (simd2 == null || probe2 == null) continue;
                double share = probe2.ms() / simd2.ms();
                boolean dram = 8L * simd2.m() * simd2.n() >= DRAM_X_BYTES;
                String verdict;
                if (!dram) {
                    verdict = "not a DRAM size (X < 2 GiB): shown, not judged";
                } else if (share >= TARGET_THREADS_SHARE_OF_PROBE) {
                    verdict = "met" + errorNote(simd2, probe2);
                } else {
                    verdict = String.format(Locale.ROOT, "**missed** by %.1f points (%s vs %s GB/s)",
                            100 * (TARGET_THREADS_SHARE_OF_PROBE - share), fmt(simd2.gbPerSecond()), fmt(probe2.gbPerSecond()))
                            + errorNote(simd2, probe2);
                }
                targets.append("| 2 threads ≥ 90 % of the 2-thread readProbe (X ≥ 2 GiB) | ").append(shape).append(" | ")
                        .append(layout).append(" | ").append(pct(share)).append(" | ").append(verdict).append(" |\n");
            }
        }
        md.append('\n');
        md.append("| target | shape | layout | measured | verdict |\n|---|---|---|---:|---|\n");
        md.append(targets.length() == 0 ? "| 2 threads ≥ 90 % of the 2-thread readProbe | – | – | – | not measured (needs threads = 2 for simd and readProbe) |\n"
                : targets.toString());
        md.append('\n');
    }

    private static void storageSection(StringBuilder md, Index idx, List<Result> every) {
        if (!idx.hasClass(STORAGE)) return;
        List<String> shapes = shapesOf(every, STORAGE);
        md.append("## Storage: heap arrays, off-heap and mapped `.npy`\n\n");
        md.append("One thread, row-major, the same values: `heap` = `Kernels.lossGradientAdd` on `double[]`; ")
                .append("`offheap` = `SegmentKernels.lossGradientAdd` on a 64-byte aligned arena copy (X and y separate); ")
                .append("`mapped` = the same kernel on the table [X | y] written as a `.npy` and mapped read-only ")
                .append("(`SegmentDataset.mapNpy`, y the last column, so rows of n + 1 values). GB/s = 8·(m·n + m) bytes / time; ")
                .append("`% of heap` = heap time / this time (above 100 % = faster than heap).\n\n");
        md.append("| shape | storage | ms ± error | GB/s | % of heap | B/op |\n|---|---|---:|---:|---:|---:|\n");
        StringBuilder targets = new StringBuilder();
        for (String shape : shapes) {
            Result heap = idx.get(STORAGE, "simd", shape, "row", "storage=heap");
            for (String storage : STORAGES) {
                Result r = idx.get(STORAGE, "simd", shape, "row", "storage=" + storage);
                if (r == null) continue;
                md.append("| ").append(shape).append(" | `").append(storage).append("` | ").append(msWithError(r))
                        .append(" | ").append(fmt(r.gbPerSecond()))
                        .append(" | ").append(heap == null ? "–" : pct(heap.ms() / r.ms()))
                        .append(" | ").append(bytesPerOp(r)).append(" |\n");
                if (heap == null || storage.equals("heap")) continue;
                double slowdown = r.ms() / heap.ms() - 1;
                String verdict = slowdown <= TARGET_STORAGE_SLOWDOWN ? "met" + errorNote(r, heap)
                        : String.format(Locale.ROOT, "**missed** by %.1f points (%s vs %s GB/s)",
                        100 * (slowdown - TARGET_STORAGE_SLOWDOWN), fmt(r.gbPerSecond()), fmt(heap.gbPerSecond())) + errorNote(r, heap);
                targets.append("| ").append(storage).append(" within 5 % of heap (time ≤ 1.05 × heap) | ").append(shape)
                        .append(" | ").append(String.format(Locale.ROOT, "%+.1f %%", 100 * slowdown)).append(" | ")
                        .append(verdict).append(" |\n");
            }
        }
        md.append('\n');
        md.append("| target | shape | time vs heap | verdict |\n|---|---|---:|---|\n");
        md.append(targets.length() == 0 ? "| off-heap and mapped within 5 % of heap | – | – | not measured (needs heap and another storage) |\n"
                : targets.toString());
        md.append('\n');
    }

    private static String chartSubtitle(JmhResults jmh, JsonNode env) {
        String s = "GB/s = 8·(m·n + m) bytes / time per gradient; 1 thread; " + String.join("; ", jmh.jdks);
        if (env != null) {
            s += "\n" + env.path("cpuModel").asText("?") + "; kernels: " + env.path("kernels").asText("?")
                    + "; probe: " + env.path("readProbeSpecies").asText("?");
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
                throw new IllegalArgumentException("usage: ReportMain --json RESULT.json [--extra-json EXTRA.json] [--env ENV.json] [--out REPORT.md] "
                        + "[--chart CHART.png] [--profile NAME] [--command TEXT] [--print]; bad argument: " + a);
            }
        }
        return opts;
    }

    private static String require(Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null) throw new IllegalArgumentException("missing " + key + " (the JMH JSON result, from -rf json)");
        return v;
    }

    /** Results by (class, method, shape, layout). */
    private static final class Index {
        private final Map<String, Result> byKey = new LinkedHashMap<>();

        Index(List<Result> rs) {
            for (Result r : rs) byKey.put(r.benchmarkClass() + "|" + r.method() + "|" + r.key(), r);
        }

        Result get(String cls, String method, String shape, String layout) {
            return get(cls, method, shape, layout, "");
        }

        Result get(String cls, String method, String shape, String layout, String variant) {
            return byKey.get(cls + "|" + method + "|" + shape + "|" + layout + "|" + variant);
        }

        boolean hasClass(String cls) {
            return byKey.values().stream().anyMatch(r -> r.benchmarkClass().equals(cls));
        }
    }
}
