package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fit's diagnostics against closed forms written here: ridge (sandwich) standard errors, the degrees of
 * freedom at their boundary, and a singular Hessian.
 */
class DiagnosticsTest {

    /** Inverse of a small dense symmetric positive definite matrix (Gauss–Jordan, no pivoting needed). */
    private static double[][] inverse(double[][] a) {
        int k = a.length;
        double[][] w = new double[k][2 * k];
        for (int i = 0; i < k; i++) {
            System.arraycopy(a[i], 0, w[i], 0, k);
            w[i][k + i] = 1;
        }
        for (int c = 0; c < k; c++) {
            double p = w[c][c];
            for (int j = 0; j < 2 * k; j++) w[c][j] /= p;
            for (int r = 0; r < k; r++) {
                if (r == c) continue;
                double f = w[r][c];
                for (int j = 0; j < 2 * k; j++) w[r][j] -= f * w[c][j];
            }
        }
        double[][] inv = new double[k][k];
        for (int i = 0; i < k; i++) System.arraycopy(w[i], k, inv[i], 0, k);
        return inv;
    }

    private static double[][] mul(double[][] a, double[][] b) {
        int k = a.length;
        double[][] c = new double[k][k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) for (int l = 0; l < k; l++) c[i][j] += a[i][l] * b[l][j];
        return c;
    }

