package dev.vecgd.solver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fit's warning ({@link LinearRegression#warning}, {@link LinearRegression#conditioningWarning}) on made-up κ,
 * tolerances and column statistics, against its javadoc: a conditioning warning when κ·ε &gt; tol or
 * κ·max(tol, ε) &gt; 10⁻⁶, predicting −log10(κ·max(tol, ε)) digits (at least 0) and naming the matrix measured; κ = ∞
 * as singular; constant columns (one or several, with or without intercept) and nearly constant ones
 * (spread/|mean| &lt; 10⁻⁸, with the digits of variation log10(rel/ε)), joined by "; ".
 */
class FitWarningTest {

    private static final String HINT = LinearRegression.EXTENDED_HINT;

    private static String cw(double kappa, double tol, boolean standardized) {
        return LinearRegression.conditioningWarning(kappa, tol, standardized);
    }

    @Test
    void noWarningWhenTheToleranceIsCertified() {
        assertEquals("", cw(10, 1e-10, true));
        assertEquals("", cw(Double.NaN, 1e-10, true), "no κ (diagnostics off)");
        assertEquals("", cw(1e4, 1e-10, true), "κ·tol = 1e-6 exactly: six digits are still certain");
    }

    @Test
    void fewerThanSixDigitsArePredicted() {
        assertEquals("ill-conditioned: κ ≈ 1.00e+05 (the standardized XᵀX/m + λI); with tolerance 1.00e-10 expect about"
                + " 5.0 correct digits in the coefficients (−log10(κ·max(tol, ε)), relative to the whole vector in"
                + " standardized coordinates: a coefficient much smaller than the others may have fewer); for more, "
                + HINT, cw(1e5, 1e-10, true));
        assertTrue(cw(1e7, 1e-10, false).startsWith("ill-conditioned: κ ≈ 1.00e+07 (XᵀX/m + λI (standardization off));"
                + " with tolerance 1.00e-10 expect about 3.0 correct digits"), cw(1e7, 1e-10, false));
        assertTrue(cw(1e20, 1e-10, true).contains("expect about 0.0 correct digits"), "never negative digits");
    }

    @Test
    void aToleranceBelowWhatKappaAllowsIsWarnedAbout() {
        // κ·ε = 2.2e-14 > tol = 1e-16 (though κ·max(tol, ε) < 1e-6): about 13.7 digits, not the 16 asked
        String w = cw(100, 1e-16, true);
        assertTrue(w.startsWith("ill-conditioned: κ ≈ 100 (the standardized XᵀX/m + λI); with tolerance 1.00e-16 expect"
                + " about 13.7 correct digits"), w);
    }

    @Test
    void anInfiniteKappaIsSingular() {
        assertEquals("ill-conditioned: the standardized XᵀX/m + λI is singular to working precision (κ ≈ ∞); the"
                + " coefficients are not unique in double precision (if the columns are not exactly dependent, " + HINT
                + ")", cw(Double.POSITIVE_INFINITY, 1e-10, true));
    }

    @Test
    void constantColumnsAreListed() {
        Standardization one = Standardization.fromStats(new double[]{1, 5, 2}, new double[]{1, 0, 1}, true, true);
        assertEquals("column 1 is constant (coefficient 0, absorbed by the intercept)",
                LinearRegression.warning(1, 1e-10, true, one, true));
        Standardization two = Standardization.fromStats(new double[]{3, 1, 0}, new double[]{0, 1, 0}, true, true);
        assertEquals("ill-conditioned: the standardized XᵀX/m + λI is singular to working precision (κ ≈ ∞); the"
                        + " coefficients are not unique in double precision (if the columns are not exactly dependent, "
                        + HINT + "); columns 0, 2 are constant (coefficient 0, absorbed by the intercept)",
                LinearRegression.warning(Double.POSITIVE_INFINITY, 1e-10, true, two, true));
        Standardization zero = Standardization.fromStats(new double[]{0, 1}, new double[]{0, 1}, true, false);
        assertEquals("column 0 is all zero (coefficient 0)", LinearRegression.warning(1, 1e-10, true, zero, false));
        assertEquals("", LinearRegression.warning(1, 1e-10, true,
                Standardization.fromStats(new double[]{1, 2}, new double[]{1, 1}, true, true), true));
    }

