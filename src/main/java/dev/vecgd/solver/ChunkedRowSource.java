package dev.vecgd.solver;

import dev.vecgd.data.DataChecks;
import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;

import java.util.Iterator;
import java.util.Objects;

/**
 * A {@link RowSource} over <b>chunks you provide</b>: any re-iterable sequence of {@link Dataset} chunks (a
 * {@code List<Dataset>}, or a lambda {@code () -> iteratorThatRereadsYourFiles()}), so that
 * {@link LinearRegression#fit(RowSource, FitOptions)} fits data that never sits in memory whole with the same
 * guarantees as {@code fit(Dataset)}: standardization and target statistics from its own {@link #moments} passes,
 * the automatic learning rate and {@code cg} from its own y-free pass ({@code withTargets = false}: no zero y to
 * supply), standard errors, κ and the {@code normal} solver from its own {@link #crossProductsAdd} pass. Every
 * solver runs (gd, momentum, nesterov, cg, normal; full batch).
 *
 * <p>Each pass calls {@link Iterable#iterator()} once and visits the chunks in its order; every pass must see the
 * same rows in the same order (checked: the row count of every pass must equal the first one's, else an
 * {@link IllegalStateException}). Sums run chunk by chunk in that order, so fits are reproducible bit for bit.
 * Chunks are checked for NaN/±Inf (naming chunk, row and column) in the constructor's pass and in every
 * {@link #moments} pass. A fit reads the chunks about 2–3 times for the statistics, once per gradient (and up to
 * 30 more times for the automatic rate), and once for the diagnostics; prefer {@code cg} or {@code normal}
 * (a few passes) when a pass is expensive. Not thread-safe (one fit at a time); the chunks are not modified.
 *
 * <p><b>Sample weights</b>: {@link #of(Iterable, Iterable)} pairs every chunk with an array of its rows' weights
 * (re-iterated in step with the chunks on every pass); {@link LinearRegression#fit(RowSource, FitOptions)} then fits
 * the weighted problem of {@link LinearRegression#fit(Dataset, double[], FitOptions)} (the weighted fused kernel per
 * chunk; the weighted cross-products pass {@link #weightedCrossProductsAdd} gives {@code normal}, the standard errors
 * and κ of the heap weighted fit).
 */
public final class ChunkedRowSource implements RowSource {

    private final Iterable<? extends Dataset> chunks;
    private final Iterable<double[]> weights;
    private final int n;
    private final long m;
    private double[] zeros = new double[0];
    private double[] rowBlock = new double[0];
    private double[] yBlock = new double[0];
    private double[] wBlock = new double[0];

    private double[] weightedSums = new double[0];

    private ChunkedRowSource(Iterable<? extends Dataset> chunks, Iterable<double[]> weights) {
        this.chunks = chunks;
        this.weights = weights;
        int cols = -1;
        long rows = 0;
        int index = 0;
        Iterator<double[]> ws = weights == null ? null : weights.iterator();
        for (Dataset c : chunks) {
            Objects.requireNonNull(c, "chunk " + index + " is null");
            if (cols >= 0 && c.cols() != cols) {
                throw new IllegalArgumentException("chunk " + index + " has " + c.cols() + " feature columns, chunk 0 has "
                        + cols);
            }
            cols = c.cols();
            check(c, index);
            if (ws != null) checkWeights(nextWeights(ws, index), c, index, rows);
            rows += c.rows();
            index++;
        }
        if (cols < 0) throw new IllegalArgumentException("no chunks: nothing to fit");
        if (ws != null && ws.hasNext()) {
            throw new IllegalArgumentException("more weight arrays than the " + index + " chunks");
        }
        this.n = cols;
        this.m = rows;
    }

    /**
     * The source over these chunks; one pass now counts the rows and checks shapes and values.
     *
     * @param chunks re-iterable: every {@code iterator()} call starts a new pass over the same rows
     * @throws IllegalArgumentException for no chunks, chunks with different column counts, or NaN/±Inf
     */
    public static ChunkedRowSource of(Iterable<? extends Dataset> chunks) {
        return new ChunkedRowSource(Objects.requireNonNull(chunks, "chunks is null"), null);
    }

    /**
     * The source over these chunks with <b>sample weights</b>: {@code weights} yields one array per chunk, in the same
     * order, holding that chunk's rows' weights (finite, ≥ 0; 0 excludes the row); both are re-iterated in step on
     * every pass. One pass now counts the rows and checks shapes, values and weights.
     *
     * @throws IllegalArgumentException as {@link #of(Iterable)}, for a weight array whose length is not its chunk's row
     *                                  count, a missing or extra array, or a negative or non-finite weight (naming
     *                                  chunk, row and the row's index over all chunks)
     */
    public static ChunkedRowSource of(Iterable<? extends Dataset> chunks, Iterable<double[]> weights) {
        return new ChunkedRowSource(Objects.requireNonNull(chunks, "chunks is null"),
                Objects.requireNonNull(weights, "weights is null"));
    }

