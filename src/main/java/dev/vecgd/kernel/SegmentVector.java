package dev.vecgd.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A strided vector of doubles in an off-heap {@link MemorySegment}: element i is the double at element
 * index {@code offset + i*stride} (native byte order). The off-heap counterpart of {@link StridedVector}:
 * the targets y, a separate segment or a column of X's segment ({@link SegmentMatrix#column(int)}).
 *
 * @param segment native or mapped memory, not copied
 * @param offset  element index of element 0, {@code >= 0}
 * @param stride  elements between consecutive entries, {@code >= 1}
 */
public record SegmentVector(MemorySegment segment, long offset, long stride) {

    public SegmentVector {
        Objects.requireNonNull(segment, "segment is null");
        if (!segment.isNative()) {
            throw new IllegalArgumentException("the segment is on the heap; use StridedVector for heap arrays");
        }
        if (offset < 0) throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        if (stride < 1) throw new IllegalArgumentException("stride must be >= 1, got " + stride);
    }

    /** The contiguous vector over the whole segment. */
    public static SegmentVector of(MemorySegment segment) {
        return new SegmentVector(segment, 0, 1);
    }

    /** Element i (checked by the segment only). */
    public double get(long i) {
        return segment.getAtIndex(ValueLayout.JAVA_DOUBLE, offset + i * stride);
    }

    /** Number of elements that fit in the segment. */
    public long capacity() {
        long len = segment.byteSize() / Double.BYTES;
        if (offset >= len) return 0;
        return (len - 1 - offset) / stride + 1;
    }

    @Override
    public String toString() {
        return "SegmentVector[offset=" + offset + ", stride=" + stride + ", segment bytes=" + segment.byteSize() + "]";
    }
}
