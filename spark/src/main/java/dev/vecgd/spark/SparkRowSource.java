package dev.vecgd.spark;

import dev.vecgd.kernel.ElementType;
import dev.vecgd.kernel.FloatKernels;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.solver.CrossProducts;
import dev.vecgd.solver.GradientBuffer;
import dev.vecgd.solver.RowSource;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.apache.spark.sql.functions.col;

/**
 * A Spark RDD or DataFrame as a {@link RowSource}: the rows are packed <b>once</b> per partition into
 * contiguous row-major {@code double[]} blocks (cached with the chosen storage level); every pass then
 * broadcasts the parameters, runs the fused SIMD kernel ({@link Kernels#lossGradientAdd}) over each
 * block of each partition, and returns one partial (gradient sums, Σr, Σr², row count) per partition,
 * tagged with its partition index. The driver adds the partials <b>in partition-index order</b> — not
 * in task-completion order as {@code treeAggregate} would — so repeated fits of the same data give
 * bit-identical coefficients whatever the task timing.
 *
 * <p>It also has the cross-products pass ({@link #crossProductsAdd}), so the {@code normal} solver runs on it
 * and fits report standard errors and a condition-number estimate, like heap fits.
 *
 * <p>Rows are checked while packing: a null, NaN or ±Inf feature or label fails the fit with an
 * {@link IllegalArgumentException} naming the column, the partition and the row within it. An empty
 * input fails at construction. Executors without {@code jdk.incubator.vector} use the scalar kernels
 * (the job does not fail); {@link #executorKernels()} tells which kernels the tasks ran.
 *
 * <p><b>Sample weights</b> ({@code weightCol}, as in MLlib): {@link #of(Dataset, String, List, String)} reads a
 * numeric weight column with the rows (checked while packing: a null, negative or non-finite weight names its
 * partition and row); the source then answers {@link #hasWeights()} true and
 * {@link dev.vecgd.solver.LinearRegression#fit(RowSource, dev.vecgd.solver.FitOptions)} fits the weighted problem from its weighted
 * passes (the weighted fused kernel per block, partials added in partition order, so weighted fits are reproducible
 * bit for bit too), and its weighted cross-products pass ({@link #weightedCrossProductsAdd}) gives the {@code normal}
 * solver, standard errors and κ as for a heap weighted fit.
 *
 * <p><b>float32 blocks</b> (an option of every factory, default {@link ElementType#FLOAT64}): with
 * {@link ElementType#FLOAT32} X is packed as {@code float[]}, each value rounded once to the nearest float —
 * <b>half the executor storage</b> of X (and half the bytes every pass reads). The passes then run the float32
 * kernels ({@link FloatKernels#implementation()}) on each cached {@code float[]} in place, which widen every float to
 * double: y, the weights, θ and every sum stay double, so the fit equals the fit of the float32-rounded data in
 * float64 up to summation order (the heap float32 kernels sum in the order of the heap float64 kernels).
 * A finite value beyond float32's range fails the packing naming its column, partition and row.
 *
 * <p>Reproducibility assumes the input is deterministic (the same rows in the same partitions if Spark
 * has to recompute an evicted block from its lineage). Not thread-safe: one fit at a time. Close it to
 * release the cached blocks.
 */
public final class SparkRowSource implements RowSource, AutoCloseable {

    private final JavaSparkContext sc;
    private final JavaRDD<RowBlock> blocks;
    private final int partitions;
    private final int n;
    private final long m;
    private final boolean weighted;
    private final ElementType blockType;
    private final Set<String> kernels = Collections.synchronizedSet(new TreeSet<>());
    private TaskDelay delay = TaskDelay.NONE;
    private long passes;

    private SparkRowSource(JavaRDD<RowBlock> blocks, int nHint, boolean weighted, ElementType blockType) {
        this.weighted = weighted;
        this.blockType = blockType;
        this.sc = JavaSparkContext.fromSparkContext(blocks.context());
        this.blocks = blocks;
        this.partitions = blocks.getNumPartitions();
        // the first action packs and caches every partition, and tells its size and width
        List<long[]> shape;
        try {
            shape = run(() -> blocks.mapPartitionsWithIndex((idx, it) -> {
                long rows = 0;
                int cols = -1;
                while (it.hasNext()) {
                    RowBlock b = it.next();
                    rows += b.rows;
                    cols = b.cols;
                }
                return List.of(new long[]{idx, rows, cols}).iterator();
            }, true).collect());
        } catch (RuntimeException e) { // bad data: release what was cached before the failing row
            blocks.unpersist(false);
            throw e;
        }
        long rows = 0;
        int cols = nHint;
        for (long[] s : shape) {
            if (s[1] == 0) continue;
            if (cols >= 0 && s[2] != cols) {
                close();
                throw new IllegalArgumentException("partition " + s[0] + " has rows with " + s[2] + " features, other"
                        + " rows " + cols + ": every row must have the same number of features");
            }
            cols = (int) s[2];
            rows += s[1];
        }
        if (rows == 0) {
            close();
            throw new IllegalArgumentException("the input is empty (0 rows in " + partitions + " partitions): nothing to fit");
        }
        this.n = cols;
        this.m = rows;
    }

