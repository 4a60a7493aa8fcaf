package dev.vecgd.kernel;

/**
 * The reference Gram (symmetric rank-k) update, and the element-by-element code the vector kernel uses
 * for the entries its register tiles do not cover.
 * <pre>
 *   for 0 ≤ p ≤ q &lt; k:   for r = 0, 1, …, cnt − 1:   c[p·ldc + q] ← fma(a_rp, a_rq, c[p·ldc + q])
 *   with a_rp = a[aOff + r·lda + p]
 * </pre>
 * Each entry of C is one chain of fused multiply-adds in row order, starting from its old value. The
 * product of two doubles is commutative and the fma rounds once, so any implementation that keeps this
 * chain per entry (the vector kernel does: one lane per entry) gives the same bits — at every vector width,
 * for every tiling, and for every way of cutting the rows into consecutive calls.
 */
final class GramKernelScalar {

    private GramKernelScalar() {
    }

    /** The whole upper triangle, entry by entry. */
    static void gramAdd(double[] a, int aOff, int lda, int k, int cnt, double[] c, int ldc) {
        addElements(a, aOff, lda, cnt, 0, k, 0, k, c, ldc);
    }

    /**
     * The entries (p, q) with {@code pFrom ≤ p < pTo}, {@code qFrom ≤ q < qTo} and {@code q ≥ p}.
     */
    static void addElements(double[] a, int aOff, int lda, int cnt, int pFrom, int pTo, int qFrom, int qTo,
                            double[] c, int ldc) {
        for (int p = pFrom; p < pTo; p++) {
            for (int q = Math.max(p, qFrom); q < qTo; q++) {
                double acc = c[p * ldc + q];
                int ap = aOff + p;
                int aq = aOff + q;
                for (int r = 0; r < cnt; r++) {
                    int row = r * lda;
                    acc = Math.fma(a[ap + row], a[aq + row], acc);
                }
                c[p * ldc + q] = acc;
            }
        }
    }
}
