package dev.vecgd.cli;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.ElementType;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.Layout;
import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * {@code vecgd demo}: generate a synthetic problem with known coefficients, fit it with batch
 * gradient descent (automatic learning rate), and show progress, fitted vs true coefficients, the
 * stop reason and the throughput.
 */
final class Demo {

    /** Demo settings; the defaults are the README's main job. {@code dtype}: how X is stored for the fit. */
    record Config(int rows, int cols, double noise, long seed, int maxIterations, boolean progress, ElementType dtype) {
        Config(int rows, int cols, double noise, long seed, int maxIterations, boolean progress) {
            this(rows, cols, noise, seed, maxIterations, progress, ElementType.FLOAT64);
        }

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
        ElementType type = c.dtype() == null ? ElementType.FLOAT64 : c.dtype();
        out.printf(Locale.ROOT, "vecgd demo: %,d rows × %d features (%.2f GB of X, row-major, %s), noise σ = %s, seed %d%n",
                c.rows(), c.cols(), (double) type.bytes() * c.rows() * c.cols() / 1e9, type.dtypeName(), c.noise(), c.seed());
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
        FitResult r;
        long bytesPerPass;
        if (type == ElementType.FLOAT32) {
            try (SegmentDataset f = float32Copy(p.data())) {
                out.printf(Locale.ROOT, "dtype: float32 (X stored as float32 off-heap: %.1f MB; float64 would be %.1f MB),"
                        + " float kernels: %s%n", f.featureBytes() / 1e6, 8.0 * c.rows() * c.cols() / 1e6,
                        dev.vecgd.kernel.SegmentKernels.floatImplementation());
                bytesPerPass = f.featureBytes();
                r = LinearRegression.fit(f, b.build());
            }
        } else {
            out.printf(Locale.ROOT, "dtype: float64 (X on the heap: %.1f MB)%n", p.data().featureBytes() / 1e6);
            bytesPerPass = p.data().featureBytes();
            r = LinearRegression.fit(p.data(), b.build());
        }
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
        double gb = r.passes() * (double) bytesPerPass / 1e9;
        out.printf(Locale.ROOT, "stop reason: %s (%s)%n", r.stopReason(), r.message());
        out.printf(Locale.ROOT, "iterations: %d, passes over X: %d (every read: checks, statistics, learning-rate estimate), α = %.4g%n",
                r.iterations(), r.passes(), r.learningRate());
        out.printf(Locale.ROOT, "R² = %.8f, RMSE = %.6f (noise σ = %s)%n", r.r2(), r.rmse(), c.noise());
        out.printf(Locale.ROOT, "fit time: %.3f s, X processed: %.2f GB, %.2f GB/s (whole fit incl. checks and statistics)%n",
                r.wallTimeSeconds(), gb, gb / r.wallTimeSeconds());
        out.printf(Locale.ROOT, "kernels: %s%n", r.implementation());
        return new Outcome(p, r);
    }

    /**
     * The problem with X rounded once to float32 in native memory (row-major, 64-byte aligned) and y copied as
     * double; the caller closes it.
     */
    static SegmentDataset float32Copy(Dataset d) {
        int m = d.rows();
        int n = d.cols();
        SegmentDataset f = SegmentDataset.allocate(m, n, Layout.ROW_MAJOR, ElementType.FLOAT32);
        try {
            MemorySegment xs = f.x().segment();
            MemorySegment ys = f.y().segment();
            float[] row = new float[n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) row[j] = (float) d.x(i, j); // synthetic values: far inside float32's range
                MemorySegment.copy(row, 0, xs, ValueLayout.JAVA_FLOAT, (long) i * n * Float.BYTES, n);
                ys.setAtIndex(ValueLayout.JAVA_DOUBLE, i, d.y(i));
            }
            return f;
        } catch (RuntimeException | Error e) {
            f.close();
            throw e;
        }
    }
}
