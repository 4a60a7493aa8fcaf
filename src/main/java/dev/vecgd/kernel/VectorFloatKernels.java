package dev.vecgd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorKernels} over heap float32 X ({@code float[]}, {@link FloatMatrix}): the same methods, blocks,
 * tiles, transpose-add trees and summation order, with every vector load of X a load of L floats (a
 * {@code FloatVector} of half the double vector's bits, {@code FloatVector.fromArray}) widened to L doubles
 * ({@code convertShape(F2D, S, 0)}) and every scalar load of X a float widened to double. All arithmetic is in
 * double, so on float data this computes what {@link VectorKernels} computes on the widened data: the same bits
 * for the same call (tested), and the same bits as {@link VectorFloatSegmentKernels} on the same floats off-heap
 * wherever {@link VectorSegmentKernels} gives the bits of {@link VectorKernels}. Generated from
 * {@link VectorKernels} by replacing its loads of X (keep the two in step), with {@link #wideDots} split in two
 * as in the float segment kernels; the same rules against boxing: no vector crosses a method of ours, species
 * are {@code static final}, masks are made from ints inside each kernel.
 *
 * <p>Arrays, never heap {@code MemorySegment}s: the segment kernels' load sites would then see heap and native
 * segments, which made the native float32 pass 76–84 % slower in the same JVM (profile pollution).
 */
final class VectorFloatKernels implements FloatKernelImpl {

    private static final VectorSpecies<Double> S = VectorKernels.S;
    private static final int L = S.length();
    /** L floats: half the bits of {@link #S}, so one load widens to one vector of L doubles. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(Math.max(64, S.vectorBitSize() / 2)));
    private static final VectorOperators.Conversion<Float, Double> F2D = VectorOperators.F2D;
    private static final VectorSpecies<Long> LS = VectorKernels.LS;
    private static final int MAX_BLOCK = 2048;
    /** Start of the lane buffer after a block's residuals in the scratch array (room for four vectors). */
    private static final int LANES = MAX_BLOCK;
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[LANES + 4 * L]);
    private static final VectorMask<Double> HI1 = VectorKernels.HI1;
    private static final VectorMask<Double> HI2 = VectorKernels.HI2;
    private static final VectorMask<Double> HI4 = VectorKernels.HI4;
    private static final VectorShuffle<Double> SWAP1 = VectorKernels.SWAP1;
    private static final VectorShuffle<Double> SWAP2 = VectorKernels.SWAP2;
    private static final VectorShuffle<Double> SWAP4 = VectorKernels.SWAP4;

    private VectorFloatKernels() {
    }

    /** Called reflectively by {@link FloatKernels}; null when vectors hold fewer than two doubles. */
    static FloatKernelImpl create() {
        return L >= 2 ? new VectorFloatKernels() : null;
    }

    @Override
    public String name() {
        return "vector (float32): " + S.vectorBitSize() + "-bit, " + L + " floats widened to doubles per vector";
    }

    /** The packing step of a Gram pass lives in its own class ({@link PackKernelVector}). */
    @Override
    public void copyShiftedRows(float[] x, int xOff, int ldx, int rows, int n, double[] shift, double[] out,
                                int oOff, int ldo, double[] absMax) {
        PackKernelVector.copyShiftedFloatRows(x, xOff, ldx, rows, n, shift, out, oOff, ldo, absMax);
    }

    /** Gather offsets of {@link #standardizeRowsToColumns} (lane i reads row i: i·ldx), then the ldx they were made for. */
    private static final ThreadLocal<int[]> GATHER = ThreadLocal.withInitial(() -> {
        int[] g = new int[L + 1];
        g[L] = -1;
        return g;
    });

    /**
     * As {@link VectorKernels#standardizeRowsToColumns}: L rows of two columns gathered as L floats each (a half-width
     * float gather), widened, standardized lanewise and stored contiguously; the rows past the last full vector, the
     * odd last column and every row at L = 2 (two-lane gathers are not compiled to SIMD) in plain Java, with the same
     * two roundings.
     */
    @Override
    public void standardizeRowsToColumns(float[] x, int xOff, int ldx, int rows, int n, double[] mean, double[] scale,
                                         double[] out, int ldo) {
        int[] stride = GATHER.get();
        if (stride[L] != ldx) {
            for (int i = 0; i < L; i++) stride[i] = i * ldx;
            stride[L] = ldx;
        }
        int upper = L == 2 ? 0 : S.loopBound(rows);
        int j = 0;
        for (; j + 1 < n; j += 2) {
            double mu0 = mean[j], s0 = scale[j];
            double mu1 = mean[j + 1], s1 = scale[j + 1];
            int col0 = j * ldo;
            int col1 = col0 + ldo;
            for (int r = 0; r < upper; r += L) {
                int base = xOff + r * ldx + j;
                ((DoubleVector) FloatVector.fromArray(F, x, base, stride, 0).convertShape(F2D, S, 0))
                        .sub(mu0).mul(s0).intoArray(out, col0 + r);
                ((DoubleVector) FloatVector.fromArray(F, x, base + 1, stride, 0).convertShape(F2D, S, 0))
                        .sub(mu1).mul(s1).intoArray(out, col1 + r);
            }
            for (int r = upper; r < rows; r++) {
                int base = xOff + r * ldx + j;
                out[col0 + r] = (x[base] - mu0) * s0;
                out[col1 + r] = (x[base + 1] - mu1) * s1;
            }
        }
        if (j < n) {
            double mu = mean[j];
            double sj = scale[j];
            int col = j * ldo;
            for (int r = 0; r < rows; r++) out[col + r] = (x[xOff + r * ldx + j] - mu) * sj;
        }
    }

    /** {@code buf[off] + … + buf[off + L − 1]}, left to right. */
    private static double sumLanes(double[] buf, int off) {
        double s = buf[off];
        for (int k = 1; k < L; k++) s += buf[off + k];
        return s;
    }

    // ------------------------------------------------------------------ row-major

    @Override
    public double residualsRow(float[] x, int xOff, int ldx, int n, double[] theta, double b,
                               double[] y, int yOff, int yInc, double[] r, int rOff, int from, int to) {
        // The tiles of fusedRowTiles without the gradient: small methods, each far under C2's node-count
        // inlining cutoff (the one-loop body parsed to about 39,000 nodes).
        int np = Math.max(L, VectorKernels.padded(n));
        int end = VectorKernels.blockEnd(from, to, n, ldx, np); // rows [from, end) in whole blocks, the rest row by row
        VectorKernels.RowScratch s = VectorKernels.ROWS.get();
        double[] lanes = s.lanes;
        double[] t = s.theta(theta, n, np);
        int full = S.loopBound(n);
        java.util.Arrays.fill(lanes, L, 3 * L, 0.0);
        int tile = VectorKernels.wideTileRows(np);
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
            for (int j = 0; j < n; j++) dot += (double) x[base + j] * theta[j];
            double ri = dot + b - (y == null ? 0 : y[yOff + i * yInc]);
            if (r != null) r[rOff + i] = ri;
            ss += ri * ri;
        }
        return ss;
    }


    @Override
    public double fusedRow(float[] x, int xOff, int ldx, int n, double[] theta, double b,
                           double[] y, int yOff, int yInc, double[] r, int rOff, double[] g, int from, int to) {
        if (n == 1 && ldx == 1) {
            // One contiguous column: the same data as a column-major single column.
            return fusedCol(x, xOff, 1, 1, theta, b, y, yOff, yInc, r, rOff, g, from, to);
        }
        return fusedRowTiles(x, xOff, ldx, n, theta, b, y, yOff, yInc, r, rOff, g, from, to);
    }

    /** The rows the blocks left: plain loops, terms added after the blocks'; {ss, sum} into out. */
    private static void fusedRowsPlain(float[] x, int xOff, int ldx, int n, double[] theta, double b,
                                       double[] y, int yOff, int yInc, double[] r, int rOff, double[] gs,
                                       int from, int to, double[] out) {
        double ss = 0;
        double sum = 0;
        for (int i = from; i < to; i++) {
            int base = xOff + i * ldx;
            double dot = 0;
            for (int j = 0; j < n; j++) dot += (double) x[base + j] * theta[j];
            double ri = dot + b - y[yOff + i * yInc];
            if (r != null) r[rOff + i] = ri;
            for (int j = 0; j < n; j++) gs[j] += ri * (double) x[base + j];
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
    private static void tileDots(float[] x, int xOff, int ldx, int n, double[] t, int full, long[] kb, boolean pair,
                                 int i0, int i1, double[] pd) {
        if (pair) {
            pairDots(x, xOff, ldx, t, kb, i0, i1, pd);
            return;
        }
        if (full > 0 && L == 8 && n >= 16) wideDotsPairs(x, xOff, ldx, n, t, i0, i1, pd);
        else if (full > 0) wideDots(x, xOff, ldx, n, t, i0, i1, pd);
        else java.util.Arrays.fill(pd, 0, i1 - i0, 0.0);
        if (full < n) maskedDotsAdd(x, xOff + full, ldx, t, full, kb, i0, i1, pd);
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
    private static double fusedRowTiles(float[] x, int xOff, int ldx, int n, double[] theta, double b,
                                       double[] y, int yOff, int yInc, double[] r, int rOff, double[] g,
                                       int from, int to) {
        int np = Math.max(L, VectorKernels.padded(n)); // n = 0 (an intercept alone) still reads one masked vector per row
        int end = VectorKernels.blockEnd(from, to, n, ldx, np); // rows [from, end) in whole blocks, the rest row by row
        VectorKernels.RowScratch s = VectorKernels.ROWS.get();
        double[] lanes = s.lanes;
        double[] t = s.theta(theta, n, np);
        double[] gs = s.zeroGrad(np);
        int full = S.loopBound(n);
        java.util.Arrays.fill(lanes, L, 3 * L, 0.0); // Σr² and Σr lane sums, accumulated over the tiles
        int tile = VectorKernels.wideTileRows(np);
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
    private static void wideDots(float[] x, int xOff, int ldx, int n, double[] t, int i0, int i1, double[] pd) {
        int full = S.loopBound(n);
        int full8 = n & ~7;
        for (int i = i0, p0 = xOff + i0 * ldx; i < i1; i += L, p0 += L * ldx) {
            DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            int j = 0;
            // (L = 8 and n >= 16 take wideDotsPairs, which adds the pairs loop before this one)
            // Eight doubles of each row per iteration, so eight FMA chains run at every width: one vector
            // of each of 8 rows (L = 8); two of each of 4 rows (L = 4: a0..a3 and a4..a7); four of each of 2
            // rows (L = 2: a0, a2, a4, a6 and a1, a3, a5, a7). The chains of a row are added before the tree.
            for (; j < full8; j += 8) {
                int p = p0 + j;
                if (L == 8) {
                    DoubleVector tv = DoubleVector.fromArray(S, t, j);
                    a0 = ((DoubleVector) FloatVector.fromArray(F, x, p).convertShape(F2D, S, 0)).fma(tv, a0);
                    a1 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0)).fma(tv, a1);
                    a2 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx).convertShape(F2D, S, 0)).fma(tv, a2);
                    a3 = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx).convertShape(F2D, S, 0)).fma(tv, a3);
                    a4 = ((DoubleVector) FloatVector.fromArray(F, x, p + 4 * ldx).convertShape(F2D, S, 0)).fma(tv, a4);
                    a5 = ((DoubleVector) FloatVector.fromArray(F, x, p + 5 * ldx).convertShape(F2D, S, 0)).fma(tv, a5);
                    a6 = ((DoubleVector) FloatVector.fromArray(F, x, p + 6 * ldx).convertShape(F2D, S, 0)).fma(tv, a6);
                    a7 = ((DoubleVector) FloatVector.fromArray(F, x, p + 7 * ldx).convertShape(F2D, S, 0)).fma(tv, a7);
                } else if (L == 4) {
                    DoubleVector tv = DoubleVector.fromArray(S, t, j), tw = DoubleVector.fromArray(S, t, j + 4);
                    a0 = ((DoubleVector) FloatVector.fromArray(F, x, p).convertShape(F2D, S, 0)).fma(tv, a0);
                    a1 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0)).fma(tv, a1);
                    a2 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx).convertShape(F2D, S, 0)).fma(tv, a2);
                    a3 = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx).convertShape(F2D, S, 0)).fma(tv, a3);
                    a4 = ((DoubleVector) FloatVector.fromArray(F, x, p + 4).convertShape(F2D, S, 0)).fma(tw, a4);
                    a5 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx + 4).convertShape(F2D, S, 0)).fma(tw, a5);
                    a6 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx + 4).convertShape(F2D, S, 0)).fma(tw, a6);
                    a7 = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx + 4).convertShape(F2D, S, 0)).fma(tw, a7);
                } else {
                    DoubleVector t0 = DoubleVector.fromArray(S, t, j), t1 = DoubleVector.fromArray(S, t, j + 2);
                    DoubleVector t2 = DoubleVector.fromArray(S, t, j + 4), t3 = DoubleVector.fromArray(S, t, j + 6);
                    a0 = ((DoubleVector) FloatVector.fromArray(F, x, p).convertShape(F2D, S, 0)).fma(t0, a0);
                    a1 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0)).fma(t0, a1);
                    a2 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2).convertShape(F2D, S, 0)).fma(t1, a2);
                    a3 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx + 2).convertShape(F2D, S, 0)).fma(t1, a3);
                    a4 = ((DoubleVector) FloatVector.fromArray(F, x, p + 4).convertShape(F2D, S, 0)).fma(t2, a4);
                    a5 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx + 4).convertShape(F2D, S, 0)).fma(t2, a5);
                    a6 = ((DoubleVector) FloatVector.fromArray(F, x, p + 6).convertShape(F2D, S, 0)).fma(t3, a6);
                    a7 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx + 6).convertShape(F2D, S, 0)).fma(t3, a7);
                }
            }
            if (L < 8) {
                for (; j < full; j += L) { // the whole vectors after the eight-double steps
                    DoubleVector tv = DoubleVector.fromArray(S, t, j);
                    int p = p0 + j;
                    a0 = ((DoubleVector) FloatVector.fromArray(F, x, p).convertShape(F2D, S, 0)).fma(tv, a0);
                    a1 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0)).fma(tv, a1);
                    if (L == 4) {
                        a2 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx).convertShape(F2D, S, 0)).fma(tv, a2);
                        a3 = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx).convertShape(F2D, S, 0)).fma(tv, a3);
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
     * {@code pd[i − i0] = Σ_{j < S.loopBound(n)} x_ij·t_j} for the rows {@code i0 ≤ i < i1} (a whole number of
     * blocks of L rows, every row readable with whole vectors): the dot products over the rows' whole vectors,
     * L accumulators per block reduced by the transpose-add tree. A partial last vector is added by
     * {@link #maskedDotsAdd} (a masked tail here made the method large enough for C2 to defer its Vector API
     * calls to incremental inlining). For L = 8 and n ≥ 16 only (the loop over pairs of vectors of each row): split
     * off {@link #wideDots} to keep each method small for C2, where every float load is also a conversion (the
     * float32 segment kernels boxed at n = 8, 512 bits, before the same split).
     */
    private static void wideDotsPairs(float[] x, int xOff, int ldx, int n, double[] t, int i0, int i1, double[] pd) {
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
                    a0 = ((DoubleVector) FloatVector.fromArray(F, x, p + 8).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromArray(F, x, p).convertShape(F2D, S, 0)).fma(tv, a0));
                    a1 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx + 8).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0)).fma(tv, a1));
                    a2 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx + 8).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx).convertShape(F2D, S, 0)).fma(tv, a2));
                    a3 = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx + 8).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx).convertShape(F2D, S, 0)).fma(tv, a3));
                    a4 = ((DoubleVector) FloatVector.fromArray(F, x, p + 4 * ldx + 8).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromArray(F, x, p + 4 * ldx).convertShape(F2D, S, 0)).fma(tv, a4));
                    a5 = ((DoubleVector) FloatVector.fromArray(F, x, p + 5 * ldx + 8).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromArray(F, x, p + 5 * ldx).convertShape(F2D, S, 0)).fma(tv, a5));
                    a6 = ((DoubleVector) FloatVector.fromArray(F, x, p + 6 * ldx + 8).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromArray(F, x, p + 6 * ldx).convertShape(F2D, S, 0)).fma(tv, a6));
                    a7 = ((DoubleVector) FloatVector.fromArray(F, x, p + 7 * ldx + 8).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromArray(F, x, p + 7 * ldx).convertShape(F2D, S, 0)).fma(tv, a7));
                }
            }
            // Eight doubles of each row per iteration, so eight FMA chains run at every width: one vector
            // of each of 8 rows (L = 8); two of each of 4 rows (L = 4: a0..a3 and a4..a7); four of each of 2
            // rows (L = 2: a0, a2, a4, a6 and a1, a3, a5, a7). The chains of a row are added before the tree.
            for (; j < full8; j += 8) {
                int p = p0 + j;
                if (L == 8) {
                    DoubleVector tv = DoubleVector.fromArray(S, t, j);
                    a0 = ((DoubleVector) FloatVector.fromArray(F, x, p).convertShape(F2D, S, 0)).fma(tv, a0);
                    a1 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0)).fma(tv, a1);
                    a2 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx).convertShape(F2D, S, 0)).fma(tv, a2);
                    a3 = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx).convertShape(F2D, S, 0)).fma(tv, a3);
                    a4 = ((DoubleVector) FloatVector.fromArray(F, x, p + 4 * ldx).convertShape(F2D, S, 0)).fma(tv, a4);
                    a5 = ((DoubleVector) FloatVector.fromArray(F, x, p + 5 * ldx).convertShape(F2D, S, 0)).fma(tv, a5);
                    a6 = ((DoubleVector) FloatVector.fromArray(F, x, p + 6 * ldx).convertShape(F2D, S, 0)).fma(tv, a6);
                    a7 = ((DoubleVector) FloatVector.fromArray(F, x, p + 7 * ldx).convertShape(F2D, S, 0)).fma(tv, a7);
                } else if (L == 4) {
                    DoubleVector tv = DoubleVector.fromArray(S, t, j), tw = DoubleVector.fromArray(S, t, j + 4);
                    a0 = ((DoubleVector) FloatVector.fromArray(F, x, p).convertShape(F2D, S, 0)).fma(tv, a0);
                    a1 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0)).fma(tv, a1);
                    a2 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx).convertShape(F2D, S, 0)).fma(tv, a2);
                    a3 = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx).convertShape(F2D, S, 0)).fma(tv, a3);
                    a4 = ((DoubleVector) FloatVector.fromArray(F, x, p + 4).convertShape(F2D, S, 0)).fma(tw, a4);
                    a5 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx + 4).convertShape(F2D, S, 0)).fma(tw, a5);
                    a6 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx + 4).convertShape(F2D, S, 0)).fma(tw, a6);
                    a7 = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx + 4).convertShape(F2D, S, 0)).fma(tw, a7);
                } else {
                    DoubleVector t0 = DoubleVector.fromArray(S, t, j), t1 = DoubleVector.fromArray(S, t, j + 2);
                    DoubleVector t2 = DoubleVector.fromArray(S, t, j + 4), t3 = DoubleVector.fromArray(S, t, j + 6);
                    a0 = ((DoubleVector) FloatVector.fromArray(F, x, p).convertShape(F2D, S, 0)).fma(t0, a0);
                    a1 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0)).fma(t0, a1);
                    a2 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2).convertShape(F2D, S, 0)).fma(t1, a2);
                    a3 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx + 2).convertShape(F2D, S, 0)).fma(t1, a3);
                    a4 = ((DoubleVector) FloatVector.fromArray(F, x, p + 4).convertShape(F2D, S, 0)).fma(t2, a4);
                    a5 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx + 4).convertShape(F2D, S, 0)).fma(t2, a5);
                    a6 = ((DoubleVector) FloatVector.fromArray(F, x, p + 6).convertShape(F2D, S, 0)).fma(t3, a6);
                    a7 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx + 6).convertShape(F2D, S, 0)).fma(t3, a7);
                }
            }
            if (L < 8) {
                for (; j < full; j += L) { // the whole vectors after the eight-double steps
                    DoubleVector tv = DoubleVector.fromArray(S, t, j);
                    int p = p0 + j;
                    a0 = ((DoubleVector) FloatVector.fromArray(F, x, p).convertShape(F2D, S, 0)).fma(tv, a0);
                    a1 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0)).fma(tv, a1);
                    if (L == 4) {
                        a2 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx).convertShape(F2D, S, 0)).fma(tv, a2);
                        a3 = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx).convertShape(F2D, S, 0)).fma(tv, a3);
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
     * {@code pd[i − i0] += Σ_{k < L, kept} (double) x[xOff + i·ldx + k]·t[tOff + k]} for {@code i0 ≤ i < i1} (whole blocks):
     * one vector per row whose lanes are kept where {@code kb[k]} has all bits set (the columns below n
     * of a row's partial last vector) and cleared elsewhere, so that what lies past a row's n columns (the
     * next row, padding, NaN) never reaches a sum. L products per block reduced by the transpose-add tree.
     */
    private static void maskedDotsAdd(float[] x, int xOff, int ldx, double[] t, int tOff, long[] kb, int i0,
                                      int i1, double[] pd) {
        LongVector kv = LongVector.fromArray(LS, kb, 0);
        // lanes past n cleared by a blend with zeros (one operation; at 2 lanes, where C2 on x86 does not
        // intrinsify a blend, by an AND of the bits): the masked body stays well under C2's inlining budget
        VectorMask<Double> drop = L == 2 ? null : kv.reinterpretAsDoubles().compare(VectorOperators.EQ, 0.0);
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector tv = DoubleVector.fromArray(S, t, tOff);
        for (int i = i0, p = xOff + i0 * ldx; i < i1; i += L, p += L * ldx) {
            DoubleVector a0 = ((DoubleVector) FloatVector.fromArray(F, x, p).convertShape(F2D, S, 0));
            a0 = (L == 2 ? a0.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a0.blend(zero, drop)).mul(tv);
            DoubleVector a1 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0));
            a1 = (L == 2 ? a1.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a1.blend(zero, drop)).mul(tv);
            DoubleVector a2 = a0, a3 = a0;
            if (L >= 4) {
                a2 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx).convertShape(F2D, S, 0));
                a2 = (L == 2 ? a2.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a2.blend(zero, drop)).mul(tv);
                a3 = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx).convertShape(F2D, S, 0));
                a3 = (L == 2 ? a3.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a3.blend(zero, drop)).mul(tv);
            }
            if (L == 8) {
                DoubleVector a4 = ((DoubleVector) FloatVector.fromArray(F, x, p + 4 * ldx).convertShape(F2D, S, 0));
                a4 = (L == 2 ? a4.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a4.blend(zero, drop)).mul(tv);
                DoubleVector a5 = ((DoubleVector) FloatVector.fromArray(F, x, p + 5 * ldx).convertShape(F2D, S, 0));
                a5 = (L == 2 ? a5.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a5.blend(zero, drop)).mul(tv);
                DoubleVector a6 = ((DoubleVector) FloatVector.fromArray(F, x, p + 6 * ldx).convertShape(F2D, S, 0));
                a6 = (L == 2 ? a6.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a6.blend(zero, drop)).mul(tv);
                DoubleVector a7 = ((DoubleVector) FloatVector.fromArray(F, x, p + 7 * ldx).convertShape(F2D, S, 0));
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
    private static void pairDots(float[] x, int xOff, int ldx, double[] t, long[] kb, int i0, int i1, double[] pd) {
        LongVector kv = LongVector.fromArray(LS, kb, 0);
        VectorMask<Double> drop = L == 2 ? null : kv.reinterpretAsDoubles().compare(VectorOperators.EQ, 0.0); // see maskedDotsAdd
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector t0 = DoubleVector.fromArray(S, t, 0), t1 = DoubleVector.fromArray(S, t, L);
        for (int i = i0, p = xOff + i0 * ldx; i < i1; i += L, p += L * ldx) {
            DoubleVector a0 = ((DoubleVector) FloatVector.fromArray(F, x, p + L).convertShape(F2D, S, 0));
            a0 = (L == 2 ? a0.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a0.blend(zero, drop)).mul(t1);
            DoubleVector a1 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx + L).convertShape(F2D, S, 0));
            a1 = (L == 2 ? a1.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a1.blend(zero, drop)).mul(t1);
            a0 = ((DoubleVector) FloatVector.fromArray(F, x, p).convertShape(F2D, S, 0)).fma(t0, a0);
            a1 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0)).fma(t0, a1);
            DoubleVector a2 = a0, a3 = a0;
            if (L == 4) {
                a2 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx + L).convertShape(F2D, S, 0));
                a2 = (L == 2 ? a2.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a2.blend(zero, drop)).mul(t1);
                a3 = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx + L).convertShape(F2D, S, 0));
                a3 = (L == 2 ? a3.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a3.blend(zero, drop)).mul(t1);
                a2 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx).convertShape(F2D, S, 0)).fma(t0, a2);
                a3 = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx).convertShape(F2D, S, 0)).fma(t0, a3);
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
     * {@code gs[k] += Σ_i (double) x[xOff + i·ldx + k]·r[ro + i]}, {@code k < 2L}, for rows of at most two vectors (L < 8),
     * {@code i0 ≤ i < i1} in whole blocks (the lanes past n only reach gs past n, never read); two accumulators
     * per column vector for the tile.
     */
    private static void pairGradient(float[] x, int xOff, int ldx, double[] ra, int ro, double[] gs, int i0, int i1) {
        DoubleVector g0 = DoubleVector.fromArray(S, gs, 0), g1 = DoubleVector.fromArray(S, gs, L);
        DoubleVector h0 = DoubleVector.zero(S), h1 = h0;
        for (int i = i0, p = xOff + i0 * ldx; i < i1; i += L, p += L * ldx) {
            int o = ro + i;
            DoubleVector r0 = DoubleVector.broadcast(S, ra[o]), r1 = DoubleVector.broadcast(S, ra[o + 1]);
            g0 = ((DoubleVector) FloatVector.fromArray(F, x, p).convertShape(F2D, S, 0)).fma(r0, g0);
            g1 = ((DoubleVector) FloatVector.fromArray(F, x, p + L).convertShape(F2D, S, 0)).fma(r0, g1);
            h0 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0)).fma(r1, h0);
            h1 = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx + L).convertShape(F2D, S, 0)).fma(r1, h1);
            if (L == 4) {
                DoubleVector r2 = DoubleVector.broadcast(S, ra[o + 2]), r3 = DoubleVector.broadcast(S, ra[o + 3]);
                g0 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx).convertShape(F2D, S, 0)).fma(r2, g0);
                g1 = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx + L).convertShape(F2D, S, 0)).fma(r2, g1);
                h0 = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx).convertShape(F2D, S, 0)).fma(r3, h0);
                h1 = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx + L).convertShape(F2D, S, 0)).fma(r3, h1);
            }
        }
        g0.add(h0).intoArray(gs, 0);
        g1.add(h1).intoArray(gs, L);
    }

    /**
     * {@code gs[k] += Σ_i (double) x[xOff + i·ldx + k]·r[ro + i]}, {@code k < L}, for {@code i0 ≤ i < i1} (whole blocks;
     * rows of at most one vector, gs holds L values: the lanes past n only reach gs past n, never read).
     * Four accumulators for the tile, so the FMAs of a block do not wait on each other.
     */
    private static void narrowGradient(float[] x, int xOff, int ldx, double[] ra, int ro, double[] gs, int i0,
                                       int i1) {
        DoubleVector ga = DoubleVector.fromArray(S, gs, 0), gb = DoubleVector.zero(S), gc = gb, gd = gb;
        for (int i = i0, p = xOff + i0 * ldx; i < i1; i += L, p += L * ldx) {
            int o = ro + i;
            ga = ((DoubleVector) FloatVector.fromArray(F, x, p).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, ra[o]), ga);
            gb = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, ra[o + 1]), gb);
            if (L >= 4) {
                gc = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, ra[o + 2]), gc);
                gd = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, ra[o + 3]), gd);
            }
            if (L == 8) {
                ga = ((DoubleVector) FloatVector.fromArray(F, x, p + 4 * ldx).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, ra[o + 4]), ga);
                gb = ((DoubleVector) FloatVector.fromArray(F, x, p + 5 * ldx).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, ra[o + 5]), gb);
                gc = ((DoubleVector) FloatVector.fromArray(F, x, p + 6 * ldx).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, ra[o + 6]), gc);
                gd = ((DoubleVector) FloatVector.fromArray(F, x, p + 7 * ldx).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, ra[o + 7]), gd);
            }
        }
        ga.add(gb).add(gc.add(gd)).intoArray(gs, 0);
    }

    /**
     * {@code gs[j] += Σ_i x_ij·r[ro + i]} for the rows {@code i0 ≤ i < i1} (whole blocks, every row readable
     * with whole vectors; gs padded to whole vectors: a row's last vector is read whole, its lanes past n
     * only reach gs past n, never read). Block by block, the L rows' terms added to gs in row order.
     */
    private static void wideGradient(float[] x, int xOff, int ldx, int n, double[] ra, int ro, double[] gs,
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
                gv = ((DoubleVector) FloatVector.fromArray(F, x, p).convertShape(F2D, S, 0)).fma(r0, gv);
                if (L == 2) {
                    gw = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0)).mul(r1);
                } else if (L == 4) {
                    gv = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0)).fma(r1, gv);
                    gw = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx).convertShape(F2D, S, 0)).mul(r2);
                    gw = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx).convertShape(F2D, S, 0)).fma(r3, gw);
                } else {
                    gv = ((DoubleVector) FloatVector.fromArray(F, x, p + ldx).convertShape(F2D, S, 0)).fma(r1, gv);
                    gv = ((DoubleVector) FloatVector.fromArray(F, x, p + 2 * ldx).convertShape(F2D, S, 0)).fma(r2, gv);
                    gv = ((DoubleVector) FloatVector.fromArray(F, x, p + 3 * ldx).convertShape(F2D, S, 0)).fma(r3, gv);
                    gw = ((DoubleVector) FloatVector.fromArray(F, x, p + 4 * ldx).convertShape(F2D, S, 0)).mul(r4);
                    gw = ((DoubleVector) FloatVector.fromArray(F, x, p + 5 * ldx).convertShape(F2D, S, 0)).fma(r5, gw);
                    gw = ((DoubleVector) FloatVector.fromArray(F, x, p + 6 * ldx).convertShape(F2D, S, 0)).fma(r6, gw);
                    gw = ((DoubleVector) FloatVector.fromArray(F, x, p + 7 * ldx).convertShape(F2D, S, 0)).fma(r7, gw);
                }
                gv.add(gw).intoArray(gs, j);
            }
        }
    }
    // ------------------------------------------------------------------ column-major

    @Override
    public double residualsCol(float[] x, int xOff, int ldx, int n, double[] theta, double b,
                               double[] y, int yOff, int yInc, double[] r, int rOff, int from, int to) {
        int block = VectorKernels.blockRows(n);
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


    /**
     * Blocked: the residuals of a block are formed from X four columns per pass (a read from memory),
     * then the block's gradient four columns per pass while its rows are still in L2. (A
     * software-pipelined variant, forming block k's residuals in the same loop as block k−1's gradient,
     * was no faster here and C2 boxed its vectors at every block.)
     */
    @Override
    public double fusedCol(float[] x, int xOff, int ldx, int n, double[] theta, double b,
                           double[] y, int yOff, int yInc, double[] r, int rOff, double[] g, int from, int to) {
        double[] scratch = SCRATCH.get();
        int block = VectorKernels.blockRows(n);
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
    private static double axpyColumns(float[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
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
                DoubleVector p01 = ((DoubleVector) FloatVector.fromArray(F, x, c1 + i).convertShape(F2D, S, 0)).fma(t1, ((DoubleVector) FloatVector.fromArray(F, x, c0 + i).convertShape(F2D, S, 0)).mul(t0));
                DoubleVector p23 = ((DoubleVector) FloatVector.fromArray(F, x, c3 + i).convertShape(F2D, S, 0)).fma(t3, ((DoubleVector) FloatVector.fromArray(F, x, c2 + i).convertShape(F2D, S, 0)).mul(t2));
                DoubleVector.fromArray(S, out, o + i).add(p01.add(p23)).intoArray(out, o + i);
            }
            for (; i < i1; i++) {
                out[o + i] += (x[c0 + i] * theta[j] + (double) x[c1 + i] * theta[j + 1])
                        + (x[c2 + i] * theta[j + 2] + (double) x[c3 + i] * theta[j + 3]);
            }
        }
        for (; j < n; j++) {
            int c0 = xOff + j * ldx;
            double tj = theta[j];
            DoubleVector t0 = DoubleVector.broadcast(S, tj);
            for (i = i0; i < vEnd; i += L) {
                ((DoubleVector) FloatVector.fromArray(F, x, c0 + i).convertShape(F2D, S, 0)).fma(t0, DoubleVector.fromArray(S, out, o + i)).intoArray(out, o + i);
            }
            for (; i < i1; i++) out[o + i] += (double) x[c0 + i] * tj;
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
    private static double dotColumns(float[] x, int xOff, int ldx, int n, double[] r, int o, double[] g,
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
                a0 = ((DoubleVector) FloatVector.fromArray(F, x, c0 + i).convertShape(F2D, S, 0)).fma(rv, a0);
                a1 = ((DoubleVector) FloatVector.fromArray(F, x, c1 + i).convertShape(F2D, S, 0)).fma(rv, a1);
                a2 = ((DoubleVector) FloatVector.fromArray(F, x, c2 + i).convertShape(F2D, S, 0)).fma(rv, a2);
                a3 = ((DoubleVector) FloatVector.fromArray(F, x, c3 + i).convertShape(F2D, S, 0)).fma(rv, a3);
            }
            a0.intoArray(buf, LANES);
            a1.intoArray(buf, LANES + L);
            a2.intoArray(buf, LANES + 2 * L);
            a3.intoArray(buf, LANES + 3 * L);
            double s0 = sumLanes(buf, LANES), s1 = sumLanes(buf, LANES + L);
            double s2 = sumLanes(buf, LANES + 2 * L), s3 = sumLanes(buf, LANES + 3 * L);
            for (; i < i1; i++) {
                double ri = r[o + i];
                s0 += ri * (double) x[c0 + i];
                s1 += ri * (double) x[c1 + i];
                s2 += ri * (double) x[c2 + i];
                s3 += ri * (double) x[c3 + i];
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
                a0 = ((DoubleVector) FloatVector.fromArray(F, x, c0 + i).convertShape(F2D, S, 0)).fma(DoubleVector.fromArray(S, r, o + i), a0);
                a1 = ((DoubleVector) FloatVector.fromArray(F, x, c0 + i + L).convertShape(F2D, S, 0)).fma(DoubleVector.fromArray(S, r, o + i + L), a1);
            }
            for (; i < vEnd; i += L) {
                a0 = ((DoubleVector) FloatVector.fromArray(F, x, c0 + i).convertShape(F2D, S, 0)).fma(DoubleVector.fromArray(S, r, o + i), a0);
            }
            a0.add(a1).intoArray(buf, LANES);
            double s = sumLanes(buf, LANES);
            for (; i < i1; i++) s += r[o + i] * (double) x[c0 + i];
            g[j] += s;
        }
        return sum;
    }

    // ------------------------------------------------------------------ weighted (sample weights)

    /** Scratch of the weighted column-major kernel: a block's w_i·r_i, then lane sums at {@link #LANES}. */
    private static final ThreadLocal<double[]> WEIGHTED = ThreadLocal.withInitial(() -> new double[LANES + 4 * L]);

    /**
     * The row-major tiles of {@link #fusedRowTiles} with weights: the same dot products, then {@link VectorKernels#weightedFinish}
     * (r stored if asked, w∘r into the tile buffer, Σw r², Σw r), then the unchanged gradient methods reading w∘r.
     */
    @Override
    public double fusedWeightedRow(float[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                                   int yOff, int yInc, double[] w, int wOff, double[] r, int rOff, double[] g,
                                   int from, int to) {
        int np = Math.max(L, VectorKernels.padded(n));
        int end = VectorKernels.blockEnd(from, to, n, ldx, np);
        VectorKernels.RowScratch s = VectorKernels.ROWS.get();
        double[] lanes = s.lanes;
        double[] t = s.theta(theta, n, np);
        double[] gs = s.zeroGrad(np);
        int full = S.loopBound(n);
        java.util.Arrays.fill(lanes, L, 3 * L, 0.0);
        int tile = VectorKernels.wideTileRows(np);
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
            VectorKernels.weightedFinish(pd, b, ya, yo, w, wOff, r, rOff, wr, i0, i1, lanes);
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
            for (int j = 0; j < n; j++) dot += (double) x[base + j] * theta[j];
            double ri = dot + b - y[yOff + i * yInc];
            if (r != null) r[rOff + i] = ri;
            double wri = w[wOff + i] * ri;
            for (int j = 0; j < n; j++) gs[j] += wri * (double) x[base + j];
            sst += wri * ri;
            sumt += wri;
        }
        for (int j = 0; j < n; j++) g[j] += gs[j];
        g[n] += sum + sumt;
        return ss + sst;
    }

    /**
     * Blocked like {@link #fusedCol}: a block's residuals by {@link #axpyColumns}, then {@link VectorKernels#weighColumns} (w∘r
     * and Σw r²), then the block's gradient by {@link #dotColumns} reading w∘r.
     */
    @Override
    public double fusedWeightedCol(float[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                                   int yOff, int yInc, double[] w, int wOff, double[] r, int rOff, double[] g,
                                   int from, int to) {
        double[] scratch = SCRATCH.get();
        double[] wbuf = WEIGHTED.get();
        int block = VectorKernels.blockRows(n);
        double[] out = r != null ? r : scratch;
        double ss = 0;
        double sum = 0;
        for (int i0 = from; i0 < to; i0 += block) {
            int i1 = Math.min(to, i0 + block);
            int o = r != null ? rOff : -i0;
            axpyColumns(x, xOff, ldx, n, theta, b, y, yOff, yInc, out, o, i0, i1, scratch);
            ss += VectorKernels.weighColumns(out, o, w, wOff, wbuf, i0, i1);
            sum += dotColumns(x, xOff, ldx, n, wbuf, -i0, g, i0, i1, wbuf);
        }
        g[n] += sum;
        return ss;
    }
}
