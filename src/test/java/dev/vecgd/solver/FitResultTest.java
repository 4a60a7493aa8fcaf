package dev.vecgd.solver;

import dev.vecgd.model.FitDiagnostics;
import dev.vecgd.model.LinearModel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link FitResult}'s accessors and conversions on a hand-built result ({@link #result}), and {@link Solver}'s names
 * and parsing: wall time in seconds, {@code requireConverged} (the result itself, or an exception with the status and
 * message), defensive copies, {@code toString} with and without a warning, the model's diagnostics, and the
 * documented list of solver names.
 */
class FitResultTest {

    private static FitResult result(boolean converged, String warning) {
        return new FitResult(new double[]{1.5, -2}, 0.25, 12, converged,
                converged ? StopReason.CONVERGED : StopReason.MAX_ITERATIONS, converged ? "done" : "budget",
                0.125, 1e-9, 1e-7, 0.45, 15, new int[]{0, 5, 10}, new double[]{3, 2, 1}, new double[]{4, 0.5, 1e-9},
                2_500_000_000L, 0.99, 0.5, "impl", "cg", 0.51, new double[]{0.1, 0.2}, 0.05, 3.5, warning,
                new int[]{1});
    }

    @Test
    void wallTimeIsInSeconds() {
        assertEquals(2.5, result(true, "").wallTimeSeconds(), 0);
    }

    @Test
    void requireConvergedReturnsTheResultOrThrowsWithTheMessage() {
        FitResult ok = result(true, "");
        assertSame(ok, ok.requireConverged());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> result(false, "").requireConverged());
        assertEquals("MAX_ITERATIONS: budget", e.getMessage());
    }

    @Test
    void accessorsReturnCopies() {
        FitResult r = result(true, "");
        r.coefficients()[0] = 99;
        r.standardErrors()[0] = 99;
        r.constantColumns()[0] = 99;
        r.historyIterations()[0] = 99;
        r.historyLoss()[0] = 99;
        r.historyGradient()[0] = 99;
        assertArrayEquals(new double[]{1.5, -2}, r.coefficients());
        assertEquals(-2, r.coefficient(1));
        assertArrayEquals(new double[]{0.1, 0.2}, r.standardErrors());
        assertArrayEquals(new int[]{1}, r.constantColumns());
        assertArrayEquals(new int[]{0, 5, 10}, r.historyIterations());
        assertArrayEquals(new double[]{3, 2, 1}, r.historyLoss());
        assertArrayEquals(new double[]{4, 0.5, 1e-9}, r.historyGradient());
        assertEquals("cg", r.solver());
    }

    @Test
    void toStringNamesTheStatusAndTheWarningWhenThereIsOne() {
        assertEquals("FitResult[CONVERGED, iterations=12, loss=0.125, intercept=0.25, coefficients=[1.5, -2.0],"
                + " α=0.45, done]", result(true, "").toString());
        assertEquals("FitResult[CONVERGED, iterations=12, loss=0.125, intercept=0.25, coefficients=[1.5, -2.0],"
                + " α=0.45, done; κ large]", result(true, "κ large").toString());
        assertFalse(result(true, "").hasWarning());
        assertTrue(result(true, "κ large").hasWarning());
    }

    @Test
    void theModelCarriesTheCoefficientsAndTheDiagnostics() {
        FitResult r = result(true, "w");
        LinearModel model = r.model();
        assertArrayEquals(new double[]{1.5, -2}, model.coefficients());
        FitDiagnostics d = model.diagnostics().orElseThrow();
        assertEquals("CONVERGED", d.stopReason());
        assertEquals(12, d.iterations());
        assertEquals(15, d.passes());
        assertEquals("cg", d.optimizer());
        assertEquals("impl", d.implementation());
        assertEquals("other", r.withImplementation("other").implementation());
        assertEquals(r.coefficients()[1], r.withImplementation("other").coefficients()[1]);
    }

    @Test
    void solverNamesAndParsing() {
        assertEquals("gd, momentum, nesterov, cg, normal", Solver.names());
        assertEquals("cg", Solver.CG.toString());
        assertEquals("normal", Solver.NORMAL.id());
        assertEquals(Solver.NESTEROV, Solver.parse("  NesteroV "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Solver.parse("adam"));
        assertEquals("unknown solver 'adam': expected one of gd, momentum, nesterov, cg, normal", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Solver.parse(null));
    }
}
