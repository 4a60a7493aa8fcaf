package dev.vecgd.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KernelImpl#gramAdd} (the register-blocked Gram update) of every implementation in this JVM against
 * the scalar reference ({@link GramKernelScalar}: <b>bit for bit</b>, the documented contract) and a
 * double-double oracle (within the fma-chain error bound): column counts k from 0 to 130 (around the lane
 * count, its doubles, the tile heights 4 and 8, primes), row counts 0, 1, around the lane count and long
 * blocks, tight and padded rows (NaN in the padding and below the diagonal of C, which must never reach
 * the upper triangle), an offset, accumulation into previous sums, an untouched lower triangle and padding of
 * C, and rows cut into two calls giving the same bits. The pom runs this class in the 512-, 256- and 128-bit
 * JVMs; {@link #everyImplementationRan()} fails if a variant dropped out.
 */
class GramKernelTest {

    static final int[] K = {0, 1, 2, 3, 4, 5, 7, 8, 9, 11, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 64, 65, 97, 130};
    private static final AtomicInteger CHECKED = new AtomicInteger();

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (KernelImpl impl : KernelImplementationsTest.IMPLEMENTATIONS) {
            int l = KernelImplementationsTest.lanes(impl);
            TreeSet<Integer> counts = new TreeSet<>(List.of(0, 1, 2, 7, 31, 128, 257));
            for (int c : new int[]{l - 1, l, l + 1, 2 * l + 3}) if (c >= 0) counts.add(c);
            for (int k : K) {
                for (int cnt : counts) {
                    if (k > 64 && cnt > 128) continue; // the oracle's cost; long blocks are covered up to k = 64
                    list.add(Arguments.of(impl, k, cnt, 0));
                    list.add(Arguments.of(impl, k, cnt, 3));
                }
            }
        }
        return list.stream();
    }

    /** a: cnt rows of k values at stride lda from offset off (NaN elsewhere); c0: k × k at stride ldc. */
    record Case(int k, int cnt, int off, int lda, int ldc, double[] a, double[] c0) {

        static Case of(int k, int cnt, int pad, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int lda = k + pad;
            int off = pad == 0 ? 0 : 5;
            int len = k == 0 || cnt == 0 ? off : off + (cnt - 1) * lda + k; // ends exactly at the last value
            double[] a = new double[len];
            Arrays.fill(a, Double.NaN);
            double[] colScale = new double[k];
            for (int p = 0; p < k; p++) colScale[p] = Math.scalb(1.0, rnd.nextInt(-8, 9)); // columns of very different sizes
            for (int r = 0; r < cnt; r++) {
                for (int p = 0; p < k; p++) a[off + r * lda + p] = colScale[p] * (rnd.nextDouble() * 2 - 1);
            }
            int ldc = k + pad;
            double[] c0 = new double[k == 0 ? 0 : (k - 1) * ldc + k];
            Arrays.fill(c0, Double.NaN); // below the diagonal and in the padding: must stay NaN
            for (int p = 0; p < k; p++) {
                for (int q = p; q < k; q++) c0[p * ldc + q] = rnd.nextDouble() - 0.5;
            }
            return new Case(k, cnt, off, lda, ldc, a, c0);
        }

        double[] run(KernelImpl impl) {
            double[] c = c0.clone();
            impl.gramAdd(a, off, lda, k, cnt, c, ldc);
            return c;
        }

        /** The rows cut into two calls at row {@code split}. */
        double[] runSplit(KernelImpl impl, int split) {
            double[] c = c0.clone();
            impl.gramAdd(a, off, lda, k, split, c, ldc);
            impl.gramAdd(a, off + split * lda, lda, k, cnt - split, c, ldc);
            return c;
        }

        /** Null when c is within the bound of the exact sums and nothing else was written; else what is wrong. */
        String check(double[] c) {
            for (int i = 0; i < c.length; i++) {
                int p = i / ldc;
                int q = i % ldc;
                if (q >= k || q < p) {
                    if (Double.doubleToRawLongBits(c[i]) != Double.doubleToRawLongBits(c0[i])) {
                        return "(" + p + ", " + q + ") outside the upper triangle was written: " + c[i];
                    }
                    continue;
                }
                Oracle.Acc acc = new Oracle.Acc(c0[i]);
                double abs = Math.abs(c0[i]);
                for (int r = 0; r < cnt; r++) {
                    double x = a[off + r * lda + p];
                    double y = a[off + r * lda + q];
                    acc.addProduct(x, y);
                    abs += Math.abs(x * y);
                }
                double err = Math.abs(Oracle.diff(c[i], acc.hi(), acc.lo()));
                double tol = 2.0 * (cnt + 2) * Oracle.U * abs; // a chain of cnt fmas: ≤ cnt·u·Σ|terms| (+ slack)
                if (!(err <= tol)) return "c(" + p + ", " + q + ") = " + c[i] + ", exact " + acc.hi() + ", error " + err + " > " + tol;
            }
            return null;
        }
    }

    @ParameterizedTest(name = "{0} k={1} cnt={2} pad={3}")
    @MethodSource("cases")
    void matchesTheScalarReferenceBitForBitAndTheOracle(KernelImpl impl, int k, int cnt, int pad) {
        Case c = Case.of(k, cnt, pad, 7919L * k + 31L * cnt + pad);
        double[] got = c.run(impl);
        assertEquals(null, c.check(got), impl.name());
        double[] ref = c.run(ScalarKernels.INSTANCE);
        assertBits(ref, got, impl.name() + " vs the scalar reference");
        if (cnt >= 2) assertBits(got, c.runSplit(impl, cnt / 2 + 1), impl.name() + ", rows in two calls");
        assertBits(got, c.run(impl), impl.name() + ", again");
        CHECKED.incrementAndGet();
    }

    private static void assertBits(double[] want, double[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            if (Double.doubleToRawLongBits(want[i]) != Double.doubleToRawLongBits(got[i])) {
                assertEquals(want[i], got[i], 0.0, what + ": c[" + i + "]");
                assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]), what + ": bits of c[" + i + "]");
            }
        }
    }

    @Test
    void theCheckCatchesAWrongKernel() {
        Case c = Case.of(17, 37, 3, 5);
        double[] ok = c.run(ScalarKernels.INSTANCE);
        assertEquals(null, c.check(ok));
        double[] dropped = c.c0().clone(); // the last row dropped
        GramKernelScalar.gramAdd(c.a(), c.off(), c.lda(), c.k(), c.cnt() - 1, dropped, c.ldc());
        assertTrue(c.check(dropped) != null);
        double[] lower = ok.clone();
        lower[3 * c.ldc() + 1] = 0; // below the diagonal
        assertTrue(c.check(lower) != null);
    }

    @Test
    void kernelsRunsTheActiveImplementation() {
        Case c = Case.of(33, 129, 3, 77);
        double[] direct = c.run(Kernels.impl());
        double[] via = c.c0().clone();
        Kernels.gramAdd(c.a(), c.off(), c.lda(), c.k(), c.cnt(), via, c.ldc());
        assertBits(direct, via, "Kernels.gramAdd");
    }

    @Test
    void badArgumentsAreRejectedNamingTheProblem() {
        double[] a = new double[20];
        double[] c = new double[4];
        says(() -> Kernels.gramAdd(a, 0, 1, 2, 10, c, 2), "lda");
        says(() -> Kernels.gramAdd(a, 0, 2, 2, 10, c, 1), "ldc");
        says(() -> Kernels.gramAdd(a, 1, 2, 2, 10, c, 2), "a holds 20");
        says(() -> Kernels.gramAdd(a, 0, 2, 2, 10, new double[3], 2), "c holds 3");
        says(() -> Kernels.gramAdd(a, 0, 2, -1, 10, c, 2), "k and cnt");
        says(() -> Kernels.gramAdd(a, -1, 2, 2, 1, c, 2), "aOff");
        says(() -> Kernels.gramAdd(a, 0, 2, 2, 10, a, 2), "must not be");
        assertThrows(NullPointerException.class, () -> Kernels.gramAdd(null, 0, 2, 2, 10, c, 2));
        Kernels.gramAdd(new double[0], 0, 0, 0, 0, new double[0], 0); // empty is fine
    }

    @AfterAll
    static void everyImplementationRan() {
        long expected = cases().count();
        if (CHECKED.get() > 0) assertEquals(expected, CHECKED.get(), "cases checked (a variant dropped out?)");
    }

    private static void says(org.junit.jupiter.api.function.Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), () -> "\"" + part + "\" not in: " + e.getMessage());
    }
}
