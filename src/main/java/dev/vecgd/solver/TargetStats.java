package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;

/**
 * Summary of the targets used for R², the stopping scale and the range checks, computed so that no
 * intermediate overflows or underflows: a first pass sums y and finds max|y|, a second sums
 * {@code d = (y − ȳ₀)·c} and d² with c a power of two near 1/max|y| (exact scaling), then
 * {@code ȳ = ȳ₀ + Σd/(c·m)} and {@code std = √((Σd² − (Σd)²/m)/m)/c} (the corrected two-pass algorithm).
 *
 * @param rows        m
 * @param mean        ȳ
 * @param centeredRms √(Σ(y_i − ȳ)²/m), the spread of y (finite for any finite data)
 * @param rms         √(Σy_i²/m) (finite for any finite data)
 */
public record TargetStats(long rows, double mean, double centeredRms, double rms) {

    /** From a mean and a centered standard deviation. */
    static TargetStats of(long m, double mean, double std) {
        return new TargetStats(m, mean, std, Math.hypot(mean, std));
    }

    /** Two passes over y. */
    public static TargetStats of(Dataset data) {
        int m = data.rows();
        return of(m, i -> data.y((int) i));
    }

    /** Two passes over off-heap y. */
    public static TargetStats of(SegmentDataset data) {
        long m = data.rows();
        return of(m, i -> data.y().get(i));
    }

    private interface Values {
        double get(long i);
    }

    private static TargetStats of(long m, Values y) {
        double s = 0;
        double max = 0;
        for (long i = 0; i < m; i++) {
            double v = y.get(i);
            s += v;
            max = Math.max(max, Math.abs(v));
        }
        double mean0 = s / m;
        if (!Double.isFinite(mean0)) {
            throw new IllegalArgumentException("overflow: the sum of the targets y is " + s + " (|y| up to " + max
                    + "): the data's magnitude is beyond double arithmetic; divide y by a power of ten and fit again");
        }
        double c = max > 0 ? Math.scalb(1.0, -Math.getExponent(max)) : 1;
        double d1 = 0;
        double d2 = 0;
        for (long i = 0; i < m; i++) {
            double d = (y.get(i) - mean0) * c;
            d1 += d;
            d2 += d * d;
        }
        double dm = d1 / m;
        double std = Math.sqrt(Math.max(0, d2 / m - dm * dm)) / c;
        return of(m, mean0 + dm / c, std);
    }

    /** Σ(y − ȳ)² (may be +Inf for data near the top of the double range). */
    public double centeredSumSquares() {
        return rows * centeredRms * centeredRms;
    }

    /** Σy² (may be +Inf for data near the top of the double range). */
    public double sumSquares() {
        return rows * rms * rms;
    }

    /**
     * The spread the stopping rule compares the gradient with: the centered rms of y with an intercept,
     * the rms of y without (then the model must fit y itself, not its deviations from ȳ).
     */
    public double spread(boolean intercept) {
        return intercept ? centeredRms : rms;
    }

    /**
     * The total sum of squares R² is relative to: centered {@code Σ(y−ȳ)²} with an intercept,
     * uncentered {@code Σy²} without (the convention of NIST StRD for no-intercept models).
     */
    public double totalSumSquares(boolean intercept) {
        return intercept ? centeredSumSquares() : sumSquares();
    }
}
