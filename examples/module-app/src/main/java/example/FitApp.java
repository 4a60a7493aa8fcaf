package example;

import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.StridedVector;
import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.GradientBuffer;
import dev.vecgd.solver.LinearRegression;
import dev.vecgd.solver.Optimizer;
import dev.vecgd.solver.PlainGradientDescent;
import java.util.Arrays;
import java.util.Random;

/**
 * A user's application on the module path (module example, requires dev.vecgd): fits a seeded problem with
 * {@link LinearRegression}, then again with its own loop over its own chunks (the gradient accumulates until
 * {@code zeroGrad()}), and checks both against the normal equations solved here with plain loops. Prints the kernel
 * implementation and the coefficients; exits 1 when a check fails.
 */
public final class FitApp {

    static final int ROWS = 20_000;
    static final int COLS = 5;
    static final int CHUNK = 4_096;
    static final double TOL = 1e-8;

    private FitApp() {
    }

    public static void main(String[] args) {
        double[] x = new double[ROWS * COLS];
        double[] y = new double[ROWS];
        Problem.fill(new Random(42), x, y, ROWS, COLS);
        double[] oracle = Problem.normalEquations(x, y, ROWS, COLS);   // [θ₀ … θₙ₋₁, b]
        Dataset data = Dataset.rowMajor(x, ROWS, COLS, y);                // a view, no copy

        // 1. The library's solver.
        FitResult fit = LinearRegression.fit(data, FitOptions.builder().build());
        double[] fitted = Arrays.copyOf(fit.model().coefficients(), COLS + 1);
        fitted[COLS] = fit.model().intercept();

        // 2. Our own loop: the kernels accumulate the gradient over our chunks until zeroGrad().
        GradientBuffer grad = new GradientBuffer(COLS);
        Optimizer gd = new PlainGradientDescent();
        double[] p = new double[COLS + 1];
        for (int it = 0; it < 200; it++) {
            grad.zeroGrad();
            for (int from = 0; from < ROWS; from += CHUNK) grad.accumulate(data, p, from, Math.min(ROWS, from + CHUNK));
            gd.step(p, grad, 0.5);                                        // p ← p − α · Σ / rows
        }
        // One fused kernel call over all rows: the gradient at our solution (≈ 0 at the least-squares optimum).
        double[] g = new double[COLS + 1];
        Kernels.lossGradientAdd(data.x(), Arrays.copyOf(p, COLS), p[COLS], StridedVector.of(y), g, 0, ROWS);

        System.out.println("implementation=" + Kernels.implementation());
        System.out.println("module=" + moduleName(Kernels.class) + ", app " + moduleName(FitApp.class));
        System.out.println("fit=" + Problem.format(fitted) + " (" + fit.stopReason() + ")");
        System.out.println("loop=" + Problem.format(p));
        boolean ok = Problem.check("LinearRegression.fit", fitted, oracle, TOL)
                & Problem.check("own loop", p, oracle, TOL)
                & Problem.check("gradient at the loop's solution / rows", scale(g, 1.0 / ROWS), new double[COLS + 1], TOL);
        System.out.println(ok ? "ok" : "FAILED");
        if (!ok) System.exit(1);
    }

    /** The named module a class is in, or "unnamed" (class path). */
    private static String moduleName(Class<?> c) {
        return c.getModule().isNamed() ? c.getModule().getName() : "unnamed";
    }

    private static double[] scale(double[] v, double s) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) out[i] *= s;
        return out;
    }
}
