package dev.vecgd.solver;

/**
 * Standardization and target statistics of a {@link RowSource} from {@link RowSource#moments} passes: sums
 * first (the means μ₀), then squares about μ₀. Where a column's spread is tiny relative to its mean
 * (σ̂ ≤ 10⁻⁶·|μ₀|: constant or nearly constant, e.g. a column of 0.1 or a target with a large offset), the
 * squares about μ₀ are dominated by the rounding error δ of μ₀ ({@code Σ(x − μ₀)²/m = σ² + δ²}), so a
 * third pass takes the squares about a second center μ₀ + h (h ≈ σ̂) and solves for both:
 * <pre>
 *   Q(c)/m = σ² + (x̄ − c)²   ⇒   x̄ − μ₀ = (Q(μ₀) − Q(μ₀+h))/(2mh) + h/2,   σ² = Q(μ₀)/m − (x̄ − μ₀)²
 * </pre>
 * which gives a constant column σ ≈ 0 (to about √ε·|δ|) however the sums were rounded. Checks that every
 * sum is finite, so NaN/Inf a source missed — or an overflow — cannot reach the solver.
 */
record RowSourceStats(Standardization scaling, TargetStats targets, double totalWeight) {

    /** σ̂ ≤ SUSPICIOUS·|μ₀| triggers the third pass. */
    static final double SUSPICIOUS = 1e-6;

    static RowSourceStats of(RowSource data, boolean standardize, boolean intercept) {
        return of(data, standardize, intercept, false);
    }

    /**
     * With {@code weighted}, the weighted statistics from {@link RowSource#weightedMoments} (the same formulas with
     * each row counted w_i times and the total weight W in place of m: μ = Σ w x / W, σ² = Σ w (x − μ)² / W).
     */
    static RowSourceStats of(RowSource data, boolean standardize, boolean intercept, boolean weighted) {
        int n = data.cols();
        long rows = data.rows();
        double[] sums = new double[n + 2];
        moments(data, weighted, null, sums);
        requireFinite(sums, n, "sum");
        double m = rows;
        if (weighted) {
            m = sums[n + 1];
            if (!(m > 0)) throw new IllegalArgumentException("every sample weight is 0: no row to fit");
            if (!Double.isFinite(m)) throw new IllegalArgumentException("overflow: the sample weights sum to " + m);
        }
        double[] mu0 = new double[n + 1];
        for (int j = 0; j <= n; j++) mu0[j] = sums[j] / m;
        double[] q1 = new double[n + 2];
        moments(data, weighted, mu0, q1);
        requireFinite(q1, n, "sum of squares");
        double[] mean = mu0.clone();
        double[] sd = new double[n + 1];
        boolean refine = false;
        double[] c2 = mu0.clone();
        for (int j = 0; j <= n; j++) {
            sd[j] = Math.sqrt(q1[j] / m);
            if (sd[j] == 0 && mu0[j] != 0 && Math.abs(mu0[j]) < LinearRegression.MIN_SPREAD) {
                throw new IllegalArgumentException("underflow: " + (j == n ? "the target y" : "feature column " + j)
                        + " has mean " + mu0[j] + ": its squares underflow double arithmetic, so its spread cannot be"
                        + " measured; multiply it by a power of ten");
            }
            if (sd[j] > 0 && sd[j] <= SUSPICIOUS * Math.abs(mu0[j])) {
                refine = true;
                c2[j] = mu0[j] + sd[j];
            }
        }
        if (refine) {
            double[] q2 = new double[n + 2];
            moments(data, weighted, c2, q2);
            requireFinite(q2, n, "sum of squares");
            for (int j = 0; j <= n; j++) {
                double h = c2[j] - mu0[j]; // exact (Sterbenz)
                if (h == 0) continue;
                double e = (q1[j] - q2[j]) / (2.0 * m * h) + h / 2;
                mean[j] = mu0[j] + e;
                sd[j] = Math.sqrt(Math.max(0, q1[j] / m - e * e));
            }
        }
        Standardization scaling = Standardization.fromStats(java.util.Arrays.copyOf(mean, n),
                java.util.Arrays.copyOf(sd, n), standardize, intercept);
        return new RowSourceStats(scaling, TargetStats.of(rows, mean[n], sd[n]), weighted ? m : rows);
    }

    private static void moments(RowSource data, boolean weighted, double[] center, double[] out) {
        if (weighted) {
            data.weightedMoments(center, out);
        } else {
            data.moments(center, out);
        }
    }

    private static void requireFinite(double[] v, int n, String what) {
        for (int j = 0; j <= n; j++) {
            if (!Double.isFinite(v[j])) {
                throw new IllegalArgumentException("the " + what + " of " + (j == n ? "the target y" : "feature column " + j)
                        + " is " + v[j] + ": the data holds NaN or ±Inf there, or values too large for double"
                        + " arithmetic (overflow: divide that column by a power of ten)");
            }
        }
    }
}