    @Override
    public boolean hasWeights() {
        return weights != null;
    }

    @Override
    public void weightedMoments(double[] center, double[] out) {
        requireWeights();
        long seen = 0;
        int index = 0;
        Iterator<double[]> ws = weights.iterator();
        double total = 0;
        for (Dataset c : pass()) {
            check(c, index);
            double[] w = nextWeights(ws, index);
            checkWeights(w, c, index, seen);
            index++;
            Matrix x = c.x();
            int rows = c.rows();
            for (int j = 0; j < n; j++) {
                double cj = center == null ? 0 : center[j];
                double s = 0;
                for (int i = 0; i < rows; i++) {
                    double d = x.get(i, j) - cj;
                    s += center == null ? w[i] * d : w[i] * d * d;
                }
                out[j] += s;
            }
            double cy = center == null ? 0 : center[n];
            double s = 0;
            for (int i = 0; i < rows; i++) {
                double d = c.y(i) - cy;
                s += center == null ? w[i] * d : w[i] * d * d;
                total += w[i];
            }
            out[n] += s;
            seen += rows;
        }
        out[n + 1] += total;
        requireSameRows(seen);
    }

    @Override
    public void weightedAccumulate(double[] p, boolean withTargets, GradientBuffer into) {
        requireWeights();
        long seen = 0;
        int index = 0;
        Iterator<double[]> ws = weights.iterator();
        if (weightedSums.length != n + 1) weightedSums = new double[n + 1];
        for (Dataset c : pass()) {
            double[] w = nextWeights(ws, index);
            if (w.length != c.rows()) checkWeights(w, c, index, seen); // throws
            index++;
            dev.vecgd.kernel.StridedVector y = c.y();
            if (!withTargets) {
                if (zeros.length < c.rows()) zeros = new double[c.rows()];
                y = dev.vecgd.kernel.StridedVector.of(zeros);
            }
            java.util.Arrays.fill(weightedSums, 0.0);
            double ss = dev.vecgd.kernel.Kernels.weightedLossGradientAdd(c.x(), p, p[n], y, w, 0, null, 0,
                    weightedSums, 0, c.rows());
            into.add(weightedSums, c.rows(), ss);
            seen += c.rows();
        }
        requireSameRows(seen);
    }

    private void requireWeights() {
        if (weights == null) {
            throw new UnsupportedOperationException("this ChunkedRowSource has no sample weights (made by of(chunks))");
        }
    }

    private static double[] nextWeights(Iterator<double[]> ws, int index) {
        if (!ws.hasNext()) throw new IllegalArgumentException("no weight array for chunk " + index);
        return Objects.requireNonNull(ws.next(), "the weight array of chunk " + index + " is null");
    }

    private static void checkWeights(double[] w, Dataset c, int index, long before) {
        if (w.length != c.rows()) {
            throw new IllegalArgumentException("chunk " + index + " has " + c.rows() + " rows but " + w.length
                    + " sample weights");
        }
        for (int i = 0; i < w.length; i++) {
            if (!(w[i] >= 0) || !Double.isFinite(w[i])) {
                throw new IllegalArgumentException("chunk " + index + ": the sample weight of row " + i + " (row "
                        + (before + i) + " overall) is " + w[i] + ": weights must be finite and >= 0 (0 excludes the"
                        + " row)");
            }
        }
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
        long seen = 0;
        int index = 0;
        for (Dataset c : pass()) {
            check(c, index++);
            Matrix x = c.x();
            int rows = c.rows();
            for (int j = 0; j < n; j++) {
                double cj = center == null ? 0 : center[j];
                double s = 0;
                for (int i = 0; i < rows; i++) {
                    double d = x.get(i, j) - cj;
                    s += center == null ? d : d * d;
                }
                out[j] += s;
            }
            double cy = center == null ? 0 : center[n];
            double s = 0;
            for (int i = 0; i < rows; i++) {
                double d = c.y(i) - cy;
                s += center == null ? d : d * d;
            }
            out[n] += s;
            seen += rows;
        }
        requireSameRows(seen);
    }

    @Override
    public void accumulate(double[] p, boolean withTargets, GradientBuffer into) {
        long seen = 0;
        for (Dataset c : pass()) {
            Dataset d = c;
            if (!withTargets) {
                // the y-free product: the same X with y ≡ 0, kept here (not supplied by the caller)
                // (one zeroed array of the largest chunk's length, allocated once)
                if (zeros.length < c.rows()) zeros = new double[c.rows()];
                d = new Dataset(c.x(), dev.vecgd.kernel.StridedVector.of(zeros));
            }
            into.accumulate(d, p, 0, d.rows());
            seen += c.rows();
        }
        requireSameRows(seen);
    }

    @Override
    public boolean hasCrossProducts() {
        return true;
    }

    @Override
    public void crossProductsAdd(double[] mean, double[] scale, boolean intercept, double shift, double[] gram,
                                 double[] rhs) {
        long seen = 0;
        for (Dataset c : pass()) {
            addCrossProducts(c, mean, scale, intercept, shift, gram, rhs);
            seen += c.rows();
        }
        requireSameRows(seen);
    }

