package dev.vecgd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API compensated Gram pass ({@link CompensatedKernels#gramAdd}): the lanes are L consecutive rows of
 * the augmented matrix [X, 1, y] (w = n + 2 columns), packed into a column-major scratch tile; every product is
 * split by TwoProduct ({@code fma}) and added by TwoSum into lane accumulators, one (hi, lo) pair of vectors per
 * upper-triangle entry. Then the lanes are reduced in a fixed order (lane 0 … L − 1) into {@code acc} and the tail
 * rows (fewer than L) added by the scalar reference ({@link CompensatedScalar#gram}). No vector crosses a method
 * boundary; the per-thread scratch grows only for a wider X: allocation-free in steady state.
 *
 * <p>Scratch layout: entry (u, v), u ≤ v, is the packed index e = u·w − u(u − 1)/2 + (v − u); its lane
 * accumulators hi at {@code 2eL}, lo at {@code (2e + 1)L}; then the tile (w·L).
 */
final class CompensatedGramVector {

    private static final VectorSpecies<Double> S = VectorKernels.S;
    private static final int L = S.length();
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[][] {new double[0]});

    private CompensatedGramVector() {
    }

    private static double[] scratch(int w) {
        double[][] holder = SCRATCH.get();
        int need = (w * (w + 1) + w) * L;
        if (holder[0].length < need) holder[0] = new double[need];
        return holder[0];
    }

    /**
     * Rows [0, rows) with element (i, j) at {@code a[base + i·rs + j·cs]} and target i at {@code y[yBase + i·ys]};
     * acc accumulated (layout of {@link CompensatedKernels}).
     */
    static void gram(double[] a, int base, int rs, int cs, int rows, int n, double[] y, int yBase, int ys,
                     double[] acc) {
        int w = n + 2;
        double[] s = scratch(w);
        int accLen = w * (w + 1) * L;
        java.util.Arrays.fill(s, 0, accLen, 0);
        int tile = accLen;
        java.util.Arrays.fill(s, tile + n * L, tile + (n + 1) * L, 1); // the ones column
        int i = 0;
        for (; i + L <= rows; i += L) {
            for (int l = 0; l < L; l++) {
                int row = base + (i + l) * rs;
                for (int j = 0; j < n; j++) s[tile + j * L + l] = a[row + j * cs];
                s[tile + (n + 1) * L + l] = y[yBase + (i + l) * ys];
            }
            for (int u = 0; u < w; u++) column(s, tile, w, u);
        }
        reduce(s, w, acc);
        CompensatedScalar.gram(a, base + i * rs, rs, cs, rows - i, n, y, yBase + i * ys, ys, acc);
    }

    /** Lane accumulators of entries (u, v), v = u … w − 1, += tile_u·tile_v. */
    private static void column(double[] s, int tile, int w, int u) {
        DoubleVector xu = DoubleVector.fromArray(S, s, tile + u * L);
        int e = u * w - u * (u - 1) / 2;
        for (int v = u; v < w; v++, e++) {
            DoubleVector xv = DoubleVector.fromArray(S, s, tile + v * L);
            DoubleVector p = xu.mul(xv);
            DoubleVector pe = xu.fma(xv, p.neg());
            int k = 2 * e * L;
            DoubleVector h = DoubleVector.fromArray(S, s, k);
            DoubleVector t = h.add(p);
            DoubleVector bb = t.sub(h);
            t.intoArray(s, k);
            DoubleVector.fromArray(S, s, k + L).add(h.sub(t.sub(bb)).add(p.sub(bb)).add(pe)).intoArray(s, k + L);
        }
    }

    /** acc(u, v) += Σ_lane (hi + lo), lanes in order. */
    private static void reduce(double[] s, int w, double[] acc) {
        int e = 0;
        for (int u = 0; u < w; u++) {
            for (int v = u; v < w; v++, e++) {
                int k = 2 * e * L;
                for (int l = 0; l < L; l++) CompensatedScalar.add(acc, 2 * (u * w + v), s[k + l], s[k + L + l]);
            }
        }
    }
}
