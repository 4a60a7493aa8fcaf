package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.SegmentVector;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Sample weights beyond one thread and the heap (issue 20): the weighted gradient on 1/2/3 threads gives the same
 * bits; off-heap weighted fits equal the heap weighted fit of the same rows bit for bit and, with integer weights, the
 * fit of the repeated rows; a weighted {@link ChunkedRowSource} equals the heap weighted fit.
 */
class WeightedScaleOutTest {

    static final double[][] X = WeightedFitTest.X;
    static final double[] Y = WeightedFitTest.Y;
    static final String[] SOLVERS = {"gd", "nesterov", "momentum", "cg", "normal"};

    static FitOptions.Builder options(String solver) {
        return FitOptions.builder().solver(solver).gradientTolerance(1e-12).maxIterations(100_000);
    }

    static void assertSameBits(FitResult a, FitResult b, String what) {
        assertArrayEquals(a.coefficients(), b.coefficients(), 0.0, what + ": coefficients");
        assertEquals(a.intercept(), b.intercept(), 0.0, what + ": intercept");
        assertEquals(a.iterations(), b.iterations(), what + ": iterations");
        assertEquals(a.loss(), b.loss(), 0.0, what + ": loss");
        assertEquals(a.r2(), b.r2(), 0.0, what + ": R²");
        assertEquals(a.residualStd(), b.residualStd(), 0.0, what + ": residual std");
        assertArrayEquals(a.standardErrors(), b.standardErrors(), 0.0, what + ": standard errors");
        assertEquals(a.conditionNumber(), b.conditionNumber(), 0.0, what + ": κ");
    }

    @Test
    void weightedGradientGivesTheSameBitsOnOneTwoAndThreeThreads() {
        double[] w = WeightedFitTest.integerWeights(3);
        for (int i = 0; i < w.length; i++) w[i] *= 0.7 + 0.01 * (i % 13); // non-integer weights too
        Dataset data = Dataset.of(X, Y);
        // the gradient itself, 11 chunks of 29 rows (the last one short)
        WeightedFit wf = WeightedFit.of(data, w, true, true);
        double[] p = new double[X[0].length + 1];
        for (int j = 0; j < p.length; j++) p[j] = 0.3 * j - 1;
        double[][] sums = new double[3][];
        double[] ss = new double[3];
        for (int t = 1; t <= 3; t++) {
            FitOptions o = FitOptions.builder().threads(t).chunkRows(29).build();
            try (WeightedGradientSource s = wf.source(data, true, o)) {
                assertEquals(t, s.threads());
                GradientBuffer b = new GradientBuffer(X[0].length);
                s.accumulate(p, b);
                s.accumulate(p, b); // twice: the slots are re-zeroed
                sums[t - 1] = new double[p.length];
                for (int j = 0; j < p.length; j++) sums[t - 1][j] = b.sum(j);
                ss[t - 1] = b.sumSquares();
            }
        }
        for (int t = 1; t < 3; t++) {
            assertArrayEquals(sums[0], sums[t], 0.0, (t + 1) + " threads: gradient sums");
            assertEquals(ss[0], ss[t], 0.0, (t + 1) + " threads: Σ v r²");
        }
        // against the plain sum in double: the same quantity to rounding
        double[] want = new double[p.length];
        double wss = 0;
        for (int i = 0; i < Y.length; i++) {
            double r = p[p.length - 1] - Y[i];
            for (int j = 0; j < X[0].length; j++) r += p[j] * X[i][j];
            double vr = wf.v[i] * r;
            for (int j = 0; j < X[0].length; j++) want[j] += 2 * vr * X[i][j]; // two passes were added
            want[p.length - 1] += 2 * vr;
            wss += 2 * vr * r;
        }
        for (int j = 0; j < p.length; j++) {
            assertEquals(want[j], sums[0][j], 1e-10 * (1 + Math.abs(want[j])), "sum " + j);
        }
        assertEquals(wss, ss[0], 1e-10 * wss);
        // whole fits
        for (String solver : SOLVERS) {
            FitResult one = LinearRegression.fit(data, w, options(solver).threads(1).chunkRows(29).build());
            for (int t = 2; t <= 3; t++) {
                assertSameBits(one, LinearRegression.fit(data, w, options(solver).threads(t).chunkRows(29).build()),
                        solver + " on " + t + " threads");
            }
        }
    }

