package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.RowChunks;

/**
 * The full-batch gradient of a heap {@link Dataset}, one fused kernel call per fixed chunk of rows,
 * chunks in order. With the scalar kernels the result is bit-identical to a single call over all rows;
 * with the vector kernels it agrees to rounding (each chunk reduces its own lanes).
 */
public final class ChunkedGradientSource implements GradientSource {

    private final Dataset data;
    private final RowChunks chunks;

    public ChunkedGradientSource(Dataset data, int chunkRows) {
        this.data = data;
        this.chunks = RowChunks.of(data.rows(), chunkRows);
    }

    @Override
    public int rows() {
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
