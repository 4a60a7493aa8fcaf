package dev.vecgd.solver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link LinearRegression#checkRange} on made-up statistics just inside and just outside each limit of its javadoc
 * (Σy² and the sums of products below {@value LinearRegression#MAX_SQUARE_SUM}, spreads above
 * {@value LinearRegression#MIN_SPREAD}); a rejection names overflow or underflow, the column and the numbers that
 * exceed the limit (rms, rows, Σy², spreads), which the user needs to rescale the data.
 */
class RangeCheckTest {

    private static final FitOptions STANDARDIZED = FitOptions.defaults();
    private static final FitOptions RAW = FitOptions.builder().standardize(false).build();
    private static final FitOptions NO_INTERCEPT = FitOptions.builder().intercept(false).build();

    /** One feature with mean mu and standard deviation sd. */
    private static Standardization column(double mu, double sd, FitOptions o) {
        return Standardization.fromStats(new double[]{mu}, new double[]{sd}, o.standardize(), o.intercept());
    }

    private static final Standardization ORDINARY = column(0, 1, STANDARDIZED);

    private static TargetStats y(double mean, double std) {
        return TargetStats.of(10, mean, std);
    }

    private static String rejected(Standardization s, TargetStats t, long m, FitOptions o) {
        return assertThrows(IllegalArgumentException.class, () -> LinearRegression.checkRange(s, t, m, o)).getMessage();
    }

    @Test
    void targetsWhoseSquaresOverflow() {
        // rms(y)·√m against √1e306 = 1e153
        LinearRegression.checkRange(ORDINARY, y(0, 5e150), 10_000, STANDARDIZED);
        assertEquals("overflow: the targets are too large for double arithmetic: rms(y) = 2.00e+151 over 10000 rows"
                        + " makes Σy² ≈ 4.00e+306, beyond the double range (max 1.80e+308); divide y by a power of ten"
                        + " (and multiply the fitted coefficients back)",
                rejected(ORDINARY, y(0, 2e151), 10_000, STANDARDIZED));
        assertTrue(rejected(ORDINARY, y(2e151, 0), 10_000, NO_INTERCEPT).contains("rms(y) = 2.00e+151"),
                "the uncentered rms counts, also for a constant y");
    }

    @Test
    void targetsWhoseSpreadUnderflows() {
        LinearRegression.checkRange(ORDINARY, y(0, 1e-151), 10, STANDARDIZED);
        LinearRegression.checkRange(ORDINARY, y(3, 0), 10, STANDARDIZED); // a constant y has no spread to underflow
        assertEquals("underflow: the spread of the targets y is 1.00e-153: its squares (1.00e-306) underflow double"
                        + " arithmetic (smallest normal 2.23e-308); multiply y by a power of ten (and divide the fitted"
                        + " coefficients back)",
                rejected(ORDINARY, y(0, 1e-153), 10, STANDARDIZED));
        // without an intercept the spread is the rms: a tiny spread about a mean of 5 is fine
        LinearRegression.checkRange(column(0, 1, NO_INTERCEPT), y(5, 1e-153), 10, NO_INTERCEPT);
    }

    @Test
    void standardizedFeaturesWhoseProductsOverflow() {
        // rms(x)·max(rms(y), 1)·m against 1e306
        LinearRegression.checkRange(column(0, 1e300, STANDARDIZED), y(0, 1), 100_000, STANDARDIZED);
        assertEquals("overflow: feature column 0 is too large for double arithmetic (rms 1.00e+300 over 10000000 rows,"
                        + " |y| rms 1.00): its sums of products overflow; divide the column by a power of ten",
                rejected(column(0, 1e300, STANDARDIZED), y(0, 1), 10_000_000, STANDARDIZED));
        // a larger y lowers the limit (1e300·1e3·1e4 = 1e307); a y below 1 does not raise it
        assertTrue(rejected(column(0, 1e300, STANDARDIZED), y(0, 1e3), 10_000, STANDARDIZED)
                .contains("(rms 1.00e+300 over 10000 rows, |y| rms 1.00e+03)"));
        assertThrows(IllegalArgumentException.class, () -> LinearRegression.checkRange(column(0, 1e300, STANDARDIZED),
                y(0, 1e-3), 10_000_000, STANDARDIZED));
        // the rms counts, not the spread: a column of mean 1e300 and spread 1e290
        assertThrows(IllegalArgumentException.class, () -> LinearRegression.checkRange(column(1e300, 1e290, STANDARDIZED),
                y(0, 1), 10_000_000, STANDARDIZED));
    }

    @Test
    void rawFeaturesWhoseSquaresOverflow() {
        // rms(x)·√m against √1e306/√(n + 1) = 1e153/√2 ≈ 7.07e152
        Standardization big = column(0, 1e151, RAW);
        LinearRegression.checkRange(big, y(0, 1), 2_500, RAW);
        assertEquals("overflow: feature column 0 is too large for double arithmetic (rms 1.00e+151 over 10000 rows,"
                        + " |y| rms 1.00): its sums of products overflow; divide the column by a power of ten or turn"
                        + " standardization on",
                rejected(big, y(0, 1), 10_000, RAW));
    }

    @Test
    void featuresWhoseSpreadUnderflows() {
        LinearRegression.checkRange(column(0, 1e-151, STANDARDIZED), y(0, 1), 10, STANDARDIZED);
        assertEquals("underflow: feature column 0 varies by only 1.00e-160 (|y| spread 1.00): its products underflow"
                        + " double arithmetic; multiply the column by a power of ten",
                rejected(column(0, 1e-160, STANDARDIZED), y(0, 1), 10, STANDARDIZED));
        // without an intercept the rms is the feature's size: a column of mean 1 varying by 1e-160 is fine
        LinearRegression.checkRange(column(1, 1e-160, NO_INTERCEPT), y(0, 1), 10, NO_INTERCEPT);
    }

    @Test
    void constantColumnsAreNotChecked() {
        // a constant column (coefficient 0, absorbed by the intercept) takes no part in any sum
        Standardization constant = column(1e300, 0, STANDARDIZED);
        assertTrue(constant.isConstant(0));
        LinearRegression.checkRange(constant, y(0, 1), 10_000_000, STANDARDIZED);
    }

    @Test
    void theColumnIsNamed() {
        Standardization two = Standardization.fromStats(new double[]{0, 0}, new double[]{1, 1e-160}, true, true);
        assertTrue(rejected(two, y(0, 1), 10, STANDARDIZED).startsWith("underflow: feature column 1 varies"));
    }
}
