package dev.vecgd.bench;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The machine's measured FMA peak, for the GFLOP/s of {@link GramKernelBenchmark}: twelve independent vector
 * FMA chains (enough to cover two FMA ports × a four-cycle latency) with no loads, {@link #ITERATIONS} rounds
 * per call, at the width of {@code -Dvecgd.vector.bits} (default 512). Peak GFMA/s = 12·ITERATIONS·lanes / time.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class FmaPeakBenchmark {

    static final VectorSpecies<Double> S = switch (System.getProperty("vecgd.vector.bits", "512")) {
        case "256" -> DoubleVector.SPECIES_256;
        case "128" -> DoubleVector.SPECIES_128;
        default -> DoubleVector.SPECIES_PREFERRED;
    };
    public static final int ITERATIONS = 100_000;

    public double[] in = new double[16];

    {
        java.util.Arrays.fill(in, 0.999999);
    }

    /** 12·{@value #ITERATIONS} vector FMAs of {@code S.length()} lanes. */
    @Benchmark
    public double twelveChains() {
        DoubleVector a = DoubleVector.fromArray(S, in, 0), b = DoubleVector.fromArray(S, in, 8);
        DoubleVector c0 = a, c1 = b, c2 = a, c3 = b, c4 = a, c5 = b, c6 = a, c7 = b, c8 = a, c9 = b, c10 = a, c11 = b;
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
