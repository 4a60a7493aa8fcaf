package dev.vecgd.kernel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 segment kernels ({@link SegmentKernelImpl}: scalar reference and Vector API) on the sweep of
 * {@link KernelCase} with every value of X rounded to float (NaN everywhere outside the view, offsets,
 * {@code ld > n}, row ranges starting mid-block), against
 * <ol>
 *   <li>the double segment kernels on the widened data: the scalar float kernel gives the same bits as the
 *       scalar double kernel (and the heap reference); the vector float kernel the same bits as the vector
 *       double kernel (the same operations in the same order on the same doubles) and, to rounding, the scalar
 *       reference;</li>
 *   <li>the double-double oracle of {@link KernelChecker.Expected} (the fused gradient from a non-zero g0 and
 *       Σr²), within its first-order error bounds.</li>
 * </ol>
 * Also: the weighted pass, the Gram pass's packing copy, compact matrices that end with their segment (the
 * n = 1 column path, every block boundary), calls cut into short implementation calls, the parallel path, and
 * the argument checks. Runs at the JVM's width; the pom's width forks run it at 256 and 128 bits.
 */
class FloatSegmentKernelsTest {

    private static final int L = VectorKernels.S.length();
    private static final int[] NS = {0, 1, 2, 3, 7, 8, 9, 16, 17, 33, 64, 257};

    private static int[] ms() {
        TreeSet<Integer> ms = new TreeSet<>(List.of(0, 1, 2, 3, 7, 13, 31, 64, 257, 700));
        for (int v : new int[] {L - 1, L, L + 1, 2 * L + 1, 4 * L - 1}) if (v >= 0) ms.add(v);
        return ms.stream().mapToInt(Integer::intValue).toArray();
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        long seed = 4242;
        for (Layout layout : Layout.values()) {
            for (int m : ms()) {
                for (int n : NS) {
                    KernelCase.YMode y = (seed & 2) == 0 ? KernelCase.YMode.SEPARATE : KernelCase.YMode.X_COLUMN;
                    out.add(new KernelCase(layout, m, n, y, (seed & 1) == 0, seed++));
                }
            }
        }
        return out;
    }

    /** A case's data with X rounded to float in place (y too when it is a column of X): both as segments. */
    static final class Views {
        final KernelCase.Data d;
        final SegmentMatrix x32;
        final SegmentMatrix x64;
        final SegmentVector y;
        final SegmentVector w;

        Views(KernelCase c, Arena arena) {
            d = new KernelCase.Data(c);
            for (int k = 0; k < d.x.length; k++) d.x[k] = (float) d.x[k]; // NaN padding stays NaN
            MemorySegment fs = arena.allocate(4L * d.x.length, 64);
            for (int k = 0; k < d.x.length; k++) fs.setAtIndex(ValueLayout.JAVA_FLOAT, k, (float) d.x[k]);
            x32 = new SegmentMatrix(fs, d.xOff, d.rowsTotal, c.n(), d.ld, c.layout(), ElementType.FLOAT32);
            x64 = new SegmentMatrix(doubles(d.x, arena), d.xOff, d.rowsTotal, c.n(), d.ld, c.layout());
            // y stays double: a separate segment (a copy of X's array when y is one of its columns)
            y = new SegmentVector(doubles(d.yArr, arena), d.yOff, d.yInc);
            double[] wa = new double[d.rowsTotal + 3];
            java.util.Arrays.fill(wa, Double.NaN);
            SplittableRandom rnd = new SplittableRandom(c.seed() * 31);
            for (int i = d.from; i < d.to; i++) wa[i + 1] = rnd.nextDouble(0.25, 4);
            w = new SegmentVector(doubles(wa, arena), 1, 1);
        }
    }

    static MemorySegment doubles(double[] a, Arena arena) {
        MemorySegment s = arena.allocate(8L * Math.max(1, a.length), 64);
        MemorySegment.copy(a, 0, s, ValueLayout.JAVA_DOUBLE, 0, a.length);
        return s;
    }