    /** {@link CrossProducts#addRowMajor} over one chunk of any layout (a column-major chunk is copied by blocks). */
    void addCrossProducts(Dataset c, double[] mean, double[] scale, boolean intercept, double shift, double[] gram,
                          double[] rhs) {
        Matrix x = c.x();
        int rows = c.rows();
        int block = 32 * CrossProducts.BLOCK;
        if (yBlock.length < Math.min(block, rows)) yBlock = new double[Math.min(block, rows)];
        boolean rowMajor = x.layout() == Layout.ROW_MAJOR;
        if (!rowMajor && rowBlock.length < Math.min(block, rows) * n) rowBlock = new double[Math.min(block, rows) * n];
        for (int from = 0; from < rows; from += block) {
            int count = Math.min(block, rows - from);
            for (int r = 0; r < count; r++) yBlock[r] = c.y(from + r);
            if (rowMajor) {
                CrossProducts.addRowMajor(x.data(), x.offset() + from * x.ld(), x.ld(), count, n, yBlock, mean, scale,
                        intercept, shift, gram, rhs);
            } else {
                for (int r = 0; r < count; r++) {
                    for (int j = 0; j < n; j++) rowBlock[r * n + j] = x.get(from + r, j);
                }
                CrossProducts.addRowMajor(rowBlock, 0, n, count, n, yBlock, mean, scale, intercept, shift, gram, rhs);
            }
        }
    }

    /** True with weights ({@link #of(Iterable, Iterable)}): the weighted cross-products pass is implemented. */
    @Override
    public boolean hasWeightedCrossProducts() {
        return weights != null;
    }

    @Override
    public void weightedCrossProductsAdd(double[] mean, double[] scale, boolean intercept, double shift, double[] gram,
                                         double[] rhs) {
        requireWeights();
        long seen = 0;
        int index = 0;
        Iterator<double[]> ws = weights.iterator();
        for (Dataset c : pass()) {
            double[] w = nextWeights(ws, index);
            checkWeights(w, c, index, seen);
            index++;
            addWeightedCrossProducts(c, w, mean, scale, intercept, shift, gram, rhs);
            seen += c.rows();
        }
        requireSameRows(seen);
    }

    /** {@link CrossProducts#addRowMajorWeighted} over one chunk of any layout (column-major copied by blocks). */
    private void addWeightedCrossProducts(Dataset c, double[] w, double[] mean, double[] scale, boolean intercept,
                                          double shift, double[] gram, double[] rhs) {
        Matrix x = c.x();
        int rows = c.rows();
        int block = 32 * CrossProducts.BLOCK;
        if (yBlock.length < Math.min(block, rows)) yBlock = new double[Math.min(block, rows)];
        if (wBlock.length < Math.min(block, rows)) wBlock = new double[Math.min(block, rows)];
        boolean rowMajor = x.layout() == Layout.ROW_MAJOR;
        if (!rowMajor && rowBlock.length < Math.min(block, rows) * n) rowBlock = new double[Math.min(block, rows) * n];
        for (int from = 0; from < rows; from += block) {
            int count = Math.min(block, rows - from);
            for (int r = 0; r < count; r++) yBlock[r] = c.y(from + r);
            System.arraycopy(w, from, wBlock, 0, count);
            if (rowMajor) {
                CrossProducts.addRowMajorWeighted(x.data(), x.offset() + from * x.ld(), x.ld(), count, n, yBlock, wBlock,
                        mean, scale, intercept, shift, gram, rhs);
            } else {
                for (int r = 0; r < count; r++) {
                    for (int j = 0; j < n; j++) rowBlock[r * n + j] = x.get(from + r, j);
                }
                CrossProducts.addRowMajorWeighted(rowBlock, 0, n, count, n, yBlock, wBlock, mean, scale, intercept, shift,
                        gram, rhs);
            }
        }
    }

    private Iterable<? extends Dataset> pass() {
        return () -> {
            Iterator<? extends Dataset> it = chunks.iterator();
            return new Iterator<Dataset>() {
                int index;

                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Dataset next() {
                    Dataset c = Objects.requireNonNull(it.next(), "chunk " + index + " is null");
                    if (c.cols() != n) {
                        throw new IllegalStateException("chunk " + index + " has " + c.cols() + " feature columns on this"
                                + " pass, the source has " + n + ": the chunks changed between passes");
                    }
                    index++;
                    return c;
                }
            };
        };
    }

    private void requireSameRows(long seen) {
        if (seen != m) {
            throw new IllegalStateException("a pass over the chunks saw " + seen + " rows, the first pass " + m
                    + ": every pass must visit the same rows (the chunks changed between passes)");
        }
    }

    private static void check(Dataset c, int index) {
        try {
            DataChecks.requireFinite(c);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("chunk " + index + ": " + e.getMessage(), e);
        }
    }
}
