package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.Matrix;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Time to solution at the size of issue 14: every solver on m = 10⁶ × n = 32 row-major doubles (256 MB) at
 * κ ≈ 10² and 10⁴ ({@link TimeToSolutionBenchmark#problem}), from the loaded arrays to the coefficients, with
 * the error against a reference computed here: the normal equations of [X 1] accumulated in double-double
 * (error-free products and sums, Ogita–Rump–Oishi) and solved with iterative refinement against those
 * double-double sums (so the reference is accurate to about ε, far below every solver's error). Skipped
 * unless {@code -Dvecgd.bench14=true}:
 * <pre>  mvn -B -q test -Dtest=TimeToSolutionMillionBenchmark -Dvecgd.bench14=true [-Dvecgd.bench.m=1000000]
 *      [-Dvecgd.bench.cap=1000] [-Dvecgd.bench.repeats=5] [-Dvecgd.bench.threads=0] [-Dvecgd.bench.solvers=normal,cg,…]
 *      [-Dvecgd.bench.tol=1e-10] [-Dvecgd.bench.directcap=10000]</pre>
 * "CPU seconds" is the process CPU time over the fit (all threads, JIT and GC included): on a machine shared with
 * other work it shows the cost that wall time hides.
 * {@code normal} and {@code cg}: one warm-up fit, then {@code repeats} timed fits (median and best reported);
 * the first-order solvers: one timed fit after the warm-up, capped at {@code cap} iterations (then they report
 * their stop reason and the error reached). Default options otherwise (what a user times), diagnostics off.
 * "reads of X" is {@link FitResult#passes()}, which counts every read (the preparation included).
 *
 * <p>The wide case of issue 14 ({@link #printWideTable}): m = 2·10⁵ × n = 1000 (1.6 GB), every solver that fits
 * it in reasonable time, error against {@code normal} refined to a tight tolerance (a double-double reference of
 * 10³ columns would take hours); needs a larger heap:
 * <pre>  mvn -B -q test -Dtest=TimeToSolutionMillionBenchmark#printWideTable -Dvecgd.bench14.wide=true \
 *      -Dvecgd.test.argLine="--add-modules jdk.incubator.vector -Xmx6g" [-Dvecgd.bench.threads=1]</pre>
 */
class TimeToSolutionMillionBenchmark {

    /** The double-double normal equations of A = [X 1], refined. θ (n values) then the intercept. */
    static double[] reference(Dataset d) {
        Matrix x = d.x();
        int m = d.rows();
        int n = d.cols();
        int k = n + 1;
        double[] ah = new double[k * k], al = new double[k * k], bh = new double[k], bl = new double[k];
        double[] row = new double[k];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) row[j] = x.get(i, j);
            row[n] = 1;
            double yi = d.y(i);
            for (int p = 0; p < k; p++) {
                double rp = row[p];
                for (int q = p; q < k; q++) {
                    int at = p * k + q;
                    double pr = rp * row[q];
                    double pe = Math.fma(rp, row[q], -pr);
                    double s = ah[at] + pr;
                    double bb = s - ah[at];
                    al[at] += (ah[at] - (s - bb)) + (pr - bb) + pe;
                    ah[at] = s;
                }
                double pr = rp * yi;
                double pe = Math.fma(rp, yi, -pr);
                double s = bh[p] + pr;
                double bb = s - bh[p];
                bl[p] += (bh[p] - (s - bb)) + (pr - bb) + pe;
                bh[p] = s;
            }
        }
        double[] a = new double[k * k];
        for (int p = 0; p < k; p++) {
            for (int q = p; q < k; q++) {
                a[p * k + q] = ah[p * k + q] + al[p * k + q];
                a[q * k + p] = a[p * k + q];
                ah[q * k + p] = ah[p * k + q];
                al[q * k + p] = al[p * k + q];
            }
        }
        double[] l = GramMatrix.cholesky(a, k, new int[1]);
        if (l == null) throw new IllegalStateException("reference: [X 1]ᵀ[X 1] is not positive definite in double");
        double[] b = new double[k];
        for (int p = 0; p < k; p++) b[p] = bh[p] + bl[p];
        double[] w = GramMatrix.solve(l, k, b);
        for (int it = 0; it < 30; it++) { // r = b − A w in double-double, w += A⁻¹ r
            double[] r = new double[k];
            for (int p = 0; p < k; p++) {
                double sh = bh[p], sl = bl[p];
                for (int q = 0; q < k; q++) {
                    double pr = -ah[p * k + q] * w[q];
                    double pe = Math.fma(-ah[p * k + q], w[q], -pr) - al[p * k + q] * w[q];
                    double s = sh + pr;
                    double bb = s - sh;
                    sl += (sh - (s - bb)) + (pr - bb) + pe;
                    sh = s;
                }
                r[p] = sh + sl;
            }
            double[] dw = GramMatrix.solve(l, k, r);
            double change = 0, size = 0;
            for (int p = 0; p < k; p++) {
                w[p] += dw[p];
                change = Math.max(change, Math.abs(dw[p]));
                size = Math.max(size, Math.abs(w[p]));
            }
            if (change <= 1e-17 * size) break;
        }
        return w;
    }

    /** ‖(θ, b) − ref‖₂ / ‖ref‖₂. */
    static double error(FitResult r, double[] ref) {
        int n = ref.length - 1;
        double num = 0, den = 0;
        for (int j = 0; j <= n; j++) {
            double got = j < n ? r.coefficient(j) : r.intercept();
            num += (got - ref[j]) * (got - ref[j]);
            den += ref[j] * ref[j];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void referenceSolvesASmallProblemExactly() {
        Dataset d = TestProblems.synthetic(3000, 4, 0.0, 7); // no noise: the reference is the true θ
        double[] ref = reference(d);
        double[] t = TestProblems.trueTheta(4);
        for (int j = 0; j < 4; j++) assertTrue(Math.abs(ref[j] - t[j]) < 1e-12 * Math.abs(t[j]), "θ" + j + " " + ref[j]);
        assertTrue(Math.abs(ref[4] - TestProblems.TRUE_INTERCEPT) < 1e-11, "intercept " + ref[4]);
    }

    @Test
    void printTable() {
        if (!Boolean.getBoolean("vecgd.bench14")) return;
        int m = Integer.getInteger("vecgd.bench.m", 1_000_000);
        int cap = Integer.getInteger("vecgd.bench.cap", 1000);
        int repeats = Integer.getInteger("vecgd.bench.repeats", 5);
        int directCap = Integer.getInteger("vecgd.bench.directcap", 10_000); // maxIterations of normal and cg
        int threads = Integer.getInteger("vecgd.bench.threads", 0);
        double tol = Double.parseDouble(System.getProperty("vecgd.bench.tol", "1e-10")); // the default gradientTolerance
        java.util.List<Solver> solvers = new java.util.ArrayList<>();
        for (String id : System.getProperty("vecgd.bench.solvers", "normal,cg,nesterov,momentum,gd").split(",")) {
            solvers.add(Solver.parse(id.trim()));
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(Locale.ROOT, "m = %d, n = %d, kernels %s, %s %s, %d cores, threads %s, gradientTolerance %.0e, cap %d iterations for gd/momentum/nesterov%n%n",
                m, TimeToSolutionBenchmark.N, dev.vecgd.kernel.Kernels.implementation(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                threads == 0 ? "automatic" : String.valueOf(threads), tol, cap);
        System.out.println("| κ (target) | κ₂ (measured) | solver | seconds (median) | seconds (best) | CPU seconds (median, all threads) | passes | reads of X | stop | error vs reference |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (double kappa : new double[]{1e2, 1e4}) {
            Dataset d = TimeToSolutionBenchmark.problem(m, kappa, 11);
            double[] ref = reference(d);
            double k2 = TimeToSolutionBenchmark.kappa2(d);
            for (Solver s : solvers) {
                boolean direct = s == Solver.NORMAL || s == Solver.CG;
                FitOptions o = FitOptions.builder().solver(s).diagnostics(false).maxIterations(direct ? directCap : cap)
                        .threads(threads).gradientTolerance(tol).build();
                LinearRegression.fit(d, direct ? o : FitOptions.builder().solver(s).diagnostics(false).maxIterations(20)
                        .threads(threads).build());
                int reps = direct ? repeats : 1;
                double[] sec = new double[reps];
                double[] cpu = new double[reps];
                FitResult r = null;
                for (int i = 0; i < reps; i++) {
                    long c0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    r = LinearRegression.fit(d, o);
                    sec[i] = (System.nanoTime() - t0) * 1e-9;
                    cpu[i] = (os.getProcessCpuTime() - c0) * 1e-9;
                }
                Arrays.sort(sec);
                Arrays.sort(cpu);
                long reads = r.passes(); // every read of X, the preparation included
                System.out.printf(Locale.ROOT, "| %.0e | %.3g | %s | %.3f | %.3f | %.3f | %d | %d | %s | %.1e |%n", kappa, k2,
                        s.id(), sec[reps / 2], sec[0], cpu[reps / 2], r.passes(), reads, r.stopReason(), error(r, ref));
            }
        }
    }

    /** X = Z + c_j with Z iid N(0, 1) and a common factor (κ ≈ 10–10²), y = Xθ + 1.5 + noise; m × n row-major. */
    static Dataset wideProblem(int m, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[m * n];
        double[] y = new double[m];
        double[] theta = new double[n];
        for (int j = 0; j < n; j++) theta[j] = Math.sin(j + 1.0);
        for (int r = 0; r < m; r++) {
            double f = TestProblems.gaussian(rnd);
            double h = 1.5;
            for (int j = 0; j < n; j++) {
                double v = 0.3 * f + TestProblems.gaussian(rnd) + 0.01 * j;
                x[r * n + j] = v;
                h += theta[j] * v;
            }
            y[r] = h + 0.1 * TestProblems.gaussian(rnd);
        }
        return Dataset.rowMajor(x, m, n, y);
    }

    @Test
    void printWideTable() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("vecgd.bench14.wide"),
                "the wide time-to-solution table runs with -Dvecgd.bench14.wide=true");
        int m = Integer.getInteger("vecgd.bench.m", 200_000);
        int n = Integer.getInteger("vecgd.bench.n", 1000);
        int threads = Integer.getInteger("vecgd.bench.threads", 0);
        int repeats = Integer.getInteger("vecgd.bench.repeats", 3);
        Dataset d = wideProblem(m, n, 5);
        FitResult ref = LinearRegression.fit(d, FitOptions.builder().solver("normal").gradientTolerance(1e-15)
                .maxIterations(10).threads(threads).diagnostics(false).build());
        double[] want = Arrays.copyOf(ref.coefficients(), n + 1);
        want[n] = ref.intercept();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(Locale.ROOT, "wide: m = %d, n = %d, kernels %s, %s %s, %d cores, threads %s; reference: normal at"
                        + " tolerance 1e-15 (%s, ‖∇J‖/S = %.1e)%n%n", m, n, dev.vecgd.kernel.Kernels.implementation(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), threads == 0 ? "automatic" : String.valueOf(threads),
                ref.stopReason(), ref.relativeGradient());
        System.out.println("| solver | seconds (median) | seconds (best) | CPU seconds (median, all threads) | passes | stop | error vs reference |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String id : System.getProperty("vecgd.bench.solvers", "normal,cg").split(",")) {
            FitOptions o = FitOptions.builder().solver(id.trim()).diagnostics(false).threads(threads).build();
            LinearRegression.fit(d, o); // warm-up
            double[] sec = new double[repeats];
            double[] cpu = new double[repeats];
            FitResult r = null;
            for (int i = 0; i < repeats; i++) {
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                r = LinearRegression.fit(d, o);
                sec[i] = (System.nanoTime() - t0) * 1e-9;
                cpu[i] = (os.getProcessCpuTime() - c0) * 1e-9;
            }
            Arrays.sort(sec);
            Arrays.sort(cpu);
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %d | %s | %.1e |%n", id.trim(), sec[repeats / 2], sec[0],
                    cpu[repeats / 2], r.passes(), r.stopReason(), error(r, want));
        }
    }
}
