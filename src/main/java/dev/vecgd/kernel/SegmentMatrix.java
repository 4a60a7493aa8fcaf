package dev.vecgd.kernel;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A dense {@code rows × cols} view of doubles in an off-heap {@link MemorySegment} (native memory
 * from an {@link java.lang.foreign.Arena}, or a file mapping), with {@code long} indices: the
 * off-heap counterpart of {@link Matrix}, for data larger than a Java array. No copy is made.
 *
 * <p>Element (i, j) is the double at <b>element</b> index {@code offset + i*ld + j}
 * ({@link Layout#ROW_MAJOR}) or {@code offset + j*ld + i} ({@link Layout#COLUMN_MAJOR}), i.e. at
 * byte {@code 8 × index}, in the platform's native byte order (little-endian on x86 and AArch64).
 * The constructor checks that every element lies inside the segment. Heap segments are rejected:
 * heap arrays use {@link Matrix} (so each kernel call site sees only one kind of segment).
 *
 * @param segment the native (or mapped) memory, not copied
 * @param offset  element index of (0, 0), {@code >= 0}
 * @param rows    m, {@code >= 0}
 * @param cols    n, {@code >= 0}
 * @param ld      leading dimension in elements ({@code >= max(1, cols)} row-major, {@code >= max(1, rows)} column-major)
 * @param layout  row- or column-major
 */
public record SegmentMatrix(MemorySegment segment, long offset, long rows, int cols, long ld, Layout layout) {

    public SegmentMatrix {
        Objects.requireNonNull(segment, "segment is null");
        Objects.requireNonNull(layout, "layout is null");
        if (!segment.isNative()) {
            throw new IllegalArgumentException("the segment is on the heap; use Matrix for heap arrays (" + segment + ")");
        }
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        if (cols < 0) throw new IllegalArgumentException("cols must be >= 0, got " + cols);
        if (offset < 0) throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        long minLd = Math.max(1, layout == Layout.ROW_MAJOR ? cols : rows);
        if (ld < minLd) {
            throw new IllegalArgumentException("leading dimension ld=" + ld + " is smaller than the "
                    + (layout == Layout.ROW_MAJOR ? "row length cols=" + cols : "column length rows=" + rows)
                    + " (must be >= " + minLd + ")");
        }
        if (rows > 0 && cols > 0) {
            long outer = layout == Layout.ROW_MAJOR ? rows : cols;
            long inner = layout == Layout.ROW_MAJOR ? cols : rows;
            long last;
            try {
                last = Math.addExact(offset, Math.addExact(Math.multiplyExact(outer - 1, ld), inner - 1));
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("the matrix " + rows + "x" + cols + " with ld " + ld + " overflows a long index");
            }
            if (last >= segment.byteSize() / Double.BYTES) {
                throw new IllegalArgumentException("a " + rows + "x" + cols + " " + layout + " matrix with offset "
                        + offset + " and ld " + ld + " needs " + (last + 1) + " doubles, the segment holds "
                        + segment.byteSize() / Double.BYTES);
            }
        }
    }

    /** A compact row-major view of the whole segment ({@code 8·rows·cols} bytes). */
    public static SegmentMatrix rowMajor(MemorySegment segment, long rows, int cols) {
        return new SegmentMatrix(segment, 0, rows, cols, Math.max(1, cols), Layout.ROW_MAJOR);
    }

    /** A compact column-major view ({@code ld = rows}). */
    public static SegmentMatrix columnMajor(MemorySegment segment, long rows, int cols) {
        return new SegmentMatrix(segment, 0, rows, cols, Math.max(1, rows), Layout.COLUMN_MAJOR);
    }

    /** Element index of (i, j); not bounds-checked. */
    public long index(long i, int j) {
        return layout == Layout.ROW_MAJOR ? offset + i * ld + j : offset + j * ld + i;
    }

    /** Element (i, j). */
    public double get(long i, int j) {
        Objects.checkIndex(i, rows);
        Objects.checkIndex(j, cols);
        return segment.getAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, index(i, j));
    }

    /** Column j as a strided vector over the same segment (e.g. the target column). */
    public SegmentVector column(int j) {
        Objects.checkIndex(j, cols);
        return layout == Layout.ROW_MAJOR
                ? new SegmentVector(segment, offset + j, ld)
                : new SegmentVector(segment, offset + j * ld, 1);
    }

    /** The view of columns {@code [from, from + count)}, sharing the segment. */
    public SegmentMatrix columns(int from, int count) {
        Objects.checkFromIndexSize(from, count, cols);
        long off = layout == Layout.ROW_MAJOR ? offset + from : offset + from * ld;
        return new SegmentMatrix(segment, count == 0 ? offset : off, rows, count, ld, layout);
    }

    /** Bytes of the elements of the view: {@code 8·rows·cols}. */
    public long dataBytes() {
        return 8L * rows * cols;
    }

    @Override
    public String toString() {
        return "SegmentMatrix[" + rows + "x" + cols + ", " + layout + ", offset=" + offset + ", ld=" + ld
                + ", segment bytes=" + segment.byteSize() + "]";
    }
}
