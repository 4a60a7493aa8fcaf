package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.*;

/** Every {@link Solver} against closed forms; Solver.parse; the not-positive-definite error. */
class SolversTest {

    private static final Dataset DATA = TestProblems.synthetic(400, 5, 0.5, 77);

    private static FitOptions.Builder opts(Solver s) {
        return FitOptions.builder().solver(s).gradientTolerance(1e-14).maxIterations(200_000);
    }

    @ParameterizedTest
    @EnumSource(Solver.class)
    void matchesTheClosedForm(Solver s) {
        double[] want = TestProblems.normalEquations(DATA, true, 0);
        FitResult r = LinearRegression.fit(DATA, opts(s).build());
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        assertEquals(s.id(), r.optimizer());
        for (int j = 0; j < 5; j++) assertEquals(0, TestProblems.relErr(r.coefficient(j), want[j]), 1e-10, s + " θ" + j);
        assertEquals(0, TestProblems.relErr(r.intercept(), want[5]), 1e-9, s + " intercept");
        assertTrue(r.passes() > 0);
        assertTrue(r.residualStd() > 0.4 && r.residualStd() < 0.6, "σ̂ " + r.residualStd());
        for (double se : r.standardErrors()) assertTrue(se > 0 && se < 0.1, "se " + se);
        assertTrue(r.interceptStandardError() > 0);
        assertTrue(r.conditionNumber() >= 1 && r.conditionNumber() < 100, "κ " + r.conditionNumber());
        assertFalse(r.hasWarning(), r.warning());
    }

    @ParameterizedTest
    @EnumSource(Solver.class)
    void noInterceptMatchesTheClosedForm(Solver s) {
        double[] want = TestProblems.normalEquations(DATA, false, 0);
        FitResult r = LinearRegression.fit(DATA, opts(s).intercept(false).build());
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        for (int j = 0; j < 5; j++) assertEquals(0, TestProblems.relErr(r.coefficient(j), want[j]), 1e-9, s + " θ" + j);
        assertEquals(0, r.intercept());
    }

    @ParameterizedTest
    @EnumSource(Solver.class)
    void ridgeMatchesTheClosedFormRidge(Solver s) {
        double lambda = 0.3;
        double[] want = standardizedRidge(DATA, lambda);
        FitResult r = LinearRegression.fit(DATA, opts(s).l2(lambda).build());
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        for (int j = 0; j < 5; j++) assertEquals(0, TestProblems.relErr(r.coefficient(j), want[j]), 1e-10, s + " θ" + j);
        assertEquals(0, TestProblems.relErr(r.intercept(), want[5]), 1e-10, s + " intercept (never penalized)");
        // and in original coordinates (no standardization) against the test oracle, on data whose raw
        // coordinates are well conditioned, so that every solver (gd too) converges and is compared
        Dataset unit = unitScaleData(400, 5, 78);
        FitResult raw = LinearRegression.fit(unit, opts(s).standardize(false).l2(lambda).build());
        assertEquals(StopReason.CONVERGED, raw.stopReason(), raw.message());
        double[] want2 = TestProblems.normalEquations(unit, true, lambda);
        for (int j = 0; j < 5; j++) assertEquals(0, TestProblems.relErr(raw.coefficient(j), want2[j]), 1e-9, s + " raw θ" + j);
        assertEquals(0, TestProblems.relErr(raw.intercept(), want2[5]), 1e-9, s + " raw intercept (never penalized)");
    }

