package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 18: {@link LinearRegression#warmUp()} runs, reports its own duration, and no result depends on it. */
class WarmUpTest {

    @Test
    void warmUpLeavesResultsUnchanged() {
        Dataset d = TestProblems.synthetic(2000, 4, 0.1, 3);
        FitResult before = LinearRegression.fit(d);
        long t0 = System.nanoTime();
        Duration t = LinearRegression.warmUp();
        long elapsed = System.nanoTime() - t0;
        System.out.println("LinearRegression.warmUp(): " + t.toMillis() + " ms");
        assertTrue(t.toNanos() > 0 && t.toNanos() <= elapsed, "the time it reports, " + t + ", is within the "
                + elapsed + " ns measured around it");
        FitResult after = LinearRegression.fit(d);
        assertEquals(before.model(), after.model(), "the same fit before and after the warm-up");
    }
}
