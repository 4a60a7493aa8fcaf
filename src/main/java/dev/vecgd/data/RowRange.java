package dev.vecgd.data;

/**
 * The rows {@code [from, to)} of a dataset.
 *
 * @param from first row, inclusive, {@code >= 0}
 * @param to   last row, exclusive, {@code >= from}
 */
public record RowRange(int from, int to) {

    public RowRange {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("invalid row range [" + from + ", " + to + ")");
        }
    }

    /** Number of rows, {@code to − from}. */
    public int size() {
        return to - from;
    }
}
