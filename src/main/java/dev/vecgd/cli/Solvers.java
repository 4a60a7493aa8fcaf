package dev.vecgd.cli;

import dev.vecgd.solver.FitOptions;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one place that maps {@code --solver NAME} to {@link FitOptions}. Only the solvers the solver
 * package offers are listed; add momentum, nesterov, cg, normal here when they exist.
 */
final class Solvers {

    private static final Map<String, Consumer<FitOptions.Builder>> SOLVERS = new LinkedHashMap<>();

    static {
        // plain batch gradient descent: FitOptions' default optimizer (PlainGradientDescent)
        SOLVERS.put("gd", b -> { });
    }

    private Solvers() {
    }

    /** The accepted names, comma-separated. */
    static String names() {
        return String.join(", ", SOLVERS.keySet());
    }

    static void apply(String name, FitOptions.Builder b) throws UsageException {
        Consumer<FitOptions.Builder> s = SOLVERS.get(name);
        if (s == null) throw new UsageException("--solver " + name + ": unknown solver (available: " + names() + ")");
        s.accept(b);
    }
}
