package dev.vecgd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@link VectorSegmentKernels} over X stored as {@code float} ({@link ElementType#FLOAT32}): the same methods,
 * blocks, tiles, transpose-add trees and summation order, with every vector load of X a load of L floats
 * (a {@code FloatVector} of half the double vector's bits) widened to L doubles
 * ({@code convertShape(F2D, S, 0)}) and every scalar load of X a float widened to double. All arithmetic is
 * in double, so on float-representable data this computes what {@link VectorSegmentKernels} computes on the
 * widened data (the same bits for the same row range; tests allow rounding). Generated from
 * {@link VectorSegmentKernels} by replacing its loads of X (keep the two in step); the same rules against
 * boxing: no vector crosses a method of ours, species are {@code static final}.
 *
 * <p>Column-major: blocks of {@link VectorKernels#blockRows(int)} rows; the block's residuals are formed
 * in a per-thread heap scratch array four columns per pass, then {@code g_j += X_block[:, j]·r}
 * while the block is in L2.
 */
final class VectorFloatSegmentKernels implements SegmentKernelImpl {

    private static final VectorSpecies<Double> S = VectorKernels.S;
    private static final int L = S.length();
    private static final ByteOrder BO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfFloat FL = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** L floats: half the bits of {@link #S}, so one load widens to one vector of L doubles. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(Math.max(64, S.vectorBitSize() / 2)));
    private static final VectorOperators.Conversion<Float, Double> F2D = VectorOperators.F2D;
    private static final int MAX_BLOCK = 2048;
    /** Start of the lane buffer after a block's residuals in the scratch array (room for four vectors). */
    private static final int LANES = MAX_BLOCK;
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[LANES + 4 * L]);
    private static final VectorSpecies<Long> LS = VectorKernels.LS;
    private static final VectorMask<Double> HI1 = VectorKernels.HI1;
    private static final VectorMask<Double> HI2 = VectorKernels.HI2;
    private static final VectorMask<Double> HI4 = VectorKernels.HI4;
    private static final VectorShuffle<Double> SWAP1 = VectorKernels.SWAP1;
    private static final VectorShuffle<Double> SWAP2 = VectorKernels.SWAP2;
    private static final VectorShuffle<Double> SWAP4 = VectorKernels.SWAP4;
    private static final VectorShuffle<Double> BC0 = VectorKernels.BC0;
    private static final VectorShuffle<Double> BC1 = VectorKernels.BC1;
    private static final VectorShuffle<Double> BC2 = VectorKernels.BC2;
    private static final VectorShuffle<Double> BC3 = VectorKernels.BC3;
    private static final VectorShuffle<Double> BC4 = VectorKernels.BC4;
    private static final VectorShuffle<Double> BC5 = VectorKernels.BC5;
    private static final VectorShuffle<Double> BC6 = VectorKernels.BC6;
    private static final VectorShuffle<Double> BC7 = VectorKernels.BC7;

    private VectorFloatSegmentKernels() {
    }

    /** Called reflectively; null when vectors hold fewer than two doubles. */
    static SegmentKernelImpl create() {
        return L >= 2 ? new VectorFloatSegmentKernels() : null;
    }

    @Override
    public String name() {
        return "vector (float32 segments): " + S.vectorBitSize() + "-bit, " + L + " floats widened to doubles per vector";
    }

    @Override
    public ElementType elementType() {
        return ElementType.FLOAT32;
    }

    // ------------------------------------------------------------------ row-major

    /*
     * The same blocks of L rows as VectorKernels (see the comment on its row-major section), reading X
     * and y with fromMemorySegment. The bodies are kept separate from the heap ones on purpose: one body
     * over MemorySegment for both (heap arrays wrapped by MemorySegment.ofArray) would make every load
     * site see two kinds of segment (C2 then compiles both paths and checks the kind on each load), and
     * wrapping an array allocates a segment per call. Rows are counted from `from` with an int k.
     */

    @Override
    public double fusedRow(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                           MemorySegment y, long yOff, long yInc, double[] g, long from, int count) {
        if (n == 1 && ldx == 1) {
            // One contiguous column: the same data as a column-major single column (as the heap kernel does)
            return fusedCol(x, xOff, 1, 1, theta, b, y, yOff, yInc, g, from, count);
        }
        return fusedRowTiles(x, xOff, ldx, n, theta, b, y, yOff, yInc, g, from, count);
    }


    /** Rows {@code from + k} for {@code k0 ≤ k < count} in plain loops; {ss, sum} into out. */
    private static void fusedRowsPlain(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                                       MemorySegment y, long yOff, long yInc, double[] gs, long from, int k0,
                                       int count, double[] out) {
        double ss = 0;
        double sum = 0;
        for (int k = k0; k < count; k++) {
            long i = from + k;
            long base = xOff + i * ldx;
            double dot = 0;
            for (int j = 0; j < n; j++) dot += (double) x.getAtIndex(FL, base + j) * theta[j];
            double ri = dot + b - y.getAtIndex(D, yOff + i * yInc);
            for (int j = 0; j < n; j++) gs[j] += ri * (double) x.getAtIndex(FL, base + j);
            ss += ri * ri;
            sum += ri;
        }
        out[0] = ss;
        out[1] = sum;
    }

    /**
     * Row-major rows in tiles of whole blocks that fit L1, as {@link VectorKernels}' row kernels: per tile
     * {@link #wideDots} (the rows' whole vectors), {@link #maskedDotsAdd} (a partial last vector),
     * {@link #wideFinish} (r into a tile buffer, Σr², Σr), then {@link #narrowGradient} (rows of one vector)
     * or {@link #wideGradient}. Small methods: the one-loop bodies parsed to 33,000–51,000 C2 nodes
     * (-XX:+LogCompilation), far past the node-count inlining cutoff (18,000) where C2 defers its Vector API
     * calls and may leave them as boxing calls.
     */
    private static double fusedRowTiles(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                                       MemorySegment y, long yOff, long yInc, double[] g,
                                       long from, int count) {
        int np = Math.max(L, VectorKernels.padded(n)); // n = 0 still reads one masked vector per row
        int end = VectorKernels.blockEnd(0, count, n, ldx, np); // rows [0, end) in whole blocks, the rest row by row
        VectorKernels.RowScratch s = VectorKernels.ROWS.get();
        double[] lanes = s.lanes;
        double[] t = s.theta(theta, n, np);
        double[] gs = s.zeroGrad(np);
        int full = S.loopBound(n);
        java.util.Arrays.fill(lanes, L, 3 * L, 0.0); // Σr² and Σr lane sums, accumulated over the tiles
        int tile = VectorKernels.wideTileRows(np);
        double[] pd = s.tileDots;
        double[] rt = s.tileR;
        double[] yt = s.tileY;
        long[] kb = s.keep(full, n); // the columns of the partial last vector below n
        boolean pair = L < 8 && full == L && n > L; // one whole and one partial vector: see VectorKernels
        for (int k0 = 0; k0 < end; k0 += tile) {
            int k1 = Math.min(end, k0 + tile);
            long p0 = xOff + (from + k0) * ldx;
            int rows = k1 - k0;
            if (pair) {
                pairDots(x, p0, ldx, t, kb, rows, pd);
            } else {
                if (full > 0 && L == 8 && n >= 16) wideDotsPairs(x, p0, ldx, n, t, rows, pd);
                else if (full > 0) wideDots(x, p0, ldx, n, t, rows, pd);
                else java.util.Arrays.fill(pd, 0, rows, 0.0);
                if (full < n) maskedDotsAdd(x, p0 + full, ldx, t, full, kb, rows, pd);
            }
            for (int k = 0; k < rows; k++) yt[k] = y.getAtIndex(D, yOff + (from + k0 + k) * yInc);
            wideFinish(pd, b, yt, rt, rows, lanes);
            if (n <= L) narrowGradient(x, p0, ldx, rt, rows, gs);
            else if (n <= 2 * L && L < 8) pairGradient(x, p0, ldx, rt, rows, gs);
            else wideGradient(x, p0, ldx, n, rt, rows, gs);
        }
        double ss = sumLanes(lanes, L);
        double sum = sumLanes(lanes, 2 * L);
        fusedRowsPlain(x, xOff, ldx, n, theta, b, y, yOff, yInc, gs, from, end, count, lanes);
        for (int j = 0; j < n; j++) g[j] += gs[j];
        g[n] += sum + lanes[1];
        return ss + lanes[0];
    }

    /**
     * {@code pd[k] = Σ_{j < S.loopBound(n)} x_kj·t_j} for the {@code rows} rows starting at element p00 (a whole
     * number of blocks, every row readable with whole vectors), L accumulators per block, the tree.
     */
    private static void wideDots(MemorySegment x, long p00, long ldx, int n, double[] t, int rows, double[] pd) {
        int full = S.loopBound(n);
        int full8 = n & ~7;
        // Unit-stride loops over blocks and chunks: with k += L, C2 hoisted the segment bounds checks with a
        // bound up to L − 1 rows past the last block and, on a segment that ends with the data, deoptimized
        // and recompiled the kernel over and over (running it in boxing C1 code meanwhile).
        for (int blk = 0, blocks = rows / L; blk < blocks; blk++) {
            long p0 = p00 + (long) blk * L * ldx;
            DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            int j = 0;
            int c8 = 0;
            // (L = 8 and n >= 16 take wideDotsPairs: split off to keep each method small for C2, where every float
            // load is also a conversion; before the split, a float32 n = 8 row-major call boxed 3.3 MB per 4099 rows in
            // one full-suite run at 512 bits (AllocationGuardTest), after the other kernel tests had run)
            // Eight doubles of each row per iteration, so eight FMA chains run at every width: one vector
            // of each of 8 rows (L = 8); two of each of 4 rows (L = 4: a0..a3 and a4..a7); four of each of 2
            // rows (L = 2: a0, a2, a4, a6 and a1, a3, a5, a7). The chains of a row are added before the tree.
            for (int steps = full8 / 8; c8 < steps; c8++) {
                j = c8 * 8;
                long p = p0 + j;
                if (L == 8) {
                    DoubleVector tv = DoubleVector.fromArray(S, t, j);
                    a0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a0);
                    a1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a1);
                    a2 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a2);
                    a3 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a3);
                    a4 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 4 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a4);
                    a5 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 5 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a5);
                    a6 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 6 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a6);
                    a7 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 7 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a7);
                } else if (L == 4) {
                    DoubleVector tv = DoubleVector.fromArray(S, t, j), tw = DoubleVector.fromArray(S, t, j + 4);
                    a0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a0);
                    a1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a1);
                    a2 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a2);
                    a3 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a3);
                    a4 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 4) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, a4);
                    a5 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx + 4) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, a5);
                    a6 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx + 4) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, a6);
                    a7 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx + 4) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, a7);
                } else {
                    DoubleVector t0 = DoubleVector.fromArray(S, t, j), t1 = DoubleVector.fromArray(S, t, j + 2);
                    DoubleVector t2 = DoubleVector.fromArray(S, t, j + 4), t3 = DoubleVector.fromArray(S, t, j + 6);
                    a0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t0, a0);
                    a1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t0, a1);
                    a2 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t1, a2);
                    a3 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx + 2) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t1, a3);
                    a4 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 4) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t2, a4);
                    a5 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx + 4) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t2, a5);
                    a6 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 6) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t3, a6);
                    a7 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx + 6) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t3, a7);
                }
            }
            if (L < 8) {
                for (int c = full8 / L, cs = full / L; c < cs; c++) { // the whole vectors after the eight-double steps
                    j = c * L;
                    DoubleVector tv = DoubleVector.fromArray(S, t, j);
                    long p = p0 + j;
                    a0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a0);
                    a1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a1);
                    if (L == 4) {
                        a2 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a2);
                        a3 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a3);
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
            rv.intoArray(pd, blk * L);
        }
    }

    /**
     * {@link #wideDots} for L = 8 and n ≥ 16, with the loop over pairs of vectors of each row (16 columns per step).
     * {@code pd[k] = Σ_{j < S.loopBound(n)} x_kj·t_j} for the {@code rows} rows starting at element p00 (a whole
     * number of blocks, every row readable with whole vectors), L accumulators per block, the tree.
     */
    private static void wideDotsPairs(MemorySegment x, long p00, long ldx, int n, double[] t, int rows, double[] pd) {
        int full = S.loopBound(n);
        int full8 = n & ~7;
        // Unit-stride loops over blocks and chunks: with k += L, C2 hoisted the segment bounds checks with a
        // bound up to L − 1 rows past the last block and, on a segment that ends with the data, deoptimized
        // and recompiled the kernel over and over (running it in boxing C1 code meanwhile).
        for (int blk = 0, blocks = rows / L; blk < blocks; blk++) {
            long p0 = p00 + (long) blk * L * ldx;
            DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            int j = 0;
            int c8 = 0;
            if (L == 8) {
                // Two vectors of each row in turn, X read in address order (see VectorKernels.wideDots); row k's
                // chain is the same (j, then j + 8), so the same bits
                for (int c16 = 0, pairs = full8 / 16; c16 < pairs; c16++) {
                    j = c16 * 16;
                    long p = p0 + j;
                    DoubleVector tv = DoubleVector.fromArray(S, t, j), tw = DoubleVector.fromArray(S, t, j + 8);
                    a0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 8) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a0));
                    a1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx + 8) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a1));
                    a2 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx + 8) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a2));
                    a3 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx + 8) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a3));
                    a4 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 4 * ldx + 8) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 4 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a4));
                    a5 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 5 * ldx + 8) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 5 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a5));
                    a6 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 6 * ldx + 8) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 6 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a6));
                    a7 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 7 * ldx + 8) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 7 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a7));
                }
                c8 = full8 / 16 * 2;
            }
            // Eight doubles of each row per iteration, so eight FMA chains run at every width: one vector
            // of each of 8 rows (L = 8); two of each of 4 rows (L = 4: a0..a3 and a4..a7); four of each of 2
            // rows (L = 2: a0, a2, a4, a6 and a1, a3, a5, a7). The chains of a row are added before the tree.
            for (int steps = full8 / 8; c8 < steps; c8++) {
                j = c8 * 8;
                long p = p0 + j;
                if (L == 8) {
                    DoubleVector tv = DoubleVector.fromArray(S, t, j);
                    a0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a0);
                    a1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a1);
                    a2 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a2);
                    a3 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a3);
                    a4 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 4 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a4);
                    a5 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 5 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a5);
                    a6 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 6 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a6);
                    a7 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 7 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a7);
                } else if (L == 4) {
                    DoubleVector tv = DoubleVector.fromArray(S, t, j), tw = DoubleVector.fromArray(S, t, j + 4);
                    a0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a0);
                    a1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a1);
                    a2 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a2);
                    a3 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a3);
                    a4 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 4) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, a4);
                    a5 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx + 4) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, a5);
                    a6 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx + 4) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, a6);
                    a7 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx + 4) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tw, a7);
                } else {
                    DoubleVector t0 = DoubleVector.fromArray(S, t, j), t1 = DoubleVector.fromArray(S, t, j + 2);
                    DoubleVector t2 = DoubleVector.fromArray(S, t, j + 4), t3 = DoubleVector.fromArray(S, t, j + 6);
                    a0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t0, a0);
                    a1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t0, a1);
                    a2 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t1, a2);
                    a3 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx + 2) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t1, a3);
                    a4 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 4) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t2, a4);
                    a5 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx + 4) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t2, a5);
                    a6 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 6) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t3, a6);
                    a7 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx + 6) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t3, a7);
                }
            }
            if (L < 8) {
                for (int c = full8 / L, cs = full / L; c < cs; c++) { // the whole vectors after the eight-double steps
                    j = c * L;
                    DoubleVector tv = DoubleVector.fromArray(S, t, j);
                    long p = p0 + j;
                    a0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a0);
                    a1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a1);
                    if (L == 4) {
                        a2 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a2);
                        a3 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(tv, a3);
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
            rv.intoArray(pd, blk * L);
        }
    }

    /**
     * {@code pd[k] += Σ_{c < L, kept} x[p00 + k·ldx + c]·t[tOff + c]} for {@code k < rows} (whole blocks): one
     * vector per row, lanes kept where {@code kb[c]} has all bits set (a row's partial last vector), so
     * that what lies past a row's n columns never reaches a sum; the transpose-add tree per block.
     */
    private static void maskedDotsAdd(MemorySegment x, long p00, long ldx, double[] t, int tOff, long[] kb, int rows,
                                      double[] pd) {
        LongVector kv = LongVector.fromArray(LS, kb, 0);
        // lanes past n cleared by a blend with zeros (one operation; at 2 lanes, where C2 on x86 does not
        // intrinsify a blend, by an AND of the bits): the masked body stays well under C2's inlining budget
        VectorMask<Double> drop = L == 2 ? null : kv.reinterpretAsDoubles().compare(VectorOperators.EQ, 0.0);
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector tv = DoubleVector.fromArray(S, t, tOff);
        for (int blk = 0, blocks = rows / L; blk < blocks; blk++) { // unit stride: see wideDots
            long p = p00 + (long) blk * L * ldx;
            DoubleVector a0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p) * Float.BYTES, BO).convertShape(F2D, S, 0));
            a0 = (L == 2 ? a0.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a0.blend(zero, drop)).mul(tv);
            DoubleVector a1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0));
            a1 = (L == 2 ? a1.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a1.blend(zero, drop)).mul(tv);
            DoubleVector a2 = a0, a3 = a0;
            if (L >= 4) {
                a2 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0));
                a2 = (L == 2 ? a2.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a2.blend(zero, drop)).mul(tv);
                a3 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0));
                a3 = (L == 2 ? a3.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a3.blend(zero, drop)).mul(tv);
            }
            if (L == 8) {
                DoubleVector a4 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 4 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0));
                a4 = (L == 2 ? a4.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a4.blend(zero, drop)).mul(tv);
                DoubleVector a5 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 5 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0));
                a5 = (L == 2 ? a5.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a5.blend(zero, drop)).mul(tv);
                DoubleVector a6 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 6 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0));
                a6 = (L == 2 ? a6.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a6.blend(zero, drop)).mul(tv);
                DoubleVector a7 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 7 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0));
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
            rv.add(DoubleVector.fromArray(S, pd, blk * L)).intoArray(pd, blk * L);
        }
    }

    /** {@code pd[k] = x_k·t} for rows of one whole and one partial vector (L < n < 2L, L < 8): one tree per block. */
    private static void pairDots(MemorySegment x, long p00, long ldx, double[] t, long[] kb, int rows, double[] pd) {
        LongVector kv = LongVector.fromArray(LS, kb, 0);
        VectorMask<Double> drop = L == 2 ? null : kv.reinterpretAsDoubles().compare(VectorOperators.EQ, 0.0); // see maskedDotsAdd
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector t0 = DoubleVector.fromArray(S, t, 0), t1 = DoubleVector.fromArray(S, t, L);
        for (int blk = 0, blocks = rows / L; blk < blocks; blk++) { // unit stride: see wideDots
            long p = p00 + (long) blk * L * ldx;
            DoubleVector a0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + L) * Float.BYTES, BO).convertShape(F2D, S, 0));
            a0 = (L == 2 ? a0.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a0.blend(zero, drop)).mul(t1);
            DoubleVector a1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx + L) * Float.BYTES, BO).convertShape(F2D, S, 0));
            a1 = (L == 2 ? a1.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a1.blend(zero, drop)).mul(t1);
            a0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t0, a0);
            a1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t0, a1);
            DoubleVector a2 = a0, a3 = a0;
            if (L == 4) {
                a2 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx + L) * Float.BYTES, BO).convertShape(F2D, S, 0));
                a2 = (L == 2 ? a2.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a2.blend(zero, drop)).mul(t1);
                a3 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx + L) * Float.BYTES, BO).convertShape(F2D, S, 0));
                a3 = (L == 2 ? a3.reinterpretAsLongs().and(kv).reinterpretAsDoubles() : a3.blend(zero, drop)).mul(t1);
                a2 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t0, a2);
                a3 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t0, a3);
                a0 = a0.blend(a2, HI2).add(a2.blend(a0, HI2).rearrange(SWAP2));
                a1 = a1.blend(a3, HI2).add(a3.blend(a1, HI2).rearrange(SWAP2));
            }
            DoubleVector rv = L == 2
                    ? DoubleVector.zero(S).withLane(0, a0.lane(0) + a0.lane(1)).withLane(1, a1.lane(0) + a1.lane(1))
                    : a0.blend(a1, HI1).add(a1.blend(a0, HI1).rearrange(SWAP1));
            rv.intoArray(pd, blk * L);
        }
    }

    /** {@code gs[c] += Σ_k x[p00 + k·ldx + c]·r[k]}, {@code c < 2L}, rows of at most two vectors (L < 8), whole blocks. */
    private static void pairGradient(MemorySegment x, long p00, long ldx, double[] r, int rows, double[] gs) {
        DoubleVector g0 = DoubleVector.fromArray(S, gs, 0), g1 = DoubleVector.fromArray(S, gs, L);
        DoubleVector h0 = DoubleVector.zero(S), h1 = h0;
        for (int blk = 0, blocks = rows / L; blk < blocks; blk++) { // unit stride: see wideDots
            long p = p00 + (long) blk * L * ldx;
            int o = blk * L;
            DoubleVector r0 = DoubleVector.broadcast(S, r[o]), r1 = DoubleVector.broadcast(S, r[o + 1]);
            g0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r0, g0);
            g1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + L) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r0, g1);
            h0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r1, h0);
            h1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx + L) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r1, h1);
            if (L == 4) {
                DoubleVector r2 = DoubleVector.broadcast(S, r[o + 2]), r3 = DoubleVector.broadcast(S, r[o + 3]);
                g0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r2, g0);
                g1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx + L) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r2, g1);
                h0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r3, h0);
                h1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx + L) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r3, h1);
            }
        }
        g0.add(h0).intoArray(gs, 0);
        g1.add(h1).intoArray(gs, L);
    }

    /**
     * {@code gs[c] += Σ_k x[p00 + k·ldx + c]·r[k]}, {@code c < L}, for {@code k < rows} (whole blocks; rows of at
     * most one vector: the lanes past n only reach gs past n, never read); four accumulators for the tile.
     */
    private static void narrowGradient(MemorySegment x, long p00, long ldx, double[] r, int rows, double[] gs) {
        DoubleVector ga = DoubleVector.fromArray(S, gs, 0), gb = DoubleVector.zero(S), gc = gb, gd = gb;
        for (int blk = 0, blocks = rows / L; blk < blocks; blk++) { // unit stride: see wideDots
            long p = p00 + (long) blk * L * ldx;
            int o = blk * L;
            ga = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, r[o]), ga);
            gb = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, r[o + 1]), gb);
            if (L >= 4) {
                gc = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, r[o + 2]), gc);
                gd = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, r[o + 3]), gd);
            }
            if (L == 8) {
                ga = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 4 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, r[o + 4]), ga);
                gb = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 5 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, r[o + 5]), gb);
                gc = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 6 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, r[o + 6]), gc);
                gd = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 7 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(DoubleVector.broadcast(S, r[o + 7]), gd);
            }
        }
        ga.add(gb).add(gc.add(gd)).intoArray(gs, 0);
    }

    /** {@code r[k] = pd[k] + b − y[k]} for {@code k < rows} (whole blocks); Σr², Σr lane sums added to lanes[L..3L). */
    private static void wideFinish(double[] pd, double b, double[] y, double[] r, int rows, double[] lanes) {
        DoubleVector bb = DoubleVector.broadcast(S, b);
        DoubleVector q = DoubleVector.fromArray(S, lanes, L), sv = DoubleVector.fromArray(S, lanes, 2 * L);
        for (int k = 0; k < rows; k += L) {
            DoubleVector rv = DoubleVector.fromArray(S, pd, k).add(bb).sub(DoubleVector.fromArray(S, y, k));
            rv.intoArray(r, k);
            q = rv.fma(rv, q);
            sv = sv.add(rv);
        }
        q.intoArray(lanes, L);
        sv.intoArray(lanes, 2 * L);
    }

    /**
     * {@code gs[j] += Σ_k x_kj·r[k]} for the {@code rows} rows starting at element p00 (whole blocks; gs padded:
     * a row's last vector is read whole, its lanes past n only reach gs past n, never read), block by block.
     */
    private static void wideGradient(MemorySegment x, long p00, long ldx, int n, double[] r, int rows, double[] gs) {
        int chunks = (n + L - 1) / L;
        for (int blk = 0, blocks = rows / L; blk < blocks; blk++) {
            long p0 = p00 + (long) blk * L * ldx;
            int o = blk * L;
            DoubleVector r0 = DoubleVector.broadcast(S, r[o]), r1 = DoubleVector.broadcast(S, r[o + 1]);
            DoubleVector r2 = r0, r3 = r0, r4 = r0, r5 = r0, r6 = r0, r7 = r0;
            if (L >= 4) {
                r2 = DoubleVector.broadcast(S, r[o + 2]);
                r3 = DoubleVector.broadcast(S, r[o + 3]);
            }
            if (L == 8) {
                r4 = DoubleVector.broadcast(S, r[o + 4]);
                r5 = DoubleVector.broadcast(S, r[o + 5]);
                r6 = DoubleVector.broadcast(S, r[o + 6]);
                r7 = DoubleVector.broadcast(S, r[o + 7]);
            }
            for (int c = 0; c < chunks; c++) { // unit stride: see wideDots
                int j = c * L;
                long p = p0 + j;
                // two chains per block, as the heap kernel (same bits)
                DoubleVector gv = DoubleVector.fromArray(S, gs, j), gw;
                gv = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r0, gv);
                if (L == 2) {
                    gw = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).mul(r1);
                } else if (L == 4) {
                    gv = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r1, gv);
                    gw = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).mul(r2);
                    gw = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r3, gw);
                } else {
                    gv = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r1, gv);
                    gv = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 2 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r2, gv);
                    gv = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 3 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r3, gv);
                    gw = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 4 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).mul(r4);
                    gw = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 5 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r5, gw);
                    gw = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 6 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r6, gw);
                    gw = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (p + 7 * ldx) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(r7, gw);
                }
                gv.add(gw).intoArray(gs, j);
            }
        }
    }

    // ------------------------------------------------------------------ column-major

    /** The packing step of a Gram pass lives in its own class ({@link PackKernelVector}). */
    @Override
    public void copyShiftedRows(MemorySegment x, long xOff, long ldx, int rows, int n, double[] shift,
                                double[] out, int oOff, int ldo, double[] absMax) {
        PackKernelVector.copyShiftedFloatRows(x, xOff, ldx, rows, n, shift, out, oOff, ldo, absMax);
    }

    /** The weighted packing of float32 rows: the scalar formula on the widened floats (the same bits as float64). */
    @Override
    public void copyWeightedRows(MemorySegment x, long xOff, long ldx, int rows, int n, double[] shift, double[] scale,
                                 double[] sw, int swOff, double[] out, int oOff, int ldo) {
        PackKernelScalar.copyWeightedFloatRows(x, xOff, ldx, rows, n, shift, scale, sw, swOff, out, oOff, ldo);
    }

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
            q.intoArray(r, LANES);
            s.intoArray(r, LANES + L);
            double bs = sumLanes(r, LANES);
            double bsum = sumLanes(r, LANES + L);
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
            for (int vEnd = S.loopBound(len); k < vEnd; k += L) bb.sub(DoubleVector.fromMemorySegment(S, y, (yOff + i0 + k) * Double.BYTES, BO)).intoArray(r, k);
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
                DoubleVector p01 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (c1 + k) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t1, ((DoubleVector) FloatVector.fromMemorySegment(F, x, (c0 + k) * Float.BYTES, BO).convertShape(F2D, S, 0)).mul(t0));
                DoubleVector p23 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (c3 + k) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t3, ((DoubleVector) FloatVector.fromMemorySegment(F, x, (c2 + k) * Float.BYTES, BO).convertShape(F2D, S, 0)).mul(t2));
                DoubleVector.fromArray(S, r, k).add(p01.add(p23)).intoArray(r, k);
            }
            for (; k < len; k++) {
                r[k] += ((double) x.getAtIndex(FL, c0 + k) * theta[j] + (double) x.getAtIndex(FL, c1 + k) * theta[j + 1])
                        + ((double) x.getAtIndex(FL, c2 + k) * theta[j + 2] + (double) x.getAtIndex(FL, c3 + k) * theta[j + 3]);
            }
        }
        for (; j < n; j++) {
            long c0 = xOff + j * ldx + i0;
            double tj = theta[j];
            DoubleVector t0 = DoubleVector.broadcast(S, tj);
            int k = 0;
            for (; k < vEnd; k += L) {
                ((DoubleVector) FloatVector.fromMemorySegment(F, x, (c0 + k) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(t0, DoubleVector.fromArray(S, r, k)).intoArray(r, k);
            }
            for (; k < len; k++) r[k] += (double) x.getAtIndex(FL, c0 + k) * tj;
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
                a0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (c0 + k) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(rv, a0);
                a1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (c1 + k) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(rv, a1);
                a2 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (c2 + k) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(rv, a2);
                a3 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (c3 + k) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(rv, a3);
            }
            a0.intoArray(r, LANES);
            a1.intoArray(r, LANES + L);
            a2.intoArray(r, LANES + 2 * L);
            a3.intoArray(r, LANES + 3 * L);
            double s0 = sumLanes(r, LANES), s1 = sumLanes(r, LANES + L);
            double s2 = sumLanes(r, LANES + 2 * L), s3 = sumLanes(r, LANES + 3 * L);
            for (; k < len; k++) {
                double rk = r[k];
                s0 += rk * (double) x.getAtIndex(FL, c0 + k);
                s1 += rk * (double) x.getAtIndex(FL, c1 + k);
                s2 += rk * (double) x.getAtIndex(FL, c2 + k);
                s3 += rk * (double) x.getAtIndex(FL, c3 + k);
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
                a0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (c0 + k) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(DoubleVector.fromArray(S, r, k), a0);
                a1 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (c0 + k + L) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(DoubleVector.fromArray(S, r, k + L), a1);
            }
            for (; k < vEnd; k += L) {
                a0 = ((DoubleVector) FloatVector.fromMemorySegment(F, x, (c0 + k) * Float.BYTES, BO).convertShape(F2D, S, 0)).fma(DoubleVector.fromArray(S, r, k), a0);
            }
            a0.add(a1).intoArray(r, LANES);
            double s = sumLanes(r, LANES);
            for (; k < len; k++) s += r[k] * (double) x.getAtIndex(FL, c0 + k);
            g[j] += s;
        }
    }

    /** {@code buf[off] + … + buf[off + L − 1]}, left to right. */
    private static double sumLanes(double[] buf, int off) {
        double s = buf[off];
        for (int k = 1; k < L; k++) s += buf[off + k];
        return s;
    }

    // ------------------------------------------------------------------ weighted (sample weights)

    /** A column-major block's weights, then its w∘r (and lane sums at {@link #LANES}): for the weighted pass. */
    private static final ThreadLocal<double[]> WEIGHTS = ThreadLocal.withInitial(() -> new double[LANES + 4 * L]);
    private static final ThreadLocal<double[]> WEIGHTED = ThreadLocal.withInitial(() -> new double[LANES + 4 * L]);

    /**
     * {@link #fusedRowTiles} with weights, as {@link VectorKernels#fusedWeightedRow} (the same methods in the same
     * order, so heap and off-heap give the same bits): per tile the dots, the tile's targets and weights copied to
     * lanes, {@link VectorKernels#weightedFinish} (w∘r into the tile buffer, Σw r², Σw r), the unchanged gradient
     * methods reading w∘r.
     */
    @Override
    public double fusedWeightedRow(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                                   MemorySegment y, long yOff, long yInc, MemorySegment w, long wOff, long wInc,
                                   double[] g, long from, int count) {
        int np = Math.max(L, VectorKernels.padded(n));
        int end = VectorKernels.blockEnd(0, count, n, ldx, np);
        VectorKernels.RowScratch s = VectorKernels.ROWS.get();
        double[] lanes = s.lanes;
        double[] t = s.theta(theta, n, np);
        double[] gs = s.zeroGrad(np);
        int full = S.loopBound(n);
        java.util.Arrays.fill(lanes, L, 3 * L, 0.0);
        int tile = VectorKernels.wideTileRows(np);
        double[] pd = s.tileDots;
        double[] wt = s.tileR; // the tile's weights (no residuals are kept)
        double[] yt = s.tileY;
        double[] wr = s.tileWR;
        long[] kb = s.keep(full, n);
        boolean pair = L < 8 && full == L && n > L;
        for (int k0 = 0; k0 < end; k0 += tile) {
            int k1 = Math.min(end, k0 + tile);
            long p0 = xOff + (from + k0) * ldx;
            int rows = k1 - k0;
            if (pair) {
                pairDots(x, p0, ldx, t, kb, rows, pd);
            } else {
                if (full > 0 && L == 8 && n >= 16) wideDotsPairs(x, p0, ldx, n, t, rows, pd);
                else if (full > 0) wideDots(x, p0, ldx, n, t, rows, pd);
                else java.util.Arrays.fill(pd, 0, rows, 0.0);
                if (full < n) maskedDotsAdd(x, p0 + full, ldx, t, full, kb, rows, pd);
            }
            for (int k = 0; k < rows; k++) {
                yt[k] = y.getAtIndex(D, yOff + (from + k0 + k) * yInc);
                wt[k] = w.getAtIndex(D, wOff + (from + k0 + k) * wInc);
            }
            VectorKernels.weightedFinish(pd, b, yt, 0, wt, 0, null, 0, wr, 0, rows, lanes);
            if (n <= L) narrowGradient(x, p0, ldx, wr, rows, gs);
            else if (n <= 2 * L && L < 8) pairGradient(x, p0, ldx, wr, rows, gs);
            else wideGradient(x, p0, ldx, n, wr, rows, gs);
        }
        double ss = sumLanes(lanes, L);
        double sum = sumLanes(lanes, 2 * L);
        double sst = 0; // the rows the blocks left: plain loops, as the heap kernel
        double sumt = 0;
        for (int k = end; k < count; k++) {
            long i = from + k;
            long base = xOff + i * ldx;
            double dot = 0;
            for (int j = 0; j < n; j++) dot += (double) x.getAtIndex(FL, base + j) * theta[j];
            double ri = dot + b - y.getAtIndex(D, yOff + i * yInc);
            double wri = w.getAtIndex(D, wOff + i * wInc) * ri;
            for (int j = 0; j < n; j++) gs[j] += wri * (double) x.getAtIndex(FL, base + j);
            sst += wri * ri;
            sumt += wri;
        }
        for (int j = 0; j < n; j++) g[j] += gs[j];
        g[n] += sum + sumt;
        return ss + sst;
    }

    /**
     * Blocked as {@link #fusedCol}: r of a block, its weights copied to lanes, {@link VectorKernels#weighColumns}
     * (w∘r, Σw r²), then {@link #dotColumns} reading w∘r and Σ w r by lanes (as the heap kernel's dotColumns).
     */
    @Override
    public double fusedWeightedCol(MemorySegment x, long xOff, long ldx, int n, double[] theta, double b,
                                   MemorySegment y, long yOff, long yInc, MemorySegment w, long wOff, long wInc,
                                   double[] g, long from, int count) {
        int block = Math.min(MAX_BLOCK, VectorKernels.blockRows(n));
        double[] r = SCRATCH.get();
        double[] wb = WEIGHTS.get();
        double[] wr = WEIGHTED.get();
        double ss = 0;
        double sum = 0;
        for (int k0 = 0; k0 < count; k0 += block) {
            int len = Math.min(block, count - k0);
            long i0 = from + k0;
            initBlock(b, y, yOff, yInc, r, i0, len);
            axpyColumns(x, xOff, ldx, n, theta, r, i0, len);
            for (int k = 0; k < len; k++) wb[k] = w.getAtIndex(D, wOff + (i0 + k) * wInc);
            ss += VectorKernels.weighColumns(r, 0, wb, 0, wr, 0, len);
            sum += sumWeighted(wr, len);
            dotColumns(x, xOff, ldx, n, wr, g, i0, len);
        }
        g[n] += sum;
        return ss;
    }

    /** Σ_{k &lt; len} wr[k]: lane sums over whole vectors, then the tail (the order of the heap kernel's dotColumns). */
    private static double sumWeighted(double[] wr, int len) {
        int vEnd = S.loopBound(len);
        DoubleVector sr = DoubleVector.zero(S);
        for (int k = 0; k < vEnd; k += L) sr = sr.add(DoubleVector.fromArray(S, wr, k));
        sr.intoArray(wr, LANES + 2 * L);
        double sum = sumLanes(wr, LANES + 2 * L);
        for (int k = vEnd; k < len; k++) sum += wr[k];
        return sum;
    }
}