    /**
     * The rounding-error bounds of the double vector kernel test ({@code SegmentKernelsTest}), with the residual's own
     * error bound {@code (n + 2)·2⁻⁵²·Σ|terms|} (a fixed 1e-15 there was too tight for n = 33 with cancellation at 128 bits).
     */
    private static double[] bounds(KernelCase.Data d, double[] abs, double[] prop) {
        int n = d.c.n();
        double absSs = 0;
        double propagated = 0; // Σ 2|r_i|·δr_i: the residuals' own rounding carried into Σr²
        for (int i = d.from; i < d.to; i++) {
            double dot = 0, dotAbs = Math.abs(d.b) + Math.abs(d.yAt(i));
            for (int j = 0; j < n; j++) {
                dot += d.xAt(i, j) * d.theta[j];
                dotAbs += Math.abs(d.xAt(i, j) * d.theta[j]);
            }
            double ri = dot + d.b - d.yAt(i);
            double e = Math.abs(ri) + dotAbs * (n + 2) * 0x1p-52; // |r_i| plus its rounding bound γ_{n+2}·Σ|terms|
            double dr = 4 * dotAbs * (n + 2) * 0x1p-52; // the residual's rounding, carried into every g_j
            for (int j = 0; j < n; j++) {
                abs[j] += e * Math.abs(d.xAt(i, j));
                prop[j] += dr * Math.abs(d.xAt(i, j));
            }
            abs[n] += e;
            prop[n] += dr;
            absSs += e * e;
            propagated += 4 * Math.abs(ri) * dotAbs * (n + 2) * 0x1p-52;
        }
        return new double[] {64 * 0x1p-52 * (n + 2 + Math.sqrt(d.c.m())), absSs, propagated};
    }

    static SegmentKernelImpl vectorFloat() {
        SegmentKernelImpl v = SegmentKernels.loadFloatVector();
        Assumptions.assumeTrue(v != null, "the Vector API (jdk.incubator.vector) is not in this JVM: no float32 vector kernels");
        return v;
    }

