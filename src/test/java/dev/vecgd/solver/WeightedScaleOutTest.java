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
}
