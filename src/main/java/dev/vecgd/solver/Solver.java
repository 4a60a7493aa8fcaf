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
 *
 * <p><b>Singular and nearly singular data — one contract for every solver.</b> Linearly dependent columns
 * (exactly, or so nearly that κ·max(tol, ε) ≥ 1, κ the condition number of the standardized {@code ÃᵀÃ/m + λP})
 * never make {@code fit} throw. Every solver returns finite coefficients — one least-squares solution, near the
 * smallest in standardized coordinates when the columns are exactly dependent — and a result that is
 * <b>not</b> {@link StopReason#CONVERGED}: {@link StopReason#ILL_CONDITIONED} when the solver met its stopping
 * rule (the fitted values are then the least-squares ones, the coefficients are not determined), or the reason
 * it stopped otherwise ({@code MAX_ITERATIONS}, …); {@link FitResult#warning()} names κ ("singular to working
 * precision" when κ = ∞). Callers who prefer an exception call {@link FitResult#requireConverged()}. Data that
 * cannot be fitted at all (NaN, overflow) is still an {@link IllegalArgumentException}. Tested for every solver
 * in {@code SingularDataTest}.
 *
 * <p><b>L2 convention.</b> With {@code l2(λ)} the objective is
 * <pre>  J = 1/(2m)·Σ (x_i·β + b − y_i)² + (λ/2)·Σ_j w_j²  </pre>
 * with w the coefficients in solver coordinates: w_j = σ_j·β_j with standardization (σ_j the population standard
 * deviation of column j, or its root mean square without an intercept), w = β without. The intercept is never
 * penalized. Equivalents (the first is tested against its closed form in {@code SingularDataTest}):
 * <ul>
 *   <li>scikit-learn {@code Ridge(alpha)} on the same X: {@code standardize(false)} and λ = alpha/m
 *       (Ridge minimizes ‖y − Xβ − b‖² + alpha·‖β‖²); on {@code StandardScaler}-transformed X (population σ):
 *       {@code standardize(true)}, λ = alpha/m, with our β = Ridge's coefficients / σ_j;</li>
 *   <li>glmnet {@code alpha = 0} (ridge), whose gaussian objective is 1/(2m)·RSS + (λ_g/2)·‖β‖² on X
 *       standardized with the population σ ({@code standardize = TRUE}, the default): {@code standardize(true)}
 *       with λ = λ_g / s_y, where s_y is the population standard deviation of y (glmnet fits the gaussian family
 *       with y scaled by s_y and reports λ on that scale) — from glmnet's documentation, not tested here.</li>
 * </ul>
 * Turning standardization off therefore changes the model when λ &gt; 0 (the penalty then weighs each
 * coefficient in the units of its column); use {@code standardize(false)} for models identical to
 * scikit-learn's {@code Ridge} on raw X.
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
