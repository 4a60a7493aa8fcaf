package dev.vecgd.bench;

import dev.vecgd.data.Dataset;
import dev.vecgd.solver.GradientBuffer;
import dev.vecgd.solver.Optimizer;
import dev.vecgd.solver.PlainGradientDescent;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One batch-gradient-descent iteration per operation, through the solver's public API:
 * {@code grad.zeroGrad(); grad.accumulate(data, p); gd.step(p, grad, α)} — one fused pass over X,
 * then {@code θ ← θ − α·g/m}, {@code b ← b − α·g[n]/m}. Compared with {@link GradientBenchmark#simd}
 * it shows what the solver's bookkeeping costs beyond the kernel.
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

    /** The solver's objects over the data of a {@link BenchState}: parameters {@code p = (θ, b)}. */
    @State(Scope.Thread)
    public static class Solver {
        public Dataset data;
        public GradientBuffer grad;
        public Optimizer gd;
        public double[] p;

        @Setup(Level.Trial)
        public void setup(BenchState s) {
            data = new Dataset(s.matrix, s.targets);
            grad = new GradientBuffer(s.n);
            gd = new PlainGradientDescent();
            p = Arrays.copyOf(s.theta, s.n + 1);
            p[s.n] = s.b;
        }
    }

    /** One BGD iteration; returns the loss {@code Σ r²/(2m)} before the step. */
    @Benchmark
    public double step(Solver st) {
        st.grad.zeroGrad();
        st.grad.accumulate(st.data, st.p);
        double loss = st.grad.loss();
        st.gd.step(st.p, st.grad, ALPHA);
        return loss;
    }
}
