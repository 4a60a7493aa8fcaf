package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;

/**
 * Summary of the targets used for R² and the stopping scale.
 *
 * @param mean               ȳ
 * @param sumSquares         Σ y_i²
 * @param centeredSumSquares Σ (y_i − ȳ)²
 */
public record TargetStats(double mean, double sumSquares, double centeredSumSquares) {

    /** Two passes over y. */
    public static TargetStats of(Dataset data) {
        int m = data.rows();
        double s = 0;
        double s2 = 0;
        for (int i = 0; i < m; i++) {
            double v = data.y().get(i);
            s += v;
            s2 += v * v;
        }
        double mean = s / m;
        double c2 = 0;
        for (int i = 0; i < m; i++) {
            double d = data.y().get(i) - mean;
            c2 += d * d;
        }
        return new TargetStats(mean, s2, c2);
    }

    /** Two passes over off-heap y. */
    public static TargetStats of(SegmentDataset data) {
        long m = data.rows();
        double s = 0;
        double s2 = 0;
        for (long i = 0; i < m; i++) {
            double v = data.y().get(i);
            s += v;
            s2 += v * v;
        }
        double mean = s / m;
        double c2 = 0;
        for (long i = 0; i < m; i++) {
            double d = data.y().get(i) - mean;
            c2 += d * d;
        }
        return new TargetStats(mean, s2, c2);
    }

    /**
     * The total sum of squares R² is relative to: centered {@code Σ(y−ȳ)²} with an intercept,
     * uncentered {@code Σy²} without (the convention of NIST StRD for no-intercept models).
     */
    public double totalSumSquares(boolean intercept) {
        return intercept ? centeredSumSquares : sumSquares;
    }
}
