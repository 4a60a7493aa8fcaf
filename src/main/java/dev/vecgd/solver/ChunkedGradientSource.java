package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.RowChunks;

/**
 * The full-batch gradient of a heap {@link Dataset}, one fused kernel call per fixed chunk of rows,
 * chunks in order. With the scalar kernels the coefficient part {@code Σ r_i x_ij} is bit-identical to
 * a single call over all rows (the scalar kernel adds row by row into g); the intercept part
 * {@code Σ r_i} and {@code Σ r_i²} are per-call partial sums, so they — and everything with the vector
 * kernels, which reduce lanes per call — agree with one call to rounding. One chunk (chunkRows ≥ m)
 * is exactly one call.
 */
public final class ChunkedGradientSource implements GradientSource {

    private final Dataset data;
    private final RowChunks chunks;

    public ChunkedGradientSource(Dataset data, int chunkRows) {
        this.data = data;
        this.chunks = RowChunks.of(data.rows(), chunkRows);
    }

    @Override
    public long rows() {
        return data.rows();
    }

    @Override
    public void accumulate(double[] p, GradientBuffer into) {
        int count = chunks.count();
        for (int k = 0; k < count; k++) {
            into.accumulate(data, p, chunks.from(k), chunks.to(k));
        }
    }
}
