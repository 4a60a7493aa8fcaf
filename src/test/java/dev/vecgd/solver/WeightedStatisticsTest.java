package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link WeightedFit}'s pieces: the normalized weights v = w·m/W (all 1 for equal weights, which keep the unweighted
 * statistics), the counts, the weighted means and standard deviations against BigDecimal sums, and the
 * frequency-weights rescaling of {@link WeightedFit#finish} (σ̂ = √(Σ w r²/(W − p)), standard errors times
 * √((m − p)/(W − p))) on a hand-built result.
 */
class WeightedStatisticsTest {

    private static final MathContext MC = new MathContext(40);

    @Test
    void normalizedWeightsAndCounts() {
        Dataset d = Dataset.rowMajor(new double[]{1, 2, 3, 5}, 4, 1, new double[]{1, 0, 2, 7});
        WeightedFit wf = WeightedFit.of(d, new double[]{1, 0, 2, 5}, true, true);
        assertEquals(8, wf.totalWeight);
        assertEquals(3, wf.positive);
        assertArrayEquals(new double[]{0.5, 0, 1, 2.5}, wf.v, 1e-15, "w·m/W");
        WeightedFit equal = WeightedFit.of(d, new double[]{3, 3, 3, 3}, true, true);
        assertArrayEquals(new double[]{1, 1, 1, 1}, equal.v, 0);
        assertEquals(12, equal.totalWeight);
        Standardization plain = Standardization.compute(d, true, true);
        assertEquals(plain.columnMean(0), equal.scaling.columnMean(0), 0, "equal weights: the unweighted statistics");
        assertEquals(plain.columnStd(0), equal.scaling.columnStd(0), 0);
        assertEquals(TargetStats.of(d), equal.targets);
    }

    @Test
    void weightedMomentsAgainstExactSums() {
        SplittableRandom rnd = new SplittableRandom(8);
        int m = 301;
        double[] x = new double[m * 2];
        double[] y = new double[m];
        double[] w = new double[m];
        for (int i = 0; i < m; i++) {
            x[2 * i] = 5 + TestProblems.gaussian(rnd);
            x[2 * i + 1] = -3 * rnd.nextDouble();
            y[i] = 2 * x[2 * i] + rnd.nextDouble();
            w[i] = i % 5 == 0 ? 0 : 0.5 + rnd.nextInt(4);
        }
        Dataset d = Dataset.rowMajor(x, m, 2, y);
        WeightedFit wf = WeightedFit.of(d, w, true, true);
        for (int j = 0; j <= 2; j++) {
            BigDecimal sw = BigDecimal.ZERO, swx = BigDecimal.ZERO;
            for (int i = 0; i < m; i++) {
                double v = j < 2 ? x[2 * i + j] : y[i];
                sw = sw.add(new BigDecimal(w[i]));
                swx = swx.add(new BigDecimal(w[i]).multiply(new BigDecimal(v)));
            }
            BigDecimal mean = swx.divide(sw, MC);
            BigDecimal q = BigDecimal.ZERO;
            for (int i = 0; i < m; i++) {
                BigDecimal dv = new BigDecimal(j < 2 ? x[2 * i + j] : y[i]).subtract(mean);
                q = q.add(new BigDecimal(w[i]).multiply(dv).multiply(dv));
            }
            double sd = q.divide(sw, MC).sqrt(MC).doubleValue();
            double gotMean = j < 2 ? wf.scaling.columnMean(j) : wf.targets.mean();
            double gotSd = j < 2 ? wf.scaling.columnStd(j) : wf.targets.centeredRms();
            assertEquals(mean.doubleValue(), gotMean, 1e-13 * Math.abs(mean.doubleValue()) + 1e-15, "mean " + j);
            assertEquals(sd, gotSd, 1e-12 * sd, "sd " + j);
        }
        assertEquals(m, wf.targets.rows());
    }

    @Test
    void badWeightsAreNamed() {
        Dataset d = Dataset.rowMajor(new double[]{1, 2, 3}, 3, 1, new double[3]);
        assertEquals("2 sample weights for 3 rows", assertThrows(IllegalArgumentException.class,
                () -> WeightedFit.of(d, new double[2], true, true)).getMessage());
        assertEquals("the sample weight of row 1 is -1.0: weights must be finite and >= 0 (0 excludes the row)",
                assertThrows(IllegalArgumentException.class,
                        () -> WeightedFit.of(d, new double[]{1, -1, 1}, true, true)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WeightedFit.of(d, new double[]{1, 1,
                Double.POSITIVE_INFINITY}, true, true)).getMessage().startsWith("the sample weight of row 2 is Infinity"));
        assertEquals("every sample weight is 0: no row to fit", assertThrows(IllegalArgumentException.class,
                () -> WeightedFit.of(d, new double[3], true, true)).getMessage());
        assertEquals("overflow: the sample weights sum to Infinity", assertThrows(IllegalArgumentException.class,
                () -> WeightedFit.of(d, new double[]{1e308, 1e308, 0}, true, true)).getMessage());
    }

    @Test
    void finishRescalesToFrequencyWeights() {
        FitResult r = new FitResult(new double[]{1, 2}, 3, 4, true, StopReason.CONVERGED, "ok", 0.5, 1e-9, 1e-10, 0.1,
                6, new int[]{0}, new double[]{1}, new double[]{1}, 7, 0.9, 2, "impl", "normal", 99,
                new double[]{1, 4}, 0.5, 12, "", new int[0]);
        // rmse 2, W = 10, p = 3, m = 5: Σ w r² = 4·10 = 40, σ̂ = √(40/7), factor √((5 − 3)/(10 − 3))
        FitResult f = WeightedFit.finish(r, 3, 5, 10);
        double factor = Math.sqrt(2.0 / 7);
        assertEquals(Math.sqrt(40.0 / 7), f.residualStd(), 1e-15);
        assertArrayEquals(new double[]{factor, 4 * factor}, f.standardErrors(), 1e-15);
        assertEquals(0.5 * factor, f.interceptStandardError(), 1e-15);
        assertArrayEquals(r.coefficients(), f.coefficients(), 0);
        assertEquals(12, f.conditionNumber());
        assertEquals(2, f.rmse());
        // no degrees of freedom left (W ≤ p): NaN, never a number from a negative count
        FitResult none = WeightedFit.finish(r, 3, 5, 3);
        assertTrue(Double.isNaN(none.residualStd()));
        assertTrue(Double.isNaN(none.standardErrors()[0]));
        FitResult fewRows = WeightedFit.finish(r, 5, 5, 10);
        assertTrue(Double.isNaN(fewRows.standardErrors()[1]), "m ≤ p: no standard errors");
        assertEquals(Math.sqrt(40.0 / 5), fewRows.residualStd(), 1e-15);
    }
}
