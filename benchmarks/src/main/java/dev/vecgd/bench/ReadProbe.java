package dev.vecgd.bench;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The read-bandwidth ceiling: the fastest pure read of an array that we can write in Java. It sums
 * every element with {@link DoubleVector#SPECIES_PREFERRED} vectors into four independent
 * accumulators, reduces the lanes once at the end and adds a scalar tail. (A version with eight
 * accumulators and a precomputed bound read DRAM at only ~60 % of this one's speed on this machine.)
 *
 * <p>The species is a {@code static final} constant so C2 compiles it to SIMD; this class needs
 * {@code --add-modules jdk.incubator.vector} (the benchmark forks and the tests pass it).
 */
public final class ReadProbe {

    /** The species of the probe, e.g. {@code Species[double, 8, S_512_BIT]}. */
    public static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private ReadProbe() {
    }

    /** The sum of all elements of {@code a} (in a fixed, layout-independent order). */
    public static double sum(double[] a) {
        return sum(a, 0, a.length);
    }

    /**
     * The sum of {@code a[from .. to)}, the same loop as {@link #sum(double[])} on a part of the array
     * (the multi-threaded probe of {@link ThreadsBenchmark} gives each thread one contiguous part).
     */
    public static double sum(double[] a, int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, a.length);
        DoubleVector s0 = DoubleVector.zero(SPECIES);
        DoubleVector s1 = s0, s2 = s0, s3 = s0;
        int i = from;
        for (int bound = to - 4 * LANES + 1; i < bound; i += 4 * LANES) {
            s0 = s0.add(DoubleVector.fromArray(SPECIES, a, i));
            s1 = s1.add(DoubleVector.fromArray(SPECIES, a, i + LANES));
            s2 = s2.add(DoubleVector.fromArray(SPECIES, a, i + 2 * LANES));
            s3 = s3.add(DoubleVector.fromArray(SPECIES, a, i + 3 * LANES));
        }
        for (int bound = to - LANES + 1; i < bound; i += LANES) {
            s0 = s0.add(DoubleVector.fromArray(SPECIES, a, i));
        }
        double s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            s += a[i];
        }
        return s;
    }
}
