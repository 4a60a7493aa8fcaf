package dev.vecgd.solver;

import dev.vecgd.data.Dataset;

/**
 * The function the optimizer minimizes, in standardized coordinates w (n coefficients, intercept last):
 * <pre>
 *   J(w) = 1/(2m) Σ_i (x̃_i·w + w_n − y_i)²  +  (λ/2) Σ_{j&lt;n} w_j²
 *   ∇J(w)_j = (1/m) Σ_i r_i x̃_ij + λ w_j   (j &lt; n),      ∇J(w)_n = (1/m) Σ_i r_i  (0 without intercept)
 * </pre>
 * evaluated through the kernels on the original X (see {@link Standardization}). Each evaluation
 * zeroes its {@link GradientBuffer}, accumulates the rows, then <b>overwrites</b> the output gradient.
 * The intercept is never penalized. Owns its scratch arrays: not thread-safe, no allocation per call.
 */
public final class LeastSquaresObjective {

    private final Dataset data;
    private final GradientSource source;
    private final Standardization scaling;
    private final boolean intercept;
    private final double l2;
    private final int n;
    private final long m;
    private final GradientBuffer buffer;
    private final double[] p;
    /** The Gram pass over these rows, or null (a RowSource without cross products, or cg's y ≡ 0 objective). */
    private final GramPass gram;
    private long passes;
    /** The normalized sample weights of a weighted mini-batch fit, or null. */
    private final double[] rowWeights;
    /** Scratch sums of a weighted mini-batch. */
    private final double[] batchSums;
    /** A Gram matrix made by the pass that also prepared the fit ({@link OnePassNormal}): returned without a read. */
    private GramMatrix prepared;
    /** The last Gram pass's result and its ȳ: asked again (e.g. by the diagnostics), it is not read again. */
    private GramMatrix memo;
    private double memoMean;

    /** One pass computing the {@link GramMatrix} of the standardized problem, given ȳ. */
    interface GramPass {
        GramMatrix accumulate(double yMean);
    }

    public LeastSquaresObjective(Dataset data, GradientSource source, Standardization scaling,
                                 boolean intercept, double l2) {
        this(data, source, scaling, intercept, l2, null);
    }

    /** Heap data with a given Gram pass (null: {@link GramMatrix#accumulate} over the data). */
    LeastSquaresObjective(Dataset data, GradientSource source, Standardization scaling, boolean intercept, double l2,
                          GramPass gramPass) {
        this(data, source, scaling, intercept, l2, gramPass, null);
    }

    /**
     * Heap data with <b>row weights</b> for the mini-batch evaluations ({@link #evaluateRows}): the normalized sample
     * weights v (mean 1) of a weighted fit, or null. The full-batch {@link #evaluate} is the source's (which must be
     * the weighted pass with the same v).
     */
    LeastSquaresObjective(Dataset data, GradientSource source, Standardization scaling, boolean intercept, double l2,
                          GramPass gramPass, double[] rowWeights) {
        this.rowWeights = rowWeights;
        this.batchSums = rowWeights == null ? null : new double[data.cols() + 1];
        this.data = data;
        this.source = source;
        this.scaling = scaling;
        this.intercept = intercept;
        this.l2 = l2;
        this.n = data.cols();
        this.m = data.rows();
        this.buffer = new GradientBuffer(n);
        this.p = new double[n + 1];
        this.gram = gramPass != null ? gramPass : yMean -> GramMatrix.accumulate(data, scaling, intercept, yMean);
    }

    /**
     * Without heap data (off-heap and {@link RowSource} fits): full batch only, {@link #evaluateRows} throws.
     */
    LeastSquaresObjective(int n, long m, GradientSource source, Standardization scaling, boolean intercept, double l2,
                          GramPass gram) {
        this.data = null;
        this.rowWeights = null;
        this.batchSums = null;
        this.source = source;
        this.scaling = scaling;
        this.intercept = intercept;
        this.l2 = l2;
        this.n = n;
        this.m = m;
        this.buffer = new GradientBuffer(n);
        this.p = new double[n + 1];
        this.gram = gram;
    }

    /** Number of rows m. */
    public long rows() {
        return m;
    }

    /**
     * Full batch: J(w) and ∇J(w) over all rows.
     *
     * @param w    parameters, not modified
     * @param grad <b>overwritten</b> with ∇J(w)
     * @return J(w)
     */
    public double evaluate(double[] w, double[] grad) {
        scaling.toOriginal(w, p);
        buffer.zeroGrad();
        source.accumulate(p, buffer);
        passes++;
        return finish(w, grad);
    }