    static SegmentKernelImpl vectorDouble() {
        SegmentKernelImpl v = SegmentKernels.loadVector();
        Assumptions.assumeTrue(v != null, "the Vector API (jdk.incubator.vector) is not in this JVM");
        return v;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scalarFloatGivesTheBitsOfTheDoubleKernelsAndMeetsTheOracle(KernelCase c) {
        try (Arena arena = Arena.ofConfined()) {
            Views v = new Views(c, arena);
            KernelCase.Data d = v.d;
            int n = c.n();
            double[] heap = new double[n + 1];
            double heapSs = d.fused(ScalarKernels.INSTANCE, null, 0, heap);
            double[] want = new double[n + 1];
            double wantSs = SegmentKernels.run(ScalarSegmentKernels.INSTANCE, v.x64, d.theta, d.b, v.y, want, d.from, d.to);
            assertArrayEquals(heap, want, 0.0, "double segments vs heap " + c);
            double[] got = new double[n + 1];
            double ss = SegmentKernels.run(ScalarFloatSegmentKernels.INSTANCE, v.x32, d.theta, d.b, v.y, got, d.from,
                    d.to, SegmentKernels.MAX_CALL_ROWS);
            assertEquals(wantSs, ss, 0.0, c + " Σr²");
            assertArrayEquals(want, got, 0.0, c.toString());
            oracle(ScalarFloatSegmentKernels.INSTANCE.name(), v, heap, heapSs, ScalarFloatSegmentKernels.INSTANCE);
            // weighted: the same bits as the double scalar kernel
            double[] wg = new double[n + 1];
            double[] fg = new double[n + 1];
            double wss = weighted(ScalarSegmentKernels.INSTANCE, v.x64, v, wg);
            double fss = weightedFloat(ScalarFloatSegmentKernels.INSTANCE, v, fg);
            assertEquals(wss, fss, 0.0, c + " weighted Σwr²");
            assertArrayEquals(wg, fg, 0.0, c + " weighted");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vectorFloatGivesTheBitsOfTheVectorDoubleKernelAndMeetsTheOracle(KernelCase c) {
        SegmentKernelImpl vf = vectorFloat();
        SegmentKernelImpl vd = vectorDouble();
        try (Arena arena = Arena.ofConfined()) {
            Views v = new Views(c, arena);
            KernelCase.Data d = v.d;
            int n = c.n();
            double[] ref = new double[n + 1];
            double refSs = d.fused(ScalarKernels.INSTANCE, null, 0, ref);
            double[] want = new double[n + 1];
            double wantSs = SegmentKernels.run(vd, v.x64, d.theta, d.b, v.y, want, d.from, d.to);
            double[] got = new double[n + 1];
            double ss = SegmentKernels.run(vf, v.x32, d.theta, d.b, v.y, got, d.from, d.to, SegmentKernels.MAX_CALL_ROWS);
            assertEquals(wantSs, ss, 0.0, c + " Σr² vs the vector double kernel");
            assertArrayEquals(want, got, 0.0, c + " vs the vector double kernel");
            // to rounding against the scalar reference, with the double vector kernel's tolerance
            double[] abs = new double[n + 1];
            double[] prop = new double[n + 1];
            double[] tb = bounds(d, abs, prop);
            assertEquals(refSs, ss, tb[0] * tb[1] + tb[2] + 1e-300, c + " Σr²");
            for (int j = 0; j <= n; j++) {
                assertEquals(ref[j], got[j], tb[0] * abs[j] + prop[j] + 1e-300, c + " g[" + j + "]");
                assertTrue(Double.isFinite(got[j]), c + " read outside the view");
            }
            oracle(vf.name(), v, ref, refSs, vf);
            double[] wg = new double[n + 1];
            double[] fg = new double[n + 1];
            double wss = weighted(vd, v.x64, v, wg);
            double fss = weightedFloat(vf, v, fg);
            assertEquals(wss, fss, 0.0, c + " weighted Σwr²");
            assertArrayEquals(wg, fg, 0.0, c + " weighted");
            for (double gj : fg) assertTrue(Double.isFinite(gj), c + " weighted read outside the view");
        }
    }

    /** The fused gradient from the oracle's g0 and Σr² against the double-double oracle (and the scalar reference). */
    private static void oracle(String name, Views v, double[] ref, double refSs, SegmentKernelImpl impl) {
        KernelCase.Data d = v.d;
        int n = d.c.n();
        KernelChecker.Expected e = new KernelChecker.Expected(d);
        double[] g = java.util.Arrays.copyOf(e.g0, n + 2);
        g[n + 1] = KernelChecker.SENTINEL;
        double ss = SegmentKernels.run(impl, v.x32, d.theta, d.b, v.y, g, d.from, d.to, SegmentKernels.MAX_CALL_ROWS);
        String where = name + ", " + d.c;
        for (int j = 0; j <= n; j++) {
            KernelChecker.near(where, "fused g[" + j + "]", g[j], e.g0[j] + ref[j], e.fgHi[j], e.fgLo[j],
                    e.fgTol[j] + Math.ulp(e.g0[j]));
        }
        KernelChecker.near(where, "fused Σr²", ss, refSs, e.ssHi, e.ssLo, e.ssTol);
        assertEquals(Double.doubleToRawLongBits(KernelChecker.SENTINEL), Double.doubleToRawLongBits(g[n + 1]),
                where + ": g[n+1] written");
    }

    private static double weighted(SegmentKernelImpl impl, SegmentMatrix x, Views v, double[] g) {
        KernelCase.Data d = v.d;
        return x.layout() == Layout.ROW_MAJOR
                ? impl.fusedWeightedRow(x.segment(), x.offset(), x.ld(), x.cols(), d.theta, d.b, v.y.segment(), v.y.offset(),
                        v.y.stride(), v.w.segment(), v.w.offset(), v.w.stride(), g, d.from, d.to - d.from)
                : impl.fusedWeightedCol(x.segment(), x.offset(), x.ld(), x.cols(), d.theta, d.b, v.y.segment(), v.y.offset(),
                        v.y.stride(), v.w.segment(), v.w.offset(), v.w.stride(), g, d.from, d.to - d.from);
    }

    private static double weightedFloat(SegmentKernelImpl impl, Views v, double[] g) {
        return SegmentKernels.runWeighted(impl, v.x32, v.d.theta, v.d.b, v.y, v.w, g, v.d.from, v.d.to);
    }

    /** Compact m×n matrices that end exactly with their segment (no padding to read into), every layout. */
    @Test
    void compactMatricesThatEndWithTheirSegment() {
        List<SegmentKernelImpl> floats = new ArrayList<>(List.of(ScalarFloatSegmentKernels.INSTANCE));
        List<SegmentKernelImpl> doubles = new ArrayList<>(List.of(ScalarSegmentKernels.INSTANCE));
        if (SegmentKernels.loadFloatVector() != null) {
            floats.add(SegmentKernels.loadFloatVector());
            doubles.add(SegmentKernels.loadVector());
        }
        SplittableRandom rnd = new SplittableRandom(99);
        int checked = 0;
        try (Arena arena = Arena.ofConfined()) {
            for (int n : NS) {
                if (n == 0) continue; // a compact n = 0 matrix has no bytes; the row kernel still reads a masked vector
                for (int m : ms()) {
                    if (m == 0) continue;
                    double[] a = new double[m * n];
                    for (int k = 0; k < a.length; k++) a[k] = (float) rnd.nextDouble(-2, 2);
                    double[] theta = new double[n];
                    for (int j = 0; j < n; j++) theta[j] = rnd.nextDouble(-1, 1);
                    double[] yv = new double[m];
                    for (int i = 0; i < m; i++) yv[i] = rnd.nextDouble(-3, 3);
                    MemorySegment fs = arena.allocate(4L * a.length, 4);
                    for (int k = 0; k < a.length; k++) fs.setAtIndex(ValueLayout.JAVA_FLOAT, k, (float) a[k]);
                    MemorySegment ds = doubles(a, arena).asSlice(0, 8L * a.length);
                    SegmentVector y = SegmentVector.of(doubles(yv, arena));
                    for (Layout layout : Layout.values()) {
                        SegmentMatrix x32 = layout == Layout.ROW_MAJOR ? SegmentMatrix.rowMajor(fs, m, n, ElementType.FLOAT32)
                                : SegmentMatrix.columnMajor(fs, m, n, ElementType.FLOAT32);
                        SegmentMatrix x64 = layout == Layout.ROW_MAJOR ? SegmentMatrix.rowMajor(ds, m, n)
                                : SegmentMatrix.columnMajor(ds, m, n);
                        for (int k = 0; k < floats.size(); k++) {
                            for (int from : new int[] {0, Math.min(m, 1), Math.min(m, L + 1)}) {
                                for (int callRows : new int[] {SegmentKernels.MAX_CALL_ROWS, 5}) {
                                    double[] want = new double[n + 1];
                                    double[] got = new double[n + 1];
                                    double ws = SegmentKernels.run(doubles.get(k), x64, theta, 0.5, y, want, from, m, callRows);
                                    double gs = SegmentKernels.run(floats.get(k), x32, theta, 0.5, y, got, from, m, callRows);
                                    String what = floats.get(k).name() + " " + layout + " m=" + m + " n=" + n + " from=" + from
                                            + " callRows=" + callRows;
                                    assertEquals(ws, gs, 0.0, what);
                                    assertArrayEquals(want, got, 0.0, what);
                                    checked++;
                                }
                            }
                        }
                    }
                }
            }
        }
        assertTrue(checked > 100, "checked " + checked);
    }

    /** The Gram pass's packing copy: float rows widened, then the same subtraction and maxima (the same bits). */
    @Test
    void copyShiftedRowsGivesTheBitsOfTheDoubleCopy() {
        SplittableRandom rnd = new SplittableRandom(5);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : new int[] {1, 2, 3, 7, 8, 9, 16, 17, 33, 64}) {
                for (int rows : new int[] {1, 3, L, L + 1, 37}) {
                    int ld = n + 3;
                    int off = 2;
                    double[] a = new double[off + (rows + 2) * ld];
                    java.util.Arrays.fill(a, Double.NaN);
                    for (int i = 0; i < rows + 2; i++) for (int j = 0; j < n; j++) a[off + i * ld + j] = (float) rnd.nextDouble(-1e3, 1e3);
                    MemorySegment fs = arena.allocate(4L * a.length, 64);
                    for (int k = 0; k < a.length; k++) fs.setAtIndex(ValueLayout.JAVA_FLOAT, k, (float) a[k]);
                    SegmentMatrix x32 = new SegmentMatrix(fs, off, rows + 2, n, ld, Layout.ROW_MAJOR, ElementType.FLOAT32);
                    SegmentMatrix x64 = new SegmentMatrix(doubles(a, arena), off, rows + 2, n, ld, Layout.ROW_MAJOR);
                    double[] shift = new double[n];
                    for (int j = 0; j < n; j++) shift[j] = rnd.nextDouble(-10, 10);
                    int ldo = n + 1;
                    double[] want = new double[rows * ldo];
                    double[] wantMax = new double[n];
                    double[] got = new double[rows * ldo];
                    double[] gotMax = new double[n];
                    SegmentKernels.copyShiftedRows(x64, 1, rows, shift, want, 0, ldo, wantMax);
                    SegmentKernels.copyShiftedRows(x32, 1, rows, shift, got, 0, ldo, gotMax);
                    assertArrayEquals(want, got, 0.0, "n=" + n + " rows=" + rows);
                    assertArrayEquals(wantMax, gotMax, 0.0);
                    double[] ref = new double[rows * ldo];
                    double[] refMax = new double[n];
                    ScalarFloatSegmentKernels.INSTANCE.copyShiftedRows(fs, off + ld, ld, rows, n, shift, ref, 0, ldo, refMax);
                    assertArrayEquals(ref, got, 0.0, "scalar reference n=" + n + " rows=" + rows);
                    assertArrayEquals(refMax, gotMax, 0.0);
                }
            }
        }
    }

    /** ParallelKernels over float32 X: the bits of the same call on the widened doubles, 1 and 3 threads. */
    @Test
    void parallelFloatGivesTheBitsOfParallelDouble() {
        try (Arena arena = Arena.ofShared();
             ParallelKernels s3 = new ParallelKernels(3, ScalarKernels.INSTANCE);
             ParallelKernels v1 = new ParallelKernels(1);
             ParallelKernels v3 = new ParallelKernels(3)) {
            for (KernelCase c : cases()) {
                if (c.m() < 7 || (c.seed() % 3) != 0) continue;
                Views v = new Views(c, arena);
                KernelCase.Data d = v.d;
                for (ParallelKernels pk : new ParallelKernels[] {s3, v1, v3}) {
                    for (int chunk : new int[] {1, 5, 64}) {
                        double[] want = new double[c.n() + 1];
                        double[] got = new double[c.n() + 1];
                        double ws = pk.lossGradientAdd(v.x64, d.theta, d.b, v.y, want, d.from, d.to, chunk);
                        double gs = pk.lossGradientAdd(v.x32, d.theta, d.b, v.y, got, d.from, d.to, chunk);
                        assertEquals(ws, gs, 0.0, c + " " + pk);
                        assertArrayEquals(want, got, 0.0, c + " " + pk + " chunk " + chunk);
                    }
                }
            }
        }
    }

    /** The public entry points dispatch on the element type; the matrix checks count floats. */
    @Test
    void publicMethodsDispatchAndCheckFloatMatrices() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(4 * 12, 64);
            for (int k = 0; k < 12; k++) s.setAtIndex(ValueLayout.JAVA_FLOAT, k, k + 0.5f);
            SegmentMatrix x = SegmentMatrix.rowMajor(s, 4, 3, ElementType.FLOAT32);
            assertEquals(ElementType.FLOAT32, x.elementType());
            assertTrue(x.isFloat32());
            assertEquals(48, x.dataBytes());
            assertEquals(7.5, x.get(2, 1), 0.0);
            assertEquals(ElementType.FLOAT32, x.columns(1, 2).elementType());
            assertTrue(x.toString().contains("float32"), x.toString());
            assertThrows(IllegalArgumentException.class, () -> SegmentMatrix.rowMajor(s, 5, 3, ElementType.FLOAT32));
            assertThrows(IllegalArgumentException.class, () -> SegmentMatrix.rowMajor(s, 4, 4, ElementType.FLOAT32));
            assertEquals(ElementType.FLOAT64, SegmentMatrix.rowMajor(s, 2, 3).elementType()); // 48 bytes = 6 doubles
            assertThrows(IllegalArgumentException.class, () -> SegmentMatrix.rowMajor(s, 4, 3)); // 12 doubles do not fit
            assertThrows(UnsupportedOperationException.class, () -> x.column(0));
            IllegalArgumentException heap = assertThrows(IllegalArgumentException.class,
                    () -> SegmentMatrix.rowMajor(MemorySegment.ofArray(new float[12]), 4, 3, ElementType.FLOAT32));
            assertTrue(heap.getMessage().contains("float32 X must be off-heap"), heap.getMessage());
            SegmentVector y = SegmentVector.of(arena.allocate(8 * 4, 64));
            double[] t = {1, -1, 0.5};
            double[] g = new double[4];
            double ss = SegmentKernels.lossGradientAdd(x, t, 0.25, y, g, 0, 4);
            double[] want = new double[4];
            double wantSs = 0;
            for (int i = 0; i < 4; i++) {
                double r = x.get(i, 0) - x.get(i, 1) + 0.5 * x.get(i, 2) + 0.25;
                for (int j = 0; j < 3; j++) want[j] += r * x.get(i, j);
                want[3] += r;
                wantSs += r * r;
            }
            assertEquals(wantSs, ss, 1e-12 * wantSs);
            assertArrayEquals(want, g, 1e-12);
            assertThrows(IllegalArgumentException.class, () -> SegmentKernels.lossGradientAdd(x, t, 0, y, new double[4], 0, 5));
            double[] out = new double[12];
            double[] mx = new double[3];
            SegmentKernels.copyShiftedRows(x, 0, 4, new double[3], out, 0, 3, mx);
            assertEquals(11.5, mx[2], 0.0);
            assertTrue(SegmentKernels.floatImplementation().contains("float32"), SegmentKernels.floatImplementation());
            assertEquals(ElementType.FLOAT32, ElementType.parse("float32"));
            assertEquals(ElementType.FLOAT64, ElementType.parse("<f8"));
            assertThrows(IllegalArgumentException.class, () -> ElementType.parse("int8"));
        }
    }

    /** An implementation never reads X of the other element type (the bytes would be read as the wrong type). */
    @Test
    void implementationsRefuseTheOtherElementType() {
        try (Arena arena = Arena.ofConfined()) {
            SegmentMatrix x64 = SegmentMatrix.rowMajor(arena.allocate(8 * 6, 64), 2, 3);
            SegmentMatrix x32 = SegmentMatrix.rowMajor(arena.allocate(4 * 6, 64), 2, 3, ElementType.FLOAT32);
            SegmentVector y = SegmentVector.of(arena.allocate(8 * 2, 64));
            double[] t = new double[3];
            List<SegmentKernelImpl> floats = new ArrayList<>(List.of(ScalarFloatSegmentKernels.INSTANCE));
            List<SegmentKernelImpl> doubles = new ArrayList<>(List.of(ScalarSegmentKernels.INSTANCE));
            if (SegmentKernels.loadFloatVector() != null) floats.add(SegmentKernels.loadFloatVector());
            if (SegmentKernels.loadVector() != null) doubles.add(SegmentKernels.loadVector());
            for (SegmentKernelImpl f : floats) {
                assertEquals(ElementType.FLOAT32, f.elementType(), f.name());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> SegmentKernels.run(f, x64, t, 0, y, new double[4], 0, 2));
                assertTrue(e.getMessage().contains("reads float32 X"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> SegmentKernels.runWeighted(f, x64, t, 0, y, y, new double[4], 0, 2));
            }
            for (SegmentKernelImpl d : doubles) {
                assertEquals(ElementType.FLOAT64, d.elementType(), d.name());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> SegmentKernels.run(d, x32, t, 0, y, new double[4], 0, 2));
                assertTrue(e.getMessage().contains("reads float64 X"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> SegmentKernels.runWeighted(d, x32, t, 0, y, y, new double[4], 0, 2));
            }
        }
    }
}
