package dev.vecgd.data;

import java.util.AbstractList;
import java.util.List;

/**
 * The rows {@code [0, rows)} cut into consecutive chunks of {@code chunkRows} rows (the last chunk
 * may be shorter). The boundaries depend only on {@code rows} and {@code chunkRows} (never on a
 * thread count), so sums taken chunk by chunk in chunk order are reproducible.
 *
 * <p>{@link #from(int)} and {@link #to(int)} compute a chunk's bounds without allocating, for hot
 * loops; {@link #asList()} gives {@link RowRange} objects for convenience.
 *
 * @param rows      total number of rows, {@code >= 0}
 * @param chunkRows rows per chunk, {@code >= 1}
 */
public record RowChunks(int rows, int chunkRows) {

    public RowChunks {
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        if (chunkRows < 1) throw new IllegalArgumentException("chunkRows must be >= 1, got " + chunkRows);
    }

    /** Chunks of {@code chunkRows} rows over {@code [0, rows)}. */
    public static RowChunks of(int rows, int chunkRows) {
        return new RowChunks(rows, chunkRows);
    }

    /** Number of chunks: {@code ceil(rows / chunkRows)} (0 when rows = 0). */
    public int count() {
        return (int) (((long) rows + chunkRows - 1) / chunkRows);
    }

    /** First row of chunk k, inclusive. */
    public int from(int k) {
        return (int) Math.min((long) k * chunkRows, rows);
    }

    /** Last row of chunk k, exclusive. */
    public int to(int k) {
        return (int) Math.min((long) (k + 1) * chunkRows, rows);
    }

    /** Chunk k as a range. */
    public RowRange range(int k) {
        java.util.Objects.checkIndex(k, count());
        return new RowRange(from(k), to(k));
    }

    /** The chunks as an unmodifiable list of ranges (computed on access). */
    public List<RowRange> asList() {
        return new AbstractList<>() {
            @Override
            public RowRange get(int k) {
                return range(k);
            }

            @Override
            public int size() {
                return count();
            }
        };
    }
}