    /** Features uniform in [0.5, 1.5) (so the intercept is not orthogonal to them), y = Σ θ_j x_j + 2 + noise. */
    static Dataset unitScaleData(int m, int n, long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        double[] x = new double[m * n];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            y[i] = 2 + 0.3 * TestProblems.gaussian(rnd);
            for (int j = 0; j < n; j++) {
                x[i * n + j] = 0.5 + rnd.nextDouble();
                y[i] += (j + 1) * (j % 2 == 0 ? 1 : -1) * x[i * n + j];
            }
        }
        return Dataset.rowMajor(x, m, n, y);
    }

    /**
     * Ridge in standardized coordinates: (ÃᵀÃ/m + λP) w = Ãᵀy/m, Ã = [(X − μ)/σ, 1], then β = w/σ,
     * b = w_n − μ·β. Dense, for the test.
     */
    static double[] standardizedRidge(Dataset d, double lambda) {
        int m = d.rows();
        int n = d.cols();
        double[] mu = new double[n];
        double[] sd = new double[n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) mu[j] += d.x(i, j);
            mu[j] /= m;
            for (int i = 0; i < m; i++) sd[j] += (d.x(i, j) - mu[j]) * (d.x(i, j) - mu[j]);
            sd[j] = Math.sqrt(sd[j] / m);
        }
        double[] z = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) z[i * n + j] = (d.x(i, j) - mu[j]) / sd[j];
        Dataset zd = Dataset.of(Matrix.rowMajor(z, m, n), yOf(d));
        double[] w = TestProblems.normalEquations(zd, true, lambda);
        double[] out = new double[n + 1];
        double shift = 0;
        for (int j = 0; j < n; j++) {
            out[j] = w[j] / sd[j];
            shift += mu[j] * out[j];
        }
        out[n] = w[n] - shift;
        return out;
    }

    private static double[] yOf(Dataset d) {
        double[] y = new double[d.rows()];
        for (int i = 0; i < y.length; i++) y[i] = d.y(i);
        return y;
    }

    @ParameterizedTest
    @EnumSource(Solver.class)
    void columnMajorDataGivesTheSameFit(Solver s) {
        int m = DATA.rows();
        int n = DATA.cols();
        double[] cm = new double[m * n];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            y[i] = DATA.y(i);
            for (int j = 0; j < n; j++) cm[j * m + i] = DATA.x(i, j);
        }
        Dataset col = Dataset.columnMajor(cm, m, n, y);
        FitResult a = LinearRegression.fit(DATA, opts(s).build());
        FitResult b = LinearRegression.fit(col, opts(s).build());
        assertTrue(b.converged(), b.message());
        for (int j = 0; j < n; j++) assertEquals(0, TestProblems.relErr(b.coefficient(j), a.coefficient(j)), 1e-10);
        for (int j = 0; j < n; j++) {
            assertEquals(0, TestProblems.relErr(b.standardErrors()[j], a.standardErrors()[j]), 1e-10);
        }
        assertEquals(a.residualStd(), b.residualStd(), 1e-12 * a.residualStd());
    }

    @Test
    void diagnosticsOffAndRidgeStandardErrors() {
        FitResult off = LinearRegression.fit(DATA, opts(Solver.CG).diagnostics(false).build());
        assertTrue(Double.isNaN(off.residualStd()) && Double.isNaN(off.standardErrors()[0]));
        assertFalse(off.hasWarning());
        // the ridge (sandwich) standard errors tend to the least-squares ones as λ → 0; per unit of σ̂ they
        // shrink with λ (H⁻¹GH⁻¹ ≼ G⁻¹), while σ̂ itself grows with the bias
        FitResult ols = LinearRegression.fit(DATA, opts(Solver.NORMAL).build());
        FitResult tiny = LinearRegression.fit(DATA, opts(Solver.NORMAL).l2(1e-9).build());
        FitResult big = LinearRegression.fit(DATA, opts(Solver.NORMAL).l2(1.0).build());
        for (int j = 0; j < 5; j++) {
            assertEquals(0, TestProblems.relErr(tiny.standardErrors()[j], ols.standardErrors()[j]), 1e-6);
            assertTrue(big.standardErrors()[j] / big.residualStd() < ols.standardErrors()[j] / ols.residualStd());
        }
    }

    /**
     * Mini-batches must process every batch of every epoch. On noise-free data (y exactly linear in x) every
     * row's gradient vanishes at the solution, so a fixed-rate mini-batch descent converges to the exact
     * least-squares solution (no noise floor), and it needs about B times more epochs when only one of the
     * B = 400/50 = 8 batches of an epoch is used. So the fit must reach the closed form to 1e-9 within 15
     * epochs: measured 7 (gd) and 5 (momentum, nesterov); full batch, i.e. one step per epoch, needs 40, 31
     * and 27 epochs.
     */
    @ParameterizedTest
    @EnumSource(value = Solver.class, names = {"GD", "MOMENTUM", "NESTEROV"})
    void miniBatchesProcessEveryBatchOfEveryEpoch(Solver s) {
        Dataset exact = TestProblems.synthetic(400, 5, 0.0, 77);
        double[] want = TestProblems.normalEquations(exact, true, 0);
        // plain fixed-rate steps (varianceReduction(false)): the counting argument above is about them; the
        // default variance-reduced steps spend one full pass per epoch on their anchor gradient
        FitResult r = LinearRegression.fit(exact, FitOptions.builder().solver(s).batchSize(50).seed(3)
                .varianceReduction(false).gradientTolerance(1e-11).maxIterations(15).build());
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        assertEquals(s.id(), r.optimizer());
        for (int j = 0; j < 5; j++) assertEquals(0, TestProblems.relErr(r.coefficient(j), want[j]), 1e-9, s + " θ" + j);
        assertEquals(0, TestProblems.relErr(r.intercept(), want[5]), 1e-9, s + " intercept");
    }

    @Test
    void parseMapsEveryName() {
        assertEquals(Solver.GD, Solver.parse("gd"));
        assertEquals(Solver.MOMENTUM, Solver.parse("momentum"));
        assertEquals(Solver.NESTEROV, Solver.parse("nesterov"));
        assertEquals(Solver.CG, Solver.parse(" CG "));
        assertEquals(Solver.NORMAL, Solver.parse("normal"));
        for (Solver s : Solver.values()) assertEquals(s, Solver.parse(s.id()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Solver.parse("adam"));
        assertTrue(e.getMessage().contains("gd, momentum, nesterov, cg, normal"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Solver.parse(null));
        assertEquals(Solver.GD, FitOptions.defaults().solver());
        assertEquals(Solver.CG, FitOptions.builder().solver("cg").build().solver());
    }

    @Test
    void normalReportsACollinearDesignAsIllConditioned() {
        int m = 50;
        double[] x = new double[m * 3];
        double[] y = new double[m];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int i = 0; i < m; i++) {
            double a = rnd.nextDouble();
            double b = rnd.nextDouble();
            x[i * 3] = a;
            x[i * 3 + 1] = b;
            x[i * 3 + 2] = 2 * a - 3 * b + 1; // exactly dependent on the others and the intercept
            y[i] = a + b + rnd.nextDouble();
        }
        Dataset d = Dataset.rowMajor(x, m, 3, y);
        // issue 18: the contract of every solver (Solver's javadoc) — a status, not an exception
        FitResult singular = LinearRegression.fit(d, FitOptions.builder().solver(Solver.NORMAL).build());
        assertEquals(StopReason.ILL_CONDITIONED, singular.stopReason(), singular.message());
        assertTrue(singular.message().contains("singular") && singular.message().contains("column"), singular.message());
        // with a ridge penalty the system is positive definite again
        FitResult r = LinearRegression.fit(d, FitOptions.builder().solver(Solver.NORMAL).l2(1e-3).build());
        assertTrue(r.converged(), r.message());
        // an iterative solver still returns a (minimum-change) least-squares fit and warns about κ
        FitResult cg = LinearRegression.fit(d, FitOptions.builder().solver(Solver.CG).build());
        assertTrue(cg.hasWarning(), cg.warning());
    }

    @Test
    void cgAndNormalRejectMiniBatches() {
        assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.fit(DATA, FitOptions.builder().solver(Solver.CG).batchSize(10).build()));
        assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.fit(DATA, FitOptions.builder().solver(Solver.NORMAL).batchSize(10).build()));
    }

    /**
     * A budget too small to converge: gd, momentum and nesterov get 2 steps at tolerance 1e-15; cg (preconditioned
     * by the Cholesky factor of the Gram matrix, it converges in 2) gets none; normal gets no refinement step at
     * tolerance 0 (its direct solution alone reaches ‖∇J‖/S ≈ 2e-16, which converges at
     * 1e-15: that case is {@link #normalConvergesWithoutRefinementWhenTheDirectSolutionMeetsTheTolerance}).
     */
    @ParameterizedTest
    @EnumSource(Solver.class)
    void budgetExhaustionIsReportedHonestly(Solver s) {
        boolean normal = s == Solver.NORMAL;
        int budget = normal || s == Solver.CG ? 0 : 2;
        FitResult r = LinearRegression.fit(DATA, FitOptions.builder().solver(s).gradientTolerance(normal ? 0 : 1e-15)
                .maxIterations(budget).build());
        assertFalse(r.converged(), s + " cannot converge: " + r.message());
        assertEquals(StopReason.MAX_ITERATIONS, r.stopReason(), r.message());
        assertEquals(budget, r.iterations());
        assertTrue(r.message().startsWith("not converged") && r.message().contains("maxIterations = " + budget),
                r.message());
        assertTrue(r.relativeGradient() > (normal ? 0 : 1e-15), "‖∇J‖/S " + r.relativeGradient());
    }

    @Test
    void normalConvergesWithoutRefinementWhenTheDirectSolutionMeetsTheTolerance() {
        FitResult r = LinearRegression.fit(DATA, FitOptions.builder().solver(Solver.NORMAL).gradientTolerance(1e-15)
                .maxIterations(0).build());
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        assertEquals(0, r.iterations());
        assertTrue(r.relativeGradient() <= 1e-15, "‖∇J‖/S " + r.relativeGradient());
    }

    @ParameterizedTest
    @EnumSource(Solver.class)
    void listenerSeesEveryIteration(Solver s) {
        int[] calls = new int[1];
        FitResult r = LinearRegression.fit(DATA, opts(s).listener((k, loss, g) -> {
            calls[0]++;
            return true;
        }).build());
        assertEquals(r.iterations() + 1, calls[0]);
        assertEquals(Math.min(r.iterations() + 1, 1000), r.historyIterations().length);
    }

    @Test
    void acceleratedSolversNeedFewerPasses() {
        FitResult gd = LinearRegression.fit(DATA, opts(Solver.GD).build());
        FitResult nes = LinearRegression.fit(DATA, opts(Solver.NESTEROV).build());
        FitResult cg = LinearRegression.fit(DATA, opts(Solver.CG).build());
        assertTrue(cg.passes() < gd.passes(), cg.passes() + " vs " + gd.passes());
        assertTrue(nes.passes() <= gd.passes(), nes.passes() + " vs " + gd.passes());
    }
}
