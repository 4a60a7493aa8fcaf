package dev.vecgd.model;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LinearModel}: what a fit hands over, predictions, score and residuals against sums computed here. */
class LinearModelTest {

    /** Relative tolerance of a prediction against the exact (BigDecimal) dot product: a few ulps of the terms. */
    static final double PREDICT_TOL = 1e-13;

    static final double[] THETA = {1.5, -2.0, 0.25, 4.0};
    static final double B = -3.0;

    /** Row-major m×4 data with y = Xθ + b exactly representable up to rounding of the sum (no noise). */
    static double[] rows(int m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[m * THETA.length];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble(-5, 5) + (i % THETA.length);
        return x;
    }

    /** The exact x·θ + b rounded once (the oracle). */
    static double exact(double[] x, int off, int stride, double[] theta, double b) {
        BigDecimal s = new BigDecimal(b);
        for (int j = 0; j < theta.length; j++) s = s.add(new BigDecimal(x[off + j * stride]).multiply(new BigDecimal(theta[j])));
        return s.round(MathContext.DECIMAL64).doubleValue();
    }

    static double[] exactAll(double[] xRowMajor, int m, double[] theta, double b) {
        double[] p = new double[m];
        for (int i = 0; i < m; i++) p[i] = exact(xRowMajor, i * theta.length, 1, theta, b);
        return p;
    }

