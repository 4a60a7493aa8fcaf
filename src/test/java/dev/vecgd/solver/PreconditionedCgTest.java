package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cg} preconditioned by the Cholesky factor of the Gram matrix ({@link ConjugateGradient#preconditioner}):
 * on correlated columns (κ of the standardized XᵀX from about 10² to 10⁸) it converges in a handful of passes —
 * plain CG needs about √κ·log(1/tol) — to the answer of the normal equations summed in double-double
 * ({@link TestProblems#normalEquations}), on heap and off-heap data; row-major data takes the one-pass preparation
 * (1 read for checks, statistics and the Gram matrix), column-major data the classic one (3 reads + 1 Gram pass).
 */
class PreconditionedCgTest {

    /** x_j = z + ρ_j·noise: columns that share a common factor; smaller ρ, larger κ. */
    static Dataset[] correlated(int m, int n, double rho, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[m * n];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double z = TestProblems.gaussian(rnd);
            double t = 1;
            for (int j = 0; j < n; j++) {
                double v = 3 + j + z + rho * (j + 1) * TestProblems.gaussian(rnd);
                x[i * n + j] = v;
                t += (j % 2 == 0 ? 1 : -0.5) * v;
            }
            y[i] = t + 0.01 * TestProblems.gaussian(rnd);
        }
        double[] col = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) col[j * m + i] = x[i * n + j];
        return new Dataset[]{Dataset.rowMajor(x, m, n, y), Dataset.columnMajor(col, m, n, y)};
    }

    @ParameterizedTest(name = "m={0} n={1} rho={2}")
    @CsvSource({"3000, 6, 0.1", "3000, 6, 1e-2", "5000, 12, 1e-3", "4000, 8, 1e-4"})
    void convergesInAHandfulOfPassesToTheNormalEquations(int m, int n, double rho) {
        Dataset[] d = correlated(m, n, rho, 7L * n + m);
        double[] ref = TestProblems.normalEquations(d[0], true, 0);
        FitOptions o = FitOptions.builder().solver("cg").gradientTolerance(1e-12).build();
        FitResult row = LinearRegression.fit(d[0], o);
        FitResult col = LinearRegression.fit(d[1], o);
        double kappa = row.conditionNumber();
        for (FitResult r : new FitResult[]{row, col}) {
            assertTrue(r.converged(), r.message());
            // the error bound of a converged fit: about κ·tol relative (docs/accuracy.md), with room for rounding
            double bound = Math.max(1e-9, 10 * kappa * 1e-12);
            double scale = 0;
            for (int j = 0; j < n; j++) scale = Math.max(scale, Math.abs(ref[j]));
            for (int j = 0; j < n; j++) {
                assertEquals(ref[j], r.coefficient(j), bound * scale, "θ" + j + " (κ ≈ " + kappa + ")");
            }
            assertTrue(r.iterations() <= 6, "preconditioned cg: " + r.iterations() + " iterations at κ ≈ " + kappa);
        }
        // row-major: 1 read (checks, statistics, Gram) + gradients; column-major: 3 reads + the Gram pass + gradients
        assertEquals(row.passes() + 3, col.passes(), "row " + row.passes() + ", column " + col.passes());
        assertTrue(row.passes() <= 1 + 2 * (row.iterations() + 2), "passes " + row.passes() + ", iterations " + row.iterations());
        try (SegmentDataset off = SegmentDataset.copyOf(d[0], Layout.ROW_MAJOR)) {
            FitResult seg = LinearRegression.fit(off, o);
            assertTrue(seg.converged(), seg.message());
            assertEquals(row.passes(), seg.passes());
            for (int j = 0; j < n; j++) assertEquals(row.coefficient(j), seg.coefficient(j), 1e-12 * Math.max(1, Math.abs(row.coefficient(j))));
        }
        System.out.printf("preconditioned cg, κ ≈ %.3g: %d iterations, %d passes (row-major), %d (column-major)%n",
                kappa, row.iterations(), row.passes(), col.passes());
    }
}
