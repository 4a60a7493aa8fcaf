package dev.vecgd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Vector API fused kernel over off-heap segments ({@code DoubleVector.fromMemorySegment}, native
 * byte order). Loaded reflectively by {@link SegmentKernels} behind the same module check as
 * {@link KernelProvider}; same species as {@link VectorKernels} (a {@code static final} constant) and
 * the same deterministic butterfly lane reduction ({@link VectorKernels#hsum}), never
 * {@code reduceLanes(ADD)}.
 *
 * <p>Row-major: rows of at most one or two vectors keep θ and the gradient in registers; wider rows
 * take a dot product with four accumulators, then the axpy into g while the row is in L1.
 * Column-major: blocks of {@link VectorKernels#blockRows(int)} rows; the block's residuals are formed
 * in a per-thread heap scratch array four columns per pass, then {@code g_j += X_block[:, j]·r}
 * while the block is in L2.
 */
final class VectorSegmentKernels implements SegmentKernelImpl {

    private static final VectorSpecies<Double> S = VectorKernels.S;
    private static final int L = S.length();
    private static final ByteOrder BO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final int MAX_BLOCK = 2048;
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[MAX_BLOCK]);

    private VectorSegmentKernels() {
    }

    /** Called reflectively; null when vectors hold fewer than two doubles. */
    static SegmentKernelImpl create() {
        return L >= 2 ? new VectorSegmentKernels() : null;
    }

    @Override
    public String name() {
        return "vector (segments): " + S.vectorBitSize() + "-bit, " + L + " doubles per vector";
    }

    private static DoubleVector load(MemorySegment s, long element) {
        return DoubleVector.fromMemorySegment(S, s, element * Double.BYTES, BO);
    }

    private static DoubleVector load(MemorySegment s, long element, VectorMask<Double> m) {
        return DoubleVector.fromMemorySegment(S, s, element * Double.BYTES, BO, m);
    }

    // ------------------------------------------------------------------ row-major

    @Override
    public double fusedRow(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                           MemorySegment y, long yOff, long yInc, double[] g, long from, int count) {
        if (n <= L) return fusedRow1(x, xOff, ldx, n, theta, b, y, yOff, yInc, g, from, count);
        if (n <= 2 * L) return fusedRow2(x, xOff, ldx, n, theta, b, y, yOff, yInc, g, from, count);
        int full = S.loopBound(n);
        VectorMask<Double> tail = S.indexInRange(full, n);
        boolean hasTail = full < n;
        double ss = 0;
        double sum = 0;
        for (int k = 0; k < count; k++) {
            long i = from + k;
            long base = xOff + i * ldx;
            DoubleVector a0 = DoubleVector.zero(S);
            DoubleVector a1 = DoubleVector.zero(S);
            DoubleVector a2 = DoubleVector.zero(S);
            DoubleVector a3 = DoubleVector.zero(S);
            int j = 0;
            for (int full4 = full - 3 * L; j < full4; j += 4 * L) {
                a0 = load(x, base + j).fma(DoubleVector.fromArray(S, theta, j), a0);
                a1 = load(x, base + j + L).fma(DoubleVector.fromArray(S, theta, j + L), a1);
                a2 = load(x, base + j + 2 * L).fma(DoubleVector.fromArray(S, theta, j + 2 * L), a2);
                a3 = load(x, base + j + 3 * L).fma(DoubleVector.fromArray(S, theta, j + 3 * L), a3);
            }
            for (; j < full; j += L) {
                a0 = load(x, base + j).fma(DoubleVector.fromArray(S, theta, j), a0);
            }
            if (hasTail) {
                a1 = load(x, base + j, tail).fma(DoubleVector.fromArray(S, theta, j, tail), a1);
            }
            double ri = VectorKernels.hsum(a0.add(a1).add(a2.add(a3))) + b - y.getAtIndex(D, yOff + i * yInc);
            DoubleVector rb = DoubleVector.broadcast(S, ri);
            j = 0;
            for (; j < full; j += L) {
                load(x, base + j).fma(rb, DoubleVector.fromArray(S, g, j)).intoArray(g, j);
            }
            if (hasTail) {
                load(x, base + j, tail).fma(rb, DoubleVector.fromArray(S, g, j, tail)).intoArray(g, j, tail);
            }
            ss += ri * ri;
            sum += ri;
        }
        g[n] += sum;
        return ss;
    }

    private static double fusedRow1(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                                    MemorySegment y, long yOff, long yInc, double[] g, long from, int count) {
        VectorMask<Double> m0 = S.indexInRange(0, n);
        DoubleVector t0 = DoubleVector.fromArray(S, theta, 0, m0);
        DoubleVector g0 = DoubleVector.zero(S);
        double ss = 0;
        double sum = 0;
        for (int k = 0; k < count; k++) {
            long i = from + k;
            DoubleVector v0 = load(x, xOff + i * ldx, m0);
            double ri = VectorKernels.hsum(v0.mul(t0)) + b - y.getAtIndex(D, yOff + i * yInc);
            g0 = v0.fma(DoubleVector.broadcast(S, ri), g0);
            ss += ri * ri;
            sum += ri;
        }
        DoubleVector.fromArray(S, g, 0, m0).add(g0).intoArray(g, 0, m0);
        g[n] += sum;
        return ss;
    }

    private static double fusedRow2(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                                    MemorySegment y, long yOff, long yInc, double[] g, long from, int count) {
        VectorMask<Double> m1 = S.indexInRange(L, n);
        DoubleVector t0 = DoubleVector.fromArray(S, theta, 0);
        DoubleVector t1 = DoubleVector.fromArray(S, theta, L, m1);
        DoubleVector g0 = DoubleVector.zero(S);
        DoubleVector g1 = DoubleVector.zero(S);
        double ss = 0;
        double sum = 0;
        for (int k = 0; k < count; k++) {
            long i = from + k;
            long base = xOff + i * ldx;
            DoubleVector v0 = load(x, base);
            DoubleVector v1 = load(x, base + L, m1);
            double ri = VectorKernels.hsum(v1.fma(t1, v0.mul(t0))) + b - y.getAtIndex(D, yOff + i * yInc);
            DoubleVector rb = DoubleVector.broadcast(S, ri);
            g0 = v0.fma(rb, g0);
            g1 = v1.fma(rb, g1);
            ss += ri * ri;
            sum += ri;
        }
        DoubleVector.fromArray(S, g, 0).add(g0).intoArray(g, 0);
        DoubleVector.fromArray(S, g, L, m1).add(g1).intoArray(g, L, m1);
        g[n] += sum;
        return ss;
    }

    // ------------------------------------------------------------------ column-major

    @Override
    public double fusedCol(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                           MemorySegment y, long yOff, long yInc, double[] g, long from, int count) {
        int block = Math.min(MAX_BLOCK, VectorKernels.blockRows(n));
        double[] r = SCRATCH.get();
        double ss = 0;
        double sum = 0;
        for (int k0 = 0; k0 < count; k0 += block) {
            int len = Math.min(block, count - k0);
            long i0 = from + k0;
            initBlock(b, y, yOff, yInc, r, i0, len);
            axpyColumns(x, xOff, ldx, n, theta, r, i0, len);
            dotColumns(x, xOff, ldx, n, r, g, i0, len);
            int vEnd = S.loopBound(len);
            DoubleVector q = DoubleVector.zero(S);
            DoubleVector s = DoubleVector.zero(S);
            int k = 0;
            for (; k < vEnd; k += L) {
                DoubleVector v = DoubleVector.fromArray(S, r, k);
                q = v.fma(v, q);
                s = s.add(v);
            }
            double bs = VectorKernels.hsum(q);
            double bsum = VectorKernels.hsum(s);
            for (; k < len; k++) {
                bs += r[k] * r[k];
                bsum += r[k];
            }
            ss += bs;
            sum += bsum;
        }
        g[n] += sum;
        return ss;
    }

    /** {@code r[k] = b − y_{i0+k}} for {@code k < len}. */
    private static void initBlock(double b, MemorySegment y, long yOff, long yInc, double[] r, long i0, int len) {
        int k = 0;
        if (yInc == 1) {
            DoubleVector bb = DoubleVector.broadcast(S, b);
            for (int vEnd = S.loopBound(len); k < vEnd; k += L) bb.sub(load(y, yOff + i0 + k)).intoArray(r, k);
        }
        for (; k < len; k++) r[k] = b - y.getAtIndex(D, yOff + (i0 + k) * yInc);
    }

    /** {@code r[k] += Σ_j x_{i0+k, j}·θ_j}, four columns per pass. */
    private static void axpyColumns(MemorySegment x, long xOff, long ldx, int n, double[] theta, double[] r,
                                    long i0, int len) {
        int vEnd = S.loopBound(len);
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            long c0 = xOff + j * ldx + i0, c1 = c0 + ldx, c2 = c1 + ldx, c3 = c2 + ldx;
            DoubleVector t0 = DoubleVector.broadcast(S, theta[j]);
            DoubleVector t1 = DoubleVector.broadcast(S, theta[j + 1]);
            DoubleVector t2 = DoubleVector.broadcast(S, theta[j + 2]);
            DoubleVector t3 = DoubleVector.broadcast(S, theta[j + 3]);
            int k = 0;
            for (; k < vEnd; k += L) {
                DoubleVector p01 = load(x, c1 + k).fma(t1, load(x, c0 + k).mul(t0));
                DoubleVector p23 = load(x, c3 + k).fma(t3, load(x, c2 + k).mul(t2));
                DoubleVector.fromArray(S, r, k).add(p01.add(p23)).intoArray(r, k);
            }
            for (; k < len; k++) {
                r[k] += (x.getAtIndex(D, c0 + k) * theta[j] + x.getAtIndex(D, c1 + k) * theta[j + 1])
                        + (x.getAtIndex(D, c2 + k) * theta[j + 2] + x.getAtIndex(D, c3 + k) * theta[j + 3]);
            }
        }
        for (; j < n; j++) {
            long c0 = xOff + j * ldx + i0;
            double tj = theta[j];
            DoubleVector t0 = DoubleVector.broadcast(S, tj);
            int k = 0;
            for (; k < vEnd; k += L) {
                load(x, c0 + k).fma(t0, DoubleVector.fromArray(S, r, k)).intoArray(r, k);
            }
            for (; k < len; k++) r[k] += x.getAtIndex(D, c0 + k) * tj;
        }
    }

    /** {@code g[j] += Σ_k r[k]·x_{i0+k, j}}, four columns per pass with one accumulator each. */
    private static void dotColumns(MemorySegment x, long xOff, long ldx, int n, double[] r, double[] g,
                                   long i0, int len) {
        int vEnd = S.loopBound(len);
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            long c0 = xOff + j * ldx + i0, c1 = c0 + ldx, c2 = c1 + ldx, c3 = c2 + ldx;
            DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S);
            DoubleVector a2 = DoubleVector.zero(S), a3 = DoubleVector.zero(S);
            int k = 0;
            for (; k < vEnd; k += L) {
                DoubleVector rv = DoubleVector.fromArray(S, r, k);
                a0 = load(x, c0 + k).fma(rv, a0);
                a1 = load(x, c1 + k).fma(rv, a1);
                a2 = load(x, c2 + k).fma(rv, a2);
                a3 = load(x, c3 + k).fma(rv, a3);
            }
            double s0 = VectorKernels.hsum(a0), s1 = VectorKernels.hsum(a1);
            double s2 = VectorKernels.hsum(a2), s3 = VectorKernels.hsum(a3);
            for (; k < len; k++) {
                double rk = r[k];
                s0 += rk * x.getAtIndex(D, c0 + k);
                s1 += rk * x.getAtIndex(D, c1 + k);
                s2 += rk * x.getAtIndex(D, c2 + k);
                s3 += rk * x.getAtIndex(D, c3 + k);
            }
            g[j] += s0;
            g[j + 1] += s1;
            g[j + 2] += s2;
            g[j + 3] += s3;
        }
        for (; j < n; j++) {
            long c0 = xOff + j * ldx + i0;
            DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S);
            int k = 0;
            for (int bound = vEnd - L; k < bound; k += 2 * L) {
                a0 = load(x, c0 + k).fma(DoubleVector.fromArray(S, r, k), a0);
                a1 = load(x, c0 + k + L).fma(DoubleVector.fromArray(S, r, k + L), a1);
            }
            for (; k < vEnd; k += L) {
                a0 = load(x, c0 + k).fma(DoubleVector.fromArray(S, r, k), a0);
            }
            double s = VectorKernels.hsum(a0.add(a1));
            for (; k < len; k++) s += r[k] * x.getAtIndex(D, c0 + k);
            g[j] += s;
        }
    }
}
