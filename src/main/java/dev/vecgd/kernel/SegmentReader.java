package dev.vecgd.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Reads a {@link SegmentMatrix} through a heap buffer, in storage order, by bulk copies
 * ({@link MemorySegment#copy}). The scalar passes over off-heap data (the finiteness check, column
 * statistics) then loop over plain arrays, which are fast from the first call: element reads through
 * var handles stay slow until the JIT has compiled them — seconds over a large mapped file in a fresh JVM.
 *
 * <p>A float32 matrix ({@link ElementType#FLOAT32}) is copied into a float buffer and widened into the double
 * buffer (exactly), so every consumer sees doubles whatever the storage.
 */
public final class SegmentReader {

    /** Doubles per copy (512 KiB). */
    public static final int BUFFER = 1 << 16;

    private SegmentReader() {
    }

    /** A block of whole rows of a row-major matrix. */
    @FunctionalInterface
    public interface Rows {
        /**
         * @param buf      element (firstRow + r, j) at {@code buf[r·ld + j]} for r &lt; count, j &lt; cols; not to be kept
         * @param ld       the block's row stride in buf
         * @param firstRow row index of the block's first row
         * @param count    rows in the block, {@code >= 1}
         */
        void accept(double[] buf, int ld, long firstRow, int count);
    }

    /** A run of one column of a column-major matrix. */
    @FunctionalInterface
    public interface ColumnRun {
        /**
         * @param buf      element (firstRow + r, column) at {@code buf[r]} for r &lt; count; not to be kept
         * @param column   the column j
         * @param firstRow row index of buf[0]
         * @param count    elements, {@code >= 1}
         */
        void accept(double[] buf, int column, long firstRow, int count);
    }

    /** Every row of a row-major x, in order, in blocks of whole rows. */
    public static void rows(SegmentMatrix x, Rows consumer) {
        rows(x, consumer, BUFFER, 1);
    }

    /**
     * {@link #rows(SegmentMatrix, Rows)} with every block but the last a multiple of {@code rowMultiple} rows
     * (when a buffer holds that many), so a consumer that works in sub-blocks of that size keeps them
     * aligned to row 0.
     */
    public static void rows(SegmentMatrix x, Rows consumer, int rowMultiple) {
        rows(x, consumer, BUFFER, rowMultiple);
    }

    static void rows(SegmentMatrix x, Rows consumer, int bufferDoubles, int rowMultiple) {
        Objects.requireNonNull(x, "x is null");
        Objects.requireNonNull(consumer, "consumer is null");
        if (rowMultiple < 1) throw new IllegalArgumentException("rowMultiple must be >= 1, got " + rowMultiple);
        if (x.layout() != Layout.ROW_MAJOR) throw new IllegalArgumentException("rows() reads row-major matrices, got " + x.layout());
        long m = x.rows();
        int n = x.cols();
        if (m == 0 || n == 0) return;
        boolean whole = x.ld() <= bufferDoubles; // else copy only the n values of each row
        int ld = whole ? (int) x.ld() : n;
        double[] buf = new double[Math.max(bufferDoubles, n)];
        float[] fbuf = x.elementType() == ElementType.FLOAT32 ? new float[buf.length] : null;
        long perBlock = whole ? Math.max(1, bufferDoubles / ld) : 1;
        if (perBlock >= rowMultiple) perBlock -= perBlock % rowMultiple;
        for (long i0 = 0; i0 < m; i0 += perBlock) {
            int count = (int) Math.min(perBlock, m - i0);
            int len = (count - 1) * ld + n; // not past the last row's values: the segment may end there
            copy(x, x.offset() + i0 * x.ld(), buf, fbuf, len);
            consumer.accept(buf, ld, i0, count);
        }
    }

    /** Every column of a column-major x, column by column, each in runs of consecutive rows. */
    public static void columns(SegmentMatrix x, ColumnRun consumer) {
        columns(x, consumer, BUFFER);
    }

    static void columns(SegmentMatrix x, ColumnRun consumer, int bufferDoubles) {
        Objects.requireNonNull(x, "x is null");
        Objects.requireNonNull(consumer, "consumer is null");
        if (x.layout() != Layout.COLUMN_MAJOR) {
            throw new IllegalArgumentException("columns() reads column-major matrices, got " + x.layout());
        }
        long m = x.rows();
        int n = x.cols();
        double[] buf = new double[bufferDoubles];
        float[] fbuf = x.elementType() == ElementType.FLOAT32 ? new float[buf.length] : null;
        for (int j = 0; j < n; j++) {
            long base = x.offset() + j * x.ld();
            for (long i0 = 0; i0 < m; i0 += bufferDoubles) {
                int count = (int) Math.min(bufferDoubles, m - i0);
                copy(x, base + i0, buf, fbuf, count);
                consumer.accept(buf, j, i0, count);
            }
        }
    }

    /** Elements {@code [index, index + len)} of x's segment into buf[0, len) (floats through fbuf, widened). */
    private static void copy(SegmentMatrix x, long index, double[] buf, float[] fbuf, int len) {
        if (fbuf == null) {
            MemorySegment.copy(x.segment(), ValueLayout.JAVA_DOUBLE_UNALIGNED, index * Double.BYTES, buf, 0, len);
        } else {
            MemorySegment.copy(x.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, index * Float.BYTES, fbuf, 0, len);
            for (int k = 0; k < len; k++) buf[k] = fbuf[k];
        }
    }
}
