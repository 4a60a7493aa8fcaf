package dev.vecgd.kernel;

import java.util.Objects;

/**
 * A vector read with a stride from a {@code double[]}: element i is {@code data[offset + i*stride]}.
 * Used for the targets y, which may be a separate array ({@link #of(double[])}) or a column of the
 * feature array itself ({@link Matrix#column(int)}). No copy is made.
 *
 * <p>The length is not part of the view: each kernel checks that the rows it reads are inside
 * {@code data}.
 *
 * @param data   the backing array (not copied)
 * @param offset index of element 0, {@code >= 0}
 * @param stride distance between consecutive elements, {@code >= 1}
 */
public record StridedVector(double[] data, int offset, int stride) {

    public StridedVector {
        Objects.requireNonNull(data, "data (the vector array) is null");
        if (offset < 0) throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        if (stride < 1) throw new IllegalArgumentException("stride must be >= 1, got " + stride);
    }

    /** The contiguous vector {@code data[0], data[1], ...}. */
    public static StridedVector of(double[] data) {
        return new StridedVector(data, 0, 1);
    }

    /** Element i (no check beyond the array's own). */
    public double get(int i) {
        return data[offset + i * stride];
    }

    /** Number of elements that fit in the array: the largest m with {@code offset + (m-1)*stride < data.length}. */
    public int capacity() {
        if (offset >= data.length) return 0;
        return (data.length - 1 - offset) / stride + 1;
    }

    @Override
    public String toString() {
        return "StridedVector[offset=" + offset + ", stride=" + stride + ", array length=" + data.length + "]";
    }
}
