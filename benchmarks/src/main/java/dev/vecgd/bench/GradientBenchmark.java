package dev.vecgd.bench;

import dev.vecgd.kernel.Kernels;
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
 * Each gradient method zeroes the n + 1 elements of g first ({@code Arrays.fill}, negligible beside
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
        double ss = NaiveLoops.residuals(s);
        NaiveLoops.gradient(s);
        return ss;
    }

    /** One pass with plain loops, r not stored. */
    @Benchmark
    public double scalarFused(BenchState s) {
        return NaiveLoops.fused(s);
    }

    /** The library's fused kernel over the whole matrix, r not stored. */
    @Benchmark
    public double simd(BenchState s) {
        Arrays.fill(s.g, 0.0);
        return Kernels.lossGradientAdd(s.matrix, s.theta, s.b, s.targets, s.g, 0, s.m);
    }

    /** Read probe, one stream: the sum of every element of X, then of y. */
    @Benchmark
    public double readProbe(BenchState s) {
        return ReadProbe.sum(s.x) + ReadProbe.sum(s.y);
    }

    /** Read probe, two streams: X and y in one loop ({@link ReadProbe#sum2}). */
    @Benchmark
    public double readProbe2(BenchState s) {
        return ReadProbe.sum2(s.x, s.y, s.n, 0, s.m);
    }

    /** Read probe, five streams: four quarters of X and y in one loop ({@link ReadProbe#sum4}). */
    @Benchmark
    public double readProbe4(BenchState s) {
        return ReadProbe.sum4(s.x, s.y, s.n, 0, s.m);
    }
}
