package dev.vecgd.solver;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link RegularizationPath} as a value on hand-built fits: its accessors (nonzero counts, training loss RMSE²/2,
 * per-fit passes, all converged or not), defensive copies, the size check; and {@link RegularizationPath#logGrid}
 * against its formula {@code max·ratio^(k/(count − 1))} with its argument checks.
 */
class RegularizationPathTest {

    private static FitResult fit(double[] coefficients, boolean converged, double rmse, long passes) {
        return new FitResult(coefficients, 0.5, 3, converged, converged ? StopReason.CONVERGED : StopReason.MAX_ITERATIONS,
                "", 0, 0, 0, 0.1, passes, new int[0], new double[0], new double[0], 0, 0.9, rmse, "impl", "nesterov",
                Double.NaN, new double[coefficients.length], 0, Double.NaN, "", new int[0]);
    }

    private static RegularizationPath path(boolean allConverged) {
        List<FitResult> fits = new ArrayList<>();
        fits.add(fit(new double[]{0, 0, 0}, true, 2, 5));
        fits.add(fit(new double[]{1.5, 0, 0}, allConverged, 1, 7));
        fits.add(fit(new double[]{2, -0.5, 1e-300}, true, 0.5, 11));
        return new RegularizationPath(4, new double[]{4, 2, 1}, fits, 30);
    }

    @Test
    void accessors() {
        RegularizationPath p = path(true);
        assertEquals(3, p.size());
        assertEquals(2, p.lambda(1));
        assertEquals(4, p.lambdaMax());
        assertEquals(30, p.passes());
        assertArrayEquals(new int[]{0, 1, 3}, new int[]{p.nonzeros(0), p.nonzeros(1), p.nonzeros(2)});
        assertEquals(0.5 * 2 * 2, p.trainingLoss(0));
        assertEquals(0.5 * 0.5 * 0.5, p.trainingLoss(2));
        assertEquals(7, p.passes(1));
        assertArrayEquals(new double[]{1.5, 0, 0}, p.coefficients(1));
        assertEquals(0.5, p.intercept(2));
        assertTrue(p.allConverged());
        assertFalse(path(false).allConverged());
    }

    @Test
    void copiesAndTheSizeCheck() {
        double[] lambdas = {3, 1};
        List<FitResult> fits = new ArrayList<>(List.of(fit(new double[1], true, 1, 1), fit(new double[1], true, 1, 1)));
        RegularizationPath p = new RegularizationPath(3, lambdas, fits, 2);
        lambdas[0] = 99;
        p.lambdas()[1] = 99;
        fits.clear();
        assertArrayEquals(new double[]{3, 1}, p.lambdas());
        assertEquals(2, p.fits().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RegularizationPath(3, new double[]{3, 2, 1}, List.of(fit(new double[1], true, 1, 1)), 1));
        assertEquals("1 fits for 3 values of λ₁", e.getMessage());
    }

    @Test
    void logGridFollowsItsFormula() {
        double[] g = RegularizationPath.logGrid(8, 4, 1.0 / 8);
        assertEquals(4, g.length);
        for (int k = 0; k < 4; k++) assertEquals(8 * Math.pow(0.125, k / 3.0), g[k], 1e-15 * 8, "k = " + k);
        assertEquals(8, g[0], 0, "starts at the maximum");
        assertEquals(1, g[3], 1e-15, "ends at max·ratio");
        assertArrayEquals(new double[]{5}, RegularizationPath.logGrid(5, 1, 0.5), 0, "one value: the maximum");
        assertArrayEquals(new double[]{2, 2, 2}, RegularizationPath.logGrid(2, 3, 1), 0, "ratio 1: constant");
    }

    @Test
    void logGridRejectsBadArguments() {
        assertEquals("a grid needs at least 1 value, got 0", assertThrows(IllegalArgumentException.class,
                () -> RegularizationPath.logGrid(1, 0, 0.5)).getMessage());
        assertEquals("grid maximum must be finite and > 0, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> RegularizationPath.logGrid(0, 3, 0.5)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RegularizationPath.logGrid(Double.POSITIVE_INFINITY, 3, 0.5));
        assertEquals("grid ratio must be in (0, 1], got 0.0", assertThrows(IllegalArgumentException.class,
                () -> RegularizationPath.logGrid(1, 3, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RegularizationPath.logGrid(1, 3, 1.5));
    }
}
