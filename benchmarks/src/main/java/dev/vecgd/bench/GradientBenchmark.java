package dev.vecgd.bench;

import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.SegmentKernels;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full least-squares gradient per operation over the same bytes (X and y, see {@link BenchState}),
 * four ways:
 * <ul>
 *   <li>{@link #naive}: two passes with plain loops, {@code r = Xθ + b − y} stored, then {@code g = Xᵀr};</li>
 *   <li>{@link #scalarFused}: one pass with plain loops, r not stored;</li>
 *   <li>{@link #simd}: {@link Kernels#lossGradientAdd}, the fused kernel (Vector API when it is
 *       active), r not stored;</li>
 *   <li>{@link #readProbe}, {@link #readProbe2}, {@link #readProbe4}: pure vector reads of X and y in one,
 *       two and five streams ({@link ReadProbe}); the fastest of them on the same shape, layout and run is
 *       the bandwidth ceiling for the same bytes. They always use the hardware's vector width.</li>
 * </ul>
 * <p><b>dtype</b> ({@link BenchState#dtype}): {@code float64}, the default, is everything above, unchanged (the
 * methods only test a boolean first). {@code float32} runs the same logical matrix rounded to float32 and held as
 * floats in native memory: {@link #simd} is {@link SegmentKernels#lossGradientAdd} on the float32 view (the float32
 * kernels: each float widened to double, every sum in double; y native doubles), and the read probes read those
 * float32 bytes and y ({@link ReadProbe#sumFloats}, {@link ReadProbe#sum2(java.lang.foreign.MemorySegment,
 * java.lang.foreign.MemorySegment, int, int, int)}, {@link ReadProbe#sum4(java.lang.foreign.MemorySegment,
 * java.lang.foreign.MemorySegment, int, int, int)}): 4·m·n + 8·m bytes. The report then shows float32 simd against
 * the best float32 probe and against float64 simd at the same shape. {@link #naive} and {@link #scalarFused} read the
 * double arrays only: with float32 they fail the trial (run them with float64; benchmarks/run.sh does).
 *
 * <p>Each gradient method zeroes the n + 1 elements of g first ({@code Arrays.fill}, negligible beside
 * m·n) and returns {@code Σ r²}; the gradient is left in {@code state.g}. One thread.
 *
 * <p>Forks: JDK 25 with {@code --add-modules jdk.incubator.vector} and a fixed 8 GiB heap (the
 * 268435456×1 shape holds 6 GiB). No {@code -XX:+AlwaysPreTouch}: it would page in 8 GiB in each of
 * the ~200 forks of a full run, and the setup writes every array anyway, so no page is first touched
 * while measuring. Kernel width: one per JVM ({@code -Dvecgd.vector.bits}, see {@link KernelWidth});
 * benchmarks/run.sh runs this class once per width. Warm-up: vector code is ~100× slower before C2 compiles it; the defaults below
 * (and benchmarks/run.sh) give it several seconds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms8g", "-Xmx8g"})
public class GradientBenchmark {

    /** Two passes with plain loops: residuals into r, then the gradient. */
    @Benchmark
    public double naive(BenchState s) {
        s.requireFloat64("naive");
        double ss = NaiveLoops.residuals(s);
        NaiveLoops.gradient(s);
        return ss;
    }

    /** One pass with plain loops, r not stored. */
    @Benchmark
    public double scalarFused(BenchState s) {
        s.requireFloat64("scalarFused");
        return NaiveLoops.fused(s);
    }

    /**
     * The library's fused kernel over the whole matrix, r not stored: {@link Kernels#lossGradientAdd} on the heap
     * arrays (float64), {@link SegmentKernels#lossGradientAdd} on the native float32 copy (float32).
     */
    @Benchmark
    public double simd(BenchState s) {
        Arrays.fill(s.g, 0.0);
        if (s.float32) return SegmentKernels.lossGradientAdd(s.floatMatrix, s.theta, s.b, s.floatTargets, s.g, 0, s.m);
        return Kernels.lossGradientAdd(s.matrix, s.theta, s.b, s.targets, s.g, 0, s.m);
    }

    /** Read probe, one stream: the sum of every element of X, then of y (float32: the floats, then y). */
    @Benchmark
    public double readProbe(BenchState s) {
        if (s.float32) return ReadProbe.sumFloats(s.xf, 0, (long) s.m * s.n) + ReadProbe.sumDoubles(s.ys, 0, s.m);
        return ReadProbe.sum(s.x) + ReadProbe.sum(s.y);
    }

    /** Read probe, two streams: X and y in one loop ({@link ReadProbe#sum2}). */
    @Benchmark
    public double readProbe2(BenchState s) {
        if (s.float32) return ReadProbe.sum2(s.xf, s.ys, s.n, 0, s.m);
        return ReadProbe.sum2(s.x, s.y, s.n, 0, s.m);
    }

    /** Read probe, five streams: four quarters of X and y in one loop ({@link ReadProbe#sum4}). */
    @Benchmark
    public double readProbe4(BenchState s) {
        if (s.float32) return ReadProbe.sum4(s.xf, s.ys, s.n, 0, s.m);
        return ReadProbe.sum4(s.x, s.y, s.n, 0, s.m);
    }
}
