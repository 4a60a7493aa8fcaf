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
 * One batch-gradient-descent iteration per operation: zero the gradient, one fused pass over X,
 * then {@code θ ← θ − α·g/m}, {@code b ← b − α·g[n]/m}. Compared with {@link GradientBenchmark#simd}
 * it shows what the step costs beyond the kernel.
 *
 * <p>θ and b change from one operation to the next; with {@link #ALPHA} well below 2/λ_max of
 * XᵀX/m (about 3 for uniform [−1, 1) features) the iteration converges and the values stay finite.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms8g", "-Xmx8g"})
public class SolverStepBenchmark {

    /** Learning rate of the step. */
    public static final double ALPHA = 0.1;

    /** One BGD iteration; returns the loss {@code Σ r²/(2m)} before the step. */
    @Benchmark
    public double step(BenchState s) {
        // TODO(issue 3): switch to the solver's public API once dev.vecgd.solver lands (its gradient
        //  buffer: zeroGrad(); accumulate(dataset); step() — one BGD iteration), so this measures the
        //  solver's own overhead. Until then the step is written inline on the kernels, as the
        //  solver does it.
        final double[] g = s.g, theta = s.theta;
        final int n = s.n;
        Arrays.fill(g, 0.0);
        double ss = Kernels.lossGradientAdd(s.matrix, theta, s.b, s.targets, g, 0, s.m);
        double scale = ALPHA / s.m;
        for (int j = 0; j < n; j++) {
            theta[j] -= scale * g[j];
        }
        s.b -= scale * g[n];
        return ss / (2.0 * s.m);
    }
}
