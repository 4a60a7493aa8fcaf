package dev.vecgd.cli;

import dev.vecgd.kernel.Kernels;
import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;

import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code vecgd demo}: generate a synthetic problem with known coefficients, fit it with batch
 * gradient descent (automatic learning rate), and show progress, fitted vs true coefficients, the
 * stop reason and the throughput.
 */
final class Demo {

    /** Demo settings; the defaults are the README's main job. */
    record Config(int rows, int cols, double noise, long seed, int maxIterations, boolean progress) {
        static Config defaults() {
            return new Config(4_000_000, 16, 0.1, 42, 10_000, true);
        }
    }

    /** What the demo produced (for tests). */
    record Outcome(SyntheticProblem problem, FitResult result) {
    }

    private Demo() {
    }

    static Outcome run(Config c, PrintStream out, PrintStream err) {
        out.printf(Locale.ROOT, "vecgd demo: %,d rows × %d features (%.2f GB of X, row-major), noise σ = %s, seed %d%n",
                c.rows(), c.cols(), 8.0 * c.rows() * c.cols() / 1e9, c.noise(), c.seed());
        out.printf(Locale.ROOT, "kernels: %s; JDK %s; %d processors%n", Kernels.implementation(),
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        SyntheticProblem p = SyntheticProblem.generate(c.rows(), c.cols(), c.noise(), c.seed());
        out.printf(Locale.ROOT, "generated in %.2f s; fitting with batch gradient descent (automatic learning rate)%n",
                (System.nanoTime() - t0) / 1e9);
        FitOptions.Builder b = FitOptions.builder().maxIterations(c.maxIterations());
        int[] lastPrinted = {-1};
        if (c.progress()) {
            b.listener((k, loss, g) -> {
                if (k <= 5 || k % 10 == 0) {
                    lastPrinted[0] = k;
                    err.printf(Locale.ROOT, "  iteration %5d   loss %.10e   ‖∇J‖ %.3e%n", k, loss, g);
                }
                return true;
            });
        }
        FitResult r = LinearRegression.fit(p.data(), b.build());
        if (c.progress() && lastPrinted[0] != r.iterations()) {
            err.printf(Locale.ROOT, "  iteration %5d   loss %.10e   ‖∇J‖ %.3e  (final)%n", r.iterations(), r.loss(),
                    r.gradientNorm());
        }
        out.println();
        out.println("  coefficient        true            fitted        |fitted − true|");
        out.printf(Locale.ROOT, "  %-11s %14.8f  %16.10f  %12.3e%n", "intercept", p.intercept(), r.intercept(),
                Math.abs(r.intercept() - p.intercept()));
        for (int j = 0; j < c.cols(); j++) {
            out.printf(Locale.ROOT, "  %-11s %14.8f  %16.10f  %12.3e%n", "θ" + (j + 1), p.theta()[j], r.coefficient(j),
                    Math.abs(r.coefficient(j) - p.theta()[j]));
        }
        out.println();
        double gb = r.passes() * (double) p.data().featureBytes() / 1e9;
        out.printf(Locale.ROOT, "stop reason: %s (%s)%n", r.stopReason(), r.message());
        out.printf(Locale.ROOT, "iterations: %d, passes over X: %d (every read: checks, statistics, learning-rate estimate), α = %.4g%n",
                r.iterations(), r.passes(), r.learningRate());
        out.printf(Locale.ROOT, "R² = %.8f, RMSE = %.6f (noise σ = %s)%n", r.r2(), r.rmse(), c.noise());
        out.printf(Locale.ROOT, "fit time: %.3f s, X processed: %.2f GB, %.2f GB/s (whole fit incl. checks and statistics)%n",
                r.wallTimeSeconds(), gb, gb / r.wallTimeSeconds());
        out.printf(Locale.ROOT, "kernels: %s%n", r.implementation());
        return new Outcome(p, r);
    }
}
