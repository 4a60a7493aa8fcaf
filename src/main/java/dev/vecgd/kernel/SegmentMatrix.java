package dev.vecgd.kernel;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A dense {@code rows × cols} view of doubles or floats in an off-heap {@link MemorySegment} (native memory
 * from an {@link java.lang.foreign.Arena}, or a file mapping), with {@code long} indices: the
 * off-heap counterpart of {@link Matrix}, for data larger than a Java array. No copy is made.
 *
 * <p>Element (i, j) is the element at <b>element</b> index {@code offset + i*ld + j}
 * ({@link Layout#ROW_MAJOR}) or {@code offset + j*ld + i} ({@link Layout#COLUMN_MAJOR}), i.e. at
 * byte {@code elementType.bytes() × index}, in the platform's native byte order (little-endian on x86 and
 * AArch64). The {@link ElementType} is {@link ElementType#FLOAT64} ({@code double}, the constructors and
 * factories without a type) or {@link ElementType#FLOAT32} ({@code float}: half the bytes; every kernel widens
 * each element to double before using it, and all arithmetic that accumulates is in double).
 * The constructor checks that every element lies inside the segment. Heap segments are rejected:
 * heap arrays use {@link Matrix} (so each kernel call site sees only one kind of segment). For float32 too: a
 * heap {@code float[]} segment through the same float kernels made the native float32 pass 76–84 % slower in the
 * same JVM afterwards (profile pollution, 4194304 × 16, 512-bit), so float32 X is off-heap only.
 *
 * @param segment the native (or mapped) memory, not copied
 * @param offset  element index of (0, 0), {@code >= 0}
 * @param rows    m, {@code >= 0}
 * @param cols    n, {@code >= 0}
 * @param ld      leading dimension in elements ({@code >= max(1, cols)} row-major, {@code >= max(1, rows)} column-major)
 * @param layout  row- or column-major
 * @param elementType how each element is stored: {@code double} or {@code float}
 */
public record SegmentMatrix(MemorySegment segment, long offset, long rows, int cols, long ld, Layout layout,
                            ElementType elementType) {

    /** A view of {@code double} elements ({@link ElementType#FLOAT64}). */
    public SegmentMatrix(MemorySegment segment, long offset, long rows, int cols, long ld, Layout layout) {
        this(segment, offset, rows, cols, ld, layout, ElementType.FLOAT64);
    }

    public SegmentMatrix {
        Objects.requireNonNull(segment, "segment is null");
        Objects.requireNonNull(layout, "layout is null");
        Objects.requireNonNull(elementType, "elementType is null");
        if (!segment.isNative()) {
            throw new IllegalArgumentException(elementType == ElementType.FLOAT32
                    ? "the segment is on the heap; float32 X must be off-heap (native or mapped memory, e.g."
                            + " SegmentDataset.allocate(rows, cols, layout, ElementType.FLOAT32)) (" + segment + ")"
                    : "the segment is on the heap; use Matrix for heap arrays (" + segment + ")");
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
            long capacity = segment.byteSize() / elementType.bytes();
            if (last >= capacity) {
                String what = elementType == ElementType.FLOAT32 ? " floats" : " doubles";
                throw new IllegalArgumentException("a " + rows + "x" + cols + " " + layout + " matrix with offset "
                        + offset + " and ld " + ld + " needs " + (last + 1) + what + ", the segment holds "
                        + capacity + what);
            }
        }
    }

    /** A compact row-major view of doubles from the start of the segment ({@code 8·rows·cols} bytes). */
    public static SegmentMatrix rowMajor(MemorySegment segment, long rows, int cols) {
        return rowMajor(segment, rows, cols, ElementType.FLOAT64);
    }

    /** A compact column-major view of doubles ({@code ld = rows}). */
    public static SegmentMatrix columnMajor(MemorySegment segment, long rows, int cols) {
        return columnMajor(segment, rows, cols, ElementType.FLOAT64);
    }

    /** A compact row-major view of elements of the given type ({@code type.bytes()·rows·cols} bytes). */
    public static SegmentMatrix rowMajor(MemorySegment segment, long rows, int cols, ElementType type) {
        return new SegmentMatrix(segment, 0, rows, cols, Math.max(1, cols), Layout.ROW_MAJOR, type);
    }

    /** A compact column-major view of elements of the given type ({@code ld = rows}). */
    public static SegmentMatrix columnMajor(MemorySegment segment, long rows, int cols, ElementType type) {
        return new SegmentMatrix(segment, 0, rows, cols, Math.max(1, rows), Layout.COLUMN_MAJOR, type);
    }

    /** True when the elements are {@code float} ({@link ElementType#FLOAT32}). */
    public boolean isFloat32() {
        return elementType == ElementType.FLOAT32;
    }

    /** Element index of (i, j); not bounds-checked. */
    public long index(long i, int j) {
        return layout == Layout.ROW_MAJOR ? offset + i * ld + j : offset + j * ld + i;
    }

    /** Element (i, j) (a float widened to double exactly). */
    public double get(long i, int j) {
        Objects.checkIndex(i, rows);
        Objects.checkIndex(j, cols);
        return elementType.get(segment, index(i, j));
    }

    /**
     * Column j as a strided vector over the same segment (e.g. the target column).
     *
     * @throws UnsupportedOperationException for a float32 matrix ({@link SegmentVector} holds doubles)
     */
    public SegmentVector column(int j) {
        Objects.checkIndex(j, cols);
        if (elementType != ElementType.FLOAT64) {
            throw new UnsupportedOperationException("column " + j + " of a float32 matrix cannot be a SegmentVector"
                    + " (SegmentVector holds doubles): copy it to float64");
        }
        return layout == Layout.ROW_MAJOR
                ? new SegmentVector(segment, offset + j, ld)
                : new SegmentVector(segment, offset + j * ld, 1);
    }

    /** The view of columns {@code [from, from + count)}, sharing the segment. */
    public SegmentMatrix columns(int from, int count) {
        Objects.checkFromIndexSize(from, count, cols);
        long off = layout == Layout.ROW_MAJOR ? offset + from : offset + from * ld;
        return new SegmentMatrix(segment, count == 0 ? offset : off, rows, count, ld, layout, elementType);
    }

    /** Bytes of the elements of the view: {@code elementType.bytes()·rows·cols} (8 or 4 per element). */
    public long dataBytes() {
        return (long) elementType.bytes() * rows * cols;
    }

    @Override
    public String toString() {
        return "SegmentMatrix[" + rows + "x" + cols + ", " + layout + ", offset=" + offset + ", ld=" + ld
                + (elementType == ElementType.FLOAT64 ? "" : ", " + elementType.dtypeName())
                + ", segment bytes=" + segment.byteSize() + "]";
    }
}
