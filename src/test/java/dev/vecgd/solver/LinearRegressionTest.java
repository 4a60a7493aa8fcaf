package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.Matrix;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class LinearRegressionTest {

    private static final int M = 3000;
    private static final int N = 6;
    private final Dataset data = TestProblems.synthetic(M, N, 0.5, 2024);

    private static void assertAgrees(double[] exact, FitResult r, double tol) {
        int n = exact.length - 1;
        for (int j = 0; j < n; j++) {
            assertTrue(TestProblems.relErr(r.coefficient(j), exact[j]) <= tol,
                    "θ" + (j + 1) + ": " + r.coefficient(j) + " vs " + exact[j] + " (" + r.message() + ")");
        }
        assertTrue(TestProblems.relErr(r.intercept(), exact[n]) <= tol || (exact[n] == 0 && r.intercept() == 0),
                "θ0: " + r.intercept() + " vs " + exact[n]);
    }

    private static FitOptions.Builder tight() {
        return FitOptions.builder().gradientTolerance(1e-14);
    }

    @Test
    void agreesWithNormalEquations() {
        FitResult r = LinearRegression.fit(data, tight().build());
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        assertTrue(r.converged());
        assertAgrees(TestProblems.normalEquations(data, true, 0), r, 1e-8);
        double[] t = TestProblems.trueTheta(N);
        for (int j = 0; j < N; j++) assertEquals(t[j], r.coefficient(j), 0.05);
        assertTrue(r.r2() > 0.99 && r.r2() <= 1);
        assertEquals(0.5, r.rmse(), 0.05);
        assertTrue(r.iterations() > 0 && r.passes() > r.iterations());
        assertFalse(r.implementation().isEmpty());
        assertEquals("gd", r.optimizer());
        assertTrue(r.historyLoss().length > 0 && r.historyLoss()[0] >= r.loss());
    }

    @Test
    void layoutsStridesAndTargetColumnGiveTheSameFit() {
        double[][] a = TestProblems.syntheticArrays(M, N, 0.5, 2024);
        double[] x = a[0];
        double[] y = a[1];
        // column-major copy with ld = M + 3, offset 5
        int ld = M + 3;
        double[] cm = new double[5 + ld * N];
        for (int i = 0; i < M; i++) for (int j = 0; j < N; j++) cm[5 + j * ld + i] = x[i * N + j];
        Dataset colMajor = Dataset.of(Matrix.columnMajor(cm, 5, M, N, ld), y);
        // row-major table [x | y], y the last column (stride N + 1)
        double[] table = new double[M * (N + 1)];
        for (int i = 0; i < M; i++) {
            System.arraycopy(x, i * N, table, i * (N + 1), N);
            table[i * (N + 1) + N] = y[i];
        }
        Dataset tableData = Dataset.fromTable(Matrix.rowMajor(table, M, N + 1), N);
        double[] exact = TestProblems.normalEquations(data, true, 0);
        for (Dataset d : new Dataset[] {colMajor, tableData}) {
            FitResult r = LinearRegression.fit(d, tight().build());
            assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
            assertAgrees(exact, r, 1e-8);
        }
    }

    @Test
    void withoutInterceptAndWithoutStandardization() {
        // without an intercept the columns are scaled, not centered: use features of small mean so the
        // uncentered problem is well conditioned
        double[][] a = TestProblems.syntheticArrays(M, N, 0.5, 99);
        for (int i = 0; i < a[0].length; i++) a[0][i] -= 10.0 * (i % N);
        Dataset centered = Dataset.rowMajor(a[0], M, N, a[1]);
        FitResult noInt = LinearRegression.fit(centered, tight().intercept(false).build());
        assertEquals(StopReason.CONVERGED, noInt.stopReason(), noInt.message());
        assertEquals(0.0, noInt.intercept());
        assertAgrees(TestProblems.normalEquations(centered, false, 0), noInt, 1e-8);
        // unstandardized: features of mean up to 50 make XᵀX ill-conditioned, so GD needs many more steps
        FitResult raw = LinearRegression.fit(data, FitOptions.builder().standardize(false).maxIterations(50).build());
        FitResult std = LinearRegression.fit(data, FitOptions.builder().maxIterations(50).build());
        assertTrue(std.loss() < raw.loss(), "standardization speeds GD up: " + std.loss() + " vs " + raw.loss());
    }

    @Test
    void ridgeWithoutStandardizationMatchesClosedForm() {
        double[][] a = TestProblems.syntheticArrays(500, 3, 0.5, 5);
        double[] x = a[0];
        for (int i = 0; i < x.length; i++) x[i] = (x[i] - 10 * (i % 3)) / (1 + i % 3); // near unit scale
        Dataset d = Dataset.rowMajor(x, 500, 3, a[1]);
        double lambda = 0.3;
        FitResult r = LinearRegression.fit(d, tight().standardize(false).l2(lambda).build());
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        assertAgrees(TestProblems.normalEquations(d, true, lambda), r, 1e-8);
    }

    @Test
    void warmStartAtTheSolutionStopsAtOnce() {
        double[] exact = TestProblems.normalEquations(data, true, 0);
        double[] coef = java.util.Arrays.copyOf(exact, N);
        FitResult r = LinearRegression.fit(data, FitOptions.builder().warmStart(coef, exact[N]).build());
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        assertEquals(0, r.iterations());
    }

    /** A warm start away from the solution: used as given (checked at 0 iterations), then converges to the same fit. */
    @Test
    void warmStartFromAnotherPointIsUsedAndConverges() {
        double[] exact = TestProblems.normalEquations(data, true, 0);
        double[] coef = new double[N];
        for (int j = 0; j < N; j++) coef[j] = 0.5 * exact[j] + 0.1 * (j + 1);
        double b = exact[N] - 3;
        for (Solver s : new Solver[] {Solver.GD, Solver.MOMENTUM, Solver.NESTEROV, Solver.CG}) {
            FitResult start = LinearRegression.fit(data, FitOptions.builder().solver(s).warmStart(coef, b).maxIterations(0).build());
            for (int j = 0; j < N; j++) assertEquals(coef[j], start.coefficient(j), 1e-12 * (1 + Math.abs(coef[j])), s + " θ" + j);
            assertEquals(b, start.intercept(), 1e-12 * (1 + Math.abs(b)), s + " intercept");
            FitResult r = LinearRegression.fit(data, FitOptions.builder().solver(s).warmStart(coef, b)
                    .gradientTolerance(1e-13).maxIterations(100_000).build());
            assertEquals(StopReason.CONVERGED, r.stopReason(), s + ": " + r.message());
            assertTrue(r.iterations() > 0, s + " had to iterate");
            for (int j = 0; j < N; j++) assertEquals(0, TestProblems.relErr(r.coefficient(j), exact[j]), 1e-9, s + " θ" + j);
        }
    }

    /**
     * lossChangeTolerance: the fit stops (STALLED) at the first iteration whose relative loss change
     * |J_{k−1} − J_k| ≤ tol·J_k, and not before. The tolerance is taken from the loss history of a run without
     * the rule (runs are bit-reproducible): just above the change at an iteration ≥ 5 whose change is smaller than
     * every earlier one, so the rule must fire exactly
     * there — a rule that fired late (a smaller effective tolerance) or early would be caught.
     */
    @Test
    void lossChangeToleranceStopsAtTheFirstSmallChange() {
        FitResult plain = LinearRegression.fit(data, FitOptions.builder().gradientTolerance(0).lossChangeTolerance(0)
                .maxIterations(30).build());
        assertEquals(StopReason.MAX_ITERATIONS, plain.stopReason(), "lossChangeTolerance 0 is off: " + plain.message());
        double[] h = plain.historyLoss();
        double[] change = new double[h.length];
        for (int k = 1; k < h.length; k++) change[k] = Math.abs(h[k - 1] - h[k]) / h[k];
        int k0 = 5; // the first iteration from 5 on whose change is a new minimum
        double least = Double.POSITIVE_INFINITY;
        for (int k = 1; k < k0; k++) least = Math.min(least, change[k]);
        while (!(change[k0] * (1 + 1e-6) < least)) least = Math.min(least, change[k0++]);
        double tol = change[k0] * (1 + 1e-9);
        FitResult r = LinearRegression.fit(data, FitOptions.builder().gradientTolerance(0).lossChangeTolerance(tol)
                .maxIterations(30).build());
        assertEquals(StopReason.STALLED, r.stopReason(), r.message());
        assertTrue(r.message().startsWith("not converged"), r.message());
        assertFalse(r.converged());
        assertEquals(k0, r.iterations(), r.message());
        assertEquals(h[k0], r.loss(), 1e-12 * h[k0]);
    }

    @Test
    void hugeLearningRateDivergesWithinAFewIterations() {
        FitResult r = LinearRegression.fit(data, FitOptions.builder().learningRate(50).build());
        assertEquals(StopReason.DIVERGED, r.stopReason());
        assertFalse(r.converged());
        assertTrue(r.iterations() <= 10, "detected after " + r.iterations());
        assertTrue(r.message().contains("α = 50") && r.message().contains("automatic"), r.message());
        for (double c : r.coefficients()) assertTrue(Double.isFinite(c));
        assertTrue(Double.isFinite(r.intercept()) && Double.isFinite(r.loss()));
        assertThrows(IllegalStateException.class, r::requireConverged);
        // slightly too large (2/L < α < ~2.2/L): slow growth, caught by the rise rule or the growth bound
        FitResult slow = LinearRegression.fit(data, FitOptions.builder().learningRate(2.3).maxIterations(100_000).build());
        assertEquals(StopReason.DIVERGED, slow.stopReason(), slow.message());
    }

    @Test
    void autoRateNeverDivergesOnTheTestData() {
        for (long seed = 1; seed <= 5; seed++) {
            Dataset d = TestProblems.synthetic(200 + (int) seed * 37, 1 + (int) seed, 0.1 * seed, seed);
            for (boolean intercept : new boolean[] {true, false}) {
                for (boolean standardize : new boolean[] {true, false}) {
                    FitResult r = LinearRegression.fit(d, FitOptions.builder().intercept(intercept)
                            .standardize(standardize).maxIterations(2000).build());
                    assertNotEquals(StopReason.DIVERGED, r.stopReason(), r.message());
                    double[] losses = r.historyLoss();
                    for (int k = 1; k < losses.length; k++) {
                        assertTrue(losses[k] <= losses[k - 1] * (1 + 1e-12), "loss rose at entry " + k);
                    }
                }
            }
        }
    }

    @Test
    void miniBatchFitsTheSyntheticData() {
        double[] exact = TestProblems.normalEquations(data, true, 0);
        FitResult r = LinearRegression.fit(data, FitOptions.builder().batchSize(32).seed(7).maxIterations(30).build());
        assertNotEquals(StopReason.DIVERGED, r.stopReason(), r.message());
        for (int j = 0; j < N; j++) assertEquals(exact[j], r.coefficient(j), 0.02 * (1 + Math.abs(exact[j])));
        // the intercept on the original scale absorbs μ·Δθ (feature means up to 50), so judge the fit by its loss
        double best = LinearRegression.fit(data, tight().build()).loss();
        assertTrue(r.loss() <= 1.1 * best, "mini-batch loss " + r.loss() + " vs optimum " + best);
        FitResult again = LinearRegression.fit(data, FitOptions.builder().batchSize(32).seed(7).maxIterations(30).build());
        assertArrayEquals(r.coefficients(), again.coefficients(), "seeded shuffling is reproducible");
        FitResult sgd = LinearRegression.fit(data, FitOptions.builder().batchSize(1).maxIterations(3)
                .varianceReduction(false).build());
        assertNotEquals(StopReason.DIVERGED, sgd.stopReason(), sgd.message());
        assertTrue(sgd.loss() <= 1.3 * best, "stochastic (batch 1) loss " + sgd.loss() + " vs optimum " + best);
        for (int j = 0; j < N; j++) assertEquals(exact[j], sgd.coefficient(j), 0.05 * (1 + Math.abs(exact[j])), "SGD θ" + j);
        // the default (variance-reduced) steps start slower than plain SGD but reach the exact solution
        FitResult vr = LinearRegression.fit(data, FitOptions.builder().batchSize(1).build());
        assertEquals(StopReason.CONVERGED, vr.stopReason(), vr.message());
        for (int j = 0; j < N; j++) assertEquals(exact[j], vr.coefficient(j), 1e-6 * (1 + Math.abs(exact[j])));
    }

    @Test
    void listenerSeesEveryIterationAndCanStop() {
        AtomicInteger calls = new AtomicInteger();
        FitResult r = LinearRegression.fit(data, FitOptions.builder().gradientTolerance(0).maxIterations(1000)
                .listener((k, loss, g) -> {
                    assertEquals(calls.getAndIncrement(), k);
                    assertTrue(loss > 0 && g >= 0);
                    return k < 7;
                }).build());
        assertEquals(StopReason.STOPPED_BY_CALLBACK, r.stopReason());
        assertEquals(7, r.iterations());
        assertEquals(8, calls.get());
        assertFalse(r.converged());
    }

    @Test
    void maxIterationsIsReportedHonestly() {
        FitResult r = LinearRegression.fit(data, FitOptions.builder().gradientTolerance(0).maxIterations(3).build());
        assertEquals(StopReason.MAX_ITERATIONS, r.stopReason());
        assertEquals(3, r.iterations());
        assertFalse(r.converged());
        FitResult zero = LinearRegression.fit(data, FitOptions.builder().maxIterations(0).build());
        assertEquals(0, zero.iterations());
        assertEquals(0.0, zero.intercept());
    }

    @Test
    void historyIsBounded() {
        FitResult r = LinearRegression.fit(data, FitOptions.builder().gradientTolerance(0).maxIterations(1000)
                .historyCapacity(16).build());
        assertTrue(r.historyLoss().length <= 16);
        int[] its = r.historyIterations();
        assertEquals(0, its[0]);
        assertTrue(its[its.length - 1] >= 1000 - 128, "spans the fit: " + java.util.Arrays.toString(its));
    }

    @Test
    void steadyStateIterationsAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(mx.isThreadAllocatedMemorySupported());
        mx.setThreadAllocatedMemoryEnabled(true);
        Dataset d = TestProblems.synthetic(256, 4, 0.5, 3);
        FitOptions few = FitOptions.builder().learningRate(0.5).gradientTolerance(0).maxIterations(10).build();
        FitOptions many = FitOptions.builder().learningRate(0.5).gradientTolerance(0).maxIterations(100_010).build();
        for (int warm = 0; warm < 3; warm++) LinearRegression.fit(d, many); // let the JIT settle
        long tid = Thread.currentThread().threadId();
        long a0 = mx.getThreadAllocatedBytes(tid);
        FitResult rf = LinearRegression.fit(d, few);
        long a1 = mx.getThreadAllocatedBytes(tid);
        FitResult rm = LinearRegression.fit(d, many);
        long a2 = mx.getThreadAllocatedBytes(tid);
        assertEquals(StopReason.MAX_ITERATIONS, rm.stopReason(), rm.message());
        long fewBytes = a1 - a0;
        long manyBytes = a2 - a1;
        System.out.printf("allocated: %d bytes for %d iterations, %d bytes for %d iterations%n",
                fewBytes, rf.iterations(), manyBytes, rm.iterations());
        // 100 000 more iterations: any allocation per iteration (an object is ≥ 16 bytes) would add ≥ 1.6 MB;
        // allow < 1 byte per extra iteration for one-off JVM noise
        assertTrue(manyBytes - fewBytes < 100_000, "extra bytes " + (manyBytes - fewBytes));
    }

    // ---- bad input ----

    @Test
    void badInputIsRejectedWithClearMessages() {
        double[] x = {1, 2, 3, 4, 5, 6};
        IllegalArgumentException e;
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.rowMajor(x, 3, 2, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("shape mismatch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.rowMajor(new double[0], 0, 2, new double[0]));
        assertTrue(e.getMessage().contains("m = 0"), e.getMessage());
        double[] nanX = x.clone();
        nanX[3] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.fit(Dataset.rowMajor(nanX, 3, 2, new double[] {1, 2, 3})));
        assertTrue(e.getMessage().contains("row 1, column 1") && e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.fit(Dataset.rowMajor(x, 3, 2, new double[] {1, Double.POSITIVE_INFINITY, 3})));
        assertTrue(e.getMessage().contains("y[row 1]") && e.getMessage().contains("Infinity"), e.getMessage());
        for (double alpha : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            e = assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().learningRate(alpha));
            assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().maxIterations(-1));
        assertTrue(e.getMessage().contains("maxIterations"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().gradientTolerance(-1e-3));
        assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().lossChangeTolerance(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().l2(-1));
        assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().batchSize(-2));
        assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().warmStart(new double[] {Double.NaN}, 0));
        e = assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(
                Dataset.rowMajor(x, 3, 2, new double[] {1, 2, 3}), FitOptions.builder().warmStart(new double[] {1}, 0).build()));
        assertTrue(e.getMessage().contains("warm start"), e.getMessage());
    }
}
