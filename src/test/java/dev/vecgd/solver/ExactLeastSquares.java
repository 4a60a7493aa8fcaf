package dev.vecgd.solver;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The least-squares solution of double data computed independently of the library, in {@link BigDecimal}: the
 * normal equations AᵀA β = Aᵀy (A = [X, 1], or X without intercept) formed <i>exactly</i> (products and sums of
 * doubles are exact in BigDecimal), then Gaussian elimination with partial pivoting at {@value #DIGITS} digits —
 * enough for any κ(AᵀA) below 10^{@value #DIGITS}/10^20. Residuals, σ̂ and the standard errors σ̂·√((AᵀA)⁻¹_jj)
 * follow from the same exact arithmetic. The oracle of {@code ExtendedPrecisionTest}.
 *
 * @param coefficients  β_1..β_n (original scale, rounded to double)
 * @param intercept     b (0 without intercept)
 * @param residualStd   √(Σr²/(m − p))
 * @param standardErrors of the coefficients
 * @param interceptStandardError of the intercept (0 without)
 */
record ExactLeastSquares(double[] coefficients, double intercept, double residualStd, double[] standardErrors,
                         double interceptStandardError) {

    static final int DIGITS = 240;
    private static final MathContext MC = new MathContext(DIGITS);

    static ExactLeastSquares of(double[][] x, double[] y, boolean intercept) {
        int m = y.length;
        int n = x[0].length;
        int p = intercept ? n + 1 : n;
        BigDecimal[][] a = new BigDecimal[m][p];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) a[i][j] = new BigDecimal(x[i][j]);
            if (intercept) a[i][n] = BigDecimal.ONE;
        }
        BigDecimal[][] g = new BigDecimal[p][p];
        BigDecimal[] c = new BigDecimal[p];
        for (int u = 0; u < p; u++) {
            c[u] = BigDecimal.ZERO;
            for (int v = 0; v < p; v++) g[u][v] = BigDecimal.ZERO;
        }
        for (int i = 0; i < m; i++) {
            BigDecimal yi = new BigDecimal(y[i]);
            for (int u = 0; u < p; u++) {
                for (int v = u; v < p; v++) g[u][v] = g[u][v].add(a[i][u].multiply(a[i][v]));
                c[u] = c[u].add(a[i][u].multiply(yi));
            }
        }
        for (int u = 0; u < p; u++) for (int v = 0; v < u; v++) g[u][v] = g[v][u];
        BigDecimal[] beta = solve(g, c);
        BigDecimal ssr = BigDecimal.ZERO;
        for (int i = 0; i < m; i++) {
            BigDecimal r = new BigDecimal(y[i]);
            for (int u = 0; u < p; u++) r = r.subtract(a[i][u].multiply(beta[u], MC), MC);
            ssr = ssr.add(r.multiply(r, MC), MC);
        }
        double sigma = m > p ? ssr.divide(BigDecimal.valueOf(m - p), MC).sqrt(MC).doubleValue() : Double.NaN;
        double ymax = 0;
        for (double v : y) ymax = Math.max(ymax, Math.abs(v));
        if (sigma <= 1e-100 * ymax) sigma = 0; // an exact fit: what is left is the 240-digit rounding of β
        double[] se = new double[p];
        for (int q = 0; q < p; q++) {
            BigDecimal[] e = new BigDecimal[p];
            for (int u = 0; u < p; u++) e[u] = u == q ? BigDecimal.ONE : BigDecimal.ZERO;
            BigDecimal inv = solve(g, e)[q];
            se[q] = sigma * Math.sqrt(inv.doubleValue()); // √ and σ̂ in double: ≈ 1 ulp, far below the 10 digits asked
        }
        double[] coef = new double[n];
        double[] ses = new double[n];
        for (int j = 0; j < n; j++) {
            coef[j] = beta[j].doubleValue();
            ses[j] = se[j];
        }
        return new ExactLeastSquares(coef, intercept ? beta[n].doubleValue() : 0, sigma, ses, intercept ? se[n] : 0);
    }

    /** g·z = c by Gaussian elimination with partial pivoting (copies; g and c are not modified). */
    private static BigDecimal[] solve(BigDecimal[][] g0, BigDecimal[] c0) {
        int p = c0.length;
        BigDecimal[][] g = new BigDecimal[p][];
        for (int u = 0; u < p; u++) g[u] = g0[u].clone();
        BigDecimal[] c = c0.clone();
        for (int col = 0; col < p; col++) {
            int piv = col;
            for (int r = col + 1; r < p; r++) if (g[r][col].abs().compareTo(g[piv][col].abs()) > 0) piv = r;
            BigDecimal[] tr = g[col];
            g[col] = g[piv];
            g[piv] = tr;
            BigDecimal tc = c[col];
            c[col] = c[piv];
            c[piv] = tc;
            for (int r = col + 1; r < p; r++) {
                BigDecimal f = g[r][col].divide(g[col][col], MC);
                for (int v = col; v < p; v++) g[r][v] = g[r][v].subtract(f.multiply(g[col][v], MC), MC);
                c[r] = c[r].subtract(f.multiply(c[col], MC), MC);
            }
        }
        BigDecimal[] z = new BigDecimal[p];
        for (int r = p - 1; r >= 0; r--) {
            BigDecimal s = c[r];
            for (int v = r + 1; v < p; v++) s = s.subtract(g[r][v].multiply(z[v], MC), MC);
            z[r] = s.divide(g[r][r], MC);
        }
        return z;
    }
}
