package dev.vecgd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API compensated fused pass ({@link CompensatedKernels#residualsGradientAdd}): the lanes are L
 * consecutive rows, so every error-free transformation of {@link CompensatedScalar} becomes the same lanewise
 * operation (each row's Dot2 residual is bit-identical to the scalar one). Per block of L rows:
 * <pre>
 *   residualBlock:  s + c = −y + Σ_j x_j·θ_j + b    (TwoProduct by fma, TwoSum; lanewise)     → rh, rl (scratch)
 *   gradientBlock:  acc_q,lane += x_q·(rh + rl), Σr, Σr²  (TwoProduct, TwoSum into lane accumulators in scratch)
 * </pre>
 * then the lanes are reduced in a fixed order (lane 0 … L − 1) into {@code acc}, and the tail rows (fewer than L)
 * added by the scalar reference: results depend only on the width, never on timing. Row-major blocks are first
 * transposed into a column-major scratch tile. Helpers communicate through the per-thread scratch array (no vector
 * crosses a method boundary), the species is a constant, and the scratch grows only when a wider X is seen:
 * allocation-free in steady state.
 *
 * <p>Scratch layout ({@code q} over the n + 2 quantities): lane accumulators hi at {@code 2qL}, lo at
 * {@code (2q + 1)L}; then rh, rl, y (L each); then the transposed tile (n·L).
 */
final class CompensatedVector {

    private static final VectorSpecies<Double> S = VectorKernels.S;
    private static final int L = S.length();
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[][] {new double[0]});

    private CompensatedVector() {
    }

    private static double[] scratch(int n) {
        double[][] holder = SCRATCH.get();
        int need = (2 * (n + 2) + 3 + n) * L;
        if (holder[0].length < need) holder[0] = new double[need];
        return holder[0];
    }

    static void fusedCol(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y, int yOff,
                         int yInc, int from, int to, double[] acc) {
        double[] w = scratch(n);
        int accLen = 2 * (n + 2) * L;
        java.util.Arrays.fill(w, 0, accLen, 0);
        int rOff = accLen;
        int yBuf = rOff + 2 * L;
        int i = from;
        for (; i + L <= to; i += L) {
            for (int l = 0; l < L; l++) w[yBuf + l] = y[yOff + (i + l) * yInc];
            residualBlock(x, xOff + i, ldx, n, theta, b, w, yBuf, rOff);
            gradientBlock(x, xOff + i, ldx, n, w, rOff);
        }
        reduce(w, n, acc);
        CompensatedScalar.residualsGradient(x, xOff + i, 1, ldx, to - i, n, theta, b, y, yOff + i * yInc, yInc, acc);
    }

    static void fusedRow(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y, int yOff,
                         int yInc, int from, int to, double[] acc) {
        double[] w = scratch(n);
        int accLen = 2 * (n + 2) * L;
        java.util.Arrays.fill(w, 0, accLen, 0);
        int rOff = accLen;
        int yBuf = rOff + 2 * L;
        int tile = yBuf + L;
        int i = from;
        for (; i + L <= to; i += L) {
            for (int l = 0; l < L; l++) {
                int row = xOff + (i + l) * ldx;
                for (int j = 0; j < n; j++) w[tile + j * L + l] = x[row + j];
                w[yBuf + l] = y[yOff + (i + l) * yInc];
            }
            residualBlock(w, tile, L, n, theta, b, w, yBuf, rOff);
            gradientBlock(w, tile, L, n, w, rOff);
        }
        reduce(w, n, acc);
        CompensatedScalar.residualsGradient(x, xOff + i * ldx, ldx, 1, to - i, n, theta, b, y, yOff + i * yInc, yInc,
                acc);
    }

    /** Lanewise Dot2 residuals of L rows (column j at x[base + j·ld]), y at w[yBuf]: rh → w[rOff], rl → w[rOff + L]. */
    private static void residualBlock(double[] x, int base, int ld, int n, double[] theta, double b, double[] w,
                                      int yBuf, int rOff) {
        DoubleVector s = DoubleVector.fromArray(S, w, yBuf).neg();
        DoubleVector c = DoubleVector.zero(S);
        for (int j = 0; j < n; j++) {
            DoubleVector xv = DoubleVector.fromArray(S, x, base + j * ld);
            DoubleVector th = DoubleVector.broadcast(S, theta[j]);
            DoubleVector p = xv.mul(th);
            DoubleVector pe = xv.fma(th, p.neg());
            DoubleVector t = s.add(p);
            DoubleVector bb = t.sub(s);
            c = c.add(s.sub(t.sub(bb)).add(p.sub(bb)).add(pe));
            s = t;
        }
        DoubleVector bv = DoubleVector.broadcast(S, b);
        DoubleVector t = s.add(bv);
        DoubleVector bb = t.sub(s);
        c = c.add(s.sub(t.sub(bb)).add(bv.sub(bb)));
        DoubleVector rh = t.add(c);
        rh.intoArray(w, rOff);
        c.sub(rh.sub(t)).intoArray(w, rOff + L);
    }

    /** Lane accumulators += x_q·r (q &lt; n), r, r², with r = w[rOff] + w[rOff + L]. */
    private static void gradientBlock(double[] x, int base, int ld, int n, double[] w, int rOff) {
        DoubleVector rh = DoubleVector.fromArray(S, w, rOff);
        DoubleVector rl = DoubleVector.fromArray(S, w, rOff + L);
        for (int q = 0; q < n; q++) {
            DoubleVector xv = DoubleVector.fromArray(S, x, base + q * ld);
            DoubleVector p = xv.mul(rh);
            DoubleVector e = xv.fma(rh, p.neg()).add(xv.mul(rl));
            int k = 2 * q * L;
            DoubleVector h = DoubleVector.fromArray(S, w, k);
            DoubleVector t = h.add(p);
            DoubleVector bb = t.sub(h);
            t.intoArray(w, k);
            DoubleVector.fromArray(S, w, k + L).add(h.sub(t.sub(bb)).add(p.sub(bb)).add(e)).intoArray(w, k + L);
        }
        sumBlock(w, n, rOff);
    }

    /** Lane accumulators of Σr (quantity n) and Σr² (quantity n + 1). */
    private static void sumBlock(double[] w, int n, int rOff) {
        DoubleVector rh = DoubleVector.fromArray(S, w, rOff);
        DoubleVector rl = DoubleVector.fromArray(S, w, rOff + L);
        int k = 2 * n * L;
        DoubleVector h = DoubleVector.fromArray(S, w, k);
        DoubleVector t = h.add(rh);
        DoubleVector bb = t.sub(h);
        t.intoArray(w, k);
        DoubleVector.fromArray(S, w, k + L).add(h.sub(t.sub(bb)).add(rh.sub(bb)).add(rl)).intoArray(w, k + L);
        DoubleVector p = rh.mul(rh);
        DoubleVector e = rh.fma(rh, p.neg()).add(rh.mul(rl.add(rl)));
        k += 2 * L;
        h = DoubleVector.fromArray(S, w, k);
        t = h.add(p);
        bb = t.sub(h);
        t.intoArray(w, k);
        DoubleVector.fromArray(S, w, k + L).add(h.sub(t.sub(bb)).add(p.sub(bb)).add(e)).intoArray(w, k + L);
    }

    /** acc_q += Σ_lane (hi + lo), lanes in order 0 … L − 1 (fixed). */
    private static void reduce(double[] w, int n, double[] acc) {
        for (int q = 0; q < n + 2; q++) {
            int k = 2 * q * L;
            for (int l = 0; l < L; l++) CompensatedScalar.add(acc, 2 * q, w[k + l], w[k + L + l]);
        }
    }
}
