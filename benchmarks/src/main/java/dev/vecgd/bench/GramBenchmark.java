package dev.vecgd.bench;

import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.StridedVector;
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
 * The Gram-matrix pass behind {@code normal} and the standard errors. {@link #simdBlock} vs
 * {@link #plainBlock}: {@link Kernels#crossProductsAdd} against the plain triple loop on one standardized
 * column-major block of 128 rows (in L1, as {@link CrossProducts} keeps it). {@link #crossProductsPass} vs
 * {@link #gradientPass}: the whole {@link CrossProducts#addRowMajor} pass (standardization + kernel) against
 * one fused gradient pass over the same 65,536 rows — what the diagnostics cost in gradient passes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class GramBenchmark {

    /** Columns of the standardized design (features + the intercept's column of ones). */
    @Param({"5", "17", "33"})
    public int k;

    static final int BLOCK = CrossProducts.BLOCK;
    static final int ROWS = 65_536;

    double[] block;
    double[] v;
    double[] c;
    double[] d;
    int n;
    double[] x;
    double[] y;
    double[] mean;
    double[] scale;
    double[] theta;
    double[] g;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        block = new double[k * BLOCK];
        for (int i = 0; i < block.length; i++) block[i] = rnd.nextDouble() * 2 - 1;
        v = new double[BLOCK];
        for (int i = 0; i < BLOCK; i++) v[i] = rnd.nextDouble();
        c = new double[k * k];
        d = new double[k];
        n = k - 1;
        x = new double[ROWS * n];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextDouble() * 10;
        y = new double[ROWS];
        for (int i = 0; i < ROWS; i++) y[i] = rnd.nextDouble();
        mean = new double[n];
        scale = new double[n];
        java.util.Arrays.fill(mean, 5);
        java.util.Arrays.fill(scale, 0.3);
        theta = new double[n + 1];
        g = new double[n + 1];
    }

    /** The kernel on one 128-row block; returns one sum so the work is used. */
    @Benchmark
    public double simdBlock() {
        Kernels.crossProductsAdd(block, BLOCK, k, BLOCK, v, c, d);
        return c[k * k - 1] + d[0];
    }

    /** The same sums with the plain triple loop (dot products in row order). */
    @Benchmark
    public double plainBlock() {
        plain(block, BLOCK, k, BLOCK, v, c, d);
        return c[k * k - 1] + d[0];
    }

    /** The library's whole Gram pass over 65,536 row-major rows (standardization + kernel per block). */
    @Benchmark
    public double crossProductsPass() {
        CrossProducts.addRowMajor(x, ROWS, n, y, mean, scale, true, 0.5, c, d);
        return c[0];
    }

    /** One fused gradient pass (residuals and Xᵀr) over the same rows, for scale. */
    @Benchmark
    public double gradientPass() {
        return Kernels.lossGradientAdd(Matrix.rowMajor(x, ROWS, n), theta, 0.1, StridedVector.of(y), g, 0, ROWS);
    }

    static void plain(double[] a, int lda, int k, int cnt, double[] v, double[] c, double[] d) {
        for (int p = 0; p < k; p++) {
            for (int q = p; q < k; q++) {
                double acc = 0;
                for (int r = 0; r < cnt; r++) acc += a[p * lda + r] * a[q * lda + r];
                c[p * k + q] += acc;
            }
            double acc = 0;
            for (int r = 0; r < cnt; r++) acc += a[p * lda + r] * v[r];
            d[p] += acc;
        }
    }
}