    /**
     * Rows as {@code double[]}: the n features, then the label <b>last</b> (every row n + 1 values).
     * Packs and caches the rows at {@link StorageLevel#MEMORY_AND_DISK()} (one Spark job).
     *
     * @throws IllegalArgumentException for an empty RDD, rows of different lengths, null rows or non-finite values
     */
    public static SparkRowSource of(JavaRDD<double[]> rows) {
        return of(rows, StorageLevel.MEMORY_AND_DISK());
    }

    /** {@link #of(JavaRDD)} with a chosen storage level for the packed blocks. */
    public static SparkRowSource of(JavaRDD<double[]> rows, StorageLevel storage) {
        return of(rows, storage, ElementType.FLOAT64);
    }

    /**
     * {@link #of(JavaRDD, StorageLevel)} with the blocks' element type: {@link ElementType#FLOAT32} packs X as
     * {@code float[]} (half the storage; see the class comment), {@link ElementType#FLOAT64} as {@code double[]}.
     *
     * @throws IllegalArgumentException as {@link #of(JavaRDD)}, and for a feature beyond float32's range (float32)
     */
    public static SparkRowSource of(JavaRDD<double[]> rows, StorageLevel storage, ElementType blockType) {
        if (rows == null) throw new NullPointerException("rows is null");
        java.util.Objects.requireNonNull(storage, "storage is null");
        java.util.Objects.requireNonNull(blockType, "blockType is null");
        ArrayRowReader reader = new ArrayRowReader();
        boolean float32 = blockType == ElementType.FLOAT32;
        JavaRDD<RowBlock> blocks = rows.mapPartitionsWithIndex((idx, it) -> BlockPacker.pack(idx, it, reader, float32), true);
        return new SparkRowSource(blocks.persist(storage), -1, false, blockType);
    }

    /**
     * A DataFrame: {@code features} are numeric columns (any numeric type, read as double), or <b>one</b>
     * column of {@code ml.linalg} vectors or of numeric arrays; {@code label} is a numeric column. Packs and
     * caches the rows at {@link StorageLevel#MEMORY_AND_DISK()} (one Spark job).
     *
     * @throws IllegalArgumentException for a missing or non-numeric column, no feature column, the label
     *                                  among the features, an empty DataFrame, or a null / NaN / ±Inf value
     *                                  (naming the column)
     */
    public static SparkRowSource of(Dataset<Row> data, String label, List<String> features) {
        return of(data, label, features, StorageLevel.MEMORY_AND_DISK());
    }

    /** {@link #of(Dataset, String, List)} with a chosen storage level for the packed blocks. */
    public static SparkRowSource of(Dataset<Row> data, String label, List<String> features, StorageLevel storage) {
        return of(data, label, features, null, storage);
    }

    /**
     * {@link #of(Dataset, String, List)} with <b>sample weights</b> from the numeric column {@code weightCol} (MLlib's
     * {@code weightCol}): finite and ≥ 0 (0 excludes the row), checked while packing.
     *
     * @param weightCol the weight column, or null for none (then as {@link #of(Dataset, String, List)})
     * @throws IllegalArgumentException as {@link #of(Dataset, String, List)}, for a missing or non-numeric weight
     *                                  column, the weight column among the features or equal to the label, and a
     *                                  null, negative or non-finite weight (naming its partition and row)
     */
    public static SparkRowSource of(Dataset<Row> data, String label, List<String> features, String weightCol) {
        return of(data, label, features, weightCol, StorageLevel.MEMORY_AND_DISK());
    }

    /** {@link #of(Dataset, String, List, String)} with a chosen storage level for the packed blocks. */
    public static SparkRowSource of(Dataset<Row> data, String label, List<String> features, String weightCol,
                                    StorageLevel storage) {
        return of(data, label, features, weightCol, storage, ElementType.FLOAT64);
    }

