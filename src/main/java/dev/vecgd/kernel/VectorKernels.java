package dev.vecgd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
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
 * <p>Row-major kernels work on blocks of L rows (L doubles per vector) and read each row once: the L
 * rows' dot products with θ as L vectors, one transpose-add tree that leaves row k's dot product in
 * lane k, so the block's residuals are one vector; then each row's {@code r_k·x_k} is added to the
 * gradient (in registers for rows of at most two vectors — one at 8 lanes —, else into a per-call
 * buffer once per block)
 * while the rows are still in L1 — see the comment on the row-major section for the summation order.
 * Column-major kernels work on blocks of {@link #blockRows(int)} rows: {@code r_block = X_block·θ + b −
 * y_block} four columns per pass (axpy-like), then {@code g_j += X_block[:, j]·r_block} four columns per
 * pass (dot-like, four accumulators) while the block is still in L2, so X is read from memory once.
 *
 * <p><b>Allocation-free at every width</b> (512, 256 and 128 bits; {@code AllocationGuardTest} checks each
 * public kernel after polluting the profiles). C2 keeps a vector in registers only while every operation
 * on it is intrinsified and inlined into one compilation; otherwise it boxes it (an object per operation
 * per row). So: no Vector, VectorMask or VectorShuffle crosses a method of ours; no vector is merged from
 * two branches (y is read by one load from y or from a lane buffer; r is stored unconditionally); no
 * masked load (none exists for 2-lane doubles on x86, nor on NEON): a row's last vector is read whole and
 * its lanes past n cleared with an AND; at L = 2 there is no rearrange or blend either (not intrinsified
 * for 2-lane doubles on x86), lanes are added by extraction; every method holding vector code is too big
 * for C2 to inline into a caller (which may have exhausted its inlining budget); and blocks never read
 * past the range's last element, so the Vector API never takes its out-of-range path.
 */
final class VectorKernels implements KernelImpl {

    static final VectorSpecies<Double> S = chooseSpecies();
    private static final int L = S.length();
    /** Longs of the same shape: a row's last, partial vector is loaded whole and its lanes past n cleared by an AND. */
    static final VectorSpecies<Long> LS = longSpecies(S.vectorBitSize());
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

    private static VectorSpecies<Long> longSpecies(int bits) {
        return switch (bits) {
            case 512 -> LongVector.SPECIES_512;
            case 256 -> LongVector.SPECIES_256;
            case 128 -> LongVector.SPECIES_128;
            default -> LongVector.SPECIES_64;
        };
    }

