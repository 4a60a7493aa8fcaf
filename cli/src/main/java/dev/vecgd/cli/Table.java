package dev.vecgd.cli;

import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;

import java.util.List;

/**
 * A numeric table loaded by the command line: one heap {@code double[]} (row- or column-major,
 * possibly longer than needed: CSV loading grows it and never trims it), its shape and column names.
 *
 * @param data   the values; {@link #matrix()} is the view of the {@code rows × cols} part
 * @param rows   number of rows
 * @param cols   number of columns
 * @param layout row- or column-major
 * @param names  the column names ({@code cols} of them)
 */
record Table(double[] data, int rows, int cols, Layout layout, List<String> names) {

    Table {
        names = List.copyOf(names);
        if (names.size() != cols) throw new IllegalArgumentException(names.size() + " names for " + cols + " columns");
    }

    /** The whole table as a matrix view (no copy). */
    Matrix matrix() {
        return new Matrix(data, 0, rows, cols, layout == Layout.ROW_MAJOR ? Math.max(1, cols) : Math.max(1, rows), layout);
    }

    /** Default column names x1..xn. */
    static List<String> defaultNames(int cols) {
        String[] n = new String[cols];
        for (int j = 0; j < cols; j++) n[j] = "x" + (j + 1);
        return List.of(n);
    }
}