    /**
     * {@link #of(Dataset, String, List, String, StorageLevel)} with the blocks' element type:
     * {@link ElementType#FLOAT32} packs X as {@code float[]} (half the executor storage of X; y and the weights stay
     * double; see the class comment), {@link ElementType#FLOAT64} (the default of the other factories) as
     * {@code double[]}.
     *
     * @param weightCol the weight column, or null for none
     * @throws IllegalArgumentException as {@link #of(Dataset, String, List, String)}, and for a feature beyond
     *                                  float32's range (float32), naming its column, partition and row
     */
    public static SparkRowSource of(Dataset<Row> data, String label, List<String> features, String weightCol,
                                    StorageLevel storage, ElementType blockType) {
        if (data == null) throw new NullPointerException("data is null");
        java.util.Objects.requireNonNull(storage, "storage is null");
        java.util.Objects.requireNonNull(blockType, "blockType is null");
        if (label == null) throw new NullPointerException("label is null");
        if (features == null || features.isEmpty()) throw new IllegalArgumentException("no feature columns given");
        if (new HashSet<>(features).size() != features.size()) {
            throw new IllegalArgumentException("a feature column is listed twice: " + features);
        }
        if (features.contains(label)) {
            throw new IllegalArgumentException("the label column '" + label + "' is also listed as a feature");
        }
        DataType labelType = type(data, label);
        if (!(labelType instanceof NumericType)) {
            throw new IllegalArgumentException("label column '" + label + "' has type " + labelType.simpleString()
                    + "; it must be numeric");
        }
        boolean vector = false;
        List<Column> select = new ArrayList<>();
        for (String f : features) {
            DataType t = type(data, f);
            if (t instanceof NumericType) {
                select.add(col(f).cast("double"));
            } else if (features.size() == 1 && isVector(t)) {
                vector = true;
                select.add(t instanceof ArrayType ? col(f).cast("array<double>") : col(f));
            } else {
                throw new IllegalArgumentException("feature column '" + f + "' has type " + t.simpleString() + "; features"
                        + " must be numeric columns, or one column of vectors or numeric arrays");
            }
        }
        select.add(col(label).cast("double"));
        if (weightCol != null) {
            if (features.contains(weightCol) || weightCol.equals(label)) {
                throw new IllegalArgumentException("the weight column '" + weightCol + "' is also the label or a feature");
            }
            DataType wt = type(data, weightCol);
            if (!(wt instanceof NumericType)) {
                throw new IllegalArgumentException("weight column '" + weightCol + "' has type " + wt.simpleString()
                        + "; it must be numeric");
            }
            select.add(col(weightCol).cast("double"));
        }
        SqlRowReader reader = new SqlRowReader(features.toArray(String[]::new), label, vector, weightCol);
        JavaRDD<Row> rows = data.select(select.toArray(Column[]::new)).javaRDD();
        boolean float32 = blockType == ElementType.FLOAT32;
        JavaRDD<RowBlock> blocks = rows.mapPartitionsWithIndex((idx, it) -> BlockPacker.pack(idx, it, reader, float32), true);
        return new SparkRowSource(blocks.persist(storage), vector ? -1 : features.size(), weightCol != null, blockType);
    }

    private static DataType type(Dataset<Row> data, String name) {
        for (StructField f : data.schema().fields()) {
            if (f.name().equals(name)) return f.dataType();
        }
        throw new IllegalArgumentException("no column '" + name + "' in " + Arrays.toString(data.columns()));
    }

    private static boolean isVector(DataType t) {
        return t instanceof ArrayType a ? a.elementType() instanceof NumericType : "vector".equals(t.typeName());
    }

    @Override
    public int cols() {
        return n;
    }

    @Override
    public long rows() {
        return m;
    }

    /** Partitions of the packed data (one task per partition per pass). */
    public int partitions() {
        return partitions;
    }

    /** How the cached blocks hold X: {@link ElementType#FLOAT64} ({@code double[]}) or {@link ElementType#FLOAT32}. */
    public ElementType blockType() {
        return blockType;
    }

    /**
     * Bytes of X in the cached blocks: {@code 8·m·n} (float64) or {@code 4·m·n} (float32) — what the packing stores
     * beside y (8·m) and the weights (8·m).
     */
    public long featureBytes() {
        return (long) blockType.bytes() * m * n;
    }

    /** Passes over the data run so far (moments and gradients; the packing job not included). */
    public long passes() {
        return passes;
    }

