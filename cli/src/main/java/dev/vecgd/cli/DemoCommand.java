package dev.vecgd.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vecgd demo}: the README's main job (see {@link Demo}). */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate a synthetic regression problem in memory and fit it with batch gradient descent,"
                + " showing progress, fitted vs true coefficients and throughput.")
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "4000000", description = "rows (default ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--cols", paramLabel = "N", defaultValue = "16", description = "features (default ${DEFAULT-VALUE})")
    int cols;

    @Option(names = "--noise", paramLabel = "σ", defaultValue = "0.1", description = "noise standard deviation (default ${DEFAULT-VALUE})")
    double noise;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = {"--max-iter", "--max-iterations"}, paramLabel = "N", defaultValue = "10000",
            description = "iteration budget (default ${DEFAULT-VALUE})")
    int maxIterations;

    @Option(names = "--quiet", description = "no per-iteration progress on stderr")
    boolean quiet;

    @Option(names = "--dtype", paramLabel = "float64|float32", defaultValue = "float64",
            description = "how X is stored for the fit: float64 (the heap arrays) or float32 (the same problem with every"
                    + " x rounded once to the nearest float, off-heap: half the bytes per pass; y and all sums stay double)."
                    + " Default: ${DEFAULT-VALUE}")
    String dtype;

    @Override
    public Integer call() throws UsageException {
        Demo.Outcome o = Demo.run(config(), main.out, main.err);
        return Main.finish(o.result(), main.err);
    }

    Demo.Config config() throws UsageException {
        if (rows < 1) throw new UsageException("--rows must be >= 1, got " + rows);
        if (cols < 1) throw new UsageException("--cols must be >= 1, got " + cols);
        if (maxIterations < 0) throw new UsageException("--max-iter must be >= 0, got " + maxIterations);
        if (!(noise >= 0) || Double.isInfinite(noise)) throw new UsageException("--noise must be finite and >= 0, got " + noise);
        if ((long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new UsageException(String.format(Locale.ROOT, "--rows × --cols = %d elements exceed one Java array"
                    + " (use 'vecgd generate' to write a larger problem to a file)", (long) rows * cols));
        }
        return new Demo.Config(rows, cols, noise, seed, maxIterations, !quiet, FitCommand.parseDtype(dtype));
    }
}
