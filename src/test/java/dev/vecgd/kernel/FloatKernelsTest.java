package dev.vecgd.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heap float32 kernels ({@link FloatKernelImpl}: the scalar reference and the Vector API kernels) in one
 * parameterized sweep over every implementation of this JVM and the shapes of {@link KernelImplementationsTest}
 * (m = 0, 1, lanes ± 1, block edges, primes, 4099; n from 1 to 257; both layouts; offsets, {@code ld > n}, y
 * separate or strided or a column of X, row ranges that start after row 0, NaN everywhere outside the view), with
 * every value of X rounded to float. Each call is checked
 * <ol>
 *   <li>against the <b>double kernels on the widened data</b>: the scalar float kernel gives the bits of
 *       {@link ScalarKernels}, the vector float kernel the bits of {@link VectorKernels} (the same operations in the
 *       same order on the same doubles) — residuals, Σr², predictions, the fused gradient with and without r;</li>
 *   <li>against the <b>double-double oracle</b> ({@link KernelChecker.Expected}, {@link KernelChecker#near}) and the
 *       scalar float reference, within the first-order error bounds of {@link KernelChecker};</li>
 *   <li>for what they must not touch: guard slots around r, g[n + 1], X, y and θ unchanged.</li>
 * </ol>
 * Also: the float32 segment kernels give the same bits on the same floats (the fused pass), compact matrices that
 * end with their array (so a read past the view would throw), the Gram packing step, the public checked API and
 * {@link FloatMatrix}. The pom's width forks run this class at 256 and 128 bits (vector kernels only there).
 */
class FloatKernelsTest {

    static final List<FloatKernelImpl> IMPLEMENTATIONS = implementations();

    private static List<FloatKernelImpl> implementations() {
        List<FloatKernelImpl> list = new ArrayList<>();
        list.add(ScalarFloatKernels.INSTANCE);
        FloatKernelImpl v = FloatKernels.loadVector();
        if (v != null) list.add(v);
        // a width fork runs the vector kernels only (the scalar ones do not depend on the width)
        if (System.getProperty("vecgd.widthFork") != null && list.size() == 2) return List.of(list.get(1));
        return List.copyOf(list);
    }

    /** The double kernel that sums in the same order as impl. */
    static KernelImpl doubleTwin(FloatKernelImpl impl) {
        if (impl == ScalarFloatKernels.INSTANCE) return ScalarKernels.INSTANCE;
        KernelImpl v = KernelProvider.loadVector();
        assertNotNull(v, "a vector float kernel without the vector double kernel");
        return v;
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (FloatKernelImpl impl : IMPLEMENTATIONS) {
            int lanes = impl == ScalarFloatKernels.INSTANCE ? 1 : VectorKernels.S.length();
            for (KernelCase c : KernelImplementationsTest.cases(lanes)) out.add(Arguments.of(impl, c));
        }
        return out.stream();
    }

    /** A case's data with X (and y when it is a column of X) rounded to float in place, and X as a float[]. */
    static final class FloatData {
        final KernelCase.Data d;
        final float[] xf;

        FloatData(KernelCase c) {
            d = new KernelCase.Data(c);
            xf = new float[d.x.length];
            for (int k = 0; k < d.x.length; k++) {
                xf[k] = (float) d.x[k]; // NaN padding stays NaN
                d.x[k] = xf[k];
            }
        }

        double residuals(FloatKernelImpl k, boolean withY, double[] r, int rOff) {
            double[] yy = withY ? d.yArr : null;
            int yo = withY ? d.yOff : 0;
            int yi = withY ? d.yInc : 1;
            int n = d.c.n();
            return d.row()
                    ? k.residualsRow(xf, d.xOff, d.ld, n, d.theta, d.b, yy, yo, yi, r, rOff, d.from, d.to)
                    : k.residualsCol(xf, d.xOff, d.ld, n, d.theta, d.b, yy, yo, yi, r, rOff, d.from, d.to);
        }

        double fused(FloatKernelImpl k, double[] r, int rOff, double[] g) {
            int n = d.c.n();
            return d.row()
                    ? k.fusedRow(xf, d.xOff, d.ld, n, d.theta, d.b, d.yArr, d.yOff, d.yInc, r, rOff, g, d.from, d.to)
                    : k.fusedCol(xf, d.xOff, d.ld, n, d.theta, d.b, d.yArr, d.yOff, d.yInc, r, rOff, g, d.from, d.to);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void everyKernelGivesTheBitsOfItsDoubleTwinAndMeetsTheOracle(FloatKernelImpl impl, KernelCase c) {
        FloatData f = new FloatData(c);
        KernelCase.Data d = f.d;
        KernelImpl twin = doubleTwin(impl);
        KernelChecker.Expected e = new KernelChecker.Expected(d);
        float[] xCopy = f.xf.clone();
        double[] yCopy = d.yArr.clone();
        double[] thetaCopy = d.theta.clone();
        String where = impl.name() + ", " + c;
        int m = c.m();
        int n = c.n();
        int rOff = c.sub() ? KernelChecker.GUARD - d.from : 0;
        int base = rOff + d.from;
        for (boolean withY : new boolean[] {true, false}) {
            String what = withY ? "residuals" : "predict";
            double[] rf = buffer(rOff, d.from, m);
            double[] rd = buffer(rOff, d.from, m);
            double[] rs = buffer(rOff, d.from, m);
            double sf = f.residuals(impl, withY, rf, rOff);
            double sd = d.residuals(twin, withY, rd, rOff);
            double ss = f.residuals(ScalarFloatKernels.INSTANCE, withY, rs, rOff);
            bits(where, what + " Σr²", sd, sf);
            assertArrayEquals(rd, rf, 0.0, where + ": " + what + " vs the double twin"); // guards included
            guards(where, what, rf, base, m);
            for (int k = 0; k < m; k++) {
                KernelChecker.near(where, what + " r[" + (d.from + k) + "]", rf[base + k], rs[base + k],
                        withY ? e.rHi[k] : e.pHi[k], withY ? e.rLo[k] : e.pLo[k], withY ? e.rTol[k] : e.pTol[k]);
            }
            KernelChecker.near(where, what + " Σr²", sf, ss, withY ? e.ssHi : e.psHi, withY ? e.ssLo : e.psLo,
                    withY ? e.ssTol : e.psTol);
            if (withY) {
                double loss = f.residuals(impl, true, null, 0);
                bits(where, "residuals(r=null) Σr²", sd, loss);
            }
        }
        for (boolean store : new boolean[] {true, false}) {
            String what = store ? "fused" : "fused(r=null)";
            double[] rf = store ? buffer(rOff, d.from, m) : null;
            double[] rd = store ? buffer(rOff, d.from, m) : null;
            double[] gf = gradient(e.g0, n);
            double[] gd = gradient(e.g0, n);
            double[] gs = gradient(e.g0, n);
            double sf = f.fused(impl, rf, store ? rOff : 0, gf);
            double sd = d.fused(twin, rd, store ? rOff : 0, gd);
            double ss = f.fused(ScalarFloatKernels.INSTANCE, null, 0, gs);
            bits(where, what + " Σr²", sd, sf);
            assertArrayEquals(gd, gf, 0.0, where + ": " + what + " g vs the double twin");
            if (store) {
                assertArrayEquals(rd, rf, 0.0, where + ": " + what + " r vs the double twin");
                guards(where, what, rf, base, m);
                for (int k = 0; k < m; k++) {
                    KernelChecker.near(where, what + " r[" + (d.from + k) + "]", rf[base + k], rf[base + k], e.rHi[k],
                            e.rLo[k], e.rTol[k]);
                }
            }
            for (int j = 0; j <= n; j++) {
                KernelChecker.near(where, what + " g[" + j + "]", gf[j], gs[j], e.fgHi[j], e.fgLo[j], e.fgTol[j]);
            }
            KernelChecker.near(where, what + " Σr²", sf, ss, e.ssHi, e.ssLo, e.ssTol);
            assertEquals(Double.doubleToRawLongBits(KernelChecker.SENTINEL), Double.doubleToRawLongBits(gf[n + 1]),
                    where + ": " + what + " wrote g[n+1]");
        }
        // weighted (sample weights, NaN outside the range): the bits of the double twin, with and without r
        double[] w = new double[d.rowsTotal + 4];
        Arrays.fill(w, Double.NaN);
        SplittableRandom wr = new SplittableRandom(c.seed() * 31 + 7);
        for (int i = d.from; i < d.to; i++) w[2 + i] = wr.nextDouble(0.25, 4);
        for (boolean store : new boolean[] {true, false}) {
            String what = store ? "weighted" : "weighted(r=null)";
            double[] rf = store ? buffer(rOff, d.from, m) : null;
            double[] rd = store ? buffer(rOff, d.from, m) : null;
            double[] gf = gradient(e.g0, n);
            double[] gd = gradient(e.g0, n);
            double sf = d.row()
                    ? impl.fusedWeightedRow(f.xf, d.xOff, d.ld, n, d.theta, d.b, d.yArr, d.yOff, d.yInc, w, 2, rf, rOff, gf, d.from, d.to)
                    : impl.fusedWeightedCol(f.xf, d.xOff, d.ld, n, d.theta, d.b, d.yArr, d.yOff, d.yInc, w, 2, rf, rOff, gf, d.from, d.to);
            double sd = d.row()
                    ? twin.fusedWeightedRow(d.x, d.xOff, d.ld, n, d.theta, d.b, d.yArr, d.yOff, d.yInc, w, 2, rd, rOff, gd, d.from, d.to)
                    : twin.fusedWeightedCol(d.x, d.xOff, d.ld, n, d.theta, d.b, d.yArr, d.yOff, d.yInc, w, 2, rd, rOff, gd, d.from, d.to);
            bits(where, what + " Σwr²", sd, sf);
            assertArrayEquals(gd, gf, 0.0, where + ": " + what + " g vs the double twin");
            for (int j = 0; j <= n; j++) assertTrue(Double.isFinite(gf[j]), where + ": " + what + " read outside the view");
            if (store) {
                assertArrayEquals(rd, rf, 0.0, where + ": " + what + " r vs the double twin");
                guards(where, what, rf, base, m);
            }
        }
        assertArrayEquals(xCopy, f.xf, where + ": x modified");
        assertArrayEquals(yCopy, d.yArr, 0.0, where + ": y modified");
        assertArrayEquals(thetaCopy, d.theta, 0.0, where + ": theta modified");
    }

    private static double[] buffer(int rOff, int from, int m) {
        double[] r = new double[rOff + from + m + KernelChecker.GUARD];
        Arrays.fill(r, KernelChecker.SENTINEL);
        return r;
    }

    private static double[] gradient(double[] g0, int n) {
        double[] g = Arrays.copyOf(g0, n + 2);
        g[n + 1] = KernelChecker.SENTINEL;
        return g;
    }

    private static void bits(String where, String what, double want, double got) {
        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got),
                where + ": " + what + " = " + got + ", the double twin " + want);
    }

    private static void guards(String where, String what, double[] r, int base, int m) {
        for (int i = 0; i < r.length; i++) {
            if (i < base || i >= base + m) {
                assertEquals(Double.doubleToRawLongBits(KernelChecker.SENTINEL), Double.doubleToRawLongBits(r[i]),
                        where + ": " + what + " wrote index " + i + " outside [" + base + ", " + (base + m) + ")");
            }
        }
    }

    /**
     * The fused pass (no r, the one every solver runs) over the same floats on the heap and off-heap gives the same
     * bits: {@link FloatKernels} vs the float32 segment kernels ({@link SegmentKernels}), scalar and vector, on a
     * thinned sweep.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void heapFloatGivesTheBitsOfTheFloatSegmentKernels(FloatKernelImpl impl, KernelCase c) {
        if (c.m() > 1100 || (c.seed() & 3) != 0) return; // a quarter of the cases, the 4099-row ones left out
        SegmentKernelImpl seg = impl == ScalarFloatKernels.INSTANCE ? ScalarFloatSegmentKernels.INSTANCE
                : SegmentKernels.loadFloatVector();
        assertNotNull(seg);
        FloatData f = new FloatData(c);
        KernelCase.Data d = f.d;
        int n = c.n();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fs = arena.allocate(4L * f.xf.length, 64);
            MemorySegment.copy(f.xf, 0, fs, ValueLayout.JAVA_FLOAT, 0, f.xf.length);
            MemorySegment ys = arena.allocate(8L * d.yArr.length, 64);
            MemorySegment.copy(d.yArr, 0, ys, ValueLayout.JAVA_DOUBLE, 0, d.yArr.length);
            SegmentMatrix x = new SegmentMatrix(fs, d.xOff, d.rowsTotal, n, d.ld, c.layout(), ElementType.FLOAT32);
            double[] want = new double[n + 1];
            double ws = SegmentKernels.run(seg, x, d.theta, d.b, new SegmentVector(ys, d.yOff, d.yInc), want, d.from,
                    d.to, SegmentKernels.MAX_CALL_ROWS);
            double[] got = new double[n + 1];
            double gs = f.fused(impl, null, 0, got);
            bits(impl.name() + ", " + c, "Σr² vs " + seg.name(), ws, gs);
            assertArrayEquals(want, got, 0.0, impl.name() + ", " + c + " vs " + seg.name());
        }
    }

    static int[] sizes() {
        int l = VectorKernels.S.length();
        return new int[] {1, 2, 3, l - 1, l, l + 1, 2 * l + 1, 7, 13, 31, 64, 103, 257, 1031};
    }

    /** Compact m×n matrices that end exactly with their array: a vector read past the view would throw. */
    @Test
    void compactMatricesThatEndWithTheirArray() {
        SplittableRandom rnd = new SplittableRandom(7);
        int checked = 0;
        for (FloatKernelImpl impl : IMPLEMENTATIONS) {
            KernelImpl twin = doubleTwin(impl);
            for (int n : new int[] {1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 24, 33, 64}) {
                for (int m : sizes()) {
                    if (m <= 0) continue;
                    float[] xf = new float[m * n];
                    double[] xd = new double[m * n];
                    for (int k = 0; k < xf.length; k++) xd[k] = xf[k] = (float) rnd.nextDouble(-2, 2);
                    double[] theta = new double[n];
                    for (int j = 0; j < n; j++) theta[j] = rnd.nextDouble(-1, 1);
                    double[] y = new double[m];
                    for (int i = 0; i < m; i++) y[i] = rnd.nextDouble(-3, 3);
                    for (Layout layout : Layout.values()) {
                        boolean row = layout == Layout.ROW_MAJOR;
                        int ld = row ? n : m;
                        for (int from : new int[] {0, Math.min(m, 1), Math.min(m, 5)}) {
                            String what = impl.name() + " " + layout + " m=" + m + " n=" + n + " from=" + from;
                            double[] gf = new double[n + 1];
                            double[] gd = new double[n + 1];
                            double[] rf = new double[m];
                            double[] rd = new double[m];
                            double sf = row ? impl.fusedRow(xf, 0, ld, n, theta, 0.5, y, 0, 1, rf, 0, gf, from, m)
                                    : impl.fusedCol(xf, 0, ld, n, theta, 0.5, y, 0, 1, rf, 0, gf, from, m);
                            double sd = row ? twin.fusedRow(xd, 0, ld, n, theta, 0.5, y, 0, 1, rd, 0, gd, from, m)
                                    : twin.fusedCol(xd, 0, ld, n, theta, 0.5, y, 0, 1, rd, 0, gd, from, m);
                            bits(what, "Σr²", sd, sf);
                            assertArrayEquals(gd, gf, 0.0, what);
                            assertArrayEquals(rd, rf, 0.0, what);
                            double pf = row ? impl.residualsRow(xf, 0, ld, n, theta, 0.5, null, 0, 1, rf, 0, from, m)
                                    : impl.residualsCol(xf, 0, ld, n, theta, 0.5, null, 0, 1, rf, 0, from, m);
                            double pd = row ? twin.residualsRow(xd, 0, ld, n, theta, 0.5, null, 0, 1, rd, 0, from, m)
                                    : twin.residualsCol(xd, 0, ld, n, theta, 0.5, null, 0, 1, rd, 0, from, m);
                            bits(what, "predict Σp²", pd, pf);
                            assertArrayEquals(rd, rf, 0.0, what + " predict");
                            checked++;
                        }
                    }
                }
            }
        }
        assertTrue(checked > 500, "checked " + checked);
    }

    /** The Gram pass's packing step: float rows widened, then the double copy's subtraction and maxima (the same bits). */
    @Test
    void copyShiftedRowsGivesTheBitsOfTheDoubleCopy() {
        SplittableRandom rnd = new SplittableRandom(5);
        int checked = 0;
        for (FloatKernelImpl impl : IMPLEMENTATIONS) {
            KernelImpl twin = doubleTwin(impl);
            for (int n : new int[] {1, 2, 3, 7, 8, 9, 16, 17, 33, 64}) {
                for (int rows : new int[] {0, 1, 3, VectorKernels.S.length() + 1, 37}) {
                    int ld = n + 3;
                    int off = 2;
                    float[] xf = new float[off + (rows + 2) * ld];
                    Arrays.fill(xf, Float.NaN);
                    for (int i = 0; i < rows + 2; i++) {
                        for (int j = 0; j < n; j++) xf[off + i * ld + j] = (float) rnd.nextDouble(-1e3, 1e3);
                    }
                    double[] xd = new double[xf.length];
                    for (int k = 0; k < xf.length; k++) xd[k] = xf[k];
                    double[] shift = new double[n];
                    for (int j = 0; j < n; j++) shift[j] = rnd.nextDouble(-10, 10);
                    int ldo = n + 1;
                    double[] want = new double[Math.max(1, rows) * ldo];
                    double[] got = new double[want.length];
                    Arrays.fill(want, KernelChecker.SENTINEL);
                    Arrays.fill(got, KernelChecker.SENTINEL);
                    double[] wantMax = new double[n];
                    double[] gotMax = new double[n];
                    twin.copyShiftedRows(xd, off + ld, ld, rows, n, shift, want, 0, ldo, wantMax);
                    impl.copyShiftedRows(xf, off + ld, ld, rows, n, shift, got, 0, ldo, gotMax);
                    assertArrayEquals(want, got, 0.0, impl.name() + " n=" + n + " rows=" + rows);
                    assertArrayEquals(wantMax, gotMax, 0.0);
                    double[] ref = new double[want.length];
                    Arrays.fill(ref, KernelChecker.SENTINEL);
                    double[] refMax = new double[n];
                    PackKernelScalar.copyShiftedRows(xd, off + ld, ld, rows, n, shift, ref, 0, ldo, refMax);
                    assertArrayEquals(ref, got, 0.0, "vs the scalar double reference, n=" + n + " rows=" + rows);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 50);
    }

    /**
     * The standardizing copy: float rows widened into double columns, ((double) x − mean)·scale. Two roundings per
     * element, so the oracle is that formula evaluated here in plain double arithmetic; also the bits of the double
     * twin and of the scalar double reference on the widened data, NaN padding around the view never read, and out
     * untouched outside its rows × n block (sentinels).
     */
    @Test
    void standardizeRowsToColumnsGivesTheBitsOfTheFormula() {
        SplittableRandom rnd = new SplittableRandom(7);
        int lanes = VectorKernels.S.length();
        int checked = 0;
        for (FloatKernelImpl impl : IMPLEMENTATIONS) {
            KernelImpl twin = doubleTwin(impl);
            for (int n : new int[] {1, 2, 3, 4, 7, 8, 9, 16, 17, 33}) {
                for (int rows : new int[] {0, 1, 2, 3, lanes - 1, lanes, lanes + 1, 2 * lanes + 3, 37, 101}) {
                    if (rows < 0) continue;
                    int ld = n + 2;
                    int off = 3;
                    int first = 1; // the view starts at row 1 of the array: row 0 and the padding are NaN
                    float[] xf = new float[off + (rows + 2) * ld];
                    Arrays.fill(xf, Float.NaN);
                    for (int i = first; i < first + rows; i++) {
                        for (int j = 0; j < n; j++) xf[off + i * ld + j] = (float) rnd.nextDouble(-1e4, 1e4);
                    }
                    double[] xd = new double[xf.length];
                    for (int k = 0; k < xf.length; k++) xd[k] = xf[k];
                    double[] mean = new double[n];
                    double[] scale = new double[n];
                    for (int j = 0; j < n; j++) {
                        mean[j] = rnd.nextDouble(-100, 100);
                        scale[j] = 1 / rnd.nextDouble(0.1, 1000);
                    }
                    int ldo = rows + 2;
                    double[] got = new double[Math.max(1, n * ldo)];
                    double[] twinOut = new double[got.length];
                    double[] ref = new double[got.length];
                    Arrays.fill(got, KernelChecker.SENTINEL);
                    Arrays.fill(twinOut, KernelChecker.SENTINEL);
                    Arrays.fill(ref, KernelChecker.SENTINEL);
                    int xOff = off + first * ld;
                    impl.standardizeRowsToColumns(xf, xOff, ld, rows, n, mean, scale, got, ldo);
                    twin.standardizeRowsToColumns(xd, xOff, ld, rows, n, mean, scale, twinOut, ldo);
                    ScalarKernels.INSTANCE.standardizeRowsToColumns(xd, xOff, ld, rows, n, mean, scale, ref, ldo);
                    String where = impl.name() + " n=" + n + " rows=" + rows;
                    for (int j = 0; j < n; j++) {
                        for (int r = 0; r < ldo; r++) {
                            double want = r < rows ? ((double) xf[xOff + r * ld + j] - mean[j]) * scale[j] : KernelChecker.SENTINEL;
                            assertEquals(want, got[j * ldo + r], 0.0, where + " at (" + r + ", " + j + ")");
                        }
                    }
                    assertArrayEquals(twinOut, got, 0.0, where + ": vs the double twin");
                    assertArrayEquals(ref, got, 0.0, where + ": vs the scalar double reference");
                    checked++;
                }
            }
        }
        assertTrue(checked >= 100, "checked " + checked);
    }

    /** The public API: the active implementation, the same bits as calling it directly, row ranges and predictions. */
    @Test
    void publicMethodsRunTheActiveImplementation() {
        FloatKernelImpl impl = FloatKernels.impl();
        assertEquals(Kernels.isVectorized(), impl != ScalarFloatKernels.INSTANCE, FloatKernels.implementation());
        assertTrue(FloatKernels.implementation().contains("float32"), FloatKernels.implementation());
        SplittableRandom rnd = new SplittableRandom(3);
        int m = 301;
        int n = 11;
        float[] a = new float[3 + m * 13];
        Arrays.fill(a, Float.NaN);
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) a[3 + i * 13 + j] = (float) rnd.nextDouble(-1, 1);
        FloatMatrix x = FloatMatrix.rowMajor(a, 3, m, n, 13);
        double[] theta = new double[n];
        for (int j = 0; j < n; j++) theta[j] = rnd.nextDouble(-1, 1);
        double[] yv = new double[m];
        for (int i = 0; i < m; i++) yv[i] = rnd.nextDouble(-1, 1);
        StridedVector y = StridedVector.of(yv);
        double[] g = new double[n + 1];
        double ss = FloatKernels.lossGradientAdd(x, theta, 0.25, y, g, 5, 300);
        double[] want = new double[n + 1];
        double wantSs = impl.fusedRow(a, 3, 13, n, theta, 0.25, yv, 0, 1, null, 0, want, 5, 300);
        bits("public", "lossGradientAdd", wantSs, ss);
        assertArrayEquals(want, g, 0.0);
        double[] r = new double[m];
        double[] g2 = new double[n + 1];
        assertEquals(ss, FloatKernels.residualsGradientAdd(x, theta, 0.25, y, r, 0, g2, 5, 300), 0.0);
        assertArrayEquals(g, g2, 0.0);
        double[] r2 = new double[m];
        // residuals sums its own way (its tiles have no gradient): the same to rounding
        assertEquals(ss, FloatKernels.residuals(x, theta, 0.25, y, r2, 0, 5, 300), 1e-13 * ss);
        assertArrayEquals(r, r2, 1e-14);
        double[] p = FloatKernels.predict(x, theta, 0.25);
        for (int i = 5; i < 300; i++) assertEquals(p[i] - yv[i], r[i], 1e-14);
        double dot = 0.25;
        for (int j = 0; j < n; j++) dot += x.get(7, j) * theta[j];
        assertEquals(dot, p[7], 1e-14);
        // column-major: the same numbers, the same fused result to rounding
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c[j * m + i] = a[3 + i * 13 + j];
        FloatMatrix xc = FloatMatrix.columnMajor(c, m, n);
        double[] gc = new double[n + 1];
        double ssc = FloatKernels.lossGradientAdd(xc, theta, 0.25, y, gc, 5, 300);
        assertEquals(ss, ssc, 1e-12 * ss);
        for (int j = 0; j <= n; j++) assertEquals(g[j], gc[j], 1e-12 * (1 + Math.abs(g[j])));
        double[] ones = new double[m];
        Arrays.fill(ones, 1.0);
        double[] gw = new double[n + 1];
        double ssw = FloatKernels.weightedLossGradientAdd(x, theta, 0.25, y, ones, 0, null, 0, gw, 5, 300);
        double[] ww = new double[n + 1];
        bits("public", "weightedLossGradientAdd", impl.fusedWeightedRow(a, 3, 13, n, theta, 0.25, yv, 0, 1, ones, 0, null, 0,
                ww, 5, 300), ssw);
        assertArrayEquals(ww, gw, 0.0);
        assertEquals(ss, ssw, 1e-13 * ss); // w ≡ 1: the unweighted pass to rounding
        for (int j = 0; j <= n; j++) assertEquals(g[j], gw[j], 1e-12 * (1 + Math.abs(g[j])));
        double[] out = new double[2 * n];
        double[] mx = new double[n];
        FloatKernels.copyShiftedRows(x, 4, 2, new double[n], out, 0, n, mx);
        for (int j = 0; j < n; j++) assertEquals(x.get(5, j), out[n + j], 0.0);
        double[] mean = new double[n];
        double[] scale = new double[n];
        for (int j = 0; j < n; j++) {
            mean[j] = 0.25 * j;
            scale[j] = 1.0 / (j + 3);
        }
        double[] cols = new double[3 * n];
        FloatKernels.standardizeRowsToColumns(x, 4, 3, mean, scale, cols, 3);
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < 3; k++) assertEquals((x.get(4 + k, j) - mean[j]) * scale[j], cols[j * 3 + k], 0.0);
        }
    }

    /** Every bad argument is rejected naming the problem. */
    @Test
    void badArgumentsAreRejectedByName() {
        FloatMatrix x = FloatMatrix.rowMajor(new float[12], 4, 3);
        double[] t = new double[3];
        StridedVector y = StridedVector.of(new double[4]);
        double[] g = new double[4];
        message(NullPointerException.class, "x (the matrix) is null", () -> FloatKernels.lossGradientAdd(null, t, 0, y, g, 0, 4));
        message(NullPointerException.class, "theta is null", () -> FloatKernels.lossGradientAdd(x, null, 0, y, g, 0, 4));
        message(NullPointerException.class, "y (the targets) is null", () -> FloatKernels.lossGradientAdd(x, t, 0, null, g, 0, 4));
        message(NullPointerException.class, "g (the gradient accumulator) is null", () -> FloatKernels.lossGradientAdd(x, t, 0, y, null, 0, 4));
        message(IllegalArgumentException.class, "row range [from=0, to=5)", () -> FloatKernels.lossGradientAdd(x, t, 0, y, g, 0, 5));
        message(IllegalArgumentException.class, "row range [from=3, to=2)", () -> FloatKernels.residuals(x, t, 0, y, new double[4], 0, 3, 2));
        message(IllegalArgumentException.class, "theta has 2 elements", () -> FloatKernels.lossGradientAdd(x, new double[2], 0, y, g, 0, 4));
        message(IllegalArgumentException.class, "g has 3 elements", () -> FloatKernels.lossGradientAdd(x, t, 0, y, new double[3], 0, 4));
        message(IllegalArgumentException.class, "y is too short", () -> FloatKernels.lossGradientAdd(x, t, 0, StridedVector.of(new double[3]), g, 0, 4));
        message(IllegalArgumentException.class, "g must not share", () -> FloatKernels.lossGradientAdd(x, g, 0, y, g, 0, 4));
        message(IllegalArgumentException.class, "r is too short", () -> FloatKernels.residuals(x, t, 0, y, new double[3], 0, 0, 4));
        message(NullPointerException.class, "r is null", () -> FloatKernels.residualsGradientAdd(x, t, 0, y, null, 0, g, 0, 4));
        message(IllegalArgumentException.class, "r must not share", () -> FloatKernels.residualsGradientAdd(x, t, 0, y, g, 0, g, 0, 4));
        message(IllegalArgumentException.class, "r must not share", () -> FloatKernels.residuals(x, t, 0, y, y.data(), 0, 0, 4));
        message(IllegalArgumentException.class, "exactly one coefficient per column", () -> FloatKernels.predict(x, new double[4], 0));
        message(IllegalArgumentException.class, "out is too short", () -> FloatKernels.predict(x, t, 0, new double[2], 0, 0, 4));
        message(IllegalArgumentException.class, "out must not share", () -> FloatKernels.predict(x, t, 0, t, 0, 0, 3));
        message(IllegalArgumentException.class, "w is too short",
                () -> FloatKernels.weightedLossGradientAdd(x, t, 0, y, new double[3], 0, null, 0, g, 0, 4));
        message(NullPointerException.class, "w is null",
                () -> FloatKernels.weightedLossGradientAdd(x, t, 0, y, null, 0, null, 0, g, 0, 4));
        message(IllegalArgumentException.class, "g must not share",
                () -> FloatKernels.weightedLossGradientAdd(x, t, 0, y, g, 0, null, 0, g, 0, 4));
        message(IllegalArgumentException.class, "r must not share",
                () -> FloatKernels.weightedLossGradientAdd(x, t, 0, y, g, 0, g, 0, new double[4], 0, 4));
        double[] out = new double[12];
        double[] mx = new double[3];
        message(IllegalArgumentException.class, "needs row-major data",
                () -> FloatKernels.copyShiftedRows(FloatMatrix.columnMajor(new float[12], 4, 3), 0, 4, t, out, 0, 3, mx));
        message(IllegalArgumentException.class, "rows [2, 6) are not inside [0, 4)", () -> FloatKernels.copyShiftedRows(x, 2, 4, t, out, 0, 3, mx));
        message(IllegalArgumentException.class, "ldo (2) must be >= n (3)", () -> FloatKernels.copyShiftedRows(x, 0, 4, t, out, 0, 2, mx));
        message(IllegalArgumentException.class, "shift and absMax need n = 3", () -> FloatKernels.copyShiftedRows(x, 0, 4, new double[2], out, 0, 3, mx));
        message(IllegalArgumentException.class, "out holds 12 values", () -> FloatKernels.copyShiftedRows(x, 0, 4, t, out, 1, 3, mx));
        message(IllegalArgumentException.class, "must be different arrays", () -> FloatKernels.copyShiftedRows(x, 0, 4, t, out, 0, 3, out));
        message(NullPointerException.class, "shift is null", () -> FloatKernels.copyShiftedRows(x, 0, 4, null, out, 0, 3, mx));
        double[] sc = {1, 1, 1};
        message(IllegalArgumentException.class, "needs row-major data", () -> FloatKernels.standardizeRowsToColumns(
                FloatMatrix.columnMajor(new float[12], 4, 3), 0, 4, t, sc, out, 4));
        message(IllegalArgumentException.class, "rows [1, 5) are not inside [0, 4)", () -> FloatKernels.standardizeRowsToColumns(x, 1, 4, t, sc, out, 4));
        message(IllegalArgumentException.class, "ldo (3) must be >= rows (4)", () -> FloatKernels.standardizeRowsToColumns(x, 0, 4, t, sc, out, 3));
        message(IllegalArgumentException.class, "mean and scale need n = 3", () -> FloatKernels.standardizeRowsToColumns(x, 0, 4, t, new double[2], out, 4));
        message(IllegalArgumentException.class, "out holds 12 values; 3 columns of 4 at stride 5 need 14",
                () -> FloatKernels.standardizeRowsToColumns(x, 0, 4, t, sc, out, 5));
        message(IllegalArgumentException.class, "out must not be mean or scale", () -> FloatKernels.standardizeRowsToColumns(x, 0, 1, t, sc, sc, 1));
        message(NullPointerException.class, "mean is null", () -> FloatKernels.standardizeRowsToColumns(x, 0, 4, null, sc, out, 4));
        // the matrix
        message(NullPointerException.class, "data (the matrix array) is null", () -> FloatMatrix.rowMajor(null, 1, 1));
        message(IllegalArgumentException.class, "a 4x4 matrix needs 16 elements, the array has 12", () -> FloatMatrix.rowMajor(new float[12], 4, 4));
        message(IllegalArgumentException.class, "rows must be >= 0", () -> new FloatMatrix(new float[1], 0, -1, 1, 1, Layout.ROW_MAJOR));
        message(IllegalArgumentException.class, "offset must be >= 0", () -> FloatMatrix.rowMajor(new float[4], -1, 1, 1, 1));
        message(IllegalArgumentException.class, "leading dimension ld=2 is smaller than the row length cols=3",
                () -> FloatMatrix.rowMajor(new float[12], 0, 4, 3, 2));
        message(IllegalArgumentException.class, "leading dimension ld=3 is smaller than the column length rows=4",
                () -> FloatMatrix.columnMajor(new float[12], 0, 4, 3, 3));
        message(IllegalArgumentException.class, "needs an array of at least 13 elements, got 12",
                () -> FloatMatrix.rowMajor(new float[12], 1, 4, 3, 3));
        message(NullPointerException.class, "layout is null", () -> new FloatMatrix(new float[1], 0, 1, 1, 1, null));
    }

    private static void message(Class<? extends RuntimeException> type, String part, org.junit.jupiter.api.function.Executable call) {
        RuntimeException e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(part), "expected \"" + part + "\" in: " + e.getMessage());
    }

    /** FloatMatrix: the element map of {@link Matrix}, columns, toString. */
    @Test
    void floatMatrixIndexesLikeMatrix() {
        float[] a = new float[40];
        double[] d = new double[40];
        for (int k = 0; k < a.length; k++) d[k] = a[k] = k + 0.5f;
        for (Layout layout : Layout.values()) {
            FloatMatrix f = new FloatMatrix(a, 2, 5, 3, 7, layout);
            Matrix m = new Matrix(d, 2, 5, 3, 7, layout);
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(m.index(i, j), f.index(i, j));
                    assertEquals(m.get(i, j), f.get(i, j), 0.0);
                }
            }
            FloatMatrix c = f.columns(1, 2);
            Matrix mc = m.columns(1, 2);
            assertEquals(mc.offset(), c.offset());
            assertEquals(mc.get(4, 1), c.get(4, 1), 0.0);
            assertEquals(f.offset(), f.columns(3, 0).offset());
            assertThrows(IndexOutOfBoundsException.class, () -> f.get(5, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> f.get(0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> f.columns(2, 2));
            assertTrue(f.toString().startsWith("FloatMatrix[5x3, " + layout), f.toString());
        }
        assertEquals(3, FloatMatrix.rowMajor(new float[0], 0, 3).cols());
        assertEquals(1, FloatMatrix.columnMajor(new float[0], 0, 3).ld());
    }
}
