package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 18: {@link LinearRegression#warmUp()} runs, and no result depends on it. */
class WarmUpTest {

    @Test
    void warmUpLeavesResultsUnchanged() {
        Dataset d = TestProblems.synthetic(2000, 4, 0.1, 3);
        FitResult before = LinearRegression.fit(d);
        Duration t = LinearRegression.warmUp();
        System.out.println("LinearRegression.warmUp(): " + t.toMillis() + " ms");
        assertTrue(t.toNanos() > 0);
        FitResult after = LinearRegression.fit(d);
        assertEquals(before.model(), after.model(), "the same fit before and after the warm-up");
    }
}
