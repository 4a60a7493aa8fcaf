package dev.vecgd.solver;

import dev.vecgd.kernel.FloatKernels;
import dev.vecgd.kernel.FloatMatrix;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.StridedVector;

import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link RowSource} over heap <b>float32</b> X ({@link FloatMatrix}: a {@code float[]}, half the bytes of a
 * {@code double[]}) and double targets, so that {@link LinearRegression#fit(RowSource, FitOptions)} fits it with
 * every full-batch solver ({@code gd}, {@code momentum}, {@code nesterov}, {@code cg}, {@code normal}), the same
 * standardization, stopping rules and {@link FitResult}, standard errors and κ included:
 * <pre>
 *   FitResult r = LinearRegression.fit(FloatRowSource.of(FloatMatrix.rowMajor(x, m, n), y), FitOptions.defaults());
 * </pre>
 * Every gradient is one pass of {@link FloatKernels#lossGradientAdd} (each float widened to double, all sums in
 * double); the cross-products pass widens blocks of rows exactly ({@link FloatKernels#copyShiftedRows} with a zero
 * shift, or element by element for column-major X) and runs {@link CrossProducts#addRowMajor} on them, as
 * {@link ChunkedRowSource} does on double data. So the fit is the float64 fit of the float values: on the same
 * numbers it gives the bits of {@code ChunkedRowSource.of(List.of(dataset))} over the widened {@code double[]}
 * (the heap float kernels sum in the order of the heap double kernels; tested for every solver). The data are
 * rounded once, when they are stored as float; the solve adds no float rounding.
 *
 * <p>The constructor checks the shapes and that every value of X and y is finite (naming row and column); each
 * {@link #moments} pass checks again through its sums, without another read of X (the arrays are shared, not copied:
 * a NaN or ±Inf makes its column's sum non-finite, and the value is then found and named). Not thread-safe (one fit at
 * a time);
 * no array is modified. With sample weights ({@link #of(FloatMatrix, double[], double[])}) every gradient is one
 * pass of {@link FloatKernels#weightedLossGradientAdd}.
 * {@link FitResult#implementation()} of a fit names {@link FloatKernels#implementation()} ({@link #implementation()}),
 * the kernels of its passes over X.
 */
public final class FloatRowSource implements RowSource {

    private final FloatMatrix x;
    private final double[] y;
    /** The rows' sample weights, or null (no weights). */
    private final double[] w;
    private final StridedVector yv;
    private final int n;
    private final int m;
    private double[] zeros = new double[0];
    private double[] sums = new double[0];
    private double[] rowBlock = new double[0];
    private double[] yBlock = new double[0];
    private double[] wBlock = new double[0];
    private double[] absMax = new double[0];
    private double[] noShift = new double[0];

    private FloatRowSource(FloatMatrix x, double[] y, double[] w) {
        this.x = Objects.requireNonNull(x, "x (the float matrix) is null");
        this.y = Objects.requireNonNull(y, "y (the targets) is null");
        this.w = w;
        if (y.length != x.rows()) {
            throw new IllegalArgumentException("y has " + y.length + " values, X has " + x.rows() + " rows");
        }
        if (w != null && w.length != x.rows()) {
            throw new IllegalArgumentException("weights has " + w.length + " values, X has " + x.rows() + " rows");
        }
        this.n = x.cols();
        this.m = x.rows();
        this.yv = StridedVector.of(y);
        requireFinite();
        requireWeights();
    }

    /**
     * The source over float32 X and double y (neither copied).
     *
     * @param x the m × n float matrix, any layout, offset and leading dimension; not modified
     * @param y m targets, not modified
     * @throws IllegalArgumentException if y's length is not m, or a value of X or y is NaN or infinite (naming it)
     */
    public static FloatRowSource of(FloatMatrix x, double[] y) {
        return new FloatRowSource(x, y, null);
    }

    /**
     * The source over float32 X, double y and <b>sample weights</b> (none copied): {@link LinearRegression#fit(RowSource,
     * FitOptions)} then fits the weighted problem, as {@link ChunkedRowSource#of(Iterable, Iterable)} over the widened
     * data (the same bits), with {@code normal}, standard errors and κ from the weighted cross-products pass.
     *
     * @param weights m weights, finite and ≥ 0 (0 leaves the row out), not modified
     * @throws IllegalArgumentException as {@link #of(FloatMatrix, double[])}, for a weights array whose length is not m,
     *                                  or a negative or non-finite weight (naming its row)
     */
    public static FloatRowSource of(FloatMatrix x, double[] y, double[] weights) {
        return new FloatRowSource(x, y, Objects.requireNonNull(weights, "weights is null"));
    }

    /** The float matrix (shared, not a copy). */
    public FloatMatrix x() {
        return x;
    }

    /** {@link FloatKernels#implementation()}: every pass over X runs the heap float32 kernels. */
    @Override
    public String implementation() {
        return FloatKernels.implementation();
    }

    @Override
    public int cols() {
        return n;
    }

    @Override
    public long rows() {
        return m;
    }

    @Override
    public void moments(double[] center, double[] out) {
        // column by column, rows in order: the order of ChunkedRowSource (the same bits on the widened data)
        boolean finite = true;
        for (int j = 0; j < n; j++) {
            double cj = center == null ? 0 : center[j];
            double s = 0;
            for (int i = 0; i < m; i++) {
                double d = x.get(i, j) - cj;
                s += center == null ? d : d * d;
            }
            out[j] += s;
            finite &= Double.isFinite(s);
        }
        double cy = center == null ? 0 : center[n];
        double s = 0;
        for (int i = 0; i < m; i++) {
            double d = y[i] - cy;
            s += center == null ? d : d * d;
        }
        out[n] += s;
        if (!finite || !Double.isFinite(s)) requireFinite(); // a NaN/±Inf makes its sum non-finite: name it
    }

    @Override
    public void accumulate(double[] p, boolean withTargets, GradientBuffer into) {
        StridedVector t = yv;
        if (!withTargets) { // the y-free product: y ≡ 0 (one zeroed array, allocated once)
            if (zeros.length < m) zeros = new double[m];
            t = StridedVector.of(zeros);
        }
        if (sums.length != n + 1) sums = new double[n + 1];
        Arrays.fill(sums, 0.0);
        double ss = FloatKernels.lossGradientAdd(x, p, p[n], t, sums, 0, m);
        into.add(sums, m, ss);
    }

    @Override
    public boolean hasCrossProducts() {
        return true;
    }

    @Override
    public void crossProductsAdd(double[] mean, double[] scale, boolean intercept, double shift, double[] gram,
                                 double[] rhs) {
        int block = 32 * CrossProducts.BLOCK; // the blocks of ChunkedRowSource
        for (int from = 0; from < m; from += block) {
            int count = Math.min(block, m - from);
            widen(from, count);
            CrossProducts.addRowMajor(rowBlock, 0, n, count, n, yBlock, mean, scale, intercept, shift, gram, rhs);
        }
    }

    /** Rows [from, from + count) of X widened exactly into rowBlock (row-major, n per row), their targets into yBlock. */
    private void widen(int from, int count) {
        int cap = Math.min(32 * CrossProducts.BLOCK, m);
        if (yBlock.length < cap) yBlock = new double[cap];
        if (rowBlock.length < cap * n) rowBlock = new double[cap * n];
        if (absMax.length < n) {
            absMax = new double[n];
            noShift = new double[n];
        }
        System.arraycopy(y, from, yBlock, 0, count);
        if (x.layout() == Layout.ROW_MAJOR) {
            FloatKernels.copyShiftedRows(x, from, count, noShift, rowBlock, 0, Math.max(1, n), absMax); // x − 0: exact
        } else {
            for (int r = 0; r < count; r++) {
                for (int j = 0; j < n; j++) rowBlock[r * n + j] = x.get(from + r, j);
            }
        }
    }

    @Override
    public boolean hasWeights() {
        return w != null;
    }

    @Override
    public boolean hasWeightedCrossProducts() {
        return w != null;
    }

    @Override
    public void weightedMoments(double[] center, double[] out) {
        requireWeighted();
        requireWeights();
        // the order of ChunkedRowSource.weightedMoments (the same bits on the widened data)
        boolean finite = true;
        for (int j = 0; j < n; j++) {
            double cj = center == null ? 0 : center[j];
            double s = 0;
            for (int i = 0; i < m; i++) {
                double d = x.get(i, j) - cj;
                s += center == null ? w[i] * d : w[i] * d * d;
            }
            out[j] += s;
            finite &= Double.isFinite(s);
        }
        double cy = center == null ? 0 : center[n];
        double s = 0;
        double total = 0;
        for (int i = 0; i < m; i++) {
            double d = y[i] - cy;
            s += center == null ? w[i] * d : w[i] * d * d;
            total += w[i];
        }
        out[n] += s;
        out[n + 1] += total;
        if (!finite || !Double.isFinite(s)) requireFinite(); // NaN/±Inf (times any finite weight ≥ 0) is not finite
    }

    @Override
    public void weightedAccumulate(double[] p, boolean withTargets, GradientBuffer into) {
        requireWeighted();
        StridedVector t = yv;
        if (!withTargets) {
            if (zeros.length < m) zeros = new double[m];
            t = StridedVector.of(zeros);
        }
        if (sums.length != n + 1) sums = new double[n + 1];
        Arrays.fill(sums, 0.0);
        double ss = FloatKernels.weightedLossGradientAdd(x, p, p[n], t, w, 0, null, 0, sums, 0, m);
        into.add(sums, m, ss);
    }

    @Override
    public void weightedCrossProductsAdd(double[] mean, double[] scale, boolean intercept, double shift, double[] gram,
                                         double[] rhs) {
        requireWeighted();
        int block = 32 * CrossProducts.BLOCK;
        int cap = Math.min(block, m);
        if (wBlock.length < cap) wBlock = new double[cap];
        for (int from = 0; from < m; from += block) {
            int count = Math.min(block, m - from);
            widen(from, count);
            System.arraycopy(w, from, wBlock, 0, count);
            CrossProducts.addRowMajorWeighted(rowBlock, 0, n, count, n, yBlock, wBlock, mean, scale, intercept, shift,
                    gram, rhs);
        }
    }

    private void requireWeighted() {
        if (w == null) {
            throw new UnsupportedOperationException("this FloatRowSource has no sample weights (made by of(x, y))");
        }
    }

    private void requireWeights() {
        if (w == null) return;
        for (int i = 0; i < m; i++) {
            if (!(w[i] >= 0) || !Double.isFinite(w[i])) {
                throw new IllegalArgumentException("the sample weight of row " + i + " is " + w[i]
                        + ": weights must be finite and >= 0 (0 excludes the row)");
            }
        }
    }

    private void requireFinite() {
        float[] a = x.data();
        if (x.layout() == Layout.ROW_MAJOR) {
            for (int i = 0; i < m; i++) {
                int base = x.offset() + i * x.ld();
                for (int j = 0; j < n; j++) {
                    if (!Float.isFinite(a[base + j])) throw bad("X[row " + i + ", column " + j + "]", a[base + j]);
                }
            }
        } else {
            for (int j = 0; j < n; j++) {
                int base = x.offset() + j * x.ld();
                for (int i = 0; i < m; i++) {
                    if (!Float.isFinite(a[base + i])) throw bad("X[row " + i + ", column " + j + "]", a[base + i]);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            if (!Double.isFinite(y[i])) throw bad("y[row " + i + "]", y[i]);
        }
    }

    private static IllegalArgumentException bad(String where, double v) {
        return new IllegalArgumentException(where + " is " + v + ": X and y must be finite");
    }
}
