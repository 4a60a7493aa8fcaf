package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.ParallelKernels;

import java.util.Arrays;

/**
 * The full-batch gradient of a {@link Dataset} on several threads, bit-identical for every thread
 * count: fixed chunks of {@code chunkRows} rows, each chunk's partial sums in its own slot, reduced in
 * chunk order by a fixed tree (see {@link ParallelKernels}). The threads are started by the
 * constructor and reused by every call; no allocation per call. Close it to stop the threads
 * (they are daemons, so a forgotten source does not keep the JVM alive).
 */
public final class ParallelGradientSource implements GradientSource, AutoCloseable {

    private final Dataset data;
    private final SegmentDataset offHeap;
    private final int rows;
    private final int n;
    private final int chunkRows;
    private final ParallelKernels kernels;
    private final double[] sums;

    /**
     * @param data      the dataset, not modified
     * @param chunkRows rows per chunk, {@code >= 1} (fixes the summation order; independent of threads), or 0
     *                  for {@link ParallelKernels#defaultChunkRows(int)}
     * @param threads   threads, {@code >= 1}; 0 = {@link ParallelKernels#defaultThreads(long)} for this data
     */
    public ParallelGradientSource(Dataset data, int chunkRows, int threads) {
        if (chunkRows < 0) throw new IllegalArgumentException("chunkRows must be >= 1 (or 0 = automatic), got " + chunkRows);
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = automatic), got " + threads);
        this.data = data;
        this.offHeap = null;
        this.rows = data.rows();
        this.n = data.cols();
        this.chunkRows = chunkRows == 0 ? ParallelKernels.defaultChunkRows(n) : chunkRows;
        this.kernels = new ParallelKernels(threads == 0 ? ParallelKernels.defaultThreads(data.featureBytes()) : threads);
        this.sums = new double[n + 1];
    }

    /**
     * The same over off-heap or mapped data (at most 2³¹ − 1 rows; any number of elements). Segments that
     * other threads cannot read (a confined {@link java.lang.foreign.Arena}: see
     * {@link SegmentDataset#isSharedAcrossThreads()}) are read on the calling thread only, whatever
     * {@code threads} says — the result is the same bits, as for every thread count.
     */
    public ParallelGradientSource(SegmentDataset data, int chunkRows, int threads) {
        if (chunkRows < 0) throw new IllegalArgumentException("chunkRows must be >= 1 (or 0 = automatic), got " + chunkRows);
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = automatic), got " + threads);
        if (data.rows() > Integer.MAX_VALUE) throw new IllegalArgumentException("more than 2^31-1 rows: " + data.rows());
        this.data = null;
        this.offHeap = data;
        this.rows = (int) data.rows();
        this.n = data.cols();
        this.chunkRows = chunkRows == 0 ? ParallelKernels.defaultChunkRows(n) : chunkRows;
        int t = threads == 0 ? ParallelKernels.defaultThreads(data.featureBytes()) : threads;
        this.kernels = new ParallelKernels(data.isSharedAcrossThreads() ? t : 1);
        this.sums = new double[n + 1];
    }

    /** Threads in use, including the caller. */
    public int threads() {
        return kernels.threads();
    }

    @Override
    public long rows() {
        return rows;
    }

    /** The float32 segment kernels for float32 X, else {@link GradientSource#implementation()}. */
    @Override
    public String implementation() {
        return offHeap != null && offHeap.x().isFloat32() ? dev.vecgd.kernel.SegmentKernels.floatImplementation()
                : GradientSource.super.implementation();
    }

    @Override
    public void accumulate(double[] p, GradientBuffer into) {
        Arrays.fill(sums, 0.0);
        double ss = data != null
                ? kernels.lossGradientAdd(data.x(), p, p[n], data.y(), sums, 0, rows, chunkRows)
                : kernels.lossGradientAdd(offHeap.x(), p, p[n], offHeap.y(), sums, 0, rows, chunkRows);
        into.add(sums, rows, ss);
    }

    /** Runs chunk bodies on this source's threads (see {@link ParallelKernels#forEachChunk}). */
    void forEachChunk(int chunks, java.util.function.IntConsumer body) {
        kernels.forEachChunk(chunks, body);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
