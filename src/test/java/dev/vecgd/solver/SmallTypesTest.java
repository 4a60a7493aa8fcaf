package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The small value types and their argument checks: {@link StepSchedule} (formulas, limits, names), {@link Precision}
 * (ids and parsing), {@link ParallelGradientSource} (its checks, thread count and one gradient pass against direct
 * sums).
 */
class SmallTypesTest {

    @Test
    void stepSchedules() {
        assertEquals(0, new StepSchedule(StepSchedule.Kind.CONSTANT, 5).parameter(), "constant ignores its parameter");
        assertEquals(1, StepSchedule.inverseScaling(1).parameter(), "power 1 is allowed");
        assertEquals(0.25, StepSchedule.inverseScaling(1).factor(3), 0);
        assertEquals(1.0 / 9, StepSchedule.inverseScaling(1).factor(8), 1e-16);
        assertEquals(0.5, StepSchedule.inverseTime(4).factor(4), 0);
        assertEquals(1, StepSchedule.inverseTime(4).factor(0), 0);
        assertThrows(IllegalArgumentException.class, () -> StepSchedule.inverseScaling(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> StepSchedule.inverseTime(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> StepSchedule.inverseTime(-1));
        assertEquals("schedule kind is null", assertThrows(IllegalArgumentException.class,
                () -> new StepSchedule(null, 1)).getMessage());
        assertEquals("inverse-scaling power must be in (0, 1], got 1.5", assertThrows(IllegalArgumentException.class,
                () -> StepSchedule.inverseScaling(1.5)).getMessage());
        assertEquals("inverse-time t0 must be finite and > 0 epochs, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> StepSchedule.inverseTime(0)).getMessage());
        assertEquals("constant", StepSchedule.constant().toString());
        assertEquals("invscaling(power 0.500)", StepSchedule.inverseScaling(0.5).toString());
        assertEquals("1/(1+t/t0)(t0 2.00 epochs)", StepSchedule.inverseTime(2).toString());
    }

    @Test
    void precisions() {
        assertEquals("standard", Precision.STANDARD.id());
        assertEquals("extended", Precision.EXTENDED.id());
        assertEquals(Precision.EXTENDED, Precision.parse("Extended"));
        assertEquals(Precision.STANDARD, Precision.parse("standard"));
        assertEquals("unknown precision 'quad' (standard or extended)", assertThrows(IllegalArgumentException.class,
                () -> Precision.parse("quad")).getMessage());
    }

    @Test
    void parallelGradientSource() {
        Dataset d = Dataset.rowMajor(new double[]{1, 2, 3, 4, 5, 6}, 3, 2, new double[]{1, 0, -1});
        assertEquals("chunkRows must be >= 1 (or 0 = automatic), got -1", assertThrows(IllegalArgumentException.class,
                () -> new ParallelGradientSource(d, -1, 1)).getMessage());
        assertEquals("threads must be >= 0 (0 = automatic), got -2", assertThrows(IllegalArgumentException.class,
                () -> new ParallelGradientSource(d, 0, -2)).getMessage());
        try (ParallelGradientSource s = new ParallelGradientSource(d, 1, 2)) {
            assertEquals(2, s.threads());
            assertEquals(3, s.rows());
            GradientBuffer into = new GradientBuffer(2);
            double[] p = {0.5, -1, 2};
            s.accumulate(p, into);
            s.accumulate(p, into); // added to, never zeroed
            // r_i = 0.5·x_i0 − x_i1 + 2 − y_i, summed directly
            double[] r = new double[3];
            for (int i = 0; i < 3; i++) r[i] = 0.5 * d.x(i, 0) - d.x(i, 1) + 2 - d.y(i);
            for (int j = 0; j < 2; j++) {
                double g = 0;
                for (int i = 0; i < 3; i++) g += r[i] * d.x(i, j);
                assertEquals(2 * g, into.sum(j), 1e-15, "sum " + j);
            }
            assertEquals(2 * (r[0] + r[1] + r[2]), into.sum(2), 1e-15);
            assertEquals(2 * (r[0] * r[0] + r[1] * r[1] + r[2] * r[2]), into.sumSquares(), 1e-15);
            assertEquals(6, into.rows());
        }
    }

    @Test
    void chunkedGradientSource() {
        Dataset d = Dataset.rowMajor(new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5, 2, new double[]{1, 0, -1, 2, 3});
        ChunkedGradientSource s = new ChunkedGradientSource(d, 2); // chunks of 2, 2 and 1 rows
        assertEquals(5, s.rows());
        GradientBuffer into = new GradientBuffer(2);
        double[] p = {0.5, -1, 2};
        s.accumulate(p, into);
        double g0 = 0, g1 = 0, g2 = 0, ss = 0;
        for (int i = 0; i < 5; i++) {
            double r = 0.5 * d.x(i, 0) - d.x(i, 1) + 2 - d.y(i);
            g0 += r * d.x(i, 0);
            g1 += r * d.x(i, 1);
            g2 += r;
            ss += r * r;
        }
        assertEquals(g0, into.sum(0), 1e-13);
        assertEquals(g1, into.sum(1), 1e-13);
        assertEquals(g2, into.sum(2), 1e-13);
        assertEquals(ss, into.sumSquares(), 1e-13);
        assertEquals(5, into.rows(), "every chunk's rows, the last one included");
    }
}
