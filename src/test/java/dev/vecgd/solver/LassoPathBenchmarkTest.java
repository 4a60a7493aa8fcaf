package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The harness of {@link LassoPathBenchmark} on a tiny problem (2000 × 20), so the normal suite proves it works: every
 * fit of both methods reaches the target gap (checked again from a fresh pass), the supports agree, FISTA needs fewer
 * passes in total, and the table has a row per λ and the totals.
 */
class LassoPathBenchmarkTest {

    @Test
    void tinyPathReachesTheGapWithBothMethods() {
        Dataset d = LassoPathBenchmark.problem(2000, 20, 4, 0.3, 20);
        double gap = 1e-6;
        LassoPathBenchmark.Result r = LassoPathBenchmark.run(d, 6, 0.01, gap, 20_000, 1);
        assertEquals(6, r.rows().size());
        assertTrue(r.lambdaMax() > 0);
        assertTrue(r.setupFista() >= 2 && r.setupIsta() >= 2, "λ_max gradient and power iteration: " + r);
        int maxNonzeros = 0;
        for (LassoPathBenchmark.Row row : r.rows()) {
            for (LassoPathBenchmark.Method m : new LassoPathBenchmark.Method[] {row.fista(), row.ista()}) {
                assertEquals(StopReason.CONVERGED, m.stop(), "λ " + row.lambda() + ": " + m);
                assertTrue(m.gap() <= gap, "λ " + row.lambda() + ": gap " + m.gap());
                assertTrue(m.passes() >= 1 && m.seconds() >= 0, m.toString());
            }
            maxNonzeros = Math.max(maxNonzeros, row.fista().nonzeros());
        }
        assertEquals(0, r.rows().get(0).fista().nonzeros(), "at λ_max every coefficient is 0");
        assertEquals(1, r.rows().get(0).fista().passes(), "at λ_max the start is optimal: one evaluation");
        assertTrue(maxNonzeros >= 4, "the path must reach the true support, got " + maxNonzeros);
        assertTrue(r.passes(true) < r.passes(false), "FISTA " + r.passes(true) + " vs gd " + r.passes(false) + " passes");
        String table = LassoPathBenchmark.table(r);
        assertEquals(2 + 6 + 1, table.split("\n").length, table);
        assertTrue(table.contains("**total**"), table);
    }
}
