package dev.vecgd.kernel;

/**
 * How the elements of a dense matrix are laid out in its backing array.
 *
 * <p>With leading dimension {@code ld} and offset {@code off}, element (i, j) lives at
 * {@code off + i*ld + j} in {@link #ROW_MAJOR} order and at {@code off + j*ld + i} in
 * {@link #COLUMN_MAJOR} order.
 */
public enum Layout {
    /** Each row is contiguous; consecutive rows are {@code ld} elements apart ({@code ld >= cols}). */
    ROW_MAJOR,
    /** Each column is contiguous; consecutive columns are {@code ld} elements apart ({@code ld >= rows}). */
    COLUMN_MAJOR
}
