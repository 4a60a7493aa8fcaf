package dev.vecgd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked Gram (symmetric rank-k) update on the Vector API — the micro-kernel design of
 * BLIS/OpenBLAS {@code dsyrk}: C's upper triangle is cut into column strips of 2L (then L) columns, each
 * strip into tiles of rows; a tile's accumulators are vectors of C held in registers while all cnt rows of the
 * block stream by, each row giving one FMA per accumulator:
 * <pre>
 *   tile (p0.., q0..):   acc[i][v] ← fma(broadcast(a_r,p0+i), a_r[q0 + v·L .. + L), acc[i][v])    r = 0 … cnt−1
 * </pre>
 * 4 × 2 vectors (8 accumulators; 2 loads and 4 broadcasts per 8 FMAs) on the wide strips, 8 × 1 and 4 × 1 on
 * the narrow strip. Eight independent chains keep two FMA ports busy at a four-cycle latency, and 8 + 3
 * vectors fit AVX2's 16 registers (AVX-512 and NEON have 32). Every accumulator is loaded from C and stored
 * back, so each entry is the same single fma chain in row order as {@link GramKernelScalar}: the bits do not
 * depend on the width, the tiling or the number of calls the rows are cut into.
 *
 * <p>Tiles on the diagonal compute some entries below it too; they are stored into a per-thread scratch tile
 * and only the upper part is copied to C (no masked store). Columns past the last whole vector (fewer than
 * L) and rows of a strip past its last whole tile are done entry by entry by {@link GramKernelScalar}, in
 * the same fma order.
 *
 * <p>Allocation-free: the species is a {@code static final} constant, no vector crosses a method of ours,
 * each tile method holds 17–33 vector operations (far below C2's inlining node budget) and is too big to be
 * inlined into the strip loops, C is read and written through array parameters only.
 */
final class GramKernelVector {

    private static final VectorSpecies<Double> S = VectorKernels.S;
    private static final int L = S.length();
    /** Rows of a wide (2L-column) tile. */
    static final int MR = 4;
    /** Use 6 × 2-vector tiles (12 accumulators) too: at 8 lanes (AVX-512 has 32 vector registers). */
    private static final boolean WIDE_TILES = L >= 8;
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[12 * L]);

    private GramKernelVector() {
    }

    static void gramAdd(double[] a, int aOff, int lda, int k, int cnt, double[] c, int ldc) {
        if (k == 0 || cnt == 0) return;
        double[] scratch = SCRATCH.get();
        int q0 = 0;
        for (; q0 + 2 * L <= k; q0 += 2 * L) wideStrip(a, aOff, lda, cnt, q0, c, ldc, scratch);
        for (; q0 + L <= k; q0 += L) narrowStrip(a, aOff, lda, cnt, q0, c, ldc, scratch);
        if (q0 < k) GramKernelScalar.addElements(a, aOff, lda, cnt, 0, k, q0, k, c, ldc);
    }

    /** Columns [q0, q0 + 2L), rows [0, q0 + 2L). */
    private static void wideStrip(double[] a, int aOff, int lda, int cnt, int q0, double[] c, int ldc,
                                  double[] scratch) {
        int pEnd = q0 + 2 * L;
        int p0 = 0;
        // 6-row tiles (12 accumulators) only where 32 registers hold them (AVX-512; at 16 registers they spill);
        // an even number of them, so the rest is a multiple of 4 rows (pEnd is): no row is left to the scalar code
        int end6 = WIDE_TILES ? 6 * ((pEnd / 6) & ~1) : 0;
        for (; p0 < end6; p0 += 6) {
            if (p0 + 5 <= q0) {
                tile6x2(a, aOff + p0, aOff + q0, lda, cnt, c, p0 * ldc + q0, ldc, c, p0 * ldc + q0, ldc);
            } else {
                tile6x2(a, aOff + p0, aOff + q0, lda, cnt, c, p0 * ldc + q0, ldc, scratch, 0, 2 * L);
                copyUpper(scratch, 2 * L, 6, 2 * L, p0, q0, c, ldc);
            }
        }
        for (; p0 + MR <= pEnd; p0 += MR) {
            if (p0 + MR - 1 <= q0) {
                tile4x2(a, aOff + p0, aOff + q0, lda, cnt, c, p0 * ldc + q0, ldc, c, p0 * ldc + q0, ldc);
            } else {
                tile4x2(a, aOff + p0, aOff + q0, lda, cnt, c, p0 * ldc + q0, ldc, scratch, 0, 2 * L);
                copyUpper(scratch, 2 * L, MR, 2 * L, p0, q0, c, ldc);
            }
        }
        if (p0 < pEnd) GramKernelScalar.addElements(a, aOff, lda, cnt, p0, pEnd, q0, pEnd, c, ldc);
    }

    /** Columns [q0, q0 + L), rows [0, q0 + L). */
    private static void narrowStrip(double[] a, int aOff, int lda, int cnt, int q0, double[] c, int ldc,
                                    double[] scratch) {
        int pEnd = q0 + L;
        int p0 = 0;
        for (; p0 + 8 <= pEnd; p0 += 8) {
            if (p0 + 7 <= q0) {
                tile8x1(a, aOff + p0, aOff + q0, lda, cnt, c, p0 * ldc + q0, ldc, c, p0 * ldc + q0, ldc);
            } else {
                tile8x1(a, aOff + p0, aOff + q0, lda, cnt, c, p0 * ldc + q0, ldc, scratch, 0, L);
                copyUpper(scratch, L, 8, L, p0, q0, c, ldc);
            }
        }
        for (; p0 + 4 <= pEnd; p0 += 4) {
            if (p0 + 3 <= q0) {
                tile4x1(a, aOff + p0, aOff + q0, lda, cnt, c, p0 * ldc + q0, ldc, c, p0 * ldc + q0, ldc);
            } else {
                tile4x1(a, aOff + p0, aOff + q0, lda, cnt, c, p0 * ldc + q0, ldc, scratch, 0, L);
                copyUpper(scratch, L, 4, L, p0, q0, c, ldc);
            }
        }
        if (p0 < pEnd) GramKernelScalar.addElements(a, aOff, lda, cnt, p0, pEnd, q0, pEnd, c, ldc);
    }

    /** Copies the entries with q ≥ p of a rows × cols tile (at row p0, column q0 of C) from scratch. */
    private static void copyUpper(double[] t, int ldt, int rows, int cols, int p0, int q0, double[] c, int ldc) {
        for (int i = 0; i < rows; i++) {
            int p = p0 + i;
            for (int j = Math.max(0, p - q0); j < cols; j++) c[p * ldc + q0 + j] = t[i * ldt + j];
        }
    }

    /**
     * 4 rows × 2 vectors: accumulators loaded from {@code in} (row i at {@code inOff + i·ldIn}), updated by
     * cnt rows of a (the tile's row p at {@code a[ap + r·lda + i]}, its columns at {@code a[aq + r·lda ..]}),
     * stored into {@code out}.
     */
    private static void tile4x2(double[] a, int ap, int aq, int lda, int cnt,
                                double[] in, int inOff, int ldIn, double[] out, int outOff, int ldOut) {
        int i1 = inOff + ldIn, i2 = i1 + ldIn, i3 = i2 + ldIn;
        DoubleVector c00 = DoubleVector.fromArray(S, in, inOff), c01 = DoubleVector.fromArray(S, in, inOff + L);
        DoubleVector c10 = DoubleVector.fromArray(S, in, i1), c11 = DoubleVector.fromArray(S, in, i1 + L);
        DoubleVector c20 = DoubleVector.fromArray(S, in, i2), c21 = DoubleVector.fromArray(S, in, i2 + L);
        DoubleVector c30 = DoubleVector.fromArray(S, in, i3), c31 = DoubleVector.fromArray(S, in, i3 + L);
        for (int r = 0, row = 0; r < cnt; r++, row += lda) {
            DoubleVector v0 = DoubleVector.fromArray(S, a, aq + row);
            DoubleVector v1 = DoubleVector.fromArray(S, a, aq + row + L);
            int bp = ap + row;
            DoubleVector b0 = DoubleVector.broadcast(S, a[bp]);
            c00 = b0.fma(v0, c00);
            c01 = b0.fma(v1, c01);
            DoubleVector b1 = DoubleVector.broadcast(S, a[bp + 1]);
            c10 = b1.fma(v0, c10);
            c11 = b1.fma(v1, c11);
            DoubleVector b2 = DoubleVector.broadcast(S, a[bp + 2]);
            c20 = b2.fma(v0, c20);
            c21 = b2.fma(v1, c21);
            DoubleVector b3 = DoubleVector.broadcast(S, a[bp + 3]);
            c30 = b3.fma(v0, c30);
            c31 = b3.fma(v1, c31);
        }
        int o1 = outOff + ldOut, o2 = o1 + ldOut, o3 = o2 + ldOut;
        c00.intoArray(out, outOff);
        c01.intoArray(out, outOff + L);
        c10.intoArray(out, o1);
        c11.intoArray(out, o1 + L);
        c20.intoArray(out, o2);
        c21.intoArray(out, o2 + L);
        c30.intoArray(out, o3);
        c31.intoArray(out, o3 + L);
    }

    /** 6 rows × 2 vectors (12 accumulators), as {@link #tile4x2}. */
    private static void tile6x2(double[] a, int ap, int aq, int lda, int cnt,
                                double[] in, int inOff, int ldIn, double[] out, int outOff, int ldOut) {
        int i1 = inOff + ldIn, i2 = i1 + ldIn, i3 = i2 + ldIn, i4 = i3 + ldIn, i5 = i4 + ldIn;
        DoubleVector c00 = DoubleVector.fromArray(S, in, inOff), c01 = DoubleVector.fromArray(S, in, inOff + L);
        DoubleVector c10 = DoubleVector.fromArray(S, in, i1), c11 = DoubleVector.fromArray(S, in, i1 + L);
        DoubleVector c20 = DoubleVector.fromArray(S, in, i2), c21 = DoubleVector.fromArray(S, in, i2 + L);
        DoubleVector c30 = DoubleVector.fromArray(S, in, i3), c31 = DoubleVector.fromArray(S, in, i3 + L);
        DoubleVector c40 = DoubleVector.fromArray(S, in, i4), c41 = DoubleVector.fromArray(S, in, i4 + L);
        DoubleVector c50 = DoubleVector.fromArray(S, in, i5), c51 = DoubleVector.fromArray(S, in, i5 + L);
        for (int r = 0, row = 0; r < cnt; r++, row += lda) {
            DoubleVector v0 = DoubleVector.fromArray(S, a, aq + row);
            DoubleVector v1 = DoubleVector.fromArray(S, a, aq + row + L);
            int bp = ap + row;
            DoubleVector b0 = DoubleVector.broadcast(S, a[bp]);
            c00 = b0.fma(v0, c00);
            c01 = b0.fma(v1, c01);
            DoubleVector b1 = DoubleVector.broadcast(S, a[bp + 1]);
            c10 = b1.fma(v0, c10);
            c11 = b1.fma(v1, c11);
            DoubleVector b2 = DoubleVector.broadcast(S, a[bp + 2]);
            c20 = b2.fma(v0, c20);
            c21 = b2.fma(v1, c21);
            DoubleVector b3 = DoubleVector.broadcast(S, a[bp + 3]);
            c30 = b3.fma(v0, c30);
            c31 = b3.fma(v1, c31);
            DoubleVector b4 = DoubleVector.broadcast(S, a[bp + 4]);
            c40 = b4.fma(v0, c40);
            c41 = b4.fma(v1, c41);
            DoubleVector b5 = DoubleVector.broadcast(S, a[bp + 5]);
            c50 = b5.fma(v0, c50);
            c51 = b5.fma(v1, c51);
        }
        int o1 = outOff + ldOut, o2 = o1 + ldOut, o3 = o2 + ldOut, o4 = o3 + ldOut, o5 = o4 + ldOut;
        c00.intoArray(out, outOff);
        c01.intoArray(out, outOff + L);
        c10.intoArray(out, o1);
        c11.intoArray(out, o1 + L);
        c20.intoArray(out, o2);
        c21.intoArray(out, o2 + L);
        c30.intoArray(out, o3);
        c31.intoArray(out, o3 + L);
        c40.intoArray(out, o4);
        c41.intoArray(out, o4 + L);
        c50.intoArray(out, o5);
        c51.intoArray(out, o5 + L);
    }

    /** 8 rows × 1 vector, as {@link #tile4x2}. */
    private static void tile8x1(double[] a, int ap, int aq, int lda, int cnt,
                                double[] in, int inOff, int ldIn, double[] out, int outOff, int ldOut) {
        DoubleVector c0 = DoubleVector.fromArray(S, in, inOff);
        DoubleVector c1 = DoubleVector.fromArray(S, in, inOff + ldIn);
        DoubleVector c2 = DoubleVector.fromArray(S, in, inOff + 2 * ldIn);
        DoubleVector c3 = DoubleVector.fromArray(S, in, inOff + 3 * ldIn);
        DoubleVector c4 = DoubleVector.fromArray(S, in, inOff + 4 * ldIn);
        DoubleVector c5 = DoubleVector.fromArray(S, in, inOff + 5 * ldIn);
        DoubleVector c6 = DoubleVector.fromArray(S, in, inOff + 6 * ldIn);
        DoubleVector c7 = DoubleVector.fromArray(S, in, inOff + 7 * ldIn);
        for (int r = 0, row = 0; r < cnt; r++, row += lda) {
            DoubleVector v = DoubleVector.fromArray(S, a, aq + row);
            int bp = ap + row;
            c0 = DoubleVector.broadcast(S, a[bp]).fma(v, c0);
            c1 = DoubleVector.broadcast(S, a[bp + 1]).fma(v, c1);
            c2 = DoubleVector.broadcast(S, a[bp + 2]).fma(v, c2);
            c3 = DoubleVector.broadcast(S, a[bp + 3]).fma(v, c3);
            c4 = DoubleVector.broadcast(S, a[bp + 4]).fma(v, c4);
            c5 = DoubleVector.broadcast(S, a[bp + 5]).fma(v, c5);
            c6 = DoubleVector.broadcast(S, a[bp + 6]).fma(v, c6);
            c7 = DoubleVector.broadcast(S, a[bp + 7]).fma(v, c7);
        }
        c0.intoArray(out, outOff);
        c1.intoArray(out, outOff + ldOut);
        c2.intoArray(out, outOff + 2 * ldOut);
        c3.intoArray(out, outOff + 3 * ldOut);
        c4.intoArray(out, outOff + 4 * ldOut);
        c5.intoArray(out, outOff + 5 * ldOut);
        c6.intoArray(out, outOff + 6 * ldOut);
        c7.intoArray(out, outOff + 7 * ldOut);
    }

    /** 4 rows × 1 vector, as {@link #tile4x2}. */
    private static void tile4x1(double[] a, int ap, int aq, int lda, int cnt,
                                double[] in, int inOff, int ldIn, double[] out, int outOff, int ldOut) {
        DoubleVector c0 = DoubleVector.fromArray(S, in, inOff);
        DoubleVector c1 = DoubleVector.fromArray(S, in, inOff + ldIn);
        DoubleVector c2 = DoubleVector.fromArray(S, in, inOff + 2 * ldIn);
        DoubleVector c3 = DoubleVector.fromArray(S, in, inOff + 3 * ldIn);
        for (int r = 0, row = 0; r < cnt; r++, row += lda) {
            DoubleVector v = DoubleVector.fromArray(S, a, aq + row);
            int bp = ap + row;
            c0 = DoubleVector.broadcast(S, a[bp]).fma(v, c0);
            c1 = DoubleVector.broadcast(S, a[bp + 1]).fma(v, c1);
            c2 = DoubleVector.broadcast(S, a[bp + 2]).fma(v, c2);
            c3 = DoubleVector.broadcast(S, a[bp + 3]).fma(v, c3);
        }
        c0.intoArray(out, outOff);
        c1.intoArray(out, outOff + ldOut);
        c2.intoArray(out, outOff + 2 * ldOut);
        c3.intoArray(out, outOff + 3 * ldOut);
    }
}
