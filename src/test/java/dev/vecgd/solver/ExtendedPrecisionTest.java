package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Precision#EXTENDED}: ≥ 12 digits on the NIST files and on generated ill-conditioned polynomial problems
 * (against certified values, and against the exact least-squares solution of the double data computed in BigDecimal
 * by {@link ExactLeastSquares}); standard errors and residual std ≥ 10 digits; standard precision on the same
 * problems stays honest. {@link #printTable()} prints the table of {@code docs/accuracy.md}.
 */
class ExtendedPrecisionTest {

    static FitOptions extended(boolean intercept) {
        return FitOptions.builder().solver("normal").precision(Precision.EXTENDED).intercept(intercept)
                .gradientTolerance(1e-15).build();
    }

    /** Digits [min coef, min SE, resid-std] of r against the exact answer e (SE and σ̂ where nonzero). */
    static double[] digits(ExactLeastSquares e, FitResult r, boolean intercept) {
        double coef = 15;
        double se = 15;
        for (int j = 0; j < e.coefficients().length; j++) {
            coef = Math.min(coef, NistTest.lre(r.coefficient(j), e.coefficients()[j]));
            if (e.standardErrors()[j] != 0) se = Math.min(se, NistTest.lre(r.standardErrors()[j], e.standardErrors()[j]));
        }
        if (intercept) {
            coef = Math.min(coef, NistTest.lre(r.intercept(), e.intercept()));
            if (e.interceptStandardError() != 0) {
                se = Math.min(se, NistTest.lre(r.interceptStandardError(), e.interceptStandardError()));
            }
        }
        double sd = e.residualStd() == 0 ? 15 : NistTest.lre(r.residualStd(), e.residualStd());
        return new double[] {nan0(coef), nan0(se), nan0(sd)};
    }

    private static double nan0(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"Norris", "NoInt1", "Longley"})
    void nistTwelveDigits(String name) throws IOException {
        NistTest.Strd s = NistTest.load(name);
        FitResult r = LinearRegression.fit(s.dataset(), extended(s.intercept()));
        double[] d = NistSolversTest.digits(s, NistSolversTest.certified(name), r);
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        assertTrue(d[0] >= 12 && d[1] >= 10 && d[2] >= 10, name + " digits " + Arrays.toString(d));
        // and against the exact solution of the double data (the certified values are of the decimal data)
        double[] e = digits(ExactLeastSquares.of(s.x(), s.y(), s.intercept()), r, s.intercept());
        assertTrue(e[0] >= 12 && e[1] >= 10 && e[2] >= 10, name + " digits vs exact " + Arrays.toString(e));
        assertEquals(r.iterations() + 2, r.passes(), "the Gram pass and one gradient pass per refinement and check");
    }

    static Stream<IllConditionedProblems.Problem> problems() {
        return Stream.of(IllConditionedProblems.all());
    }

    @ParameterizedTest
    @MethodSource("problems")
    void generatedTwelveDigits(IllConditionedProblems.Problem p) {
        FitResult r = LinearRegression.fit(p.dataset(), extended(true));
        double[] d = digits(p.exact(), r, true);
        assertEquals(StopReason.CONVERGED, r.stopReason(), p.name() + ": " + r.message());
        assertTrue(d[0] >= 12 && d[1] >= 10 && d[2] >= 10, p.name() + " digits " + Arrays.toString(d) + " " + r);
        if (p.exact().residualStd() == 0) {
            assertEquals(0.0, r.residualStd(), 1e-12 * rms(p.y()), "zero-residual problem");
        }
        assertTrue(r.conditionNumber() > 1e5, p.name() + " κ " + r.conditionNumber());
    }

    @Test
    void filipLikeIsBeyondDoublePrecision() {
        IllConditionedProblems.Problem p = IllConditionedProblems.filipLike();
        FitResult r = LinearRegression.fit(p.dataset(), extended(true));
        assertTrue(r.conditionNumber() > 1e15, "κ " + r.conditionNumber());
        // the warning says how much the data's own rounding can move the solution
        assertTrue(r.warning().contains("κ ≈") && r.warning().contains("rounding"), r.warning());
    }

    static Stream<Arguments> standardCases() {
        List<Arguments> out = new ArrayList<>();
        for (IllConditionedProblems.Problem p : IllConditionedProblems.all()) {
            for (Solver s : Solver.values()) out.add(Arguments.of(p, s));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("standardCases")
    void standardPrecisionStaysHonest(IllConditionedProblems.Problem p, Solver solver) {
        FitOptions o = FitOptions.builder().solver(solver).gradientTolerance(1e-15).maxIterations(5_000).build();
        FitResult r = LinearRegression.fit(p.dataset(), o);
        double kappa = r.conditionNumber();
        // the conditioning warning fires and points to the extended mode
        assertTrue(r.warning().contains("κ ≈") && r.warning().contains("precision extended"), r.warning());
        if (r.converged()) {
            // CONVERGED bounds ‖w − w*‖ ≤ κ·(tol·S + F)/λ_max in standardized coordinates (StoppingRules): about
            // −log10(κ·max(tol, ε)) digits normwise; the rounding floor F (16ε·√T·magnitudes) may cost 2 more
            double promised = -Math.log10(kappa * Math.max(1e-15, Math.ulp(1.0)));
            double normwise = standardizedDigits(p, r);
            assertTrue(normwise >= promised - 2, p.name() + " " + solver + ": CONVERGED with " + normwise
                    + " normwise digits, κ " + kappa);
        } else {
            assertTrue(r.message().startsWith("not converged"), r.message());
        }
    }

    /** −log10 ‖w − w*‖/‖w*‖ over the coefficients in standardized coordinates w_j = β_j·σ_j (σ_j computed here). */
    private static double standardizedDigits(IllConditionedProblems.Problem p, FitResult r) {
        double num = 0;
        double den = 0;
        for (int j = 0; j < p.exact().coefficients().length; j++) {
            double mean = 0;
            for (double[] row : p.x()) mean += row[j] / p.x().length;
            double var = 0;
            for (double[] row : p.x()) var += (row[j] - mean) * (row[j] - mean) / p.x().length;
            double sd = Math.sqrt(var);
            double dw = (r.coefficient(j) - p.exact().coefficients()[j]) * sd;
            double w = p.exact().coefficients()[j] * sd;
            num += dw * dw;
            den += w * w;
        }
        return -Math.log10(Math.sqrt(num / den));
    }

    @Test
    void layoutsAndOffHeapGiveTheSameBits() throws IOException {
        NistTest.Strd s = NistTest.load("Longley");
        Dataset rowMajor = s.dataset();
        FitResult want = LinearRegression.fit(rowMajor, extended(true));
        double[][] x = s.x();
        int m = x.length;
        int n = x[0].length;
        double[] cm = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) cm[j * m + i] = x[i][j];
        Dataset colMajor = Dataset.of(Matrix.columnMajor(cm, m, n), s.y());
        assertSame(want, LinearRegression.fit(colMajor, extended(true)), "column-major heap");
        for (Layout layout : Layout.values()) {
            try (SegmentDataset d = SegmentDataset.copyOf(rowMajor, layout)) {
                assertSame(want, LinearRegression.fit(d, extended(true)), "off-heap " + layout);
            }
        }
    }

    @Test
    void offHeapDataLargerThanOneReadBufferAgreesWithTheHeapFit() {
        // 70 000 rows × 3 (t, t², t³, t in [0, 20]): the off-heap path reads many buffers (row-major) or copies
        // element by element in blocks of 65 536 / 3 rows (column-major: more rows than one block of targets);
        // the sums differ in order only, within the compensated bound
        int m = 70_000;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(8);
        double[][] x = new double[m][];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double t = 20 * rnd.nextDouble();
            x[i] = new double[] {t, t * t, t * t * t};
            y[i] = 3 - 2 * t + 0.5 * t * t - 0.01 * t * t * t + rnd.nextDouble();
        }
        Dataset heap = Dataset.of(x, y);
        FitResult want = LinearRegression.fit(heap, extended(true));
        assertEquals(StopReason.CONVERGED, want.stopReason(), want.message());
        for (Layout layout : Layout.values()) {
            try (SegmentDataset d = SegmentDataset.copyOf(heap, layout)) {
                FitResult got = LinearRegression.fit(d, extended(true));
                assertEquals(StopReason.CONVERGED, got.stopReason(), got.message());
                for (int j = 0; j < 3; j++) {
                    assertEquals(want.coefficient(j), got.coefficient(j), 1e-14 * Math.abs(want.coefficient(j)), layout + " β" + j);
                }
                assertEquals(want.intercept(), got.intercept(), 1e-14 * Math.abs(want.intercept()), layout + " b");
                assertEquals(want.residualStd(), got.residualStd(), 1e-14 * want.residualStd(), layout + " σ̂");
            }
        }
    }

    private static void assertSame(FitResult want, FitResult got, String what) {
        assertArrayEquals(want.coefficients(), got.coefficients(), what);
        assertEquals(want.intercept(), got.intercept(), what);
        assertEquals(want.residualStd(), got.residualStd(), what);
        assertArrayEquals(want.standardErrors(), got.standardErrors(), what);
        assertEquals(want.stopReason(), got.stopReason(), what);
    }

    @Test
    void badCombinationsAreRejected() {
        IllegalArgumentException gd = assertThrows(IllegalArgumentException.class,
                () -> FitOptions.builder().precision(Precision.EXTENDED).build());
        assertTrue(gd.getMessage().contains("solver normal"), gd.getMessage());
        IllegalArgumentException l2 = assertThrows(IllegalArgumentException.class,
                () -> FitOptions.builder().solver("normal").l2(0.1).precision(Precision.EXTENDED).build());
        assertTrue(l2.getMessage().contains("l2"), l2.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> FitOptions.builder().solver("normal").batchSize(10).precision(Precision.EXTENDED).build());
        assertTrue(batch.getMessage().contains("batchSize"), batch.getMessage());
        SufficientStatistics stats = new SufficientStatistics(1);
        stats.add(Dataset.of(new double[][] {{1}, {2}, {3}}, new double[] {1, 2, 4}));
        IllegalArgumentException ss = assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.fit(stats, extended(true)));
        assertTrue(ss.getMessage().contains("precision extended"), ss.getMessage());
        assertEquals(Precision.EXTENDED, Precision.parse("Extended"));
        assertThrows(IllegalArgumentException.class, () -> Precision.parse("quad"));
        assertEquals(Precision.STANDARD, FitOptions.defaults().precision());
    }

    @Test
    void dependentColumnsAreNotConverged() {
        double[][] x = new double[30][];
        double[] y = new double[30];
        for (int i = 0; i < 30; i++) {
            x[i] = new double[] {i, 2.0 * i, Math.sqrt(i)};
            y[i] = 1 + 0.5 * i + Math.sin(i);
        }
        FitResult r = LinearRegression.fit(Dataset.of(x, y), extended(true));
        assertEquals(StopReason.ILL_CONDITIONED, r.stopReason(), r.message());
        assertFalse(r.converged());
        assertTrue(r.message().contains("precision extended") && r.message().contains("singular"), r.message());
    }

    @Test
    void nanIsNamed() {
        double[][] x = {{1}, {2}, {Double.NaN}, {4}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.fit(Dataset.of(x, new double[] {1, 2, 3, 4}), extended(true)));
        assertTrue(e.getMessage().contains("row 2"), e.getMessage());
    }

    private static double rms(double[] v) {
        double s = 0;
        for (double a : v) s += a * a;
        return Math.sqrt(s / v.length);
    }

    /**
     * Prints the accuracy table of docs/accuracy.md (skipped unless -Dvecgd.print=true): every solver in standard
     * precision and normal in extended precision, on the NIST files (digits against the certified values) and the
     * generated problems (against the exact solution of the double data).
     */
    @Test
    void printTable() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("vecgd.print"),
                "prints the table of docs/accuracy.md only with -Dvecgd.print=true");
        System.out.println("| dataset | solver | precision | stop | coef digits | SE digits | resid-std digits | iterations | passes | κ |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (String name : new String[] {"Norris", "NoInt1", "Longley"}) {
            NistTest.Strd s = NistTest.load(name);
            NistSolversTest.Certified c = NistSolversTest.certified(name);
            for (Solver solver : Solver.values()) {
                row(name, solver, Precision.STANDARD, NistSolversTest.digits(s, c, NistSolversTest.fit(s, solver, 1e-15, 1_000_000)),
                        NistSolversTest.fit(s, solver, 1e-15, 1_000_000));
            }
            FitResult r = LinearRegression.fit(s.dataset(), extended(s.intercept()));
            row(name, Solver.NORMAL, Precision.EXTENDED, NistSolversTest.digits(s, c, r), r);
        }
        for (IllConditionedProblems.Problem p : IllConditionedProblems.all()) {
            for (Solver solver : Solver.values()) {
                FitResult r = LinearRegression.fit(p.dataset(), FitOptions.builder().solver(solver)
                        .gradientTolerance(1e-15).maxIterations(1_000_000).build());
                row(p.name(), solver, Precision.STANDARD, digits(p.exact(), r, true), r);
            }
            FitResult r = LinearRegression.fit(p.dataset(), extended(true));
            row(p.name(), Solver.NORMAL, Precision.EXTENDED, digits(p.exact(), r, true), r);
        }
    }

    private static void row(String name, Solver solver, Precision precision, double[] d, FitResult r) {
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %.1f | %.1f | %.1f | %d | %d | %.3g |%n", name,
                solver.id(), precision.id(), r.stopReason(), d[0], d[1], d[2], r.iterations(), r.passes(),
                r.conditionNumber());
    }
}
