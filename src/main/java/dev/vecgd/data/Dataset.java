package dev.vecgd.data;

import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.StridedVector;

import java.util.Objects;

/**
 * A regression problem's data: an m×n feature matrix X (a {@link Matrix} view of a heap
 * {@code double[]}, row- or column-major, with offset and leading dimension) and m targets y (a
 * {@link StridedVector}: a separate array, or a column of the same array as X).
 *
 * <p><b>Nothing is copied</b>: the dataset shares the caller's arrays and the solver never writes
 * them (X and y are <i>not modified</i> by anything in vecgd). Later writes by the caller are seen.
 *
 * <p>The constructor checks shapes only: m ≥ 1 and y long enough for m rows. It does not scan the
 * values (that is a pass over X); {@link DataChecks#requireFinite(Dataset)} does, and the solver calls
 * it before fitting.
 *
 * <p>Immutable and thread-safe as long as the arrays are not written concurrently.
 */
public final class Dataset implements RegressionData {

    private final Matrix x;
    private final StridedVector y;

    /**
     * @param x the features, not modified
     * @param y the targets, not modified; element i is the target of row i
     * @throws IllegalArgumentException if X has no rows or y has fewer than m elements
     */
    public Dataset(Matrix x, StridedVector y) {
        this.x = Objects.requireNonNull(x, "x (the feature matrix) is null");
        this.y = Objects.requireNonNull(y, "y (the targets) is null");
        if (x.rows() == 0) {
            throw new IllegalArgumentException("the dataset has no rows (m = 0): at least one row is needed to fit");
        }
        if (y.capacity() < x.rows()) {
            throw new IllegalArgumentException("shape mismatch: X has " + x.rows() + " rows but y holds only "
                    + y.capacity() + " elements (" + y + ")");
        }
    }

    /**
     * X and a separate target array of exactly m elements.
     *
     * @throws IllegalArgumentException if {@code y.length != x.rows()} or m = 0
     */
    public static Dataset of(Matrix x, double[] y) {
        Objects.requireNonNull(x, "x (the feature matrix) is null");
        Objects.requireNonNull(y, "y (the targets) is null");
        if (y.length != x.rows()) {
            throw new IllegalArgumentException("shape mismatch: X has " + x.rows() + " rows but y has " + y.length
                    + " elements");
        }
        return new Dataset(x, StridedVector.of(y));
    }

    /** A compact row-major {@code rows × cols} array X and a separate y. */
    public static Dataset rowMajor(double[] x, int rows, int cols, double[] y) {
        return of(Matrix.rowMajor(x, rows, cols), y);
    }

    /** A compact column-major {@code rows × cols} array X and a separate y. */
    public static Dataset columnMajor(double[] x, int rows, int cols, double[] y) {
        return of(Matrix.columnMajor(x, rows, cols), y);
    }

    /**
     * A table whose target is its first or its last column; the features are the other columns, as a
     * view of the same array (no copy).
     *
     * @param table        the m×(n+1) table, not modified
     * @param targetColumn 0 or {@code table.cols() − 1}
     * @throws IllegalArgumentException if the target column is neither the first nor the last
     */
    public static Dataset fromTable(Matrix table, int targetColumn) {
        Objects.requireNonNull(table, "table is null");
        int c = table.cols();
        if (c < 1) throw new IllegalArgumentException("the table has no columns, so no target column");
        if (targetColumn == c - 1) return new Dataset(table.columns(0, c - 1), table.column(c - 1));
        if (targetColumn == 0) return new Dataset(table.columns(1, c - 1), table.column(0));
        throw new IllegalArgumentException("targetColumn must be the first (0) or the last (" + (c - 1)
                + ") column so that the features stay one strided view, got " + targetColumn);
    }

    /** The feature matrix view (shared, not copied). */
    public Matrix x() {
        return x;
    }

    /** The target vector view (shared, not copied). */
    public StridedVector y() {
        return y;
    }

    /** Number of rows m (≥ 1). */
    public int rows() {
        return x.rows();
    }

    /** Number of rows m as a long ({@link RegressionData}). */
    @Override
    public long rowCount() {
        return x.rows();
    }

    /** Number of feature columns n (may be 0: an intercept-only model). */
    @Override
    public int cols() {
        return x.cols();
    }

    /** The storage layout of X. */
    @Override
    public Layout layout() {
        return x.layout();
    }

    /** Target of row i. */
    public double y(int i) {
        Objects.checkIndex(i, rows());
        return y.get(i);
    }

    /** Feature (i, j). */
    public double x(int i, int j) {
        return x.get(i, j);
    }

    /** Feature (i, j) with a long row index ({@link RegressionData}). */
    @Override
    public double x(long i, int j) {
        return x.get(Math.toIntExact(i), j);
    }

    /** Target of row i with a long row index ({@link RegressionData}). */
    @Override
    public double y(long i) {
        return y(Math.toIntExact(i));
    }

    /** Bytes of X one full pass reads: {@code 8·m·n}. */
    @Override
    public long featureBytes() {
        return 8L * rows() * cols();
    }

    @Override
    public String toString() {
        return "Dataset[" + rows() + "x" + cols() + ", X=" + x + ", y=" + y + "]";
    }
}
