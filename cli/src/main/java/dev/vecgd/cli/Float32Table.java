package dev.vecgd.cli;

import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.ElementType;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A heap table copied into native memory with X stored as float32 ({@link SegmentDataset#allocate(long, int, Layout,
 * ElementType)}, row-major) and y as double: each feature value rounded once to the nearest float.
 *
 * @param data the dataset (owns its memory: close it)
 * @param note the one-line note on the values that lost precision, or null when every value was a float already
 */
record Float32Table(SegmentDataset data, String note) {

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /**
     * Copies table {@code t}: the features are every column but {@code targetIndex} (in order), y is column
     * {@code targetIndex} or, when it is negative, {@code y}.
     *
     * @param fileColumns the file's column of each table column (for messages: CSV columns are re-ordered), or null
     *                    when the table's columns are the file's
     * @throws UsageException naming the data row and the column of a feature value beyond float32's range
     */
    static Float32Table of(Table t, int targetIndex, double[] y, Path file, int[] fileColumns) throws UsageException {
        int m = t.rows();
        int c = t.cols();
        int n = targetIndex >= 0 ? c - 1 : c;
        if (n < 1) throw new UsageException(file + ": no feature column besides the target");
        Matrix src = t.matrix();
        SegmentDataset d = SegmentDataset.allocate(m, n, Layout.ROW_MAJOR, ElementType.FLOAT32);
        try {
            MemorySegment xs = d.x().segment();
            MemorySegment ys = d.y().segment();
            long rounded = 0;
            double worst = 0;
            for (int i = 0; i < m; i++) {
                long base = (long) i * n;
                int k = 0;
                for (int j = 0; j < c; j++) {
                    if (j == targetIndex) continue;
                    double v = src.get(i, j);
                    float f = (float) v;
                    if (Float.isInfinite(f) && Double.isFinite(v)) {
                        int col = fileColumns == null ? j : fileColumns[j];
                        throw new UsageException(file + ": value " + v + " at data row " + (i + 1) + ", column " + (col + 1)
                                + " ('" + t.names().get(j) + "') is not finite in float32 (|x| > " + Float.MAX_VALUE
                                + "): load X as float64 (drop --dtype float32)");
                    }
                    if (f != v) {
                        rounded++;
                        worst = Math.max(worst, Math.abs(f - v) / Math.abs(v));
                    }
                    xs.setAtIndex(F, base + k++, f);
                }
                ys.setAtIndex(D, i, targetIndex >= 0 ? src.get(i, targetIndex) : y[i]);
            }
            String note = rounded == 0 ? null : String.format(Locale.ROOT, "vecgd: note: float32 storage rounded %,d of %,d"
                            + " feature values (%.1f %%) to the nearest float32, largest relative change %.2e; y stays float64",
                    rounded, (long) m * n, 100.0 * rounded / ((double) m * n), worst);
            return new Float32Table(d, note);
        } catch (UsageException | RuntimeException | Error e) {
            d.close();
            throw e;
        }
    }
}
