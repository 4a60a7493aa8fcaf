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

    /** The name of feature j in messages (e.g. "feature column 'x3'"). */
    default String featureName(int j) {
        return "feature " + j;
    }

    /** Whether the rows carry a sample weight ({@link #weight}); false by default. */
    default boolean weighted() {
        return false;
    }

    /**
     * The row's sample weight (only when {@link #weighted()}): finite and ≥ 0, else an
     * {@link IllegalArgumentException} naming the column and the place.
     */
    default double weight(T row, String where) {
        return 1;
    }

    /** A finite weight ≥ 0, or an {@link IllegalArgumentException} naming the column and the place. */
    static double weightValue(double v, String column, String where) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("the sample weight in " + column + " is " + v + " at " + where
                    + ": weights must be finite and >= 0 (0 excludes the row)");
        }
        return v;
    }

    /** A finite value, or an {@link IllegalArgumentException} naming the column and the place. */
    static double finite(double v, String column, String where) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(column + " is " + v + " at " + where + ": vecgd fits finite data only"
                    + " (drop or impute such rows first)");
        }
        return v;
    }
}