    /**
     * Rows per column-major block: about 512 KiB of X (so the block is still in L2 for the gradient
     * pass), at most {@value #MAX_BLOCK}, and an <em>odd</em> multiple of 32 rows (so 32 rows from n = 683
     * columns up, where 512 KiB would be fewer than 96 rows; tested in KernelImplementationsTest): a multiple of
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

    static final VectorShuffle<Double> SWAP1 = xorShuffle(1);
    static final VectorShuffle<Double> SWAP2 = xorShuffle(2);
    static final VectorShuffle<Double> SWAP4 = xorShuffle(4);

    /** Lane i goes to lane i ^ h (null when h ≥ L: the code using it is then dead). */
    private static VectorShuffle<Double> xorShuffle(int h) {
        return h < L ? VectorShuffle.fromOp(S, i -> i ^ h) : null;
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

    /** The compensated fused pass lives in its own class ({@link CompensatedVector}). */
    @Override
    public void compensatedFusedRow(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                                    int yOff, int yInc, int from, int to, double[] acc) {
        CompensatedVector.fusedRow(x, xOff, ldx, n, theta, b, y, yOff, yInc, from, to, acc);
    }

    @Override
    public void compensatedFusedCol(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                                    int yOff, int yInc, int from, int to, double[] acc) {
        CompensatedVector.fusedCol(x, xOff, ldx, n, theta, b, y, yOff, yInc, from, to, acc);
    }

    @Override
    public void compensatedGram(double[] a, int base, int rs, int cs, int rows, int n, double[] y, int yBase, int ys,
                                double[] acc) {
        CompensatedGramVector.gram(a, base, rs, cs, rows, n, y, yBase, ys, acc);
    }

    /** The register-blocked Gram update lives in its own class ({@link GramKernelVector}). */
    @Override
    public void gramAdd(double[] a, int aOff, int lda, int k, int cnt, double[] c, int ldc) {
        GramKernelVector.gramAdd(a, aOff, lda, k, cnt, c, ldc);
    }

    /** The weighted packing step lives in {@link PackKernelVector} too. */
    @Override
    public void copyWeightedRows(double[] x, int xOff, int ldx, int rows, int n, double[] shift, double[] scale,
                                 double[] sw, int swOff, double[] out, int oOff, int ldo) {
        PackKernelVector.copyWeightedRows(x, xOff, ldx, rows, n, shift, scale, sw, swOff, out, oOff, ldo);
    }

    /** The packing step of a Gram pass lives in its own class ({@link PackKernelVector}). */
    @Override
    public void copyShiftedRows(double[] x, int xOff, int ldx, int rows, int n, double[] shift, double[] out,
                                int oOff, int ldo, double[] absMax) {
        PackKernelVector.copyShiftedRows(x, xOff, ldx, rows, n, shift, out, oOff, ldo, absMax);
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
        // Two-lane gathers are not compiled to SIMD on x86 nor on NEON (C2 would box every vector), and a
        // gather of two gains nothing over two loads: at L = 2 every row takes the plain loop.
        int upper = L == 2 ? 0 : S.loopBound(rows);
        // Two columns per pass (both gathers share the offsets); this also keeps the method above C2's inlining
        // size, so its vectors are never compiled inside a caller that has run out of inlining budget.
        int j = 0;
        for (; j + 1 < n; j += 2) {
            double mu0 = mean[j], s0 = scale[j];
            double mu1 = mean[j + 1], s1 = scale[j + 1];
            int col0 = j * ldo;
            int col1 = col0 + ldo;
            for (int r = 0; r < upper; r += L) {
                int base = xOff + r * ldx + j;
                DoubleVector.fromArray(S, x, base, stride, 0).sub(mu0).mul(s0).intoArray(out, col0 + r);
                DoubleVector.fromArray(S, x, base + 1, stride, 0).sub(mu1).mul(s1).intoArray(out, col1 + r);
            }
            for (int r = upper; r < rows; r++) {
                int base = xOff + r * ldx + j;
                out[col0 + r] = (x[base] - mu0) * s0;
                out[col1 + r] = (x[base + 1] - mu1) * s1;
            }
        }
        if (j < n) {
            // The odd last column in plain Java: a loop of single gathers here was left uncompiled by C2 in
            // some JVM histories and boxed every vector (AllocationGuardTest, n = 1).
            double mu = mean[j];
            double sj = scale[j];
            int col = j * ldo;
            for (int r = 0; r < rows; r++) out[col + r] = (x[xOff + r * ldx + j] - mu) * sj;
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

    // ------------------------------------------------------------------ row-major: blocks of L rows

    /*
     * Every row-major kernel works on blocks of L consecutive rows (L = doubles per vector):
     *  1. row k of the block accumulates x_k·θ lanewise in its own vector (for wide rows one FMA per
     *     column vector, left to right; the last, partial vector is a masked load);
     *  2. one transpose-add tree turns the L row vectors into one vector whose lane k is row k's dot
     *     product (level h = L/2, …, 1: lanes i and i^h of two vectors added, the two results merged by
     *     a blend), so the block's residuals r = (dots + b) − y are a single vector;
     *  3. Σr² and Σr are vector accumulators for the whole call, their lanes added left to right at the
     *     end; the gradient adds r_k·x_k with r_k broadcast from lane k by a constant shuffle.
     * Rows of at most two vectors (one at 8 lanes: see fusedRow) keep θ and the gradient in registers
     * for the whole call, with four (one vector per row) or two (two per row) accumulator sets, row k of
     * a block feeding set k mod 4 (k mod 2), so the FMAs into g do not form one long dependency chain.
     * Wider rows add a block's contribution into a per-call, zero-padded gradient buffer once per block,
     * not once per row. Rows the blocks do not cover (fewer than L at the end of the range, or rows whose
     * last vector would read past the range's last element: see blockEnd) take a plain per-row loop, and
     * their terms are added after the blocks' terms. θ is copied, zero-padded, into a per-thread buffer
     * so no load of θ is masked.
     *
     * No Vector, VectorMask or VectorShuffle is passed to or returned from a method of ours: C2 boxes
     * a vector that crosses a call it did not inline, and whether it inlines a helper depends on how
     * big its caller has grown (NodeCountInliningCutoff) — a helper that was inlined at one width or
     * after one warm-up history was not at another. Masks are made from ints inside each kernel; the
     * only vector constants are the static final shuffles and blend masks below. Which variant runs is
     * chosen before the loop, from n and L.
     */

    /** Blend masks of the transpose-add tree: the lanes whose index has bit h set. */
    static final VectorMask<Double> HI1 = laneBitMask(1);
    static final VectorMask<Double> HI2 = laneBitMask(2);
    static final VectorMask<Double> HI4 = laneBitMask(4);
    /** Lane broadcasts: BCk puts lane k in every lane (null when k ≥ L: those branches are dead). */
    static final VectorShuffle<Double> BC0 = lane(0);
    static final VectorShuffle<Double> BC1 = lane(1);
    static final VectorShuffle<Double> BC2 = lane(2);
    static final VectorShuffle<Double> BC3 = lane(3);
    static final VectorShuffle<Double> BC4 = lane(4);
    static final VectorShuffle<Double> BC5 = lane(5);
    static final VectorShuffle<Double> BC6 = lane(6);
    static final VectorShuffle<Double> BC7 = lane(7);

    private static VectorMask<Double> laneBitMask(int h) {
        long bits = 0;
        for (int i = 0; i < L; i++) if ((i & h) != 0) bits |= 1L << i;
        return h < L ? VectorMask.fromLong(S, bits) : null;
    }

    private static VectorShuffle<Double> lane(int k) {
        return k < L ? VectorShuffle.fromOp(S, i -> k) : null;
    }

    /** Per-thread buffers of the row kernels, grown (never shrunk) when a call needs more room. */
    static final class RowScratch {
        /** θ copied and zero-padded to a whole number of vectors. */
        double[] theta = new double[64];
        /** A wide-row call's gradient partial sums, zero-padded. */
        double[] grad = new double[64];
        /** The call's leftover-row sums (lanes 0, 1), then its Σr² and Σr lane sums (lanes L .. 3L−1). */
        final double[] lanes = new double[4 * L];
        /** The lanes a row's partial last vector keeps: all bits set for a column below n, 0 past it. */
        final long[] keepBits = new long[L];

        /** {@link #keepBits} for the vector of columns {@code start .. start + L − 1}: lane k kept when start + k < n. */
        long[] keep(int start, int n) {
            for (int k = 0; k < L; k++) keepBits[k] = start + k < n ? -1L : 0L;
            return keepBits;
        }

        double[] theta(double[] src, int n, int padded) {
            if (theta.length < padded) theta = new double[padded];
            System.arraycopy(src, 0, theta, 0, n);
            java.util.Arrays.fill(theta, n, padded, 0.0);
            return theta;
        }

        /** A wide-row tile's residuals when the caller keeps none (at most {@link #TILE_DOUBLES} rows). */
        final double[] tileR = new double[TILE_DOUBLES];
        /** A wide-row tile's targets when y is strided. */
        final double[] tileY = new double[TILE_DOUBLES];
        /** A wide-row tile's dot products x_i·θ. */
        final double[] tileDots = new double[TILE_DOUBLES];
        /** A weighted tile's w_i·r_i, which the gradient methods read instead of r. */
        final double[] tileWR = new double[TILE_DOUBLES];

        double[] zeroGrad(int padded) {
            if (grad.length < padded) grad = new double[padded];
            java.util.Arrays.fill(grad, 0, padded, 0.0);
            return grad;
        }
    }

    static final ThreadLocal<RowScratch> ROWS = ThreadLocal.withInitial(RowScratch::new);

    /** n rounded up to whole vectors: the elements a row's vector loads touch. */
    static int padded(int n) {
        return (n + L - 1) / L * L;
    }

    /**
     * End of the rows handled in blocks of L: the largest {@code e ≤ to}, {@code e − from} a multiple of L, such
     * that every row below e can be read with whole vectors of {@code padded} elements without passing the
     * last element of the range ({@code (to − 1)·ldx + n}): so no vector load takes the Vector API's
     * out-of-range path, and which rows go to the blocks depends only on the range and the shape, never on
     * what the array or segment holds after it (heap, off-heap and mapped data give the same bits). The
     * rows from e to {@code to} (fewer than L plus ⌈(padded − n + L − 1)/ldx⌉) take the row-by-row loop.
     */
    static int blockEnd(int from, int to, int n, long ldx, int padded) {
        // Elements a whole-vector read passes the row's end by, plus L − 1: C2 hoists the bounds checks of a
        // loop that steps by L out of the loop with a bound up to L − 1 elements past the last real read
        // (seen with MemorySegment loads); without the margin those hoisted checks fail on the last rows of
        // a segment that ends with the data, and C2 deoptimizes and recompiles the kernel over and over.
        long over = padded - n + L - 1;
        long e = to;
        if (over > 0) e = ldx <= 0 ? from : to - (over + ldx - 1) / ldx;
        if (e <= from) return from;
        return from + (int) ((e - from) / L * L);
    }

    /** {@code buf[off] + … + buf[off + L − 1]}, left to right. */
    private static double sumLanes(double[] buf, int off) {
        double s = buf[off];
        for (int k = 1; k < L; k++) s += buf[off + k];
        return s;
    }

    @Override
    public double residualsRow(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                               double[] y, int yOff, int yInc, double[] r, int rOff, int from, int to) {
        // The tiles of fusedRowTiles without the gradient: small methods, each far under C2's node-count
        // inlining cutoff (the one-loop body parsed to about 39,000 nodes).
        int np = Math.max(L, padded(n));
        int end = blockEnd(from, to, n, ldx, np); // rows [from, end) in whole blocks, the rest row by row
        RowScratch s = ROWS.get();
        double[] lanes = s.lanes;
        double[] t = s.theta(theta, n, np);
        int full = S.loopBound(n);
        java.util.Arrays.fill(lanes, L, 3 * L, 0.0);
        int tile = wideTileRows(np);
        double[] pd = s.tileDots;
        double[] rt = s.tileR;
        double[] yt = s.tileY;
        long[] kb = s.keep(full, n);
        for (int i0 = from; i0 < end; i0 += tile) {
            int i1 = Math.min(end, i0 + tile);
            tileDots(x, xOff, ldx, n, t, full, kb, false, i0, i1, pd);
            double[] ya = y;
            int yo = yOff;
            if (y == null) { // no targets: r = Xθ + b
                java.util.Arrays.fill(yt, 0, i1 - i0, 0.0);
                ya = yt;
                yo = -i0;
            } else if (yInc != 1) {
                for (int i = i0; i < i1; i++) yt[i - i0] = y[yOff + i * yInc];
                ya = yt;
                yo = -i0;
            }
            wideFinish(pd, b, ya, yo, r != null ? r : rt, r != null ? rOff : -i0, i0, i1, lanes);
        }
        double ss = sumLanes(lanes, L);
        for (int i = end; i < to; i++) {
            int base = xOff + i * ldx;
            double dot = 0;
            for (int j = 0; j < n; j++) dot += x[base + j] * theta[j];
            double ri = dot + b - (y == null ? 0 : y[yOff + i * yInc]);
            if (r != null) r[rOff + i] = ri;
            ss += ri * ri;
        }
        return ss;
    }

    @Override
    public double gradientAddRow(double[] x, int xOff, int ldx, int n, double[] r, int rOff, double[] g,
                                 int from, int to) {
        int np = padded(n);
        int end = blockEnd(from, to, n, ldx, np); // rows [from, end) in whole blocks, the rest row by row
        RowScratch s = ROWS.get();
        double[] gs = s.zeroGrad(np);
        double[] lanes = s.lanes;
        DoubleVector sv = DoubleVector.zero(S);
        for (int i = from, pRow = xOff + from * ldx; i < end; i += L, pRow += L * ldx) {
            int p0 = pRow;
            DoubleVector rv = DoubleVector.fromArray(S, r, rOff + i);
            sv = sv.add(rv);
            DoubleVector r0 = (L == 2 ? DoubleVector.broadcast(S, rv.lane(0)) : rv.rearrange(BC0)), r1 = (L == 2 ? DoubleVector.broadcast(S, rv.lane(1)) : rv.rearrange(BC1)), r2 = r0, r3 = r0, r4 = r0, r5 = r0, r6 = r0, r7 = r0;
            if (L >= 4) {
                r2 = (L == 2 ? DoubleVector.broadcast(S, rv.lane(2)) : rv.rearrange(BC2));
                r3 = (L == 2 ? DoubleVector.broadcast(S, rv.lane(3)) : rv.rearrange(BC3));
            }
            if (L == 8) {
                r4 = (L == 2 ? DoubleVector.broadcast(S, rv.lane(4)) : rv.rearrange(BC4));
                r5 = (L == 2 ? DoubleVector.broadcast(S, rv.lane(5)) : rv.rearrange(BC5));
                r6 = (L == 2 ? DoubleVector.broadcast(S, rv.lane(6)) : rv.rearrange(BC6));
                r7 = (L == 2 ? DoubleVector.broadcast(S, rv.lane(7)) : rv.rearrange(BC7));
            }
            int j = 0;
            if (L == 8) {
                // two vectors of columns at a time, row by row: X read in address order (one vector of each of 8
                // rows at a time read every other cache line); each accumulator's chain (rows 0 … 7) is unchanged
                for (; j + L < n; j += 2 * L) {
                    int p = p0 + j;
                    DoubleVector gv = DoubleVector.fromArray(S, gs, j), gw = DoubleVector.fromArray(S, gs, j + L);
                    gv = DoubleVector.fromArray(S, x, p).fma(r0, gv);
                    gw = DoubleVector.fromArray(S, x, p + L).fma(r0, gw);
                    gv = DoubleVector.fromArray(S, x, p + ldx).fma(r1, gv);
                    gw = DoubleVector.fromArray(S, x, p + ldx + L).fma(r1, gw);
                    gv = DoubleVector.fromArray(S, x, p + 2 * ldx).fma(r2, gv);
                    gw = DoubleVector.fromArray(S, x, p + 2 * ldx + L).fma(r2, gw);
                    gv = DoubleVector.fromArray(S, x, p + 3 * ldx).fma(r3, gv);
                    gw = DoubleVector.fromArray(S, x, p + 3 * ldx + L).fma(r3, gw);
                    gv = DoubleVector.fromArray(S, x, p + 4 * ldx).fma(r4, gv);
                    gw = DoubleVector.fromArray(S, x, p + 4 * ldx + L).fma(r4, gw);
                    gv = DoubleVector.fromArray(S, x, p + 5 * ldx).fma(r5, gv);
                    gw = DoubleVector.fromArray(S, x, p + 5 * ldx + L).fma(r5, gw);
                    gv = DoubleVector.fromArray(S, x, p + 6 * ldx).fma(r6, gv);
                    gw = DoubleVector.fromArray(S, x, p + 6 * ldx + L).fma(r6, gw);
                    gv = DoubleVector.fromArray(S, x, p + 7 * ldx).fma(r7, gv);
                    gw = DoubleVector.fromArray(S, x, p + 7 * ldx + L).fma(r7, gw);
                    gv.intoArray(gs, j);
                    gw.intoArray(gs, j + L);
                }
            }
            for (; j < n; j += L) {
                // the last vector of a row is read whole: its lanes past n only reach gs past n, never read
                int p = p0 + j;
                DoubleVector gv = DoubleVector.fromArray(S, gs, j);
                gv = DoubleVector.fromArray(S, x, p).fma(r0, gv);
                gv = DoubleVector.fromArray(S, x, p + ldx).fma(r1, gv);
                if (L >= 4) {
                    gv = DoubleVector.fromArray(S, x, p + 2 * ldx).fma(r2, gv);
                    gv = DoubleVector.fromArray(S, x, p + 3 * ldx).fma(r3, gv);
                }
                if (L == 8) {
                    gv = DoubleVector.fromArray(S, x, p + 4 * ldx).fma(r4, gv);
                    gv = DoubleVector.fromArray(S, x, p + 5 * ldx).fma(r5, gv);
                    gv = DoubleVector.fromArray(S, x, p + 6 * ldx).fma(r6, gv);
                    gv = DoubleVector.fromArray(S, x, p + 7 * ldx).fma(r7, gv);
                }
                gv.intoArray(gs, j);
            }
        }
        sv.intoArray(lanes, L);
        double sum = sumLanes(lanes, L);
        for (int i = end; i < to; i++) {
            int base = xOff + i * ldx;
            double ri = r[rOff + i];
            for (int j = 0; j < n; j++) gs[j] += ri * x[base + j];
            sum += ri;
        }
        for (int j = 0; j < n; j++) g[j] += gs[j];
        return sum;
    }

    @Override
    public double fusedRow(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                           double[] y, int yOff, int yInc, double[] r, int rOff, double[] g, int from, int to) {
        if (n == 1 && ldx == 1) {
            // One contiguous column: the same data as a column-major single column.
            return fusedCol(x, xOff, 1, 1, theta, b, y, yOff, yInc, r, rOff, g, from, to);
        }
        return fusedRowTiles(x, xOff, ldx, n, theta, b, y, yOff, yInc, r, rOff, g, from, to);
    }

    /** The rows the blocks left: plain loops, terms added after the blocks'; {ss, sum} into out. */
    private static void fusedRowsPlain(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                                       double[] y, int yOff, int yInc, double[] r, int rOff, double[] gs,
                                       int from, int to, double[] out) {
        double ss = 0;
        double sum = 0;
        for (int i = from; i < to; i++) {
            int base = xOff + i * ldx;
            double dot = 0;
            for (int j = 0; j < n; j++) dot += x[base + j] * theta[j];
            double ri = dot + b - y[yOff + i * yInc];
            if (r != null) r[rOff + i] = ri;
            for (int j = 0; j < n; j++) gs[j] += ri * x[base + j];
            ss += ri * ri;
            sum += ri;
        }
        out[0] = ss;
        out[1] = sum;
    }

    /**
     * The dot products x_i·θ of a tile's rows [i0, i1) into pd (overwritten): {@link #pairDots} for rows of one
     * whole and one partial vector at L &lt; 8 ({@code pair}), else {@link #wideDots} over the whole vectors and
     * {@link #maskedDotsAdd} for a partial last one. Arrays only cross it, never vectors.
     */
    private static void tileDots(double[] x, int xOff, int ldx, int n, double[] t, int full, long[] kb, boolean pair,
                                 int i0, int i1, double[] pd) {
        if (pair) {
            pairDots(x, xOff, ldx, t, kb, i0, i1, pd);
            return;
        }
        if (full > 0) wideDots(x, xOff, ldx, n, t, i0, i1, pd);
        else java.util.Arrays.fill(pd, 0, i1 - i0, 0.0);
        if (full < n) maskedDotsAdd(x, xOff + full, ldx, t, full, kb, i0, i1, pd);
    }

    /** Doubles of X a wide-row tile holds (16 KiB): its rows are still in L1 when the gradient pass reads them. */
    private static final int TILE_DOUBLES = 2048;

    /** Rows per wide-row tile: a multiple of L, at least one block. */
    static int wideTileRows(int padded) {
        return Math.max(L, TILE_DOUBLES / padded / L * L);
    }

    /**
     * Row-major rows in tiles of whole blocks of L rows that fit L1. Per tile: {@link #wideDots} (the rows'
     * whole vectors: L accumulators per block, the transpose-add tree), {@link #maskedDotsAdd} (a row's
     * partial last vector, lanes past n cleared), {@link #wideFinish} (r, Σr², Σr), then the gradient from the
     * tile's rows, still in L1: {@link #narrowGradient} for rows of at most one vector (four accumulators
     * for the tile), {@link #wideGradient} for wider rows (block by block into the padded buffer).
     * Small methods communicating through arrays, not one loop body: the one-loop bodies parsed to
     * 25,000–51,000 C2 nodes (-XX:+LogCompilation), past NodeCountInliningCutoff (18,000), where C2 defers
     * the Vector API calls to incremental inlining; in some JVM histories it then left some as calls and
     * boxed their vectors at every block (BenchmarkMethodsTest: 90 KB per 4096 × 16 call in a CI run).
     */
    private static double fusedRowTiles(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                                       double[] y, int yOff, int yInc, double[] r, int rOff, double[] g,
                                       int from, int to) {
        int np = Math.max(L, padded(n)); // n = 0 (an intercept alone) still reads one masked vector per row
        int end = blockEnd(from, to, n, ldx, np); // rows [from, end) in whole blocks, the rest row by row
        RowScratch s = ROWS.get();
        double[] lanes = s.lanes;
        double[] t = s.theta(theta, n, np);
        double[] gs = s.zeroGrad(np);
        int full = S.loopBound(n);
        java.util.Arrays.fill(lanes, L, 3 * L, 0.0); // Σr² and Σr lane sums, accumulated over the tiles
        int tile = wideTileRows(np);
        double[] rt = s.tileR;
        double[] yt = s.tileY;
        double[] pd = s.tileDots;
        // L < 8 and a row of one whole and one partial vector: both in one pass and one tree (at 8 lanes the
        // two-vector body would be too large for C2's inlining budget, see fusedRowTiles)
        boolean pair = L < 8 && full == L && n > L;
        long[] kb = s.keep(full, n); // the columns of the partial last vector below n
        for (int i0 = from; i0 < end; i0 += tile) {
            int i1 = Math.min(end, i0 + tile);
            tileDots(x, xOff, ldx, n, t, full, kb, pair, i0, i1, pd);
            double[] ya = y;
            int yo = yOff;
            if (yInc != 1) { // a strided y: the tile's targets copied to contiguous lanes first
                for (int i = i0; i < i1; i++) yt[i - i0] = y[yOff + i * yInc];
                ya = yt;
                yo = -i0;
            }
            double[] ra = r != null ? r : rt;
            int ro = r != null ? rOff : -i0;
            wideFinish(pd, b, ya, yo, ra, ro, i0, i1, lanes);
            if (n <= L) narrowGradient(x, xOff, ldx, ra, ro, gs, i0, i1);
            else if (n <= 2 * L && L < 8) pairGradient(x, xOff, ldx, ra, ro, gs, i0, i1);
            else wideGradient(x, xOff, ldx, n, ra, ro, gs, i0, i1);
        }
        double ss = sumLanes(lanes, L);
        double sum = sumLanes(lanes, 2 * L);
        fusedRowsPlain(x, xOff, ldx, n, theta, b, y, yOff, yInc, r, rOff, gs, end, to, lanes);
        for (int j = 0; j < n; j++) g[j] += gs[j];
        g[n] += sum + lanes[1];
        return ss + lanes[0];
    }

    /**
     * {@code pd[i − i0] = Σ_{j < S.loopBound(n)} x_ij·t_j} for the rows {@code i0 ≤ i < i1} (a whole number of
     * blocks of L rows, every row readable with whole vectors): the dot products over the rows' whole vectors,
     * L accumulators per block reduced by the transpose-add tree. A partial last vector is added by
     * {@link #maskedDotsAdd} (a masked tail here made the method large enough for C2 to defer its Vector API
     * calls to incremental inlining).
     */
    private static void wideDots(double[] x, int xOff, int ldx, int n, double[] t, int i0, int i1, double[] pd) {
        int full = S.loopBound(n);
        int full8 = n & ~7;
        for (int i = i0, p0 = xOff + i0 * ldx; i < i1; i += L, p0 += L * ldx) {
            DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            int j = 0;
            if (L == 8) {
                // Two vectors of each row in turn (row k's chain: j, then j + 8, the same order as the loop below),
                // so X is read in address order: one vector of each of 8 rows at a time read every other cache line
                // of the block, and at DRAM size the whole pass ran at about half the speed of the 256-bit one.
                for (; j + 16 <= full8; j += 16) {
                    int p = p0 + j;
                    DoubleVector tv = DoubleVector.fromArray(S, t, j), tw = DoubleVector.fromArray(S, t, j + 8);
                    a0 = DoubleVector.fromArray(S, x, p + 8).fma(tw, DoubleVector.fromArray(S, x, p).fma(tv, a0));
                    a1 = DoubleVector.fromArray(S, x, p + ldx + 8).fma(tw, DoubleVector.fromArray(S, x, p + ldx).fma(tv, a1));
                    a2 = DoubleVector.fromArray(S, x, p + 2 * ldx + 8).fma(tw, DoubleVector.fromArray(S, x, p + 2 * ldx).fma(tv, a2));
                    a3 = DoubleVector.fromArray(S, x, p + 3 * ldx + 8).fma(tw, DoubleVector.fromArray(S, x, p + 3 * ldx).fma(tv, a3));
                    a4 = DoubleVector.fromArray(S, x, p + 4 * ldx + 8).fma(tw, DoubleVector.fromArray(S, x, p + 4 * ldx).fma(tv, a4));
                    a5 = DoubleVector.fromArray(S, x, p + 5 * ldx + 8).fma(tw, DoubleVector.fromArray(S, x, p + 5 * ldx).fma(tv, a5));
                    a6 = DoubleVector.fromArray(S, x, p + 6 * ldx + 8).fma(tw, DoubleVector.fromArray(S, x, p + 6 * ldx).fma(tv, a6));
                    a7 = DoubleVector.fromArray(S, x, p + 7 * ldx + 8).fma(tw, DoubleVector.fromArray(S, x, p + 7 * ldx).fma(tv, a7));
                }
            }
            // Eight doubles of each row per iteration, so eight FMA chains run at every width: one vector
            // of each of 8 rows (L = 8); two of each of 4 rows (L = 4: a0..a3 and a4..a7); four of each of 2
            // rows (L = 2: a0, a2, a4, a6 and a1, a3, a5, a7). The chains of a row are added before the tree.
            for (; j < full8; j += 8) {
                int p = p0 + j;
                if (L == 8) {
                    DoubleVector tv = DoubleVector.fromArray(S, t, j);
                    a0 = DoubleVector.fromArray(S, x, p).fma(tv, a0);
                    a1 = DoubleVector.fromArray(S, x, p + ldx).fma(tv, a1);
                    a2 = DoubleVector.fromArray(S, x, p + 2 * ldx).fma(tv, a2);
                    a3 = DoubleVector.fromArray(S, x, p + 3 * ldx).fma(tv, a3);
                    a4 = DoubleVector.fromArray(S, x, p + 4 * ldx).fma(tv, a4);
                    a5 = DoubleVector.fromArray(S, x, p + 5 * ldx).fma(tv, a5);
                    a6 = DoubleVector.fromArray(S, x, p + 6 * ldx).fma(tv, a6);
                    a7 = DoubleVector.fromArray(S, x, p + 7 * ldx).fma(tv, a7);
                } else if (L == 4) {
                    DoubleVector tv = DoubleVector.fromArray(S, t, j), tw = DoubleVector.fromArray(S, t, j + 4);
                    a0 = DoubleVector.fromArray(S, x, p).fma(tv, a0);
                    a1 = DoubleVector.fromArray(S, x, p + ldx).fma(tv, a1);
                    a2 = DoubleVector.fromArray(S, x, p + 2 * ldx).fma(tv, a2);
                    a3 = DoubleVector.fromArray(S, x, p + 3 * ldx).fma(tv, a3);
                    a4 = DoubleVector.fromArray(S, x, p + 4).fma(tw, a4);
                    a5 = DoubleVector.fromArray(S, x, p + ldx + 4).fma(tw, a5);
                    a6 = DoubleVector.fromArray(S, x, p + 2 * ldx + 4).fma(tw, a6);
                    a7 = DoubleVector.fromArray(S, x, p + 3 * ldx + 4).fma(tw, a7);
                } else {
                    DoubleVector t0 = DoubleVector.fromArray(S, t, j), t1 = DoubleVector.fromArray(S, t, j + 2);
                    DoubleVector t2 = DoubleVector.fromArray(S, t, j + 4), t3 = DoubleVector.fromArray(S, t, j + 6);
                    a0 = DoubleVector.fromArray(S, x, p).fma(t0, a0);
                    a1 = DoubleVector.fromArray(S, x, p + ldx).fma(t0, a1);
                    a2 = DoubleVector.fromArray(S, x, p + 2).fma(t1, a2);
                    a3 = DoubleVector.fromArray(S, x, p + ldx + 2).fma(t1, a3);
                    a4 = DoubleVector.fromArray(S, x, p + 4).fma(t2, a4);
                    a5 = DoubleVector.fromArray(S, x, p + ldx + 4).fma(t2, a5);
                    a6 = DoubleVector.fromArray(S, x, p + 6).fma(t3, a6);
                    a7 = DoubleVector.fromArray(S, x, p + ldx + 6).fma(t3, a7);
                }
            }
            if (L < 8) {
                for (; j < full; j += L) { // the whole vectors after the eight-double steps
                    DoubleVector tv = DoubleVector.fromArray(S, t, j);
                    int p = p0 + j;
                    a0 = DoubleVector.fromArray(S, x, p).fma(tv, a0);
                    a1 = DoubleVector.fromArray(S, x, p + ldx).fma(tv, a1);
                    if (L == 4) {
                        a2 = DoubleVector.fromArray(S, x, p + 2 * ldx).fma(tv, a2);
                        a3 = DoubleVector.fromArray(S, x, p + 3 * ldx).fma(tv, a3);
                    }
                }
            }
            if (L == 4) {
                a0 = a0.add(a4);
                a1 = a1.add(a5);
                a2 = a2.add(a6);
                a3 = a3.add(a7);
            } else if (L == 2) {
                a0 = a0.add(a2).add(a4.add(a6));
                a1 = a1.add(a3).add(a5.add(a7));
            }
            if (L == 8) {
                a0 = a0.blend(a4, HI4).add(a4.blend(a0, HI4).rearrange(SWAP4));
                a1 = a1.blend(a5, HI4).add(a5.blend(a1, HI4).rearrange(SWAP4));
                a2 = a2.blend(a6, HI4).add(a6.blend(a2, HI4).rearrange(SWAP4));
                a3 = a3.blend(a7, HI4).add(a7.blend(a3, HI4).rearrange(SWAP4));
            }
            if (L >= 4) {
                a0 = a0.blend(a2, HI2).add(a2.blend(a0, HI2).rearrange(SWAP2));
                a1 = a1.blend(a3, HI2).add(a3.blend(a1, HI2).rearrange(SWAP2));
            }
            DoubleVector rv = (L == 2
                    ? DoubleVector.zero(S).withLane(0, a0.lane(0) + a0.lane(1)).withLane(1, a1.lane(0) + a1.lane(1))
                    : a0.blend(a1, HI1).add(a1.blend(a0, HI1).rearrange(SWAP1)));
            rv.intoArray(pd, i - i0);
        }
    }

    /**
     * {@code r[ro + i] = pd[i − i0] + b − y[yo + i]} for {@code i0 ≤ i < i1} (a whole number of blocks); the lane
     * sums of r² and r are added to {@code lanes[L .. 2L)} and {@code lanes[2L .. 3L)}.
     */
    private static void wideFinish(double[] pd, double b, double[] ya, int yo, double[] ra, int ro, int i0, int i1,
                                   double[] lanes) {
        DoubleVector bb = DoubleVector.broadcast(S, b);
        DoubleVector q = DoubleVector.fromArray(S, lanes, L), sv = DoubleVector.fromArray(S, lanes, 2 * L);
        for (int i = i0; i < i1; i += L) {
            DoubleVector rv = DoubleVector.fromArray(S, pd, i - i0).add(bb).sub(DoubleVector.fromArray(S, ya, yo + i));
            rv.intoArray(ra, ro + i);
            q = rv.fma(rv, q);
            sv = sv.add(rv);
        }
        q.intoArray(lanes, L);
        sv.intoArray(lanes, 2 * L);
    }

    /**
     * {@code pd[i − i0] += Σ_{k < L, kept} x[xOff + i·ldx + k]·t[tOff + k]} for {@code i0 ≤ i < i1} (whole blocks):
     * one vector per row whose lanes are kept where {@code kb[k]} has all bits set (the columns below n
     * of a row's partial last vector) and cleared elsewhere, so that what lies past a row's n columns (the
     * next row, padding, NaN) never reaches a sum. L products per block reduced by the transpose-add tree.
     */
    private static void maskedDotsAdd(double[] x, int xOff, int ldx, double[] t, int tOff, long[] kb, int i0,
                                      int i1, double[] pd) {
        LongVector kv = LongVector.fromArray(LS, kb, 0);
        // lanes past n cleared by a blend with zeros (one operation; at 2 lanes, where C2 on x86 does not
        // intrinsify a blend, by an AND of the bits): the masked body stays well under C2's inlining budget
        VectorMask<Double> drop = L == 2 ? null : kv.reinterpretAsDoubles().compare(VectorOperators.EQ, 0.0);
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector tv = DoubleVector.fromArray(S, t, tOff);
        for (int i = i0, p = xOff + i0 * ldx; i < i1; i += L, p += L * ldx) {
            DoubleVector a0 = DoubleVector.fromArray(S, x, p);
            a0 = (L == 2 ? a0.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a0.blend(zero, drop)).mul(tv);
            DoubleVector a1 = DoubleVector.fromArray(S, x, p + ldx);
            a1 = (L == 2 ? a1.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a1.blend(zero, drop)).mul(tv);
            DoubleVector a2 = a0, a3 = a0;
            if (L >= 4) {
                a2 = DoubleVector.fromArray(S, x, p + 2 * ldx);
                a2 = (L == 2 ? a2.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a2.blend(zero, drop)).mul(tv);
                a3 = DoubleVector.fromArray(S, x, p + 3 * ldx);
                a3 = (L == 2 ? a3.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a3.blend(zero, drop)).mul(tv);
            }
            if (L == 8) {
                DoubleVector a4 = DoubleVector.fromArray(S, x, p + 4 * ldx);
                a4 = (L == 2 ? a4.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a4.blend(zero, drop)).mul(tv);
                DoubleVector a5 = DoubleVector.fromArray(S, x, p + 5 * ldx);
                a5 = (L == 2 ? a5.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a5.blend(zero, drop)).mul(tv);
                DoubleVector a6 = DoubleVector.fromArray(S, x, p + 6 * ldx);
                a6 = (L == 2 ? a6.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a6.blend(zero, drop)).mul(tv);
                DoubleVector a7 = DoubleVector.fromArray(S, x, p + 7 * ldx);
                a7 = (L == 2 ? a7.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a7.blend(zero, drop)).mul(tv);
                a0 = a0.blend(a4, HI4).add(a4.blend(a0, HI4).rearrange(SWAP4));
                a1 = a1.blend(a5, HI4).add(a5.blend(a1, HI4).rearrange(SWAP4));
                a2 = a2.blend(a6, HI4).add(a6.blend(a2, HI4).rearrange(SWAP4));
                a3 = a3.blend(a7, HI4).add(a7.blend(a3, HI4).rearrange(SWAP4));
            }
            if (L >= 4) {
                a0 = a0.blend(a2, HI2).add(a2.blend(a0, HI2).rearrange(SWAP2));
                a1 = a1.blend(a3, HI2).add(a3.blend(a1, HI2).rearrange(SWAP2));
            }
            DoubleVector rv = L == 2
                    ? DoubleVector.zero(S).withLane(0, a0.lane(0) + a0.lane(1)).withLane(1, a1.lane(0) + a1.lane(1))
                    : a0.blend(a1, HI1).add(a1.blend(a0, HI1).rearrange(SWAP1));
            rv.add(DoubleVector.fromArray(S, pd, i - i0)).intoArray(pd, i - i0);
        }
    }

    /**
     * {@code pd[i − i0] = Σ_{j < n} x_ij·t_j} for rows of one whole and one partial vector ({@code L < n < 2L},
     * L < 8; {@code kb[k]} keeps the columns {@code L + k < n}), {@code i0 ≤ i < i1} in whole blocks: both
     * vectors of a row in one accumulator, one tree per block.
     */
    private static void pairDots(double[] x, int xOff, int ldx, double[] t, long[] kb, int i0, int i1, double[] pd) {
        LongVector kv = LongVector.fromArray(LS, kb, 0);
        VectorMask<Double> drop = L == 2 ? null : kv.reinterpretAsDoubles().compare(VectorOperators.EQ, 0.0); // see maskedDotsAdd
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector t0 = DoubleVector.fromArray(S, t, 0), t1 = DoubleVector.fromArray(S, t, L);
        for (int i = i0, p = xOff + i0 * ldx; i < i1; i += L, p += L * ldx) {
            DoubleVector a0 = DoubleVector.fromArray(S, x, p + L);
            a0 = (L == 2 ? a0.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a0.blend(zero, drop)).mul(t1);
            DoubleVector a1 = DoubleVector.fromArray(S, x, p + ldx + L);
            a1 = (L == 2 ? a1.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a1.blend(zero, drop)).mul(t1);
            a0 = DoubleVector.fromArray(S, x, p).fma(t0, a0);
            a1 = DoubleVector.fromArray(S, x, p + ldx).fma(t0, a1);
            DoubleVector a2 = a0, a3 = a0;
            if (L == 4) {
                a2 = DoubleVector.fromArray(S, x, p + 2 * ldx + L);
                a2 = (L == 2 ? a2.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a2.blend(zero, drop)).mul(t1);
                a3 = DoubleVector.fromArray(S, x, p + 3 * ldx + L);
                a3 = (L == 2 ? a3.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a3.blend(zero, drop)).mul(t1);
                a2 = DoubleVector.fromArray(S, x, p + 2 * ldx).fma(t0, a2);
                a3 = DoubleVector.fromArray(S, x, p + 3 * ldx).fma(t0, a3);
                a0 = a0.blend(a2, HI2).add(a2.blend(a0, HI2).rearrange(SWAP2));
                a1 = a1.blend(a3, HI2).add(a3.blend(a1, HI2).rearrange(SWAP2));
            }
            DoubleVector rv = L == 2
                    ? DoubleVector.zero(S).withLane(0, a0.lane(0) + a0.lane(1)).withLane(1, a1.lane(0) + a1.lane(1))
                    : a0.blend(a1, HI1).add(a1.blend(a0, HI1).rearrange(SWAP1));
            rv.intoArray(pd, i - i0);
        }
    }

    /**
     * {@code gs[k] += Σ_i x[xOff + i·ldx + k]·r[ro + i]}, {@code k < 2L}, for rows of at most two vectors (L < 8),
     * {@code i0 ≤ i < i1} in whole blocks (the lanes past n only reach gs past n, never read); two accumulators
     * per column vector for the tile.
     */
    private static void pairGradient(double[] x, int xOff, int ldx, double[] ra, int ro, double[] gs, int i0, int i1) {
        DoubleVector g0 = DoubleVector.fromArray(S, gs, 0), g1 = DoubleVector.fromArray(S, gs, L);
        DoubleVector h0 = DoubleVector.zero(S), h1 = h0;
        for (int i = i0, p = xOff + i0 * ldx; i < i1; i += L, p += L * ldx) {
            int o = ro + i;
            DoubleVector r0 = DoubleVector.broadcast(S, ra[o]), r1 = DoubleVector.broadcast(S, ra[o + 1]);
            g0 = DoubleVector.fromArray(S, x, p).fma(r0, g0);
            g1 = DoubleVector.fromArray(S, x, p + L).fma(r0, g1);
            h0 = DoubleVector.fromArray(S, x, p + ldx).fma(r1, h0);
            h1 = DoubleVector.fromArray(S, x, p + ldx + L).fma(r1, h1);
            if (L == 4) {
                DoubleVector r2 = DoubleVector.broadcast(S, ra[o + 2]), r3 = DoubleVector.broadcast(S, ra[o + 3]);
                g0 = DoubleVector.fromArray(S, x, p + 2 * ldx).fma(r2, g0);
                g1 = DoubleVector.fromArray(S, x, p + 2 * ldx + L).fma(r2, g1);
                h0 = DoubleVector.fromArray(S, x, p + 3 * ldx).fma(r3, h0);
                h1 = DoubleVector.fromArray(S, x, p + 3 * ldx + L).fma(r3, h1);
            }
        }
        g0.add(h0).intoArray(gs, 0);
        g1.add(h1).intoArray(gs, L);
    }

    /**
     * {@code gs[k] += Σ_i x[xOff + i·ldx + k]·r[ro + i]}, {@code k < L}, for {@code i0 ≤ i < i1} (whole blocks;
     * rows of at most one vector, gs holds L values: the lanes past n only reach gs past n, never read).
     * Four accumulators for the tile, so the FMAs of a block do not wait on each other.
     */
    private static void narrowGradient(double[] x, int xOff, int ldx, double[] ra, int ro, double[] gs, int i0,
                                       int i1) {
        DoubleVector ga = DoubleVector.fromArray(S, gs, 0), gb = DoubleVector.zero(S), gc = gb, gd = gb;
        for (int i = i0, p = xOff + i0 * ldx; i < i1; i += L, p += L * ldx) {
            int o = ro + i;
            ga = DoubleVector.fromArray(S, x, p).fma(DoubleVector.broadcast(S, ra[o]), ga);
            gb = DoubleVector.fromArray(S, x, p + ldx).fma(DoubleVector.broadcast(S, ra[o + 1]), gb);
            if (L >= 4) {
                gc = DoubleVector.fromArray(S, x, p + 2 * ldx).fma(DoubleVector.broadcast(S, ra[o + 2]), gc);
                gd = DoubleVector.fromArray(S, x, p + 3 * ldx).fma(DoubleVector.broadcast(S, ra[o + 3]), gd);
            }
            if (L == 8) {
                ga = DoubleVector.fromArray(S, x, p + 4 * ldx).fma(DoubleVector.broadcast(S, ra[o + 4]), ga);
                gb = DoubleVector.fromArray(S, x, p + 5 * ldx).fma(DoubleVector.broadcast(S, ra[o + 5]), gb);
                gc = DoubleVector.fromArray(S, x, p + 6 * ldx).fma(DoubleVector.broadcast(S, ra[o + 6]), gc);
                gd = DoubleVector.fromArray(S, x, p + 7 * ldx).fma(DoubleVector.broadcast(S, ra[o + 7]), gd);
            }
        }
        ga.add(gb).add(gc.add(gd)).intoArray(gs, 0);
    }

    /**
     * {@code gs[j] += Σ_i x_ij·r[ro + i]} for the rows {@code i0 ≤ i < i1} (whole blocks, every row readable
     * with whole vectors; gs padded to whole vectors: a row's last vector is read whole, its lanes past n
     * only reach gs past n, never read). Block by block, the L rows' terms added to gs in row order.
     */
    private static void wideGradient(double[] x, int xOff, int ldx, int n, double[] ra, int ro, double[] gs,
                                     int i0, int i1) {
        for (int i = i0, p0 = xOff + i0 * ldx; i < i1; i += L, p0 += L * ldx) {
            int o = ro + i;
            // broadcast from memory: one load each, no lane shuffles
            DoubleVector r0 = DoubleVector.broadcast(S, ra[o]), r1 = DoubleVector.broadcast(S, ra[o + 1]);
            DoubleVector r2 = r0, r3 = r0, r4 = r0, r5 = r0, r6 = r0, r7 = r0;
            if (L >= 4) {
                r2 = DoubleVector.broadcast(S, ra[o + 2]);
                r3 = DoubleVector.broadcast(S, ra[o + 3]);
            }
            if (L == 8) {
                r4 = DoubleVector.broadcast(S, ra[o + 4]);
                r5 = DoubleVector.broadcast(S, ra[o + 5]);
                r6 = DoubleVector.broadcast(S, ra[o + 6]);
                r7 = DoubleVector.broadcast(S, ra[o + 7]);
            }
            for (int j = 0; j < n; j += L) {
                int p = p0 + j;
                // two chains per block (the first and the second half of its rows): half the FMA latency
                DoubleVector gv = DoubleVector.fromArray(S, gs, j), gw;
                gv = DoubleVector.fromArray(S, x, p).fma(r0, gv);
                if (L == 2) {
                    gw = DoubleVector.fromArray(S, x, p + ldx).mul(r1);
                } else if (L == 4) {
                    gv = DoubleVector.fromArray(S, x, p + ldx).fma(r1, gv);
                    gw = DoubleVector.fromArray(S, x, p + 2 * ldx).mul(r2);
                    gw = DoubleVector.fromArray(S, x, p + 3 * ldx).fma(r3, gw);
                } else {
                    gv = DoubleVector.fromArray(S, x, p + ldx).fma(r1, gv);
                    gv = DoubleVector.fromArray(S, x, p + 2 * ldx).fma(r2, gv);
                    gv = DoubleVector.fromArray(S, x, p + 3 * ldx).fma(r3, gv);
                    gw = DoubleVector.fromArray(S, x, p + 4 * ldx).mul(r4);
                    gw = DoubleVector.fromArray(S, x, p + 5 * ldx).fma(r5, gw);
                    gw = DoubleVector.fromArray(S, x, p + 6 * ldx).fma(r6, gw);
                    gw = DoubleVector.fromArray(S, x, p + 7 * ldx).fma(r7, gw);
                }
                gv.add(gw).intoArray(gs, j);
            }
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
            ss += axpyColumns(x, xOff, ldx, n, theta, b, y, yOff, yInc, out, o, i0, i1, scratch);
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
            sum += dotColumns(x, xOff, ldx, n, r, rOff, g, i0, i1, scratch);
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
        int block = blockRows(n);
        double[] out = r != null ? r : scratch;
        double ss = 0;
        double sum = 0;
        for (int i0 = from; i0 < to; i0 += block) {
            int i1 = Math.min(to, i0 + block);
            int o = r != null ? rOff : -i0;
            ss += axpyColumns(x, xOff, ldx, n, theta, b, y, yOff, yInc, out, o, i0, i1, scratch);
            sum += dotColumns(x, xOff, ldx, n, out, o, g, i0, i1, scratch);
        }
        g[n] += sum;
        return ss;
    }

    /** {@code out[o + i] += Σ_j x_ij·θ_j} for {@code i0 ≤ i < i1}, four columns per pass over the block. */
    private static double axpyColumns(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                                      int yOff, int yInc, double[] out, int o, int i0, int i1, double[] buf) {
        // The block's start, its four-column passes and Σr² in one method (no small vector helper that C2
        // could inline into a caller already past its inlining budget, where the vectors would be boxed).
        int vEnd = i0 + S.loopBound(i1 - i0);
        int i = i0;
        DoubleVector bb = DoubleVector.broadcast(S, b);
        if (y == null) {
            for (; i < vEnd; i += L) bb.intoArray(out, o + i);
            for (; i < i1; i++) out[o + i] = b;
        } else if (yInc == 1) {
            for (; i < vEnd; i += L) bb.sub(DoubleVector.fromArray(S, y, yOff + i)).intoArray(out, o + i);
            for (; i < i1; i++) out[o + i] = b - y[yOff + i];
        } else {
            for (; i < i1; i++) out[o + i] = b - y[yOff + i * yInc];
        }
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
        DoubleVector q0 = DoubleVector.zero(S);
        for (i = i0; i < vEnd; i += L) {
            DoubleVector t = DoubleVector.fromArray(S, out, o + i);
            q0 = t.fma(t, q0);
        }
        q0.intoArray(buf, LANES);
        double ss = sumLanes(buf, LANES);
        for (; i < i1; i++) ss += out[o + i] * out[o + i];
        return ss;
    }

    /**
     * {@code g[j] += Σ_{i0 ≤ i < i1} r[o + i]·x_ij}, four columns per pass, each with its own accumulator
     * sharing the load of r.
     */
    private static double dotColumns(double[] x, int xOff, int ldx, int n, double[] r, int o, double[] g,
                                     int i0, int i1, double[] buf) {
        int len = i1 - i0;
        int vEnd = i0 + S.loopBound(len);
        // Σr of the block first (returned), in this method for the reason given in axpyColumns
        DoubleVector sr = DoubleVector.zero(S);
        for (int k = i0; k < vEnd; k += L) sr = sr.add(DoubleVector.fromArray(S, r, o + k));
        sr.intoArray(buf, LANES);
        double sum = sumLanes(buf, LANES);
        for (int k = vEnd; k < i1; k++) sum += r[o + k];
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
        return sum;
    }



    /** Scratch of the weighted column-major kernel: a block's w_i·r_i, then lane sums at {@link #LANES}. */
    private static final ThreadLocal<double[]> WEIGHTED = ThreadLocal.withInitial(() -> new double[LANES + 4 * L]);

    /**
     * The row-major tiles of {@link #fusedRowTiles} with weights: the same dot products, then {@link #weightedFinish}
     * (r stored if asked, w∘r into the tile buffer, Σw r², Σw r), then the unchanged gradient methods reading w∘r.
     */
    @Override
    public double fusedWeightedRow(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                                   int yOff, int yInc, double[] w, int wOff, double[] r, int rOff, double[] g,
                                   int from, int to) {
        int np = Math.max(L, padded(n));
        int end = blockEnd(from, to, n, ldx, np);
        RowScratch s = ROWS.get();
        double[] lanes = s.lanes;
        double[] t = s.theta(theta, n, np);
        double[] gs = s.zeroGrad(np);
        int full = S.loopBound(n);
        java.util.Arrays.fill(lanes, L, 3 * L, 0.0);
        int tile = wideTileRows(np);
        double[] yt = s.tileY;
        double[] pd = s.tileDots;
        double[] wr = s.tileWR;
        boolean pair = L < 8 && full == L && n > L;
        long[] kb = s.keep(full, n);
        for (int i0 = from; i0 < end; i0 += tile) {
            int i1 = Math.min(end, i0 + tile);
            tileDots(x, xOff, ldx, n, t, full, kb, pair, i0, i1, pd);
            double[] ya = y;
            int yo = yOff;
            if (yInc != 1) {
                for (int i = i0; i < i1; i++) yt[i - i0] = y[yOff + i * yInc];
                ya = yt;
                yo = -i0;
            }
            weightedFinish(pd, b, ya, yo, w, wOff, r, rOff, wr, i0, i1, lanes);
            if (n <= L) narrowGradient(x, xOff, ldx, wr, -i0, gs, i0, i1);
            else if (n <= 2 * L && L < 8) pairGradient(x, xOff, ldx, wr, -i0, gs, i0, i1);
            else wideGradient(x, xOff, ldx, n, wr, -i0, gs, i0, i1);
        }
        double ss = sumLanes(lanes, L);
        double sum = sumLanes(lanes, 2 * L);
        double sst = 0; // the rows the blocks left: plain loops, terms added after the blocks'
        double sumt = 0;
        for (int i = end; i < to; i++) {
            int base = xOff + i * ldx;
            double dot = 0;
            for (int j = 0; j < n; j++) dot += x[base + j] * theta[j];
            double ri = dot + b - y[yOff + i * yInc];
            if (r != null) r[rOff + i] = ri;
            double wri = w[wOff + i] * ri;
            for (int j = 0; j < n; j++) gs[j] += wri * x[base + j];
            sst += wri * ri;
            sumt += wri;
        }
        for (int j = 0; j < n; j++) g[j] += gs[j];
        g[n] += sum + sumt;
        return ss + sst;
    }

    /**
     * {@code r_i = pd[i − i0] + b − y[yo + i]} for {@code i0 ≤ i < i1} (whole blocks): stored in {@code r[rOff + i]}
     * when r != null, {@code wr[i − i0] = w[wOff + i]·r_i}; the lane sums of w·r² and w·r are added to
     * {@code lanes[L .. 2L)} and {@code lanes[2L .. 3L)}.
     */
    static void weightedFinish(double[] pd, double b, double[] ya, int yo, double[] w, int wOff, double[] r,
                                       int rOff, double[] wr, int i0, int i1, double[] lanes) {
        DoubleVector bb = DoubleVector.broadcast(S, b);
        DoubleVector q = DoubleVector.fromArray(S, lanes, L), sv = DoubleVector.fromArray(S, lanes, 2 * L);
        for (int i = i0; i < i1; i += L) {
            DoubleVector rv = DoubleVector.fromArray(S, pd, i - i0).add(bb).sub(DoubleVector.fromArray(S, ya, yo + i));
            if (r != null) rv.intoArray(r, rOff + i);
            DoubleVector wv = DoubleVector.fromArray(S, w, wOff + i).mul(rv);
            wv.intoArray(wr, i - i0);
            q = wv.fma(rv, q);
            sv = sv.add(wv);
        }
        q.intoArray(lanes, L);
        sv.intoArray(lanes, 2 * L);
    }

    /**
     * Blocked like {@link #fusedCol}: a block's residuals by {@link #axpyColumns}, then {@link #weighColumns} (w∘r
     * and Σw r²), then the block's gradient by {@link #dotColumns} reading w∘r.
     */
    @Override
    public double fusedWeightedCol(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                                   int yOff, int yInc, double[] w, int wOff, double[] r, int rOff, double[] g,
                                   int from, int to) {
        double[] scratch = SCRATCH.get();
        double[] wbuf = WEIGHTED.get();
        int block = blockRows(n);
        double[] out = r != null ? r : scratch;
        double ss = 0;
        double sum = 0;
        for (int i0 = from; i0 < to; i0 += block) {
            int i1 = Math.min(to, i0 + block);
            int o = r != null ? rOff : -i0;
            axpyColumns(x, xOff, ldx, n, theta, b, y, yOff, yInc, out, o, i0, i1, scratch);
            ss += weighColumns(out, o, w, wOff, wbuf, i0, i1);
            sum += dotColumns(x, xOff, ldx, n, wbuf, -i0, g, i0, i1, wbuf);
        }
        g[n] += sum;
        return ss;
    }

    /** {@code wr[i − i0] = w[wOff + i]·r[o + i]} for {@code i0 ≤ i < i1}; returns {@code Σ w_i r_i²}. */
    static double weighColumns(double[] r, int o, double[] w, int wOff, double[] wr, int i0, int i1) {
        int vEnd = i0 + S.loopBound(i1 - i0);
        DoubleVector q = DoubleVector.zero(S);
        int i = i0;
        for (; i < vEnd; i += L) {
            DoubleVector rv = DoubleVector.fromArray(S, r, o + i);
            DoubleVector wv = DoubleVector.fromArray(S, w, wOff + i).mul(rv);
            wv.intoArray(wr, i - i0);
            q = wv.fma(rv, q);
        }
        q.intoArray(wr, LANES);
        double ss = sumLanes(wr, LANES);
        for (; i < i1; i++) {
            double v = w[wOff + i] * r[o + i];
            wr[i - i0] = v;
            ss += v * r[o + i];
        }
        return ss;
    }
}
