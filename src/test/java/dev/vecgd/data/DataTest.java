package dev.vecgd.data;

import dev.vecgd.kernel.Matrix;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DataTest {

    @Test
    void rowChunksCoverTheRowsInOrder() {
        RowChunks c = RowChunks.of(10, 4);
        assertEquals(3, c.count());
        assertEquals(List.of(new RowRange(0, 4), new RowRange(4, 8), new RowRange(8, 10)), c.asList());
        assertEquals(0, RowChunks.of(0, 4).count());
        assertEquals(1, RowChunks.of(3, 100).count());
        assertThrows(IllegalArgumentException.class, () -> RowChunks.of(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new RowRange(3, 2));
    }

    /** Issue 18: the usual Java shape, copied once into a compact row-major array. */
    @Test
    void datasetFromRowsCopiesOnce() {
        double[][] rows = {{1, 2, 3}, {4, 5, 6}};
        double[] y = {7, 8};
        Dataset d = Dataset.of(rows, y);
        assertEquals(2, d.rows());
        assertEquals(3, d.cols());
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) assertEquals(rows[i][j], d.x(i, j));
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, d.x().data());
        rows[0][0] = 99;
        assertEquals(1, d.x(0, 0), "X was copied");
        y[1] = 9;
        assertEquals(9, d.y(1), "y is shared");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.of(new double[][] {{1, 2}, {3}}, new double[2]));
        assertTrue(e.getMessage().contains("row 1 has 1 values, row 0 has 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.of(new double[][] {{1, 2}}, new double[2]));
        assertTrue(e.getMessage().contains("x has 1 rows but y has 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.of(new double[0][], new double[0]));
        assertTrue(e.getMessage().contains("no rows"), e.getMessage());
        NullPointerException npe = assertThrows(NullPointerException.class, () -> Dataset.of(new double[][] {{1}, null}, new double[2]));
        assertTrue(npe.getMessage().contains("row 1"), npe.getMessage());
    }

    @Test
    void tableTargetColumnSharesTheArray() {
        double[] t = {1, 2, 10, 3, 4, 20, 5, 6, 30};
        Dataset last = Dataset.fromTable(Matrix.rowMajor(t, 3, 3), 2);
        assertSame(t, last.x().data());
        assertSame(t, last.y().data());
        assertEquals(2, last.cols());
        assertEquals(20, last.y(1));
        assertEquals(4, last.x(1, 1));
        Dataset first = Dataset.fromTable(Matrix.rowMajor(t, 3, 3), 0);
        assertEquals(3, first.y(1));
        assertEquals(20, first.x(1, 1));
        // issue 18: a target in the middle is accepted (features copied once), both layouts
        Dataset middle = Dataset.fromTable(Matrix.rowMajor(t, 3, 3), 1);
        Dataset middleCol = Dataset.fromTable(Matrix.columnMajor(t, 3, 3), 1);
        for (int i = 0; i < 3; i++) {
            assertEquals(t[i * 3 + 1], middle.y(i));
            assertEquals(t[i * 3], middle.x(i, 0));
            assertEquals(t[i * 3 + 2], middle.x(i, 1));
            assertEquals(t[3 + i], middleCol.y(i));
            assertEquals(t[i], middleCol.x(i, 0));
            assertEquals(t[6 + i], middleCol.x(i, 1));
        }
        assertSame(t, middle.y().data(), "y stays a view");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.fromTable(Matrix.rowMajor(t, 3, 3), 3));
        assertTrue(e.getMessage().contains("targetColumn 3 is outside"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dataset.fromTable(Matrix.rowMajor(t, 3, 3), -1));
    }

    @Test
    void shapeAndValueChecksNameTheProblem() {
        double[] x = {1, 2, 3, 4, 5, 6};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.columnMajor(x, 2, 3, new double[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("X has 2 rows but y has 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(Matrix.rowMajor(x, 3, 2), new dev.vecgd.kernel.StridedVector(new double[4], 0, 2)));
        assertTrue(e.getMessage().contains("shape mismatch"), e.getMessage());
        double[] bad = x.clone();
        bad[4] = Double.NEGATIVE_INFINITY; // column-major 2x3: element (0, 2)
        e = assertThrows(IllegalArgumentException.class,
                () -> DataChecks.requireFinite(Dataset.columnMajor(bad, 2, 3, new double[] {1, 2})));
        assertTrue(e.getMessage().contains("X[row 0, column 2] is -Infinity"), e.getMessage());
        assertDoesNotThrow(() -> DataChecks.requireFinite(Dataset.columnMajor(x, 2, 3, new double[] {1, 2})));
    }

    /** The small accessors: a dataset's layout and description, a row range's size and limits. */
    @Test
    void smallAccessors() {
        Dataset rows = Dataset.rowMajor(new double[6], 3, 2, new double[3]);
        Dataset cols = Dataset.columnMajor(new double[6], 3, 2, new double[3]);
        assertEquals(dev.vecgd.kernel.Layout.ROW_MAJOR, rows.layout());
        assertEquals(dev.vecgd.kernel.Layout.COLUMN_MAJOR, cols.layout());
        assertTrue(rows.toString().startsWith("Dataset[3x2, X="), rows.toString());
        assertEquals(5, new RowRange(2, 7).size());
        assertEquals(0, new RowRange(4, 4).size(), "an empty range");
        assertEquals(0, new RowRange(0, 0).size());
        assertEquals("invalid row range [-1, 3)", assertThrows(IllegalArgumentException.class,
                () -> new RowRange(-1, 3)).getMessage());
        assertEquals("invalid row range [4, 3)", assertThrows(IllegalArgumentException.class,
                () -> new RowRange(4, 3)).getMessage());
    }

    /**
     * Rows whose m·n exceeds one array are refused by name before anything is allocated (65,536 rows sharing one
     * row of 65,536 columns: 2³² elements, 512 KB of memory); a one-column table is a target without features.
     */
    @Test
    void shapeLimits() {
        double[] row = new double[1 << 16];
        double[][] x = new double[1 << 16][];
        java.util.Arrays.fill(x, row);
        assertEquals("65536 rows × 65536 columns do not fit in one array; use SegmentDataset",
                assertThrows(IllegalArgumentException.class, () -> Dataset.of(x, new double[1 << 16])).getMessage());
        // a target column in the middle: the features are copied out of both layouts
        double[] t = {1, 10, 100, 2, 20, 200}; // row-major 2 × 3
        for (Matrix table : new Matrix[] {Matrix.rowMajor(t, 2, 3), Matrix.columnMajor(new double[] {1, 2, 10, 20, 100, 200}, 2, 3)}) {
            Dataset mid = Dataset.fromTable(table, 1);
            assertEquals(2, mid.cols(), table.layout().toString());
            assertEquals(2, mid.rows());
            assertEquals(100, mid.x(0, 1));
            assertEquals(2, mid.x(1, 0));
            assertEquals(20, mid.y(1));
        }
        Dataset onlyY = Dataset.fromTable(Matrix.rowMajor(new double[]{1, 2, 3}, 3, 1), 0);
        assertEquals(0, onlyY.cols());
        assertEquals(3, onlyY.rows());
        assertEquals(2, onlyY.y(1));
    }
}
