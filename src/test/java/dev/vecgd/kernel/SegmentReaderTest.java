package dev.vecgd.kernel;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link SegmentReader} hands every element exactly once, in storage order, with the right indices: row-major
 * with padded rows (ld &gt; n), rows wider than the buffer, column-major runs, blocks that do not divide m, and a
 * segment that ends right after the last value (no read past it).
 */
class SegmentReaderTest {

    /** A segment holding exactly offset + the matrix's elements, value = 1000·i + j + 0.5 at (i, j), NaN in padding. */
    private static SegmentMatrix matrix(Arena arena, long rows, int cols, long ld, Layout layout, long offset) {
        long outer = layout == Layout.ROW_MAJOR ? rows : cols;
        long inner = layout == Layout.ROW_MAJOR ? cols : rows;
        long len = offset + (outer - 1) * ld + inner;
        MemorySegment s = arena.allocate(len * Double.BYTES, 8);
        for (long e = 0; e < len; e++) s.setAtIndex(ValueLayout.JAVA_DOUBLE, e, Double.NaN);
        SegmentMatrix x = new SegmentMatrix(s, offset, rows, cols, ld, layout);
        for (long i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) s.setAtIndex(ValueLayout.JAVA_DOUBLE, x.index(i, j), 1000.0 * i + j + 0.5);
        }
        return x;
    }

    @Test
    void rowMajorBlocksCoverEveryElementOnceInOrder() {
        try (Arena arena = Arena.ofConfined()) {
            for (int[] c : new int[][]{{37, 5, 5, 12, 1}, {37, 5, 7, 12, 1}, {37, 5, 7, 1, 1}, {10, 20, 23, 16, 1},
                    {1, 3, 3, 64, 1}, {64, 4, 4, 16, 1}, {100, 3, 3, 60, 8}, {100, 3, 4, 60, 64}}) {
                int rows = c[0], cols = c[1], ld = c[2], buffer = c[3], multiple = c[4];
                SegmentMatrix x = matrix(arena, rows, cols, ld, Layout.ROW_MAJOR, 3);
                long[] next = {0};
                SegmentReader.rows(x, (buf, bld, first, count) -> {
                    assertEquals(next[0], first, "blocks in order");
                    if (first + count < rows && buffer / ld >= multiple) assertEquals(0, count % multiple, "aligned blocks");
                    for (int r = 0; r < count; r++) {
                        for (int j = 0; j < cols; j++) assertEquals(1000.0 * (first + r) + j + 0.5, buf[r * bld + j]);
                    }
                    next[0] += count;
                }, buffer, multiple);
                assertEquals(rows, next[0], "every row once: " + java.util.Arrays.toString(c));
            }
        }
    }

    @Test
    void columnMajorRunsCoverEveryElementOnceInOrder() {
        try (Arena arena = Arena.ofConfined()) {
            for (int[] c : new int[][]{{37, 5, 37, 8}, {37, 5, 40, 8}, {5, 3, 9, 64}, {16, 2, 16, 16}}) {
                int rows = c[0], cols = c[1], ld = c[2], buffer = c[3];
                SegmentMatrix x = matrix(arena, rows, cols, ld, Layout.COLUMN_MAJOR, 1);
                long[] seen = new long[cols];
                int[] lastColumn = {0};
                SegmentReader.columns(x, (buf, j, first, count) -> {
                    assertEquals(true, j >= lastColumn[0], "columns in order");
                    lastColumn[0] = j;
                    assertEquals(seen[j], first, "runs in order");
                    for (int r = 0; r < count; r++) assertEquals(1000.0 * (first + r) + j + 0.5, buf[r]);
                    seen[j] += count;
                }, buffer);
                for (int j = 0; j < cols; j++) assertEquals(rows, seen[j], "column " + j + " once");
            }
        }
    }

    @Test
    void emptyMatricesCallNothingAndLayoutsAreChecked() {
        try (Arena arena = Arena.ofConfined()) {
            SegmentMatrix none = new SegmentMatrix(arena.allocate(8, 8), 0, 0, 3, 3, Layout.ROW_MAJOR);
            SegmentReader.rows(none, (buf, ld, first, count) -> {
                throw new AssertionError("no rows");
            });
            SegmentMatrix col = matrix(arena, 4, 2, 4, Layout.COLUMN_MAJOR, 0);
            assertThrows(IllegalArgumentException.class, () -> SegmentReader.rows(col, (buf, ld, first, count) -> { }));
            SegmentMatrix row = matrix(arena, 4, 2, 2, Layout.ROW_MAJOR, 0);
            assertThrows(IllegalArgumentException.class, () -> SegmentReader.columns(row, (buf, j, first, count) -> { }));
        }
    }
}
