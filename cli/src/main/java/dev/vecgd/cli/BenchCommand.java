package dev.vecgd.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.ParallelKernels;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.StridedVector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code vecgd bench}: a quick in-process benchmark of one full-batch gradient (J and ∇J over X, y):
 * naive two-pass plain loops ({@code r = Xθ − y}, then {@code Xᵀr}) vs the fused SIMD kernel
 * {@link Kernels#lossGradientAdd} vs a Vector API read probe over the same bytes (X and y). Warm-up,
 * repeated runs, median. JMH (benchmarks/) stays the rigorous harness.
 *
 * <p>{@code --bits 512|256|128} runs the kernels at that vector width, so a user can compare widths on
 * their own machine. The width is fixed once per JVM, when {@link Kernels} is initialized, from the
 * system property {@code vecgd.vector.bits}: the command sets it before it touches any kernel class
 * (nothing on the path from {@link Main} to here initializes one), then checks what really runs. A width
 * wider than the hardware's runs at the hardware's width (the kernels never emulate wider vectors), and
 * the output says so; if the kernels were already initialized at another width (e.g. an earlier command in
 * the same JVM, or {@code -Dvecgd.kernel=scalar}) the command fails with a message instead of printing
 * numbers under the wrong width. The read probe always uses the hardware's width.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Quick in-process benchmark of one gradient: naive two-pass loops vs the SIMD kernel vs a"
                + " read-bandwidth probe over the same bytes (X and y).",
                "Warm-up, then repeated runs; reports the median, GB/s of 8·(m·n + m) bytes and ratios, with the JDK,"
                        + " CPU model and kernels. JMH (benchmarks/) is the rigorous harness."})
