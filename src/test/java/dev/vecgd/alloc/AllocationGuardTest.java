package dev.vecgd.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.CompensatedKernels;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.ParallelKernels;
import dev.vecgd.kernel.ElementType;
import dev.vecgd.kernel.FloatKernels;
import dev.vecgd.kernel.FloatMatrix;
import dev.vecgd.kernel.SegmentKernels;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.kernel.SegmentVector;
import dev.vecgd.kernel.StridedVector;
import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;
import dev.vecgd.solver.StopReason;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Allocation guard (issue 12): <b>every public kernel, at every vector width, allocates nothing per call</b>,
 * and neither does an iteration of {@link LinearRegression#fit}. Written against the public API only (this
 * package is not {@code dev.vecgd.kernel}), so it checks whichever kernels are in the tree.
 *
 * <p>The vector species is fixed per JVM, so the pom runs this class once per width, each in its own forked
 * JVM: the default run (the machine's preferred width, 512 bits on the reference VM) and the executions
 * {@code vector-256} and {@code vector-128} ({@code -Dvecgd.vector.bits}). {@link #runsAtTheRequestedWidth()}
 * makes sure a run never passes at the wrong width.
 *
 * <p><b>How.</b>
 * <ol>
 * <li><b>Pollute the profiles first</b> ({@link #polluteProfiles()}, once per JVM, before any measurement):
 *     every public kernel — {@link Kernels} (both layouts), {@link SegmentKernels} and {@link ParallelKernels}
 *     (heap and off-heap, both layouts), {@link FloatKernels} (heap float32, both layouts) — over every shape of {@link #NS}, through two views each (compact with
 *     a separate y, and a padded "table": offset, leading dimension &gt; n, y a column of the same array), on
 *     many row ranges (full, mid-block starts, short ranges, leftovers of every block size, empty). Shapes are
 *     interleaved, so the JIT compiles each kernel with a profile of many shapes — the situation in which a
 *     {@code VectorMask}-taking helper stopped being inlined and boxed (whatever ran first decided it). Each
 *     public method is called well over 10⁴ times and its inner loops run millions of iterations, so C2 has
 *     compiled the kernels and their public entry points before measuring.</li>
 * <li><b>Measure</b> each (kernel, shape, layout, storage, view) on its own: {@value #REWARM} more calls (not
 *     counted: they let a recompilation triggered by the switch from the previous case settle), then
 *     {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes()} before and after
 *     {@value #CALLS} calls (read every {@value #CHUNK} calls: a round already over the limit after 200 calls
 *     stops early, only to save time on kernels that allocate). The two-thread {@link ParallelKernels} cases sum the allocated bytes of the caller
 *     and of the pool's worker thread.</li>
 * <li><b>Slack:</b> at most {@value #SLACK_BYTES} bytes over the {@value #CALLS} calls, i.e. &lt; 1 byte per
 *     call: the smallest Java object is 16 bytes, so any allocation per call fails; the slack only absorbs a
 *     constant: the reading of the counter itself and a rare one-off event during the loop (a deoptimization
 *     re-materializes the scalar-replaced objects of one frame once). A case over the limit is measured once
 *     more (another {@value #CALLS} calls): a per-call allocation allocates in every round, a one-off event
 *     does not repeat; the case fails when both rounds are over, and both rounds are reported.</li>
 * <li><b>Report:</b> every offending case with its bytes per call (all of them, not only the first), and the
 *     full table in {@code target/allocation-guard-<bits>bit.txt}.</li>
 * </ol>
 *
 * <p><b>Not measured, on purpose:</b> {@code Kernels.predict(Matrix, double[], double)} returns a new array
 * (its documented result; the ranged {@code predict} that writes into the caller's array is measured).
 * Constructing a {@link ParallelKernels} starts threads and its first call of a larger chunk count allocates
 * the partial slots: both are set-up, outside the loop; the steady-state calls are measured.
 *
 * <p><b>The fit loop</b> ({@link #fitLoopAllocatesNothingPerIteration()}): a fixed learning rate, no
 * tolerance stop, one thread; an {@link dev.vecgd.solver.IterationListener} reads the counter at iteration
 * {@value #FIT_WARM} and {@value #FIT_ITERATIONS} iterations later and stops the fit: the per-fit
 * allocations (result, history, standardization, the source) fall outside the window, what is measured is
 * the iteration loop alone.
 */
class AllocationGuardTest {

    /** The column counts: the list plus the values around 2, 4 and 8 lanes. */
    static final int[] NS = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 257};
    static final int CALLS = 1_000;
    static final int REWARM = 100;
    static final int CHUNK = 100;
    static final long SLACK_BYTES = 1_024;
    static final int POLLUTION_ROUNDS = 40;
    /** Offset of (0, 0) in the padded views. */
    static final int OFF = 5;
    static final int FIT_WARM = 2_000;
    static final int FIT_ITERATIONS = 1_000;

    static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static Arena arena;
    static final List<Shape> SHAPES = new ArrayList<>();
    static ParallelKernels pk1;
    static ParallelKernels pk2;
    static long[] pk2Threads;
    static double sink;

    /** One kernel call over rows [from, to) (ignored by the kernels without a row range). */
    @FunctionalInterface
    interface Op {
        double call(int from, int to);
    }

    /** A measured case: (kernel, shape, layout, storage, view) and the row range it is measured on. */
    record Case(String kernel, Shape shape, String layout, String storage, String view, int from, int to,
                int limit, boolean allThreads, Op op) {
        String label() {
            return String.format(Locale.ROOT, "%-38s n=%-3d m=%-4d %-6s %-20s %-28s", kernel, shape.n, shape.m, layout,
                    storage, view + " [" + from + "," + to + ")");
        }
    }

    /** The data of one shape: heap and off-heap, both layouts, compact and padded views. */
    static final class Shape {
        final int n;
        final int m;
        final double[] theta;
        final double b = 0.25;
        final List<Case> cases = new ArrayList<>();

        Shape(int n, SplittableRandom rnd) {
            this.n = n;
            // enough rows that each call runs long vector loops (4096 for small n), ≈ 2¹⁵ elements for wide rows;
            // +3 so that m leaves a remainder for every block size 2, 4, 8
            this.m = Math.max(32, Math.min(4096, (1 << 15) / n)) + 3;
            theta = fill(new double[n], rnd);
        }

        double[] r() {
            return new double[m + 8];
        }
    }

    static double[] fill(double[] a, SplittableRandom rnd) {
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextDouble(-1, 1);
        return a;
    }

    static MemorySegment offHeap(double[] a) {
        MemorySegment s = arena.allocate(8L * a.length, 64);
        MemorySegment.copy(a, 0, s, ValueLayout.JAVA_DOUBLE, 0, a.length);
        return s;
    }

    /** The values rounded to float, in native memory (float32 storage). */
    static MemorySegment offHeapFloat(double[] a) {
        MemorySegment s = arena.allocate(4L * a.length, 64);
        for (int i = 0; i < a.length; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) a[i]);
        return s;
    }

    // ---- set-up ----

    @BeforeAll
    static void setUp() {
        assertTrue(MX.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes per thread");
        MX.setThreadAllocatedMemoryEnabled(true);
        arena = Arena.ofShared();
        Set<Long> before = threadIds();
        pk1 = new ParallelKernels(1);
        pk2 = new ParallelKernels(2);
        Set<Long> workers = threadIds();
        workers.removeAll(before);
        pk2Threads = new long[workers.size() + 1];
        int t = 0;
        for (long id : workers) pk2Threads[t++] = id;
        pk2Threads[t] = Thread.currentThread().threadId();
        SplittableRandom rnd = new SplittableRandom(12);
        for (int n : NS) SHAPES.add(build(new Shape(n, rnd), rnd));
        long t0 = System.nanoTime();
        polluteProfiles();
        awaitQuietJit();
        System.out.printf(Locale.ROOT, "allocation guard: %s; %d shapes, %d cases; profiles polluted in %.1f s%n",
                Kernels.implementation(), SHAPES.size(), SHAPES.stream().mapToInt(s -> s.cases.size()).sum(),
                (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    static void tearDown() {
        if (pk1 != null) pk1.close();
        if (pk2 != null) pk2.close();
        if (arena != null) arena.close();
    }

    static Set<Long> threadIds() {
        Set<Long> ids = new HashSet<>();
        for (Thread th : Thread.getAllStackTraces().keySet()) ids.add(th.threadId());
        return ids;
    }

    /** Builds the data of one shape and every case over it. */
    static Shape build(Shape s, SplittableRandom rnd) {
        int m = s.m;
        int n = s.n;
        double[] theta = s.theta;
        double b = s.b;
        int from = 1;
        int to = m - 2; // mid-block start, leftover rows at the end
        // row-major, compact, y separate
        double[] xr = fill(new double[m * n], rnd);
        double[] y = fill(new double[m], rnd);
        Matrix rowCompact = Matrix.rowMajor(xr, m, n);
        // column-major, compact (same values)
        double[] xc = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) xc[j * m + i] = xr[i * n + j];
        Matrix colCompact = Matrix.columnMajor(xc, m, n);
        StridedVector ySep = StridedVector.of(y);
        // row-major table: offset OFF, ld = n + 3, y in column n
        int ldr = n + 3;
        double[] tr = fill(new double[OFF + m * ldr], rnd);
        Matrix rowTable = Matrix.rowMajor(tr, OFF, m, n, ldr);
        StridedVector rowTableY = new StridedVector(tr, OFF + n, ldr);
        // column-major table: offset OFF, ld = m + 5, y is column n
        int ldc = m + 5;
        double[] tc = fill(new double[OFF + (n + 1) * ldc], rnd);
        Matrix colTable = Matrix.columnMajor(tc, OFF, m, n, ldc);
        StridedVector colTableY = new StridedVector(tc, OFF + n * ldc, 1);

        for (Layout layout : Layout.values()) {
            boolean row = layout == Layout.ROW_MAJOR;
            String lay = row ? "row" : "column";
            Matrix compact = row ? rowCompact : colCompact;
            Matrix table = row ? rowTable : colTable;
            StridedVector tableY = row ? rowTableY : colTableY;
            // the compact view over rows [0, m), the table view over rows [1, m − 2)
            for (int v = 0; v < 2; v++) {
                Matrix x = v == 0 ? compact : table;
                StridedVector yy = v == 0 ? ySep : tableY;
                String view = v == 0 ? "compact, y separate" : "table: offset, ld>n";
                int f = v == 0 ? 0 : from;
                int t = v == 0 ? m : to;
                int rOff = v == 0 ? 0 : 3; // an offset into the residual buffer
                double[] r = s.r();
                double[] out = s.r();
                double[] g = new double[n + 1];
                double[] r0 = fill(s.r(), rnd);
                add(s, "Kernels.residuals", lay, "heap", view, f, t, false,
                        (lo, hi) -> Kernels.residuals(x, theta, b, yy, r, rOff, lo, hi));
                add(s, "Kernels.gradientAdd", lay, "heap", view, f, t, false,
                        (lo, hi) -> Kernels.gradientAdd(x, r0, rOff, g, lo, hi));
                add(s, "Kernels.residualsGradientAdd", lay, "heap", view, f, t, false,
                        (lo, hi) -> Kernels.residualsGradientAdd(x, theta, b, yy, r, rOff, g, lo, hi));
                add(s, "Kernels.lossGradientAdd", lay, "heap", view, f, t, false,
                        (lo, hi) -> Kernels.lossGradientAdd(x, theta, b, yy, g, lo, hi));
                double[] dd = new double[2 * (n + 2)]; // the compensated pass's double-double accumulators
                add(s, "CompensatedKernels.residualsGradientAdd", lay, "heap", view, f, t, false, (lo, hi) -> {
                    CompensatedKernels.residualsGradientAdd(x, theta, b, yy, lo, hi, dd);
                    return dd[0];
                });
                double[] dg = new double[2 * (n + 2) * (n + 2)];
                add(s, "CompensatedKernels.gramAdd", lay, "heap", view, f, t, false, (lo, hi) -> {
                    CompensatedKernels.gramAdd(x, yy, lo, hi, dg);
                    return dg[0];
                });
                if (v == 0 && row) {
                    add(s, "CompensatedKernels.residualsGradientAddRows", lay, "heap", view, f, t, false, (lo, hi) -> {
                        CompensatedKernels.residualsGradientAddRows(xr, lo * n, n, hi - lo, n, theta, b, y, lo, dd);
                        return dd[0];
                    });
                }
                double[] wts = fill(s.r(), rnd);
                add(s, "Kernels.weightedLossGradientAdd", lay, "heap", view, f, t, false,
                        (lo, hi) -> Kernels.weightedLossGradientAdd(x, theta, b, yy, wts, rOff, null, 0, g, lo, hi));
                add(s, "Kernels.weightedLossGradientAdd(r)", lay, "heap", view, f, t, false,
                        (lo, hi) -> Kernels.weightedLossGradientAdd(x, theta, b, yy, wts, rOff, r, rOff, g, lo, hi));
                add(s, "Kernels.predict(range)", lay, "heap", view, f, t, false, (lo, hi) -> {
                    Kernels.predict(x, theta, b, out, rOff, lo, hi);
                    return out[rOff + lo];
                });
                add(s, "Kernels.sumSquaredResiduals", lay, "heap", view, f, t, false,
                        (lo, hi) -> Kernels.sumSquaredResiduals(x, theta, b, yy, lo, hi));
                add(s, "Kernels.loss", lay, "heap", view, 0, m, false, (lo, hi) -> Kernels.loss(x, theta, b, yy));
                if (v == 0) {
                    double[] rFull = new double[m];
                    add(s, "Kernels.residuals(y[], r)", lay, "heap", view, 0, m, false,
                            (lo, hi) -> Kernels.residuals(x, theta, b, y, rFull));
                    add(s, "Kernels.gradientAdd(r, g)", lay, "heap", view, 0, m, false,
                            (lo, hi) -> Kernels.gradientAdd(x, r0, g));
                }
                add(s, "ParallelKernels(1).lossGradientAdd", lay, "heap", view, f, t, false,
                        (lo, hi) -> pk1.lossGradientAdd(x, theta, b, yy, g, lo, hi, chunkRows(m)));
                if (v == 0) {
                    add(s, "ParallelKernels(2).lossGradientAdd", lay, "heap", view, f, t, true,
                            (lo, hi) -> pk2.lossGradientAdd(x, theta, b, yy, g, lo, hi, chunkRows(m)));
                }
            }
            // off-heap: the same two views over native segments
            for (int v = 0; v < 2; v++) {
                SegmentMatrix x;
                SegmentVector yy;
                if (v == 0) {
                    x = row ? SegmentMatrix.rowMajor(offHeap(xr), m, n) : SegmentMatrix.columnMajor(offHeap(xc), m, n);
                    yy = SegmentVector.of(offHeap(y));
                } else {
                    MemorySegment seg = offHeap(row ? tr : tc);
                    x = new SegmentMatrix(seg, OFF, m, n, row ? ldr : ldc, layout);
                    yy = row ? new SegmentVector(seg, OFF + n, ldr) : new SegmentVector(seg, OFF + (long) n * ldc, 1);
                }
                String view = v == 0 ? "compact, y separate" : "table: offset, ld>n";
                int f = v == 0 ? 0 : from;
                int t = v == 0 ? m : to;
                double[] g = new double[n + 1];
                add(s, "SegmentKernels.lossGradientAdd", lay, "off-heap", view, f, t, false,
                        (lo, hi) -> SegmentKernels.lossGradientAdd(x, theta, b, yy, g, lo, hi));
                SegmentVector ww = SegmentVector.of(offHeap(fill(new double[m], rnd)));
                add(s, "SegmentKernels.weightedLossGradientAdd", lay, "off-heap", view, f, t, false,
                        (lo, hi) -> SegmentKernels.weightedLossGradientAdd(x, theta, b, yy, ww, g, lo, hi));
                add(s, "ParallelKernels(1).lossGradientAdd", lay, "off-heap", view, f, t, false,
                        (lo, hi) -> pk1.lossGradientAdd(x, theta, b, yy, g, lo, hi, chunkRows(m)));
                if (v == 0) {
                    add(s, "ParallelKernels(2).lossGradientAdd", lay, "off-heap", view, f, t, true,
                            (lo, hi) -> pk2.lossGradientAdd(x, theta, b, yy, g, lo, hi, chunkRows(m)));
                }
            }
            // float32 X (the float kernels, dispatched by the same public methods): the same two views, y separate
            for (int v = 0; v < 2; v++) {
                SegmentMatrix x;
                SegmentVector yy = SegmentVector.of(offHeap(y));
                if (v == 0) {
                    x = row ? SegmentMatrix.rowMajor(offHeapFloat(xr), m, n, ElementType.FLOAT32)
                            : SegmentMatrix.columnMajor(offHeapFloat(xc), m, n, ElementType.FLOAT32);
                } else {
                    x = new SegmentMatrix(offHeapFloat(row ? tr : tc), OFF, m, n, row ? ldr : ldc, layout, ElementType.FLOAT32);
                }
                String view = v == 0 ? "float32 compact" : "float32 table: offset, ld>n";
                int f = v == 0 ? 0 : from;
                int t = v == 0 ? m : to;
                double[] g = new double[n + 1];
                add(s, "SegmentKernels.lossGradientAdd", lay, "off-heap", view, f, t, false,
                        (lo, hi) -> SegmentKernels.lossGradientAdd(x, theta, b, yy, g, lo, hi));
                SegmentVector ww = SegmentVector.of(offHeap(fill(new double[m], rnd)));
                add(s, "SegmentKernels.weightedLossGradientAdd", lay, "off-heap", view, f, t, false,
                        (lo, hi) -> SegmentKernels.weightedLossGradientAdd(x, theta, b, yy, ww, g, lo, hi));
                add(s, "ParallelKernels(1).lossGradientAdd", lay, "off-heap", view, f, t, false,
                        (lo, hi) -> pk1.lossGradientAdd(x, theta, b, yy, g, lo, hi, chunkRows(m)));
            }
            // heap float32 X (FloatKernels over a float[]): the same two views, y separate or a double column
            for (int v = 0; v < 2; v++) {
                double[] src = v == 0 ? (row ? xr : xc) : (row ? tr : tc);
                float[] fa = new float[src.length];
                for (int k = 0; k < fa.length; k++) fa[k] = (float) src[k];
                FloatMatrix x = v == 0
                        ? (row ? FloatMatrix.rowMajor(fa, m, n) : FloatMatrix.columnMajor(fa, m, n))
                        : new FloatMatrix(fa, OFF, m, n, row ? ldr : ldc, layout);
                StridedVector yy = v == 0 ? ySep : (row ? rowTableY : colTableY);
                String view = v == 0 ? "float32 compact" : "float32 table: offset, ld>n";
                int f = v == 0 ? 0 : from;
                int t = v == 0 ? m : to;
                int rOff = v == 0 ? 0 : 3;
                double[] r = s.r();
                double[] out = s.r();
                double[] g = new double[n + 1];
                add(s, "FloatKernels.lossGradientAdd", lay, "heap float32", view, f, t, false,
                        (lo, hi) -> FloatKernels.lossGradientAdd(x, theta, b, yy, g, lo, hi));
                add(s, "FloatKernels.residualsGradientAdd", lay, "heap float32", view, f, t, false,
                        (lo, hi) -> FloatKernels.residualsGradientAdd(x, theta, b, yy, r, rOff, g, lo, hi));
                add(s, "FloatKernels.residuals", lay, "heap float32", view, f, t, false,
                        (lo, hi) -> FloatKernels.residuals(x, theta, b, yy, r, rOff, lo, hi));
                double[] fw = fill(s.r(), rnd);
                add(s, "FloatKernels.weightedLossGradientAdd", lay, "heap float32", view, f, t, false,
                        (lo, hi) -> FloatKernels.weightedLossGradientAdd(x, theta, b, yy, fw, rOff, null, 0, g, lo, hi));
                add(s, "FloatKernels.weightedLossGradientAdd(r)", lay, "heap float32", view, f, t, false,
                        (lo, hi) -> FloatKernels.weightedLossGradientAdd(x, theta, b, yy, fw, rOff, r, rOff, g, lo, hi));
                add(s, "FloatKernels.predict(range)", lay, "heap float32", view, f, t, false, (lo, hi) -> {
                    FloatKernels.predict(x, theta, b, out, rOff, lo, hi);
                    return out[rOff + lo];
                });
            }
        }

        // The Gram-pass kernels (no layout): k = n columns of cnt rows; ≈ 2¹⁹ multiply-adds per call.
        int cnt = Math.max(8, Math.min(2048, (1 << 20) / (n * n))) + 3;
        double[] mean = fill(new double[n], rnd);
        double[] scale = fill(new double[n], rnd);
        for (int v = 0; v < 2; v++) {
            int lda = v == 0 ? cnt : cnt + 3;
            String view = v == 0 ? "compact" : "lda/ldx > rows, offset";
            double[] a = fill(new double[n * lda], rnd);
            double[] vv = fill(new double[cnt], rnd);
            double[] c = new double[n * n];
            double[] d = new double[n];
            Shape sh = s;
            sh.cases.add(new Case("Kernels.crossProductsAdd(k=n)", sh, "-", "heap", view + ", cnt=" + cnt, 0, cnt, cnt, false,
                    (lo, hi) -> {
                        Kernels.crossProductsAdd(a, lda, n, hi - lo, vv, c, d);
                        return d[0];
                    }));
            double[] src = v == 0 ? xr : tr;
            int xOff = v == 0 ? 0 : OFF + ldr; // the table from its row 1
            int ldx = v == 0 ? n : ldr;
            double[] out = new double[n * lda];
            int sRows = Math.min(cnt, m - 1); // the table has m − 1 rows from its row 1
            sh.cases.add(new Case("Kernels.standardizeRowsToColumns", sh, "-", "heap", view + ", rows=" + sRows, 0, sRows, sRows, false,
                    (lo, hi) -> {
                        Kernels.standardizeRowsToColumns(src, xOff, ldx, hi - lo, n, mean, scale, out, lda);
                        return out[0];
                    }));
            // the Gram pass's packing step (shifted copy and max |z|), heap and off-heap, the same rows
            int pld = n + 2;
            double[] pout = new double[sRows * pld];
            double[] pmax = new double[n];
            sh.cases.add(new Case("Kernels.copyShiftedRows", sh, "-", "heap", view + ", rows=" + sRows, 0, sRows, sRows, false,
                    (lo, hi) -> {
                        Kernels.copyShiftedRows(src, xOff, ldx, hi - lo, n, mean, pout, 0, pld, pmax);
                        return pout[0];
                    }));
            SegmentMatrix psm = new SegmentMatrix(offHeap(src), xOff, v == 0 ? m : m - 1, n, ldx, Layout.ROW_MAJOR);
            sh.cases.add(new Case("SegmentKernels.copyShiftedRows", sh, "-", "off-heap", view + ", rows=" + sRows, 0, sRows, sRows, false,
                    (lo, hi) -> {
                        SegmentKernels.copyShiftedRows(psm, 0, hi - lo, mean, pout, 0, pld, pmax);
                        return pout[0];
                    }));
            // the weighted Gram pass's packing step (rows scaled by √w), heap and off-heap, the same rows
            double[] psw = fill(new double[sRows], rnd);
            sh.cases.add(new Case("Kernels.copyWeightedRows", sh, "-", "heap", view + ", rows=" + sRows, 0, sRows, sRows, false,
                    (lo, hi) -> {
                        Kernels.copyWeightedRows(src, xOff, ldx, hi - lo, n, mean, scale, psw, 0, pout, 0, pld);
                        return pout[0];
                    }));
            sh.cases.add(new Case("SegmentKernels.copyWeightedRows", sh, "-", "off-heap", view + ", rows=" + sRows, 0, sRows, sRows, false,
                    (lo, hi) -> {
                        SegmentKernels.copyWeightedRows(psm, 0, hi - lo, mean, scale, psw, 0, pout, 0, pld);
                        return pout[0];
                    }));
            SegmentMatrix fsm = new SegmentMatrix(offHeapFloat(src), xOff, v == 0 ? m : m - 1, n, ldx, Layout.ROW_MAJOR,
                    ElementType.FLOAT32);
            sh.cases.add(new Case("SegmentKernels.copyShiftedRows", sh, "-", "off-heap float32", view + ", rows=" + sRows, 0, sRows,
                    sRows, false, (lo, hi) -> {
                        SegmentKernels.copyShiftedRows(fsm, 0, hi - lo, mean, pout, 0, pld, pmax);
                        return pout[0];
                    }));
            float[] fsrc = new float[src.length];
            for (int k = 0; k < fsrc.length; k++) fsrc[k] = (float) src[k];
            FloatMatrix fhm = new FloatMatrix(fsrc, xOff, v == 0 ? m : m - 1, n, ldx, Layout.ROW_MAJOR);
            sh.cases.add(new Case("FloatKernels.copyShiftedRows", sh, "-", "heap float32", view + ", rows=" + sRows, 0, sRows,
                    sRows, false, (lo, hi) -> {
                        FloatKernels.copyShiftedRows(fhm, 0, hi - lo, mean, pout, 0, pld, pmax);
                        return pout[0];
                    }));
            sh.cases.add(new Case("FloatKernels.standardizeRowsToColumns", sh, "-", "heap float32", view + ", rows=" + sRows, 0,
                    sRows, sRows, false, (lo, hi) -> {
                        FloatKernels.standardizeRowsToColumns(fhm, 0, hi - lo, mean, scale, out, lda);
                        return out[0];
                    }));
            // the register-blocked Gram update: cnt rows of k = n values, row-major (k = n + 2 is the normal
            // solver's augmented block [X̃, 1, y]; the shapes of NS cover it)
            int gOff = v == 0 ? 0 : OFF;
            int gld = v == 0 ? n : n + 3;
            double[] ga = fill(new double[gOff + cnt * gld], rnd);
            double[] gc = new double[n * gld];
            sh.cases.add(new Case("Kernels.gramAdd", sh, "-", "heap", view + ", cnt=" + cnt, 0, cnt, cnt, false,
                    (lo, hi) -> {
                        Kernels.gramAdd(ga, gOff, gld, n, hi - lo, gc, gld);
                        return gc[0];
                    }));
        }
        return s;
    }

    static int chunkRows(int m) {
        return m / 4 + 1; // several chunks per call (and a short last one)
    }

    static void add(Shape s, String kernel, String layout, String storage, String view, int from, int to,
                    boolean allThreads, Op op) {
        s.cases.add(new Case(kernel, s, layout, storage, view, from, to, s.m, allThreads, op));
    }

    /**
     * Calls every case of every shape over many row ranges, shapes interleaved, {@value #POLLUTION_ROUNDS}
     * rounds: the first rounds over the full and the measured ranges (long loops: C2 compiles the kernels with
     * many shapes in their profiles), every round over short ranges of varying length and start (leftovers of
     * every block size, empty ranges, single rows) so that each public entry point is called &gt; 10⁴ times.
     */
    /**
     * Waits until the JIT compilers have been idle for 300 ms (at most 20 s): the compile queue of a polluted
     * JVM drains in the background, and a kernel measured before C2 compiled it would be measured in C1 code.
     */
    static void awaitQuietJit() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return;
        long deadline = System.nanoTime() + 20_000_000_000L;
        long last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < 3 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = jit.getTotalCompilationTime();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }

    static void polluteProfiles() {
        double acc = 0;
        for (int round = 0; round < POLLUTION_ROUNDS; round++) {
            for (Shape s : SHAPES) {
                for (Case c : s.cases) {
                    if (c.allThreads && round % 4 != 0) continue; // hand-offs to another thread are slow
                    int lim = c.limit; // rows [0, lim) are valid; cases with a fixed range ignore the bounds
                    if (round < 3) {
                        acc += c.op.call(0, lim);
                        acc += c.op.call(c.from, c.to);
                    }
                    int len = Math.min(lim, (round * 7 + s.n) % 19); // 0 .. 18: every remainder of 2, 4 and 8
                    int start = Math.min(lim - len, (round * 5) % 11);
                    acc += c.op.call(start, start + len);
                    acc += c.op.call(lim - Math.min(lim, 1 + round % 9), lim);
                    acc += c.op.call(1, Math.min(lim, 2));
                    acc += c.op.call(lim / 2, Math.min(lim, lim / 2 + 17));
                }
            }
        }
        sink += acc;
    }

    // ---- tests ----

    @Test
    void runsAtTheRequestedWidth() {
        assertTrue(Kernels.isVectorized(), "the vector kernels must be active: " + Kernels.implementation());
        assertTrue(SegmentKernels.implementation().startsWith("vector"), SegmentKernels.implementation());
        assertTrue(SegmentKernels.floatImplementation().startsWith("vector"), SegmentKernels.floatImplementation());
        assertTrue(FloatKernels.implementation().startsWith("vector"), FloatKernels.implementation());
        String wanted = System.getProperty("vecgd.vector.bits");
        if (wanted != null) {
            assertEquals(Integer.parseInt(wanted.trim()), Kernels.vectorBits(),
                    "-Dvecgd.vector.bits=" + wanted + " but the kernels run at " + Kernels.implementation());
        }
        assertTrue(Kernels.vectorBits() >= 128, Kernels.implementation());
    }

    @Test
    void everyKernelAllocatesNothingPerCall() throws IOException {
        runsAtTheRequestedWidth(); // never pass at the wrong width
        List<String> offenders = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        table.append("# ").append(Kernels.implementation()).append(" | ").append(SegmentKernels.implementation())
                .append(" | bytes per call over ").append(CALLS).append(" calls after polluting the profiles\n");
        int measured = 0;
        long t0 = System.nanoTime();
        for (Shape s : SHAPES) {
            for (Case c : s.cases) {
                long[] first = measure(c);
                String line = String.format(Locale.ROOT, "%s %10.2f B/call", c.label(), first[0] / (double) first[1]);
                // A case over the slack is measured again after the JIT has gone quiet, twice: code still
                // waiting for C2 (interpreted or C1 code boxes every vector) then passes, a boxing bug does not.
                // (Up to three more rounds: measuring one case can deoptimize code that another case compiled.)
                for (int retry = 0; retry < 3 && first[0] > SLACK_BYTES; retry++) {
                    awaitQuietJit();
                    first = measure(c);
                    line += String.format(Locale.ROOT, "  (again: %.2f)", first[0] / (double) first[1]);
                }
                if (first[0] > SLACK_BYTES) offenders.add(line);
                table.append(line).append('\n');
                measured++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Path report = Path.of("target", "allocation-guard-" + Kernels.vectorBits() + "bit.txt");
        Files.createDirectories(report.getParent());
        Files.writeString(report, table);
        System.out.printf(Locale.ROOT, "allocation guard: %d cases measured in %.1f s, %d allocate (table: %s)%n",
                measured, seconds, offenders.size(), report.toAbsolutePath());
        if (!offenders.isEmpty()) {
            String list = String.join("\n", offenders);
            System.out.println(list);
            fail(offenders.size() + " of " + measured + " kernel cases allocate per call at "
                    + Kernels.implementation() + " (limit: " + SLACK_BYTES + " bytes over " + CALLS + " calls):\n" + list);
        }
    }

    /**
     * One round: {@value #REWARM} calls not counted, then {@value #CALLS} calls in chunks of {@value #CHUNK};
     * returns {bytes, calls}. A round that already went over the slack after at least 2 chunks stops there (it
     * has failed: this only saves time on allocating kernels, which are slow); a round passes only when all
     * {@value #CALLS} calls allocated at most {@value #SLACK_BYTES} bytes in all. Bytes of the caller, and of
     * the pool's worker for the 2-thread cases.
     */
    static long[] measure(Case c) {
        Op op = c.op;
        int from = c.from;
        int to = c.to;
        boolean all = c.allThreads;
        double acc = 0;
        for (int k = 0; k < REWARM; k++) acc += op.call(from, to);
        long before = allocated(all);
        long bytes = 0;
        int calls = 0;
        while (calls < CALLS) {
            for (int k = 0; k < CHUNK; k++) acc += op.call(from, to);
            calls += CHUNK;
            bytes = allocated(all) - before;
            if (bytes > SLACK_BYTES && calls >= 2 * CHUNK) break;
        }
        sink += acc;
        return new long[] {bytes, calls};
    }

    static long allocated(boolean allThreads) {
        if (!allThreads) return MX.getCurrentThreadAllocatedBytes();
        long sum = 0;
        for (long id : pk2Threads) sum += MX.getThreadAllocatedBytes(id);
        return sum;
    }

    // ---- the fit loop ----

    @Test
    void fitLoopAllocatesNothingPerIteration() {
        runsAtTheRequestedWidth();
        int m = 4096;
        int n = 16;
        SplittableRandom rnd = new SplittableRandom(7);
        double[] xr = fill(new double[m * n], rnd);
        double[] beta = fill(new double[n], rnd);
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double dot = 1.5;
            for (int j = 0; j < n; j++) dot += xr[i * n + j] * beta[j];
            y[i] = dot + 0.1 * rnd.nextDouble(-1, 1);
        }
        double[] xc = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) xc[j * m + i] = xr[i * n + j];
        Dataset row = Dataset.rowMajor(xr, m, n, y);
        Dataset col = Dataset.columnMajor(xc, m, n, y);
        List<String> offenders = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try (SegmentDataset offRow = SegmentDataset.copyOf(row, Layout.ROW_MAJOR);
             SegmentDataset offCol = SegmentDataset.copyOf(row, Layout.COLUMN_MAJOR);
             SegmentDataset f32Row = SegmentDataset.copyOf(row, Layout.ROW_MAJOR, ElementType.FLOAT32);
             SegmentDataset f32Col = SegmentDataset.copyOf(row, Layout.COLUMN_MAJOR, ElementType.FLOAT32)) {
            for (String solver : new String[] {"gd", "momentum", "nesterov"}) {
                check(lines, offenders, solver, "heap row", o -> LinearRegression.fit(row, o));
                check(lines, offenders, solver, "heap column", o -> LinearRegression.fit(col, o));
                check(lines, offenders, solver, "off-heap row", o -> LinearRegression.fit(offRow, o));
                check(lines, offenders, solver, "off-heap column", o -> LinearRegression.fit(offCol, o));
                check(lines, offenders, solver, "float32 row", o -> LinearRegression.fit(f32Row, o));
                check(lines, offenders, solver, "float32 column", o -> LinearRegression.fit(f32Col, o));
            }
        }
        lines.forEach(System.out::println);
        if (!offenders.isEmpty()) {
            fail(offenders.size() + " fit loops allocate per iteration at " + Kernels.implementation() + " (limit: "
                    + SLACK_BYTES + " bytes over " + FIT_ITERATIONS + " iterations):\n" + String.join("\n", offenders));
        }
    }

    interface Fitter {
        FitResult fit(FitOptions options);
    }

    static void check(List<String> lines, List<String> offenders, String solver, String storage, Fitter fitter) {
        long[] at = new long[2];
        FitOptions.Builder base = FitOptions.builder().solver(solver).learningRate(0.5).gradientTolerance(0)
                .lossChangeTolerance(0).maxIterations(FIT_WARM + FIT_ITERATIONS + 10).threads(1).diagnostics(false);
        fitter.fit(base.build()); // warm-up fit (the measured one runs compiled code from its first iteration)
        FitOptions measured = base.listener((it, loss, norm) -> {
            if (it == FIT_WARM) at[0] = MX.getCurrentThreadAllocatedBytes();
            if (it == FIT_WARM + FIT_ITERATIONS) {
                at[1] = MX.getCurrentThreadAllocatedBytes();
                return false;
            }
            return true;
        }).build();
        FitResult r = fitter.fit(measured);
        // A recompilation inside the window (on a loaded machine: a method deoptimized and run in C1 code for
        // a few iterations) allocates a little once; a loop that boxes allocates ~100 B per row every time.
        // Over the limit: measured again once the JIT is quiet, up to twice more.
        for (int retry = 0; retry < 2 && r.stopReason() == StopReason.STOPPED_BY_CALLBACK && at[1] - at[0] > SLACK_BYTES;
                retry++) {
            awaitQuietJit();
            r = fitter.fit(measured);
        }
        String line;
        if (r.stopReason() != StopReason.STOPPED_BY_CALLBACK) {
            line = String.format(Locale.ROOT, "fit %-8s %-16s not measured: stopped at iteration %d (%s: %s)", solver, storage,
                    r.iterations(), r.stopReason(), r.message());
            offenders.add(line);
        } else {
            long bytes = at[1] - at[0];
            line = String.format(Locale.ROOT, "fit %-8s %-16s %8.2f B/iteration over %d iterations", solver, storage,
                    bytes / (double) FIT_ITERATIONS, FIT_ITERATIONS);
            if (bytes > SLACK_BYTES) offenders.add(line);
        }
        lines.add(line);
    }
}
