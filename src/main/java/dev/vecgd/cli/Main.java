package dev.vecgd.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The {@code vecgd} command line (plain Java for now). Subcommands: {@code demo}, {@code help}.
 * Exit status: 0 on success, 1 when the fit did not converge, 2 on a usage error (reported as a line
 * starting {@code vecgd: error:}).
 */
public final class Main {

    static final String USAGE = """
            usage: vecgd <command> [options]

            commands:
              demo    generate a synthetic regression problem and fit it with batch gradient descent
                      --rows N            rows (default 4000000)
                      --cols N            features (default 16)
                      --noise S           noise standard deviation (default 0.1)
                      --seed N            random seed (default 42)
                      --max-iterations N  iteration budget (default 10000)
                      --quiet             no per-iteration progress on stderr
              help    show this text
            """;

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        if (status != 0) System.exit(status);
    }

    /** Runs the command line; returns the exit status (never calls {@code System.exit}). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) throw new UsageException("missing command (try: vecgd demo)");
            switch (args[0]) {
                case "demo" -> {
                    Demo.Outcome o = Demo.run(parseDemo(args), out, err);
                    return o.result().converged() ? 0 : 1;
                }
                case "help", "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> throw new UsageException("unknown command '" + args[0] + "' (commands: demo, help)");
            }
        } catch (UsageException e) {
            err.println("vecgd: error: " + e.getMessage());
            err.println("run 'vecgd help' for usage");
            return 2;
        }
    }

    static Demo.Config parseDemo(String[] args) throws UsageException {
        Demo.Config d = Demo.Config.defaults();
        int rows = d.rows();
        int cols = d.cols();
        double noise = d.noise();
        long seed = d.seed();
        int maxIt = d.maxIterations();
        boolean progress = d.progress();
        for (int a = 1; a < args.length; a++) {
            String opt = args[a];
            switch (opt) {
                case "--quiet" -> progress = false;
                case "--rows" -> rows = positiveInt(opt, value(args, ++a, opt));
                case "--cols" -> cols = positiveInt(opt, value(args, ++a, opt));
                case "--max-iterations" -> maxIt = nonNegativeInt(opt, value(args, ++a, opt));
                case "--seed" -> seed = parseLong(opt, value(args, ++a, opt));
                case "--noise" -> {
                    String v = value(args, ++a, opt);
                    try {
                        noise = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw new UsageException(opt + " expects a number, got '" + v + "'");
                    }
                    if (!(noise >= 0) || Double.isInfinite(noise)) throw new UsageException(opt + " must be finite and >= 0, got " + v);
                }
                default -> throw new UsageException("unknown option '" + opt + "' for demo");
            }
        }
        if ((long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new UsageException(String.format(Locale.ROOT, "--rows × --cols = %d elements exceed one Java array",
                    (long) rows * cols));
        }
        return new Demo.Config(rows, cols, noise, seed, maxIt, progress);
    }

    private static String value(String[] args, int a, String opt) throws UsageException {
        if (a >= args.length) throw new UsageException(opt + " needs a value");
        return args[a];
    }

    private static int positiveInt(String opt, String v) throws UsageException {
        int n = nonNegativeInt(opt, v);
        if (n < 1) throw new UsageException(opt + " must be >= 1, got " + v);
        return n;
    }

    private static int nonNegativeInt(String opt, String v) throws UsageException {
        try {
            int n = Integer.parseInt(v.replace("_", ""));
            if (n < 0) throw new UsageException(opt + " must be >= 0, got " + v);
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(opt + " expects an integer, got '" + v + "'");
        }
    }

    private static long parseLong(String opt, String v) throws UsageException {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(opt + " expects an integer, got '" + v + "'");
        }
    }
}
