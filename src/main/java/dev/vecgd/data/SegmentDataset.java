package dev.vecgd.data;

import dev.vecgd.kernel.ElementType;
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
 *
 * <p><b>float32 X.</b> X may be stored as {@code float} ({@link ElementType#FLOAT32}: {@link #allocate(long, int,
 * Layout, ElementType)}, {@link #copyOf(Dataset, Layout, ElementType)}, a {@code <f4} {@code .npy} file,
 * {@link #mapRaw(Path, long, int, Layout, int, ElementType)}): half the bytes per pass. Every solver and diagnostic
 * accepts it unchanged (the kernels widen each float to double; all sums are double). y is always double: a
 * float32 target column or file is copied once into native doubles owned by the dataset.
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
        /** A widened target column, when this arena holds one. */
        MemorySegment segment;
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
        return allocate(rows, cols, layout, ElementType.FLOAT64);
    }

    /**
     * {@link #allocate(long, int, Layout)} with X stored as the given element type ({@code 4·m·n} bytes for
     * {@link ElementType#FLOAT32}); y is double.
     */
    public static SegmentDataset allocate(long rows, int cols, Layout layout, ElementType type) {
        Objects.requireNonNull(layout, "layout is null");
        Objects.requireNonNull(type, "type is null");
        if (rows < 1 || cols < 0) throw new IllegalArgumentException("need rows >= 1 and cols >= 0, got " + rows + "x" + cols);
        Arena arena = Arena.ofShared();
        try {
            long xBytes = Math.max(8, Math.multiplyExact(Math.multiplyExact(rows, (long) cols), (long) type.bytes()));
            long yBytes = Math.multiplyExact(rows, 8L);
            MemorySegment xs = arena.allocate(xBytes, 64);
            MemorySegment ys = arena.allocate(yBytes, 64);
            SegmentMatrix x = layout == Layout.ROW_MAJOR
                    ? new SegmentMatrix(xs, 0, rows, cols, Math.max(1, cols), layout, type)
                    : new SegmentMatrix(xs, 0, rows, cols, rows, layout, type);
            return new SegmentDataset(x, SegmentVector.of(ys), new OwnedArena(arena, xBytes + yBytes));
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** An off-heap copy of a heap dataset, in the given layout. */
    public static SegmentDataset copyOf(Dataset data, Layout layout) {
        return copyOf(data, layout, ElementType.FLOAT64);
    }

    /**
     * An off-heap copy of a heap dataset, in the given layout, X stored as the given type: for
     * {@link ElementType#FLOAT32} each x is rounded to the nearest float once (y stays double).
     *
     * @throws IllegalArgumentException naming the row and column of a finite value that overflows float32
     */
    public static SegmentDataset copyOf(Dataset data, Layout layout, ElementType type) {
        SegmentDataset d = allocate(data.rows(), data.cols(), layout, type);
        try {
            for (int i = 0; i < data.rows(); i++) {
                for (int j = 0; j < data.cols(); j++) d.setX(i, j, data.x(i, j));
                d.setY(i, data.y(i));
            }
        } catch (RuntimeException e) {
            d.close();
            throw e;
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
        if (targetColumn != c - 1 && targetColumn != 0) {
            throw new IllegalArgumentException("targetColumn must be the first (0) or the last (" + (c - 1)
                    + ") column so that the features stay one strided view, got " + targetColumn);
        }
        SegmentMatrix features = targetColumn == 0 ? table.columns(1, c - 1) : table.columns(0, c - 1);
        if (table.elementType() == ElementType.FLOAT64) return new SegmentDataset(features, table.column(targetColumn), owned);
        OwnedArena ya = widened(table.columns(targetColumn, 1));
        AutoCloseable[] all = java.util.Arrays.copyOf(owned, owned.length + 1);
        all[owned.length] = ya;
        try {
            return new SegmentDataset(features, SegmentVector.of(ya.segment), all);
        } catch (RuntimeException e) {
            ya.close();
            throw e;
        }
    }

    /** A one-column float32 matrix copied into native doubles (64-byte aligned, shared arena), owned by the caller. */
    private static OwnedArena widened(SegmentMatrix column) {
        long m = column.rows();
        Arena arena = Arena.ofShared();
        try {
            MemorySegment ys = arena.allocate(Math.max(8, Math.multiplyExact(m, 8L)), 64);
            for (long i = 0; i < m; i++) ys.setAtIndex(D, i, column.get(i, 0));
            OwnedArena o = new OwnedArena(arena, ys.byteSize());
            o.segment = ys;
            return o;
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
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
            if (ys.elementType() == ElementType.FLOAT32) { // y is double: a float32 file is copied once
                OwnedArena ya = widened(ys.matrix());
                ys.close();
                try {
                    return new SegmentDataset(xs.matrix(), SegmentVector.of(ya.segment), xs, ya);
                } catch (RuntimeException e) {
                    ya.close();
                    throw e;
                }
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
        return mapRaw(table, rows, cols, layout, targetColumn, ElementType.FLOAT64);
    }

    /**
     * {@link #mapRaw(Path, long, int, Layout, int)} for a raw table of the given element type (float32: 4 bytes per
     * element; the target column is then copied into native doubles).
     *
     * @throws DataFileException if the file size is not {@code type.bytes()·rows·cols}
     */
    public static SegmentDataset mapRaw(Path table, long rows, int cols, Layout layout, int targetColumn, ElementType type)
            throws IOException {
        MappedDoubles t = MappedDoubles.raw(table, rows, cols, layout, type);
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
     * Writes feature (i, j) (allocated datasets); float32 X stores v rounded to the nearest float.
     *
     * @throws UnsupportedOperationException for mapped (read-only) data
     * @throws IllegalArgumentException      if X is float32 and the finite v overflows it ({@code |v| > Float.MAX_VALUE}
     *                                       after rounding), naming the row and column
     */
    public void setX(long i, int j, double v) {
        Objects.checkIndex(i, rows());
        Objects.checkIndex(j, cols());
        requireWritable(x.segment());
        if (x.elementType() == ElementType.FLOAT32) {
            float f = (float) v;
            if (Float.isInfinite(f) && Double.isFinite(v)) {
                throw new IllegalArgumentException("X[row " + i + ", column " + j + "] = " + v
                        + " is not finite in float32 (|x| > " + Float.MAX_VALUE + "): store X as float64");
            }
            x.segment().setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, x.index(i, j), f);
        } else {
            x.segment().setAtIndex(D, x.index(i, j), v);
        }
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

    /** Bytes of X one pass reads: {@code 8·m·n} (float64) or {@code 4·m·n} (float32). */
    @Override
    public long featureBytes() {
        return x.dataBytes();
    }

    /** How X is stored: {@link ElementType#FLOAT64} or {@link ElementType#FLOAT32}. */
    public ElementType elementType() {
        return x.elementType();
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
