package dev.vecgd.data;

import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.kernel.SegmentVector;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A regression problem's data off the Java heap: X as a {@link SegmentMatrix} and y as a
 * {@link SegmentVector}, in native memory ({@link #allocate}, {@link #copyOf}) or mapped from files
 * ({@link #mapNpy(Path, int)}, {@link #mapNpy(Path, Path)}, {@link #mapRaw}). {@code long} row
 * indices; both layouts; strides (y may be a column of X's table). The off-heap counterpart of
 * {@link Dataset}; nothing is copied except by {@link #copyOf}.
 *
 * <p><b>Resources.</b> A dataset made by a factory of this class owns its memory (a shared
 * {@link Arena}, 64-byte aligned, or the file mappings) and releases it in {@link #close()}; after
 * that its views must not be used. One made with the constructor owns nothing ({@code close()} does
 * nothing). Mapped files are opened read-only and never modified.
 */
public final class SegmentDataset implements RegressionData, AutoCloseable {

    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final java.util.concurrent.atomic.AtomicLong LIVE_BYTES = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Native bytes currently held by datasets from {@link #allocate} / {@link #copyOf} that are not
     * closed yet (arena accounting: arena memory does not show in the "direct" buffer pool).
     */
    public static long allocatedBytes() {
        return LIVE_BYTES.get();
    }

    /** Closes an arena once and releases its accounted bytes. */
    private static final class OwnedArena implements AutoCloseable {
        private final Arena arena;
        private final long bytes;
        private final java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);

        OwnedArena(Arena arena, long bytes) {
            this.arena = arena;
            this.bytes = bytes;
            LIVE_BYTES.addAndGet(bytes);
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                arena.close();
                LIVE_BYTES.addAndGet(-bytes);
            }
        }
    }

    private final SegmentMatrix x;
    private final SegmentVector y;
    private final AutoCloseable[] owned;

    /**
     * A view of existing segments (not owned).
     *
     * @throws IllegalArgumentException if X has no rows or y holds fewer than m elements
     */
    public SegmentDataset(SegmentMatrix x, SegmentVector y) {
        this(x, y, new AutoCloseable[0]);
    }

    private SegmentDataset(SegmentMatrix x, SegmentVector y, AutoCloseable... owned) {
        this.x = Objects.requireNonNull(x, "x (the feature matrix) is null");
        this.y = Objects.requireNonNull(y, "y (the targets) is null");
        this.owned = owned;
        if (x.rows() == 0) {
            throw new IllegalArgumentException("the dataset has no rows (m = 0): at least one row is needed to fit");
        }
        if (y.capacity() < x.rows()) {
            throw new IllegalArgumentException("shape mismatch: X has " + x.rows() + " rows but y holds only "
                    + y.capacity() + " elements (" + y + ")");
        }
    }

    /**
     * New zeroed native memory for an m×n X (compact, the given layout) and a separate y, each 64-byte
     * aligned in one shared arena; fill it with {@link #setX} / {@link #setY} or through the segments.
     */
    public static SegmentDataset allocate(long rows, int cols, Layout layout) {
        Objects.requireNonNull(layout, "layout is null");
        if (rows < 1 || cols < 0) throw new IllegalArgumentException("need rows >= 1 and cols >= 0, got " + rows + "x" + cols);
        Arena arena = Arena.ofShared();
        try {
            long xBytes = Math.max(8, Math.multiplyExact(Math.multiplyExact(rows, (long) cols), 8L));
            long yBytes = Math.multiplyExact(rows, 8L);
            MemorySegment xs = arena.allocate(xBytes, 64);
            MemorySegment ys = arena.allocate(yBytes, 64);
            SegmentMatrix x = layout == Layout.ROW_MAJOR
                    ? new SegmentMatrix(xs, 0, rows, cols, Math.max(1, cols), layout)
                    : new SegmentMatrix(xs, 0, rows, cols, rows, layout);
            return new SegmentDataset(x, SegmentVector.of(ys), new OwnedArena(arena, xBytes + yBytes));
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** An off-heap copy of a heap dataset, in the given layout. */
    public static SegmentDataset copyOf(Dataset data, Layout layout) {
        SegmentDataset d = allocate(data.rows(), data.cols(), layout);
        for (int i = 0; i < data.rows(); i++) {
            for (int j = 0; j < data.cols(); j++) d.setX(i, j, data.x(i, j));
            d.setY(i, data.y(i));
        }
        return d;
    }

    /**
     * A table whose first or last column is the target (a view, not owned).
     *
     * @throws IllegalArgumentException if the target column is neither the first nor the last
     */
    public static SegmentDataset fromTable(SegmentMatrix table, int targetColumn) {
        return fromTable(table, targetColumn, new AutoCloseable[0]);
    }

    private static SegmentDataset fromTable(SegmentMatrix table, int targetColumn, AutoCloseable... owned) {
        Objects.requireNonNull(table, "table is null");
        int c = table.cols();
        if (c < 1) throw new IllegalArgumentException("the table has no columns, so no target column");
        if (targetColumn == c - 1) return new SegmentDataset(table.columns(0, c - 1), table.column(c - 1), owned);
        if (targetColumn == 0) return new SegmentDataset(table.columns(1, c - 1), table.column(0), owned);
        throw new IllegalArgumentException("targetColumn must be the first (0) or the last (" + (c - 1)
                + ") column so that the features stay one strided view, got " + targetColumn);
    }

    /**
     * Maps a 2-D {@code .npy} table (read-only, zero-copy) whose first or last column is y.
     *
     * @throws DataFileException on a corrupt or unsupported file, or a 1-D array
     */
    public static SegmentDataset mapNpy(Path table, int targetColumn) throws IOException {
        MappedDoubles t = MappedDoubles.npy(table);
        try {
            if (t.shape().length != 2) {
                throw new DataFileException(table, "a table needs a 2-D array, the shape is " + java.util.Arrays.toString(t.shape()));
            }
            return fromTable(t.matrix(), targetColumn, t);
        } catch (IOException | RuntimeException | Error e) {
            t.close();
            throw e;
        }
    }

    /**
     * Maps X from one {@code .npy} file (2-D, or 1-D for one feature) and y from another (1-D, or m×1).
     *
     * @throws DataFileException on a corrupt or unsupported file, or when the row counts differ
     */
    public static SegmentDataset mapNpy(Path xFile, Path yFile) throws IOException {
        MappedDoubles xs = MappedDoubles.npy(xFile);
        MappedDoubles ys = null;
        try {
            ys = MappedDoubles.npy(yFile);
            if (ys.cols() != 1) {
                throw new DataFileException(yFile, "y must be 1-D (or m×1), the shape is " + java.util.Arrays.toString(ys.shape()));
            }
            if (ys.rows() != xs.rows()) {
                throw new DataFileException(yFile, "shape mismatch: " + ys.rows() + " targets, but " + xFile + " has "
                        + xs.rows() + " rows");
            }
            return new SegmentDataset(xs.matrix(), ys.vector(), xs, ys);
        } catch (IOException | RuntimeException | Error e) {
            xs.close();
            if (ys != null) ys.close();
            throw e;
        }
    }

    /**
     * Maps a raw little-endian {@code rows × cols} table of doubles (no header) whose first or last
     * column is y.
     *
     * @throws DataFileException if the file size is not {@code 8·rows·cols}
     */
    public static SegmentDataset mapRaw(Path table, long rows, int cols, Layout layout, int targetColumn) throws IOException {
        MappedDoubles t = MappedDoubles.raw(table, rows, cols, layout);
        try {
            return fromTable(t.matrix(), targetColumn, t);
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
    }

    /** An unstarted thread, never run: asks the segments whether a thread other than their owner may read them. */
    private static final Thread OTHER = Thread.ofPlatform().unstarted(() -> { });

    /**
     * True when threads other than the caller may read X and y ({@link MemorySegment#isAccessibleBy}): shared,
     * global and automatic arenas and file mappings; false for a confined {@link Arena}, whose segments only
     * its owner thread may touch. Fits over a dataset that is not shared run on the calling thread only
     * (instead of failing with {@link WrongThreadException} in a worker).
     */
    public boolean isSharedAcrossThreads() {
        return x.segment().isAccessibleBy(OTHER) && y.segment().isAccessibleBy(OTHER);
    }

    /** The feature matrix view. */
    public SegmentMatrix x() {
        return x;
    }

    /** The target vector view. */
    public SegmentVector y() {
        return y;
    }

    /** m (≥ 1). */
    public long rows() {
        return x.rows();
    }

    /** m (≥ 1), as {@link RegressionData} names it. */
    @Override
    public long rowCount() {
        return x.rows();
    }

    /** n. */
    @Override
    public int cols() {
        return x.cols();
    }

    @Override
    public Layout layout() {
        return x.layout();
    }

    /** Feature (i, j). */
    @Override
    public double x(long i, int j) {
        return x.get(i, j);
    }

    /** Target of row i. */
    @Override
    public double y(long i) {
        Objects.checkIndex(i, rows());
        return y.get(i);
    }

    /**
     * Writes feature (i, j) (allocated datasets).
     *
     * @throws UnsupportedOperationException for mapped (read-only) data
     */
    public void setX(long i, int j, double v) {
        Objects.checkIndex(i, rows());
        Objects.checkIndex(j, cols());
        requireWritable(x.segment());
        x.segment().setAtIndex(D, x.index(i, j), v);
    }

    /** Writes the target of row i. */
    public void setY(long i, double v) {
        Objects.checkIndex(i, rows());
        requireWritable(y.segment());
        y.segment().setAtIndex(D, y.offset() + i * y.stride(), v);
    }

    private static void requireWritable(MemorySegment s) {
        if (s.isReadOnly()) throw new UnsupportedOperationException("the data is read-only (a mapped input file)");
    }

    /** Bytes of X one pass reads: {@code 8·m·n}. */
    @Override
    public long featureBytes() {
        return 8L * rows() * cols();
    }

    /** Releases the memory or mappings this dataset owns; idempotent. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (IllegalStateException e) {
                // already closed
            } catch (Exception e) {
                if (first == null) first = new IllegalStateException("closing " + this + " failed", e);
            }
        }
        if (first != null) throw first;
    }

    @Override
    public String toString() {
        return "SegmentDataset[" + rows() + "x" + cols() + ", X=" + x + ", y=" + y + "]";
    }
}
