package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.Matrix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streaming with the guarantees of {@code fit}: {@link ChunkedRowSource} over chunks of any size and layout gives
 * the in-memory fit of the concatenated rows (every solver, with standard errors and κ, no hand-written moments,
 * zero y or cross products), and {@link SufficientStatistics} gives the exact {@code normal} fit of all rows seen
 * after every chunk.
 */
class StreamingFitTest {

    static final int N = 5;
    static final int[] SIZES = {700, 1, 333, 1024, 942}; // 3,000 rows in uneven chunks

    /** Chunks of the rows [from, from + size) of x (row-major m × N) and y; every other one column-major. */
    static List<Dataset> chunks(double[] x, double[] y, int[] sizes) {
        List<Dataset> out = new ArrayList<>();
        int from = 0;
        for (int c = 0; c < sizes.length; c++) {
            int rows = sizes[c];
            double[] yc = Arrays.copyOfRange(y, from, from + rows);
            if (c % 2 == 0) {
                out.add(Dataset.of(Matrix.rowMajor(x, from * N, rows, N, N), yc));
            } else {
                double[] col = new double[rows * N];
                for (int i = 0; i < rows; i++) for (int j = 0; j < N; j++) col[j * rows + i] = x[(from + i) * N + j];
                out.add(Dataset.columnMajor(col, rows, N, yc));
            }
            from += rows;
        }
        return out;
    }

    static double[][] problem(long seed, double offset) {
        int m = Arrays.stream(SIZES).sum();
        double[][] a = TestProblems.syntheticArrays(m, N, 0.3, seed);
        for (int i = 0; i < m; i++) a[1][i] += offset;
        return a;
    }

    /** Largest relative difference of coefficients and intercept (relative to what the intercept absorbs). */
    static double difference(FitResult got, FitResult want, Dataset d) {
        double err = 0;
        double absorbed = Math.abs(want.intercept());
        for (int j = 0; j < N; j++) {
            err = Math.max(err, Math.abs(got.coefficient(j) - want.coefficient(j)) / Math.abs(want.coefficient(j)));
            double mean = 0;
            for (int i = 0; i < d.rows(); i++) mean += d.x().get(i, j);
            absorbed += Math.abs(mean / d.rows() * want.coefficient(j));
        }
        return Math.max(err, Math.abs(got.intercept() - want.intercept()) / absorbed);
    }

    @Test
    void chunkedSourceFitsLikeTheConcatenatedData() {
        double[][] a = problem(5, 0);
        Dataset all = Dataset.rowMajor(a[0], a[1].length, N, a[1]);
        ChunkedRowSource source = ChunkedRowSource.of(chunks(a[0], a[1], SIZES));
        assertEquals(N, source.cols());
        assertEquals(all.rows(), source.rows());
        int checked = 0;
        for (Solver s : Solver.values()) {
            FitOptions o = FitOptions.builder().solver(s).build();
            FitResult memory = LinearRegression.fit(all, o);
            FitResult stream = LinearRegression.fit(source, o);
            double diff = difference(stream, memory, all);
            String what = s + ": " + stream.stopReason() + " " + stream.message() + ", difference " + diff;
            System.out.println("chunked " + what);
            assertEquals(StopReason.CONVERGED, stream.stopReason(), what);
            assertTrue(diff <= (s == Solver.NORMAL ? 1e-12 : 1e-8), what);
            // the automatic rate, standard errors and κ come from the source's own passes
            if (s != Solver.NORMAL && s != Solver.CG) {
                assertEquals(memory.learningRate(), stream.learningRate(), 1e-9 * memory.learningRate(), what);
            }
            for (int j = 0; j < N; j++) {
                assertEquals(memory.standardErrors()[j], stream.standardErrors()[j], 1e-9 * memory.standardErrors()[j], what);
            }
            assertEquals(memory.conditionNumber(), stream.conditionNumber(), 1e-6 * memory.conditionNumber(), what);
            assertEquals(memory.r2(), stream.r2(), 1e-12, what);
            checked++;
        }
        assertEquals(5, checked);
    }

