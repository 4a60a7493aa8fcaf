package example;

import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.StridedVector;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Does vecgd pay off for <em>your</em> data shape? One full-batch gradient pass (residuals, Xᵀr and Σr² in one read
 * of X) with vecgd's fused kernel against the plain Java loop you would otherwise write, on your rows × cols.
 * Set the shape with {@code -p rows=… -p cols=…}; compare the two scores (lower is better). Setup checks that both
 * compute the same gradient, so a fast wrong answer cannot win.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class YourShapeBenchmark {

    @Param({"100000"})
    public int rows;

    @Param({"12"})
    public int cols;

    private double[] x;
    private double[] y;
    private double[] theta;
    private double[] g;
    private Matrix matrix;
    private StridedVector target;

    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(1);
        x = new double[rows * cols];
        y = new double[rows];
        theta = new double[cols];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        for (int i = 0; i < rows; i++) y[i] = rnd.nextGaussian();
        for (int j = 0; j < cols; j++) theta[j] = rnd.nextGaussian();
        g = new double[cols + 1];
        matrix = Matrix.rowMajor(x, rows, cols);
        target = StridedVector.of(y);
        double[] expected = new double[cols + 1];
        double ssLoop = plainLoop(expected);
        java.util.Arrays.fill(g, 0);
        double ss = Kernels.lossGradientAdd(matrix, theta, 0.5, target, g, 0, rows);
        for (int j = 0; j <= cols; j++) requireClose("gradient[" + j + "]", g[j], expected[j], Math.abs(ssLoop));
        requireClose("sum of squared residuals", ss, ssLoop, ssLoop);
        System.out.println("# vecgd kernels: " + Kernels.implementation());
    }

    /** vecgd: g += Xᵀr, g[n] += Σr; returns Σr², r = Xθ + b − y, never stored. */
    @Benchmark
    public double vecgd() {
        java.util.Arrays.fill(g, 0);
        return Kernels.lossGradientAdd(matrix, theta, 0.5, target, g, 0, rows);
    }

    /** The same pass as plain loops over the row-major array. */
    @Benchmark
    public double plainLoop() {
        java.util.Arrays.fill(g, 0);
        return plainLoop(g);
    }

    private double plainLoop(double[] grad) {
        double ss = 0;
        for (int i = 0; i < rows; i++) {
            int row = i * cols;
            double r = 0.5 - y[i];
            for (int j = 0; j < cols; j++) r += x[row + j] * theta[j];
            for (int j = 0; j < cols; j++) grad[j] += r * x[row + j];
            grad[cols] += r;
            ss += r * r;
        }
        return ss;
    }

    private static void requireClose(String what, double actual, double expected, double scale) {
        if (Math.abs(actual - expected) > 1e-12 * Math.max(1, scale)) {
            throw new IllegalStateException("vecgd and the plain loop disagree on " + what + ": " + actual + " vs " + expected);
        }
    }
}
