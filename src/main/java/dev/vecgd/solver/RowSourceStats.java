package dev.vecgd.solver;

/**
 * Standardization and target statistics of a {@link RowSource} in two passes ({@link RowSource#moments}):
 * sums first, then squares about the center (column means when centering, 0 otherwise; ȳ for y).
 * Checks that every column sum is finite, so NaN/Inf a source missed cannot reach the solver.
 */
record RowSourceStats(Standardization scaling, TargetStats targets) {

    static RowSourceStats of(RowSource data, boolean standardize, boolean intercept) {
        int n = data.cols();
        long m = data.rows();
        double[] sums = new double[n + 1];
        data.moments(null, sums);
        requireFinite(sums, n, "sum");
        double[] center = new double[n + 1];
        boolean centerX = standardize && intercept;
        for (int j = 0; j < n; j++) center[j] = centerX ? sums[j] / m : 0;
        center[n] = sums[n] / m;
        double[] squares = new double[n + 1];
        data.moments(center, squares);
        requireFinite(squares, n, "sum of squares");
        double[] mu = java.util.Arrays.copyOf(center, n);
        double[] second = java.util.Arrays.copyOf(squares, n);
        Standardization scaling = Standardization.fromMoments(m, mu, second, standardize, intercept);
        double ybar = center[n];
        TargetStats targets = new TargetStats(ybar, squares[n] + m * ybar * ybar, squares[n]);
        return new RowSourceStats(scaling, targets);
    }

    private static void requireFinite(double[] v, int n, String what) {
        for (int j = 0; j <= n; j++) {
            if (!Double.isFinite(v[j])) {
                throw new IllegalArgumentException("the " + what + " of " + (j == n ? "the target y" : "feature column " + j)
                        + " is " + v[j] + ": the data holds NaN or ±Inf there (or values too large to sum)");
            }
        }
    }
}
