package dev.vecgd.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The read-bandwidth ceiling: pure reads of X and y with as few instructions per byte as Java allows,
 * in three stream patterns, because one core reads memory faster with several streams in flight (a
 * single-stream probe underestimated the bandwidth by 20–40 % on the 512-bit machine):
 * <ul>
 *   <li>{@link #sum(double[], int, int)}: one stream (X, then y): {@code GradientBenchmark.readProbe};</li>
 *   <li>{@link #sum2}: two streams, X and y read in one loop, y in proportion (a block of 4·L rows of X,
 *       then the same 4·L values of y): {@code readProbe2};</li>
 *   <li>{@link #sum4}: five streams, the rows cut into four contiguous quarters whose X parts are read
 *       side by side in one loop (one vector of each quarter per step), plus y as one stream in
 *       proportion: {@code readProbe4}.</li>
 * </ul>
 * The report takes the fastest of them on the same shape, layout and run as the ceiling ("% of the best
 * probe"). X is read as its flat array (m·n values, m "rows" of n in memory order): a probe only reads
 * bytes, so it is the same for both layouts.
 *
 * <p>Every loop sums with {@link DoubleVector#SPECIES_PREFERRED} vectors, the hardware's width, whatever
 * {@code -Dvecgd.vector.bits} forces on the kernels: the probe measures the machine, not a kernel width.
 * Four independent accumulators per stream pattern, lanes reduced once at the end, scalar tails. (A
 * version with eight accumulators and a precomputed bound read DRAM at only ~60 % of this one's speed
 * on this machine.) Results equal the plain sum up to rounding (the order differs).
 *
 * <p><b>float32 X</b> ({@code dtype=float32}: X as {@code float} in native memory, y as {@code double} in native
 * memory): the same three patterns over {@link MemorySegment}s ({@link #sumFloats}, {@link #sum2(MemorySegment,
 * MemorySegment, int, int, int)}, {@link #sum4(MemorySegment, MemorySegment, int, int, int)}), X read with
 * {@link FloatVector#SPECIES_PREFERRED} (twice the lanes of a double vector: the same bytes per load) and summed in
 * float, y with double vectors. The float sums only exist to keep the loads alive: they round (X's values are
 * summed in float), so they equal the plain sum to float precision, exactly for small integers.
 *
 * <p>The species is a {@code static final} constant so C2 compiles it to SIMD; this class needs
 * {@code --add-modules jdk.incubator.vector} (the benchmark forks and the tests pass it). No vector is
 * passed to or returned from a method (no boxing if a call is not inlined).
 */
public final class ReadProbe {

    /** The species of the probe, e.g. {@code Species[double, 8, S_512_BIT]}. */
    public static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** The float species of the float32 probes: the hardware's width, {@code 2·LANES} floats. */
    public static final VectorSpecies<Float> FLOAT_SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int FLANES = FLOAT_SPECIES.length();
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private ReadProbe() {
    }

    /** The sum of all elements of {@code a} (in a fixed, layout-independent order). */
    public static double sum(double[] a) {
        return sum(a, 0, a.length);
    }

    /**
     * The sum of {@code a[from .. to)}, the same loop as {@link #sum(double[])} on a part of the array
     * (the multi-threaded probe of {@link ThreadsBenchmark} gives each thread one contiguous part).
     */
    public static double sum(double[] a, int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, a.length);
        DoubleVector s0 = DoubleVector.zero(SPECIES);
        DoubleVector s1 = s0, s2 = s0, s3 = s0;
        int i = from;
        for (int bound = to - 4 * LANES + 1; i < bound; i += 4 * LANES) {
            s0 = s0.add(DoubleVector.fromArray(SPECIES, a, i));
            s1 = s1.add(DoubleVector.fromArray(SPECIES, a, i + LANES));
            s2 = s2.add(DoubleVector.fromArray(SPECIES, a, i + 2 * LANES));
            s3 = s3.add(DoubleVector.fromArray(SPECIES, a, i + 3 * LANES));
        }
        for (int bound = to - LANES + 1; i < bound; i += LANES) {
            s0 = s0.add(DoubleVector.fromArray(SPECIES, a, i));
        }
        double s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            s += a[i];
        }
        return s;
    }

    /**
     * Two streams in one loop: the rows {@code [fromRow, toRow)} of X (a flat array of rows of {@code n}
     * values) and the same rows of y. Per step, a block of {@code 4·L} rows: its {@code 4·L·n} values of X
     * (four accumulators), then its {@code 4·L} values of y (four more); leftover rows through
     * {@link #sum(double[], int, int)}. Returns {@code Σ X[rows] + Σ y[rows]}.
     */
    public static double sum2(double[] x, double[] y, int n, int fromRow, int toRow) {
        checkRows(x, y, n, fromRow, toRow);
        DoubleVector x0 = DoubleVector.zero(SPECIES);
        DoubleVector x1 = x0, x2 = x0, x3 = x0, y0 = x0, y1 = x0, y2 = x0, y3 = x0;
        final int block = 4 * LANES;
        int row = fromRow;
        for (int bound = toRow - block + 1; row < bound; row += block) {
            int e = row * n;
            int end = e + block * n; // block·n = 4·L·n: a whole number of 4-vector steps
            for (; e < end; e += 4 * LANES) {
                x0 = x0.add(DoubleVector.fromArray(SPECIES, x, e));
                x1 = x1.add(DoubleVector.fromArray(SPECIES, x, e + LANES));
                x2 = x2.add(DoubleVector.fromArray(SPECIES, x, e + 2 * LANES));
                x3 = x3.add(DoubleVector.fromArray(SPECIES, x, e + 3 * LANES));
            }
            y0 = y0.add(DoubleVector.fromArray(SPECIES, y, row));
            y1 = y1.add(DoubleVector.fromArray(SPECIES, y, row + LANES));
            y2 = y2.add(DoubleVector.fromArray(SPECIES, y, row + 2 * LANES));
            y3 = y3.add(DoubleVector.fromArray(SPECIES, y, row + 3 * LANES));
        }
        double s = x0.add(x1).add(x2.add(x3)).add(y0.add(y1).add(y2.add(y3))).reduceLanes(VectorOperators.ADD);
        return s + sum(x, row * n, toRow * n) + sum(y, row, toRow);
    }

    /**
     * Five streams in one loop: the rows {@code [fromRow, toRow)} cut into four contiguous quarters of
     * {@code q} rows; per step, a block of {@code L} rows of each quarter: its {@code L·n} values of X read
     * one vector of each quarter at a time (four streams, one accumulator each), then {@code 4·L} values
     * of y as a fifth stream (y of the four blocks, read in row order as one run). Leftover rows (of each
     * quarter, and after the four quarters) through {@link #sum(double[], int, int)}. Returns
     * {@code Σ X[rows] + Σ y[rows]}.
     */
    public static double sum4(double[] x, double[] y, int n, int fromRow, int toRow) {
        checkRows(x, y, n, fromRow, toRow);
        final int q = (toRow - fromRow) / 4;
        final int qBlocks = q / LANES; // whole blocks of L rows per quarter
        final int qElems = q * n;
        DoubleVector x0 = DoubleVector.zero(SPECIES);
        DoubleVector x1 = x0, x2 = x0, x3 = x0, y0 = x0, y1 = x0, y2 = x0, y3 = x0;
        int e = fromRow * n; // offset in quarter 0; quarter k is at e + k·qElems
        int yi = fromRow;    // y is read as one run over the 4·q rows (the sum does not care whose rows)
        for (int blk = 0; blk < qBlocks; blk++) {
            for (int end = e + LANES * n; e < end; e += LANES) {
                x0 = x0.add(DoubleVector.fromArray(SPECIES, x, e));
                x1 = x1.add(DoubleVector.fromArray(SPECIES, x, e + qElems));
                x2 = x2.add(DoubleVector.fromArray(SPECIES, x, e + 2 * qElems));
                x3 = x3.add(DoubleVector.fromArray(SPECIES, x, e + 3 * qElems));
            }
            y0 = y0.add(DoubleVector.fromArray(SPECIES, y, yi));
            y1 = y1.add(DoubleVector.fromArray(SPECIES, y, yi + LANES));
            y2 = y2.add(DoubleVector.fromArray(SPECIES, y, yi + 2 * LANES));
            y3 = y3.add(DoubleVector.fromArray(SPECIES, y, yi + 3 * LANES));
            yi += 4 * LANES;
        }
        double s = x0.add(x1).add(x2.add(x3)).add(y0.add(y1).add(y2.add(y3))).reduceLanes(VectorOperators.ADD);
        // Leftovers: the last q − qBlocks·L rows of each quarter (X), the rest of y, the rows after 4·q.
        int doneRows = qBlocks * LANES;
        for (int k = 0; k < 4; k++) {
            int qStart = fromRow + k * q;
            s += sum(x, (qStart + doneRows) * n, (qStart + q) * n);
        }
        return s + sum(y, yi, toRow) + sum(x, (fromRow + 4 * q) * n, toRow * n);
    }

    /** The sum of the doubles at element indices {@code [from, to)} of a segment (one stream, four accumulators). */
    public static double sumDoubles(MemorySegment a, long from, long to) {
        checkSegment(a, from, to, Double.BYTES);
        DoubleVector s0 = DoubleVector.zero(SPECIES);
        DoubleVector s1 = s0, s2 = s0, s3 = s0;
        long i = from;
        for (long bound = to - 4L * LANES + 1; i < bound; i += 4L * LANES) {
            s0 = s0.add(DoubleVector.fromMemorySegment(SPECIES, a, i * 8, NATIVE));
            s1 = s1.add(DoubleVector.fromMemorySegment(SPECIES, a, (i + LANES) * 8, NATIVE));
            s2 = s2.add(DoubleVector.fromMemorySegment(SPECIES, a, (i + 2L * LANES) * 8, NATIVE));
            s3 = s3.add(DoubleVector.fromMemorySegment(SPECIES, a, (i + 3L * LANES) * 8, NATIVE));
        }
        double s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) s += a.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
        return s;
    }

    /** The sum of the floats at element indices {@code [from, to)} of a segment (one stream, four float accumulators). */
    public static double sumFloats(MemorySegment a, long from, long to) {
        checkSegment(a, from, to, Float.BYTES);
        FloatVector s0 = FloatVector.zero(FLOAT_SPECIES);
        FloatVector s1 = s0, s2 = s0, s3 = s0;
        long i = from;
        for (long bound = to - 4L * FLANES + 1; i < bound; i += 4L * FLANES) {
            s0 = s0.add(FloatVector.fromMemorySegment(FLOAT_SPECIES, a, i * 4, NATIVE));
            s1 = s1.add(FloatVector.fromMemorySegment(FLOAT_SPECIES, a, (i + FLANES) * 4, NATIVE));
            s2 = s2.add(FloatVector.fromMemorySegment(FLOAT_SPECIES, a, (i + 2L * FLANES) * 4, NATIVE));
            s3 = s3.add(FloatVector.fromMemorySegment(FLOAT_SPECIES, a, (i + 3L * FLANES) * 4, NATIVE));
        }
        double s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) s += a.getAtIndex(ValueLayout.JAVA_FLOAT, i);
        return s;
    }

    /**
     * {@link #sum2(double[], double[], int, int, int)} for float32 X: rows {@code [fromRow, toRow)} of the floats
     * {@code x} (rows of n) and the same rows of the doubles {@code y}, in one loop; per step a block of
     * {@code 4·FL} rows (FL floats per vector): its {@code 4·FL·n} floats of X (four accumulators), then its
     * {@code 4·FL} doubles of y (four accumulators, two loads each). Leftover rows through {@link #sumFloats} and
     * {@link #sumDoubles}.
     */
    public static double sum2(MemorySegment x, MemorySegment y, int n, int fromRow, int toRow) {
        checkRows(x, y, n, fromRow, toRow);
        FloatVector x0 = FloatVector.zero(FLOAT_SPECIES);
        FloatVector x1 = x0, x2 = x0, x3 = x0;
        DoubleVector y0 = DoubleVector.zero(SPECIES);
        DoubleVector y1 = y0, y2 = y0, y3 = y0;
        final int block = 4 * FLANES; // = 8 double lanes: two rounds of the four y accumulators
        int row = fromRow;
        for (int bound = toRow - block + 1; row < bound; row += block) {
            long e = (long) row * n;
            long end = e + (long) block * n; // block·n = 4·FL·n: a whole number of 4-vector steps
            for (; e < end; e += 4L * FLANES) {
                x0 = x0.add(FloatVector.fromMemorySegment(FLOAT_SPECIES, x, e * 4, NATIVE));
                x1 = x1.add(FloatVector.fromMemorySegment(FLOAT_SPECIES, x, (e + FLANES) * 4, NATIVE));
                x2 = x2.add(FloatVector.fromMemorySegment(FLOAT_SPECIES, x, (e + 2L * FLANES) * 4, NATIVE));
                x3 = x3.add(FloatVector.fromMemorySegment(FLOAT_SPECIES, x, (e + 3L * FLANES) * 4, NATIVE));
            }
            long r8 = (long) row * 8;
            y0 = y0.add(DoubleVector.fromMemorySegment(SPECIES, y, r8, NATIVE));
            y1 = y1.add(DoubleVector.fromMemorySegment(SPECIES, y, r8 + 8L * LANES, NATIVE));
            y2 = y2.add(DoubleVector.fromMemorySegment(SPECIES, y, r8 + 16L * LANES, NATIVE));
            y3 = y3.add(DoubleVector.fromMemorySegment(SPECIES, y, r8 + 24L * LANES, NATIVE));
            y0 = y0.add(DoubleVector.fromMemorySegment(SPECIES, y, r8 + 32L * LANES, NATIVE));
            y1 = y1.add(DoubleVector.fromMemorySegment(SPECIES, y, r8 + 40L * LANES, NATIVE));
            y2 = y2.add(DoubleVector.fromMemorySegment(SPECIES, y, r8 + 48L * LANES, NATIVE));
            y3 = y3.add(DoubleVector.fromMemorySegment(SPECIES, y, r8 + 56L * LANES, NATIVE));
        }
        double s = x0.add(x1).add(x2.add(x3)).reduceLanes(VectorOperators.ADD)
                + y0.add(y1).add(y2.add(y3)).reduceLanes(VectorOperators.ADD);
        return s + sumFloats(x, (long) row * n, (long) toRow * n) + sumDoubles(y, row, toRow);
    }

    /**
     * {@link #sum4(double[], double[], int, int, int)} for float32 X: the rows cut into four quarters of q rows; per
     * step a block of FL rows of each quarter ({@code FL·n} floats, one vector of each quarter at a time: four
     * streams), then {@code 4·FL} doubles of y as a fifth stream (two rounds of four accumulators). Leftovers through
     * {@link #sumFloats} and {@link #sumDoubles}.
     */
    public static double sum4(MemorySegment x, MemorySegment y, int n, int fromRow, int toRow) {
        checkRows(x, y, n, fromRow, toRow);
        final int q = (toRow - fromRow) / 4;
        final int qBlocks = q / FLANES;
        final long qElems = (long) q * n;
        FloatVector x0 = FloatVector.zero(FLOAT_SPECIES);
        FloatVector x1 = x0, x2 = x0, x3 = x0;
        DoubleVector y0 = DoubleVector.zero(SPECIES);
        DoubleVector y1 = y0, y2 = y0, y3 = y0;
        long e = (long) fromRow * n;
        long yi = fromRow;
        for (int blk = 0; blk < qBlocks; blk++) {
            for (long end = e + (long) FLANES * n; e < end; e += FLANES) {
                x0 = x0.add(FloatVector.fromMemorySegment(FLOAT_SPECIES, x, e * 4, NATIVE));
                x1 = x1.add(FloatVector.fromMemorySegment(FLOAT_SPECIES, x, (e + qElems) * 4, NATIVE));
                x2 = x2.add(FloatVector.fromMemorySegment(FLOAT_SPECIES, x, (e + 2 * qElems) * 4, NATIVE));
                x3 = x3.add(FloatVector.fromMemorySegment(FLOAT_SPECIES, x, (e + 3 * qElems) * 4, NATIVE));
            }
            long r8 = yi * 8;
            y0 = y0.add(DoubleVector.fromMemorySegment(SPECIES, y, r8, NATIVE));
            y1 = y1.add(DoubleVector.fromMemorySegment(SPECIES, y, r8 + 8L * LANES, NATIVE));
            y2 = y2.add(DoubleVector.fromMemorySegment(SPECIES, y, r8 + 16L * LANES, NATIVE));
            y3 = y3.add(DoubleVector.fromMemorySegment(SPECIES, y, r8 + 24L * LANES, NATIVE));
            y0 = y0.add(DoubleVector.fromMemorySegment(SPECIES, y, r8 + 32L * LANES, NATIVE));
            y1 = y1.add(DoubleVector.fromMemorySegment(SPECIES, y, r8 + 40L * LANES, NATIVE));
            y2 = y2.add(DoubleVector.fromMemorySegment(SPECIES, y, r8 + 48L * LANES, NATIVE));
            y3 = y3.add(DoubleVector.fromMemorySegment(SPECIES, y, r8 + 56L * LANES, NATIVE));
            yi += 4L * FLANES;
        }
        double s = x0.add(x1).add(x2.add(x3)).reduceLanes(VectorOperators.ADD)
                + y0.add(y1).add(y2.add(y3)).reduceLanes(VectorOperators.ADD);
        long doneRows = (long) qBlocks * FLANES;
        for (int k = 0; k < 4; k++) {
            long qStart = fromRow + (long) k * q;
            s += sumFloats(x, (qStart + doneRows) * n, (qStart + q) * n);
        }
        return s + sumDoubles(y, yi, toRow) + sumFloats(x, (fromRow + 4L * q) * n, (long) toRow * n);
    }

    private static void checkSegment(MemorySegment a, long from, long to, int bytes) {
        java.util.Objects.requireNonNull(a, "segment is null");
        if (from < 0 || to < from || to > a.byteSize() / bytes) {
            throw new IndexOutOfBoundsException("[" + from + ", " + to + ") is outside a segment of " + a.byteSize() / bytes
                    + " elements of " + bytes + " bytes");
        }
    }

    private static void checkRows(MemorySegment x, MemorySegment y, int n, int fromRow, int toRow) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        java.util.Objects.checkFromToIndex(fromRow, toRow, Math.toIntExact(y.byteSize() / Double.BYTES));
        if (x.byteSize() / Float.BYTES < (long) toRow * n) {
            throw new IllegalArgumentException("x holds " + x.byteSize() / Float.BYTES + " floats, fewer than toRow × n = "
                    + toRow + " × " + n);
        }
    }

    private static void checkRows(double[] x, double[] y, int n, int fromRow, int toRow) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        java.util.Objects.checkFromToIndex(fromRow, toRow, y.length);
        if ((long) y.length * n != x.length) {
            throw new IllegalArgumentException("x holds " + x.length + " values, not y.length × n = " + y.length + " × " + n);
        }
    }
}
