package dev.vecgd.bench;

import dev.vecgd.kernel.CompensatedKernels;
import dev.vecgd.kernel.Kernels;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of extended precision (issue 15), in the same run and on the same bytes ({@link BenchState}):
 * <ul>
 *   <li>{@link #plainFused}: {@link Kernels#lossGradientAdd}, the double fused pass (as
 *       {@link GradientBenchmark#simd});</li>
 *   <li>{@link #compensatedFused}: {@link CompensatedKernels#residualsGradientAdd}, Dot2 residuals and
 *       double-double Xᵀr, Σr, Σr² (the pass behind every refinement of {@code precision(EXTENDED)});</li>
 *   <li>{@link #compensatedGram}: {@link CompensatedKernels#gramAdd}, [X 1 y]ᵀ[X 1 y] in double-double (scalar:
 *       compare with {@code GramBenchmark}'s passes).</li>
 * </ul>
 * Targets of the issue: compensated fused ≤ 1.5× plain at DRAM size (16777216×16), ≤ 3× in cache. One thread;
 * forks and heap as {@link GradientBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms8g", "-Xmx8g"})
@State(Scope.Thread)
public class CompensatedBenchmark {

    /** The double-double accumulators (2(n + 2) for the fused pass, 2(n + 2)² for the Gram pass); sized once. */
    double[] acc = new double[0];

    /** The plain double fused pass; returns Σr². */
    @Benchmark
    public double plainFused(BenchState s) {
        Arrays.fill(s.g, 0.0);
        return Kernels.lossGradientAdd(s.matrix, s.theta, s.b, s.targets, s.g, 0, s.m);
    }

    /** The compensated fused pass; returns Σr² (high part). */
    @Benchmark
    public double compensatedFused(BenchState s) {
        double[] a = accumulators(2 * (s.n + 2));
        CompensatedKernels.residualsGradientAdd(s.matrix, s.theta, s.b, s.targets, 0, s.m, a);
        return a[2 * (s.n + 1)];
    }

    /** The compensated Gram pass; returns Σy² (high part). */
    @Benchmark
    public double compensatedGram(BenchState s) {
        int w = s.n + 2;
        double[] a = accumulators(2 * w * w);
        CompensatedKernels.gramAdd(s.matrix, s.targets, 0, s.m, a);
        return a[2 * (w * w - 1)];
    }

    private double[] accumulators(int size) {
        if (acc.length != size) acc = new double[size];
        Arrays.fill(acc, 0.0);
        return acc;
    }
}
