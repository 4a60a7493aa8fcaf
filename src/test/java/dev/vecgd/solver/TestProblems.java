package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.Matrix;

import java.util.SplittableRandom;

/** Seeded synthetic problems and a closed-form least-squares oracle (normal equations + Cholesky). */
final class TestProblems {

    private TestProblems() {
    }

    /** Known true coefficients of {@link #synthetic}. */
    static double[] trueTheta(int n) {
        double[] t = new double[n];
        for (int j = 0; j < n; j++) t[j] = (j % 2 == 0 ? 1 : -1) * (0.5 + j);
        return t;
    }

    static final double TRUE_INTERCEPT = 3.25;

    /**
     * Row-major m×n features with column j ~ mean 10·j, scale 1 + j, a little correlation, and
     * y = 3.25 + X·θ + noise·N(0,1).
     */
    static double[][] syntheticArrays(int m, int n, double noise, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[m * n];
        double[] y = new double[m];
        double[] t = trueTheta(n);
        for (int i = 0; i < m; i++) {
            double common = gaussian(rnd);
            double h = TRUE_INTERCEPT;
            for (int j = 0; j < n; j++) {
                double v = 10.0 * j + (1 + j) * (gaussian(rnd) + 0.3 * common);
                x[i * n + j] = v;
                h += t[j] * v;
            }
            y[i] = h + noise * gaussian(rnd);
        }
        return new double[][] {x, y};
    }

    static Dataset synthetic(int m, int n, double noise, long seed) {
        double[][] a = syntheticArrays(m, n, noise, seed);
        return Dataset.rowMajor(a[0], m, n, a[1]);
    }

    static double gaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * The least-squares solution [θ_1..θ_n, θ₀] (θ₀ last, 0 without intercept) of the normal equations
     * (AᵀA + mλ·I_coef) θ = Aᵀy, A = [X, 1], solved by Cholesky. Sums in the order of the rows.
     */
    static double[] normalEquations(Dataset d, boolean intercept, double l2) {
        Matrix x = d.x();
        int m = d.rows();
        int n = d.cols();
        int k = intercept ? n + 1 : n;
        double[][] a = new double[k][k];
        double[] b = new double[k];
        double[] row = new double[k];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) row[j] = x.get(i, j);
            if (intercept) row[n] = 1;
            double yi = d.y(i);
            for (int p = 0; p < k; p++) {
                b[p] += row[p] * yi;
                for (int q = 0; q < k; q++) a[p][q] += row[p] * row[q];
            }
        }
        for (int j = 0; j < n; j++) a[j][j] += m * l2;
        double[][] l = new double[k][k];
        for (int p = 0; p < k; p++) {
            for (int q = 0; q <= p; q++) {
                double s = a[p][q];
                for (int r = 0; r < q; r++) s -= l[p][r] * l[q][r];
                if (p == q) {
                    if (s <= 0) throw new IllegalStateException("not positive definite");
                    l[p][p] = Math.sqrt(s);
                } else {
                    l[p][q] = s / l[q][q];
                }
            }
        }
        double[] z = new double[k];
        for (int p = 0; p < k; p++) {
            double s = b[p];
            for (int r = 0; r < p; r++) s -= l[p][r] * z[r];
            z[p] = s / l[p][p];
        }
        double[] t = new double[k];
        for (int p = k - 1; p >= 0; p--) {
            double s = z[p];
            for (int r = p + 1; r < k; r++) s -= l[r][p] * t[r];
            t[p] = s / l[p][p];
        }
        double[] out = new double[n + 1];
        System.arraycopy(t, 0, out, 0, n);
        out[n] = intercept ? t[n] : 0;
        return out;
    }

    /**
     * Ordinary least-squares standard errors by Householder QR of A = [X, 1] in test code (independent of
     * the library's Gram matrix and of {@code CrossProducts}): σ̂² = ‖y − Aθ‖²/(m − k) and
     * SE_j = σ̂·‖row j of R⁻¹‖. Returns [SE(θ_1)..SE(θ_n), SE(θ₀), σ̂].
     */
    static double[] qrStandardErrors(Dataset d) {
        int m = d.rows();
        int n = d.cols();
        int k = n + 1;
        double[][] a = new double[k][m]; // columns
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) a[j][i] = d.x().get(i, j);
            a[n][i] = 1;
            y[i] = d.y(i);
        }
        for (int j = 0; j < k; j++) { // Householder: column j below the diagonal → 0, applied to a and y
            double norm = 0;
            for (int i = j; i < m; i++) norm = Math.hypot(norm, a[j][i]);
            double alpha = a[j][j] > 0 ? -norm : norm;
            double[] v = new double[m];
            for (int i = j; i < m; i++) v[i] = a[j][i];
            v[j] -= alpha;
            double vv = 0;
            for (int i = j; i < m; i++) vv += v[i] * v[i];
            if (vv == 0) continue;
            for (int c = j; c < k; c++) {
                double s = 0;
                for (int i = j; i < m; i++) s += v[i] * a[c][i];
                s = 2 * s / vv;
                for (int i = j; i < m; i++) a[c][i] -= s * v[i];
            }
            double s = 0;
            for (int i = j; i < m; i++) s += v[i] * y[i];
            s = 2 * s / vv;
            for (int i = j; i < m; i++) y[i] -= s * v[i];
        }
        double ssr = 0;
        for (int i = k; i < m; i++) ssr += y[i] * y[i]; // the part of Qᵀy outside the column space
        double sigma = Math.sqrt(ssr / (m - k));
        double[][] rinv = new double[k][k]; // R⁻¹, upper triangular, by back substitution of the unit vectors
        for (int c = 0; c < k; c++) {
            for (int p = c; p >= 0; p--) {
                double s = p == c ? 1 : 0;
                for (int q = p + 1; q <= c; q++) s -= a[q][p] * rinv[q][c];
                rinv[p][c] = s / a[p][p];
            }
        }
        double[] out = new double[k + 1];
        for (int j = 0; j < k; j++) {
            double s = 0;
            for (int c = 0; c < k; c++) s += rinv[j][c] * rinv[j][c];
            out[j] = sigma * Math.sqrt(s);
        }
        out[k] = sigma;
        return out;
    }

    static double relErr(double got, double want) {
        return Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
    }
}
