package dev.vecgd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API implementation. Loaded reflectively by {@link KernelProvider} only after it has
 * checked that {@code jdk.incubator.vector} is resolved.
 *
 * <p>The species is a {@code static final} constant (chosen once from
 * {@value KernelProvider#BITS_PROPERTY}): C2 compiles vector code to SIMD instructions only when the
 * species is a constant, so it must never live in a field or parameter. Vectors never live in fields
 * either (they would be boxed).
 *
 * <p>Row-major kernels read each row once: its dot product with θ (a horizontal reduction), then its
 * contribution {@code r_i·x_i} to the gradient while the row is still in L1. For rows of at most
 * two vectors θ and the gradient stay in registers for the whole call. Column-major kernels work on
 * blocks of {@link #blockRows(int)} rows: {@code r_block = X_block·θ + b − y_block} four columns per
 * pass (axpy-like), then {@code g_j += X_block[:, j]·r_block} four columns per pass (dot-like, four
 * accumulators) while the block is still in L2, so X is read from memory once.
 */
final class VectorKernels implements KernelImpl {

    static final VectorSpecies<Double> S = chooseSpecies();
    private static final int L = S.length();
    /** Largest column block; its residuals (16 KiB) stay in L1 across the passes over the block's columns. */
    private static final int MAX_BLOCK = 2048;
    /**
     * Start of the scratch array's lane buffer (room for four vectors): the column kernels reduce a
     * vector by storing it there and adding its lanes in order ({@link #sumLanes}), so no vector is passed
     * to a call that C2 may leave un-inlined at these cold call sites (it would then box the vector).
     */
    private static final int LANES = MAX_BLOCK;
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[LANES + 4 * L]);
    /** Gather offsets of {@link #standardizeRowsToColumns}, then the row stride they were made for. */
    private static final ThreadLocal<int[]> GATHER = ThreadLocal.withInitial(() -> {
        int[] g = new int[L + 1];
        g[L] = -1;
        return g;
    });

    private VectorKernels() {
    }

    /** Called reflectively by {@link KernelProvider}; null when vectors hold fewer than two doubles. */
    static KernelImpl create() {
        return L >= 2 ? new VectorKernels() : null;
    }

    private static VectorSpecies<Double> chooseSpecies() {
        String bits = System.getProperty(KernelProvider.BITS_PROPERTY, "preferred").trim();
        VectorSpecies<Double> preferred = DoubleVector.SPECIES_PREFERRED;
        VectorSpecies<Double> wanted = switch (bits) {
            case "512" -> DoubleVector.SPECIES_512;
            case "256" -> DoubleVector.SPECIES_256;
            case "128" -> DoubleVector.SPECIES_128;
            default -> preferred;
        };
        // A species wider than the hardware's is emulated, slowly: never choose one.
        return wanted.vectorBitSize() <= preferred.vectorBitSize() ? wanted : preferred;
    }

    /**
     * Rows per column-major block: about 512 KiB of X (so the block is still in L2 for the gradient
     * pass), between 64 and {@value #MAX_BLOCK}, and an <em>odd</em> multiple of 32 rows: a multiple of
     * 32 so no block has a vector tail, odd so that consecutive blocks do not start at the same offset
     * modulo 4 KiB (with a power-of-two column stride every column of a block already does, so all of
     * them fall in the same L1 sets).
     */
    static int blockRows(int n) {
        int rows = Math.max(64, Math.min(MAX_BLOCK, (65536 / Math.max(1, n)) & ~31));
        return (rows & 32) != 0 ? rows : rows - 32;
    }

    @Override
    public String name() {
        return "vector: " + S.vectorBitSize() + "-bit, " + L + " doubles per vector";
    }

    @Override
    public int vectorBits() {
        return S.vectorBitSize();
    }

    /**
     * Sum of the lanes, left to right. {@code reduceLanes(ADD)} may add in any order, and does add in a
     * different order once C2 compiles it than in the interpreter, so a kernel's result would depend on
     * whether it had been compiled yet; a fixed order keeps every call bit-reproducible.
     */
    static double hsum(DoubleVector v) {
        // A fixed butterfly: lanes i and i^h are added for h = L/2, ..., 1. Each step is one constant
        // permutation and one lanewise add, so the order is the same compiled or interpreted.
        if (L >= 8) v = v.add(v.rearrange(SWAP4));
        if (L >= 4) v = v.add(v.rearrange(SWAP2));
        v = v.add(v.rearrange(SWAP1));
        return v.lane(0);
    }

    private static final VectorShuffle<Double> SWAP1 = xorShuffle(1);
    private static final VectorShuffle<Double> SWAP2 = xorShuffle(2);
    private static final VectorShuffle<Double> SWAP4 = xorShuffle(4);

    private static final VectorShuffle<Double> SWAP_HALF = xorShuffle(L / 2);
    private static final VectorMask<Double> UPPER_HALF = VectorMask.fromLong(S, ((1L << L) - 1) & -(1L << (L / 2)));

    private static VectorShuffle<Double> xorShuffle(int h) {
        return h < L ? VectorShuffle.fromOp(S, i -> i ^ h) : null;
    }

    /** {@code buf[off] + buf[off+1] + … + buf[off+L-1]}, left to right (the lanes a vector was stored as). */
    private static double sumLanes(double[] buf, int off) {
        double s = buf[off];
        for (int k = 1; k < L; k++) {
            s += buf[off + k];
        }
        return s;
    }

    // ------------------------------------------------------------------ cross products

    /**
     * The Gram update of a column-major block: for each column p, four columns q share each load of
     * column p (four accumulators), the lanes of each accumulator are added in order, then the rows
     * past the last full vector are added in row order.
     */
    @Override
    public void crossProductsAdd(double[] a, int lda, int k, int cnt, double[] v, double[] c, double[] d) {
        double[] lanes = SCRATCH.get();
        int upper = S.loopBound(cnt);
        for (int p = 0; p < k; p++) {
            int ap = p * lda;
            int q = p;
            for (; q + 3 < k; q += 4) {
                int a0 = q * lda;
                int a1 = a0 + lda;
                int a2 = a1 + lda;
                int a3 = a2 + lda;
                DoubleVector s0 = DoubleVector.zero(S);
                DoubleVector s1 = DoubleVector.zero(S);
                DoubleVector s2 = DoubleVector.zero(S);
                DoubleVector s3 = DoubleVector.zero(S);
                for (int r = 0; r < upper; r += L) {
                    DoubleVector xp = DoubleVector.fromArray(S, a, ap + r);
                    s0 = xp.fma(DoubleVector.fromArray(S, a, a0 + r), s0);
                    s1 = xp.fma(DoubleVector.fromArray(S, a, a1 + r), s1);
                    s2 = xp.fma(DoubleVector.fromArray(S, a, a2 + r), s2);
                    s3 = xp.fma(DoubleVector.fromArray(S, a, a3 + r), s3);
                }
                s0.intoArray(lanes, LANES);
                s1.intoArray(lanes, LANES + L);
                s2.intoArray(lanes, LANES + 2 * L);
                s3.intoArray(lanes, LANES + 3 * L);
                double t0 = sumLanes(lanes, LANES);
                double t1 = sumLanes(lanes, LANES + L);
                double t2 = sumLanes(lanes, LANES + 2 * L);
                double t3 = sumLanes(lanes, LANES + 3 * L);
                for (int r = upper; r < cnt; r++) {
                    double xp = a[ap + r];
                    t0 += xp * a[a0 + r];
                    t1 += xp * a[a1 + r];
                    t2 += xp * a[a2 + r];
                    t3 += xp * a[a3 + r];
                }
                int cp = p * k + q;
                c[cp] += t0;
                c[cp + 1] += t1;
                c[cp + 2] += t2;
                c[cp + 3] += t3;
            }
            for (; q < k; q++) {
                c[p * k + q] += dot(a, ap, a, q * lda, cnt, upper, lanes);
            }
            d[p] += dot(a, ap, v, 0, cnt, upper, lanes);
        }
    }

    /**
     * Column by column: L rows of one column gathered at stride ldx, standardized lanewise, stored
     * contiguously; the rows past the last full vector in plain Java (the same two roundings).
     */
    @Override
    public void standardizeRowsToColumns(double[] x, int xOff, int ldx, int rows, int n, double[] mean,
                                         double[] scale, double[] out, int ldo) {
        int[] stride = GATHER.get(); // lane i reads row i: i·ldx; slot L remembers ldx (called once per block)
        if (stride[L] != ldx) {
            for (int i = 0; i < L; i++) stride[i] = i * ldx;
            stride[L] = ldx;
        }
        int upper = S.loopBound(rows);
        for (int j = 0; j < n; j++) {
            double mu = mean[j];
            double s = scale[j];
            int col = j * ldo;
            for (int r = 0; r < upper; r += L) {
                DoubleVector.fromArray(S, x, xOff + r * ldx + j, stride, 0).sub(mu).mul(s).intoArray(out, col + r);
            }
            for (int r = upper; r < rows; r++) out[col + r] = (x[xOff + r * ldx + j] - mu) * s;
        }
    }

    /** {@code Σ_{r<cnt} x[xi + r]·y[yi + r]}: lanes in order, then the tail in row order. */
    private static double dot(double[] x, int xi, double[] y, int yi, int cnt, int upper, double[] lanes) {
        DoubleVector s = DoubleVector.zero(S);
        for (int r = 0; r < upper; r += L) {
            s = DoubleVector.fromArray(S, x, xi + r).fma(DoubleVector.fromArray(S, y, yi + r), s);
        }
        s.intoArray(lanes, LANES);
        double t = sumLanes(lanes, LANES);
        for (int r = upper; r < cnt; r++) t += x[xi + r] * y[yi + r];
        return t;
    }

    // ------------------------------------------------------------------ row-major

    @Override
    public double residualsRow(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                               double[] y, int yOff, int yInc, double[] r, int rOff, int from, int to) {
        int full = S.loopBound(n);
        VectorMask<Double> tail = S.indexInRange(full, n);
        boolean hasTail = full < n;
        double ss = 0;
        for (int i = from; i < to; i++) {
            double ri = rowDot(x, xOff + i * ldx, theta, full, tail, hasTail) + b
                    - (y == null ? 0 : y[yOff + i * yInc]);
            if (r != null) r[rOff + i] = ri;
            ss += ri * ri;
        }
        return ss;
    }

    @Override
    public double gradientAddRow(double[] x, int xOff, int ldx, int n, double[] r, int rOff, double[] g,
                                 int from, int to) {
        int full = S.loopBound(n);
        VectorMask<Double> tail = S.indexInRange(full, n);
        boolean hasTail = full < n;
        double sum = 0;
        for (int i = from; i < to; i++) {
            double ri = r[rOff + i];
            rowAxpy(x, xOff + i * ldx, ri, g, full, tail, hasTail);
            sum += ri;
        }
        return sum;
    }

    @Override
    public double fusedRow(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                           double[] y, int yOff, int yInc, double[] r, int rOff, double[] g, int from, int to) {
        if (n == 1 && ldx == 1) {
            // One contiguous column: the same data as a column-major single column.
            return fusedCol(x, xOff, 1, 1, theta, b, y, yOff, yInc, r, rOff, g, from, to);
        }
        if (n <= L) return fusedRow1(x, xOff, ldx, n, theta, b, y, yOff, yInc, r, rOff, g, from, to);
        if (n <= 2 * L) return fusedRow2(x, xOff, ldx, n, theta, b, y, yOff, yInc, r, rOff, g, from, to);
        int full = S.loopBound(n);
        VectorMask<Double> tail = S.indexInRange(full, n);
        boolean hasTail = full < n;
        double ss = 0;
        double sum = 0;
        for (int i = from; i < to; i++) {
            int base = xOff + i * ldx;
            double ri = rowDot(x, base, theta, full, tail, hasTail) + b - y[yOff + i * yInc];
            if (r != null) r[rOff + i] = ri;
            // The row was just read for the dot product: this second read hits L1.
            rowAxpy(x, base, ri, g, full, tail, hasTail);
            ss += ri * ri;
            sum += ri;
        }
        g[n] += sum;
        return ss;
    }

    /** Rows of at most one vector: θ and the gradient live in registers for the whole call. */
    private static double fusedRow1(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                                    double[] y, int yOff, int yInc, double[] r, int rOff, double[] g,
                                    int from, int to) {
        VectorMask<Double> m0 = S.indexInRange(0, n);
        DoubleVector t0 = DoubleVector.fromArray(S, theta, 0, m0);
        DoubleVector g0 = DoubleVector.zero(S);
        double ss = 0;
        double sum = 0;
        for (int i = from; i < to; i++) {
            DoubleVector v0 = DoubleVector.fromArray(S, x, xOff + i * ldx, m0);
            double ri = hsum(v0.mul(t0)) + b - y[yOff + i * yInc];
            if (r != null) r[rOff + i] = ri;
            g0 = v0.fma(DoubleVector.broadcast(S, ri), g0);
            ss += ri * ri;
            sum += ri;
        }
        DoubleVector.fromArray(S, g, 0, m0).add(g0).intoArray(g, 0, m0);
        g[n] += sum;
        return ss;
    }

    /**
     * Rows of one to two vectors (e.g. n = 16 with 8 lanes): θ and the gradient live in registers.
     * Two rows per iteration share one horizontal reduction ({@link #pairSum}).
     */
    private static double fusedRow2(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                                    double[] y, int yOff, int yInc, double[] r, int rOff, double[] g,
                                    int from, int to) {
        VectorMask<Double> m1 = S.indexInRange(L, n);
        DoubleVector t0 = DoubleVector.fromArray(S, theta, 0);
        DoubleVector t1 = DoubleVector.fromArray(S, theta, L, m1);
        DoubleVector g0 = DoubleVector.zero(S);
        DoubleVector g1 = DoubleVector.zero(S);
        double ss = 0;
        double sum = 0;
        int i = from;
        for (int end = to - 1; i < end; i += 2) {
            int base = xOff + i * ldx;
            int next = base + ldx;
            DoubleVector v0 = DoubleVector.fromArray(S, x, base);
            DoubleVector v1 = DoubleVector.fromArray(S, x, base + L, m1);
            DoubleVector w0 = DoubleVector.fromArray(S, x, next);
            DoubleVector w1 = DoubleVector.fromArray(S, x, next + L, m1);
            DoubleVector dots = pairSum(v1.fma(t1, v0.mul(t0)), w1.fma(t1, w0.mul(t0)));
            double ri = dots.lane(0) + b - y[yOff + i * yInc];
            double rj = dots.lane(L / 2) + b - y[yOff + (i + 1) * yInc];
            if (r != null) {
                r[rOff + i] = ri;
                r[rOff + i + 1] = rj;
            }
            DoubleVector rb = DoubleVector.broadcast(S, ri);
            DoubleVector rc = DoubleVector.broadcast(S, rj);
            g0 = w0.fma(rc, v0.fma(rb, g0));
            g1 = w1.fma(rc, v1.fma(rb, g1));
            ss += ri * ri;
            ss += rj * rj;
            sum += ri;
            sum += rj;
        }
        for (; i < to; i++) {
            int base = xOff + i * ldx;
            DoubleVector v0 = DoubleVector.fromArray(S, x, base);
            DoubleVector v1 = DoubleVector.fromArray(S, x, base + L, m1);
            double ri = hsum(v1.fma(t1, v0.mul(t0))) + b - y[yOff + i * yInc];
            if (r != null) r[rOff + i] = ri;
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

    /**
     * Two horizontal sums for the price of about one: lane 0 of the result is the sum of p's lanes,
     * lane L/2 the sum of q's. The first butterfly step is done on both, their halves are merged by a
     * blend, and the remaining steps run once. The order of the additions is fixed.
     */
    static DoubleVector pairSum(DoubleVector p, DoubleVector q) {
        DoubleVector c = p.add(p.rearrange(SWAP_HALF)).blend(q.add(q.rearrange(SWAP_HALF)), UPPER_HALF);
        if (L >= 8) c = c.add(c.rearrange(SWAP2));
        if (L >= 4) c = c.add(c.rearrange(SWAP1));
        return c;
    }

    /** {@code x[base .. base+n) · θ[0 .. n)} with four accumulators (two FMAs can issue per cycle). */
    private static double rowDot(double[] x, int base, double[] theta, int full, VectorMask<Double> tail,
                                 boolean hasTail) {
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = DoubleVector.zero(S);
        DoubleVector a2 = DoubleVector.zero(S);
        DoubleVector a3 = DoubleVector.zero(S);
        int j = 0;
        for (int full4 = full - 3 * L; j < full4; j += 4 * L) {
            a0 = DoubleVector.fromArray(S, x, base + j).fma(DoubleVector.fromArray(S, theta, j), a0);
            a1 = DoubleVector.fromArray(S, x, base + j + L).fma(DoubleVector.fromArray(S, theta, j + L), a1);
            a2 = DoubleVector.fromArray(S, x, base + j + 2 * L).fma(DoubleVector.fromArray(S, theta, j + 2 * L), a2);
            a3 = DoubleVector.fromArray(S, x, base + j + 3 * L).fma(DoubleVector.fromArray(S, theta, j + 3 * L), a3);
        }
        for (; j < full; j += L) {
            a0 = DoubleVector.fromArray(S, x, base + j).fma(DoubleVector.fromArray(S, theta, j), a0);
        }
        if (hasTail) {
            a1 = DoubleVector.fromArray(S, x, base + j, tail).fma(DoubleVector.fromArray(S, theta, j, tail), a1);
        }
        return hsum(a0.add(a1).add(a2.add(a3)));
    }

    /** {@code g[0 .. n) += ri · x[base .. base+n)}. */
    private static void rowAxpy(double[] x, int base, double ri, double[] g, int full, VectorMask<Double> tail,
                                boolean hasTail) {
        DoubleVector rb = DoubleVector.broadcast(S, ri);
        int j = 0;
        for (; j < full; j += L) {
            DoubleVector.fromArray(S, x, base + j).fma(rb, DoubleVector.fromArray(S, g, j)).intoArray(g, j);
        }
        if (hasTail) {
            DoubleVector.fromArray(S, x, base + j, tail).fma(rb, DoubleVector.fromArray(S, g, j, tail))
                    .intoArray(g, j, tail);
        }
    }

    // ------------------------------------------------------------------ column-major

    @Override
    public double residualsCol(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                               double[] y, int yOff, int yInc, double[] r, int rOff, int from, int to) {
        int block = blockRows(n);
        double[] scratch = SCRATCH.get();
        double[] out = r != null ? r : scratch;
        double ss = 0;
        for (int i0 = from; i0 < to; i0 += block) {
            int i1 = Math.min(to, i0 + block);
            int o = r != null ? rOff : -i0;
            initBlock(b, y, yOff, yInc, out, o, i0, i1);
            axpyColumns(x, xOff, ldx, n, theta, out, o, i0, i1);
            ss += sumSquares(out, o, i0, i1, scratch);
        }
        return ss;
    }

    @Override
    public double gradientAddCol(double[] x, int xOff, int ldx, int n, double[] r, int rOff, double[] g,
                                 int from, int to) {
        int block = blockRows(n);
        double[] scratch = SCRATCH.get();
        double sum = 0;
        for (int i0 = from; i0 < to; i0 += block) {
            int i1 = Math.min(to, i0 + block);
            dotColumns(x, xOff, ldx, n, r, rOff, g, i0, i1, scratch);
            sum += sum(r, rOff, i0, i1, scratch);
        }
        return sum;
    }

    /**
     * Blocked: the residuals of a block are formed from X four columns per pass (a read from memory),
     * then the block's gradient four columns per pass while its rows are still in L2. (A
     * software-pipelined variant, forming block k's residuals in the same loop as block k−1's gradient,
     * was no faster here and C2 boxed its vectors at every block.)
     */
    @Override
    public double fusedCol(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                           double[] y, int yOff, int yInc, double[] r, int rOff, double[] g, int from, int to) {
        double[] scratch = SCRATCH.get();
        if (n == 1 && yInc == 1) return fusedSingleColumn(x, xOff, theta[0], b, y, yOff, r, rOff, g, from, to, scratch);
        int block = blockRows(n);
        double[] out = r != null ? r : scratch;
        double ss = 0;
        double sum = 0;
        for (int i0 = from; i0 < to; i0 += block) {
            int i1 = Math.min(to, i0 + block);
            int o = r != null ? rOff : -i0;
            initBlock(b, y, yOff, yInc, out, o, i0, i1);
            axpyColumns(x, xOff, ldx, n, theta, out, o, i0, i1);
            ss += sumSquares(out, o, i0, i1, scratch);
            dotColumns(x, xOff, ldx, n, out, o, g, i0, i1, scratch);
            sum += sum(out, o, i0, i1, scratch);
        }
        g[n] += sum;
        return ss;
    }

    /** n = 1, y contiguous: one streaming pass with everything in registers. */
    private static double fusedSingleColumn(double[] x, int xOff, double theta0, double b, double[] y, int yOff,
                                            double[] r, int rOff, double[] g, int from, int to, double[] buf) {
        DoubleVector tb = DoubleVector.broadcast(S, theta0);
        DoubleVector bb = DoubleVector.broadcast(S, b);
        DoubleVector g0 = DoubleVector.zero(S), g1 = DoubleVector.zero(S);
        DoubleVector q0 = DoubleVector.zero(S), q1 = DoubleVector.zero(S);
        DoubleVector s0 = DoubleVector.zero(S), s1 = DoubleVector.zero(S);
        int i = from;
        for (int bound = to - 2 * L + 1; i < bound; i += 2 * L) {
            DoubleVector x0 = DoubleVector.fromArray(S, x, xOff + i);
            DoubleVector x1 = DoubleVector.fromArray(S, x, xOff + i + L);
            DoubleVector r0 = x0.fma(tb, bb).sub(DoubleVector.fromArray(S, y, yOff + i));
            DoubleVector r1 = x1.fma(tb, bb).sub(DoubleVector.fromArray(S, y, yOff + i + L));
            if (r != null) {
                r0.intoArray(r, rOff + i);
                r1.intoArray(r, rOff + i + L);
            }
            g0 = x0.fma(r0, g0);
            g1 = x1.fma(r1, g1);
            q0 = r0.fma(r0, q0);
            q1 = r1.fma(r1, q1);
            s0 = s0.add(r0);
            s1 = s1.add(r1);
        }
        g0.add(g1).intoArray(buf, LANES);
        q0.add(q1).intoArray(buf, LANES + L);
        s0.add(s1).intoArray(buf, LANES + 2 * L);
        double gs = sumLanes(buf, LANES);
        double ss = sumLanes(buf, LANES + L);
        double sum = sumLanes(buf, LANES + 2 * L);
        for (; i < to; i++) {
            double xi = x[xOff + i];
            double ri = xi * theta0 + b - y[yOff + i];
            if (r != null) r[rOff + i] = ri;
            gs += ri * xi;
            ss += ri * ri;
            sum += ri;
        }
        g[0] += gs;
        g[1] += sum;
        return ss;
    }

    /** {@code out[o + i] = b − y_i} (or b when y is null) for {@code i0 ≤ i < i1}. */
    private static void initBlock(double b, double[] y, int yOff, int yInc, double[] out, int o, int i0, int i1) {
        int vEnd = i0 + S.loopBound(i1 - i0);
        DoubleVector bb = DoubleVector.broadcast(S, b);
        int i = i0;
        if (y == null) {
            for (; i < vEnd; i += L) bb.intoArray(out, o + i);
            for (; i < i1; i++) out[o + i] = b;
        } else if (yInc == 1) {
            for (; i < vEnd; i += L) bb.sub(DoubleVector.fromArray(S, y, yOff + i)).intoArray(out, o + i);
            for (; i < i1; i++) out[o + i] = b - y[yOff + i];
        } else {
            for (; i < i1; i++) out[o + i] = b - y[yOff + i * yInc];
        }
    }

    /** {@code out[o + i] += Σ_j x_ij·θ_j} for {@code i0 ≤ i < i1}, four columns per pass over the block. */
    private static void axpyColumns(double[] x, int xOff, int ldx, int n, double[] theta, double[] out, int o,
                                    int i0, int i1) {
        int vEnd = i0 + S.loopBound(i1 - i0);
        int i;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int c0 = xOff + j * ldx, c1 = c0 + ldx, c2 = c1 + ldx, c3 = c2 + ldx;
            DoubleVector t0 = DoubleVector.broadcast(S, theta[j]);
            DoubleVector t1 = DoubleVector.broadcast(S, theta[j + 1]);
            DoubleVector t2 = DoubleVector.broadcast(S, theta[j + 2]);
            DoubleVector t3 = DoubleVector.broadcast(S, theta[j + 3]);
            for (i = i0; i < vEnd; i += L) {
                DoubleVector p01 = DoubleVector.fromArray(S, x, c1 + i).fma(t1, DoubleVector.fromArray(S, x, c0 + i).mul(t0));
                DoubleVector p23 = DoubleVector.fromArray(S, x, c3 + i).fma(t3, DoubleVector.fromArray(S, x, c2 + i).mul(t2));
                DoubleVector.fromArray(S, out, o + i).add(p01.add(p23)).intoArray(out, o + i);
            }
            for (; i < i1; i++) {
                out[o + i] += (x[c0 + i] * theta[j] + x[c1 + i] * theta[j + 1])
                        + (x[c2 + i] * theta[j + 2] + x[c3 + i] * theta[j + 3]);
            }
        }
        for (; j < n; j++) {
            int c0 = xOff + j * ldx;
            double tj = theta[j];
            DoubleVector t0 = DoubleVector.broadcast(S, tj);
            for (i = i0; i < vEnd; i += L) {
                DoubleVector.fromArray(S, x, c0 + i).fma(t0, DoubleVector.fromArray(S, out, o + i)).intoArray(out, o + i);
            }
            for (; i < i1; i++) out[o + i] += x[c0 + i] * tj;
        }
    }

    /**
     * {@code g[j] += Σ_{i0 ≤ i < i1} r[o + i]·x_ij}, four columns per pass, each with its own accumulator
     * sharing the load of r.
     */
    private static void dotColumns(double[] x, int xOff, int ldx, int n, double[] r, int o, double[] g,
                                   int i0, int i1, double[] buf) {
        int vEnd = i0 + S.loopBound(i1 - i0);
        int i;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int c0 = xOff + j * ldx, c1 = c0 + ldx, c2 = c1 + ldx, c3 = c2 + ldx;
            DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S);
            DoubleVector a2 = DoubleVector.zero(S), a3 = DoubleVector.zero(S);
            for (i = i0; i < vEnd; i += L) {
                DoubleVector rv = DoubleVector.fromArray(S, r, o + i);
                a0 = DoubleVector.fromArray(S, x, c0 + i).fma(rv, a0);
                a1 = DoubleVector.fromArray(S, x, c1 + i).fma(rv, a1);
                a2 = DoubleVector.fromArray(S, x, c2 + i).fma(rv, a2);
                a3 = DoubleVector.fromArray(S, x, c3 + i).fma(rv, a3);
            }
            a0.intoArray(buf, LANES);
            a1.intoArray(buf, LANES + L);
            a2.intoArray(buf, LANES + 2 * L);
            a3.intoArray(buf, LANES + 3 * L);
            double s0 = sumLanes(buf, LANES), s1 = sumLanes(buf, LANES + L);
            double s2 = sumLanes(buf, LANES + 2 * L), s3 = sumLanes(buf, LANES + 3 * L);
            for (; i < i1; i++) {
                double ri = r[o + i];
                s0 += ri * x[c0 + i];
                s1 += ri * x[c1 + i];
                s2 += ri * x[c2 + i];
                s3 += ri * x[c3 + i];
            }
            g[j] += s0;
            g[j + 1] += s1;
            g[j + 2] += s2;
            g[j + 3] += s3;
        }
        for (; j < n; j++) {
            int c0 = xOff + j * ldx;
            DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S);
            i = i0;
            for (int bound = vEnd - L; i < bound; i += 2 * L) {
                a0 = DoubleVector.fromArray(S, x, c0 + i).fma(DoubleVector.fromArray(S, r, o + i), a0);
                a1 = DoubleVector.fromArray(S, x, c0 + i + L).fma(DoubleVector.fromArray(S, r, o + i + L), a1);
            }
            for (; i < vEnd; i += L) {
                a0 = DoubleVector.fromArray(S, x, c0 + i).fma(DoubleVector.fromArray(S, r, o + i), a0);
            }
            a0.add(a1).intoArray(buf, LANES);
            double s = sumLanes(buf, LANES);
            for (; i < i1; i++) s += r[o + i] * x[c0 + i];
            g[j] += s;
        }
    }

    /** {@code Σ v[o + i]²} for {@code i0 ≤ i < i1}. */
    private static double sumSquares(double[] v, int o, int i0, int i1, double[] buf) {
        int vEnd = i0 + S.loopBound(i1 - i0);
        DoubleVector q0 = DoubleVector.zero(S);
        int i = i0;
        for (; i < vEnd; i += L) {
            DoubleVector t = DoubleVector.fromArray(S, v, o + i);
            q0 = t.fma(t, q0);
        }
        q0.intoArray(buf, LANES);
        double ss = sumLanes(buf, LANES);
        for (; i < i1; i++) ss += v[o + i] * v[o + i];
        return ss;
    }

    /** {@code Σ v[o + i]} for {@code i0 ≤ i < i1}. */
    private static double sum(double[] v, int o, int i0, int i1, double[] buf) {
        int vEnd = i0 + S.loopBound(i1 - i0);
        DoubleVector s0 = DoubleVector.zero(S);
        int i = i0;
        for (; i < vEnd; i += L) s0 = s0.add(DoubleVector.fromArray(S, v, o + i));
        s0.intoArray(buf, LANES);
        double sum = sumLanes(buf, LANES);
        for (; i < i1; i++) sum += v[o + i];
        return sum;
    }
}
