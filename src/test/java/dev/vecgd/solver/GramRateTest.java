package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The automatic rate from the Gram matrix ({@link LearningRates#largestEigenvalue(GramMatrix, double, double)}): L
 * against the largest eigenvalue of H = G + λP computed in the test by cyclic Jacobi rotations (a different
 * algorithm), and the fits that use it — gd, momentum, nesterov on row-major data with at most
 * {@link LinearRegression#FIRST_ORDER_ONE_PASS_MAX_COLUMNS} columns — read X once before their gradient passes
 * (the one-pass preparation) instead of three times plus the power iteration's passes, and reach the same answer
 * as the column-major (classic) fit of the same data.
 */
class GramRateTest {

    @ParameterizedTest(name = "m={0} n={1} rho={2} l2={3} intercept={4}")
    @CsvSource({"2000, 5, 0.5, 0, true", "3000, 12, 0.05, 0, true", "1500, 7, 0.2, 0.1, true", "1000, 9, 0.3, 0, false",
            "800, 64, 1, 0, true"})
    void theRateFromTheGramMatrixIsTheLargestEigenvalueAndSavesPasses(int m, int n, double rho, double l2, boolean intercept) {
        Dataset[] d = PreconditionedCgTest.correlated(m, n, rho, 31L * n + m);
        FitOptions o = FitOptions.builder().solver("gd").intercept(intercept).l2(l2).maxIterations(50).build();
        OnePassNormal.Prepared one = OnePassNormal.of(d[0], o);
        GramMatrix gm = one.gram();
        double l = LearningRates.largestEigenvalue(gm, l2, one.scaling().trace());
        double[] h = gm.hessian(l2);
        double want = jacobiLargest(h, gm.k);
        assertEquals(want, l, 1e-8 * want, "L from the Gram matrix vs Jacobi");
        for (String solver : new String[]{"gd", "momentum", "nesterov"}) {
            FitOptions so = FitOptions.builder().solver(solver).intercept(intercept).l2(l2).maxIterations(50).build();
            FitResult row = LinearRegression.fit(d[0], so);
            FitResult col = LinearRegression.fit(d[1], so);
            assertEquals(0.9 / want, row.learningRate(), 1e-8 * (0.9 / want), solver + " rate (AUTO_SAFETY / L)");
            assertEquals(row.learningRate(), col.learningRate(), 1e-12 * row.learningRate(), solver + " row vs column-major rate");
            // row-major: 1 preparation read + one per gradient; column-major: 3 preparation reads + 1 Gram pass + the same
            assertEquals(row.passes() + 3, col.passes(), solver + ": row " + row.passes() + ", column " + col.passes());
            assertEquals(1 + row.iterations() + 1, row.passes(), solver + " row-major passes: preparation, start, one per step");
            for (int j = 0; j < n; j++) {
                assertEquals(col.coefficient(j), row.coefficient(j), 1e-9 * Math.max(1, Math.abs(col.coefficient(j))), solver + " θ" + j);
            }
        }
    }

    /** The largest eigenvalue of the symmetric k × k matrix a (row-major, full) by cyclic Jacobi rotations. */
    static double jacobiLargest(double[] a0, int k) {
        double[] a = a0.clone();
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < k; p++) for (int q = p + 1; q < k; q++) off += a[p * k + q] * a[p * k + q];
            if (off < 1e-30) break;
            for (int p = 0; p < k; p++) {
                for (int q = p + 1; q < k; q++) {
                    double apq = a[p * k + q];
                    if (apq == 0) continue;
                    double theta = (a[q * k + q] - a[p * k + p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int r = 0; r < k; r++) { // columns p and q
                        double arp = a[r * k + p];
                        double arq = a[r * k + q];
                        a[r * k + p] = c * arp - s * arq;
                        a[r * k + q] = s * arp + c * arq;
                    }
                    for (int r = 0; r < k; r++) { // rows p and q
                        double apr = a[p * k + r];
                        double aqr = a[q * k + r];
                        a[p * k + r] = c * apr - s * aqr;
                        a[q * k + r] = s * apr + c * aqr;
                    }
                }
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < k; p++) max = Math.max(max, a[p * k + p]);
        return max;
    }
}
