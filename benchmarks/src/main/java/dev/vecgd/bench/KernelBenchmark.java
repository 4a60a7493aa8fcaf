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
 * The two unfused kernels of the library on the data of {@link BenchState}: {@link #residuals}
 * ({@code r = Xθ + b − y}, overwriting r) and {@link #gradientAdd} ({@code g += Xᵀr} on g zeroed
 * first, with the residuals computed in the setup). Their sum is the library's two-pass gradient,
 * to compare with {@link GradientBenchmark#simd}. Same fork settings as {@link GradientBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms8g", "-Xmx8g"})
public class KernelBenchmark {

    /** {@code r = Xθ + b − y}; returns {@code Σ r²}. */
    @Benchmark
    public double residuals(BenchState s) {
        return Kernels.residuals(s.matrix, s.theta, s.b, s.targets, s.r, 0, 0, s.m);
    }

    /** {@code g = 0; g += Xᵀr}; returns {@code Σ r}. */
    @Benchmark
    public double gradientAdd(BenchState s) {
        Arrays.fill(s.g, 0.0);
        return Kernels.gradientAdd(s.matrix, s.r, 0, s.g, 0, s.m);
    }
}
