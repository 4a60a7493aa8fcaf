package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link SufficientStatistics} against exact sums in BigDecimal on columns with an offset of 1e6 (the chunk means'
 * correction pass and the pairwise update must keep the centred cross products accurate): the means, C, the standard
 * deviations, the gradient sums from the statistics and the Gram matrix from them (both against direct sums), and the
 * argument checks.
 */
class SufficientStatisticsTest {

    private static final MathContext MC = new MathContext(50);
    private static final int N = 2;
    private static final int[] SIZES = {3, 400, 1, 257};

    private final double[][] x;
    private final double[] y;

    SufficientStatisticsTest() {
        SplittableRandom rnd = new SplittableRandom(14);
        int m = 0;
        for (int s : SIZES) m += s;
        x = new double[m][N];
        y = new double[m];
        for (int i = 0; i < m; i++) {
            x[i][0] = 1e6 + TestProblems.gaussian(rnd);
            x[i][1] = -3 + 0.5 * TestProblems.gaussian(rnd) + 0.2 * x[i][0] - 2e5;
            y[i] = 1e6 + 2 * (x[i][0] - 1e6) - x[i][1] + 0.1 * TestProblems.gaussian(rnd);
        }
    }

    private List<Dataset> chunks() {
        List<Dataset> out = new ArrayList<>();
        int from = 0;
        for (int s : SIZES) {
            double[][] cx = new double[s][];
            double[] cy = new double[s];
            for (int i = 0; i < s; i++) {
                cx[i] = x[from + i];
                cy[i] = y[from + i];
            }
            out.add(Dataset.of(cx, cy));
            from += s;
        }
        return out;
    }

    private double v(int i, int j) {
        return j < N ? x[i][j] : y[i];
    }

    @Test
    void meansAndCentredCrossProductsAreExactToRounding() {
        SufficientStatistics s = SufficientStatistics.of(chunks());
        int m = y.length;
        assertEquals(m, s.rows());
        assertEquals(N, s.cols());
        BigDecimal[] mean = new BigDecimal[N + 1];
        for (int j = 0; j <= N; j++) {
            BigDecimal t = BigDecimal.ZERO;
            for (int i = 0; i < m; i++) t = t.add(new BigDecimal(v(i, j)));
            mean[j] = t.divide(BigDecimal.valueOf(m), MC);
            assertEquals(mean[j].doubleValue(), s.means()[j], 2 * Math.ulp(mean[j].doubleValue()), "mean " + j);
        }
        double[] c = s.centeredCrossProducts();
        double[] sd = s.standardDeviations();
        for (int p = 0; p <= N; p++) {
            for (int q = 0; q <= N; q++) {
                BigDecimal t = BigDecimal.ZERO;
                for (int i = 0; i < m; i++) {
                    t = t.add(new BigDecimal(v(i, p)).subtract(mean[p]).multiply(new BigDecimal(v(i, q)).subtract(mean[q])));
                }
                double want = t.doubleValue();
                double scale = Math.sqrt(c[p * (N + 1) + p] * c[q * (N + 1) + q]);
                assertEquals(want, c[p * (N + 1) + q], 1e-10 * scale, "C[" + p + "][" + q + "]");
            }
            assertEquals(Math.sqrt(c[p * (N + 1) + p] / m), sd[p], 1e-15 * sd[p]);
        }
    }

    @Test
    void gradientSumsFromTheStatistics() {
        SufficientStatistics s = SufficientStatistics.of(chunks());
        double[] p = {1.5, -0.5, 3};
        GradientBuffer into = new GradientBuffer(N);
        s.gradientSource().accumulate(p, into);
        double[] g = new double[N + 1];
        double ss = 0;
        for (int i = 0; i < y.length; i++) {
            double r = p[0] * x[i][0] + p[1] * x[i][1] + p[2] - y[i];
            g[0] += r * x[i][0];
            g[1] += r * x[i][1];
            g[2] += r;
            ss += r * r;
        }
        for (int j = 0; j <= N; j++) assertEquals(g[j], into.sum(j), 1e-9 * Math.abs(g[j]), "sum " + j);
        assertEquals(ss, into.sumSquares(), 1e-9 * ss);
        assertEquals(y.length, into.rows());
        assertEquals(y.length, s.gradientSource().rows());
    }

    @Test
    void gramMatrixFromTheStatistics() {
        SufficientStatistics s = SufficientStatistics.of(chunks());
        double[] all = new double[y.length * N];
        for (int i = 0; i < y.length; i++) System.arraycopy(x[i], 0, all, i * N, N);
        Dataset d = Dataset.rowMajor(all, y.length, N, y.clone());
        for (boolean intercept : new boolean[]{true, false}) {
            Standardization st = Standardization.compute(d, true, intercept);
            double shift = intercept ? TargetStats.of(d).mean() : 0;
            GramMatrix want = GramMatrix.accumulate(d, st, intercept, shift);
            GramMatrix got = s.gram(st, intercept, shift);
            assertEquals(want.k, got.k);
            for (int e = 0; e < want.g.length; e++) {
                assertEquals(want.g[e], got.g[e], 1e-9 * (1 + Math.abs(want.g[e])), "G[" + e + "], intercept " + intercept);
            }
            for (int e = 0; e < want.rhs.length; e++) {
                assertEquals(want.rhs[e], got.rhs[e], 1e-9 * (1 + Math.abs(want.rhs[e])), "c[" + e + "], intercept " + intercept);
            }
        }
    }

    @Test
    void argumentsAreChecked() {
        assertEquals("n must be >= 0, got -1", assertThrows(IllegalArgumentException.class,
                () -> new SufficientStatistics(-1)).getMessage());
        SufficientStatistics s = new SufficientStatistics(N);
        assertEquals("the chunk has 1 feature columns, the statistics 2", assertThrows(IllegalArgumentException.class,
                () -> s.add(Dataset.rowMajor(new double[]{1}, 1, 1, new double[]{1}))).getMessage());
        assertEquals("statistics of 1 and 2 columns", assertThrows(IllegalArgumentException.class,
                () -> s.merge(new SufficientStatistics(1))).getMessage());
        assertEquals("no chunks: nothing to fit", assertThrows(IllegalArgumentException.class,
                () -> SufficientStatistics.of(List.of())).getMessage());
        s.merge(new SufficientStatistics(N));
        assertEquals(0, s.rows());
        SufficientStatistics one = new SufficientStatistics(N).add(chunks().get(0));
        s.merge(one);
        assertArrayEquals(one.means(), s.means(), 0, "merged into empty statistics: a copy");
        assertArrayEquals(one.centeredCrossProducts(), s.centeredCrossProducts(), 0);
    }
}