    /**
     * Mini-batch: J and ∇J over the rows {@code order[from..to)} only (mean over those rows). With row weights v
     * (a weighted fit: normalized, mean 1) each row's terms are multiplied by v_i and the sums still divided by the
     * batch's row count B: {@code ∇J_B = (1/B) Σ_{i∈B} v_i r_i x̃_i}, an <b>unbiased</b> estimate of the full weighted
     * gradient {@code (1/m) Σ_i v_i r_i x̃_i} for uniformly drawn rows (dividing by the batch's own Σv instead would be
     * a biased ratio estimate).
     *
     * @param w     parameters, not modified
     * @param order row indices, not modified
     * @param grad  <b>overwritten</b>
     * @return the mini-batch loss
     */
    public double evaluateRows(double[] w, int[] order, int from, int to, double[] grad) {
        if (data == null) throw new IllegalStateException("mini-batches need heap data");
        scaling.toOriginal(w, p);
        buffer.zeroGrad();
        if (rowWeights != null) {
            java.util.Arrays.fill(batchSums, 0.0);
            double ss = 0;
            for (int k = from; k < to; k++) {
                int i = order[k];
                ss += dev.vecgd.kernel.Kernels.weightedLossGradientAdd(data.x(), p, p[n], data.y(), rowWeights, 0, null,
                        0, batchSums, i, i + 1);
            }
            buffer.add(batchSums, to - from, ss);
            return finish(w, grad);
        }
        for (int k = from; k < to; k++) {
            int i = order[k];
            buffer.accumulate(data, p, i, i + 1);
        }
        return finish(w, grad);
    }

    /** The row weights of a weighted mini-batch fit (not a copy), or null. */
    double[] rowWeights() {
        return rowWeights;
    }

    private double finish(double[] w, double[] grad) {
        scaling.gradient(buffer, grad);
        double penalty = 0;
        if (l2 != 0) {
            for (int j = 0; j < n; j++) {
                grad[j] += l2 * w[j];
                penalty += w[j] * w[j];
            }
        }
        if (!intercept) grad[n] = 0;
        return buffer.loss() + 0.5 * l2 * penalty;
    }

    /** Σr² of the last evaluation (data part only, no penalty). */
    public double lastSumSquares() {
        return buffer.sumSquares();
    }

    /**
     * Full reads of X so far: the preparation reads counted by {@link #addPreparationPasses} (finiteness check,
     * column statistics), one per {@link #evaluate} and one per Gram pass ({@link #gram}).
     */
    public long passes() {
        return passes;
    }

    /** Counts reads of X made before this objective existed (the finiteness check and the column statistics). */
    void addPreparationPasses(long reads) {
        passes += reads;
    }

    /** Whether {@link #gram} returns a Gram matrix made by the preparing pass (no read of X). */
    boolean hasPreparedGram() {
        return prepared != null;
    }

    /** The Gram matrix the preparing pass already made: {@link #gram} returns it and reads nothing. */
    void preparedGram(GramMatrix g) {
        this.prepared = g;
    }

    /** Number of parameters n + 1. */
    public int size() {
        return n + 1;
    }

    public Standardization scaling() {
        return scaling;
    }

    public boolean intercept() {
        return intercept;
    }

    public double l2() {
        return l2;
    }

    /** Whether {@link #gram} is available (heap data, a RowSource with cross products, or a prepared Gram matrix). */
    boolean hasGram() {
        return gram != null || prepared != null;
    }

    /**
     * The Gram matrix of the standardized problem (see {@link GramMatrix}): the prepared one if there is one, the
     * last one if ȳ is the same, else one pass over X (counted in {@link #passes}).
     */
    GramMatrix gram(double yMean) {
        if (prepared != null) return prepared;
        if (memo != null && Double.compare(memoMean, yMean) == 0) return memo;
        if (gram == null) throw new IllegalStateException("no Gram pass over this data (off-heap data, or a RowSource"
                + " without cross products)");
        memo = gram.accumulate(yMean);
        memoMean = yMean;
        passes++;
        return memo;
    }

    /** The heap dataset, or null for an off-heap fit. */
    public Dataset data() {
        return data;
    }

    /** The kernels of the source's passes over X ({@link GradientSource#implementation()}). */
    String implementation() {
        return source.implementation();
    }
}
