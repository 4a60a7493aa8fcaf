package example;

import java.util.Locale;
import java.util.Random;

/** The test problem and its independent oracle: the normal equations solved with plain loops, no vecgd. */
final class Problem {

    static final double[] THETA = {1.5, -2.0, 0.5, 3.0, -1.0};
    static final double B = 0.25;

    private Problem() {
    }

    /** Row-major X with standard normal features, y = Xθ + b + noise (σ = 0.1). */
    static void fill(Random rnd, double[] x, double[] y, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            double v = B;
            for (int j = 0; j < cols; j++) {
                x[i * cols + j] = rnd.nextGaussian();
                v += THETA[j] * x[i * cols + j];
            }
            y[i] = v + 0.1 * rnd.nextGaussian();
        }
    }

    /** Least squares with an intercept: [XᵀX Xᵀ1; 1ᵀX m] p = [Xᵀy; Σy], by Gaussian elimination with pivoting. */
    static double[] normalEquations(double[] x, double[] y, int rows, int cols) {
        int k = cols + 1;
        double[][] a = new double[k][k + 1];
        double[] row = new double[k];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(x, i * cols, row, 0, cols);
            row[cols] = 1;
            for (int p = 0; p < k; p++) {
                for (int q = 0; q < k; q++) a[p][q] += row[p] * row[q];
                a[p][k] += row[p] * y[i];
            }
        }
        for (int c = 0; c < k; c++) {
            int best = c;
            for (int r = c + 1; r < k; r++) if (Math.abs(a[r][c]) > Math.abs(a[best][c])) best = r;
            double[] t = a[c]; a[c] = a[best]; a[best] = t;
            for (int r = c + 1; r < k; r++) {
                double f = a[r][c] / a[c][c];
                for (int q = c; q <= k; q++) a[r][q] -= f * a[c][q];
            }
        }
        double[] p = new double[k];
        for (int r = k - 1; r >= 0; r--) {
            double s = a[r][k];
            for (int q = r + 1; q < k; q++) s -= a[r][q] * p[q];
            p[r] = s / a[r][r];
        }
        return p;
    }

    /** Prints and returns whether |actual − expected| ≤ tol · max(1, |expected|) component-wise. */
    static boolean check(String what, double[] actual, double[] expected, double tol) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
        }
        boolean ok = worst <= tol;
        System.out.printf(Locale.ROOT, "check %s: largest relative error %.2e (tolerance %.0e) %s%n",
                what, worst, tol, ok ? "ok" : "FAILED");
        return ok;
    }

    /** Coefficients rounded to 6 decimals: equal across kernels and class/module path. */
    static String format(double[] p) {
        StringBuilder s = new StringBuilder();
        for (double v : p) s.append(s.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%.6f", v));
        return s.toString();
    }
}
