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

    private static final int BLOCK = 65_536;

    /** Generates an m×n problem with noise σ from a seed. */
    public static SyntheticProblem generate(int m, int n, double noise, long seed) {
        long elements = (long) m * n;
        if (elements > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(m + " × " + n + " = " + elements + " elements do not fit in one Java array");
        }
        double[] theta = new double[n];
        for (int j = 0; j < n; j++) theta[j] = (j % 2 == 0 ? 1 : -1) * (1 + j / 4.0);
        double intercept = 2.5;
        double[] x = new double[(int) elements];
        double[] y = new double[m];
        int blocks = (m + BLOCK - 1) / BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + b);
            int end = Math.min(m, (b + 1) * BLOCK);
            for (int i = b * BLOCK; i < end; i++) {
                double common = gaussian(rnd);
                double h = intercept;
                int base = i * n;
                for (int j = 0; j < n; j++) {
                    double v = j + (1 + (j & 3)) * (0.95 * gaussian(rnd) + 0.3 * common);
                    x[base + j] = v;
                    h += theta[j] * v;
                }
                y[i] = h + noise * gaussian(rnd);
            }
        });
        return new SyntheticProblem(Dataset.rowMajor(x, m, n, y), theta, intercept, noise);
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
