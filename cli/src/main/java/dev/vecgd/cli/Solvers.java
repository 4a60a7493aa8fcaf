package dev.vecgd.cli;

import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.Solver;

/** The one place that maps {@code --solver NAME} to {@link FitOptions}: the solver package's own names. */
final class Solvers {

    private Solvers() {
    }

    /** The accepted names, comma-separated. */
    static String names() {
        return Solver.names();
    }

    static void apply(String name, FitOptions.Builder b) throws UsageException {
        try {
            b.solver(Solver.parse(name));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--solver " + name + ": " + e.getMessage());
        }
    }
}
