package dev.vecgd.cli;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The read-bandwidth probe of {@code vecgd bench}: sums an array with the Vector API and four
 * independent accumulators, which is about as fast as one core can read memory. Only loaded when the
 * {@code jdk.incubator.vector} module is present (see {@link BenchCommand}).
 */
final class ReadProbe {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private ReadProbe() {
    }

    /** The hardware's vector width in bits (the preferred species), which this probe uses. */
    static int preferredBits() {
        return S.vectorBitSize();
    }

    static double sum(double[] a, int from, int to) {
        int l = S.length();
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = DoubleVector.zero(S);
        DoubleVector s2 = DoubleVector.zero(S);
        DoubleVector s3 = DoubleVector.zero(S);
        int i = from;
        for (; i + 4 * l <= to; i += 4 * l) {
            s0 = s0.add(DoubleVector.fromArray(S, a, i));
            s1 = s1.add(DoubleVector.fromArray(S, a, i + l));
            s2 = s2.add(DoubleVector.fromArray(S, a, i + 2 * l));
            s3 = s3.add(DoubleVector.fromArray(S, a, i + 3 * l));
        }
        double s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) s += a[i];
        return s;
    }
}
