package dev.vecgd.bench;

import dev.vecgd.kernel.Kernels;
import dev.vecgd.solver.CrossProducts;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Gram micro-kernels side by side on one in-cache block of {@link #rows} rows × k columns (the same
 * values): {@link #registerBlocked} ({@link Kernels#gramAdd}, row-major block, tiles of C in registers),
 * {@link #crossProducts} ({@link Kernels#crossProductsAdd}, the previous kernel: column-major block, one
 * column against four, dot products over the rows) and {@link #naive} (the plain triple loop over the
 * row-major block). Each call does rows·k(k+1)/2 multiply-adds (2 flops each); GFLOP/s = that / time. Sample
 * mode: on a shared machine the median of the per-call times is the uncontended speed (a descheduled call lands
 * in the tail); compare with {@link FmaPeakBenchmark} run the same way.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class GramKernelBenchmark {

    @Param({"8", "16", "32", "64", "256"})
    public int k;

    /** Rows of the block, as the library packs them ({@link CrossProducts#blockRows}: 128 to 256 rows). */
    int rows;

    double[] rowMajor;
    double[] colMajor;
    double[] v;
    double[] c;
    double[] d;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        rows = CrossProducts.blockRows(k);
        final int ROWS = rows;
        rowMajor = new double[ROWS * k];
        colMajor = new double[ROWS * k];
        for (int r = 0; r < ROWS; r++) {
            for (int p = 0; p < k; p++) {
                double x = rnd.nextDouble() * 2 - 1;
                rowMajor[r * k + p] = x;
                colMajor[p * ROWS + r] = x;
            }
        }
        v = new double[ROWS];
        for (int r = 0; r < ROWS; r++) v[r] = rnd.nextDouble();
        c = new double[k * k];
        d = new double[k];
    }

    @Benchmark
    public double registerBlocked() {
        Kernels.gramAdd(rowMajor, 0, k, k, rows, c, k);
        return c[k * k - 1];
    }

    @Benchmark
    public double crossProducts() {
        Kernels.crossProductsAdd(colMajor, rows, k, rows, v, c, d);
        return c[k * k - 1] + d[0];
    }

    @Benchmark
    public double naive() {
        double[] a = rowMajor;
        int kk = k;
        int ROWS = rows;
        for (int p = 0; p < kk; p++) {
            for (int q = p; q < kk; q++) {
                double acc = 0;
                for (int r = 0; r < ROWS; r++) acc += a[r * kk + p] * a[r * kk + q];
                c[p * kk + q] += acc;
            }
        }
        return c[kk * kk - 1];
    }
}
