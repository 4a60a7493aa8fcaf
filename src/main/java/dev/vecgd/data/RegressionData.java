package dev.vecgd.data;

import dev.vecgd.kernel.Layout;

/**
 * A regression problem's data wherever it lives: heap arrays ({@link Dataset}) or off-heap / mapped
 * memory ({@link SegmentDataset}). The solver accepts either
 * ({@code LinearRegression.fit(RegressionData, FitOptions)}); code that needs the storage switches on
 * the two permitted kinds:
 * <pre>{@code
 * switch (data) {
 *     case Dataset heap -> ...;
 *     case SegmentDataset offHeap -> ...;
 * }
 * }</pre>
 */
public sealed interface RegressionData permits Dataset, SegmentDataset {

    /** Number of rows m as a {@code long} (≥ 1). */
    long rowCount();

    /** Number of feature columns n. */
    int cols();

    /** Storage layout of X. */
    Layout layout();

    /** Bytes of X one full pass reads: {@code 8·m·n}. */
    long featureBytes();

    /** Feature (i, j). */
    double x(long i, int j);

    /** Target of row i. */
    double y(long i);
}
