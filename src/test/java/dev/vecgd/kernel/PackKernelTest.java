package dev.vecgd.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Kernels#copyShiftedRows} (the packing step of the Gram pass), heap and off-heap, of every implementation
 * in this JVM: against an exact oracle (each element the correctly rounded difference, checked in
 * {@link BigDecimal}; each column's max |z| recomputed exactly), against the scalar reference bit for bit, and
 * heap against off-heap bit for bit. Column counts around the lane count and its multiples, primes; row counts
 * 0, 1, around the lanes, long blocks; padded strides with NaN in x's padding (must not reach out) and NaN in
 * out's untouched columns (must stay); accumulation of absMax from previous values; a NaN element making its
 * column's max NaN. The pom runs this class in the 512-, 256- and 128-bit JVMs.
 */
class PackKernelTest {

    private static final int[] N = {0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 24, 31, 32, 33, 41, 64, 67};
    private static final AtomicInteger CHECKED = new AtomicInteger();

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (KernelImpl impl : KernelImplementationsTest.SWEPT) { // a width fork: the vector kernels only
            int l = KernelImplementationsTest.lanes(impl);
            TreeSet<Integer> rows = new TreeSet<>(List.of(0, 1, 2, 7, 128, 257));
            for (int c : new int[]{l - 1, l, l + 1}) if (c >= 0) rows.add(c);
            for (int n : N) for (int r : rows) for (int pad : new int[]{0, 3}) list.add(Arguments.of(impl, n, r, pad));
        }
        return list.stream();
    }

    /** x: rows × n at stride ldx from offset xOff (NaN in the padding), shift with mixed magnitudes. */
    record Case(int n, int rows, int xOff, int ldx, int oOff, int ldo, double[] x, double[] shift, double[] max0) {

        static Case of(int n, int rows, int pad, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int ldx = n + pad;
            int xOff = pad == 0 ? 0 : 5;
            double[] x = new double[xOff + rows * ldx + (pad == 0 ? 0 : 2)];
            Arrays.fill(x, Double.NaN);
            double[] shift = new double[n];
            for (int j = 0; j < n; j++) shift[j] = Math.scalb(rnd.nextDouble() - 0.5, rnd.nextInt(-30, 31));
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < n; j++) {
                    // values near the shift (cancellation) and far from it, of both signs
                    double v = r % 3 == 0 ? shift[j] * (1 + 1e-9 * (rnd.nextDouble() - 0.5))
                            : Math.scalb(rnd.nextDouble() * 2 - 1, rnd.nextInt(-40, 41));
                    x[xOff + r * ldx + j] = v;
                }
            }
            double[] max0 = new double[n];
            for (int j = 0; j < n; j++) max0[j] = j % 4 == 0 ? Math.scalb(1.0, 41) : 0; // some columns start above every |z|
            return new Case(n, rows, xOff, ldx, pad == 0 ? 0 : 2, Math.max(1, n + 2 * pad), x, shift, max0);
        }

        double[] freshOut() {
            double[] out = new double[oOff + rows * ldo + 1];
            Arrays.fill(out, Double.NaN); // every position the kernel must not write stays NaN
            return out;
        }

        /** Null when out and absMax are exactly what the contract says; else what is wrong. */
        String check(double[] out, double[] absMax) {
            for (int i = 0; i < out.length; i++) {
                int rel = i - oOff;
                int r = rel < 0 ? -1 : rel / ldo;
                int j = rel < 0 ? -1 : rel % ldo;
                boolean written = rel >= 0 && r < rows && j < n;
                if (!written) {
                    if (!Double.isNaN(out[i])) return "out[" + i + "] outside the rows × n block was written: " + out[i];
                    continue;
                }
                if (!Double.isFinite(out[i])) return "z(" + r + ", " + j + ") = " + out[i] + " (x and shift are finite)";
                BigDecimal exact = new BigDecimal(x[xOff + r * ldx + j]).subtract(new BigDecimal(shift[j]));
                BigDecimal err = exact.subtract(new BigDecimal(out[i])).abs();
                BigDecimal halfUlp = new BigDecimal(Math.ulp(out[i])).divide(BigDecimal.valueOf(2));
                if (err.compareTo(halfUlp) > 0) return "z(" + r + ", " + j + ") = " + out[i] + " is not the rounded " + exact;
            }
            for (int j = 0; j < n; j++) {
                BigDecimal mx = new BigDecimal(max0[j]);
                for (int r = 0; r < rows; r++) mx = mx.max(new BigDecimal(out[oOff + r * ldo + j]).abs());
                if (!Double.isFinite(absMax[j])) return "absMax[" + j + "] = " + absMax[j];
                if (new BigDecimal(absMax[j]).compareTo(mx) != 0) return "absMax[" + j + "] = " + absMax[j] + ", expected " + mx;
            }
            return null;
        }
    }

    @ParameterizedTest(name = "{0} n={1} rows={2} pad={3}")
    @MethodSource("cases")
    void exactAndTheSameBitsAsTheReferenceOnHeapAndOffHeap(KernelImpl impl, int n, int rows, int pad) {
        Case c = Case.of(n, rows, pad, 1009L * n + 17L * rows + pad);
        double[] out = c.freshOut();
        double[] mx = c.max0().clone();
        impl.copyShiftedRows(c.x(), c.xOff(), c.ldx(), rows, n, c.shift(), out, c.oOff(), c.ldo(), mx);
        assertNull(c.check(out, mx), impl.name());

        double[] refOut = c.freshOut();
        double[] refMax = c.max0().clone();
        PackKernelScalar.copyShiftedRows(c.x(), c.xOff(), c.ldx(), rows, n, c.shift(), refOut, c.oOff(), c.ldo(), refMax);
        assertBits(refOut, out, impl.name() + " out vs the scalar reference");
        assertBits(refMax, mx, impl.name() + " absMax vs the scalar reference");

        SegmentKernelImpl seg = segmentOf(impl);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xs = arena.allocate((long) Math.max(1, c.x().length) * Double.BYTES, 64);
            MemorySegment.copy(c.x(), 0, xs, ValueLayout.JAVA_DOUBLE, 0, c.x().length);
            double[] segOut = c.freshOut();
            double[] segMax = c.max0().clone();
            seg.copyShiftedRows(xs, c.xOff(), c.ldx(), rows, n, c.shift(), segOut, c.oOff(), c.ldo(), segMax);
            assertBits(out, segOut, seg.name() + " off-heap out vs heap");
            assertBits(mx, segMax, seg.name() + " off-heap absMax vs heap");
        }
        CHECKED.incrementAndGet();
    }

    /** The segment implementation of the same kind as impl: scalar for scalar, vector for vector. */
    private static SegmentKernelImpl segmentOf(KernelImpl impl) {
        if (impl.vectorBits() == Double.SIZE) return ScalarSegmentKernels.INSTANCE;
        SegmentKernelImpl v = SegmentKernels.loadVector();
        assertTrue(v != null, "the vector segment kernels must load where the vector heap kernels do");
        return v;
    }

    @Test
    void aNaNMakesItsColumnMaxNaNAndTheCheckCatchesAWrongKernel() {
        Case c = Case.of(17, 40, 3, 11);
        c.x()[c.xOff() + 5 * c.ldx() + 16] = Double.NaN;
        for (KernelImpl impl : KernelImplementationsTest.IMPLEMENTATIONS) {
            double[] out = c.freshOut();
            double[] mx = c.max0().clone();
            impl.copyShiftedRows(c.x(), c.xOff(), c.ldx(), c.rows(), c.n(), c.shift(), out, c.oOff(), c.ldo(), mx);
            assertTrue(Double.isNaN(mx[16]), impl.name() + ": NaN must reach absMax[16], got " + mx[16]);
            assertTrue(Double.isNaN(out[c.oOff() + 5 * c.ldo() + 16]));
        }
        Case ok = Case.of(17, 40, 3, 12);
        double[] out = ok.freshOut();
        double[] mx = ok.max0().clone();
        PackKernelScalar.copyShiftedRows(ok.x(), ok.xOff(), ok.ldx(), ok.rows() - 1, ok.n(), ok.shift(), out, ok.oOff(), ok.ldo(), mx);
        assertTrue(ok.check(out, mx) != null, "a dropped row must be caught");
        out = ok.freshOut();
        mx = ok.max0().clone();
        PackKernelScalar.copyShiftedRows(ok.x(), ok.xOff(), ok.ldx(), ok.rows(), ok.n(), ok.shift(), out, ok.oOff(), ok.ldo(), mx);
        assertNull(ok.check(out, mx));
        mx[3] = Math.nextUp(mx[3]);
        assertTrue(ok.check(out, mx) != null, "a wrong max must be caught");
    }

    @Test
    void publicEntryPointsRunTheActiveImplementationAndRejectBadArguments() {
        Case c = Case.of(33, 129, 3, 77);
        double[] direct = c.freshOut();
        double[] dm = c.max0().clone();
        Kernels.impl().copyShiftedRows(c.x(), c.xOff(), c.ldx(), c.rows(), c.n(), c.shift(), direct, c.oOff(), c.ldo(), dm);
        double[] via = c.freshOut();
        double[] vm = c.max0().clone();
        Kernels.copyShiftedRows(c.x(), c.xOff(), c.ldx(), c.rows(), c.n(), c.shift(), via, c.oOff(), c.ldo(), vm);
        assertBits(direct, via, "Kernels.copyShiftedRows");
        assertBits(dm, vm, "Kernels.copyShiftedRows absMax");

        // off-heap through SegmentMatrix: rows [7, 7 + 50) of a row-major matrix with stride ldx
        try (Arena arena = Arena.ofConfined()) {
            int rows = c.rows();
            MemorySegment xs = arena.allocate((long) c.x().length * Double.BYTES, 8);
            MemorySegment.copy(c.x(), 0, xs, ValueLayout.JAVA_DOUBLE, 0, c.x().length);
            SegmentMatrix sm = new SegmentMatrix(xs, c.xOff(), rows, c.n(), c.ldx(), Layout.ROW_MAJOR);
            double[] so = new double[50 * c.ldo()];
            double[] sx = new double[c.n()];
            SegmentKernels.copyShiftedRows(sm, 7, 50, c.shift(), so, 0, c.ldo(), sx);
            double[] ho = new double[50 * c.ldo()];
            double[] hx = new double[c.n()];
            Kernels.copyShiftedRows(c.x(), c.xOff() + 7 * c.ldx(), c.ldx(), 50, c.n(), c.shift(), ho, 0, c.ldo(), hx);
            assertBits(ho, so, "SegmentKernels.copyShiftedRows");
            assertBits(hx, sx, "SegmentKernels.copyShiftedRows absMax");
            says(() -> SegmentKernels.copyShiftedRows(sm, rows - 3, 4, c.shift(), so, 0, c.ldo(), sx), "not inside");
            SegmentMatrix cm = new SegmentMatrix(xs, 0, 4, 2, 4, Layout.COLUMN_MAJOR);
            says(() -> SegmentKernels.copyShiftedRows(cm, 0, 1, new double[2], new double[2], 0, 2, new double[2]), "row-major");
        }
        double[] x = new double[20];
        double[] s = new double[2];
        double[] m = new double[2];
        says(() -> Kernels.copyShiftedRows(x, 0, 1, 3, 2, s, new double[20], 0, 2, m), "ldx");
        says(() -> Kernels.copyShiftedRows(x, 0, 2, 3, 2, s, new double[20], 0, 1, m), "ldo");
        says(() -> Kernels.copyShiftedRows(x, 0, 2, 11, 2, s, new double[40], 0, 2, m), "x holds 20");
        says(() -> Kernels.copyShiftedRows(x, 0, 2, 3, 2, s, new double[5], 0, 2, m), "out holds 5");
        says(() -> Kernels.copyShiftedRows(x, 0, 2, 3, 2, new double[1], new double[20], 0, 2, m), "shift and absMax");
        says(() -> Kernels.copyShiftedRows(x, 0, 2, 3, 2, s, x, 0, 2, m), "must not share");
        says(() -> Kernels.copyShiftedRows(x, 0, 2, -1, 2, s, new double[20], 0, 2, m), "rows and n");
        assertThrows(NullPointerException.class, () -> Kernels.copyShiftedRows(null, 0, 2, 3, 2, s, new double[20], 0, 2, m));
        Kernels.copyShiftedRows(new double[0], 0, 0, 0, 0, new double[0], new double[0], 0, 0, new double[0]); // empty is fine
    }

    private static void assertBits(double[] want, double[] got, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            if (Double.doubleToRawLongBits(want[i]) != Double.doubleToRawLongBits(got[i])) {
                assertEquals(want[i], got[i], 0.0, what + ": [" + i + "]");
                assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]), what + ": bits of [" + i + "]");
            }
        }
    }

    @AfterAll
    static void everyCaseRan() {
        long expected = cases().count();
        if (CHECKED.get() > 0) assertEquals(expected, CHECKED.get(), "cases checked (a variant dropped out?)");
    }

    private static void says(org.junit.jupiter.api.function.Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), () -> "\"" + part + "\" not in: " + e.getMessage());
    }
}
