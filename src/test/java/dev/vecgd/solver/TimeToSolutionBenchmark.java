package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Time to solution of every solver (the table of {@code docs/time-to-solution.md}): passes over X and
 * seconds until ‖∇J‖ ≤ 10⁻¹⁰·‖∇J(0)‖ on a synthetic problem whose standardized ÃᵀÃ/m has condition number
 * about κ ∈ {10², 10⁴}, n = 32, m = {@code -Dvecgd.bench.m} (default 10⁵). Skipped unless
 * {@code -Dvecgd.bench=true}:
 * <pre>  mvn -B -q test -Dtest=TimeToSolutionBenchmark -Dvecgd.bench=true [-Dvecgd.bench.m=100000]</pre>
 * First-order solvers run at most {@code -Dvecgd.bench.cap} iterations (default 3000); a solver that has not
 * reached the target by then is <b>extrapolated</b> from its measured linear rate over the second half of
 * the run (passes = measured + ln(target/‖∇J_cap‖)/ln(rate); seconds scaled by time per pass), marked "≈".
 * The stop is made by a listener (gradient tolerance 0), diagnostics off, the automatic rate's power
 * iterations included in the passes. For cg the listener sees the recurrence gradient. For normal the
 * reached ratio is printed instead (a direct solve has no target).
 */
class TimeToSolutionBenchmark {

    static final int N = 32;
    static final double DROP = 1e-10;

