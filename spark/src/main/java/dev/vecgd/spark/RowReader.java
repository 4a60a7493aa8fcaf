package dev.vecgd.spark;

import java.io.Serializable;

/**
 * Reads one input row (a {@code double[]}, a Spark SQL {@code Row}) into a block: its features into
 * {@code x[off .. off + n)} and its label into {@code y[i]}, rejecting null, NaN and ±Inf with an
 * {@link IllegalArgumentException} that names the column.
 *
 * @param <T> the row type
 */
interface RowReader<T> extends Serializable {

    /** Number of features of this row (all rows of a source must agree; checked by the packer). */
    int width(T row);

    /**
     * @param row       the input row, not modified
     * @param x         the block's features, <b>modified</b> at {@code [off, off + n)}
     * @param y         the block's labels, <b>modified</b> at {@code i}
     * @param where     "partition p, row r" for messages
     */
    void read(T row, double[] x, int off, int n, double[] y, int i, String where);

    /** A finite value, or an {@link IllegalArgumentException} naming the column and the place. */
    static double finite(double v, String column, String where) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(column + " is " + v + " at " + where + ": vecgd fits finite data only"
                    + " (drop or impute such rows first)");
        }
        return v;
    }
}
