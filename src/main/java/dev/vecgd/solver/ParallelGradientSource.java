package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
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
    private final int chunkRows;
    private final ParallelKernels kernels;
    private final double[] sums;

    /**
     * @param data      the dataset, not modified
     * @param chunkRows rows per chunk, {@code >= 1} (fixes the summation order; independent of threads)
     * @param threads   threads, {@code >= 1}; 0 = {@link ParallelKernels#defaultThreads(long)} for this data
     */
    public ParallelGradientSource(Dataset data, int chunkRows, int threads) {
        if (chunkRows < 1) throw new IllegalArgumentException("chunkRows must be >= 1, got " + chunkRows);
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = automatic), got " + threads);
        this.data = data;
        this.chunkRows = chunkRows;
        this.kernels = new ParallelKernels(threads == 0 ? ParallelKernels.defaultThreads(data.featureBytes()) : threads);
        this.sums = new double[data.cols() + 1];
    }

    /** Threads in use, including the caller. */
    public int threads() {
        return kernels.threads();
    }

    @Override
    public int rows() {
        return data.rows();
    }

    @Override
    public void accumulate(double[] p, GradientBuffer into) {
        int n = data.cols();
        Arrays.fill(sums, 0.0);
        double ss = kernels.lossGradientAdd(data.x(), p, p[n], data.y(), sums, 0, data.rows(), chunkRows);
        into.add(sums, data.rows(), ss);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
