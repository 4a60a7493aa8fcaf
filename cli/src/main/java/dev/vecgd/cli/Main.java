package dev.vecgd.cli;

import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.StopReason;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * The {@code vecgd} command line (picocli): {@code fit}, {@code predict}, {@code generate},
 * {@code bench}, {@code demo}, {@code help}.
 *
 * <p>Exit status: 0 success (also a fit that stopped at its iteration limit: a warning is printed);
 * 1 internal failure; 2 usage error or bad input (the last stderr line starts {@code vecgd: error:});
 * 3 the fit diverged.
 */
@Command(name = "vecgd", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Linear least squares by batch gradient descent on SIMD (Vector API) kernels.",
        subcommands = {FitCommand.class, PredictCommand.class, GenerateCommand.class, BenchCommand.class,
                DemoCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit status: 0 success (also a fit stopped at --max-iter, with a warning), 1 internal failure,"
                + " 2 usage error or bad input (the last stderr line starts 'vecgd: error:'), 3 the fit diverged."})
public final class Main implements Callable<Integer> {

    static final int OK = 0;
    static final int INTERNAL = 1;
    static final int USAGE = 2;
    static final int DIVERGED = 3;

    final PrintStream out;
    final PrintStream err;
    /** True when err is the process's System.err (progress may then use the console). */
    final boolean systemErr;

    Main(PrintStream out, PrintStream err, boolean systemErr) {
        this.out = out;
        this.err = err;
        this.systemErr = systemErr;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status = run(args, out, err, true);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs the command line; returns the exit status (never calls {@code System.exit}). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, false);
    }

    static int run(String[] args, PrintStream out, PrintStream err, boolean systemErr) {
        CommandLine cl = new CommandLine(new Main(out, err, systemErr));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((e, a) -> {
            String sub = e.getCommandLine().getCommandName();
            String hint = "vecgd".equals(sub) ? "vecgd --help" : "vecgd " + sub + " --help";
            err.println("vecgd: error: " + e.getMessage() + " (see '" + hint + "')");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof UsageException) {
                err.println("vecgd: error: " + e.getMessage());
                return USAGE;
            }
            e.printStackTrace(err);
            err.println("vecgd: error: internal failure: " + e);
            return INTERNAL;
        });
        int status;
        try {
            status = cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("vecgd: error: out of memory (" + e.getMessage() + "); raise the heap, e.g. VECGD_JAVA_OPTS=-Xmx16g");
            status = INTERNAL;
        }
        out.flush();
        return status;
    }

    @Override
    public Integer call() throws UsageException {
        throw new UsageException("missing command (commands: fit, predict, generate, bench, demo, help)");
    }

    /**
     * The exit status of a finished fit, printing a warning (iteration limit) or the error line
     * (divergence) to err. Call after the result has been printed.
     */
    static int finish(FitResult r, PrintStream err) {
        if (r.stopReason() == StopReason.DIVERGED) {
            err.println("vecgd: error: " + r.message().replace(
                    "the automatic rate (FitOptions.builder().autoLearningRate(), the default)", "--learning-rate auto (the default)"));
            return DIVERGED;
        }
        if (!r.converged()) err.println("vecgd: warning: " + r.message());
        return OK;
    }

    /** The version line: project version, JDK, kernels. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"vecgd " + (v == null ? "(development build)" : v) + ", JDK " + Runtime.version()
                    + ", kernels: " + dev.vecgd.kernel.Kernels.implementation()};
        }
    }
}
