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
import java.math.MathContext;
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
 * {@link Kernels#copyWeightedRows} (the packing step of the weighted Gram pass), heap and off-heap, of every
 * implementation in this JVM: against an exact oracle (each of the three operations correctly rounded, checked in
 * {@link BigDecimal}), against the scalar reference bit for bit, and heap against off-heap bit for bit. Column counts
 * around the lane count and its multiples, primes; row counts 0, 1, around the lanes, long blocks; padded strides
 * with NaN in x's padding (must not reach out) and NaN in out's untouched columns (must stay); zero weights. The pom
 * runs this class in the 512-, 256- and 128-bit JVMs.
 */
class WeightedPackKernelTest {

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

    /** x: rows × n at stride ldx from offset xOff (NaN in the padding); shift, scale and √w of mixed magnitudes. */
    record Case(int n, int rows, int xOff, int ldx, int oOff, int ldo, int swOff, double[] x, double[] shift,
                double[] scale, double[] sw) {

        static Case of(int n, int rows, int pad, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int ldx = n + pad;
            int xOff = pad == 0 ? 0 : 5;
            double[] x = new double[xOff + rows * ldx + (pad == 0 ? 0 : 2)];
            Arrays.fill(x, Double.NaN);
            double[] shift = new double[n];
            double[] scale = new double[n];
            for (int j = 0; j < n; j++) {
                shift[j] = Math.scalb(rnd.nextDouble() - 0.5, rnd.nextInt(-30, 31));
                scale[j] = j % 7 == 6 ? 0 : Math.scalb(0.5 + rnd.nextDouble(), rnd.nextInt(-20, 21)); // 0: a constant column
            }
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < n; j++) {
                    double v = r % 3 == 0 ? shift[j] * (1 + 1e-9 * (rnd.nextDouble() - 0.5))
                            : Math.scalb(rnd.nextDouble() * 2 - 1, rnd.nextInt(-40, 41));
                    x[xOff + r * ldx + j] = v;
                }
            }
            int swOff = pad;
            double[] sw = new double[swOff + rows];
            for (int r = 0; r < rows; r++) sw[swOff + r] = r % 5 == 4 ? 0 : Math.sqrt(Math.scalb(rnd.nextDouble(), rnd.nextInt(-8, 9)));
            return new Case(n, rows, xOff, ldx, pad == 0 ? 0 : 2, Math.max(1, n + 2 * pad), swOff, x, shift, scale, sw);
        }

        double[] freshOut() {
            double[] out = new double[oOff + rows * ldo + 1];
            Arrays.fill(out, Double.NaN); // every position the kernel must not write stays NaN
            return out;
        }

        /** Null when out is exactly what the contract says; else what is wrong. */
        String check(double[] out) {
            for (int i = 0; i < out.length; i++) {
                int rel = i - oOff;
                int r = rel < 0 ? -1 : rel / ldo;
                int j = rel < 0 ? -1 : rel % ldo;
                boolean written = rel >= 0 && r < rows && j < n;
                if (!written) {
                    if (!Double.isNaN(out[i])) return "out[" + i + "] outside the rows × n block was written: " + out[i];
                    continue;
                }
                double d = rounded(new BigDecimal(x[xOff + r * ldx + j]).subtract(new BigDecimal(shift[j])));
                double s = rounded(new BigDecimal(d).multiply(new BigDecimal(scale[j])));
                double want = rounded(new BigDecimal(s).multiply(new BigDecimal(sw[swOff + r])));
                if (Double.doubleToRawLongBits(want) != Double.doubleToRawLongBits(out[i]) && !(want == 0 && out[i] == 0)) {
                    return "z(" + r + ", " + j + ") = " + out[i] + ", the correctly rounded steps give " + want;
                }
            }
            return null;
        }

        /** The double nearest to an exact value (round half to even), checked independently of doubleValue(). */
        private static double rounded(BigDecimal exact) {
            double d = exact.round(MathContext.DECIMAL128).doubleValue();
            // DECIMAL128 keeps 34 digits: enough to decide the rounding of these short products except at exact ties,
            // which the neighbour check below settles
            double best = d;
            BigDecimal err = exact.subtract(new BigDecimal(d)).abs();
            for (double c : new double[] {Math.nextDown(d), Math.nextUp(d)}) {
                BigDecimal e = exact.subtract(new BigDecimal(c)).abs();
                int cmp = e.compareTo(err);
                if (cmp < 0 || (cmp == 0 && (Double.doubleToRawLongBits(c) & 1) == 0)) {
                    best = c;
                    err = e;
                }
            }
            return best;
        }
    }

    @ParameterizedTest(name = "{0} n={1} rows={2} pad={3}")
    @MethodSource("cases")
    void exactAndTheSameBitsAsTheReferenceOnHeapAndOffHeap(KernelImpl impl, int n, int rows, int pad) {
        Case c = Case.of(n, rows, pad, 1013L * n + 19L * rows + pad);
        double[] out = c.freshOut();
        impl.copyWeightedRows(c.x(), c.xOff(), c.ldx(), rows, n, c.shift(), c.scale(), c.sw(), c.swOff(), out, c.oOff(), c.ldo());
        assertNull(c.check(out), impl.name());

        double[] ref = c.freshOut();
        PackKernelScalar.copyWeightedRows(c.x(), c.xOff(), c.ldx(), rows, n, c.shift(), c.scale(), c.sw(), c.swOff(), ref,
                c.oOff(), c.ldo());
        assertBits(ref, out, impl.name() + " vs the scalar reference");

        SegmentKernelImpl seg = impl.vectorBits() == Double.SIZE ? ScalarSegmentKernels.INSTANCE : SegmentKernels.loadVector();
        assertTrue(seg != null, "the vector segment kernels must load where the vector heap kernels do");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xs = arena.allocate((long) Math.max(1, c.x().length) * Double.BYTES, 64);
            MemorySegment.copy(c.x(), 0, xs, ValueLayout.JAVA_DOUBLE, 0, c.x().length);
            double[] segOut = c.freshOut();
            seg.copyWeightedRows(xs, c.xOff(), c.ldx(), rows, n, c.shift(), c.scale(), c.sw(), c.swOff(), segOut, c.oOff(),
                    c.ldo());
            assertBits(out, segOut, seg.name() + " off-heap vs heap");
        }
        CHECKED.incrementAndGet();
    }

    @Test
    void theCheckCatchesAWrongKernelAndNaNPropagates() {
        Case c = Case.of(17, 40, 3, 11);
        double[] out = c.freshOut();
        PackKernelScalar.copyWeightedRows(c.x(), c.xOff(), c.ldx(), c.rows(), c.n(), c.shift(), c.scale(), c.sw(),
                c.swOff(), out, c.oOff(), c.ldo());
        assertNull(c.check(out));
        int at = c.oOff() + 3 * c.ldo() + 2;
        out[at] = Math.nextUp(out[at]);
        assertTrue(c.check(out) != null, "a one-ulp error must be caught");
        // the fused form (x − s)·(scale·sw) differs in the last bit somewhere: the order of the roundings is the contract
        double[] fused = c.freshOut();
        for (int r = 0; r < c.rows(); r++) {
            for (int j = 0; j < c.n(); j++) {
                fused[c.oOff() + r * c.ldo() + j] = (c.x()[c.xOff() + r * c.ldx() + j] - c.shift()[j])
                        * (c.scale()[j] * c.sw()[c.swOff() + r]);
            }
        }
        assertTrue(c.check(fused) != null, "another order of the operations must be caught");
        c.x()[c.xOff() + 5 * c.ldx() + 16] = Double.NaN;
        for (KernelImpl impl : KernelImplementationsTest.IMPLEMENTATIONS) {
            double[] o = c.freshOut();
            impl.copyWeightedRows(c.x(), c.xOff(), c.ldx(), c.rows(), c.n(), c.shift(), c.scale(), c.sw(), c.swOff(), o,
                    c.oOff(), c.ldo());
            assertTrue(Double.isNaN(o[c.oOff() + 5 * c.ldo() + 16]), impl.name());
        }
    }

    @Test
    void publicEntryPointsRunTheActiveImplementationAndRejectBadArguments() {
        Case c = Case.of(33, 129, 3, 77);
        double[] direct = c.freshOut();
        Kernels.impl().copyWeightedRows(c.x(), c.xOff(), c.ldx(), c.rows(), c.n(), c.shift(), c.scale(), c.sw(), c.swOff(),
                direct, c.oOff(), c.ldo());
        double[] via = c.freshOut();
        Kernels.copyWeightedRows(c.x(), c.xOff(), c.ldx(), c.rows(), c.n(), c.shift(), c.scale(), c.sw(), c.swOff(), via,
                c.oOff(), c.ldo());
        assertBits(direct, via, "Kernels.copyWeightedRows");
        try (Arena arena = Arena.ofConfined()) {
            int rows = c.rows();
            MemorySegment xs = arena.allocate((long) c.x().length * Double.BYTES, 8);
            MemorySegment.copy(c.x(), 0, xs, ValueLayout.JAVA_DOUBLE, 0, c.x().length);
            SegmentMatrix sm = new SegmentMatrix(xs, c.xOff(), rows, c.n(), c.ldx(), Layout.ROW_MAJOR);
            double[] so = new double[50 * c.ldo()];
            SegmentKernels.copyWeightedRows(sm, 7, 50, c.shift(), c.scale(), c.sw(), c.swOff() + 7, so, 0, c.ldo());
            double[] ho = new double[50 * c.ldo()];
            Kernels.copyWeightedRows(c.x(), c.xOff() + 7 * c.ldx(), c.ldx(), 50, c.n(), c.shift(), c.scale(), c.sw(),
                    c.swOff() + 7, ho, 0, c.ldo());
            assertBits(ho, so, "SegmentKernels.copyWeightedRows");
            says(() -> SegmentKernels.copyWeightedRows(sm, rows - 3, 4, c.shift(), c.scale(), c.sw(), 0, so, 0, c.ldo()),
                    "not inside");
            says(() -> SegmentKernels.copyWeightedRows(sm, 0, 10, c.shift(), c.scale(), new double[5], 0, so, 0, c.ldo()),
                    "sw holds 5");
            SegmentMatrix cm = new SegmentMatrix(xs, 0, 4, 2, 4, Layout.COLUMN_MAJOR);
            says(() -> SegmentKernels.copyWeightedRows(cm, 0, 1, new double[2], new double[2], new double[1], 0,
                    new double[2], 0, 2), "row-major");
        }
        double[] x = new double[20];
        double[] s = new double[2];
        double[] sw = new double[11];
        says(() -> Kernels.copyWeightedRows(x, 0, 1, 3, 2, s, s, sw, 0, new double[20], 0, 2), "ldx");
        says(() -> Kernels.copyWeightedRows(x, 0, 2, 3, 2, s, s, sw, 0, new double[20], 0, 1), "ldo");
        says(() -> Kernels.copyWeightedRows(x, 0, 2, 11, 2, s, s, sw, 0, new double[40], 0, 2), "x holds 20");
        says(() -> Kernels.copyWeightedRows(x, 0, 2, 3, 2, s, s, sw, 0, new double[5], 0, 2), "out holds 5");
        says(() -> Kernels.copyWeightedRows(x, 0, 2, 3, 2, s, new double[1], sw, 0, new double[20], 0, 2), "shift and scale");
        says(() -> Kernels.copyWeightedRows(x, 0, 2, 3, 2, s, s, sw, 9, new double[20], 0, 2), "sw holds 11");
        says(() -> Kernels.copyWeightedRows(x, 0, 2, 3, 2, s, s, sw, 0, x, 0, 2), "must not share");
        says(() -> Kernels.copyWeightedRows(x, 0, 2, -1, 2, s, s, sw, 0, new double[20], 0, 2), "rows and n");
        assertThrows(NullPointerException.class, () -> Kernels.copyWeightedRows(x, 0, 2, 3, 2, s, s, null, 0,
                new double[20], 0, 2));
        Kernels.copyWeightedRows(new double[0], 0, 0, 0, 0, new double[0], new double[0], new double[0], 0, new double[0],
                0, 0); // empty is fine
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
