package dev.vecgd.solver;

import java.util.Locale;

/**
 * The arithmetic of a fit ({@link FitOptions.Builder#precision}).
 *
 * <ul>
 *   <li>{@link #STANDARD} (default): double precision throughout; on an ill-conditioned problem the coefficients
 *   carry about −log10(κ·ε) correct digits, which the conditioning warning states.</li>
 *   <li>{@link #EXTENDED}: solver {@code normal} in double-double arithmetic ({@link ExtendedNormal}): a
 *   compensated Gram pass (XᵀX, Xᵀy as double-doubles), a double-double Cholesky, and iterative refinement on
 *   the exactly computed (compensated, "Dot2") gradient until the correction stops shrinking. The result is the
 *   least-squares solution <i>of the double data</i> to nearly full double precision as long as κ·2⁻¹⁰⁴ ≪ 1;
 *   residual std and standard errors come from exact residuals. Full batch, l2 = 0,
 *   heap or off-heap data.</li>
 * </ul>
 */
public enum Precision {
    STANDARD,
    EXTENDED;

    /** The name used by the CLI ({@code --precision}): {@code standard} or {@code extended}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@link #STANDARD} or {@link #EXTENDED} by {@link #id()} (case-insensitive). */
    public static Precision parse(String name) {
        for (Precision p : values()) if (p.id().equalsIgnoreCase(name)) return p;
        throw new IllegalArgumentException("unknown precision '" + name + "' (standard or extended)");
    }
}