    @Test
    void offHeapWeightedFitEqualsTheHeapWeightedFitBitForBit() {
        double[] w = WeightedFitTest.integerWeights(7);
        for (int i = 0; i < w.length; i++) w[i] *= 1.25 + 0.1 * (i % 3);
        Dataset heap = Dataset.of(X, Y);
        try (SegmentDataset off = SegmentDataset.copyOf(heap, heap.x().layout());
             Arena arena = Arena.ofShared()) {
            MemorySegment ws = arena.allocate(8L * w.length, 8);
            MemorySegment.copy(w, 0, ws, ValueLayout.JAVA_DOUBLE, 0, w.length);
            for (String solver : SOLVERS) {
                for (int t = 1; t <= 2; t++) {
                    FitOptions o = options(solver).threads(t).chunkRows(64).build();
                    FitResult want = LinearRegression.fit(heap, w, o);
                    assertTrue(want.converged(), solver + ": " + want.message());
                    assertSameBits(want, LinearRegression.fit(off, w, o), solver + " off-heap, double[] weights");
                    assertSameBits(want, LinearRegression.fit(off, SegmentVector.of(ws), o),
                            solver + " off-heap, segment weights");
                }
            }
            // an elastic net through the off-heap weighted path too
            FitOptions o = ElasticNetTest.tight().l1(0.2).l2(0.1).build();
            assertSameBits(LinearRegression.fit(heap, w, o), LinearRegression.fit(off, w, o), "weighted elastic net");
        }
    }

    @Test
    void offHeapIntegerWeightsEqualRepeatedRows() {
        double[] w = WeightedFitTest.integerWeights(11);
        Dataset rep = WeightedFitTest.repeated(w);
        for (Layout layout : Layout.values()) {
            try (SegmentDataset off = SegmentDataset.copyOf(Dataset.of(X, Y), layout)) {
                for (String solver : SOLVERS) {
                    FitOptions o = options(solver).build();
                    FitResult want = LinearRegression.fit(rep, o);
                    FitResult got = LinearRegression.fit(off, w, o);
                    WeightedFitTest.assertSameFit(want, got, 1e-9, solver + " " + layout);
                    assertEquals(want.residualStd(), got.residualStd(), 1e-9 * want.residualStd(), solver + ": σ̂");
                    for (int j = 0; j < X[0].length; j++) {
                        assertEquals(want.standardErrors()[j], got.standardErrors()[j], 1e-8 * want.standardErrors()[j],
                                solver + ": standard error " + j);
                    }
                }
            }
        }
    }

