package dev.vecgd.bench;

/**
 * Fast, seeded, counter-based pseudo-random data for the benchmarks.
 *
 * <p>Element k of a stream is a pure function of {@code (seed, k)} (the SplitMix64 finalizer of
 * {@code seed + k·φ}), so a matrix has the same logical values in either layout, the fill is
 * sequential in storage order (about 1 ns per element: 4 GiB of data fills in well under two
 * seconds, where {@code Random.nextGaussian} per element would take tens of seconds), and the
 * values do not depend on how the fill is split. Values are uniform in [−1, 1): no NaN, no
 * subnormals, so the arithmetic runs at full speed.
 */
public final class SeededData {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private SeededData() {
    }

    /** Element {@code index} of the stream {@code seed}: uniform in [−1, 1). */
    public static double value(long seed, long index) {
        long z = seed + index * GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-52 - 1.0;
    }

    /** {@code a[k] = value(seed, k)}. */
    public static void fill(double[] a, long seed) {
        for (int k = 0; k < a.length; k++) {
            a[k] = value(seed, k);
        }
    }

    /**
     * Fills a compact m×n matrix so that element (i, j) is {@code value(seed, i·n + j)} whatever the
     * layout: row-major and column-major arrays hold the same matrix.
     */
    public static void fillMatrix(double[] x, int m, int n, boolean rowMajor, long seed) {
        if ((long) m * n != x.length) {
            throw new IllegalArgumentException("array of " + x.length + " elements for a " + m + "x" + n + " matrix");
        }
        if (rowMajor) {
            fill(x, seed);
        } else {
            for (int j = 0; j < n; j++) {
                int col = j * m;
                for (int i = 0; i < m; i++) {
                    x[col + i] = value(seed, (long) i * n + j);
                }
            }
        }
    }
}
