package dev.vecgd.solver;

import java.util.Arrays;

/**
 * A bounded record of (iteration, loss, gradient norm). It keeps every iteration until it holds
 * {@code capacity} entries; then it drops every second entry and from then on records only every
 * 2nd (then 4th, 8th, …) iteration, so it always spans the whole fit in at most {@code capacity}
 * entries. Recording never allocates.
 */
public final class History {

    private final int[] iterations;
    private final double[] losses;
    private final double[] gradientNorms;
    private int size;
    private int stride = 1;

    /** @param capacity maximum number of entries, {@code >= 2} */
    public History(int capacity) {
        if (capacity < 2) throw new IllegalArgumentException("history capacity must be >= 2, got " + capacity);
        iterations = new int[capacity];
        losses = new double[capacity];
        gradientNorms = new double[capacity];
    }

    /** Records iteration k if it falls on the current stride. */
    public void record(int iteration, double loss, double gradientNorm) {
        if (iteration % stride != 0) return;
        if (size == iterations.length) {
            int kept = 0;
            stride *= 2;
            for (int e = 0; e < size; e++) {
                if (iterations[e] % stride == 0) {
                    iterations[kept] = iterations[e];
                    losses[kept] = losses[e];
                    gradientNorms[kept] = gradientNorms[e];
                    kept++;
                }
            }
            size = kept;
            if (iteration % stride != 0) return;
        }
        iterations[size] = iteration;
        losses[size] = loss;
        gradientNorms[size] = gradientNorm;
        size++;
    }

    /** Number of entries held. */
    public int size() {
        return size;
    }

    /** Copies of the recorded iteration numbers. */
    public int[] iterations() {
        return Arrays.copyOf(iterations, size);
    }

    /** Copies of the recorded losses. */
    public double[] losses() {
        return Arrays.copyOf(losses, size);
    }

    /** Copies of the recorded gradient norms. */
    public double[] gradientNorms() {
        return Arrays.copyOf(gradientNorms, size);
    }
}
