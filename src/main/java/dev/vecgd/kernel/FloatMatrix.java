package dev.vecgd.kernel;

import java.util.Objects;

/**
 * A dense {@code rows × cols} view of a {@code float[]} (float32 storage, {@link ElementType#FLOAT32}): the heap
 * sibling of {@link Matrix} with the same shape, layouts, offsets, leading dimensions and checks. No copy is made,
 * the array is shared. The kernels of {@link FloatKernels} read it, widening every float to double before it is
 * used (y, θ, r, g and every sum stay double), so a fit over a {@code FloatMatrix} is the float64 fit of the same
 * (float) numbers, in half the bytes of X.
 *
 * <p>Element (i, j) is {@code data[offset + i*ld + j]} for {@link Layout#ROW_MAJOR} and
 * {@code data[offset + j*ld + i]} for {@link Layout#COLUMN_MAJOR}. A leading dimension larger than
 * the row (or column) length lets the view skip columns (or rows) of a larger array, e.g. the
 * feature columns of a row-major table whose last column is the target; see {@link #columns(int, int)} (there is no float
 * column accessor: targets, weights and every vector of the kernels are double).
 *
 * <p>The constructor checks that every element of the view lies inside {@code data}.
 *
 * @param data   the backing array (not copied; later writes to it are seen by the view)
 * @param offset index of element (0, 0)
 * @param rows   number of rows m, {@code >= 0}
 * @param cols   number of columns n, {@code >= 0}
 * @param ld     leading dimension: distance between consecutive rows (row-major, {@code >= max(1, cols)})
 *               or columns (column-major, {@code >= max(1, rows)})
 * @param layout row- or column-major
 */
public record FloatMatrix(float[] data, int offset, int rows, int cols, int ld, Layout layout) {

    public FloatMatrix {
        Objects.requireNonNull(data, "data (the matrix array) is null");
        Objects.requireNonNull(layout, "layout is null");
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        if (cols < 0) throw new IllegalArgumentException("cols must be >= 0, got " + cols);
        if (offset < 0) throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        int minLd = Math.max(1, layout == Layout.ROW_MAJOR ? cols : rows);
        if (ld < minLd) {
            throw new IllegalArgumentException("leading dimension ld=" + ld + " is smaller than the "
                    + (layout == Layout.ROW_MAJOR ? "row length cols=" + cols : "column length rows=" + rows)
                    + " (must be >= " + minLd + ")");
        }
        if (rows > 0 && cols > 0) {
            long outer = layout == Layout.ROW_MAJOR ? rows : cols;
            long inner = layout == Layout.ROW_MAJOR ? cols : rows;
            long last = offset + (outer - 1) * ld + inner - 1;
            if (last >= data.length) {
                throw new IllegalArgumentException("a " + rows + "x" + cols + " " + layout + " matrix with offset "
                        + offset + " and ld " + ld + " needs an array of at least " + (last + 1)
                        + " elements, got " + data.length);
            }
        }
    }

    /** A compact row-major view of the whole array: {@code data.length} must equal {@code rows*cols}. */
    public static FloatMatrix rowMajor(float[] data, int rows, int cols) {
        requireExactLength(data, rows, cols);
        return new FloatMatrix(data, 0, rows, cols, Math.max(1, cols), Layout.ROW_MAJOR);
    }

    /** A row-major view with an offset and a row stride {@code ld >= cols}. */
    public static FloatMatrix rowMajor(float[] data, int offset, int rows, int cols, int ld) {
        return new FloatMatrix(data, offset, rows, cols, ld, Layout.ROW_MAJOR);
    }

    /** A compact column-major view of the whole array: {@code data.length} must equal {@code rows*cols}. */
    public static FloatMatrix columnMajor(float[] data, int rows, int cols) {
        requireExactLength(data, rows, cols);
        return new FloatMatrix(data, 0, rows, cols, Math.max(1, rows), Layout.COLUMN_MAJOR);
    }

    /** A column-major view with an offset and a column stride {@code ld >= rows}. */
    public static FloatMatrix columnMajor(float[] data, int offset, int rows, int cols, int ld) {
        return new FloatMatrix(data, offset, rows, cols, ld, Layout.COLUMN_MAJOR);
    }

    private static void requireExactLength(float[] data, int rows, int cols) {
        Objects.requireNonNull(data, "data (the matrix array) is null");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("rows and cols must be >= 0, got " + rows + "x" + cols);
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix needs " + (long) rows * cols
                    + " elements, the array has " + data.length);
        }
    }

    /** Index of element (i, j) in {@link #data()}; not bounds-checked against rows/cols. */
    public int index(int i, int j) {
        return layout == Layout.ROW_MAJOR ? offset + i * ld + j : offset + j * ld + i;
    }

    /** Element (i, j), widened to double (exactly). */
    public double get(int i, int j) {
        Objects.checkIndex(i, rows);
        Objects.checkIndex(j, cols);
        return data[index(i, j)];
    }

    /**
     * The view of columns {@code [from, from + count)} of this matrix, sharing the array (e.g. the
     * features of a table whose target is its last column).
     */
    public FloatMatrix columns(int from, int count) {
        Objects.checkFromIndexSize(from, count, cols);
        int off = layout == Layout.ROW_MAJOR ? offset + from : offset + from * ld;
        return new FloatMatrix(data, count == 0 ? offset : off, rows, count, ld, layout);
    }

    @Override
    public String toString() {
        return "FloatMatrix[" + rows + "x" + cols + ", " + layout + ", offset=" + offset + ", ld=" + ld
                + ", array length=" + data.length + "]";
    }
}
