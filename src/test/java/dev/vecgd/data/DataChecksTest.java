package dev.vecgd.data;

import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** {@link DataChecks#requireFinite}: heap and off-heap, both layouts, the first bad element named exactly. */
class DataChecksTest {

    private static final int M = 7, N = 3;

    private static double[] table() {
        double[] a = new double[M * N];
        for (int i = 0; i < a.length; i++) a[i] = i * 0.5 - 3;
        return a;
    }

    private static double[] y() {
        double[] y = new double[M];
        for (int i = 0; i < M; i++) y[i] = i;
        return y;
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void heapDataNamesTheBadElement() {
        for (Layout layout : Layout.values()) {
            Dataset ok = layout == Layout.ROW_MAJOR ? Dataset.rowMajor(table(), M, N, y()) : Dataset.columnMajor(table(), M, N, y());
            assertSame(ok, DataChecks.requireFinite(ok));
            for (int[] at : new int[][] {{0, 0}, {M - 1, N - 1}, {3, 1}, {6, 0}, {0, 2}}) {
                double[] a = table();
                a[layout == Layout.ROW_MAJOR ? at[0] * N + at[1] : at[1] * M + at[0]] = Double.NEGATIVE_INFINITY;
                Dataset d = layout == Layout.ROW_MAJOR ? Dataset.rowMajor(a, M, N, y()) : Dataset.columnMajor(a, M, N, y());
                assertEquals("X[row " + at[0] + ", column " + at[1] + "] is -Infinity: X and y must be finite (remove or impute the row)",
                        message(() -> DataChecks.requireFinite(d)), layout.toString());
            }
            double[] yy = y();
            yy[M - 1] = Double.NaN;
            Dataset d = layout == Layout.ROW_MAJOR ? Dataset.rowMajor(table(), M, N, yy) : Dataset.columnMajor(table(), M, N, yy);
            assertTrue(message(() -> DataChecks.requireFinite(d)).startsWith("y[row " + (M - 1) + "] is NaN"));
        }
        // a view with an offset and a leading dimension: padding outside the view is never read
        double[] padded = new double[2 + M * (N + 2)];
        java.util.Arrays.fill(padded, Double.NaN);
        for (int i = 0; i < M; i++) for (int j = 0; j < N; j++) padded[2 + i * (N + 2) + j] = i + j;
        Dataset view = Dataset.of(new Matrix(padded, 2, M, N, N + 2, Layout.ROW_MAJOR), y());
        assertSame(view, DataChecks.requireFinite(view));
        double[] paddedCol = new double[3 + N * (M + 1)];
        java.util.Arrays.fill(paddedCol, Double.NaN);
        for (int j = 0; j < N; j++) for (int i = 0; i < M; i++) paddedCol[3 + j * (M + 1) + i] = i - j;
        Dataset viewCol = Dataset.of(new Matrix(paddedCol, 3, M, N, M + 1, Layout.COLUMN_MAJOR), y());
        assertSame(viewCol, DataChecks.requireFinite(viewCol));
        paddedCol[3 + 2 * (M + 1) + 4] = Double.POSITIVE_INFINITY;
        assertTrue(message(() -> DataChecks.requireFinite(viewCol)).startsWith("X[row 4, column 2] is Infinity"));
    }

    @Test
    void offHeapDataNamesTheBadElement() {
        for (Layout layout : Layout.values()) {
            for (int[] at : new int[][] {{0, 0}, {M - 1, N - 1}, {3, 1}, {6, 0}}) {
                try (SegmentDataset d = SegmentDataset.copyOf(Dataset.rowMajor(table(), M, N, y()), layout)) {
                    assertSame(d, DataChecks.requireFinite(d));
                    d.setX(at[0], at[1], Double.NaN);
                    assertEquals("X[row " + at[0] + ", column " + at[1] + "] is NaN: X and y must be finite (remove or impute the row)",
                            message(() -> DataChecks.requireFinite(d)), layout.toString());
                }
            }
            try (SegmentDataset d = SegmentDataset.copyOf(Dataset.rowMajor(table(), M, N, y()), layout)) {
                d.setY(M - 1, Double.POSITIVE_INFINITY);
                assertTrue(message(() -> DataChecks.requireFinite(d)).startsWith("y[row " + (M - 1) + "] is Infinity"));
            }
        }
    }
}
