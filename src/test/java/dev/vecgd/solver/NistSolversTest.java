package dev.vecgd.solver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every solver on NIST StRD Norris, NoInt1 and Longley: digits (LRE, capped at 15) of the coefficients,
 * their standard errors and the residual standard deviation against the certified values in the .dat
 * files. {@link #printTable()} prints the table of {@code docs/accuracy.md}:
 * {@code mvn -B -q test -Dtest=NistSolversTest#printTable -Dvecgd.print=true}.
 */
class NistSolversTest {

    /** Certified standard errors (B0 first when there is an intercept) and residual standard deviation. */
    record Certified(double[] standardErrors, double residualStd) {
    }

    static Certified certified(String name) throws IOException {
        String text;
        try (InputStream in = NistSolversTest.class.getResourceAsStream("/nist/" + name + ".dat")) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        List<Double> se = new ArrayList<>();
        Matcher mm = Pattern.compile("(?m)^\\s*B\\d+\\s+\\S+\\s+(\\S+)\\s*$").matcher(text);
        while (mm.find()) se.add(Double.parseDouble(mm.group(1)));
        Matcher rs = Pattern.compile("Residual\\s+Standard Deviation\\s+(\\S+)").matcher(text);
        assertTrue(rs.find(), "residual standard deviation line");
        return new Certified(se.stream().mapToDouble(Double::doubleValue).toArray(), Double.parseDouble(rs.group(1)));
    }

    /** Digits of a fit: [min over coefficients, min over standard errors, residual std]. */
    static double[] digits(NistTest.Strd s, Certified c, FitResult r) {
        double coef = 15;
        for (double v : NistTest.digits(s, r)) coef = Math.min(coef, v);
        double se = 15;
        int off = s.intercept() ? 1 : 0;
        if (s.intercept()) se = Math.min(se, NistTest.lre(r.interceptStandardError(), c.standardErrors()[0]));
        double[] ses = r.standardErrors();
        for (int j = 0; j < ses.length; j++) se = Math.min(se, NistTest.lre(ses[j], c.standardErrors()[j + off]));
        double sd = NistTest.lre(r.residualStd(), c.residualStd());
        return new double[] {nan0(coef), nan0(se), nan0(sd)};
    }

    private static double nan0(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    static FitResult fit(NistTest.Strd s, Solver solver, double tol, int budget) {
        return LinearRegression.fit(s.dataset(), FitOptions.builder().solver(solver).intercept(s.intercept())
                .gradientTolerance(tol).maxIterations(budget).build());
    }

    @ParameterizedTest
    @EnumSource(Solver.class)
    void norrisTenDigits(Solver solver) throws IOException {
        tenDigits("Norris", solver);
    }

    @ParameterizedTest
    @EnumSource(Solver.class)
    void noInt1TenDigits(Solver solver) throws IOException {
        tenDigits("NoInt1", solver);
    }

    private static void tenDigits(String name, Solver solver) throws IOException {
        NistTest.Strd s = NistTest.load(name);
        Certified c = certified(name);
        FitResult r = fit(s, solver, 1e-15, 10_000);
        double[] d = digits(s, c, r);
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        assertTrue(d[0] >= 10 && d[1] >= 10 && d[2] >= 10, name + " " + solver + " digits " + java.util.Arrays.toString(d));
        assertFalse(r.hasWarning(), r.warning());
    }

    @Test
    void longleyCgEightDigits() throws IOException {
        // the stopping scale is centered (σ_y, not rms(y)): on Longley (y ≈ 65 000 ± 3 500, regressors with large
        // offsets) 1e-15 is below the rounding floor; 1e-12 is reachable (the floor is ~3e-13, how close
        // depends on the kernels' summation order)
        NistTest.Strd s = NistTest.load("Longley");
        FitResult r = fit(s, Solver.CG, 1e-12, 10_000);
        double[] d = digits(s, certified("Longley"), r);
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        assertTrue(d[0] >= 8 && d[1] >= 8 && d[2] >= 8, "Longley cg digits " + java.util.Arrays.toString(d));
        assertTrue(r.passes() < 200, "passes " + r.passes());
    }

    @ParameterizedTest
    @EnumSource(value = Solver.class, names = {"GD", "MOMENTUM", "NESTEROV", "NORMAL"})
    void longleyReportsHonestly(Solver solver) throws IOException {
        NistTest.Strd s = NistTest.load("Longley");
        FitResult r = fit(s, solver, 1e-15, 20_000);
        double[] d = digits(s, certified("Longley"), r);
        assertNotEquals(StopReason.DIVERGED, r.stopReason(), r.message());
        if (r.converged()) {
            assertTrue(r.relativeGradient() <= 1e-15, r.message());
            assertTrue(d[0] >= 6, solver + " converged with digits " + java.util.Arrays.toString(d));
        } else {
            // the budget, or the rounding floor: on Longley 1e-15 is below what double precision can certify
            assertTrue(r.stopReason() == StopReason.MAX_ITERATIONS || r.stopReason() == StopReason.PRECISION_LIMIT,
                    r.message());
            assertTrue(r.message().startsWith("not converged"), r.message());
            assertTrue(r.relativeGradient() > 1e-15);
        }
        // κ of the standardized problem is large: asking tol = 1e-15 triggers the conditioning warning
        assertTrue(r.conditionNumber() > 1e4, "κ " + r.conditionNumber());
        assertTrue(r.hasWarning() && r.warning().contains("κ ≈"), r.warning());
    }

    @ParameterizedTest
    @EnumSource(Solver.class)
    void unreachableToleranceIsNotClaimed(Solver solver) throws IOException {
        // 1e-19 is below the rounding floor (a few ε·S): no solver may claim convergence
        NistTest.Strd s = NistTest.load("Longley");
        FitResult r = fit(s, solver, 1e-19, 300);
        assertFalse(r.converged(), solver + ": " + r.message());
        assertTrue(r.stopReason() == StopReason.MAX_ITERATIONS || r.stopReason() == StopReason.PRECISION_LIMIT,
                r.message());
        assertTrue(r.message().startsWith("not converged"), r.message());
        assertTrue(r.relativeGradient() > 1e-19);
        assertTrue(Double.isFinite(r.intercept()));
    }

    /** Prints the accuracy table (skipped unless -Dvecgd.print=true). */
    @Test
    void printTable() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("vecgd.print"),
                "prints the table of docs/accuracy.md only with -Dvecgd.print=true");
        for (int warm = 0; warm < 30; warm++) { // JIT warm-up of every solver's path
            for (Solver solver : Solver.values()) fit(NistTest.load("Norris"), solver, 1e-15, 10_000);
        }
        System.out.println("| dataset | solver | stop | coef digits | SE digits | resid-std digits | iterations | passes | time ms | κ |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (String name : new String[] {"Norris", "NoInt1", "Longley"}) {
            NistTest.Strd s = NistTest.load(name);
            Certified c = certified(name);
            for (Solver solver : Solver.values()) {
                FitResult r = null;
                long best = Long.MAX_VALUE;
                for (int rep = 0; rep < 5; rep++) { // warm-up; report the fastest of 5 runs (identical results)
                    r = fit(s, solver, 1e-15, 1_000_000);
                    best = Math.min(best, r.wallTimeNanos());
                }
                double[] d = digits(s, c, r);
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %.1f | %d | %d | %.2f | %.3g |%n", name,
                        solver.id(), r.stopReason(), d[0], d[1], d[2], r.iterations(), r.passes(),
                        best / 1e6, r.conditionNumber());
            }
        }
    }
}