    @Test
    void aLambdaThatRebuildsTheChunksEveryPassGivesTheSameBits() {
        double[][] a = problem(11, 0);
        int[] passes = {0};
        Iterable<Dataset> reread = () -> {
            passes[0]++;
            return chunks(a[0].clone(), a[1].clone(), SIZES).iterator(); // fresh arrays, as if read from files again
        };
        FitOptions o = FitOptions.builder().solver("cg").build();
        FitResult fromLambda = LinearRegression.fit(ChunkedRowSource.of(reread), o);
        FitResult fromList = LinearRegression.fit(ChunkedRowSource.of(chunks(a[0], a[1], SIZES)), o);
        assertArrayEquals(fromList.coefficients(), fromLambda.coefficients());
        assertEquals(fromList.intercept(), fromLambda.intercept());
        assertEquals(StopReason.CONVERGED, fromLambda.stopReason(), fromLambda.message());
        assertTrue(passes[0] > fromLambda.passes(), "each pass re-reads: " + passes[0] + " iterator() calls");
    }

    @Test
    void withoutTargetsNeedsNoZeroY() {
        double[][] a = problem(6, 0);
        int m = a[1].length;
        ChunkedRowSource source = ChunkedRowSource.of(chunks(a[0], a[1], SIZES));
        double[] p = {0.5, -1, 2, 0.25, 3, -7};
        GradientBuffer got = new GradientBuffer(N);
        source.accumulate(p, false, got);
        GradientBuffer want = new GradientBuffer(N);
        want.accumulate(Dataset.rowMajor(a[0], m, N, new double[m]), p);
        assertEquals(m, got.rows());
        for (int j = 0; j <= N; j++) assertEquals(want.sum(j), got.sum(j), 1e-12 * Math.abs(want.sum(j)));
        assertEquals(want.sumSquares(), got.sumSquares(), 1e-12 * want.sumSquares());
    }

    @Test
    void sufficientStatisticsGiveTheExactFitAfterEveryChunk() {
        for (double offset : new double[] {0, 1e6}) {
            double[][] a = problem(7, offset);
            List<Dataset> cs = chunks(a[0], a[1], SIZES);
            for (double l2 : new double[] {0, 0.1}) {
                FitOptions o = FitOptions.builder().solver("normal").l2(l2).build();
                SufficientStatistics stats = new SufficientStatistics(N);
                int rows = 0;
                for (Dataset c : cs) {
                    stats.add(c);
                    rows += c.rows();
                    if (rows < N + 2) continue; // fewer rows than parameters: nothing to compare
                    Dataset seen = Dataset.rowMajor(Arrays.copyOf(a[0], rows * N), rows, N, Arrays.copyOf(a[1], rows));
                    FitResult memory = LinearRegression.fit(seen, o);
                    FitResult stream = LinearRegression.fit(stats, o);
                    double diff = difference(stream, memory, seen);
                    String what = "offset " + offset + " l2 " + l2 + " after " + rows + " rows: " + stream.message()
                            + ", difference " + diff;
                    System.out.println("sufficient statistics " + what);
                    assertEquals(rows, stats.rows());
                    assertEquals(StopReason.CONVERGED, stream.stopReason(), what);
                    // both answers carry rounding ≈ κ·ε relative to the data's size: an offset of y 10⁶ above its
                    // spread costs about one more digit in the intercept (measured ≤ 1e-12 here)
                    // (the in-memory normal fit sums its Gram matrix in one pass shifted by the first row, the
                    // statistics by pairwise centered updates: two roundings of the same problem; measured up to
                    // 1.6e-13 at offset 0 since the one-pass normal, 1e-12 at offset 10⁶)
                    double kappaEps = memory.conditionNumber() * Math.ulp(1.0);
                    assertTrue(diff <= Math.max(offset == 0 ? 1e-12 : 3e-12, 50 * kappaEps), what + ", κ·ε " + kappaEps);
                    for (int j = 0; j < N; j++) {
                        assertEquals(memory.standardErrors()[j], stream.standardErrors()[j],
                                1e-8 * memory.standardErrors()[j], what);
                    }
                    assertEquals(memory.rmse(), stream.rmse(), 1e-8 * memory.rmse(), what);
                }
            }
        }
    }

