package dev.vecgd.kernel;

import java.util.Arrays;

/**
 * The fused gradient kernel on several threads, with results that do not depend on the number of
 * threads: the public parallel entry point of the kernel layer.
 *
 * <p>A call covers rows {@code [from, to)} cut into fixed chunks of {@code chunkRows} rows (the
 * boundaries depend only on {@code from}, {@code to} and {@code chunkRows}, never on the thread count).
 * Each chunk is one call of the single-threaded kernel into its own zeroed slot (its partial
 * {@code g[0..n]} and {@code Σr²}); the slots are then added <b>in chunk order with a fixed pairwise
 * tree</b> (slot k += slot k + s for s = 1, 2, 4, …) and the root is added into the caller's
 * {@code g}. So 1, 2, … N threads and repeated runs give bit-identical results. (They differ in the
 * last bits from one {@link Kernels#lossGradientAdd} call over the same rows, which sums in another
 * order.)
 *
 * <p>The threads are started once, by the constructor, and reused by every call (the caller's thread
 * works too, so {@code threads = 1} starts none). A call allocates nothing once the slots for its
 * chunk count exist. Instances are not for concurrent use (one call at a time; a second concurrent
 * call throws {@link IllegalStateException}); {@link #close()} stops the threads, which are daemons
 * (an instance dropped without {@code close()} has its threads stopped by a {@link java.lang.ref.Cleaner}).
 *
 * <pre>{@code
 * try (ParallelKernels pk = new ParallelKernels(2)) {
 *     double[] g = new double[n + 1];
 *     for (...) {
 *         Arrays.fill(g, 0);
 *         double ss = pk.lossGradientAdd(x, theta, b, y, g, 0, m, 65_536);
 *         ...
 *     }
 * }
 * }</pre>
 */
public final class ParallelKernels implements AutoCloseable {

    /**
     * Below this many bytes of X, {@link #defaultThreads(long)} answers 1: handing work to another core
     * costs ~75–80 µs on the reference VM, more than a pass over a few MB takes.
     */
    public static final long SINGLE_THREAD_BYTES = 8L << 20;

    private final KernelImpl impl;
    private final ChunkPool pool;
    /** Stops the workers if an instance is dropped without {@link #close()}. */
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();
    private final java.lang.ref.Cleaner.Cleanable cleanable;
    private final SegmentKernelImpl segmentImpl;
    private final SegmentKernelImpl floatSegmentImpl;
    private final HeapJob heap = new HeapJob();
    private final SegmentJob offHeap = new SegmentJob();
    private double[][] partialG = new double[0][];
    private double[] partialSs = new double[0];

    /**
     * Starts {@code threads − 1} worker threads (the caller is the last one).
     *
     * @param threads number of threads, {@code >= 1}; 0 means {@link Runtime#availableProcessors()}
     * @throws IllegalArgumentException if threads is negative
     */
    public ParallelKernels(int threads) {
        this(threads, Kernels.impl());
    }

    /** With a given implementation (tests). */
    ParallelKernels(int threads, KernelImpl impl) {
        this(threads, impl, impl == ScalarKernels.INSTANCE ? ScalarSegmentKernels.INSTANCE : SegmentKernels.impl());
    }