    @Test
    void offHeapBadWeightsAreRejectedNamingTheRow() {
        try (SegmentDataset off = SegmentDataset.copyOf(Dataset.of(X, Y), Layout.ROW_MAJOR)) {
            for (double bad : new double[] {-2, Double.NaN, Double.NEGATIVE_INFINITY}) {
                double[] w = WeightedFitTest.integerWeights(1);
                w[42] = bad;
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> LinearRegression.fit(off, w, FitOptions.defaults()));
                assertTrue(e.getMessage().contains("row 42"), e.getMessage());
            }
            assertTrue(assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(off, new double[5],
                    FitOptions.defaults())).getMessage().contains("5 sample weights"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(off,
                    new double[Y.length], FitOptions.defaults())).getMessage().contains("every sample weight is 0"));
        }
    }

    /** The rows in chunks of 37 (the last one short), and their weights cut the same way. */
    static List<Dataset> chunks(double[][] x, double[] y) {
        List<Dataset> out = new ArrayList<>();
        for (int from = 0; from < y.length; from += 37) {
            int to = Math.min(y.length, from + 37);
            out.add(Dataset.of(java.util.Arrays.copyOfRange(x, from, to), java.util.Arrays.copyOfRange(y, from, to)));
        }
        return out;
    }

    static List<double[]> weightChunks(double[] w) {
        List<double[]> out = new ArrayList<>();
        for (int from = 0; from < w.length; from += 37) out.add(java.util.Arrays.copyOfRange(w, from, Math.min(w.length, from + 37)));
        return out;
    }

    @Test
    void weightedChunkedRowSourceEqualsTheHeapWeightedFit() {
        double[] w = WeightedFitTest.integerWeights(13);
        for (int i = 0; i < w.length; i++) w[i] *= 0.5 + 0.03 * (i % 7);
        Dataset heap = Dataset.of(X, Y);
        ChunkedRowSource source = ChunkedRowSource.of(chunks(X, Y), weightChunks(w));
        assertTrue(source.hasWeights());
        assertTrue(source.hasWeightedCrossProducts());
        for (String solver : SOLVERS) {
            FitOptions o = options(solver).build();
            FitResult want = LinearRegression.fit(heap, w, o);
            FitResult got = LinearRegression.fit(source, o);
            WeightedFitTest.assertSameFit(want, got, 1e-9, solver + " chunked");
            assertSameStatistics(want, got, solver.equals("normal") ? 1e-10 : 1e-9, solver + " chunked");
        }
        // a weighted lasso, and integer weights against the repeated rows through the chunks
        FitOptions l1 = ElasticNetTest.tight().l1(0.25).build();
        WeightedFitTest.assertSameFit(LinearRegression.fit(heap, w, l1), LinearRegression.fit(source, l1), 1e-8,
                "chunked weighted lasso");
        double[] iw = WeightedFitTest.integerWeights(17);
        FitOptions o = options("cg").build();
        FitResult rep = LinearRegression.fit(WeightedFitTest.repeated(iw), o);
        FitResult got = LinearRegression.fit(ChunkedRowSource.of(chunks(X, Y), weightChunks(iw)), o);
        WeightedFitTest.assertSameFit(rep, got, 1e-9, "chunked integer weights vs repeated rows");
        assertEquals(rep.residualStd(), got.residualStd(), 1e-9 * rep.residualStd(), "chunked σ̂ vs repeated rows");
        FitOptions normal = options("normal").build();
        assertSameStatistics(LinearRegression.fit(WeightedFitTest.repeated(iw), normal),
                LinearRegression.fit(ChunkedRowSource.of(chunks(X, Y), weightChunks(iw)), normal), 1e-10,
                "chunked normal, integer weights vs repeated rows (frequency weights)");
        // a weighted source without the weighted Gram pass: normal is refused, the others report σ̂ only
        RowSource noGram = new RowSource() {
            public int cols() { return source.cols(); }
            public long rows() { return source.rows(); }
            public void moments(double[] c, double[] out) { source.moments(c, out); }
            public void accumulate(double[] p, boolean t, GradientBuffer into) { source.accumulate(p, t, into); }
            public boolean hasWeights() { return true; }
            public void weightedMoments(double[] c, double[] out) { source.weightedMoments(c, out); }
            public void weightedAccumulate(double[] p, boolean t, GradientBuffer into) { source.weightedAccumulate(p, t, into); }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(noGram,
                normal));
        assertTrue(e.getMessage().contains("normal") && e.getMessage().contains("hasWeightedCrossProducts"), e.getMessage());
        FitResult cg = LinearRegression.fit(noGram, options("cg").build());
        assertTrue(cg.converged() && cg.residualStd() > 0 && Double.isNaN(cg.standardErrors()[0])
                && Double.isNaN(cg.conditionNumber()), cg.toString());
    }

    /** σ̂, the standard errors (coefficients and intercept) and κ agree to tol relative. */
    static void assertSameStatistics(FitResult want, FitResult got, double tol, String what) {
        assertEquals(want.residualStd(), got.residualStd(), tol * want.residualStd(), what + ": σ̂");
        double[] a = want.standardErrors();
        double[] b = got.standardErrors();
        for (int j = 0; j < a.length; j++) {
            assertTrue(a[j] > 0, what + ": the reference has standard errors");
            assertEquals(a[j], b[j], tol * a[j], what + ": SE of β" + j);
        }
        assertEquals(want.interceptStandardError(), got.interceptStandardError(), tol * want.interceptStandardError(),
                what + ": SE of the intercept");
        assertTrue(Double.isFinite(want.conditionNumber()), what + ": the reference has κ");
        assertEquals(want.conditionNumber(), got.conditionNumber(), tol * want.conditionNumber(), what + ": κ");
    }

    @Test
    void weightedChunkedRowSourceRejectsBadWeightsAndSourcesWithoutWeightsSayNo() {
        double[] w = WeightedFitTest.integerWeights(1);
        w[40] = -1; // chunk 1, row 3
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChunkedRowSource.of(chunks(X, Y), weightChunks(w)));
        assertTrue(e.getMessage().contains("chunk 1") && e.getMessage().contains("row 3")
                && e.getMessage().contains("row 40 overall"), e.getMessage());
        List<double[]> shortList = weightChunks(WeightedFitTest.integerWeights(1));
        shortList.remove(shortList.size() - 1);
        assertThrows(IllegalArgumentException.class, () -> ChunkedRowSource.of(chunks(X, Y), shortList));
        List<double[]> wrongLength = weightChunks(WeightedFitTest.integerWeights(1));
        wrongLength.set(2, new double[3]);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChunkedRowSource.of(chunks(X, Y), wrongLength))
                .getMessage().contains("3 sample weights"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LinearRegression.fit(ChunkedRowSource.of(
                chunks(X, Y), weightChunks(new double[Y.length])), FitOptions.defaults())).getMessage()
                .contains("every sample weight is 0"));
        ChunkedRowSource plain = ChunkedRowSource.of(chunks(X, Y));
        assertFalse(plain.hasWeights());
        assertThrows(UnsupportedOperationException.class, () -> plain.weightedMoments(null, new double[X[0].length + 2]));
        // a user's source written before weights existed: the defaults say "no weights"
        RowSource legacy = new RowSource() {
            public int cols() { return plain.cols(); }
            public long rows() { return plain.rows(); }
            public void moments(double[] c, double[] out) { plain.moments(c, out); }
            public void accumulate(double[] p, boolean t, GradientBuffer into) { plain.accumulate(p, t, into); }
        };
        assertFalse(legacy.hasWeights());
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
                () -> legacy.weightedAccumulate(new double[X[0].length + 1], true, new GradientBuffer(X[0].length)));
        assertTrue(u.getMessage().contains("no sample weights"), u.getMessage());
        FitOptions o = options("cg").build();
        WeightedFitTest.assertSameFit(LinearRegression.fit(Dataset.of(X, Y), o), LinearRegression.fit(legacy, o), 1e-9,
                "unweighted source");
    }
}
