package dev.vecgd.spark;

/** Rows given as {@code double[]}: the n features, then the label last. */
final class ArrayRowReader implements RowReader<double[]> {

    private static final long serialVersionUID = 1L;

    @Override
    public int width(double[] row) {
        if (row == null) throw new IllegalArgumentException("a row is null");
        if (row.length < 1) throw new IllegalArgumentException("a row is empty: each double[] holds the features, then the label last");
        return row.length - 1;
    }

    @Override
    public void read(double[] row, double[] x, int off, int n, double[] y, int i, String where) {
        if (row == null) throw new IllegalArgumentException("the row at " + where + " is null");
        if (row.length != n + 1) {
            throw new IllegalArgumentException("the row at " + where + " has " + row.length + " values, earlier rows "
                    + (n + 1) + " (n features, then the label last)");
        }
        for (int j = 0; j < n; j++) x[off + j] = RowReader.finite(row[j], "feature " + j, where);
        y[i] = RowReader.finite(row[n], "the label (last value)", where);
    }
}
