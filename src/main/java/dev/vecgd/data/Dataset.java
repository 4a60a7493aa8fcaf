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

    /**
     * The usual Java shape: X as rows of a {@code double[][]}. <b>One copy</b>: the rows are copied into one
     * compact row-major array of 8·m·n bytes (the kernels need contiguous data); later writes to {@code x} are
     * not seen. y is not copied (later writes to it are seen, as for every other factory).
     *
     * @param x m rows of n values each (m ≥ 1), not modified
     * @param y m targets, not modified (shared)
     * @throws IllegalArgumentException if there are no rows, the rows differ in length (naming the first that
     *                                  does), y does not hold m values, or m·n exceeds an array's capacity
     * @throws NullPointerException     naming a null row
     */
    public static Dataset of(double[][] x, double[] y) {
        Objects.requireNonNull(x, "x (the rows) is null");
        Objects.requireNonNull(y, "y (the targets) is null");
        int m = x.length;
        if (m == 0) throw new IllegalArgumentException("the dataset has no rows (m = 0): at least one row is needed to fit");
        if (x[0] == null) throw new NullPointerException("row 0 of x is null");
        int n = x[0].length;
        if ((long) m * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(m + " rows × " + n + " columns do not fit in one array; use SegmentDataset");
        }
        if (y.length != m) {
            throw new IllegalArgumentException("shape mismatch: x has " + m + " rows but y has " + y.length + " elements");
        }
        double[] flat = new double[m * n];
        for (int i = 0; i < m; i++) {
            double[] row = x[i];
            if (row == null) throw new NullPointerException("row " + i + " of x is null");
            if (row.length != n) {
                throw new IllegalArgumentException("ragged rows: row " + i + " has " + row.length + " values, row 0 has " + n);
            }
            System.arraycopy(row, 0, flat, i * n, n);
        }
        return rowMajor(flat, m, n, y);
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
     * A table with its target in any column; the features are the other columns, in table order. When the
     * target is the first or the last column the features are a view of the same array (<b>no copy</b>);
     * otherwise they are not one strided view, and are <b>copied once</b> into a compact array of the table's
     * layout (8·m·n bytes). y is always a view of the table's column.
     *
     * @param table        the m×(n+1) table, not modified
     * @param targetColumn 0 ≤ targetColumn &lt; {@code table.cols()}
     * @throws IllegalArgumentException if the target column is outside the table
     */
    public static Dataset fromTable(Matrix table, int targetColumn) {
        Objects.requireNonNull(table, "table is null");
        int c = table.cols();
        if (c < 1) throw new IllegalArgumentException("the table has no columns, so no target column");
        if (targetColumn < 0 || targetColumn >= c) {
            throw new IllegalArgumentException("targetColumn " + targetColumn + " is outside the table's columns [0, " + c + ")");
        }
        if (targetColumn == c - 1) return new Dataset(table.columns(0, c - 1), table.column(c - 1));
        if (targetColumn == 0) return new Dataset(table.columns(1, c - 1), table.column(0));
        int m = table.rows();
        int n = c - 1;
        double[] x = new double[Math.multiplyExact(m, n)];
        boolean rowMajor = table.layout() == Layout.ROW_MAJOR;
        for (int i = 0; i < m; i++) {
            for (int j = 0, k = 0; j < c; j++) {
                if (j == targetColumn) continue;
                x[rowMajor ? i * n + k : k * m + i] = table.get(i, j);
                k++;
            }
        }
        Matrix features = rowMajor ? Matrix.rowMajor(x, m, n) : Matrix.columnMajor(x, m, n);
        return new Dataset(features, table.column(targetColumn));
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