    @Test
    void sufficientStatisticsMatchWithoutInterceptAndWithAConstantColumn() {
        double[][] a = problem(10, 0);
        int m = a[1].length;
        for (int i = 0; i < m; i++) a[0][i * N + 2] = 0.1; // a constant column: coefficient 0, listed, as in memory
        Dataset all = Dataset.rowMajor(a[0], m, N, a[1]);
        SufficientStatistics stats = SufficientStatistics.of(chunks(a[0], a[1], SIZES));
        for (boolean intercept : new boolean[] {true, false}) {
            FitOptions o = FitOptions.builder().solver("normal").intercept(intercept).build();
            FitResult memory = LinearRegression.fit(all, o);
            FitResult stream = LinearRegression.fit(stats, o);
            String what = "intercept " + intercept + ": " + memory.stopReason() + " / " + stream.stopReason() + " "
                    + stream.message();
            assertEquals(memory.stopReason(), stream.stopReason(), what);
            assertArrayEquals(memory.constantColumns(), stream.constantColumns(), what);
            double tol = Math.max(1e-12, 50 * memory.conditionNumber() * Math.ulp(1.0)); // see above: κ·ε rounding
            for (int j = 0; j < N; j++) {
                assertEquals(memory.coefficient(j), stream.coefficient(j), tol * (1 + Math.abs(memory.coefficient(j))),
                        what + " θ" + j + ", κ " + memory.conditionNumber());
            }
            assertEquals(memory.intercept(), stream.intercept(), 1e-10 * (1 + Math.abs(memory.intercept())), what);
        }
    }

    @Test
    void mergeEqualsSequentialAdds() {
        double[][] a = problem(8, 0);
        List<Dataset> cs = chunks(a[0], a[1], SIZES);
        SufficientStatistics seq = SufficientStatistics.of(cs);
        SufficientStatistics left = SufficientStatistics.of(cs.subList(0, 2));
        SufficientStatistics right = SufficientStatistics.of(cs.subList(2, cs.size()));
        left.merge(right);
        assertEquals(seq.rows(), left.rows());
        double[] c1 = seq.centeredCrossProducts();
        double[] c2 = left.centeredCrossProducts();
        for (int i = 0; i < c1.length; i++) assertEquals(c1[i], c2[i], 1e-10 * Math.abs(c1[i]) + 1e-9);
        assertArrayEquals(seq.means(), left.means(), 1e-12);
    }

    @Test
    void misuseFailsClearly() {
        double[][] a = problem(9, 0);
        List<Dataset> cs = chunks(a[0], a[1], SIZES);
        SufficientStatistics stats = SufficientStatistics.of(cs);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.fit(stats, FitOptions.builder().solver("cg").build()));
        assertTrue(e.getMessage().contains("ChunkedRowSource"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SufficientStatistics(N).add(
                Dataset.rowMajor(new double[4], 2, 2, new double[2])));
        assertThrows(IllegalArgumentException.class, () -> ChunkedRowSource.of(List.of()));
        double[] bad = a[0].clone();
        bad[3 * N + 2] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> ChunkedRowSource.of(chunks(bad, a[1], SIZES)));
        assertTrue(e.getMessage().startsWith("chunk 0"), e.getMessage());
        // chunks that change between passes: the pass that sees it says so
        List<Dataset> changing = new ArrayList<>(cs);
        ChunkedRowSource source = ChunkedRowSource.of(changing);
        changing.removeLast();
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> LinearRegression.fit(source, FitOptions.builder().build()));
        assertTrue(s.getMessage().contains("changed between passes"), s.getMessage());
    }
}