    /** The {@code Kernels.implementation()} reported by the tasks so far, e.g. the vector species or "scalar". */
    public Set<String> executorKernels() {
        synchronized (kernels) {
            return Set.copyOf(kernels);
        }
    }

    @Override
    public void moments(double[] center, double[] out) {
        if (out.length < n + 1) throw new IllegalArgumentException("out must hold n + 1 = " + (n + 1) + " values");
        momentsPass(center, out, false);
    }

    @Override
    public void accumulate(double[] p, boolean withTargets, GradientBuffer into) {
        if (p.length != n + 1) throw new IllegalArgumentException("p must hold n + 1 = " + (n + 1) + " values, got " + p.length);
        gradientPass(p, withTargets, into, false);
    }

    /** One moments job (weighted: Σw in the last of n + 2 sums), the partitions' sums added in partition order. */
    private void momentsPass(double[] center, double[] out, boolean weighted) {
        double[] c = center == null ? null : center.clone();
        int width = weighted ? n + 2 : n + 1;
        List<PartitionSums> parts = collectInOrder(() -> blocks.mapPartitionsWithIndex((idx, it) -> {
            double[] s = new double[width];
            long rows = 0;
            while (it.hasNext()) {
                RowBlock b = it.next();
                if (weighted) b.weightedMomentsAdd(c, s);
                else b.momentsAdd(c, s);
                rows += b.rows;
            }
            return List.of(new PartitionSums(idx, s, 0, rows, "")).iterator();
        }, true).collect());
        for (PartitionSums s : parts) {
            for (int j = 0; j < width; j++) out[j] += s.sums()[j];
        }
    }

    /** One gradient job (weighted or not), the partitions' sums added in partition order. */
    private void gradientPass(double[] p, boolean withTargets, GradientBuffer into, boolean weighted) {
        Broadcast<double[]> bp = sc.broadcast(p.clone());
        int cols = n;
        long pass = passes;
        TaskDelay d = delay;
        boolean float32 = blockType == ElementType.FLOAT32;
        try {
            List<PartitionSums> parts = collectInOrder(() -> blocks.mapPartitionsWithIndex((idx, it) -> {
                d.pause(idx, pass);
                double[] theta = bp.value();
                double[] g = new double[cols + 1];
                double ss = 0;
                long rows = 0;
                while (it.hasNext()) {
                    RowBlock b = it.next();
                    ss += weighted ? b.weightedLossGradientAdd(theta, withTargets, g) : b.lossGradientAdd(theta, withTargets, g);
                    rows += b.rows;
                }
                return List.of(new PartitionSums(idx, g, ss, rows, kernelName(float32))).iterator();
            }, true).collect());
            for (PartitionSums s : parts) { // partition order: the same bits whatever order the tasks ended in
                into.add(s.sums(), s.rows(), s.sumSquares());
                if (s.rows() > 0) kernels.add(s.kernels());
            }
        } finally {
            bp.destroy();
        }
    }

    /** True when made with a weight column ({@link #of(Dataset, String, List, String)}). */
    @Override
    public boolean hasWeights() {
        return weighted;
    }

    @Override
    public void weightedMoments(double[] center, double[] out) {
        requireWeights();
        if (out.length < n + 2) throw new IllegalArgumentException("out must hold n + 2 = " + (n + 2) + " values");
        momentsPass(center, out, true);
    }

    @Override
    public void weightedAccumulate(double[] p, boolean withTargets, GradientBuffer into) {
        requireWeights();
        if (p.length != n + 1) throw new IllegalArgumentException("p must hold n + 1 = " + (n + 1) + " values, got " + p.length);
        gradientPass(p, withTargets, into, true);
    }

    private void requireWeights() {
        if (!weighted) {
            throw new UnsupportedOperationException("this SparkRowSource has no sample weights (made without weightCol)");
        }
    }

    /** True: the cross-products pass gives the {@code normal} solver, standard errors and κ. */
    @Override
    public boolean hasCrossProducts() {
        return true;
    }

    @Override
    public void crossProductsAdd(double[] mean, double[] scale, boolean intercept, double shift, double[] gram,
                                 double[] rhs) {
        crossProductsPass(mean, scale, intercept, shift, gram, rhs, false);
    }

    /** True when made with a weight column: the weighted cross-products pass gives {@code normal}, standard errors and κ. */
    @Override
    public boolean hasWeightedCrossProducts() {
        return weighted;
    }