    /** With given implementations (tests). */
    ParallelKernels(int threads, KernelImpl impl, SegmentKernelImpl segmentImpl) {
        this.segmentImpl = segmentImpl;
        this.floatSegmentImpl = segmentImpl == ScalarSegmentKernels.INSTANCE ? ScalarFloatSegmentKernels.INSTANCE
                : SegmentKernels.floatImpl();
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = all processors), got " + threads);
        this.impl = impl;
        this.pool = new ChunkPool(threads == 0 ? Runtime.getRuntime().availableProcessors() : threads, "vecgd-gradient");
        this.cleanable = CLEANER.register(this, pool::close);
    }

    /**
     * The thread count to use for one pass over {@code bytes} bytes: 1 below
     * {@link #SINGLE_THREAD_BYTES}, otherwise {@link Runtime#availableProcessors()}.
     */
    public static int defaultThreads(long bytes) {
        return bytes < SINGLE_THREAD_BYTES ? 1 : Runtime.getRuntime().availableProcessors();
    }

    /**
     * A chunk size for n columns: about 2 MiB of X per chunk (big enough that the per-chunk
     * bookkeeping is negligible, small enough that two or more threads get many chunks each), a
     * multiple of 2048 rows (whole column-major blocks), at least 2048 rows.
     */
    public static int defaultChunkRows(int n) {
        int rows = (2 << 20) / (8 * Math.max(1, n));
        return Math.max(2048, rows / 2048 * 2048);
    }

    /**
     * Runs {@code body.accept(k)} for every {@code 0 ≤ k < chunks} on this instance's threads (the caller takes
     * part) and returns when all are done; a failure in a chunk is rethrown here. Which thread runs which chunk
     * varies, so each chunk must write only its own output: a caller that combines the outputs in chunk order
     * gets the same result for every thread count. One call at a time per instance, like the kernels.
     *
     * @param chunks number of chunks, {@code >= 0}
     * @param body   the work of one chunk
     */
    public void forEachChunk(int chunks, java.util.function.IntConsumer body) {
        java.util.Objects.requireNonNull(body, "body is null");
        if (chunks < 0) throw new IllegalArgumentException("chunks must be >= 0, got " + chunks);
        pool.run(body::accept, chunks);
    }

    /** Threads that run chunks, including the caller. */
    public int threads() {
        return pool.threads();
    }

    /** Worker threads (tests). */
    Thread[] workers() {
        return pool.workers();
    }

    /**
     * The fused pass over rows {@code [from, to)} without storing residuals, on all threads:
     * {@code g[j] += Σ r_i·x_ij} for {@code j < n}, {@code g[n] += Σ r_i}; returns {@code Σ r_i²},
     * with {@code r_i = x_i·θ + b − y_i}; reduced in chunk order as described in the class comment.
     *
     * @param x         the m×n matrix, not modified
     * @param theta     the n coefficients, not modified
     * @param b         the intercept
     * @param y         the targets, not modified
     * @param g         accumulator of length {@code >= n + 1}, <b>modified</b> (added to)
     * @param from      first row, inclusive
     * @param to        last row, exclusive
     * @param chunkRows rows per chunk, {@code >= 1}
     * @return {@code Σ r_i²} over the range
     */
    public double lossGradientAdd(Matrix x, double[] theta, double b, StridedVector y, double[] g,
                                  int from, int to, int chunkRows) {
        Kernels.checkMatrixRange(x, from, to);
        Kernels.checkTheta(x, theta);
        Kernels.checkTargets(x, y, from, to);
        Kernels.checkGradient(x, g, 1);
        Kernels.checkNotAliased("g", g, x, theta, y.data(), null);
        if (chunkRows < 1) throw new IllegalArgumentException("chunkRows must be >= 1, got " + chunkRows);
        int chunks = (int) (((long) to - from + chunkRows - 1) / chunkRows);
        if (chunks == 0) return 0;
        int n = x.cols();
        ensureSlots(chunks, n + 1);
        HeapJob job = heap;
        job.rowMajor = x.layout() == Layout.ROW_MAJOR;
        job.x = x.data();
        job.xOff = x.offset();
        job.ldx = x.ld();
        job.n = n;
        job.theta = theta;
        job.b = b;
        job.y = y.data();
        job.yOff = y.offset();
        job.yInc = y.stride();
        job.from = from;
        job.to = to;
        job.chunkRows = chunkRows;
        try {
            pool.run(job, chunks);
        } finally {
            job.x = null;
            job.theta = null;
            job.y = null;
        }
        return reduceInto(g, chunks, n + 1);
    }

    /**
     * The off-heap version of {@link #lossGradientAdd(Matrix, double[], double, StridedVector, double[], int, int, int)}:
     * rows {@code [from, to)} of a {@link SegmentMatrix} in fixed chunks of {@code chunkRows} rows, each
     * one {@link SegmentKernels} call into its own slot, reduced by the same fixed tree. With more
     * than one thread the segment must be readable from other threads: allocate it in a shared,
     * automatic or global arena (a confined arena's segment throws {@link WrongThreadException}).
     *
     * @throws IllegalArgumentException on bad arguments, or more than 2³¹−1 chunks
     */
    public double lossGradientAdd(SegmentMatrix x, double[] theta, double b, SegmentVector y, double[] g,
                                  long from, long to, int chunkRows) {
        SegmentKernels.check(x, theta, y, g, from, to);
        if (chunkRows < 1) throw new IllegalArgumentException("chunkRows must be >= 1, got " + chunkRows);
        long chunksLong = (to - from + chunkRows - 1) / chunkRows;
        if (chunksLong > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(chunksLong + " chunks: use a larger chunkRows than " + chunkRows);
        }
        int chunks = (int) chunksLong;
        if (chunks == 0) return 0;
        int n = x.cols();
        ensureSlots(chunks, n + 1);
        SegmentJob job = offHeap;
        job.x = x;
        job.theta = theta;
        job.b = b;
        job.y = y;
        job.from = from;
        job.to = to;
        job.chunkRows = chunkRows;
        try {
            pool.run(job, chunks);
        } finally {
            job.x = null;
            job.theta = null;
            job.y = null;
        }
        return reduceInto(g, chunks, n + 1);
    }

    private void ensureSlots(int chunks, int width) {
        if (partialG.length < chunks || (partialG.length > 0 && partialG[0].length != width)) {
            double[][] p = new double[Math.max(chunks, partialG.length)][];
            for (int k = 0; k < p.length; k++) p[k] = new double[width];
            partialG = p;
            partialSs = new double[p.length];
        }
    }

    /** The fixed tree: slot k += slot k+s (s = 1, 2, 4, …), then g += slot 0; returns Σr². */
    private double reduceInto(double[] g, int chunks, int width) {
        double[][] pg = partialG;
        double[] ps = partialSs;
        for (int s = 1; s < chunks; s <<= 1) {
            for (int k = 0; k + s < chunks; k += 2 * s) {
                double[] a = pg[k];
                double[] c = pg[k + s];
                for (int j = 0; j < width; j++) a[j] += c[j];
                ps[k] += ps[k + s];
            }
        }
        double[] root = pg[0];
        for (int j = 0; j < width; j++) g[j] += root[j];
        return ps[0];
    }

    /** Stops the worker threads; idempotent. Later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** The heap job, reused by every call (its fields are set before each run). */
    private final class HeapJob implements ChunkPool.Body {
        boolean rowMajor;
        double[] x;
        int xOff;
        int ldx;
        int n;
        double[] theta;
        double b;
        double[] y;
        int yOff;
        int yInc;
        int from;
        int to;
        int chunkRows;

        @Override
        public void run(int k) {
            long start = from + (long) k * chunkRows;
            int lo = (int) start;
            int hi = (int) Math.min(start + chunkRows, to);
            double[] slot = partialG[k];
            Arrays.fill(slot, 0.0);
            partialSs[k] = rowMajor
                    ? impl.fusedRow(x, xOff, ldx, n, theta, b, y, yOff, yInc, null, 0, slot, lo, hi)
                    : impl.fusedCol(x, xOff, ldx, n, theta, b, y, yOff, yInc, null, 0, slot, lo, hi);
        }
    }

    /** The off-heap job, reused by every call. */
    private final class SegmentJob implements ChunkPool.Body {
        SegmentMatrix x;
        double[] theta;
        double b;
        SegmentVector y;
        long from;
        long to;
        int chunkRows;

        @Override
        public void run(int k) {
            long lo = from + (long) k * chunkRows;
            long hi = Math.min(lo + chunkRows, to);
            double[] slot = partialG[k];
            Arrays.fill(slot, 0.0);
            partialSs[k] = SegmentKernels.run(x.isFloat32() ? floatSegmentImpl : segmentImpl, x, theta, b, y, slot, lo, hi,
                    SegmentKernels.MAX_CALL_ROWS);
        }
    }

    @Override
    public String toString() {
        return "ParallelKernels[" + threads() + " threads, " + impl.name() + "]";
    }

}
