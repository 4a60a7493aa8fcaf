package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.RowChunks;
import dev.vecgd.data.RowRange;
import dev.vecgd.kernel.Kernels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class GradientBufferTest {

    private final Dataset data = TestProblems.synthetic(1003, 5, 0.1, 7);
    private final double[] p = {0.3, -0.2, 0.1, 0.05, -0.4, 1.5};

    /**
     * Against sums written out in the test (not the kernel {@code accumulate} delegates to): r_i = x_i·θ + b − y_i,
     * Σ r_i·x_ij, Σ r_i, Σ r_i², the row count, the mean gradient (÷ rows) and the loss Σr²/(2m), over two
     * ranges added into one buffer.
     */
    @Test
    void accumulateAddsTheSumsOfItsRows() {
        GradientBuffer buf = new GradientBuffer(5);
        buf.accumulate(data, p, 0, 300);
        buf.accumulate(data, p, 700, 1003);
        double[] g = new double[6];
        double ss = 0;
        double size = 0;
        for (int i = 0; i < 1003; i++) {
            if (i >= 300 && i < 700) continue;
            double r = p[5] - data.y(i);
            for (int j = 0; j < 5; j++) r += data.x(i, j) * p[j];
            for (int j = 0; j < 5; j++) g[j] += r * data.x(i, j);
            g[5] += r;
            ss += r * r;
            double big = 1;
            for (int j = 0; j < 5; j++) big = Math.max(big, Math.abs(data.x(i, j)));
            size += Math.abs(r) * big;
        }
        assertEquals(603, buf.rows());
        for (int j = 0; j <= 5; j++) assertEquals(g[j], buf.sum(j), 1e-12 * size, "Σ component " + j);
        assertEquals(ss, buf.sumSquares(), 1e-12 * ss);
        double[] mean = buf.meanGradient();
        for (int j = 0; j <= 5; j++) assertEquals(g[j] / 603, mean[j], 1e-12 * size / 603, "mean component " + j);
        assertEquals(ss / (2 * 603), buf.loss(), 1e-12 * ss);
        buf.zeroGrad();
        assertEquals(0, buf.rows());
        for (int j = 0; j <= 5; j++) assertEquals(0.0, buf.sum(j));
    }

    @Test
    void oneChunkIsBitForBitTheFusedKernel() {
        GradientBuffer buf = new GradientBuffer(5);
        double ss = buf.accumulate(data, p);
        double[] g = new double[6];
        double direct = Kernels.lossGradientAdd(data.x(), p, p[5], data.y(), g, 0, data.rows());
        assertEquals(direct, ss);
        assertEquals(direct, buf.sumSquares());
        for (int j = 0; j <= 5; j++) assertEquals(g[j], buf.sum(j), "component " + j);
        assertEquals(1003, buf.rows());
        double[] mean = buf.meanGradient();
        for (int j = 0; j <= 5; j++) assertEquals(g[j] / 1003, mean[j], 1e-15 * Math.abs(g[j]));
    }

    @Test
    void chunkedAccumulationEqualsWholeData() {
        GradientBuffer whole = new GradientBuffer(5);
        whole.accumulate(data, p);
        for (int chunk : new int[] {1, 7, 64, 500, 1003, 5000}) {
            GradientBuffer parts = new GradientBuffer(5);
            for (RowRange r : RowChunks.of(data.rows(), chunk).asList()) parts.accumulate(data, p, r.from(), r.to());
            assertEquals(whole.rows(), parts.rows());
            double[] a = whole.meanGradient().clone();
            double[] b = parts.meanGradient();
            for (int j = 0; j <= 5; j++) {
                if (chunk >= data.rows() || (!Kernels.isVectorized() && j < 5)) {
                    // one chunk is the same call; the scalar kernel adds row by row straight into g[j] (j < n),
                    // so chunking keeps the summation order: identical bits. Σr and Σr² are per-call partial
                    // sums added into the buffer, so they agree to rounding only.
                    assertEquals(whole.sum(j), parts.sum(j), "chunk " + chunk + " component " + j);
                } else {
                    assertEquals(a[j], b[j], 1e-12 * (Math.abs(a[j]) + 1), "chunk " + chunk + " component " + j);
                }
            }
            assertEquals(whole.sumSquares(), parts.sumSquares(), 1e-12 * whole.sumSquares());
        }
    }

    @Test
    void addFromCombinesPartials() {
        GradientBuffer a = new GradientBuffer(5);
        GradientBuffer b = new GradientBuffer(5);
        a.accumulate(data, p, 0, 400);
        b.accumulate(data, p, 400, 1003);
        a.addFrom(b);
        GradientBuffer whole = new GradientBuffer(5);
        whole.accumulate(data, p);
        assertEquals(1003, a.rows());
        for (int j = 0; j <= 5; j++) assertEquals(whole.sum(j), a.sum(j), 1e-12 * (Math.abs(whole.sum(j)) + 1));
    }

    @Test
    void addTakesRawSumsAndChecksThem() {
        GradientBuffer buf = new GradientBuffer(2);
        assertEquals(2, buf.coefficients());
        buf.add(new double[] {1, 2, 3}, 4, 10);
        buf.add(new double[] {0.5, 0.25, -1, 99}, 0, 2); // longer arrays: the first n + 1 values; 0 rows is allowed
        assertEquals(4, buf.rows());
        assertEquals(1.5, buf.sum(0));
        assertEquals(2.25, buf.sum(1));
        assertEquals(2.0, buf.sum(2));
        assertEquals(12.0, buf.sumSquares());
        assertEquals(12.0 / 8, buf.loss());
        assertArrayEquals(new double[] {1.5 / 4, 2.25 / 4, 2.0 / 4}, buf.meanGradient());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> buf.add(new double[2], 1, 0));
        assertTrue(e.getMessage().contains("n + 1 = 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> buf.add(new double[3], -1, 0));
        e = assertThrows(IllegalArgumentException.class, () -> buf.accumulate(data, p));
        assertTrue(e.getMessage().contains("5 columns") && e.getMessage().contains("for 2"), e.getMessage());
        GradientBuffer five = new GradientBuffer(5);
        e = assertThrows(IllegalArgumentException.class, () -> five.accumulate(data, new double[5]));
        assertTrue(e.getMessage().contains("n + 1 = 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> five.addFrom(buf));
        assertThrows(IllegalStateException.class, new GradientBuffer(1)::loss);
    }

    @Test
    void emptyBufferHasNoGradient() {
        GradientBuffer buf = new GradientBuffer(3);
        assertThrows(IllegalStateException.class, buf::meanGradient);
    }

    /** The user-driven loop of the javadoc, with and without zeroGrad(). */
    private double[] userLoop(boolean zeroGrad, int iterations) {
        // no standardization here: a small, well-scaled problem so plain GD with a fixed α converges
        double[][] arr = TestProblems.syntheticArrays(400, 2, 0.05, 11);
        double[] x = arr[0];
        for (int i = 0; i < x.length; i++) x[i] = (x[i] - (i % 2) * 10) / (1 + i % 2); // roughly unit scale
        Dataset d = Dataset.rowMajor(x, 400, 2, arr[1]);
        double[] params = new double[3];
        GradientBuffer grad = new GradientBuffer(2);
        Optimizer gd = new PlainGradientDescent();
        for (int it = 0; it < iterations; it++) {
            if (zeroGrad) grad.zeroGrad();
            for (RowRange c : RowChunks.of(400, 64).asList()) grad.accumulate(d, params, c.from(), c.to());
            gd.step(params, grad, 0.3);
        }
        double[] exact = TestProblems.normalEquations(d, true, 0);
        double err = 0;
        for (int j = 0; j <= 2; j++) err = Math.max(err, TestProblems.relErr(params[j], exact[j]));
        return new double[] {err, params[0], exact[0]};
    }

    @Test
    void chunkedLoopWithZeroGradConverges() {
        double[] r = userLoop(true, 400);
        assertTrue(r[0] < 1e-10, "relative error " + r[0]);
    }

    @Test
    void forgettingZeroGradGivesTheWrongTheta() {
        // Without zeroGrad the buffer sums every past gradient and divides by all rows seen: each step
        // uses the average gradient over the whole trajectory, so after the same number of steps θ is
        // far from the least-squares solution (and it moves less and less: rows grows every step).
        double[] r = userLoop(false, 400);
        assertTrue(r[0] > 1e-3, "expected a visibly wrong θ, relative error " + r[0]);
        System.out.printf("forgot zeroGrad: theta_1 = %.9f vs least squares %.9f (max relative error %.3g)%n",
                r[1], r[2], r[0]);
    }
}