    /**
     * Ridge in standardized coordinates w (z_j = (x_j − μ_j)/σ_j, intercept column of ones, λ on the slopes):
     * H = ÃᵀÃ/m + λP, Cov(w) = σ̂²/m · H⁻¹(ÃᵀÃ/m)H⁻¹ with σ̂² = SSR/(m − p); SE(θ_j) = SE(w_j)/σ_j and the
     * intercept b = w_n − Σ μ_j w_j/σ_j.
     */
    @Test
    void ridgeStandardErrorsAreTheSandwichFormula() {
        Dataset d = TestProblems.synthetic(300, 3, 0.5, 41);
        int m = d.rows();
        int n = d.cols();
        int k = n + 1;
        double lambda = 0.7;
        FitResult r = LinearRegression.fit(d, FitOptions.builder().solver(Solver.NORMAL).l2(lambda).build());
        assertTrue(r.converged(), r.message());
        double[] mu = new double[n];
        double[] sd = new double[n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) mu[j] += d.x(i, j) / m;
            for (int i = 0; i < m; i++) sd[j] += (d.x(i, j) - mu[j]) * (d.x(i, j) - mu[j]) / m;
            sd[j] = Math.sqrt(sd[j]);
        }
        double[][] g = new double[k][k];
        double ssr = 0;
        for (int i = 0; i < m; i++) {
            double[] a = new double[k];
            for (int j = 0; j < n; j++) a[j] = (d.x(i, j) - mu[j]) / sd[j];
            a[n] = 1;
            for (int p = 0; p < k; p++) for (int q = 0; q < k; q++) g[p][q] += a[p] * a[q] / m;
            double res = r.intercept() - d.y(i);
            for (int j = 0; j < n; j++) res += r.coefficient(j) * d.x(i, j);
            ssr += res * res;
        }
        double[][] h = new double[k][k];
        for (int p = 0; p < k; p++) h[p] = g[p].clone();
        for (int j = 0; j < n; j++) h[j][j] += lambda;
        double[][] hinv = inverse(h);
        double[][] cov = mul(mul(hinv, g), hinv);
        double sigma2 = ssr / (m - k);
        assertEquals(Math.sqrt(sigma2), r.residualStd(), 1e-10 * Math.sqrt(sigma2));
        for (int j = 0; j < n; j++) {
            double se = Math.sqrt(sigma2 / m * cov[j][j]) / sd[j];
            assertEquals(se, r.standardErrors()[j], 1e-8 * se, "SE θ" + j);
        }
        double[] t = new double[k];
        for (int j = 0; j < n; j++) t[j] = -mu[j] / sd[j];
        t[n] = 1;
        double v = 0;
        for (int p = 0; p < k; p++) for (int q = 0; q < k; q++) v += t[p] * cov[p][q] * t[q];
        double seB = Math.sqrt(sigma2 / m * v);
        assertEquals(seB, r.interceptStandardError(), 1e-8 * seB, "SE intercept");
        // κ of H in the 1-norm, as documented: ‖H‖₁‖H⁻¹‖₁
        double n1 = 0, n2 = 0;
        for (int q = 0; q < k; q++) {
            double c1 = 0, c2 = 0;
            for (int p = 0; p < k; p++) {
                c1 += Math.abs(h[p][q]);
                c2 += Math.abs(hinv[p][q]);
            }
            n1 = Math.max(n1, c1);
            n2 = Math.max(n2, c2);
        }
        assertEquals(n1 * n2, r.conditionNumber(), 1e-8 * n1 * n2, "κ");
    }

    /**
     * Standard errors against a QR in test code for every storage the Gram pass reads (heap and off-heap, row-
     * and column-major, over several chunks), and with a constant column added: NaN for it, the others those of
     * the design without it.
     */
    @Test
    void standardErrorsOnEveryStorageAndWithAConstantColumn() {
        // 30,000 rows: several of the Gram pass's row-major chunks (4,096 rows) and off-heap buffers (65,536 doubles)
        Dataset d = TestProblems.synthetic(30_000, 3, 0.5, 42);
        int m = d.rows();
        double[] qr = TestProblems.qrStandardErrors(d);
        double[] cm = new double[m * 3];
        double[] cm4 = new double[m * 4];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            y[i] = d.y(i);
            for (int j = 0; j < 3; j++) cm[j * m + i] = d.x(i, j);
            cm4[i] = d.x(i, 0);
            cm4[m + i] = 2.5; // constant
            cm4[2 * m + i] = d.x(i, 1);
            cm4[3 * m + i] = d.x(i, 2);
        }
        Dataset col = Dataset.columnMajor(cm, m, 3, y);
        Dataset withConstant = Dataset.columnMajor(cm4, m, 4, y);
        for (Solver s : new Solver[] {Solver.NORMAL, Solver.CG}) { // gd and momentum: OffHeapFitTest
            FitOptions o = FitOptions.builder().solver(s).gradientTolerance(1e-12).maxIterations(50_000).build();
            java.util.List<FitResult> fits = new java.util.ArrayList<>();
            fits.add(LinearRegression.fit(d, o));
            fits.add(LinearRegression.fit(col, o));
            for (dev.vecgd.kernel.Layout layout : dev.vecgd.kernel.Layout.values()) {
                try (dev.vecgd.data.SegmentDataset off = dev.vecgd.data.SegmentDataset.copyOf(d, layout)) {
                    fits.add(LinearRegression.fit(off, o));
                }
            }
            for (FitResult r : fits) {
                assertTrue(r.converged(), s + ": " + r.message());
                for (int j = 0; j < 3; j++) assertEquals(qr[j], r.standardErrors()[j], 1e-8 * qr[j], s + " SE" + j);
                assertEquals(qr[3], r.interceptStandardError(), 1e-8 * qr[3], s + " intercept SE");
                assertEquals(qr[4], r.residualStd(), 1e-9 * qr[4], s + " σ̂");
            }
            FitResult c = LinearRegression.fit(withConstant, o);
            assertArrayEquals(new int[] {1}, c.constantColumns());
            assertTrue(Double.isNaN(c.standardErrors()[1]), s + " constant column: " + c.standardErrors()[1]);
            double[] want = {qr[0], Double.NaN, qr[1], qr[2]};
            for (int j : new int[] {0, 2, 3}) assertEquals(want[j], c.standardErrors()[j], 1e-8 * want[j], s + " SE" + j + " with a constant column");
            assertEquals(qr[3], c.interceptStandardError(), 1e-8 * qr[3], s + " intercept SE with a constant column");
        }
    }

    /** p parameters need m > p rows for σ̂ (m − p degrees of freedom): at m = p it is NaN, at m = p + 1 finite. */
    @Test
    void degreesOfFreedomAtTheirBoundary() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int m : new int[] {3, 4}) { // n = 2 features + intercept: p = 3
            double[] x = new double[m * 2];
            double[] y = new double[m];
            for (int i = 0; i < m; i++) {
                x[2 * i] = rnd.nextDouble();
                x[2 * i + 1] = rnd.nextDouble();
                y[i] = x[2 * i] - x[2 * i + 1] + 0.1 * rnd.nextDouble();
            }
            FitResult r = LinearRegression.fit(Dataset.rowMajor(x, m, 2, y), FitOptions.builder().solver(Solver.NORMAL).build());
            if (m == 3) {
                assertTrue(Double.isNaN(r.residualStd()), "m = p: σ̂ " + r.residualStd());
                assertTrue(Double.isNaN(r.standardErrors()[0]), "m = p: SE " + r.standardErrors()[0]);
            } else {
                double ssr = 2 * m * r.loss();
                assertEquals(Math.sqrt(ssr / (m - 3)), r.residualStd(), 1e-9 * r.residualStd(), "m = p + 1");
                assertTrue(r.standardErrors()[0] > 0 && Double.isFinite(r.standardErrors()[0]));
            }
        }
    }

    /** Two identical columns: the Hessian is singular, so no standard errors and κ = ∞ (cg still fits). */
    @Test
    void aSingularHessianHasNoStandardErrors() {
        int m = 50;
        SplittableRandom rnd = new SplittableRandom(8);
        double[] x = new double[m * 2];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            x[2 * i] = rnd.nextDouble();
            x[2 * i + 1] = x[2 * i];
            y[i] = 3 * x[2 * i] + rnd.nextDouble();
        }
        FitResult r = LinearRegression.fit(Dataset.rowMajor(x, m, 2, y), FitOptions.builder().solver(Solver.CG).build());
        assertTrue(Double.isNaN(r.standardErrors()[0]) && Double.isNaN(r.standardErrors()[1]),
                java.util.Arrays.toString(r.standardErrors()));
        assertEquals(Double.POSITIVE_INFINITY, r.conditionNumber());
        assertTrue(r.hasWarning(), "warns");
    }
}
