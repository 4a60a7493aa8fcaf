package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.SegmentKernels;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.kernel.SegmentVector;
import dev.vecgd.kernel.StridedVector;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The pieces of a fit with sample weights ({@link LinearRegression#fit(Dataset, double[], FitOptions)}):
 * <pre>
 *   J(w) = 1/(2W) Σ_i w_i (x_i·β + b − y_i)²  (+ penalties),   W = Σ w_i
 * </pre>
 * computed as {@code 1/(2m) Σ_i v_i r_i²} with the normalized weights {@code v_i = w_i·m/W} (Σ v = m), so every
 * solver, the stopping rules and the statistics keep their row count m (all-ones weights give v = 1 exactly).
 * Standardization and target statistics are the weighted ones: {@code μ_j = Σ v_i x_ij/m},
 * {@code σ_j² = Σ v_i (x_ij − μ_j)²/m} (two passes). The gradient is the weighted fused kernel
 * ({@link Kernels#weightedLossGradientAdd}, or the segment kernel off-heap), one pass per evaluation on the fit's
 * threads ({@link WeightedGradientSource}: fixed chunks and a fixed reduction, the same bits for every thread count,
 * and for heap and off-heap copies of the same rows); the weighted Gram matrix (κ, standard errors, {@code normal})
 * one pass of the SIMD Gram kernel over the rows scaled by √v ({@link #gram}). Heap and off-heap data share the statistics code ({@link Rows}), so their fits agree bit for bit.
 * Statistics in the frequency-weights convention ({@link #finish}).
 */
final class WeightedFit {

    /** Read access to the rows of a heap or off-heap dataset (the statistics and the Gram pass). */
    interface Rows {
        int rows();

        int cols();

        double x(int i, int j);

        double y(int i);

        static Rows of(Dataset d) {
            return new Rows() {
                public int rows() { return d.rows(); }
                public int cols() { return d.cols(); }
                public double x(int i, int j) { return d.x(i, j); }
                public double y(int i) { return d.y(i); }
            };
        }

        static Rows of(SegmentDataset d) {
            int m = Math.toIntExact(d.rows());
            return new Rows() {
                public int rows() { return m; }
                public int cols() { return d.cols(); }
                public double x(int i, int j) { return d.x(i, j); }
                public double y(int i) { return d.y(i); }
            };
        }
    }

    final double[] v;
    final double totalWeight;
    final long positive;
    final Standardization scaling;
    final TargetStats targets;

    private WeightedFit(double[] v, double totalWeight, long positive, Standardization scaling, TargetStats targets) {
        this.v = v;
        this.totalWeight = totalWeight;
        this.positive = positive;
        this.scaling = scaling;
        this.targets = targets;
    }

    /**
     * Checks the weights and computes the weighted statistics of heap data.
     *
     * @throws IllegalArgumentException for a weight that is negative or not finite (naming its row), the wrong
     *                                  number of weights, or weights that are all 0
     */
    static WeightedFit of(Dataset data, double[] weights, boolean standardize, boolean intercept) {
        if (weights.length != data.rows()) {
            throw new IllegalArgumentException(weights.length + " sample weights for " + data.rows() + " rows");
        }
        return of(Rows.of(data), i -> weights[i], standardize, intercept,
                () -> Standardization.compute(data, standardize, intercept), () -> TargetStats.of(data));
    }

    /** The same for off-heap data (the same code, so the same bits as for a heap copy). */
    static WeightedFit of(SegmentDataset data, java.util.function.IntToDoubleFunction weights, boolean standardize,
                          boolean intercept) {
        return of(Rows.of(data), weights, standardize, intercept,
                () -> Standardization.compute(data, standardize, intercept), () -> TargetStats.of(data));
    }

    private static WeightedFit of(Rows data, java.util.function.IntToDoubleFunction weights, boolean standardize,
                                  boolean intercept, java.util.function.Supplier<Standardization> plainScaling,
                                  java.util.function.Supplier<TargetStats> plainTargets) {
        int m = data.rows();
        int n = data.cols();
        double total = 0;
        long positive = 0;
        double[] raw = new double[m];
        for (int i = 0; i < m; i++) {
            double w = weights.applyAsDouble(i);
            raw[i] = w;
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("the sample weight of row " + i + " is " + w
                        + ": weights must be finite and >= 0 (0 excludes the row)");
            }
            total += w;
            if (w > 0) positive++;
        }
        if (!(total > 0)) throw new IllegalArgumentException("every sample weight is 0: no row to fit");
        if (!Double.isFinite(total)) throw new IllegalArgumentException("overflow: the sample weights sum to " + total);
        double[] v = new double[m];
        double f = m / total;
        boolean equal = true;
        for (int i = 0; i < m; i++) equal &= raw[i] == raw[0];
        for (int i = 0; i < m; i++) v[i] = equal ? 1 : raw[i] * f;
        if (equal) { // equal weights: exactly the unweighted problem, with its statistics
            return new WeightedFit(v, total, positive, plainScaling.get(), plainTargets.get());
        }
        double[] mean = new double[n + 1];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) mean[j] += v[i] * data.x(i, j);
            mean[n] += v[i] * data.y(i);
        }
        for (int j = 0; j <= n; j++) mean[j] /= m;
        double[] sd = new double[n + 1];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double d = data.x(i, j) - mean[j];
                sd[j] += v[i] * d * d;
            }
            double d = data.y(i) - mean[n];
            sd[n] += v[i] * d * d;
        }
        for (int j = 0; j <= n; j++) sd[j] = Math.sqrt(sd[j] / m);
        Standardization s = Standardization.fromStats(java.util.Arrays.copyOf(mean, n), java.util.Arrays.copyOf(sd, n),
                standardize, intercept);
        return new WeightedFit(v, total, positive, s, TargetStats.of(m, mean[n], sd[n]));
    }

    /**
     * The weighted gradient pass over heap data on the options' threads (with y, or y ≡ 0 for the Hessian products);
     * close it.
     */
    WeightedGradientSource source(Dataset data, boolean withTargets, FitOptions options) {
        StridedVector y = withTargets ? data.y() : StridedVector.of(new double[data.rows()]);
        return new WeightedGradientSource(data, y, v, options.chunkRows(), options.threads());
    }

    /**
     * The same over off-heap data: the normalized weights (and y ≡ 0 without targets) in segments of {@code arena}
     * (8·m bytes each), which must stay open while the source is used.
     */
    WeightedGradientSource source(SegmentDataset data, boolean withTargets, FitOptions options, Arena arena,
                                  SegmentVector weights) {
        int m = v.length;
        SegmentVector y = withTargets ? data.y() : SegmentVector.of(arena.allocate(8L * m, 64));
        return new WeightedGradientSource(data, y, weights, options.chunkRows(), options.threads());
    }

    /** The normalized weights v copied into a segment of {@code arena} (for the off-heap kernel). */
    SegmentVector weightSegment(Arena arena) {
        MemorySegment s = arena.allocate(8L * v.length, 64);
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_DOUBLE, 0, v.length);
        return SegmentVector.of(s);
    }
    /**
     * The weighted Gram matrix of the standardized design, {@code G = Σ v_i ã_i ã_iᵀ / m} and
     * {@code c = Σ v_i ã_i (y_i − shift) / m}: the Hessian of the weighted J, for κ and the standard errors (and the
     * {@code normal} solver). One pass: the rows scaled by √v_i packed a block at a time ({@link Kernels#copyWeightedRows}
     * for row-major data, {@link SegmentKernels#copyWeightedRows} off-heap, the same formula element by element for
     * column-major data), then the register-blocked {@link Kernels#gramAdd} (about m·(k+1)²/2 fused multiply-adds,
     * SIMD). Every layout and heap or off-heap give the same bits.
     */
    GramMatrix gram(Dataset data, boolean intercept, double yMean) {
        Matrix x = data.x();
        if (x.layout() == Layout.ROW_MAJOR) {
            return packedGram(data.rows(), data.cols(), intercept, yMean, (from, cnt, mean, scale, sw, buf, ld) ->
                    Kernels.copyWeightedRows(x.data(), x.offset() + from * x.ld(), x.ld(), cnt, x.cols(), mean, scale,
                            sw, 0, buf, 0, ld), data::y);
        }
        Rows rows = Rows.of(data);
        return packedGram(data.rows(), data.cols(), intercept, yMean, elementwise(rows), rows::y);
    }

    /** {@link #gram(Dataset, boolean, double)} of off-heap data (the same bits). */
    GramMatrix gram(SegmentDataset data, boolean intercept, double yMean) {
        SegmentMatrix x = data.x();
        int m = Math.toIntExact(data.rows());
        if (x.layout() == Layout.ROW_MAJOR) {
            return packedGram(m, data.cols(), intercept, yMean, (from, cnt, mean, scale, sw, buf, ld) ->
                    SegmentKernels.copyWeightedRows(x, from, cnt, mean, scale, sw, 0, buf, 0, ld), i -> data.y(i));
        }
        Rows rows = Rows.of(data);
        return packedGram(m, data.cols(), intercept, yMean, elementwise(rows), rows::y);
    }

    /** Packs rows [from, from + cnt) as {@code ((x_ij − mean_j)·scale_j)·sw_r} into the block (row stride ld). */
    private interface BlockPack {
        void pack(int from, int cnt, double[] mean, double[] scale, double[] sw, double[] buf, int ld);
    }

    /** {@link BlockPack} element by element: the kernels' formula, for column-major data. */
    private static BlockPack elementwise(Rows rows) {
        int n = rows.cols();
        return (from, cnt, mean, scale, sw, buf, ld) -> {
            for (int r = 0; r < cnt; r++) {
                for (int j = 0; j < n; j++) buf[r * ld + j] = ((rows.x(from + r, j) - mean[j]) * scale[j]) * sw[r];
            }
        };
    }

    private GramMatrix packedGram(int m, int n, boolean intercept, double yMean, BlockPack pack,
                                  java.util.function.IntToDoubleFunction y) {
        int k = intercept ? n + 1 : n;
        double shift = intercept ? yMean : 0;
        int ld = CrossProducts.padded(k + 1);
        int block = CrossProducts.blockRows(ld);
        double[] aug = new double[ld * ld];
        double[] buf = new double[block * ld]; // columns k + 1 … ld − 1 stay 0
        double[] sw = new double[block];
        double[] yb = new double[block];
        double[] mean = scaling.means();
        double[] scale = scaling.scales();
        for (int from = 0; from < m; from += block) {
            int cnt = Math.min(block, m - from);
            for (int r = 0; r < cnt; r++) {
                sw[r] = Math.sqrt(v[from + r]);
                yb[r] = y.applyAsDouble(from + r);
            }
            pack.pack(from, cnt, mean, scale, sw, buf, ld);
            CrossProducts.finishWeightedBlock(buf, ld, cnt, n, intercept, sw, yb, 0, shift);
            Kernels.gramAdd(buf, 0, ld, ld, cnt, aug, ld);
        }
        return GramMatrix.fromAugmented(n, intercept, shift, scaling, m, aug);
    }

    /**
     * The largest weighted per-row curvature {@code max_i v_i·(‖x̃_i‖² + [intercept])} (one pass over X): the L_max of the
     * automatic mini-batch rate of a weighted fit (row i's term of J is v_i r_i²/2).
     */
    static double maxRowCurvature(Dataset data, Standardization s, double[] v, boolean intercept) {
        int n = data.cols();
        double max = 0;
        for (int i = 0; i < data.rows(); i++) {
            if (v[i] == 0) continue;
            double s2 = intercept ? 1 : 0;
            for (int j = 0; j < n; j++) {
                double d = (data.x(i, j) - s.mean(j)) * s.scale(j);
                s2 += d * d;
            }
            max = Math.max(max, v[i] * s2);
        }
        return max;
    }

    /**
     * The result in the <b>frequency-weights</b> convention (the rows counted as repeated w_i times, so integer
     * weights give the statistics of the repeated rows): {@code σ̂ = √(Σ w_i r_i² / (W − p))}, p the fitted
     * parameters, and {@code Cov(β) = σ̂² (XᵀWX)⁻¹}. {@link Diagnostics} computed them with m − p degrees of
     * freedom from the normalized weights; they are rescaled here by √((m − p)/(W − p)).
     */
    FitResult finish(FitResult r, int parameters, long m) {
        return finish(r, parameters, m, totalWeight);
    }

    /** {@link #finish(FitResult, int, long)} for total weight W (a RowSource's weighted fit). */
    static FitResult finish(FitResult r, int parameters, long m, double totalWeight) {
        double ssrWeighted = r.rmse() * r.rmse() * totalWeight; // rmse² = Σ v r²/m = Σ w r²/W
        double dof = totalWeight - parameters;
        double sigma = dof > 0 ? Math.sqrt(ssrWeighted / dof) : Double.NaN;
        double factor = dof > 0 && m > parameters ? Math.sqrt((m - parameters) / dof) : Double.NaN;
        double[] se = r.standardErrors();
        for (int j = 0; j < se.length; j++) se[j] *= factor;
        double seB = r.interceptStandardError() * factor;
        return new FitResult(r.coefficients(), r.intercept(), r.iterations(), r.converged(), r.stopReason(),
                r.message(), r.loss(), r.gradientNorm(), r.relativeGradient(), r.learningRate(), r.passes(),
                r.historyIterations(), r.historyLoss(), r.historyGradient(), r.wallTimeNanos(), r.r2(), r.rmse(),
                r.implementation(), r.optimizer(), sigma, se, seB, r.conditionNumber(), r.warning(),
                r.constantColumns(), r.settings(), r.rows());
    }
}
