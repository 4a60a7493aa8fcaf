package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The result of an extended-precision fit ({@link ExtendedNormal}) against exact arithmetic in the test: loss, RMSE,
 * R² and ‖∇J‖ (standardized coordinates) from residuals summed exactly in {@link BigDecimal} at the returned
 * coefficients; the last history entry; κ as the 1-norm condition number of the correlation matrix (the equilibrated
 * centred Gram matrix), inverted here; the message's numbers (ρ = κ·k·16·2⁻¹⁰⁴); no refinement needed on
 * well-conditioned data (the first solution from the exact Gram sums is already right to double rounding); the
 * implementation, wall time, no diagnostics, no degrees of freedom and unused options.
 */
class ExtendedResultTest {

    private static final int N = 3;

    private static Dataset data(int m) {
        SplittableRandom rnd = new SplittableRandom(41);
        double[] x = new double[m * N];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double z = TestProblems.gaussian(rnd);
            for (int j = 0; j < N; j++) x[i * N + j] = 3 + j + z + TestProblems.gaussian(rnd) * (1 + j);
            y[i] = 1 + 2 * x[i * N] - x[i * N + 1] + 0.5 * x[i * N + 2] + 0.3 * TestProblems.gaussian(rnd);
        }
        return Dataset.rowMajor(x, m, N, y);
    }

    private static FitOptions.Builder extended() {
        return FitOptions.builder().solver(Solver.NORMAL).precision(Precision.EXTENDED);
    }

    private static BigDecimal bd(double v) {
        return new BigDecimal(v);
    }

    @Test
    void theResultIsTheExactArithmeticAtTheReturnedCoefficients() {
        Dataset d = data(40);
        int m = d.rows();
        long t0 = System.nanoTime();
        FitResult r = LinearRegression.fit(d, extended().build());
        double elapsed = (System.nanoTime() - t0) * 1e-9;
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        assertEquals(0, r.iterations(), "no refinement: the first solution from the exact Gram sums is right to"
                + " double rounding on well-conditioned data (" + r.message() + ")");
        // exact residuals r_i = x_i·θ + b − y_i, their squares and the gradient sums Σ r_i x_ij, Σ r_i
        BigDecimal ssr = BigDecimal.ZERO;
        BigDecimal sy = BigDecimal.ZERO;
        BigDecimal syy = BigDecimal.ZERO;
        BigDecimal[] g = new BigDecimal[N + 1];
        java.util.Arrays.fill(g, BigDecimal.ZERO);
        double[] mean = new double[N];
        for (int i = 0; i < m; i++) {
            BigDecimal res = bd(r.intercept()).subtract(bd(d.y(i)));
            for (int j = 0; j < N; j++) res = res.add(bd(r.coefficient(j)).multiply(bd(d.x().get(i, j))));
            ssr = ssr.add(res.multiply(res));
            for (int j = 0; j < N; j++) g[j] = g[j].add(res.multiply(bd(d.x().get(i, j))));
            g[N] = g[N].add(res);
            sy = sy.add(bd(d.y(i)));
            syy = syy.add(bd(d.y(i)).multiply(bd(d.y(i))));
            for (int j = 0; j < N; j++) mean[j] += d.x().get(i, j) / m;
        }
        double ssrD = ssr.doubleValue();
        double sst = syy.subtract(sy.multiply(sy).divide(BigDecimal.valueOf(m), MathContext.DECIMAL128)).doubleValue();
        assertEquals(ssrD / (2 * m), r.loss(), 1e-14 * r.loss(), "J = SSR/(2m)");
        assertEquals(Math.sqrt(ssrD / m), r.rmse(), 1e-14 * r.rmse(), "RMSE = √(SSR/m)");
        assertEquals(1 - ssrD / sst, r.r2(), 1e-14, "R² = 1 − SSR/SST");
        // ‖∇J‖ in standardized coordinates: ∂J/∂w_j = σ_j·(1/m)Σ r_i x_ij, ∂J/∂b = (1/m)Σ r_i
        double[] sigma = new double[N];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < N; j++) sigma[j] += (d.x().get(i, j) - mean[j]) * (d.x().get(i, j) - mean[j]) / m;
        }
        double gg = 0;
        for (int j = 0; j < N; j++) {
            double v = Math.sqrt(sigma[j]) * g[j].doubleValue() / m;
            gg += v * v;
        }
        gg += (g[N].doubleValue() / m) * (g[N].doubleValue() / m);
        assertTrue(Math.sqrt(gg) > 0, "the returned doubles are not the exact solution");
        assertEquals(Math.sqrt(gg), r.gradientNorm(), 1e-6 * Math.sqrt(gg), "‖∇J‖ at the returned point");
        double[] hl = r.historyLoss();
        double[] hg = r.historyGradient();
        assertEquals(r.iterations() + 1, hl.length);
        assertEquals(r.loss(), hl[hl.length - 1], 0, "the last history entry is the returned point");
        assertEquals(r.gradientNorm(), hg[hg.length - 1], 0);
        // κ: the 1-norm condition number of the correlation matrix E (unit diagonal), at least 1 each with an intercept
        double[][] e = new double[N][N];
        for (int p = 0; p < N; p++) {
            for (int q = 0; q < N; q++) {
                double s = 0;
                for (int i = 0; i < m; i++) s += (d.x().get(i, p) - mean[p]) * (d.x().get(i, q) - mean[q]) / m;
                e[p][q] = s / Math.sqrt(sigma[p] * sigma[q]);
            }
        }
        double kappa = Math.max(norm1(e), 1) * Math.max(norm1(invert(e)), 1);
        assertEquals(kappa, r.conditionNumber(), 1e-9 * kappa, "κ₁ of the correlation matrix");
        // the message: its correction, max(tol, 8ε) and ρ = κ·k·16·2⁻¹⁰⁴
        Matcher msg = Pattern.compile("converged \\(extended precision\\) after 0 refinements: the correction from the"
                + " exact gradient is (\\S+) of the solution ≤ max\\(tol, 8ε\\) = 1\\.00e-10 \\(factorization error"
                + " ρ ≈ κ·k·16·2⁻¹⁰⁴ = (\\S+)\\)").matcher(r.message());
        assertTrue(msg.matches(), r.message());
        assertTrue(Double.parseDouble(msg.group(1)) <= 1e-10, r.message());
        double rho = kappa * N * 16 * Math.scalb(1.0, -104);
        assertEquals(rho, Double.parseDouble(msg.group(2)), 0.006 * rho, "ρ, printed to 3 digits");
        assertTrue(r.implementation().startsWith("extended precision: compensated passes on "), r.implementation());
        assertTrue(r.wallTimeSeconds() >= 0 && r.wallTimeSeconds() <= elapsed,
                r.wallTimeSeconds() + " s, measured around the call " + elapsed + " s");
        assertEquals("", r.warning(), "well-conditioned, every option used");
    }

    @Test
    void withoutDiagnosticsWithoutDegreesOfFreedomAndWithUnusedOptions() {
        FitResult none = LinearRegression.fit(data(40), extended().diagnostics(false).build());
        assertTrue(none.converged(), none.message());
        for (int j = 0; j < N; j++) assertTrue(Double.isNaN(none.standardErrors()[j]), "SE " + j);
        assertTrue(Double.isNaN(none.interceptStandardError()));
        assertTrue(Double.isNaN(none.conditionNumber()));
        assertTrue(Double.isNaN(none.residualStd()));
        // m = n + 1 rows: an exact fit with no degrees of freedom left: no residual std
        FitResult exact = LinearRegression.fit(data(N + 1), extended().build());
        assertTrue(Double.isNaN(exact.residualStd()), "dof = 0: " + exact.residualStd());
        FitResult unused = LinearRegression.fit(data(40), extended().learningRate(0.3).build());
        assertEquals("options not used by this fit, ignored: learningRate 0.3 (solver normal solves directly)",
                unused.warning());
    }

    private static double norm1(double[][] a) {
        double best = 0;
        for (int q = 0; q < a.length; q++) {
            double s = 0;
            for (double[] row : a) s += Math.abs(row[q]);
            best = Math.max(best, s);
        }
        return best;
    }

    /** Gauss–Jordan with partial pivoting (a small, well-conditioned matrix). */
    private static double[][] invert(double[][] a) {
        int k = a.length;
        double[][] w = new double[k][2 * k];
        for (int p = 0; p < k; p++) {
            System.arraycopy(a[p], 0, w[p], 0, k);
            w[p][k + p] = 1;
        }
        for (int c = 0; c < k; c++) {
            int piv = c;
            for (int p = c + 1; p < k; p++) if (Math.abs(w[p][c]) > Math.abs(w[piv][c])) piv = p;
            double[] t = w[c];
            w[c] = w[piv];
            w[piv] = t;
            double div = w[c][c];
            for (int q = 0; q < 2 * k; q++) w[c][q] /= div;
            for (int p = 0; p < k; p++) {
                if (p == c) continue;
                double f = w[p][c];
                for (int q = 0; q < 2 * k; q++) w[p][q] -= f * w[c][q];
            }
        }
        double[][] inv = new double[k][k];
        for (int p = 0; p < k; p++) System.arraycopy(w[p], k, inv[p], 0, k);
        return inv;
    }
}
