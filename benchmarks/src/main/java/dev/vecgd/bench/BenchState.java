package dev.vecgd.bench;

import dev.vecgd.kernel.ElementType;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.kernel.SegmentVector;
import dev.vecgd.kernel.StridedVector;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The data every benchmark reads: a seeded m×n matrix X in the chosen layout, targets y, θ, an
 * intercept b, a gradient buffer g (n + 1) and a residual buffer r (m).
 *
 * <p><b>Parameters.</b> JMH crosses {@code @Param}s, so m and n are given together as one
 * {@code shape = "MxN"} parameter (crossing separate m and n lists would create 2 GiB × 256
 * monsters). The defaults are the full list of the benchmark issue: 256×16 (X in L1), 4096×16, 4096×7 and 4096×64
 * (L2), 262144×16 (L3), and the DRAM sizes 16777216×16, 33554432×8, 1048576×256 and 268435456×1
 * (X = 2 GiB each), plus 8388608×1 (64 MiB). Override on the command line, e.g.
 * {@code -p shape=4096x16,16777216x16 -p layout=row}. {@code layout} is {@code row} or {@code column}.
 *
 * <p><b>Memory.</b> The largest shape, 268435456×1, holds X (2 GiB), y (2 GiB) and r (2 GiB): the
 * forks use a fixed 8 GiB heap. Every array is written in {@link #setup()}, so all its pages are
 * touched before the first measured operation.
 *
 * <p><b>dtype.</b> {@code float64} (the default; everything above, unchanged) or {@code float32}: the same seeded
 * matrix with every element rounded once to float ({@link #x} then holds the rounded values, as doubles), copied
 * into native memory as floats ({@link #xf}, 64-byte aligned, the same layout) with y as native doubles
 * ({@link #ys}) — what the float32 kernels read ({@link #floatMatrix}, {@link #floatTargets}; a mapped {@code <f4}
 * file is native memory too) and what the float32 read probes read. float32 skips the residual buffer r (2 GiB
 * at 268435456×1): only {@code GradientBenchmark.simd} and the read probes take float32 (the plain loops refuse it).
 *
 * <p>Fields are public and non-final (JMH reads them as opaque state, and the tests drive the
 * benchmark methods directly on an instance set up with {@link #setup(String, String)}).
 */
@State(Scope.Thread)
public class BenchState {

    /** Seeds of X, y and θ. */
    public static final long SEED_X = 0x5EED_0001L, SEED_Y = 0x5EED_0002L, SEED_THETA = 0x5EED_0003L;

    @Param({"256x16", "4096x7", "4096x16", "4096x64", "262144x16", "16777216x16", "33554432x8", "1048576x256", "8388608x1", "268435456x1"})
    public String shape;

    @Param({"row", "column"})
    public String layout;

    /**
     * The kernel width the run is attributed to (512, 256, 128), checked against the fork's kernels by
     * {@link KernelWidth#check(String)}; {@value KernelWidth#AUTO} checks nothing. Set by
     * {@code benchmarks/run.sh} together with {@code -Dvecgd.vector.bits}.
     */
    @Param({KernelWidth.AUTO})
    public String bits;

    /** X's element type: {@code float64} (default) or {@code float32} (see the class comment). */
    @Param({"float64"})
    public String dtype;

    public int m;
    public int n;
    public boolean rowMajor;
    /** X's array (m·n elements, compact), in {@link #layout}. */
    public double[] x;
    public double[] y;
    public double[] theta;
    public double b;
    /** Gradient buffer: n coefficients and the intercept's part. */
    public double[] g;
    /** Residual buffer; after setup it holds the residuals of (θ, b). */
    public double[] r;
    public Matrix matrix;
    public StridedVector targets;
    /** True for dtype float32. */
    public boolean float32;
    /** float32: the arena of {@link #xf} and {@link #ys} (closed in {@link #tearDown()}); null for float64. */
    public Arena arena;
    /** float32: X as floats in native memory (m·n, compact, {@link #layout}); null for float64. */
    public MemorySegment xf;
    /** float32: y as doubles in native memory; null for float64. */
    public MemorySegment ys;
    /** float32: the float32 view of {@link #xf}; null for float64. */
    public SegmentMatrix floatMatrix;
    /** float32: the view of {@link #ys}; null for float64. */
    public SegmentVector floatTargets;

    /** Allocates and fills the data for {@link #shape} and {@link #layout}. */
    @Setup(Level.Trial)
    public void setup() {
        KernelWidth.check(bits);
        int[] mn = parseShape(shape);
        m = mn[0];
        n = mn[1];
        rowMajor = switch (layout) {
            case "row" -> true;
            case "column" -> false;
            default -> throw new IllegalArgumentException("layout must be row or column, got " + layout);
        };
        float32 = switch (dtype == null ? "float64" : dtype) {
            case "float64" -> false;
            case "float32" -> true;
            default -> throw new IllegalArgumentException("dtype must be float64 or float32, got " + dtype);
        };
        tearDown(); // a previous float32 setup's native memory
        x = new double[m * n];
        SeededData.fillMatrix(x, m, n, rowMajor, SEED_X);
        y = new double[m];
        SeededData.fill(y, SEED_Y);
        theta = new double[n];
        SeededData.fill(theta, SEED_THETA);
        b = 0.25;
        g = new double[n + 1];
        matrix = rowMajor ? Matrix.rowMajor(x, m, n) : Matrix.columnMajor(x, m, n);
        targets = StridedVector.of(y);
        if (float32) {
            setupFloat32();
            r = null;
        } else {
            r = new double[m];
            NaiveLoops.residuals(this);
        }
    }

    /** Rounds X to float in place and copies it (as floats) and y (as doubles) into a new native arena. */
    private void setupFloat32() {
        for (int k = 0; k < x.length; k++) x[k] = (float) x[k];
        arena = Arena.ofShared();
        xf = arena.allocate(Math.max(4L, 4L * x.length), 64);
        ys = arena.allocate(Math.max(8L, 8L * m), 64);
        float[] chunk = new float[1 << 16];
        for (int k = 0; k < x.length; k += chunk.length) {
            int len = Math.min(chunk.length, x.length - k);
            for (int i = 0; i < len; i++) chunk[i] = (float) x[k + i];
            MemorySegment.copy(chunk, 0, xf, ValueLayout.JAVA_FLOAT, 4L * k, len);
        }
        MemorySegment.copy(y, 0, ys, ValueLayout.JAVA_DOUBLE, 0, m);
        floatMatrix = rowMajor ? SegmentMatrix.rowMajor(xf, m, n, ElementType.FLOAT32)
                : SegmentMatrix.columnMajor(xf, m, n, ElementType.FLOAT32);
        floatTargets = SegmentVector.of(ys);
    }

    /** Releases the float32 native memory (nothing for float64). */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (arena != null) arena.close();
        arena = null;
        xf = null;
        ys = null;
        floatMatrix = null;
        floatTargets = null;
    }

    /** Sets the parameters (dtype too) and runs {@link #setup()}: for tests. */
    public BenchState setup(String shape, String layout, String dtype) {
        this.dtype = dtype;
        return setup(shape, layout);
    }

    /** Throws unless dtype is float64: for methods that read only the double arrays. */
    public void requireFloat64(String method) {
        if (float32) {
            throw new IllegalStateException(method + " reads the float64 arrays only: run it with dtype=float64"
                    + " (the float32 rows are GradientBenchmark.simd and the read probes)");
        }
    }

    /** Sets the parameters and runs {@link #setup()}: for tests and tools outside JMH. */
    public BenchState setup(String shape, String layout) {
        this.shape = shape;
        this.layout = layout;
        setup();
        return this;
    }

    /** Bytes of one full gradient as the reports count them: X and y read once, {@code 8·(m·n + m)}. */
    public static long bytes(int m, int n) {
        return 8L * ((long) m * n + m);
    }

    /** {@link #bytes(int, int)} for X of the given dtype: {@code 4·m·n + 8·m} for float32 (y is always double). */
    public static long bytes(int m, int n, String dtype) {
        return "float32".equals(dtype) ? 4L * m * n + 8L * m : bytes(m, n);
    }

    /** Parses {@code "MxN"} into {m, n}; m, n ≥ 1 and m·n must fit a Java array. */
    public static int[] parseShape(String shape) {
        String[] parts = shape.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("shape must be MxN (e.g. 4096x16), got '" + shape + "'");
        }
        int m = Integer.parseInt(parts[0].trim());
        int n = Integer.parseInt(parts[1].trim());
        if (m < 1 || n < 1) throw new IllegalArgumentException("shape needs m, n >= 1, got " + shape);
        if ((long) m * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + shape + " has " + (long) m * n
                    + " elements, more than a Java array holds");
        }
        return new int[] {m, n};
    }
}