    @Test
    void nearlyConstantColumnsAreNamedWithTheirDigits() {
        Standardization s = Standardization.fromStats(new double[]{1, 1, 1}, new double[]{1, 1e-9, 1e-8}, true, true);
        assertEquals("column 1 is nearly constant (spread/|mean| = 1.00e-09): its values hold only about 6.7 significant"
                + " digits of variation, and so does its coefficient", LinearRegression.warning(1, 1e-10, true, s, true));
        // the same column without an intercept is not centred: its spread does not matter
        assertEquals("", LinearRegression.warning(1, 1e-10, true,
                Standardization.fromStats(new double[]{1, 1}, new double[]{1, 1e-9}, true, false), false));
        // a nearly constant column next to a constant one and a conditioning warning
        Standardization both = Standardization.fromStats(new double[]{1, 4}, new double[]{1e-12, 0}, true, true);
        assertEquals(cw(1e5, 1e-10, true) + "; column 1 is constant (coefficient 0, absorbed by the intercept); column 0"
                        + " is nearly constant (spread/|mean| = 1.00e-12): its values hold only about 3.7 significant digits"
                        + " of variation, and so does its coefficient",
                LinearRegression.warning(1e5, 1e-10, true, both, true));
    }

    @Test
    void aConvergedFitWhoseKappaCertifiesNoDigitIsIllConditioned() {
        // two columns with correlation ≈ 0.9995: κ ≈ 4000; the gradient rule at a tolerance of 2/κ certifies nothing
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(30);
        int m = 400;
        double[] x = new double[2 * m];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double u = TestProblems.gaussian(rnd);
            x[2 * i] = u;
            x[2 * i + 1] = u + 0.03 * TestProblems.gaussian(rnd);
            y[i] = 1 + u + 0.1 * TestProblems.gaussian(rnd);
        }
        dev.vecgd.data.Dataset d = dev.vecgd.data.Dataset.rowMajor(x, m, 2, y);
        FitResult base = LinearRegression.fit(d, FitOptions.builder().solver(Solver.NORMAL).build());
        double kappa = base.conditionNumber();
        assertTrue(kappa > 100 && kappa < 1e5, "κ " + kappa);
        FitResult loose = LinearRegression.fit(d, FitOptions.builder().solver(Solver.NORMAL).gradientTolerance(2 / kappa)
                .build());
        assertEquals(StopReason.ILL_CONDITIONED, loose.stopReason(), loose.message());
        assertFalse(loose.converged());
        assertTrue(loose.message().startsWith("not converged: ill-conditioned — the gradient rule held (converged after 0"
                + " iterations"), loose.message());
        assertTrue(loose.message().endsWith("), but κ ≈ " + StoppingRules.fmt(kappa) + " makes it certify no digit of the"
                + " coefficients (κ·max(tol, ε) ≥ 1; the coefficients may be anywhere along the ill-determined directions)"),
                loose.message());
        FitResult tight = LinearRegression.fit(d, FitOptions.builder().solver(Solver.NORMAL).gradientTolerance(0.5 / kappa)
                .build());
        assertEquals(StopReason.CONVERGED, tight.stopReason(), tight.message());
        assertTrue(tight.warning().startsWith("ill-conditioned: κ ≈ "), "κ·tol = 0.5 > 1e-6: the digits are predicted");
    }

    @Test
    void theExtendedFitWarnsAboutTheDataItsRoundingDetermines() {
        Standardization plain = Standardization.fromStats(new double[]{1, 2}, new double[]{1, 1}, true, true);
        Standardization constant = Standardization.fromStats(new double[]{1, 2}, new double[]{1, 0}, true, true);
        assertEquals("", ExtendedNormal.warning(1e3, plain, true), "κ·ε ≤ 1e-6: nothing to say");
        assertEquals("", ExtendedNormal.warning(Double.NaN, plain, true), "no κ (diagnostics off)");
        String w = "ill-conditioned: κ ≈ 1.00e+12 (the equilibrated XᵀX); extended precision solves the double data as"
                + " given, but a change of the data by its rounding (relative ε) may move the coefficients by about"
                + " κ·ε ≈ 0.00022 relative (3.7 digits that the data itself determines)";
        assertEquals(w, ExtendedNormal.warning(1e12, plain, true));
        assertEquals(w + "; column 1 is constant (coefficient 0, absorbed by the intercept)",
                ExtendedNormal.warning(1e12, constant, true));
        assertEquals("column 1 is constant (coefficient 0, absorbed by the intercept)",
                ExtendedNormal.warning(10, constant, true));
        assertTrue(ExtendedNormal.warning(1e20, plain, true).contains("(0.0 digits that the data itself determines)"));
    }
}
