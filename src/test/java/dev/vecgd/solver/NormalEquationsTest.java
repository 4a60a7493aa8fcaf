package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The classic path of {@code normal} ({@link NormalEquations#run}: column-major data, or standardization off; the
 * row-major standardized path is {@link OnePassNormal}'s), branch by branch: the singular case names the dependent
 * column (or the intercept column) and whether λ was added, and returns the least-squares solution nearest the
 * smallest in standardized coordinates (two identical columns share the slope evenly), and the refinement then
 * reaches the fitted values of the regression on the independent columns.
 */
class NormalEquationsTest {

    private static final int M = 500;

    /** Column-major copy of row-major values. */
    private static Dataset columnMajor(double[][] x, double[] y) {
        int m = y.length;
        int n = x[0].length;
        double[] a = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) a[j * m + i] = x[i][j];
        return Dataset.columnMajor(a, m, n, y);
    }

    /** x0, x1 = N(0,1); x2 = x1 exactly; y = 2 + x0 + 3·x1 + noise. */
    private static double[][][] duplicated() {
        SplittableRandom rnd = new SplittableRandom(4);
        double[][] x = new double[M][3];
        double[] y = new double[M];
        for (int i = 0; i < M; i++) {
            x[i][0] = TestProblems.gaussian(rnd);
            x[i][1] = TestProblems.gaussian(rnd);
            x[i][2] = x[i][1];
            y[i] = 2 + x[i][0] + 3 * x[i][1] + 0.1 * TestProblems.gaussian(rnd);
        }
        return new double[][][]{x, {y}};
    }

    @Test
    void aDuplicatedColumnIsNamedAndSharesTheSlopeEvenly() {
        double[][][] p = duplicated();
        double[][] x2 = new double[M][2];
        for (int i = 0; i < M; i++) x2[i] = new double[]{p[0][i][0], p[0][i][1]};
        ExactLeastSquares exact = ExactLeastSquares.of(x2, p[1][0], true);
        FitResult r = LinearRegression.fit(columnMajor(p[0], p[1][0]), FitOptions.builder().solver(Solver.NORMAL).build());
        assertEquals(StopReason.ILL_CONDITIONED, r.stopReason(), r.message());
        assertTrue(r.message().startsWith("not converged: ill-conditioned — XᵀX is singular (Cholesky pivot of column 2 "),
                r.message());
        assertEquals(exact.coefficients()[0], r.coefficient(0), 1e-8);
        assertEquals(exact.coefficients()[1] / 2, r.coefficient(1), 1e-6, "half the slope");
        assertEquals(exact.coefficients()[1] / 2, r.coefficient(2), 1e-6, "half the slope");
        assertEquals(exact.intercept(), r.intercept(), 1e-8);
    }

    @Test
    void aTinyL2IsNamedInTheSingularMessage() {
        double[][][] p = duplicated();
        FitResult r = LinearRegression.fit(columnMajor(p[0], p[1][0]),
                FitOptions.builder().solver(Solver.NORMAL).l2(1e-300).build());
        assertEquals(StopReason.ILL_CONDITIONED, r.stopReason(), r.message());
        assertTrue(r.message().startsWith("not converged: ill-conditioned — XᵀX + λI is singular (Cholesky pivot of column 2 "),
                r.message());
    }

    @Test
    void columnsSummingToOneMakeTheInterceptColumnDependent() {
        // without standardization the columns are not centred: x0 + x1 = 1 is the ones column (values exact in binary)
        double[][] x = new double[64][2];
        double[] y = new double[64];
        for (int i = 0; i < 64; i++) {
            x[i][0] = (i % 8) / 8.0;
            x[i][1] = 1 - x[i][0];
            y[i] = 1 + 2 * x[i][0] + (i % 3) / 4.0;
        }
        FitResult r = LinearRegression.fit(Dataset.of(x, y),
                FitOptions.builder().solver(Solver.NORMAL).standardize(false).build());
        assertEquals(StopReason.ILL_CONDITIONED, r.stopReason(), r.message());
        assertTrue(r.message().contains("(Cholesky pivot of the intercept column "), r.message());
        // the fitted values are determined: (θ0 − θ1)·x0 + (θ1 + b) is the simple regression of y on x0
        double mx = 0, my = 0, sxy = 0, sxx = 0;
        for (int i = 0; i < 64; i++) {
            mx += x[i][0] / 64;
            my += y[i] / 64;
        }
        for (int i = 0; i < 64; i++) {
            sxy += (x[i][0] - mx) * (y[i] - my);
            sxx += (x[i][0] - mx) * (x[i][0] - mx);
        }
        double slope = sxy / sxx;
        assertEquals(slope, r.coefficient(0) - r.coefficient(1), 1e-8);
        assertEquals(my - slope * mx, r.coefficient(1) + r.intercept(), 1e-8);
    }
}