final class BenchCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--rows", paramLabel = "M", defaultValue = "2000000", description = "rows (default ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--cols", paramLabel = "N", defaultValue = "16", description = "features (default ${DEFAULT-VALUE})")
    int cols;

    @Option(names = "--layout", paramLabel = "row|column", defaultValue = "row", description = "layout of X (default ${DEFAULT-VALUE})")
    String layout;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "1",
            description = "threads of the SIMD gradient (>= 1; the naive loops and the read probe run on one thread)")
    int threads;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "9", description = "timed runs per variant (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--bits", paramLabel = "512|256|128",
            description = "vector width of the kernels (default: the hardware's); wider than the hardware's runs at the hardware's width")
    Integer bits;

    @Option(names = "--json", description = "print one JSON object on stdout")
    boolean json;

    private static volatile double sink;

    /** The kernel width that really runs, the hardware's width, and a note when they differ from --bits. */
    record Width(int kernelBits, int hardwareBits, String note) {
    }

    /**
     * Sets {@code vecgd.vector.bits} to {@code --bits} (before {@link Kernels} is initialized, when it is
     * not yet), then checks the width the kernels really run at. Throws when {@code --bits} is not 512, 256
     * or 128, or when the kernels cannot run at the requested width (clamped to the hardware's width) in
     * this JVM.
     */
    static Width chooseWidth(Integer bits, boolean vectorApi) throws UsageException {
        if (bits != null && bits != 512 && bits != 256 && bits != 128) {
            throw new UsageException("--bits must be 512, 256 or 128, got " + bits);
        }
        int hardware = vectorApi ? ReadProbe.preferredBits() : 0;
        if (bits == null) {
            return new Width(Kernels.vectorBits(), hardware, "");
        }
        String previous = System.getProperty(BITS_PROPERTY);
        System.setProperty(BITS_PROPERTY, String.valueOf(bits));
        int actual;
        try {
            actual = Kernels.vectorBits(); // initializes the kernels now, at --bits, unless they already were
        } finally {
            if (previous == null) System.clearProperty(BITS_PROPERTY);
            else System.setProperty(BITS_PROPERTY, previous);
        }
        if (!Kernels.isVectorized()) {
            throw new UsageException("--bits " + bits + " needs the Vector API kernels, but this JVM runs the scalar kernels ("
                    + (vectorApi ? "-Dvecgd.kernel=scalar?" : "start java with --add-modules jdk.incubator.vector") + ")");
        }
        int expected = Math.min(bits, hardware);
        if (actual != expected) {
            throw new UsageException("--bits " + bits + ": the kernels of this JVM were already initialized at " + actual
                    + " bits (" + Kernels.implementation() + "), and the width is fixed once per JVM; run --bits in a new process"
                    + " (or start it with -D" + BITS_PROPERTY + "=" + bits + ")");
        }
        String note = bits > hardware
                ? "--bits " + bits + " is wider than this hardware's " + hardware + "-bit vectors: the kernels ran at " + hardware + " bits"
                : "";
        return new Width(actual, hardware, note);
    }

    /** The system property the kernels read their width from (dev.vecgd.kernel.KernelProvider). */
    static final String BITS_PROPERTY = "vecgd.vector.bits";

    @Override
    public Integer call() throws UsageException {
        // First, before any kernel class is initialized: the width (fixed once per JVM).
        boolean vectorApi = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        Width width = chooseWidth(bits, vectorApi);
        if (rows < 1) throw new UsageException("--rows must be >= 1, got " + rows);
        if (cols < 1) throw new UsageException("--cols must be >= 1, got " + cols);
        if (threads < 1) throw new UsageException("--threads must be >= 1, got " + threads);
        if (repeats < 1) throw new UsageException("--repeats must be >= 1, got " + repeats);
        if ((long) rows * cols > Integer.MAX_VALUE - 8) throw new UsageException("--rows × --cols exceed one Java array");
        Layout lay = FitCommand.parseLayout(layout);
        int m = rows;
        int n = cols;
        double[] xs = new double[m * n];
        double[] y = new double[m];
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < xs.length; i++) xs[i] = rnd.nextDouble() - 0.5;
        for (int i = 0; i < m; i++) y[i] = rnd.nextDouble();
        double[] theta = new double[n];
        for (int j = 0; j < n; j++) theta[j] = 0.01 * (j + 1);
        double b = 0.5;
        Matrix x = lay == Layout.ROW_MAJOR ? Matrix.rowMajor(xs, m, n) : Matrix.columnMajor(xs, m, n);
        StridedVector yv = StridedVector.of(y);
        double[] r = new double[m];
        double[] gNaive = new double[n + 1];
        double[] gSimd = new double[n + 1];

        Runnable naive = () -> {
            Arrays.fill(gNaive, 0);
            sink = naive(xs, m, n, lay, theta, b, y, r, gNaive);
        };
        // threads > 1: the same fused kernel over fixed row chunks on a worker pool (ParallelKernels).
        ParallelKernels pool = threads > 1 ? new ParallelKernels(threads) : null;
        int chunk = ParallelKernels.defaultChunkRows(n);
        Runnable simd = pool == null
                ? () -> {
                    Arrays.fill(gSimd, 0);
                    sink = Kernels.lossGradientAdd(x, theta, b, yv, gSimd, 0, m);
                }
                : () -> {
                    Arrays.fill(gSimd, 0);
                    sink = pool.lossGradientAdd(x, theta, b, yv, gSimd, 0, m, chunk);
                };
        Runnable probe = vectorApi ? () -> sink = ReadProbe.sum(xs, 0, xs.length) + ReadProbe.sum(y, 0, m)
                : () -> sink = scalarSum(xs) + scalarSum(y);

        double bytes = 8.0 * ((double) m * n + m);
        int warm = Math.max(3, (int) Math.min(50, 2e8 / bytes)); // more warm-up runs for small sizes
        double tNaive = median(naive, warm, repeats);
        double tSimd = median(simd, warm, repeats);
        double tProbe = median(probe, warm, repeats);
        if (pool != null) pool.close();
        double maxDiff = 0;
        double scale = 0;
        for (int j = 0; j <= n; j++) {
            maxDiff = Math.max(maxDiff, Math.abs(gNaive[j] - gSimd[j]));
            scale = Math.max(scale, Math.abs(gNaive[j]));
        }
        String cpu = cpuModel();
        String jdk = Runtime.version().toString();
        String kernels = Kernels.implementation();
        if (json) {
            ObjectNode o = ModelJson.MAPPER.createObjectNode();
            o.put("rows", m);
            o.put("cols", n);
            o.put("layout", lay == Layout.ROW_MAJOR ? "row" : "column");
            o.put("threads", threads);
            o.put("bytes", (long) bytes);
            o.put("repeats", repeats);
            ObjectNode s = o.putObject("seconds");
            s.put("naive", tNaive);
            s.put("simd", tSimd);
            s.put("readProbe", tProbe);
            ObjectNode g = o.putObject("gbPerSecond");
            g.put("naive", bytes / tNaive / 1e9);
            g.put("simd", bytes / tSimd / 1e9);
            g.put("readProbe", bytes / tProbe / 1e9);
            ModelJson.number(o, "simdOverNaive", tNaive / tSimd);
            ModelJson.number(o, "simdShareOfReadProbe", tProbe / tSimd);
            ModelJson.number(o, "gradientRelativeDifference", scale > 0 ? maxDiff / scale : 0);
            o.put("jdk", jdk);
            o.put("cpu", cpu);
            o.put("kernel", kernels);
            o.put("vectorBits", width.kernelBits());
            if (bits != null) o.put("requestedBits", bits);
            o.put("hardwareVectorBits", width.hardwareBits());
            if (!width.note().isEmpty()) o.put("widthNote", width.note());
            o.put("readProbe", vectorApi ? "Vector API" : "scalar (jdk.incubator.vector not present)");
            main.out.println(ModelJson.toJson(o, false));
        } else {
            PrintfOut p = (f, a) -> main.out.printf(Locale.ROOT, f, a);
            p.f("vecgd bench: one gradient (loss + ∇J) over X %,d × %d (%s-major) and y: %.1f MB per pass, median of %d runs after >= %d warm-up runs (and >= 0.5 s)%n",
                    m, n, lay == Layout.ROW_MAJOR ? "row" : "column", bytes / 1e6, repeats, warm);
            p.f("JDK %s; CPU %s; %d processors; threads %d (SIMD gradient)%n", jdk, cpu, Runtime.getRuntime().availableProcessors(), threads);
            p.f("kernels: %s%n", kernels);
            p.f("vector width: %s (%s; hardware's widest: %s; read probe at the hardware's width)%n",
                    width.kernelBits() >= 128 ? width.kernelBits() + "-bit" : "scalar",
                    bits == null ? "default" : "--bits " + bits,
                    width.hardwareBits() > 0 ? width.hardwareBits() + "-bit" : "no Vector API");
            if (!width.note().isEmpty()) p.f("note: %s%n", width.note());
            p.f("%n");
            p.f("  %-34s %10s %10s %12s%n", "variant", "ms", "GB/s", "vs naive");
            p.f("  %-34s %10.3f %10.2f %12s%n", "naive loops, two passes", tNaive * 1e3, bytes / tNaive / 1e9, "1.00×");
            p.f("  %-34s %10.3f %10.2f %11.2f×%n", "SIMD fused (lossGradientAdd)", tSimd * 1e3, bytes / tSimd / 1e9, tNaive / tSimd);
            p.f("  %-34s %10.3f %10.2f %11.2f×%n", vectorApi ? "read probe (Vector API sum)" : "read probe (scalar sum)",
                    tProbe * 1e3, bytes / tProbe / 1e9, tNaive / tProbe);
            p.f("%nSIMD reaches %.0f %% of the read probe; gradients agree to %.1e (relative)%n", 100 * tProbe / tSimd,
                    scale > 0 ? maxDiff / scale : 0);
        }
        return Main.OK;
    }

    @FunctionalInterface
    private interface PrintfOut {
        Object f(String format, Object... args);
    }

    /** r = Xθ + b − y (first pass), then g += Xᵀr and g[n] += Σr (second pass); returns Σr². */
    static double naive(double[] x, int m, int n, Layout lay, double[] theta, double b, double[] y, double[] r, double[] g) {
        double ss = 0;
        if (lay == Layout.ROW_MAJOR) {
            for (int i = 0; i < m; i++) {
                double s = b - y[i];
                int base = i * n;
                for (int j = 0; j < n; j++) s += x[base + j] * theta[j];
                r[i] = s;
                ss += s * s;
            }
            for (int i = 0; i < m; i++) {
                int base = i * n;
                double ri = r[i];
                for (int j = 0; j < n; j++) g[j] += x[base + j] * ri;
                g[n] += ri;
            }
        } else {
            for (int i = 0; i < m; i++) r[i] = b - y[i];
            for (int j = 0; j < n; j++) {
                double t = theta[j];
                int base = j * m;
                for (int i = 0; i < m; i++) r[i] += x[base + i] * t;
            }
            for (int i = 0; i < m; i++) {
                ss += r[i] * r[i];
                g[n] += r[i];
            }
            for (int j = 0; j < n; j++) {
                int base = j * m;
                double s = 0;
                for (int i = 0; i < m; i++) s += x[base + i] * r[i];
                g[j] += s;
            }
        }
        return ss;
    }

    private static double scalarSum(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return s;
    }

    private static double median(Runnable task, int warm, int repeats) {
        long until = System.nanoTime() + 500_000_000L; // at least `warm` runs and 0.5 s, so C2 has compiled the loops
        for (int i = 0; i < warm || System.nanoTime() < until; i++) task.run();
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            task.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        return repeats % 2 == 1 ? t[repeats / 2] : (t[repeats / 2 - 1] + t[repeats / 2]) / 2;
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch") + " (model unknown)";
    }
}
