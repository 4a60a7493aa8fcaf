package dev.vecgd.solver;

/**
 * An independent elastic-net reference for the tests: cyclic coordinate descent (Friedman, Hastie &amp; Tibshirani 2010)
 * on an explicitly standardized copy of X, in plain double loops, run until the KKT conditions hold to 1e-14:
 * <pre>
 *   min over w, b:  1/(2m)‖y − X̃w − b‖² + λ₁‖w‖₁ + (λ₂/2)‖w‖²,   x̃_ij = (x_ij − μ_j)/σ_j  (σ population; without an
 *   intercept μ = 0 and σ = rms), then β_j = w_j/σ_j, b = ȳ − Σ μ_j β_j
 * </pre>
 * Nothing of the library is used. Returns [β_1..β_n, b].
 */
final class LassoReference {

    private LassoReference() {
    }

    static double[] fit(double[][] x, double[] y, boolean intercept, boolean standardize, double l1, double l2) {
        int m = y.length;
        int n = x[0].length;
        double[] mu = new double[n];
        double[] sd = new double[n];
        double[][] z = new double[m][n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (double[] r : x) s += r[j];
            mu[j] = intercept ? s / m : 0;
            double q = 0;
            for (double[] r : x) q += (r[j] - mu[j]) * (r[j] - mu[j]);
            sd[j] = standardize ? Math.sqrt(q / m) : 1;
            for (int i = 0; i < m; i++) z[i][j] = (x[i][j] - mu[j]) / sd[j];
        }
        double ybar = 0;
        if (intercept) {
            for (double v : y) ybar += v;
            ybar /= m;
        }
        double[] norm = new double[n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) norm[j] += z[i][j] * z[i][j] / m;
        }
        double[] w = new double[n];
        double[] r = new double[m]; // y − ȳ − Z w
        for (int i = 0; i < m; i++) r[i] = y[i] - ybar;
        for (int sweep = 0; sweep < 1_000_000; sweep++) {
            for (int j = 0; j < n; j++) {
                double rho = 0;
                for (int i = 0; i < m; i++) rho += z[i][j] * r[i];
                rho = rho / m + norm[j] * w[j];
                double v = rho > l1 ? rho - l1 : rho < -l1 ? rho + l1 : 0;
                v /= norm[j] + l2;
                double d = v - w[j];
                if (d != 0) {
                    for (int i = 0; i < m; i++) r[i] -= d * z[i][j];
                    w[j] = v;
                }
            }
            if (sweep % 10 == 9 && kktViolation(z, r, w, l1, l2) <= 1e-14 * (1 + Math.abs(ybar))) break;
        }
        double[] out = new double[n + 1];
        double b = ybar;
        for (int j = 0; j < n; j++) {
            out[j] = w[j] / sd[j];
            b -= mu[j] * out[j];
        }
        out[n] = intercept ? b : 0;
        return out;
    }

    /** The largest violation of the optimality conditions: |g_j + λ₁ sign w_j| (w_j ≠ 0), max(|g_j| − λ₁, 0) else. */
    private static double kktViolation(double[][] z, double[] r, double[] w, double l1, double l2) {
        int m = r.length;
        double worst = 0;
        for (int j = 0; j < w.length; j++) {
            double g = 0;
            for (int i = 0; i < m; i++) g -= z[i][j] * r[i];
            g = g / m + l2 * w[j];
            double v = w[j] != 0 ? Math.abs(g + Math.signum(w[j]) * l1) : Math.max(Math.abs(g) - l1, 0);
            worst = Math.max(worst, v);
        }
        return worst;
    }

    /** λ_max = max_j |x̃_jᵀ(y − ȳ)|/m: the smallest λ₁ with all coefficients 0 (standardized as in {@link #fit}). */
    static double lambdaMax(double[][] x, double[] y, boolean intercept) {
        int m = y.length;
        int n = x[0].length;
        double ybar = 0;
        if (intercept) {
            for (double v : y) ybar += v;
            ybar /= m;
        }
        double max = 0;
        for (int j = 0; j < n; j++) {
            double mu = 0;
            if (intercept) {
                for (double[] r : x) mu += r[j];
                mu /= m;
            }
            double q = 0;
            double c = 0;
            for (int i = 0; i < m; i++) {
                q += (x[i][j] - mu) * (x[i][j] - mu);
                c += (x[i][j] - mu) * (y[i] - ybar);
            }
            max = Math.max(max, Math.abs(c / m) / Math.sqrt(q / m));
        }
        return max;
    }
}
