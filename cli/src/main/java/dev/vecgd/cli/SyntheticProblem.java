package dev.vecgd.cli;

import dev.vecgd.data.Dataset;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A seeded synthetic regression problem: row-major m×n X with column j of mean j and standard
 * deviation 1 + (j mod 4), mildly correlated through a shared factor (correlation ≈ 0.09); y = θ₀ + Xθ + σ·N(0, 1).
 * Generated in fixed blocks of rows, each with its own seeded generator, so the data do not depend
 * on the number of threads that generate them.
 *
 * @param data      the dataset (X and y on the heap)
 * @param theta     the true coefficients
 * @param intercept the true intercept
 * @param noise     σ of the added noise
 */
public record SyntheticProblem(Dataset data, double[] theta, double intercept, double noise) {

    /** Rows per independently seeded block: the data depend on the seed only, not on threads or chunking. */
    static final int BLOCK = 65_536;

    /** The true intercept of every synthetic problem. */
    static final double INTERCEPT = 2.5;

    /** Generates an m×n problem with noise σ from a seed. */
    public static SyntheticProblem generate(int m, int n, double noise, long seed) {
        long elements = (long) m * n;
        if (elements > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(m + " × " + n + " = " + elements + " elements do not fit in one Java array");
        }
        double[] theta = trueTheta(n);
        double[] x = new double[(int) elements];
        double[] y = new double[m];
        int blocks = (m + BLOCK - 1) / BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b ->
                fillBlock(b, m, n, theta, INTERCEPT, noise, seed, x, (long) b * BLOCK * n, y, (long) b * BLOCK));
        return new SyntheticProblem(Dataset.rowMajor(x, m, n, y), theta, INTERCEPT, noise);
    }

    /** The true coefficients of an n-feature problem: ±(1 + j/4), alternating signs. */
    static double[] trueTheta(int n) {
        double[] theta = new double[n];
        for (int j = 0; j < n; j++) theta[j] = (j % 2 == 0 ? 1 : -1) * (1 + j / 4.0);
        return theta;
    }

    /** Number of {@link #BLOCK}s of an m-row problem. */
    static long blocks(long m) {
        return (m + BLOCK - 1) / BLOCK;
    }

    /**
     * Writes the rows of block b (rows {@code b·BLOCK ..} up to m) row-major into x from xOff and their
     * targets into y from yOff; returns the number of rows written. Used by {@link #generate} and by the
     * streaming {@code vecgd generate}, so both produce the same numbers for the same seed.
     */
    static int fillBlock(long b, long m, int n, double[] theta, double intercept, double noise, long seed,
                         double[] x, long xOff, double[] y, long yOff) {
        Gaussians rnd = new Gaussians(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + b));
        long first = b * BLOCK;
        int rows = (int) Math.min(BLOCK, m - first);
        for (int r = 0; r < rows; r++) {
            double common = rnd.next();
            double h = intercept;
            int base = (int) (xOff + (long) r * n);
            for (int j = 0; j < n; j++) {
                double v = j + (1 + (j & 3)) * (0.95 * rnd.next() + 0.3 * common);
                x[base + j] = v;
                h += theta[j] * v;
            }
            y[(int) (yOff + r)] = h + noise * rnd.next();
        }
        return rows;
    }

    /** Standard normal numbers by Box–Muller, both of each pair used (one log and one sqrt per two numbers). */
    private static final class Gaussians {
        private final SplittableRandom rnd;
        private double spare;
        private boolean hasSpare;

        Gaussians(SplittableRandom rnd) {
            this.rnd = rnd;
        }

        double next() {
            if (hasSpare) {
                hasSpare = false;
                return spare;
            }
            double u = rnd.nextDouble();
            double v = 2 * Math.PI * rnd.nextDouble();
            double r = Math.sqrt(-2 * Math.log(1 - u));
            spare = r * Math.sin(v);
            hasSpare = true;
            return r * Math.cos(v);
        }
    }
}