    /**
     * X = Z Λ^{1/2} Qᵀ + offsets with Z iid N(0,1), Q a random orthogonal matrix and λ_i geometric from 1 to
     * 1/κ: the covariance Q Λ Qᵀ has condition number κ; after standardization (unit diagonal) it stays
     * near κ; the table reports the measured κ₂ of the standardized ÃᵀÃ/m (with the intercept column), by Jacobi.
     */
    static Dataset problem(int m, double kappa, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] q = new double[N][N];
        for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) q[i][j] = TestProblems.gaussian(rnd);
        for (int i = 0; i < N; i++) { // Gram-Schmidt on the rows
            for (int p = 0; p < i; p++) {
                double d = 0;
                for (int j = 0; j < N; j++) d += q[i][j] * q[p][j];
                for (int j = 0; j < N; j++) q[i][j] -= d * q[p][j];
            }
            double s = 0;
            for (int j = 0; j < N; j++) s += q[i][j] * q[i][j];
            s = Math.sqrt(s);
            for (int j = 0; j < N; j++) q[i][j] /= s;
        }
        double[] sl = new double[N];
        for (int i = 0; i < N; i++) sl[i] = Math.sqrt(Math.pow(kappa, -(double) i / (N - 1)));
        double[] x = new double[m * N];
        double[] y = new double[m];
        double[] z = new double[N];
        double[] theta = TestProblems.trueTheta(N);
        for (int r = 0; r < m; r++) {
            for (int i = 0; i < N; i++) z[i] = sl[i] * TestProblems.gaussian(rnd);
            double h = 1.5;
            for (int j = 0; j < N; j++) {
                double v = 0;
                for (int i = 0; i < N; i++) v += q[i][j] * z[i];
                v += 5 + j;
                x[r * N + j] = v;
                h += theta[j] * v;
            }
            y[r] = h + 0.1 * TestProblems.gaussian(rnd);
        }
        return Dataset.rowMajor(x, m, N, y);
    }

    record Row(String solver, double passes, double seconds, boolean extrapolated, double reached, double kappa) {
    }

    static Row run(Dataset d, Solver s, int cap) {
        double[] g = new double[cap + 2];
        double[] g0 = {Double.NaN};
        FitOptions o = FitOptions.builder().solver(s).gradientTolerance(0).maxIterations(cap).diagnostics(false)
                .listener((k, loss, gn) -> {
                    if (k == 0) g0[0] = gn;
                    g[k] = gn;
                    return gn > DROP * g0[0];
                }).build();
        if (s == Solver.NORMAL) { // a direct solve: default tolerance (1e-10·S), no listener target
            o = FitOptions.builder().solver(s).diagnostics(false).build();
        }
        FitResult r = LinearRegression.fit(d, o);
        double kappa = kappa2(d);
        double secPerPass = r.wallTimeSeconds() / r.passes();
        if (s == Solver.NORMAL) {
            double g0n = LinearRegression.fit(d, FitOptions.builder().maxIterations(0).diagnostics(false).build()).gradientNorm();
            return new Row(s.id(), r.passes(), r.wallTimeSeconds(), false, r.gradientNorm() / g0n, kappa);
        }
        if (r.stopReason() == StopReason.STOPPED_BY_CALLBACK) {
            return new Row(s.id(), r.passes(), r.wallTimeSeconds(), false, r.gradientNorm() / g0[0], kappa);
        }
        int k = r.iterations();
        int half = k / 2;
        double rate = Math.pow(g[k] / g[half], 1.0 / (k - half));
        double more = Math.log(DROP * g0[0] / g[k]) / Math.log(rate);
        double passes = r.passes() + more;
        return new Row(s.id(), passes, passes * secPerPass, true, DROP, kappa);
    }

    /** κ₂ of the standardized Gram matrix ÃᵀÃ/m (with the intercept column), by Jacobi eigenvalues. */
    static double kappa2(Dataset d) {
        Standardization st = Standardization.compute(d, true, true);
        GramMatrix gm = GramMatrix.accumulate(d, st, true, 0);
        int k = gm.k;
        double[][] a = new double[k][k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) a[i][j] = gm.g[i * k + j];
        for (int sweep = 0; sweep < 50; sweep++) {
            double off = 0;
            for (int p = 0; p < k; p++) for (int q = p + 1; q < k; q++) off += a[p][q] * a[p][q];
            if (off < 1e-30) break;
            for (int p = 0; p < k; p++) {
                for (int q = p + 1; q < k; q++) {
                    if (a[p][q] == 0) continue;
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1);
                    double sn = t * c;
                    for (int r = 0; r < k; r++) { // A ← A J (columns p, q)
                        double arp = a[r][p];
                        double arq = a[r][q];
                        a[r][p] = c * arp - sn * arq;
                        a[r][q] = sn * arp + c * arq;
                    }
                    for (int r = 0; r < k; r++) { // A ← Jᵀ A (rows p, q)
                        double apr = a[p][r];
                        double aqr = a[q][r];
                        a[p][r] = c * apr - sn * aqr;
                        a[q][r] = sn * apr + c * aqr;
                    }
                }
            }
        }
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (int i = 0; i < k; i++) {
            min = Math.min(min, a[i][i]);
            max = Math.max(max, a[i][i]);
        }
        return max / min;
    }

    @Test
    void kappaOfADiagonalGram() {
        // sanity check of kappa2: one standardized column and the intercept give G ≈ I, κ ≈ 1
        Dataset d = TestProblems.synthetic(2000, 1, 0.1, 3);
        assertTrue(kappa2(d) < 1.2, "κ " + kappa2(d));
    }

    @Test
    void printTable() {
        if (!Boolean.getBoolean("vecgd.bench")) return;
        int m = Integer.getInteger("vecgd.bench.m", 100_000);
        int cap = Integer.getInteger("vecgd.bench.cap", 3000);
        System.out.printf(Locale.ROOT, "m = %d, n = %d, target ‖∇J‖ ≤ 1e-10·‖∇J(0)‖, cap %d iterations, kernels %s%n%n",
                m, N, cap, dev.vecgd.kernel.Kernels.implementation());
        System.out.println("| κ (target) | κ₂ (measured) | solver | passes | seconds | ‖∇J‖/‖∇J(0)‖ | passes vs gd |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (double kappa : new double[] {1e2, 1e4}) {
            Dataset d = problem(m, kappa, 11);
            run(d, Solver.CG, 50); // warm-up
            double gdPasses = Double.NaN;
            for (Solver s : Solver.values()) {
                Row row = run(d, s, cap);
                if (s == Solver.GD) gdPasses = row.passes();
                String e = row.extrapolated() ? "≈ " : "";
                System.out.printf(Locale.ROOT, "| %.0e | %.3g | %s | %s%.0f | %s%.3f | %.1e | %s |%n", kappa, row.kappa(),
                        row.solver(), e, row.passes(), e, row.seconds(), row.reached(),
                        s == Solver.GD ? "1×" : String.format(Locale.ROOT, "%.1f× fewer", gdPasses / row.passes()));
            }
        }
    }
}
