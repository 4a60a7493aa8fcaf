package dev.vecgd.solver;

import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 13's property family: seeded random awkward problems — constant columns (0.1, 1/3, 1.1, 1e-300, 1e300,
 * −7e12), nearly constant columns (1e4 + δ·noise), duplicated columns, offsets of y and x from 1e4 to 1e15,
 * scales from 1e-150 to 1e150, m = 1, m &lt; n, m = n + 1 — each fitted by every solver on heap (row-major),
 * off-heap (row- and column-major) and {@link RowSource} data, with and without intercept and standardization,
 * at the default tolerance and at 1e-14, and in mini-batches of 16 (plain and variance-reduced, several seeds).
 * Every fit must satisfy {@link AwkwardDataTest#assertHonest}: CONVERGED within the documented bound of the exact
 * (60-digit) least-squares reference, or a non-converged reason whose message says why; never NaN, never DIVERGED
 * (every rate here is the library's own). A fit may instead refuse the data with an exception, but only one
 * naming the problem (overflow/underflow of the data's magnitude, or a Gram matrix that is not positive definite
 * for {@code normal}); at most a third of a family's fits may refuse.
 */
class AwkwardPropertyTest {

    static final double[] CONSTANTS = {0.1, 1.0 / 3, 1.1, 1e-300, 1e300, -7e12};

    /** One random awkward problem of the family. */
    static AwkwardDataTest.Problem generate(String family, SplittableRandom rnd) {
        int m = switch (family) {
            case "tiny" -> new int[] {1, 2, 3, 4, 6}[rnd.nextInt(5)];
            default -> 40 + rnd.nextInt(260);
        };
        int n = 1 + rnd.nextInt(4);
        double noise = new double[] {0, 1e-6, 0.1, 1}[rnd.nextInt(4)];
        double[] constant = AwkwardDataTest.nan(n);
        double[] xOffset = new double[n];
        double yOffset = 0;
        double xScale = 1;
        double yScale = 1;
        int awkward = rnd.nextInt(n);
        String name = family + " m=" + m + " n=" + n + " noise=" + noise;
        switch (family) {
            case "constant" -> {
                constant[awkward] = CONSTANTS[rnd.nextInt(CONSTANTS.length)];
                name += " x" + awkward + "≡" + constant[awkward];
            }
            case "offset" -> {
                yOffset = (rnd.nextBoolean() ? 1 : -1) * Math.pow(10, 4 + rnd.nextInt(12));
                xOffset[awkward] = rnd.nextBoolean() ? 0 : Math.pow(10, 4 + rnd.nextInt(12));
                name += " y+" + yOffset + " x" + awkward + "+" + xOffset[awkward];
            }
            case "scale" -> {
                xScale = Math.pow(10, 50 * (rnd.nextInt(7) - 3));
                yScale = Math.pow(10, 50 * (rnd.nextInt(7) - 3));
                name += " x×" + xScale + " y×" + yScale;
            }
            default -> { }
        }
        AwkwardDataTest.Problem p = AwkwardDataTest.linear(name, m, n, noise, rnd.nextLong(), yOffset, xOffset, constant);
        double[] x = p.x();
        double[] y = p.y();
        for (int i = 0; i < x.length; i++) x[i] *= xScale;
        for (int i = 0; i < y.length; i++) y[i] *= yScale;
        if (family.equals("near")) {
            double delta = Math.pow(10, -4 - rnd.nextInt(10));
            for (int i = 0; i < m; i++) x[i * n + awkward] = 1e4 + delta * x[i * n + awkward];
            return new AwkwardDataTest.Problem(name + " x" + awkward + "=1e4+" + delta + "·z", m, n, x, y);
        }
        if (family.equals("duplicate") && n >= 2) {
            int from = (awkward + 1) % n;
            double factor = rnd.nextBoolean() ? 1 : -3;
            for (int i = 0; i < m; i++) x[i * n + awkward] = factor * x[i * n + from];
            return new AwkwardDataTest.Problem(name + " x" + awkward + "=" + factor + "·x" + from, m, n, x, y);
        }
        return p;
    }

    /** Counts of fits and refusals in one family. */
    static final class Tally {
        int fits;
        int refusals;
        final List<String> refused = new ArrayList<>();
    }

    static void check(AwkwardDataTest.Problem p, FitOptions o, String label, Supplier<FitResult> fit, Tally t) {
        FitResult r;
        try {
            r = fit.get();
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            boolean named = msg.contains("overflow") || msg.contains("underflow")
                    || (o.solver() == Solver.NORMAL && msg.contains("not positive definite"));
            assertTrue(named, "refused without naming the problem: " + label + " " + p.name() + " " + o.solver() + ": " + msg);
            t.refusals++;
            if (t.refused.size() < 5) t.refused.add(p.name() + " " + o.solver() + ": " + msg);
            return;
        }
        t.fits++;
        AwkwardDataTest.assertHonest(p, r, o, label);
    }

    static void everywhere(AwkwardDataTest.Problem p, FitOptions.Builder b, Tally t) {
        for (Solver s : Solver.values()) {
            FitOptions o = b.solver(s).build();
            check(p, o, "heap", () -> LinearRegression.fit(p.heap(), o), t);
            for (Layout layout : Layout.values()) {
                check(p, o, "off-heap " + layout, () -> {
                    try (SegmentDataset off = SegmentDataset.copyOf(p.heap(), layout)) {
                        return LinearRegression.fit(off, o);
                    }
                }, t);
            }
            check(p, o, "RowSource", () -> LinearRegression.fit(new RowSourceFitTest.BlockSource(p.heap(), 37, true), o), t);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"constant", "near", "duplicate", "offset", "scale", "tiny"})
    void everySolverOnEveryKindOfDataIsHonest(String family) {
        SplittableRandom rnd = new SplittableRandom(family.hashCode());
        Tally t = new Tally();
        for (int c = 0; c < 8; c++) {
            AwkwardDataTest.Problem p = generate(family, rnd);
            everywhere(p, FitOptions.builder().maxIterations(5_000), t);
            everywhere(p, FitOptions.builder().maxIterations(5_000).intercept(false), t);
            everywhere(p, FitOptions.builder().maxIterations(5_000).standardize(false), t);
            everywhere(p, FitOptions.builder().maxIterations(5_000).gradientTolerance(1e-14), t);
        }
        assertTrue(t.refusals * 3 <= t.fits + t.refusals, family + ": " + t.refusals + " of " + (t.fits + t.refusals)
                + " fits refused, e.g. " + t.refused);
    }

    @ParameterizedTest
    @ValueSource(strings = {"constant", "near", "offset", "scale"})
    void miniBatchesOverManySeedsAreHonest(String family) {
        SplittableRandom rnd = new SplittableRandom(31 * family.hashCode());
        Tally t = new Tally();
        for (int c = 0; c < 3; c++) {
            AwkwardDataTest.Problem p = generate(family, rnd);
            for (long seed = 1; seed <= 4; seed++) {
                for (boolean reduced : new boolean[] {true, false}) {
                    for (Solver s : new Solver[] {Solver.GD, Solver.MOMENTUM, Solver.NESTEROV}) {
                        FitOptions o = FitOptions.builder().solver(s).batchSize(16).varianceReduction(reduced).seed(seed)
                                .maxIterations(300).build();
                        check(p, o, "heap mini-batch seed " + seed, () -> LinearRegression.fit(p.heap(), o), t);
                    }
                }
            }
        }
        assertTrue(t.refusals * 3 <= t.fits + t.refusals, family + ": " + t.refused);
    }
}
