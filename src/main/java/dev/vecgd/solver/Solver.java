package dev.vecgd.solver;

import java.util.Locale;

/**
 * The method {@link LinearRegression#fit} uses to minimize J (option {@link FitOptions.Builder#solver}).
 * All of them work on the same standardized problem (see {@link Standardization}), through the same
 * kernels, with the same L2 penalty (never on the intercept), stopping rules ({@link StoppingRules}),
 * divergence guard, history, listener and {@link FitResult}. A <i>pass</i> is one read of X.
 *
 * <table>
 *   <caption>solvers</caption>
 *   <tr><th>name</th><th>update</th><th>passes per iteration</th></tr>
 *   <tr><td>{@code gd}</td><td>w ← w − α∇J(w), α = 0.9/L̂ ({@link PlainGradientDescent})</td><td>1</td></tr>
 *   <tr><td>{@code momentum}</td><td>heavy ball v ← βv − α∇J(w), w ← w + v, β growing to ≤ 0.99, gradient restart
 *       ({@link HeavyBallMomentum})</td><td>1</td></tr>
 *   <tr><td>{@code nesterov}</td><td>accelerated gradient with gradient restart, no μ needed ({@link NesterovMomentum})</td><td>1</td></tr>
 *   <tr><td>{@code cg}</td><td>CGLS: conjugate gradient on the normal equations, XᵀX never formed
 *       ({@code ConjugateGradient})</td><td>1 (+1 per verification)</td></tr>
 *   <tr><td>{@code normal}</td><td>one pass accumulating ÃᵀÃ and Ãᵀy, Cholesky solve, iterative refinement
 *       ({@code NormalEquations})</td><td>1 for the Gram matrix, 1 per check/refinement</td></tr>
 * </table>
 * gd, momentum and nesterov also spend the power-iteration passes of the automatic learning rate
 * ({@link LearningRates}); cg and normal need no learning rate.
 */
public enum Solver {
    /** Batch gradient descent (the default). */
    GD("gd"),
    /** Heavy-ball momentum. */
    MOMENTUM("momentum"),
    /** Nesterov's accelerated gradient with adaptive restart. */
    NESTEROV("nesterov"),
    /** Conjugate gradient on the least-squares problem (CGLS). */
    CG("cg"),
    /** Direct baseline: normal equations by Cholesky. */
    NORMAL("normal");

    private final String id;

    Solver(String id) {
        this.id = id;
    }

    /** The name used by {@link #parse}, the CLI and {@link FitResult#optimizer()}: gd, momentum, nesterov, cg, normal. */
    public String id() {
        return id;
    }

    /**
     * The solver of a name: {@code gd}, {@code momentum}, {@code nesterov}, {@code cg} or {@code normal}
     * (case-insensitive, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the valid choices when the name is none of them (or null)
     */
    public static Solver parse(String name) {
        if (name != null) {
            String s = name.strip().toLowerCase(Locale.ROOT);
            for (Solver v : values()) {
                if (v.id.equals(s)) return v;
            }
        }
        throw new IllegalArgumentException("unknown solver '" + name + "': expected one of " + names());
    }

    /** "gd, momentum, nesterov, cg, normal". */
    public static String names() {
        StringBuilder b = new StringBuilder();
        for (Solver v : values()) {
            if (b.length() > 0) b.append(", ");
            b.append(v.id);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return id;
    }
}
