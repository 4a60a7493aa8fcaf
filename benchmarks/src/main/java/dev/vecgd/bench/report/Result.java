package dev.vecgd.bench.report;

import dev.vecgd.bench.BenchState;

/**
 * One JMH result row: a benchmark method at one (shape, layout), its time per operation in
 * milliseconds with the JMH error (half-width of the 99.9 % confidence interval, NaN when JMH could
 * not compute one), the allocation per operation from {@code -prof gc} (NaN when absent) and the
 * length of a measurement iteration in milliseconds. {@code threads} and {@code storage} are the
 * parameters of {@code ThreadsBenchmark} and {@code StorageBenchmark} (0 and "" for the others).
 * {@code bits} is the kernel vector width the result was measured at (the {@code bits} parameter, or the
 * width of the run's environment file; 0 when unknown). {@code dtype} is X's element type ({@code dtype} parameter of
 * {@code GradientBenchmark} and {@code StorageBenchmark}): {@code "float64"} when absent.
 */
record Result(String benchmarkClass, String method, String shape, String layout, int m, int n,
              double ms, double msError, double allocBytesPerOp, double allocError, double iterationMs,
              int threads, String storage, int bits, String dtype) {

    static final String FLOAT32 = "float32";

    Result(String benchmarkClass, String method, String shape, String layout, int m, int n,
           double ms, double msError, double allocBytesPerOp, double allocError, double iterationMs) {
        this(benchmarkClass, method, shape, layout, m, n, ms, msError, allocBytesPerOp, allocError, iterationMs, 0, "", 0);
    }

    Result(String benchmarkClass, String method, String shape, String layout, int m, int n,
           double ms, double msError, double allocBytesPerOp, double allocError, double iterationMs,
           int threads, String storage, int bits) {
        this(benchmarkClass, method, shape, layout, m, n, ms, msError, allocBytesPerOp, allocError, iterationMs, threads,
                storage, bits, "float64");
    }

    /** The same result under another method name (the chart's series labels). */
    Result withMethod(String label) {
        return new Result(benchmarkClass, label, shape, layout, m, n, ms, msError, allocBytesPerOp, allocError, iterationMs,
                threads, storage, bits, dtype);
    }

    /** True for X stored as float32. */
    boolean isFloat32() {
        return FLOAT32.equals(dtype);
    }

    /** True for the read probes ({@code readProbe}, {@code readProbe2}, {@code readProbe4}). */
    boolean isProbe() {
        return method.startsWith("readProbe");
    }

    /** Operations in one measurement iteration (about): iteration time / time per operation. */
    double opsPerIteration() {
        return iterationMs / ms;
    }

    /** Bytes allocated per measurement iteration (about): B/op × operations per iteration. */
    double allocBytesPerIteration() {
        return allocBytesPerOp * opsPerIteration();
    }

    /** Bytes one gradient reads as the reports count them: {@code 8·(m·n + m)}, {@code 4·m·n + 8·m} for float32 X. */
    long bytes() {
        return BenchState.bytes(m, n, dtype);
    }

    /** Effective bandwidth in GB/s (10⁹ bytes per second) over {@link #bytes()}. */
    double gbPerSecond() {
        return bytes() / (ms * 1e-3) / 1e9;
    }

    /** Relative error of the time (and of the bandwidth): {@code msError / ms}. */
    double relativeError() {
        return msError / ms;
    }

    /** Shape, layout and the extra parameters: unique per benchmark method within one run. */
    String key() {
        return shape + "|" + layout + "|" + variant();
    }

    /**
     * "" for the single-thread heap float64 benchmarks, else e.g. "threads=2", "storage=mapped", "dtype=float32" or
     * "storage=mapped,dtype=float32".
     */
    String variant() {
        String v = (threads > 0 ? "threads=" + threads : "") + (storage.isEmpty() ? "" : (threads > 0 ? "," : "") + "storage=" + storage);
        return isFloat32() ? (v.isEmpty() ? "" : v + ",") + "dtype=" + FLOAT32 : v;
    }
}
