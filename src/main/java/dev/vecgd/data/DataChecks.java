package dev.vecgd.data;

import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.StridedVector;

/**
 * Value checks on a {@link Dataset}: every element of X and y must be finite. One pass over X in its
 * storage order; nothing is modified or allocated.
 */
public final class DataChecks {

    private DataChecks() {
    }

    /**
     * Throws if any element of X or y is NaN or infinite, naming the first such element found (the
     * lowest row; within a row, the lowest column; for column-major X, the lowest column first).
     *
     * @param data the dataset, not modified
     * @return {@code data}
     * @throws IllegalArgumentException e.g. {@code "X[row 12, column 3] is NaN"} or {@code "y[row 5] is Infinity"}
     */
    public static Dataset requireFinite(Dataset data) {
        Matrix x = data.x();
        StridedVector y = data.y();
        int m = x.rows();
        int n = x.cols();
        double[] a = x.data();
        if (x.layout() == Layout.ROW_MAJOR) {
            for (int i = 0; i < m; i++) {
                int base = x.offset() + i * x.ld();
                for (int j = 0; j < n; j++) {
                    if (!Double.isFinite(a[base + j])) throw bad("X[row " + i + ", column " + j + "]", a[base + j]);
                }
            }
        } else {
            for (int j = 0; j < n; j++) {
                int base = x.offset() + j * x.ld();
                for (int i = 0; i < m; i++) {
                    if (!Double.isFinite(a[base + i])) throw bad("X[row " + i + ", column " + j + "]", a[base + i]);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            double v = y.get(i);
            if (!Double.isFinite(v)) throw bad("y[row " + i + "]", v);
        }
        return data;
    }

    /**
     * {@link #requireFinite(Dataset)} for off-heap data: one pass over X in storage order, then y.
     *
     * @throws IllegalArgumentException naming the first non-finite element
     */
    public static SegmentDataset requireFinite(SegmentDataset data) {
        dev.vecgd.kernel.SegmentMatrix x = data.x();
        long m = x.rows();
        int n = x.cols();
        // bulk copies into a heap buffer: fast in a fresh JVM too (see SegmentReader)
        if (x.layout() == Layout.ROW_MAJOR) {
            dev.vecgd.kernel.SegmentReader.rows(x, (buf, ld, first, count) -> {
                for (int r = 0; r < count; r++) {
                    for (int j = 0; j < n; j++) {
                        double v = buf[r * ld + j];
                        if (!Double.isFinite(v)) throw bad("X[row " + (first + r) + ", column " + j + "]", v);
                    }
                }
            });
        } else {
            dev.vecgd.kernel.SegmentReader.columns(x, (buf, j, first, count) -> {
                for (int r = 0; r < count; r++) {
                    if (!Double.isFinite(buf[r])) throw bad("X[row " + (first + r) + ", column " + j + "]", buf[r]);
                }
            });
        }
        for (long i = 0; i < m; i++) {
            double v = data.y().get(i);
            if (!Double.isFinite(v)) throw bad("y[row " + i + "]", v);
        }
        return data;
    }

    private static IllegalArgumentException bad(String where, double v) {
        return new IllegalArgumentException(where + " is " + v + ": X and y must be finite (remove or impute the row)");
    }
}