    @Override
    public void weightedCrossProductsAdd(double[] mean, double[] scale, boolean intercept, double shift, double[] gram,
                                         double[] rhs) {
        requireWeights();
        crossProductsPass(mean, scale, intercept, shift, gram, rhs, true);
    }

    /**
     * One cross-products job ({@link CrossProducts#addRowMajor}, or {@link CrossProducts#addRowMajorWeighted} with the
     * blocks' weights), the partitions' sums added in partition order.
     */
    private void crossProductsPass(double[] mean, double[] scale, boolean intercept, double shift, double[] gram,
                                   double[] rhs, boolean weighted) {
        int k = intercept ? n + 1 : n;
        if (mean.length != n || scale.length != n) throw new IllegalArgumentException("mean and scale must hold n = " + n + " values");
        if (gram.length < k * k || rhs.length < k) throw new IllegalArgumentException("gram must hold k² = " + (k * k) + ", rhs k = " + k);
        double[] mu = mean.clone();
        double[] s = scale.clone();
        List<PartitionSums> parts = collectInOrder(() -> blocks.mapPartitionsWithIndex((idx, it) -> {
            double[] gr = new double[k * k];
            double[] r = new double[k];
            long rows = 0;
            while (it.hasNext()) {
                RowBlock b = it.next();
                double[] bx = b.widenedX(); // float32 blocks: a widened copy (the Gram pass runs once per fit)
                if (weighted) {
                    CrossProducts.addRowMajorWeighted(bx, 0, b.cols, b.rows, b.cols, b.y, b.w, mu, s, intercept, shift,
                            gr, r);
                } else {
                    CrossProducts.addRowMajor(bx, b.rows, b.cols, b.y, mu, s, intercept, shift, gr, r);
                }
                rows += b.rows;
            }
            double[] g = Arrays.copyOf(gr, k * k + k); // the triangle, then the right-hand side
            System.arraycopy(r, 0, g, k * k, k);
            return List.of(new PartitionSums(idx, g, 0, rows, Kernels.implementation())).iterator();
        }, true).collect());
        for (PartitionSums p : parts) { // partition order
            double[] g = p.sums();
            for (int i = 0; i < k * k; i++) gram[i] += g[i];
            for (int i = 0; i < k; i++) rhs[i] += g[k * k + i];
        }
    }

    /** Runs a pass, checks that every partition answered once, returns the partials sorted by partition. */
    private List<PartitionSums> collectInOrder(Supplier<List<PartitionSums>> job) {
        List<PartitionSums> parts = new ArrayList<>(run(job));
        passes++;
        parts.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        if (parts.size() != partitions) {
            throw new IllegalStateException(parts.size() + " partials for " + partitions + " partitions");
        }
        long rows = 0;
        for (int k = 0; k < partitions; k++) {
            if (parts.get(k).partition() != k) throw new IllegalStateException("partition " + k + " answered "
                    + (k > 0 && parts.get(k).partition() == k - 1 ? "twice" : "not at all"));
            rows += parts.get(k).rows();
        }
        if (rows != m) throw new IllegalStateException("a pass saw " + rows + " rows, the packed data has " + m);
        return parts;
    }

    /**
     * Runs a Spark job; a data error raised in a task (an {@link IllegalArgumentException} naming the column)
     * reaches the caller as that exception rather than as Spark's generic job failure.
     */
    static <T> T run(Supplier<T> job) {
        try {
            return job.get();
        } catch (Exception e) { // Scala throws the checked SparkException undeclared
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException iae) throw new IllegalArgumentException(iae.getMessage(), e);
                if (t.getCause() == t) break;
            }
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException("the Spark job failed: " + e.getMessage(), e);
        }
    }

    /** The kernels a task runs for blocks of this type (evaluated in the task). */
    private static String kernelName(boolean float32) {
        return float32 ? FloatKernels.implementation() : Kernels.implementation();
    }

    /** Bytes Spark reports for the cached blocks in memory (its size estimate of the stored objects), 0 when none. */
    long cachedMemoryBytes() {
        for (org.apache.spark.storage.RDDInfo info : sc.sc().getRDDStorageInfo()) {
            if (info.id() == blocks.id()) return info.memSize();
        }
        return 0;
    }

    /** Test hook: pause each pass task as {@code d} says. */
    void taskDelay(TaskDelay d) {
        this.delay = d == null ? TaskDelay.NONE : d;
    }

    /** Releases the cached blocks (non-blocking). */
    @Override
    public void close() {
        blocks.unpersist(false);
    }
}
