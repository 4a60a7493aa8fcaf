package dev.vecgd.bench;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The read-bandwidth ceiling: the fastest pure read of an array that we can write in Java. It sums
 * every element with {@link DoubleVector#SPECIES_PREFERRED} vectors into eight independent
 * accumulators (enough to hide the add latency even when the data is in L1, where two loads per
 * cycle can be issued), reduces the lanes once at the end and adds a scalar tail.
 *
 * <p>The species is a {@code static final} constant so C2 compiles it to SIMD; this class needs
 * {@code --add-modules jdk.incubator.vector} (the benchmark forks and the tests pass it).
 */
public final class ReadProbe {

    /** The species of the probe, e.g. {@code Species[double, 8, S_512_BIT]}. */
    public static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

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
        final int lanes = SPECIES.length();
        final int step = 8 * lanes;
        final int len = to;
        final int bound8 = to - (to - from) % step;
        DoubleVector s0 = DoubleVector.zero(SPECIES);
        DoubleVector s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        int i = from;
        for (; i < bound8; i += step) {
            s0 = s0.add(DoubleVector.fromArray(SPECIES, a, i));
            s1 = s1.add(DoubleVector.fromArray(SPECIES, a, i + lanes));
            s2 = s2.add(DoubleVector.fromArray(SPECIES, a, i + 2 * lanes));
            s3 = s3.add(DoubleVector.fromArray(SPECIES, a, i + 3 * lanes));
            s4 = s4.add(DoubleVector.fromArray(SPECIES, a, i + 4 * lanes));
            s5 = s5.add(DoubleVector.fromArray(SPECIES, a, i + 5 * lanes));
            s6 = s6.add(DoubleVector.fromArray(SPECIES, a, i + 6 * lanes));
            s7 = s7.add(DoubleVector.fromArray(SPECIES, a, i + 7 * lanes));
        }
        final int bound1 = to - (to - from) % lanes;
        for (; i < bound1; i += lanes) {
            s0 = s0.add(DoubleVector.fromArray(SPECIES, a, i));
        }
        double s = s0.add(s1).add(s2.add(s3)).add(s4.add(s5).add(s6.add(s7))).reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            s += a[i];
        }
        return s;
    }
}
