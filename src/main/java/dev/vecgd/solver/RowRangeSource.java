package dev.vecgd.solver;

import dev.vecgd.data.Dataset;

/**
 * Some row ranges of a heap {@link Dataset} as a {@link RowSource}, without copying a row (the training or held-out
 * part of a cross-validation fold). Sums run over the ranges in the given order, so passes are reproducible bit for
 * bit. The data was checked finite by the caller.
 */
final class RowRangeSource implements RowSource {

    private final Dataset data;
    private final int[] from;
    private final int[] to;
    private final long rows;
    private Dataset withoutTargets;

    /**
     * @param data the dataset, not modified (held, not copied)
     * @param from first rows of the ranges (inclusive), not modified
     * @param to   ends of the ranges (exclusive), not modified
     */
    RowRangeSource(Dataset data, int[] from, int[] to) {
        if (from.length != to.length) throw new IllegalArgumentException(from.length + " starts, " + to.length + " ends");
        long r = 0;
        for (int k = 0; k < from.length; k++) {
            if (from[k] < 0 || to[k] < from[k] || to[k] > data.rows()) {
                throw new IllegalArgumentException("row range [" + from[k] + ", " + to[k] + ") is outside 0.." + data.rows());
            }
            r += to[k] - from[k];
        }
        this.data = data;
        this.from = from.clone();
        this.to = to.clone();
        this.rows = r;
    }

    @Override
    public int cols() {
        return data.cols();
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public void moments(double[] center, double[] out) {
        int n = data.cols();
        for (int k = 0; k < from.length; k++) {
            for (int i = from[k]; i < to[k]; i++) {
                for (int j = 0; j <= n; j++) {
                    double v = j < n ? data.x(i, j) : data.y(i);
                    if (center == null) {
                        out[j] += v;
                    } else {
                        double d = v - center[j];
                        out[j] += d * d;
                    }
                }
            }
        }
    }

    @Override
    public void accumulate(double[] p, boolean withTargets, GradientBuffer into) {
        Dataset d = withTargets ? data : zeroTargets();
        for (int k = 0; k < from.length; k++) into.accumulate(d, p, from[k], to[k]);
    }

    /** The same X with y ≡ 0 (8·m bytes, made on first use). */
    private Dataset zeroTargets() {
        if (withoutTargets == null) withoutTargets = Dataset.of(data.x(), new double[data.rows()]);
        return withoutTargets;
    }
}
