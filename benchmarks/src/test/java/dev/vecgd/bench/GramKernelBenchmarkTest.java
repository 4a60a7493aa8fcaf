package dev.vecgd.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three methods of {@link GramKernelBenchmark} compute the same sums (so the comparison is fair). */
class GramKernelBenchmarkTest {

    @Test
    void theThreeKernelsAgree() {
        for (int k : new int[]{8, 16, 32, 64, 256}) {
            GramKernelBenchmark[] b = new GramKernelBenchmark[3];
            for (int i = 0; i < 3; i++) {
                b[i] = new GramKernelBenchmark();
                b[i].k = k;
                b[i].setUp();
            }
            b[0].registerBlocked();
            b[1].crossProducts();
            b[2].naive();
            for (int p = 0; p < k; p++) {
                for (int q = p; q < k; q++) {
                    double want = b[2].c[p * k + q];
                    assertEquals(want, b[0].c[p * k + q], 1e-12 * b[0].rows, "registerBlocked k=" + k);
                    assertEquals(want, b[1].c[p * k + q], 1e-12 * b[0].rows, "crossProducts k=" + k);
                }
            }
        }
        assertTrue(Double.isFinite(new FmaPeakBenchmark().twelveChains()));
    }
}
