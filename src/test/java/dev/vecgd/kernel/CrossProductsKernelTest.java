package dev.vecgd.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KernelImpl#crossProductsAdd} (the Gram-matrix update) of every implementation in this JVM against a
 * double-double oracle and the scalar reference: column counts k from 0 to 33, row counts around the vector
 * length and its multiples, tight and padded column strides with NaN in the padding (which must not be
 * read), arrays ending exactly at the last value, accumulation into previous sums, an untouched lower
 * triangle, and bit-reproducibility. The pom runs this class in the 512-, 256- and 128-bit JVMs.
 */
class CrossProductsKernelTest {

    static final int[] K = {0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33};

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (KernelImpl impl : KernelImplementationsTest.IMPLEMENTATIONS) {
            int l = KernelImplementationsTest.lanes(impl);
            TreeSet<Integer> counts = new TreeSet<>(List.of(0, 1, 2, 31, 127, 128, 257));
            for (int c : new int[]{l - 1, l, l + 1, 2 * l + 3, 4 * l - 1}) if (c >= 0) counts.add(c);
            for (int k : K) {
                for (int cnt : counts) {
                    for (int pad : new int[]{0, 3}) list.add(Arguments.of(impl, k, cnt, pad));
                }
            }
        }
        return list.stream();
    }

    /** Inputs of one case: a (NaN in the padding), v, and previous sums c0 (NaN below the diagonal), d0. */
    record Case(int k, int cnt, int lda, double[] a, double[] v, double[] c0, double[] d0) {

        static Case of(int k, int cnt, int pad, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int lda = cnt + pad;
            int len = k == 0 ? 0 : (k - 1) * lda + cnt; // ends exactly at the last value read
            double[] a = new double[len];
            java.util.Arrays.fill(a, Double.NaN);
            for (int p = 0; p < k; p++) {
                double scale = Math.scalb(1.0, rnd.nextInt(-8, 9)); // columns of very different sizes
                for (int r = 0; r < cnt; r++) a[p * lda + r] = scale * (rnd.nextDouble() * 2 - 1);
            }
            double[] v = new double[cnt + 2];
            for (int r = 0; r < cnt; r++) v[r] = rnd.nextDouble() * 10 - 5;
            v[cnt] = Double.NaN;
            v[cnt + 1] = Double.NaN;
            double[] c0 = new double[k * k];
            for (int p = 0; p < k; p++) {
                for (int q = 0; q < k; q++) c0[p * k + q] = q >= p ? rnd.nextDouble() - 0.5 : Double.NaN;
            }
            double[] d0 = new double[k];
            for (int p = 0; p < k; p++) d0[p] = rnd.nextDouble() - 0.5;
            return new Case(k, cnt, lda, a, v, c0, d0);
        }

        /** Runs impl on copies of the previous sums: {c, d}. */
        double[][] run(KernelImpl impl) {
            double[] c = c0.clone();
            double[] d = d0.clone();
            impl.crossProductsAdd(a, lda, k, cnt, v, c, d);
            return new double[][]{c, d};
        }

        /**
         * Null when {c, d} are within the dot-product error bound 2(cnt + 2)·u·(|prev| + Σ|terms|) of the
         * exact sums and the lower triangle is untouched; else what is wrong.
         */
        String check(double[][] out) {
            double[] c = out[0];
            double[] d = out[1];
            for (int p = 0; p < k; p++) {
                for (int q = 0; q < k; q++) {
                    int i = p * k + q;
                    if (q < p) {
                        if (Double.doubleToRawLongBits(c[i]) != Double.doubleToRawLongBits(c0[i])) {
                            return "lower triangle (" + p + ", " + q + ") was written: " + c[i];
                        }
                        continue;
                    }
                    String e = near(c[i], c0[i], p, q * lda, a, "c(" + p + ", " + q + ")");
                    if (e != null) return e;
                }
                String e = near(d[p], d0[p], p, -1, v, "d(" + p + ")");
                if (e != null) return e;
            }
            return null;
        }

        /** Compares got with prev + Σ_r a[p·lda + r]·w[wi + r] (wi = −1: w = v from 0). */
        private String near(double got, double prev, int p, int wi, double[] w, String what) {
            Oracle.Acc acc = new Oracle.Acc(prev);
            for (int r = 0; r < cnt; r++) acc.addProduct(a[p * lda + r], wi < 0 ? w[r] : w[wi + r]);
            double err = Math.abs(Oracle.diff(got, acc.hi(), acc.lo()));
            double tol = bound(p, wi, w, prev);
            return err <= tol ? null : what + " = " + got + ", exact " + acc.hi() + ", error " + err + " > " + tol;
        }

        /** The error bound of prev + Σ_r a[p·lda + r]·w[wi + r] in any summation order: 2(cnt + 2)·u·Σ|terms|. */
        double bound(int p, int wi, double[] w, double prev) {
            double abs = Math.abs(prev);
            for (int r = 0; r < cnt; r++) abs += Math.abs(a[p * lda + r] * (wi < 0 ? w[r] : w[wi + r]));
            return 2.0 * (cnt + 2) * Oracle.U * abs;
        }
    }

    @ParameterizedTest(name = "{0} k={1} cnt={2} pad={3}")
    @MethodSource("cases")
    void matchesTheOracleAndTheScalarReferenceAndIsReproducible(KernelImpl impl, int k, int cnt, int pad) {
        Case c = Case.of(k, cnt, pad, 1000L * k + 10L * cnt + pad);
        double[][] got = c.run(impl);
        String wrong = c.check(got);
        assertEquals(null, wrong, impl.name());
        double[][] ref = c.run(ScalarKernels.INSTANCE);
        for (int p = 0; p < k; p++) {
            for (int q = p; q < k; q++) { // both within the bound of the exact sum: within twice it of each other
                assertEquals(ref[0][p * k + q], got[0][p * k + q], 2 * c.bound(p, q * c.lda(), c.a(), c.c0()[p * k + q]),
                        "c(" + p + ", " + q + ") vs scalar");
            }
            assertEquals(ref[1][p], got[1][p], 2 * c.bound(p, -1, c.v(), c.d0()[p]), "d(" + p + ") vs scalar");
        }
        double[][] again = c.run(impl);
        for (int i = 0; i < got[0].length; i++) {
            assertEquals(Double.doubleToRawLongBits(got[0][i]), Double.doubleToRawLongBits(again[0][i]), "reproducible c[" + i + "]");
        }
        for (int i = 0; i < got[1].length; i++) {
            assertEquals(Double.doubleToRawLongBits(got[1][i]), Double.doubleToRawLongBits(again[1][i]), "reproducible d[" + i + "]");
        }
    }

    static Stream<Arguments> standardizeCases() {
        List<Arguments> list = new ArrayList<>();
        for (KernelImpl impl : KernelImplementationsTest.IMPLEMENTATIONS) {
            int l = KernelImplementationsTest.lanes(impl);
            TreeSet<Integer> rows = new TreeSet<>(List.of(0, 1, 2, 127, 128));
            for (int r : new int[]{l - 1, l, l + 1, 3 * l + 1}) if (r >= 0) rows.add(r);
            for (int n : new int[]{0, 1, 2, 7, 8, 9, 17, 33}) {
                for (int m : rows) {
                    list.add(Arguments.of(impl, n, m, 0, 0));
                    list.add(Arguments.of(impl, n, m, 3, 5));
                }
            }
        }
        return list.stream();
    }

    /**
     * {@code (x − μ)·s} is two correctly rounded operations, so the definition computed here is the exact
     * oracle: every implementation must match it bit for bit, write nothing else, and read nothing past x.
     */
    @ParameterizedTest(name = "{0} n={1} rows={2} pad={3} off={4}")
    @MethodSource("standardizeCases")
    void standardizingRowsIntoColumnsIsExact(KernelImpl impl, int n, int rows, int pad, int off) {
        SplittableRandom rnd = new SplittableRandom(31L * n + rows + pad);
        int ldx = n + pad;
        double[] x = new double[rows == 0 || n == 0 ? off : off + (rows - 1) * ldx + n]; // ends at the last value
        java.util.Arrays.fill(x, Double.NaN);
        double[] mean = new double[n];
        double[] scale = new double[n];
        for (int j = 0; j < n; j++) {
            mean[j] = rnd.nextDouble() * 100 - 50;
            scale[j] = rnd.nextDouble() * 3;
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) x[off + r * ldx + j] = rnd.nextDouble() * 200 - 100;
        }
        int ldo = rows + 2;
        double[] out = new double[Math.max(0, n * ldo)];
        java.util.Arrays.fill(out, -7.0); // untouched marker
        impl.standardizeRowsToColumns(x, off, ldx, rows, n, mean, scale, out, ldo);
        for (int j = 0; j < n; j++) {
            for (int r = 0; r < ldo; r++) {
                double want = r < rows ? (x[off + r * ldx + j] - mean[j]) * scale[j] : -7.0;
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(out[j * ldo + r]),
                        impl.name() + " (" + r + ", " + j + ")");
            }
        }
    }

    @Test
    void standardizingRejectsBadArguments() {
        double[] x = new double[20];
        double[] m = new double[4];
        says(() -> Kernels.standardizeRowsToColumns(x, 0, 3, 5, 4, m, m, new double[40], 8), "ldx");
        says(() -> Kernels.standardizeRowsToColumns(x, 0, 4, 9, 4, m, m, new double[40], 8), "ldo");
        says(() -> Kernels.standardizeRowsToColumns(x, 0, 4, 6, 4, m, m, new double[40], 8), "x holds 20");
        says(() -> Kernels.standardizeRowsToColumns(x, 0, 4, 5, 4, m, m, new double[19], 5), "out holds 19");
        says(() -> Kernels.standardizeRowsToColumns(x, 0, 4, 5, 4, new double[3], m, new double[40], 8), "mean and scale");
        says(() -> Kernels.standardizeRowsToColumns(x, 0, 4, 2, 4, m, m, x, 2), "must not be x");
        says(() -> Kernels.standardizeRowsToColumns(x, -1, 4, 2, 4, m, m, new double[8], 2), "xOff");
    }

    @Test
    void theCheckRejectsBrokenKernels() {
        for (KernelCheckerTest.Mutant.Kind kind : new KernelCheckerTest.Mutant.Kind[]{
                KernelCheckerTest.Mutant.Kind.DROPS_LAST_ROW, KernelCheckerTest.Mutant.Kind.DROPS_LAST_COLUMN,
                KernelCheckerTest.Mutant.Kind.OVERWRITES_G, KernelCheckerTest.Mutant.Kind.PERTURBED_RESULTS}) {
            KernelImpl mutant = new KernelCheckerTest.Mutant(kind);
            Case c = Case.of(9, 37, 3, 5);
            assertFalse(c.check(c.run(mutant)) == null, kind + " must be caught");
        }
        Case ok = Case.of(9, 37, 3, 5);
        assertEquals(null, ok.check(ok.run(ScalarKernels.INSTANCE)));
    }

    @Test
    void kernelsRunsTheActiveImplementation() {
        Case c = Case.of(17, 129, 1, 77);
        double[][] direct = c.run(Kernels.impl());
        double[] cc = c.c0().clone();
        double[] dd = c.d0().clone();
        Kernels.crossProductsAdd(c.a(), c.lda(), c.k(), c.cnt(), c.v(), cc, dd);
        for (int i = 0; i < cc.length; i++) {
            assertEquals(Double.doubleToRawLongBits(direct[0][i]), Double.doubleToRawLongBits(cc[i]), "c[" + i + "]");
        }
        for (int i = 0; i < dd.length; i++) assertEquals(direct[1][i], dd[i], 0.0);
    }

    @Test
    void badArgumentsAreRejectedNamingTheProblem() {
        double[] a = new double[20];
        double[] v = new double[10];
        double[] c = new double[4];
        double[] d = new double[2];
        says(() -> Kernels.crossProductsAdd(a, 5, 2, 10, v, c, d), "lda");
        says(() -> Kernels.crossProductsAdd(a, 10, 3, 10, v, new double[9], new double[3]), "a holds 20");
        says(() -> Kernels.crossProductsAdd(a, 10, 2, 10, new double[9], c, d), "v holds 9");
        says(() -> Kernels.crossProductsAdd(a, 10, 2, 10, v, new double[3], d), "c holds 3");
        says(() -> Kernels.crossProductsAdd(a, 10, 2, 10, v, c, new double[1]), "d holds 1");
        says(() -> Kernels.crossProductsAdd(a, 10, -1, 10, v, c, d), "k and cnt");
        says(() -> Kernels.crossProductsAdd(a, 10, 2, 10, v, a, d), "must not share");
        says(() -> Kernels.crossProductsAdd(a, 10, 2, 10, v, c, c), "must not share");
        assertThrows(NullPointerException.class, () -> Kernels.crossProductsAdd(null, 10, 2, 10, v, c, d));
        Kernels.crossProductsAdd(new double[0], 0, 0, 0, new double[0], new double[0], new double[0]); // empty is fine
    }

    private static void says(org.junit.jupiter.api.function.Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), () -> "\"" + part + "\" not in: " + e.getMessage());
    }
}