    static void near(double[] want, double[] got, double scale) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], PREDICT_TOL * scale, "row " + i);
        }
    }

    static double scale(double[] x) {
        double s = Math.abs(B);
        double mx = 0;
        for (double v : x) mx = Math.max(mx, Math.abs(v));
        for (double t : THETA) s += Math.abs(t) * mx;
        return s;
    }

    @Test
    void fitHandsOverAModelThatRecordsItsOptionsAndPredictsTheTruth() {
        int m = 500;
        double[] x = rows(m, 1);
        double[] y = exactAll(x, m, THETA, B);
        FitOptions options = FitOptions.builder().solver("cg").l2(0).gradientTolerance(1e-12).seed(7).build();
        FitResult fit = LinearRegression.fit(Dataset.rowMajor(x, m, 4, y), options);
        LinearModel model = fit.model();
        assertEquals(4, model.features());
        assertEquals(m, model.rows());
        for (int j = 0; j < 4; j++) assertEquals(THETA[j], model.coefficient(j), 1e-9, "θ" + j);
        assertEquals(B, model.intercept(), 1e-9);
        FitSettings s = model.options().orElseThrow();
        assertEquals("cg", s.solver());
        assertTrue(s.intercept() && s.standardize() && s.autoLearningRate());
        assertEquals(1e-12, s.gradientTolerance());
        assertEquals(7, s.seed());
        assertEquals(10_000, s.maxIterations());
        FitDiagnostics d = model.diagnostics().orElseThrow();
        assertEquals("CONVERGED", d.stopReason());
        assertEquals(fit.iterations(), d.iterations());
        assertArrayEquals(fit.standardErrors(), d.standardErrors());
        assertEquals(Optional.empty(), model.featureNames());
        // predictions of the fitted model against the exact predictions of the true model
        near(y, model.predict(Matrix.rowMajor(x, m, 4)), 1e-9 / PREDICT_TOL);
    }

    @Test
    void twoIdenticalFitsGiveEqualModels() {
        int m = 300;
        double[] x = rows(m, 2);
        double[] y = exactAll(x, m, THETA, B);
        for (int i = 0; i < m; i++) y[i] += (i % 7 - 3) * 0.01;
        Dataset d = Dataset.rowMajor(x, m, 4, y);
        LinearModel a = LinearRegression.fit(d).model();
        LinearModel b = LinearRegression.fit(d).model();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, LinearRegression.fit(d, FitOptions.builder().l2(0.1).build()).model());
        assertNotEquals(a, a.withFeatureNames(List.of("a", "b", "c", "d")));
    }

    @Test
    void everyInputShapePredictsTheExactDotProduct() throws Exception {
        int m = 103; // a tail in every vector width
        double[] x = rows(m, 3);
        double[] want = exactAll(x, m, THETA, B);
        double sc = scale(x);
        LinearModel model = LinearModel.of(THETA, B);
        near(want, model.predict(Matrix.rowMajor(x, m, 4)), sc);
        double[] col = new double[m * 4];
        double[][] arrays = new double[m][4];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < 4; j++) {
                col[j * m + i] = x[i * 4 + j];
                arrays[i][j] = x[i * 4 + j];
            }
        }
        near(want, model.predict(Matrix.columnMajor(col, m, 4)), sc);
        near(want, model.predict(arrays), sc);
        for (int i = 0; i < m; i++) assertEquals(want[i], model.predict(arrays[i]), PREDICT_TOL * sc, "row " + i);
        // a view: the features of a table whose y is first, with an offset
        double[] table = new double[2 + m * 5];
        for (int i = 0; i < m; i++) System.arraycopy(x, i * 4, table, 2 + i * 5 + 1, 4);
        near(want, model.predict(Matrix.rowMajor(table, 3, m, 4, 5)), sc);
        // off-heap, both layouts
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rs = arena.allocate(8L * x.length, 64);
            MemorySegment cs = arena.allocate(8L * col.length, 64);
            MemorySegment.copy(x, 0, rs, ValueLayout.JAVA_DOUBLE, 0, x.length);
            MemorySegment.copy(col, 0, cs, ValueLayout.JAVA_DOUBLE, 0, col.length);
            near(want, model.predict(SegmentMatrix.rowMajor(rs, m, 4)), sc);
            near(want, model.predict(SegmentMatrix.columnMajor(cs, m, 4)), sc);
            double[] out = new double[m + 5];
            model.predictInto(SegmentMatrix.rowMajor(rs, m, 4), out, 5);
            for (int i = 0; i < m; i++) assertEquals(want[i], out[5 + i], PREDICT_TOL * sc);
        }
        // predictInto with an offset writes exactly its range
        double[] out = new double[m + 4];
        out[0] = 42;
        out[m + 3] = 43;
        model.predictInto(Matrix.rowMajor(x, m, 4), out, 3);
        assertEquals(42, out[0]);
        assertEquals(43, out[m + 3]);
        for (int i = 0; i < m; i++) assertEquals(want[i], out[3 + i], PREDICT_TOL * sc);
        double[] into = new double[m];
        model.predictInto(arrays, into);
        near(want, into, sc);
    }

    @Test
    void anInterceptOnlyModelPredictsItsIntercept() {
        LinearModel model = LinearModel.of(new double[0], 2.5);
        assertArrayEquals(new double[] {2.5, 2.5}, model.predict(Matrix.rowMajor(new double[0], 2, 0)));
        assertEquals(2.5, model.predict(new double[0]));
    }

    @Test
    void scoreAndResidualsMatchSumsComputedHere() throws Exception {
        int m = 200;
        double[] x = rows(m, 4);
        double[] y = new double[m];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < m; i++) y[i] = exact(x, i * 4, 1, THETA, B) + r.nextDouble(-1, 1);
        double[] theta = {1.4, -2.1, 0.3, 3.9};
        double b = -2.5;
        LinearModel model = LinearModel.of(theta, b);
        Dataset d = Dataset.rowMajor(x, m, 4, y);
        // oracle: exact predictions, then R² = 1 − SSR/SST with SST about the mean (sklearn's score)
        double mean = 0;
        for (double v : y) mean += v;
        mean /= m;
        double ssr = 0;
        double sst = 0;
        double[] wantR = new double[m];
        for (int i = 0; i < m; i++) {
            wantR[i] = exact(x, i * 4, 1, theta, b) - y[i];
            ssr += wantR[i] * wantR[i];
            sst += (y[i] - mean) * (y[i] - mean);
        }
        double wantR2 = 1 - ssr / sst;
        assertEquals(wantR2, model.score(d), 1e-12);
        assertTrue(wantR2 > 0.5 && wantR2 < 1, "a realistic score: " + wantR2);
        near(wantR, model.residuals(d), scale(x));
        // the same rows off-heap
        try (SegmentDataset off = SegmentDataset.copyOf(d, Layout.ROW_MAJOR);
             SegmentDataset offCol = SegmentDataset.copyOf(d, Layout.COLUMN_MAJOR)) {
            assertEquals(wantR2, model.score(off), 1e-12);
            assertEquals(wantR2, model.score(offCol), 1e-12);
            near(wantR, model.residuals(off), scale(x));
        }
        // a perfect model of constant y scores 1, an imperfect one 0 (sklearn's rule)
        double[] flat = new double[m];
        java.util.Arrays.fill(flat, 2);
        Dataset c = Dataset.rowMajor(x, m, 4, flat);
        assertEquals(1.0, LinearModel.of(new double[4], 2).score(c));
        assertEquals(0.0, LinearModel.of(new double[4], 3).score(c));
    }

    @Test
    void theWrongNumberOfFeaturesIsAnErrorNamingBoth() {
        LinearModel model = LinearModel.of(THETA, B);
        double[] x3 = new double[30];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predict(Matrix.rowMajor(x3, 10, 3)));
        assertTrue(e.getMessage().contains("4 features") && e.getMessage().contains("3 columns"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.predict(new double[5]));
        assertTrue(e.getMessage().contains("4 features") && e.getMessage().contains("5 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.predict(new double[][] {new double[4], new double[3]}));
        assertTrue(e.getMessage().contains("row 1 has 3 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.score(Dataset.rowMajor(x3, 10, 3, new double[10])));
        assertTrue(e.getMessage().contains("3 columns"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.residuals(Dataset.rowMajor(x3, 10, 3, new double[10])));
        assertTrue(e.getMessage().contains("3 columns"), e.getMessage());
        try (Arena arena = Arena.ofConfined()) {
            SegmentMatrix s = SegmentMatrix.rowMajor(arena.allocate(8 * 30), 6, 5);
            e = assertThrows(IllegalArgumentException.class, () -> model.predict(s));
            assertTrue(e.getMessage().contains("5 columns"), e.getMessage());
        }
        // with names: the count first, then the names in order
        LinearModel named = model.withFeatureNames(List.of("area", "rooms", "age", "floor"));
        e = assertThrows(IllegalArgumentException.class,
                () -> named.predict(Matrix.rowMajor(new double[40], 10, 4), List.of("area", "rooms", "floor", "age")));
        assertTrue(e.getMessage().contains("'age'") && e.getMessage().contains("'floor'") && e.getMessage().contains("column 2"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> named.requireFeatures(3));
        assertTrue(e.getMessage().contains("[area, rooms, age, floor]"), e.getMessage());
        named.requireFeatures(List.of("area", "rooms", "age", "floor"));
    }

    @Test
    void theModelIsImmutable() {
        double[] theta = THETA.clone();
        LinearModel model = LinearModel.of(theta, B);
        theta[0] = 99;
        assertEquals(THETA[0], model.coefficient(0));
        model.coefficients()[1] = 99;
        assertEquals(THETA[1], model.coefficient(1));
        assertThrows(UnsupportedOperationException.class,
                () -> model.withFeatureNames(List.of("a", "b", "c", "d")).featureNames().orElseThrow().set(0, "z"));
    }

    @Test
    void badModelsAreRejectedNamingTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinearModel.of(new double[] {1, Double.NaN}, 0));
        assertTrue(e.getMessage().contains("coefficient 1 is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinearModel.of(new double[1], Double.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains("intercept"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinearModel.of(new double[2], 0).withFeatureNames(List.of("a")));
        assertTrue(e.getMessage().contains("1 feature names for 2 coefficients"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinearModel.of(new double[2], 0).withFeatureNames(List.of("a", "a")));
        assertTrue(e.getMessage().contains("'a' appears twice"), e.getMessage());
        FitSettings noIntercept = FitOptions.builder().intercept(false).build().settings();
        e = assertThrows(IllegalArgumentException.class, () -> LinearModel.of(new double[1], 1, null, noIntercept, 0, null));
        assertTrue(e.getMessage().contains("no intercept"), e.getMessage());
    }

    @Test
    void aModelWithoutInterceptIsRecordedAsSuch() {
        int m = 100;
        double[] x = rows(m, 5);
        double[] y = exactAll(x, m, THETA, 0);
        LinearModel model = LinearRegression.fit(Dataset.rowMajor(x, m, 4, y),
                FitOptions.builder().intercept(false).solver("normal").build()).model();
        assertFalse(model.options().orElseThrow().intercept());
        assertEquals(0.0, model.intercept(), 0.0);
        assertEquals("normal", model.options().orElseThrow().solver());
        for (int j = 0; j < 4; j++) assertEquals(THETA[j], model.coefficient(j), 1e-10);
    }

    @Test
    void theParameterLayoutsConvertIntoEachOther() {
        double[] p = {1.5, -2.0, 0.25, 0.75};
        LinearModel m = LinearModel.ofParameters(p);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1.5, -2.0, 0.25}, m.coefficients(), 0.0);
        org.junit.jupiter.api.Assertions.assertEquals(0.75, m.intercept(), 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(p, m.parameters(), 0.0);
        p[0] = 99; // copied in
        org.junit.jupiter.api.Assertions.assertEquals(1.5, m.coefficient(0), 0.0);
        org.junit.jupiter.api.Assertions.assertEquals(1.5 * 2 - 2.0 * 3 + 0.25 * 4 + 0.75, m.predict(new double[] {2, 3, 4}), 1e-15);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> LinearModel.ofParameters(new double[0]));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LinearModel.ofParameters(new double[] {1, Double.NaN}));
    }
}
