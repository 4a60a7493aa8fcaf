package dev.vecgd.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two block methods of {@link GramBenchmark} compute the same sums (so the comparison is fair). */
class GramBenchmarkTest {

    @Test
    void simdAndPlainBlocksAgreeAndThePassesRun() {
        for (int k : new int[]{5, 17, 33}) {
            GramBenchmark a = new GramBenchmark();
            a.k = k;
            a.setUp();
            GramBenchmark b = new GramBenchmark();
            b.k = k;
            b.setUp();
            a.simdBlock();
            b.plainBlock();
            for (int i = 0; i < k; i++) {
                for (int j = i; j < k; j++) {
                    assertEquals(b.c[i * k + j], a.c[i * k + j], 1e-12 * (1 + Math.abs(b.c[i * k + j])), "k=" + k);
                }
                assertEquals(b.d[i], a.d[i], 1e-12 * (1 + Math.abs(b.d[i])));
            }
            assertTrue(Double.isFinite(a.crossProductsPass()));
            assertTrue(Double.isFinite(a.gradientPass()));
        }
    }
}
