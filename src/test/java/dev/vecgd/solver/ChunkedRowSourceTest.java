package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every pass of {@link ChunkedRowSource} against the formulas of {@link RowSource}'s javadoc summed directly over all
 * rows (moments with and without a centre, weighted moments with the total weight, the gradient pass with and
 * without y, weighted, and the cross products), over chunks of both layouts and sizes from 1 row to more than one
 * cross-products block; and its misuse messages (chunks whose columns or rows change between passes, weight arrays
 * missing or extra).
 */
class ChunkedRowSourceTest {

    private static final int N = 3;
    private static final int[] SIZES = {1, 700, 4500, 37};

    private final double[][] x;
    private final double[] y;
    private final double[] w;

    ChunkedRowSourceTest() {
        SplittableRandom rnd = new SplittableRandom(10);
        int m = 0;
        for (int s : SIZES) m += s;
        x = new double[m][N];
        y = new double[m];
        w = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < N; j++) x[i][j] = j + TestProblems.gaussian(rnd);
            y[i] = 2 + x[i][0] - x[i][2] + 0.1 * TestProblems.gaussian(rnd);
            w[i] = i % 4 == 0 ? 0 : rnd.nextDouble() * 3;
        }
    }

    /** The rows in chunks of SIZES, alternately row- and column-major. */
    private List<Dataset> chunks() {
        List<Dataset> out = new ArrayList<>();
        int from = 0;
        for (int c = 0; c < SIZES.length; c++) {
            int rows = SIZES[c];
            double[] a = new double[rows * N];
            double[] b = new double[rows];
            boolean rowMajor = c % 2 == 0;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < N; j++) a[rowMajor ? i * N + j : j * rows + i] = x[from + i][j];
                b[i] = y[from + i];
            }
            out.add(rowMajor ? Dataset.rowMajor(a, rows, N, b) : Dataset.columnMajor(a, rows, N, b));
            from += rows;
        }
        return out;
    }

    private List<double[]> weightChunks() {
        List<double[]> out = new ArrayList<>();
        int from = 0;
        for (int s : SIZES) {
            out.add(java.util.Arrays.copyOfRange(w, from, from + s));
            from += s;
        }
        return out;
    }

    private static void close(double want, double got, String what) {
        assertEquals(want, got, 1e-11 * (1 + Math.abs(want)), what);
    }

    @Test
    void momentsAndWeightedMoments() {
        ChunkedRowSource s = ChunkedRowSource.of(chunks(), weightChunks());
        assertEquals(y.length, s.rows());
        assertEquals(N, s.cols());
        assertTrue(s.hasWeights());
        assertTrue(s.hasCrossProducts());
        double[] c = {0.5, -1, 2, 3};
        double[] sums = new double[N + 1];
        double[] sq = new double[N + 1];
        double[] wsums = new double[N + 2];
        double[] wsq = new double[N + 2];
        s.moments(null, sums);
        s.moments(c, sq);
        s.weightedMoments(null, wsums);
        s.weightedMoments(c, wsq);
        for (int j = 0; j <= N; j++) {
            double a = 0, b = 0, wa = 0, wb = 0;
            for (int i = 0; i < y.length; i++) {
                double v = j < N ? x[i][j] : y[i];
                a += v;
                b += (v - c[j]) * (v - c[j]);
                wa += w[i] * v;
                wb += w[i] * (v - c[j]) * (v - c[j]);
            }
            close(a, sums[j], "Σ v, column " + j);
            close(b, sq[j], "Σ (v − c)², column " + j);
            close(wa, wsums[j], "Σ w v, column " + j);
            close(wb, wsq[j], "Σ w (v − c)², column " + j);
        }
        double tw = 0;
        for (double v : w) tw += v;
        close(tw, wsums[N + 1], "W");
        close(tw, wsq[N + 1], "W");
    }

    @Test
    void gradientPasses() {
        ChunkedRowSource s = ChunkedRowSource.of(chunks(), weightChunks());
        double[] p = {0.5, -0.25, 1.5, 0.75};
        for (boolean withTargets : new boolean[]{true, false}) {
            for (boolean weighted : new boolean[]{false, true}) {
                GradientBuffer into = new GradientBuffer(N);
                if (weighted) s.weightedAccumulate(p, withTargets, into);
                else s.accumulate(p, withTargets, into);
                double[] g = new double[N + 1];
                double ss = 0;
                for (int i = 0; i < y.length; i++) {
                    double r = p[N] - (withTargets ? y[i] : 0);
                    for (int j = 0; j < N; j++) r += p[j] * x[i][j];
                    double wi = weighted ? w[i] : 1;
                    for (int j = 0; j < N; j++) g[j] += wi * r * x[i][j];
                    g[N] += wi * r;
                    ss += wi * r * r;
                }
                String what = (weighted ? "weighted " : "") + (withTargets ? "with y" : "y ≡ 0");
                for (int j = 0; j <= N; j++) close(g[j], into.sum(j), what + " sum " + j);
                close(ss, into.sumSquares(), what + " Σr²");
                assertEquals(y.length, into.rows(), what + " rows (zero weights included)");
            }
        }
    }

    @Test
    void crossProducts() {
        for (boolean weighted : new boolean[]{false, true}) {
            crossProducts(weighted);
        }
        // an unweighted source has no weighted pass
        ChunkedRowSource plain = ChunkedRowSource.of(chunks());
        assertFalse(plain.hasWeightedCrossProducts());
        assertTrue(ChunkedRowSource.of(chunks(), weightChunks()).hasWeightedCrossProducts());
        assertThrows(UnsupportedOperationException.class, () -> plain.weightedCrossProductsAdd(new double[N],
                new double[N], true, 0, new double[(N + 1) * (N + 1)], new double[N + 1]));
    }

    /** The (weighted: Σ w_i a_i a_iᵀ, Σ w_i a_i (y_i − shift), raw weights) cross products over both layouts' chunks. */
    private void crossProducts(boolean weighted) {
        ChunkedRowSource s = weighted ? ChunkedRowSource.of(chunks(), weightChunks()) : ChunkedRowSource.of(chunks());
        double[] mean = {0.1, 1.2, 1.9};
        double[] scale = {1.1, 0.9, 0};
        for (boolean intercept : new boolean[]{true, false}) {
            int k = intercept ? N + 1 : N;
            double shift = intercept ? 2.5 : 0;
            double[] gram = new double[k * k];
            double[] rhs = new double[k];
            if (weighted) s.weightedCrossProductsAdd(mean, scale, intercept, shift, gram, rhs);
            else s.crossProductsAdd(mean, scale, intercept, shift, gram, rhs);
            double[] a = new double[k];
            double[] wantG = new double[k * k];
            double[] wantC = new double[k];
            for (int i = 0; i < y.length; i++) {
                for (int j = 0; j < N; j++) a[j] = (x[i][j] - mean[j]) * scale[j];
                if (intercept) a[N] = 1;
                double wi = weighted ? w[i] : 1;
                for (int u = 0; u < k; u++) {
                    wantC[u] += wi * a[u] * (y[i] - shift);
                    for (int v = u; v < k; v++) wantG[u * k + v] += wi * a[u] * a[v];
                }
            }
            for (int u = 0; u < k; u++) {
                close(wantC[u], rhs[u], (weighted ? "weighted " : "") + "c[" + u + "]");
                for (int v = u; v < k; v++) {
                    close(wantG[u * k + v], gram[u * k + v], (weighted ? "weighted " : "") + "G[" + u + "][" + v + "]");
                }
            }
        }
    }

    @Test
    void misuseIsNamed() {
        List<Dataset> c = chunks();
        List<Dataset> wide = new ArrayList<>(c);
        wide.set(2, Dataset.rowMajor(new double[8], 2, 4, new double[2]));
        assertEquals("chunk 2 has 4 feature columns, chunk 0 has 3", assertThrows(IllegalArgumentException.class,
                () -> ChunkedRowSource.of(wide)).getMessage());
        List<double[]> extra = weightChunks();
        extra.add(new double[1]);
        assertEquals("more weight arrays than the 4 chunks", assertThrows(IllegalArgumentException.class,
                () -> ChunkedRowSource.of(c, extra)).getMessage());
        List<double[]> missing = weightChunks();
        missing.remove(3);
        assertEquals("no weight array for chunk 3", assertThrows(IllegalArgumentException.class,
                () -> ChunkedRowSource.of(c, missing)).getMessage());
        assertEquals("no chunks: nothing to fit", assertThrows(IllegalArgumentException.class,
                () -> ChunkedRowSource.of(List.of())).getMessage());
        assertThrows(UnsupportedOperationException.class,
                () -> ChunkedRowSource.of(c).weightedAccumulate(new double[N + 1], true, new GradientBuffer(N)));
        // a source whose chunks change after the first pass
        int[] calls = {0};
        Iterable<Dataset> shrinking = () -> {
            calls[0]++;
            return (calls[0] == 1 ? c : c.subList(0, 3)).iterator();
        };
        ChunkedRowSource s = ChunkedRowSource.of(shrinking);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.moments(null, new double[N + 1]));
        assertEquals("a pass over the chunks saw " + (y.length - 37) + " rows, the first pass " + y.length
                + ": every pass must visit the same rows (the chunks changed between passes)", e.getMessage());
        List<Dataset> wideSecond = new ArrayList<>(c);
        wideSecond.set(1, Dataset.rowMajor(new double[8], 2, 4, new double[2]));
        int[] calls3 = {0};
        ChunkedRowSource t = ChunkedRowSource.of(() -> {
            calls3[0]++;
            return (calls3[0] == 1 ? c : wideSecond).iterator();
        });
        IllegalStateException f = assertThrows(IllegalStateException.class,
                () -> t.accumulate(new double[N + 1], true, new GradientBuffer(N)));
        assertEquals("chunk 1 has 4 feature columns on this pass, the source has 3: the chunks changed between passes",
                f.getMessage());
    }

    /** A re-iterable that yields {@code first} on its first pass (the constructor's) and {@code later} on every other. */
    private static <T> Iterable<T> changing(List<T> first, List<T> later) {
        int[] calls = {0};
        return () -> (calls[0]++ == 0 ? first : later).iterator();
    }

    /** Each of the six passes of a weighted source, by name. */
    private static java.util.Map<String, java.util.function.Consumer<ChunkedRowSource>> passes() {
        java.util.Map<String, java.util.function.Consumer<ChunkedRowSource>> p = new java.util.LinkedHashMap<>();
        p.put("moments", s -> s.moments(null, new double[N + 1]));
        p.put("centred moments", s -> s.moments(new double[N + 1], new double[N + 1]));
        p.put("weightedMoments", s -> s.weightedMoments(null, new double[N + 2]));
        p.put("accumulate", s -> s.accumulate(new double[N + 1], true, new GradientBuffer(N)));
        p.put("accumulate y ≡ 0", s -> s.accumulate(new double[N + 1], false, new GradientBuffer(N)));
        p.put("weightedAccumulate", s -> s.weightedAccumulate(new double[N + 1], true, new GradientBuffer(N)));
        p.put("weightedAccumulate y ≡ 0", s -> s.weightedAccumulate(new double[N + 1], false, new GradientBuffer(N)));
        p.put("crossProductsAdd", s -> s.crossProductsAdd(new double[N], new double[]{1, 1, 1}, true, 0,
                new double[(N + 1) * (N + 1)], new double[N + 1]));
        p.put("weightedCrossProductsAdd", s -> s.weightedCrossProductsAdd(new double[N], new double[]{1, 1, 1}, true, 0,
                new double[(N + 1) * (N + 1)], new double[N + 1]));
        return p;
    }

    private static <E extends Throwable> String thrown(Class<E> type, ChunkedRowSource s,
                                                       java.util.function.Consumer<ChunkedRowSource> pass) {
        return assertThrows(type, () -> pass.accept(s)).getMessage();
    }

    /**
     * Chunks (and weights) that change after the constructor's pass are refused by <b>every</b> pass kind, each
     * naming the problem: fewer rows, a chunk with other columns; a NaN by the passes that check values (the moments
     * passes); a weight array of the wrong length by every weighted pass, a negative weight by the weighted passes
     * that check values (moments and cross products), with the chunk, row and row overall.
     */
    @Test
    void everyPassDetectsChunksThatChanged() {
        List<Dataset> c = chunks();
        List<double[]> w0 = weightChunks();
        int total = y.length;
        for (var e : passes().entrySet()) {
            String name = e.getKey();
            boolean weighted = name.startsWith("weighted");
            boolean checksValues = name.contains("oments");
            // the last chunk (37 rows) gone, its weights too
            ChunkedRowSource fewer = ChunkedRowSource.of(changing(c, c.subList(0, 3)), changing(w0, w0.subList(0, 3)));
            assertEquals("a pass over the chunks saw " + (total - 37) + " rows, the first pass " + total
                    + ": every pass must visit the same rows (the chunks changed between passes)",
                    thrown(IllegalStateException.class, fewer, e.getValue()), name);
            // chunk 1 with four columns
            List<Dataset> wide = new ArrayList<>(c);
            wide.set(1, Dataset.rowMajor(new double[4 * 700], 700, 4, new double[700]));
            ChunkedRowSource widened = ChunkedRowSource.of(changing(c, wide), w0);
            assertEquals("chunk 1 has 4 feature columns on this pass, the source has 3: the chunks changed between"
                    + " passes", thrown(IllegalStateException.class, widened, e.getValue()), name);
            // a NaN in chunk 2 (row 5, column 1)
            List<Dataset> nan = new ArrayList<>(c);
            double[] a = new double[4500 * N];
            a[5 * N + 1] = Double.NaN;
            nan.set(2, Dataset.rowMajor(a, 4500, N, new double[4500]));
            ChunkedRowSource poisoned = ChunkedRowSource.of(changing(c, nan), w0);
            if (checksValues) {
                String m = thrown(IllegalArgumentException.class, poisoned, e.getValue());
                assertTrue(m.startsWith("chunk 2: ") && m.contains("row 5") && m.contains("column 1"), name + ": " + m);
            } else {
                assertDoesNotThrow(() -> e.getValue().accept(poisoned), name + " does not read values for checks");
            }
            if (!weighted) continue;
            // chunk 1's weight array one short
            List<double[]> shortW = new ArrayList<>(w0);
            shortW.set(1, new double[699]);
            ChunkedRowSource shortened = ChunkedRowSource.of(c, changing(w0, shortW));
            assertEquals("chunk 1 has 700 rows but 699 sample weights",
                    thrown(IllegalArgumentException.class, shortened, e.getValue()), name);
            // the last weight array missing
            ChunkedRowSource missing = ChunkedRowSource.of(c, changing(w0, w0.subList(0, 3)));
            assertEquals("no weight array for chunk 3", thrown(IllegalArgumentException.class, missing, e.getValue()), name);
            // a negative weight in chunk 3 (its row 2: row 1 + 700 + 4500 + 2 overall)
            List<double[]> negative = new ArrayList<>(w0);
            double[] neg = w0.get(3).clone();
            neg[2] = -1;
            negative.set(3, neg);
            ChunkedRowSource negated = ChunkedRowSource.of(c, changing(w0, negative));
            if (name.equals("weightedMoments") || name.equals("weightedCrossProductsAdd")) {
                assertEquals("chunk 3: the sample weight of row 2 (row " + (1 + 700 + 4500 + 2) + " overall) is -1.0:"
                        + " weights must be finite and >= 0 (0 excludes the row)",
                        thrown(IllegalArgumentException.class, negated, e.getValue()), name);
            } else {
                assertDoesNotThrow(() -> e.getValue().accept(negated), name + " checks the lengths only");
            }
        }
    }

    /** A source of chunks without feature columns is a source of n = 0; a later chunk with columns is refused. */
    @Test
    void chunksWithoutColumns() {
        Dataset none = Dataset.rowMajor(new double[0], 2, 0, new double[]{1, 3});
        ChunkedRowSource s = ChunkedRowSource.of(List.of(none, none));
        assertEquals(0, s.cols());
        assertEquals(4, s.rows());
        double[] sums = new double[1];
        s.moments(null, sums);
        assertEquals(8, sums[0], 0, "Σ y");
        List<Dataset> mixed = List.of(none, chunks().get(0));
        assertEquals("chunk 1 has 3 feature columns, chunk 0 has 0", assertThrows(IllegalArgumentException.class,
                () -> ChunkedRowSource.of(mixed)).getMessage());
    }
}
