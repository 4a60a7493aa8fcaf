package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.Matrix;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * NIST StRD linear least squares: Norris, NoInt1, Longley. Data and certified values are read from
 * the verbatim files, at the lines their own headers name; the score is the log relative error
 * LRE = −log10(|estimate − certified| / |certified|) per coefficient (capped at 15).
 */
class NistTest {

    /** A parsed StRD file: certified B0..Bk (B0 = intercept when the model has one), y, and x rows. */
    record Strd(String name, boolean intercept, double[] certified, double[] y, double[][] x) {

        Dataset dataset() {
            int m = y.length;
            int n = x[0].length;
            // a row-major table [y, x1..xn]: y is a column of the same array (stride n + 1), no copy
            double[] table = new double[m * (n + 1)];
            for (int i = 0; i < m; i++) {
                table[i * (n + 1)] = y[i];
                System.arraycopy(x[i], 0, table, i * (n + 1) + 1, n);
            }
            return Dataset.fromTable(Matrix.rowMajor(table, m, n + 1), 0);
        }
    }

    static Strd load(String name) throws IOException {
        String text;
        try (InputStream in = NistTest.class.getResourceAsStream("/nist/" + name + ".dat")) {
            assertNotNull(in, name);
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        assertTrue(text.contains("\r\n"), "the file is kept verbatim with CRLF line ends");
        String[] lines = text.split("\r\n", -1);
        int[] cert = range(text, "Certified Values");
        int[] data = range(text, "Data");
        List<Double> params = new ArrayList<>();
        boolean hasB0 = false;
        Pattern param = Pattern.compile("^\\s*B(\\d+)\\s+(\\S+)\\s+(\\S+)\\s*$");
        for (int l = cert[0]; l <= cert[1]; l++) {
            Matcher mm = param.matcher(lines[l - 1]);
            if (mm.matches()) {
                if (mm.group(1).equals("0")) hasB0 = true;
                params.add(Double.parseDouble(mm.group(2)));
            }
        }
        int rows = data[1] - data[0] + 1;
        double[] y = new double[rows];
        double[][] x = new double[rows][];
        for (int l = data[0]; l <= data[1]; l++) {
            String[] f = lines[l - 1].trim().split("\\s+");
            y[l - data[0]] = Double.parseDouble(f[0]);
            x[l - data[0]] = new double[f.length - 1];
            for (int j = 1; j < f.length; j++) x[l - data[0]][j - 1] = Double.parseDouble(f[j]);
        }
        return new Strd(name, hasB0, params.stream().mapToDouble(Double::doubleValue).toArray(), y, x);
    }

    private static int[] range(String text, String what) {
        Matcher mm = Pattern.compile(what + "\\s+\\(lines (\\d+) to (\\d+)\\)").matcher(text);
        assertTrue(mm.find(), "header line for " + what);
        return new int[] {Integer.parseInt(mm.group(1)), Integer.parseInt(mm.group(2))};
    }

    static double lre(double got, double want) {
        if (got == want) return 15;
        return Math.min(15, -Math.log10(Math.abs(got - want) / Math.abs(want)));
    }

    /** Fits and returns the LRE of every coefficient, B0 first when there is an intercept. */
    static double[] digits(Strd s, FitResult r) {
        int k = s.certified().length;
        double[] out = new double[k];
        int off = s.intercept() ? 1 : 0;
        if (s.intercept()) out[0] = lre(r.intercept(), s.certified()[0]);
        for (int j = 0; j < k - off; j++) out[j + off] = lre(r.coefficient(j), s.certified()[j + off]);
        return out;
    }

    private static FitResult fit(Strd s, int maxIterations, double tol) {
        FitOptions o = FitOptions.builder().intercept(s.intercept()).maxIterations(maxIterations)
                .gradientTolerance(tol).build();
        return LinearRegression.fit(s.dataset(), o);
    }

    private static void report(Strd s, FitResult r, double[] d) {
        System.out.printf("NIST %-8s %-15s iterations=%-7d passes=%-7d LRE=%s α=%.4g %s%n", s.name(), r.stopReason(),
                r.iterations(), r.passes(), java.util.Arrays.toString(
                        java.util.Arrays.stream(d).map(v -> Math.round(v * 10) / 10.0).toArray()), r.learningRate(),
                r.message());
    }

    @Test
    void norrisReachesNineDigits() throws IOException {
        Strd s = load("Norris");
        assertEquals(36, s.y().length);
        assertEquals(2, s.certified().length);
        FitResult r = fit(s, 10_000, 1e-15);
        double[] d = digits(s, r);
        report(s, r, d);
        for (double v : d) assertTrue(v >= 9, "Norris digits " + java.util.Arrays.toString(d));
        assertEquals(0.999993745883712, r.r2(), 1e-9);
    }

    @Test
    void noInt1ReachesNineDigits() throws IOException {
        Strd s = load("NoInt1");
        assertFalse(s.intercept());
        assertEquals(11, s.y().length);
        FitResult r = fit(s, 10_000, 1e-15);
        double[] d = digits(s, r);
        report(s, r, d);
        assertTrue(d[0] >= 9, "NoInt1 digits " + d[0]);
        assertEquals(0.999365492298663, r.r2(), 1e-9); // uncentered R², as NIST defines it here
    }

    @Test
    void longleyReportsHonestly() throws IOException {
        Strd s = load("Longley");
        assertEquals(16, s.y().length);
        assertEquals(7, s.certified().length);
        int budget = 200_000;
        FitResult r = fit(s, budget, 1e-13);
        double[] d = digits(s, r);
        report(s, r, d);
        assertFalse(r.stopReason() == StopReason.DIVERGED, r.message());
        if (r.converged()) {
            assertEquals(StopReason.CONVERGED, r.stopReason());
            assertTrue(r.relativeGradient() <= 1e-13);
        } else {
            assertEquals(StopReason.MAX_ITERATIONS, r.stopReason());
            assertEquals(budget, r.iterations());
            assertTrue(r.relativeGradient() > 1e-13);
            assertTrue(r.message().startsWith("not converged"), r.message());
        }
        // whatever GD reaches in its budget, the fit is a sensible one
        assertTrue(r.r2() > 0.99, "R² " + r.r2());
    }

    @Test
    void longleyConvergesWithALargerBudget() throws IOException {
        // κ of the standardized Gram matrix is large, so GD needs a few hundred thousand steps (~0.2 s at m = 16)
        // (1e-15 is below the rounding floor of the centered stopping scale on Longley: 1e-12 is reachable)
        Strd s = load("Longley");
        FitResult r = fit(s, 1_000_000, 1e-12);
        double[] d = digits(s, r);
        report(s, r, d);
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        // κ ≈ 2e4: the warning's −log10(κ·tol) ≈ 7.7 digits
        for (double v : d) assertTrue(v >= 7, "Longley digits " + java.util.Arrays.toString(d));
    }
}
