package dev.vecgd.cli;

import dev.vecgd.solver.IterationListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long fit on stderr: iteration, loss, gradient norm, rate (iterations/s and GB/s of X)
 * and an ETA (an upper bound: the time to reach --max-iter at the current rate). On a terminal one
 * line is rewritten in place; otherwise (stderr redirected) plain
 * lines are printed at a slower pace; see {@link #stderrIsTerminal()}. Nothing is printed during the first second.
 */
final class Progress implements IterationListener {

    private final PrintStream err;
    private final boolean terminal;
    private final long intervalNanos;
    private final long firstNanos;
    private final int maxIterations;
    private final double bytesPerIteration;
    private final long start = System.nanoTime();
    private long last;
    private boolean printed;
    private int lastWidth;

    Progress(PrintStream err, boolean terminal, double firstSeconds, double intervalSeconds, int maxIterations,
             double bytesPerIteration) {
        this.err = err;
        this.terminal = terminal;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.firstNanos = (long) (firstSeconds * 1e9);
        this.maxIterations = maxIterations;
        this.bytesPerIteration = bytesPerIteration;
        this.last = start;
    }

    /** The default for the real stderr: a terminal updates 4 times a second, a pipe or file every 5 s (the first line after 1 s). */
    static Progress forStderr(PrintStream err, boolean isSystemErr, int maxIterations, double bytesPerIteration) {
        boolean terminal = isSystemErr && stderrIsTerminal();
        return new Progress(err, terminal, 1.0, terminal ? 0.25 : 5.0, maxIterations, bytesPerIteration);
    }

    /**
     * Whether stderr is a terminal. Java cannot ask about stderr alone, so the launcher tells
     * ({@code -Dvecgd.stderr.tty=true|false}, from {@code [ -t 2 ]}); without it, the console decides
     * ({@code System.console()} non-null and, since JDK 22 where it is non-null even when redirected,
     * {@link java.io.Console#isTerminal()}).
     */
    static boolean stderrIsTerminal() {
        String p = System.getProperty("vecgd.stderr.tty");
        if (p != null) return Boolean.parseBoolean(p);
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    @Override
    public boolean onIteration(int k, double loss, double gradientNorm) {
        long now = System.nanoTime();
        if (printed ? now - last < intervalNanos : now - start < firstNanos) return true;
        last = now;
        double seconds = (now - start) / 1e9;
        double rate = k / seconds;
        String line = String.format(Locale.ROOT, "iteration %d/%d  loss %.6e  |grad| %.3e  %.1f it/s  %.2f GB/s  ETA <= %s",
                k, maxIterations, loss, gradientNorm, rate, rate * bytesPerIteration / 1e9,
                k > 0 ? duration((maxIterations - k) / rate) : "?");
        if (terminal) {
            String pad = line.length() < lastWidth ? " ".repeat(lastWidth - line.length()) : "";
            err.print("\r" + line + pad);
            lastWidth = line.length();
        } else {
            err.println(line);
        }
        err.flush();
        printed = true;
        return true;
    }

    /** Ends the in-place line on a terminal. */
    void finish() {
        if (terminal && printed) err.println();
    }

    static String duration(double s) {
        if (!Double.isFinite(s)) return "?";
        if (s < 60) return String.format(Locale.ROOT, "%.1fs", s);
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", (long) s / 60, (long) s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", (long) s / 3600, ((long) s % 3600) / 60);
    }
}
