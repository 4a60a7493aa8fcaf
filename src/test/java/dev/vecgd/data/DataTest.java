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
        assertThrows(IllegalArgumentException.class, () -> Dataset.fromTable(Matrix.rowMajor(t, 3, 3), 1));
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
}
