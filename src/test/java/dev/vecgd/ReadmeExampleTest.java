package dev.vecgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.RowChunks;
import dev.vecgd.data.RowRange;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.model.LinearModel;
import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.GradientBuffer;
import dev.vecgd.solver.LinearRegression;
import dev.vecgd.solver.Optimizer;
import dev.vecgd.solver.PlainGradientDescent;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's code, run as written: if the API changes, this test fails before the README lies. */
class ReadmeExampleTest {

    private static final int M = 5_000, N = 3;
    private static final double[] TRUE_THETA = {1.5, -2.0, 0.25};
    private static final double TRUE_B = 0.75;

    /** m × (n + 1) row-major, y last, noise-free. */
    private static double[] table() {
        SplittableRandom rnd = new SplittableRandom(7);
        double[] t = new double[M * (N + 1)];
        for (int i = 0; i < M; i++) {
            double y = TRUE_B;
            for (int j = 0; j < N; j++) {
                double v = rnd.nextDouble(-1, 1);
                t[i * (N + 1) + j] = v;
                y += TRUE_THETA[j] * v;
            }
            t[i * (N + 1) + N] = y;
        }
        return t;
    }

    @Test
    void fitExample() {
        int m = M, n = N;
        double[] table = table();
        Dataset data = Dataset.fromTable(Matrix.rowMajor(table, m, n + 1), n);   // no copy
        FitResult fit = LinearRegression.fit(data, FitOptions.builder().build());
        assertTrue(fit.converged(), fit.stopReason() + ": " + fit.message());
        double[] theta = fit.coefficients();
        double b = fit.intercept();
        assertArrayEquals(TRUE_THETA, theta, 1e-8);
        assertEquals(TRUE_B, b, 1e-8);
    }

    @TempDir
    Path tmp;

    /** The README's fit → model → predict/score → save → load → predict, with the checks the README promises. */
    @Test
    void modelExample() throws Exception {
        int m = M, n = N;
        double[] table = table();
        Dataset data = Dataset.fromTable(Matrix.rowMajor(table, m, n + 1), n);   // no copy
        Dataset test = Dataset.fromTable(Matrix.rowMajor(table, m, n + 1), n);
        FitResult fit = LinearRegression.fit(data, FitOptions.builder().build());
        assertTrue(fit.converged(), fit.stopReason() + ": " + fit.message());

        LinearModel model = fit.model().withFeatureNames(List.of("area", "rooms", "age"));
        double[] predicted = model.predict(data.x());
        double r2 = model.score(test);
        Path file = tmp.resolve("model.json");
        model.save(file);

        LinearModel loaded = LinearModel.load(file);
        double one = loaded.predict(new double[] {120.0, 4, 31});

        assertEquals(model, loaded);
        for (int i = 0; i < m; i += 97) assertEquals(table[i * (n + 1) + n], predicted[i], 1e-8, "row " + i);
        assertEquals(1.0, r2, 1e-12, "noise-free data");
        assertEquals(TRUE_B + TRUE_THETA[0] * 120 + TRUE_THETA[1] * 4 + TRUE_THETA[2] * 31, one, 1e-6);
        assertEquals(List.of("area", "rooms", "age"), loaded.featureNames().orElseThrow());
    }

    @Test
    void ownLoopExample() {
        int m = M, n = N, iterations = 3000;
        double alpha = 0.5;
        Dataset data = Dataset.fromTable(Matrix.rowMajor(table(), m, n + 1), n);
        double[] p = new double[n + 1];
        GradientBuffer grad = new GradientBuffer(n);
        Optimizer gd = new PlainGradientDescent();
        for (int it = 0; it < iterations; it++) {
            grad.zeroGrad();
            for (RowRange c : RowChunks.of(m, 1_024).asList()) grad.accumulate(data, p, c.from(), c.to());
            gd.step(p, grad, alpha);
        }
        for (int j = 0; j < n; j++) assertEquals(TRUE_THETA[j], p[j], 1e-6, "θ" + (j + 1));
        assertEquals(TRUE_B, p[n], 1e-6, "intercept");
    }
}
