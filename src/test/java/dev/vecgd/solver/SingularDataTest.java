package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.model.LinearModel;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: the contract of {@link Solver} on singular and nearly singular data, for every solver (the normal
 * equations used to throw where the others returned a status), and the L2 convention against the closed form
 * of scikit-learn's Ridge.
 */
class SingularDataTest {

    static final int M = 1000;

    /** Two columns x and x + eps·u, y = 1 + x + 0.01·noise. */
    static Dataset collinear(double eps, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[M * 2];
        double[] y = new double[M];
        for (int i = 0; i < M; i++) {
            double v = r.nextDouble(-1, 1);
            x[2 * i] = v;
            x[2 * i + 1] = v + eps * r.nextDouble(-1, 1);
            y[i] = 1 + v + 0.01 * r.nextDouble(-1, 1);
        }
        return Dataset.rowMajor(x, M, 2, y);
    }

    /** Simple regression of y on column 0 (the closed form): {slope, intercept}. */
    static double[] simpleRegression(Dataset d) {
        double mx = 0, my = 0;
        for (int i = 0; i < M; i++) {
            mx += d.x(i, 0);
            my += d.y(i);
        }
        mx /= M;
        my /= M;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < M; i++) {
            sxy += (d.x(i, 0) - mx) * (d.y(i) - my);
            sxx += (d.x(i, 0) - mx) * (d.x(i, 0) - mx);
        }
        double slope = sxy / sxx;
        return new double[] {slope, my - slope * mx};
    }

    @Test
    void exactlyDependentColumnsGiveIllConditionedNeverAnException() {
        Dataset d = collinear(0, 1);
        double[] ref = simpleRegression(d); // fitted values are unique: those of y on x alone
        int checked = 0;
        for (Solver s : Solver.values()) {
            FitResult r = LinearRegression.fit(d, FitOptions.builder().solver(s).build());
            assertEquals(StopReason.ILL_CONDITIONED, r.stopReason(), s + ": " + r.message());
            assertFalse(r.converged());
            assertTrue(r.warning().contains("singular"), s + ": " + r.warning());
            assertThrows(IllegalStateException.class, r::requireConverged);
            // one least-squares solution, the smallest in standardized coordinates: the slope split evenly
            assertEquals(ref[0] / 2, r.coefficient(0), 1e-6, s + " θ1");
            assertEquals(ref[0] / 2, r.coefficient(1), 1e-6, s + " θ2");
            assertEquals(ref[1], r.intercept(), 1e-6, s + " intercept");
            LinearModel model = r.model();
            for (int i = 0; i < M; i += 37) {
                assertEquals(ref[0] * d.x(i, 0) + ref[1], model.predict(new double[] {d.x(i, 0), d.x(i, 1)}), 1e-9, s + " row " + i);
            }
            checked++;
        }
        assertEquals(Solver.values().length, checked);
    }

    @Test
    void nearlyDependentColumnsAreIllConditionedForEverySolver() {
        Dataset d = collinear(1e-7, 2);
        int checked = 0;
        for (Solver s : Solver.values()) {
            FitResult r = LinearRegression.fit(d, FitOptions.builder().solver(s).build());
            assertEquals(StopReason.ILL_CONDITIONED, r.stopReason(), s + ": " + r.message());
            assertTrue(r.warning().contains("ill-conditioned: κ ≈"), s + ": " + r.warning());
            assertTrue(Double.isFinite(r.coefficient(0)) && Double.isFinite(r.coefficient(1)) && Double.isFinite(r.intercept()));
            checked++;
        }
        assertEquals(Solver.values().length, checked);
    }

    /**
     * L2: scikit-learn's Ridge(alpha) on raw X minimizes ‖y − Xβ − b‖² + alpha·‖β‖², whose solution is
     * β = (XcᵀXc + alpha·I)⁻¹ Xcᵀ yc (centered X and y), b = ȳ − x̄·β. vecgd with standardize(false) and
     * λ = alpha/m is the same model, for every solver; with standardization λ weighs σ_j·β_j instead.
     */
    @Test
    void l2IsScikitLearnsRidgeAlphaOverM() {
        // well-scaled raw columns (gd without standardization is slow on badly scaled ones), different spreads
        SplittableRandom rnd = new SplittableRandom(8);
        double[] xs = new double[400 * 3];
        double[] ys = new double[400];
        for (int i = 0; i < 400; i++) {
            double h = 1;
            for (int j = 0; j < 3; j++) {
                xs[i * 3 + j] = rnd.nextDouble(-1, 1) * (1 + 0.5 * j) + 0.3 * j;
                h += (j + 1) * xs[i * 3 + j];
            }
            ys[i] = h + 0.5 * rnd.nextDouble(-1, 1);
        }
        Dataset d = Dataset.rowMajor(xs, 400, 3, ys);
        double alpha = 250;
        int m = d.rows();
        int n = d.cols();
        double[] mean = new double[n];
        double ym = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) mean[j] += d.x(i, j) / m;
            ym += d.y(i) / m;
        }
        double[][] a = new double[n][n + 1];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < n; p++) {
                double xp = d.x(i, p) - mean[p];
                for (int q = 0; q < n; q++) a[p][q] += xp * (d.x(i, q) - mean[q]);
                a[p][n] += xp * (d.y(i) - ym);
            }
        }
        for (int p = 0; p < n; p++) a[p][p] += alpha;
        double[] beta = gauss(a);
        double b = ym;
        for (int j = 0; j < n; j++) b -= mean[j] * beta[j];
        int checked = 0;
        for (Solver s : Solver.values()) {
            FitResult r = LinearRegression.fit(d, FitOptions.builder().solver(s).standardize(false).l2(alpha / m)
                    .maxIterations(100_000).build());
            assertTrue(r.converged(), s + ": " + r.message());
            for (int j = 0; j < n; j++) assertEquals(beta[j], r.coefficient(j), 1e-7 * (1 + Math.abs(beta[j])), s + " β" + j);
            assertEquals(b, r.intercept(), 1e-6 * (1 + Math.abs(b)), s + " b");
            checked++;
        }
        assertEquals(Solver.values().length, checked);
        // with standardization the same λ is a different model (the penalty is on σ_j·β_j)
        FitResult std = LinearRegression.fit(d, FitOptions.builder().l2(alpha / m).build());
        assertTrue(Math.abs(std.coefficient(0) - beta[0]) > 1e-3, "standardization changes the ridge model");
    }

    /** Gaussian elimination with partial pivoting on an augmented n×(n+1) system (the test's own solver). */
    static double[] gauss(double[][] a) {
        int n = a.length;
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
            double[] t = a[c];
            a[c] = a[p];
            a[p] = t;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k <= n; k++) a[r][k] -= f * a[c][k];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = a[r][n];
            for (int k = r + 1; k < n; k++) s -= a[r][k] * x[k];
            x[r] = s / a[r][r];
        }
        return x;
    }
}
