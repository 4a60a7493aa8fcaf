package dev.vecgd.bench.report;

import static dev.vecgd.bench.report.ReportMain.fmt;
import static dev.vecgd.bench.report.ReportMain.pct;
import static dev.vecgd.bench.report.ReportMain.times;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The targets of issue 12, evaluated per kernel width, each with its measured value and gap:
 * <ul>
 *   <li>in L2 ({@link #L2_SHAPES}): {@code simd} ≥ {@value #L2_OVER_NAIVE}× {@code naive} and
 *       ≥ {@value #L2_OVER_PREVIOUS}× the previous kernels' {@code simd} (a baseline JSON at the same width);</li>
 *   <li>at DRAM sizes ({@link #DRAM_SHAPES}): {@code simd} ≥ {@value #DRAM_ROW_SHARE} (row-major) and
 *       ≥ {@value #DRAM_COLUMN_SHARE} (column-major) of the best read probe of the same run;</li>
 *   <li>0 B/op: {@code gc.alloc.rate.norm} of the kernels below 1 B/op once JMH's own per-iteration
 *       allocation (measured by the probes, which cannot allocate) is taken out;</li>
 *   <li>2 threads ≥ {@value #THREADS_SHARE} of the best 2-thread probe (ThreadsBenchmark, DRAM sizes);</li>
 *   <li>float32 storage (issue 19; only when the run has {@code dtype=float32} results), at {@link #FLOAT32_SHAPES}:
 *       float32 {@code simd} ≥ {@value #FLOAT32_PROBE_SHARE} of the best float32 probe of the same run, and
 *       float64 {@code simd} time / float32 {@code simd} time ≥ {@value #FLOAT32_SPEEDUP}× (both dtypes in the same
 *       run and width).</li>
 * </ul>
 * A JMH error ≥ 3 % marks a verdict "not conclusive".
 */
final class Targets {

    static final List<String> L2_SHAPES = List.of("4096x16", "4096x7", "4096x64");
    static final List<String> DRAM_SHAPES = List.of("16777216x16", "33554432x8", "1048576x256", "268435456x1");
    static final double L2_OVER_NAIVE = 6.0;
    static final double L2_OVER_PREVIOUS = 2.0;
    static final double DRAM_ROW_SHARE = 0.90;
    static final double DRAM_COLUMN_SHARE = 0.80;
    static final double THREADS_SHARE = 0.85;
    static final List<String> FLOAT32_SHAPES = List.of("16777216x16", "268435456x1");
    static final double FLOAT32_PROBE_SHARE = 0.90;
    static final double FLOAT32_SPEEDUP = 1.8;
    /** The variant of the float32 results of GradientBenchmark. */
    static final String F32 = "dtype=" + Result.FLOAT32;
    static final double MAX_ERROR = 0.03;
    static final double ALLOC_LIMIT = 1.0;
    /** Kernel methods whose allocation is judged. */
    static final List<String[]> ALLOC_METHODS = List.of(new String[] {ReportMain.GRADIENT, "simd"},
            new String[] {ReportMain.KERNEL, "residuals"}, new String[] {ReportMain.KERNEL, "gradientAdd"});

    enum Status { MET, MISSED, NOT_MEASURED }

    /** One target at one shape, layout and width. */
    record Verdict(String target, String shape, String layout, int bits, String measured, Status status, String text) {
        /** The verdict cell: "met", "**missed** by …", or why it was not measured. */
        String cell() {
            return text;
        }
    }

    private Targets() {
    }

    /** Every target at width {@code bits}; {@code baseline} holds the previous kernels' results (may be empty). */
    static List<Verdict> evaluate(ResultIndex idx, ResultIndex baseline, int bits, List<String> layouts) {
        List<Verdict> out = new ArrayList<>();
        String G = ReportMain.GRADIENT;
        for (String shape : L2_SHAPES) {
            for (String layout : layouts) {
                Result simd = idx.get(G, "simd", shape, layout, bits);
                String t1 = "simd ≥ " + times(L2_OVER_NAIVE) + " naive (L2)";
                String t2 = "simd ≥ " + times(L2_OVER_PREVIOUS) + " previous simd (L2)";
                if (simd == null) {
                    out.add(notMeasured(t1, shape, layout, bits, "not measured in this run"));
                    out.add(notMeasured(t2, shape, layout, bits, "not measured in this run"));
                    continue;
                }
                Result naive = idx.anyWidth(G, "naive", shape, layout, bits);
                out.add(naive == null ? notMeasured(t1, shape, layout, bits, "naive not measured in this run")
                        : atLeast(t1, shape, layout, bits, naive.ms() / simd.ms(), L2_OVER_NAIVE, simd, naive));
                Result prev = baseline.get(G, "simd", shape, layout, bits);
                out.add(prev == null ? notMeasured(t2, shape, layout, bits, "no baseline at " + bits + " bits (give --baseline)")
                        : atLeast(t2, shape, layout, bits, prev.ms() / simd.ms(), L2_OVER_PREVIOUS, simd, prev));
            }
        }
        for (String shape : DRAM_SHAPES) {
            for (String layout : layouts) {
                double want = layout.equals("row") ? DRAM_ROW_SHARE : DRAM_COLUMN_SHARE;
                String t = "simd ≥ " + pct(want) + " of the best probe (DRAM)";
                Result simd = idx.get(G, "simd", shape, layout, bits);
                Result probe = idx.bestProbe(G, shape, layout, bits);
                if (simd == null || probe == null) {
                    out.add(notMeasured(t, shape, layout, bits, "not measured in this run"));
                    continue;
                }
                out.add(share(t, shape, layout, bits, probe.ms() / simd.ms(), want, simd, probe));
            }
        }
        out.addAll(allocation(idx, bits, layouts));
        out.addAll(threads(idx, bits));
        out.addAll(float32(idx, bits, layouts));
        return out;
    }

    /**
     * float32 simd ≥ 90 % of the best float32 probe, and float64 simd / float32 simd ≥ 1.8×, at the DRAM shapes of
     * {@link #FLOAT32_SHAPES}; nothing when this width has no float32 GradientBenchmark result.
     */
    private static List<Verdict> float32(ResultIndex idx, int bits, List<String> layouts) {
        List<Verdict> out = new ArrayList<>();
        String G = ReportMain.GRADIENT;
        boolean any = idx.all().stream().anyMatch(r -> r.benchmarkClass().equals(G) && r.bits() == bits && r.isFloat32());
        if (!any) return out;
        String t1 = "float32 simd ≥ " + pct(FLOAT32_PROBE_SHARE) + " of the best float32 probe (DRAM)";
        String t2 = "float64 simd time / float32 simd time ≥ " + times(FLOAT32_SPEEDUP) + " (DRAM)";
        for (String shape : FLOAT32_SHAPES) {
            for (String layout : layouts) {
                Result simd32 = idx.get(G, "simd", shape, layout, F32, bits);
                Result probe32 = idx.bestProbe(G, shape, layout, F32, bits);
                Result simd64 = idx.get(G, "simd", shape, layout, bits);
                out.add(simd32 == null || probe32 == null ? notMeasured(t1, shape, layout, bits, "not measured in this run")
                        : share(t1, shape, layout, bits, probe32.ms() / simd32.ms(), FLOAT32_PROBE_SHARE, simd32, probe32));
                out.add(simd32 == null || simd64 == null
                        ? notMeasured(t2, shape, layout, bits, "needs float64 and float32 simd in this run")
                        : atLeast(t2, shape, layout, bits, simd64.ms() / simd32.ms(), FLOAT32_SPEEDUP, simd64, simd32));
            }
        }
        return out;
    }

    /**
     * The worst kernel allocation at this width, raw and net of JMH's floor: {@code gc.alloc.rate.norm}
     * also counts what JMH allocates per iteration (a few KB, spread over the operations of that
     * iteration), which alone exceeds 1 B/op for slow operations. The probes cannot allocate, so their
     * bytes per iteration (the smallest of the run's probes on the same shape and layout) measure that
     * floor; "net" subtracts it.
     */
    private static List<Verdict> allocation(ResultIndex idx, int bits, List<String> layouts) {
        double worstRaw = Double.NEGATIVE_INFINITY, worstNet = Double.NEGATIVE_INFINITY, floorOfWorst = Double.NaN;
        Result rawAt = null, netAt = null;
        for (Result r : idx.all()) {
            if (r.bits() != bits || !(r.variant().isEmpty() || r.variant().equals(F32)) || !layouts.contains(r.layout())
                    || !Double.isFinite(r.allocBytesPerOp())) continue;
            boolean judged = ALLOC_METHODS.stream().anyMatch(cm -> cm[0].equals(r.benchmarkClass()) && cm[1].equals(r.method()));
            if (!judged) continue;
            if (r.allocBytesPerOp() > worstRaw) {
                worstRaw = r.allocBytesPerOp();
                rawAt = r;
            }
            double floor = Double.POSITIVE_INFINITY;
            for (Result p : idx.all()) {
                if (p.isProbe() && p.bits() == bits && p.benchmarkClass().equals(ReportMain.GRADIENT)
                        && p.variant().equals(r.variant()) && p.shape().equals(r.shape()) && p.layout().equals(r.layout()) && Double.isFinite(p.allocBytesPerIteration())) {
                    floor = Math.min(floor, p.allocBytesPerIteration());
                }
            }
            if (!Double.isFinite(floor)) floor = 0.0;
            double net = r.allocBytesPerOp() - (Double.isFinite(r.opsPerIteration()) ? floor / r.opsPerIteration() : 0.0);
            if (net > worstNet) {
                worstNet = net;
                netAt = r;
                floorOfWorst = floor;
            }
        }
        String t = "kernels 0 B/op (simd, residuals, gradientAdd; < 1 B/op)";
        if (rawAt == null) return List.of(notMeasured(t, "–", "–", bits, "not measured (run with -prof gc)"));
        List<Verdict> out = new ArrayList<>();
        out.add(new Verdict(t.replace("; < 1 B/op", "; raw, worst: " + label(rawAt)), rawAt.shape(), rawAt.layout(), bits,
                String.format(Locale.ROOT, "%.3f B/op", worstRaw),
                worstRaw < ALLOC_LIMIT ? Status.MET : Status.MISSED,
                worstRaw < ALLOC_LIMIT ? "met"
                        : String.format(Locale.ROOT, "over by %.3f B/op, including JMH's own per-iteration allocation (next row)",
                        worstRaw - ALLOC_LIMIT)));
        boolean ok = worstNet < ALLOC_LIMIT;
        out.add(new Verdict(t.replace("; < 1 B/op", "; net of JMH's floor, worst: " + label(netAt)), netAt.shape(),
                netAt.layout(), bits, String.format(Locale.ROOT, "%.3f B/op", worstNet), ok ? Status.MET : Status.MISSED,
                (ok ? "met" : String.format(Locale.ROOT, "**missed** by %.3f B/op", worstNet - ALLOC_LIMIT))
                        + String.format(Locale.ROOT, " (floor: the probes' %.0f B per iteration)", floorOfWorst)));
        return out;
    }

    /** The method, with " float32" for a float32 result. */
    private static String label(Result r) {
        return r.isFloat32() ? r.method() + " float32" : r.method();
    }

    /** 2 threads ≥ 85 % of the best 2-thread probe, at the DRAM sizes ThreadsBenchmark ran. */
    private static List<Verdict> threads(ResultIndex idx, int bits) {
        List<Verdict> out = new ArrayList<>();
        String T = ReportMain.THREADS;
        if (!idx.hasClass(T, bits)) return out;
        String t = "2 threads ≥ " + pct(THREADS_SHARE) + " of the best 2-thread probe";
        List<String> shapes = idx.all().stream().filter(r -> r.benchmarkClass().equals(T) && r.bits() == bits)
                .map(Result::shape).distinct().toList();
        for (String shape : shapes) {
            for (String layout : ReportMain.LAYOUTS) {
                Result simd = idx.get(T, "simd", shape, layout, "threads=2", bits);
                Result probe = idx.bestProbe(T, shape, layout, "threads=2", bits);
                if (simd == null || probe == null) continue;
                boolean dram = 8L * simd.m() * simd.n() >= ReportMain.DRAM_X_BYTES;
                if (!dram) {
                    out.add(notMeasured(t, shape, layout, bits, "not a DRAM size (X < 2 GiB): shown, not judged"));
                    continue;
                }
                out.add(share(t, shape, layout, bits, probe.ms() / simd.ms(), THREADS_SHARE, simd, probe));
            }
        }
        if (out.isEmpty()) out.add(notMeasured(t, "–", "–", bits, "not measured (needs threads = 2 for simd and the probes)"));
        return out;
    }

    private static Verdict notMeasured(String target, String shape, String layout, int bits, String why) {
        return new Verdict(target, shape, layout, bits, "–", Status.NOT_MEASURED, why);
    }

    private static Verdict atLeast(String target, String shape, String layout, int bits, double ratio, double want,
                                   Result a, Result b) {
        boolean ok = ratio >= want;
        String text = ok ? "met" : String.format(Locale.ROOT, "**missed** by %s (%.0f %% of the target)", times(want - ratio),
                100 * ratio / want);
        return new Verdict(target, shape, layout, bits, times(ratio), ok ? Status.MET : Status.MISSED, text + errorNote(a, b));
    }

    private static Verdict share(String target, String shape, String layout, int bits, double share, double want,
                                 Result simd, Result probe) {
        boolean ok = share >= want;
        String text = ok ? "met" : String.format(Locale.ROOT, "**missed** by %.1f points (%s vs %s GB/s, %s)",
                100 * (want - share), fmt(simd.gbPerSecond()), fmt(probe.gbPerSecond()), probe.method());
        return new Verdict(target, shape, layout, bits, pct(share), ok ? Status.MET : Status.MISSED, text + errorNote(simd, probe));
    }

    static String errorNote(Result... rs) {
        double worst = 0;
        for (Result r : rs) worst = Math.max(worst, Double.isFinite(r.relativeError()) ? r.relativeError() : Double.POSITIVE_INFINITY);
        if (worst < MAX_ERROR) return "";
        return Double.isFinite(worst)
                ? String.format(Locale.ROOT, "; error %.1f %% ≥ 3 %%: not conclusive", 100 * worst)
                : "; error unknown (1 iteration): not conclusive";
    }
}
