package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.ParallelKernels;
import dev.vecgd.kernel.SegmentKernels;
import dev.vecgd.kernel.SegmentVector;
import dev.vecgd.kernel.StridedVector;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The weighted full-batch gradient ({@code Σ v_i r_i x_ij}, {@code Σ v_i r_i}, {@code Σ v_i r_i²}) of heap or off-heap
 * data on several threads, <b>bit-identical for every thread count</b>, like {@link ParallelGradientSource}: fixed
 * chunks of {@code chunkRows} rows (boundaries independent of the thread count), each chunk one call of the weighted
 * fused kernel ({@link Kernels#weightedLossGradientAdd} or {@link SegmentKernels#weightedLossGradientAdd}) into its own
 * zeroed slot, the slots added in chunk order by the fixed pairwise tree of {@link ParallelKernels}. The heap and the
 * off-heap kernels give the same bits for the same data, so heap and off-heap fits of the same rows and weights give
 * the same gradients. The threads are started by the constructor; close it to stop them.
 */
final class WeightedGradientSource implements GradientSource, AutoCloseable {

    private final Dataset heap;
    private final StridedVector heapY;
    private final double[] heapW;
    private final SegmentDataset offHeap;
    private final SegmentVector segY;
    private final SegmentVector segW;
    private final int m;
    private final int n;
    private final int chunkRows;
    private final int chunks;
    private final double[][] slots;
    private final double[] sums;
    private final ParallelKernels kernels;
    private final IntConsumer body = this::chunk;
    private double[] p;

    /** Over heap rows: y (or a zero vector for the y ≡ 0 products) and the weights {@code w}, one per row. */
    WeightedGradientSource(Dataset data, StridedVector y, double[] w, int chunkRows, int threads) {
        this.heap = data;
        this.heapY = y;
        this.heapW = w;
        this.offHeap = null;
        this.segY = null;
        this.segW = null;
        this.m = data.rows();
        this.n = data.cols();
        this.chunkRows = chunkRows(chunkRows, n);
        this.kernels = new ParallelKernels(threads(threads, data.featureBytes()));
        this.chunks = (int) (((long) m + this.chunkRows - 1) / this.chunkRows);
        this.slots = new double[chunks][n + 2];
        this.sums = new double[n + 1];
    }

    /**
     * Over off-heap rows (at most 2³¹ − 1): y (or zeros) and the weights as segments. A confined arena's data is
     * read on the calling thread only (the same bits).
     */
    WeightedGradientSource(SegmentDataset data, SegmentVector y, SegmentVector w, int chunkRows, int threads) {
        this.heap = null;
        this.heapY = null;
        this.heapW = null;
        this.offHeap = data;
        this.segY = y;
        this.segW = w;
        this.m = Math.toIntExact(data.rows());
        this.n = data.cols();
        this.chunkRows = chunkRows(chunkRows, n);
        int t = threads(threads, data.featureBytes());
        this.kernels = new ParallelKernels(data.isSharedAcrossThreads() ? t : 1);
        this.chunks = (int) (((long) m + this.chunkRows - 1) / this.chunkRows);
        this.slots = new double[chunks][n + 2];
        this.sums = new double[n + 1];
    }

    private static int chunkRows(int chunkRows, int n) {
        if (chunkRows < 0) throw new IllegalArgumentException("chunkRows must be >= 1 (or 0 = automatic), got " + chunkRows);
        return chunkRows == 0 ? ParallelKernels.defaultChunkRows(n) : chunkRows;
    }

    private static int threads(int threads, long bytes) {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = automatic), got " + threads);
        return threads == 0 ? ParallelKernels.defaultThreads(bytes) : threads;
    }

    /** Threads in use, including the caller. */
    int threads() {
        return kernels.threads();
    }

    @Override
    public long rows() {
        return m;
    }

    /** The float32 segment kernels for float32 X, else {@link GradientSource#implementation()}. */
    @Override
    public String implementation() {
        return offHeap != null && offHeap.x().isFloat32() ? dev.vecgd.kernel.SegmentKernels.floatImplementation()
                : GradientSource.super.implementation();
    }

    @Override
    public void accumulate(double[] p, GradientBuffer into) {
        this.p = p;
        try {
            kernels.forEachChunk(chunks, body);
        } finally {
            this.p = null;
        }
        // the fixed tree: slot k += slot k + s (s = 1, 2, 4, …)
        for (int s = 1; s < chunks; s <<= 1) {
            for (int k = 0; k + s < chunks; k += 2 * s) {
                double[] a = slots[k];
                double[] c = slots[k + s];
                for (int j = 0; j <= n + 1; j++) a[j] += c[j];
            }
        }
        // chunks >= 1: a Dataset or SegmentDataset has at least one row
        System.arraycopy(slots[0], 0, sums, 0, n + 1);
        into.add(sums, m, slots[0][n + 1]);
    }

    /** One chunk into its own slot (sums, then Σ v r² at index n + 1). */
    private void chunk(int k) {
        int lo = (int) ((long) k * chunkRows);
        int hi = (int) Math.min((long) lo + chunkRows, m);
        double[] slot = slots[k];
        Arrays.fill(slot, 0.0);
        slot[n + 1] = heap != null
                ? Kernels.weightedLossGradientAdd(heap.x(), p, p[n], heapY, heapW, 0, null, 0, slot, lo, hi)
                : SegmentKernels.weightedLossGradientAdd(offHeap.x(), p, p[n], segY, segW, slot, lo, hi);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
