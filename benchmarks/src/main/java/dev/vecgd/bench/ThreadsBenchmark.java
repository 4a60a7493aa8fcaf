package dev.vecgd.bench;

import dev.vecgd.kernel.ParallelKernels;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fused gradient on 1 or 2 threads of the library, against a read probe on as many threads, over
 * the same bytes (X and y of {@link BenchState}).
 * <ul>
 *   <li>{@link #simd}: {@link ParallelKernels#lossGradientAdd} over the whole matrix in chunks of
 *       {@link ParallelKernels#defaultChunkRows(int)} rows, g zeroed in each operation;</li>
 *   <li>{@link #readProbe}: X and y each cut into {@code threads} contiguous parts, each part summed by
 *       {@link ReadProbe#sum(double[], int, int)} on its own thread (the caller takes part 0, a
 *       pre-started pool the others, as {@code ParallelKernels} does): the bandwidth ceiling at
 *       that thread count (one stream per thread: its part of X, then of y);</li>
 *   <li>{@link #readProbe2}, {@link #readProbe4}: the same with each thread reading its contiguous rows
 *       of X and y with {@link ReadProbe#sum2} (two streams) or {@link ReadProbe#sum4} (five streams).
 *       The report takes the fastest probe at each thread count as that count's ceiling.</li>
 * </ul>
 * {@code threads} is a {@code @Param} handed to the library, not JMH's {@code @Threads}: JMH runs one
 * benchmark thread, and the parallelism is the library's. The thread pools are started once per trial
 * (not measured) and closed in the tear-down. At 2 threads the probe submits one task per extra
 * part ({@code ExecutorService.submit}: ~160 B/op under {@code -prof gc}), which is nothing beside the
 * milliseconds of a DRAM-size pass; {@code simd} allocates nothing once warm.
 *
 * <p>Default shape: 16777216×16 (X = 2 GiB), the DRAM size of the target "2 threads ≥ 85 % of the
 * best 2-thread read probe". Forks: as {@link GradientBenchmark} (JDK 25, the incubator module, fixed 8 GiB
 * heap), but one fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms8g", "-Xmx8g"})
public class ThreadsBenchmark {

    /** The data (a {@link BenchState} built for shape and layout) and the thread pools. */
    @State(Scope.Benchmark)
    public static class Data {

        @Param({"16777216x16"})
        public String shape;

        @Param({"row", "column"})
        public String layout;

        @Param({"1", "2"})
        public int threads;

        /** The kernel width the run is attributed to, checked as in {@link BenchState#bits}. */
        @Param({KernelWidth.AUTO})
        public String bits;

        /** X, y, θ, b and g, filled as in every other benchmark. */
        public BenchState s;
        public ParallelKernels kernels;
        public int chunkRows;
        /** Runs parts 1 .. threads − 1 of the probe; null when threads = 1. */
        public ExecutorService probePool;

        @Setup(Level.Trial)
        public void setup() {
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            KernelWidth.check(bits);
            s = new BenchState().setup(shape, layout);
            kernels = new ParallelKernels(threads);
            chunkRows = ParallelKernels.defaultChunkRows(s.n);
            if (threads > 1) {
                ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(threads - 1, r -> {
                    Thread t = new Thread(r, "vecgd-read-probe");
                    t.setDaemon(true);
                    return t;
                });
                pool.prestartAllCoreThreads();
                probePool = pool;
            }
        }

        /** Sets the parameters and runs {@link #setup()}: for tests. */
        public Data setup(String shape, String layout, int threads) {
            this.shape = shape;
            this.layout = layout;
            this.threads = threads;
            setup();
            return this;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (kernels != null) kernels.close();
            if (probePool != null) probePool.shutdownNow();
            kernels = null;
            probePool = null;
        }
    }

    /** The library's parallel fused kernel over the whole matrix, r not stored. */
    @Benchmark
    public double simd(Data d) {
        BenchState s = d.s;
        Arrays.fill(s.g, 0.0);
        return d.kernels.lossGradientAdd(s.matrix, s.theta, s.b, s.targets, s.g, 0, s.m, d.chunkRows);
    }

    /** The bandwidth ceiling at {@code threads} threads, one stream per thread: the sum of X and y. */
    @Benchmark
    public double readProbe(Data d) throws InterruptedException, ExecutionException {
        return onThreads(d, 1);
    }

    /** The same, each thread reading its rows of X and y as two streams ({@link ReadProbe#sum2}). */
    @Benchmark
    public double readProbe2(Data d) throws InterruptedException, ExecutionException {
        return onThreads(d, 2);
    }

    /** The same, each thread reading its rows as five streams ({@link ReadProbe#sum4}). */
    @Benchmark
    public double readProbe4(Data d) throws InterruptedException, ExecutionException {
        return onThreads(d, 4);
    }

    /** Part k of {@code threads} parts on thread k (the caller takes part 0), with the probe of {@code streams}. */
    private static double onThreads(Data d, int streams) throws InterruptedException, ExecutionException {
        int t = d.threads;
        if (t == 1) return part(d.s, 0, 1, streams);
        @SuppressWarnings("unchecked")
        Future<Double>[] futures = new Future[t - 1];
        for (int k = 1; k < t; k++) {
            final int part = k;
            futures[k - 1] = d.probePool.submit(() -> part(d.s, part, t, streams));
        }
        double sum = part(d.s, 0, t, streams);
        for (Future<Double> f : futures) sum += f.get();
        return sum;
    }

    /** Part {@code k} of {@code parts}: streams 1 = that part of X, then of y; 2 or 4 = those rows of X and y together. */
    static double part(BenchState s, int k, int parts, int streams) {
        if (streams == 1) return part(s, k, parts);
        int from = bound(s.m, k, parts), to = bound(s.m, k + 1, parts);
        return streams == 2 ? ReadProbe.sum2(s.x, s.y, s.n, from, to) : ReadProbe.sum4(s.x, s.y, s.n, from, to);
    }

    /** Part {@code k} of {@code parts} of X plus the same part of y. */
    static double part(BenchState s, int k, int parts) {
        return ReadProbe.sum(s.x, bound(s.x.length, k, parts), bound(s.x.length, k + 1, parts))
                + ReadProbe.sum(s.y, bound(s.y.length, k, parts), bound(s.y.length, k + 1, parts));
    }

    /** Start of part {@code k} of {@code parts} near-equal contiguous parts of {@code len} elements. */
    static int bound(int len, int k, int parts) {
        return (int) ((long) len * k / parts);
    }
}
