package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every entry point checks the range of its data ({@link LinearRegression#checkRange}, unit-tested in
 * {@link RangeCheckTest}): targets of size 5e152 (Σy² ≈ 3e307, beyond the limit 1e306 but finite) are refused as an overflow, targets
 * varying by 1e-160 (their squares underflow) as an underflow, on the heap (standard and extended precision,
 * weighted), off-heap (standard, extended, weighted), through a {@link RowSource} (plain and weighted), from
 * {@link SufficientStatistics}, and for regularization paths (heap and RowSource).
 */
class RangeCheckPathsTest {

    private static final int M = 60;
    private static final int N = 2;

    /** y = scale·(x₀ + noise): rms and spread of y are about scale. */
    private static Dataset data(double scale) {
        SplittableRandom rnd = new SplittableRandom(31);
        double[] x = new double[M * N];
        double[] y = new double[M];
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) x[i * N + j] = TestProblems.gaussian(rnd);
            y[i] = scale * (x[i * N] + TestProblems.gaussian(rnd));
        }
        return Dataset.rowMajor(x, M, N, y);
    }

    private static List<Dataset> chunks(Dataset d) {
        List<Dataset> out = new ArrayList<>();
        for (int from = 0; from < M; from += 25) {
            int rows = Math.min(25, M - from);
            double[] x = new double[rows * N];
            double[] y = new double[rows];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < N; j++) x[i * N + j] = d.x().get(from + i, j);
                y[i] = d.y(from + i);
            }
            out.add(Dataset.rowMajor(x, rows, N, y));
        }
        return out;
    }

    private static List<double[]> weights(List<Dataset> chunks) {
        List<double[]> out = new ArrayList<>();
        for (Dataset c : chunks) {
            double[] w = new double[c.rows()];
            for (int i = 0; i < w.length; i++) w[i] = 1 + i % 3;
            out.add(w);
        }
        return out;
    }

    private static double[] allWeights() {
        double[] w = new double[M];
        for (int i = 0; i < M; i++) w[i] = 1 + i % 3;
        return w;
    }

    /** Each entry point, by name, fitting the given data (an exception escapes). */
    private static Map<String, Function<Dataset, Object>> entryPoints() {
        Map<String, Function<Dataset, Object>> p = new LinkedHashMap<>();
        FitOptions gd = FitOptions.builder().solver(Solver.GD).build();
        FitOptions cg = FitOptions.builder().solver(Solver.CG).build();
        FitOptions extended = FitOptions.builder().solver(Solver.NORMAL).precision(Precision.EXTENDED).build();
        p.put("heap gd", d -> LinearRegression.fit(d, gd));
        p.put("heap extended", d -> LinearRegression.fit(d, extended));
        p.put("heap weighted", d -> LinearRegression.fit(d, allWeights(), cg));
        p.put("off-heap cg", d -> {
            try (SegmentDataset s = SegmentDataset.copyOf(d, Layout.ROW_MAJOR)) {
                return LinearRegression.fit(s, cg);
            }
        });
        p.put("off-heap gd column-major", d -> {
            try (SegmentDataset s = SegmentDataset.copyOf(d, Layout.COLUMN_MAJOR)) {
                return LinearRegression.fit(s, gd);
            }
        });
        p.put("off-heap extended", d -> {
            try (SegmentDataset s = SegmentDataset.copyOf(d, Layout.ROW_MAJOR)) {
                return LinearRegression.fit(s, extended);
            }
        });
        p.put("off-heap weighted", d -> {
            try (SegmentDataset s = SegmentDataset.copyOf(d, Layout.ROW_MAJOR)) {
                return LinearRegression.fit(s, allWeights(), cg);
            }
        });
        p.put("RowSource", d -> LinearRegression.fit(ChunkedRowSource.of(chunks(d)), cg));
        p.put("weighted RowSource", d -> {
            List<Dataset> c = chunks(d);
            return LinearRegression.fit(ChunkedRowSource.of(c, weights(c)), cg);
        });
        p.put("SufficientStatistics", d -> LinearRegression.fit(SufficientStatistics.of(chunks(d)),
                FitOptions.builder().solver(Solver.NORMAL).build()));
        p.put("heap path", d -> LinearRegression.path(d, FitOptions.defaults(), new double[]{0.1}));
        p.put("RowSource path", d -> LinearRegression.path(ChunkedRowSource.of(chunks(d)), FitOptions.defaults(),
                new double[]{0.1}));
        return p;
    }

    @Test
    void everyEntryPointRefusesTargetsWhoseSquaresOverflow() {
        Dataset huge = data(5e152); // Σy² ≈ 3e307: finite (so every path computes it), beyond the 1e306 limit
        for (var e : entryPoints().entrySet()) {
            String m = assertThrows(IllegalArgumentException.class, () -> e.getValue().apply(huge), e.getKey())
                    .getMessage();
            assertTrue(m.startsWith("overflow: the targets are too large for double arithmetic: rms(y) = "),
                    e.getKey() + ": " + m);
        }
    }

    @Test
    void everyEntryPointRefusesTargetsWhoseSpreadUnderflows() {
        Dataset tiny = data(1e-160);
        for (var e : entryPoints().entrySet()) {
            String m = assertThrows(IllegalArgumentException.class, () -> e.getValue().apply(tiny), e.getKey())
                    .getMessage();
            assertTrue(m.startsWith("underflow: the spread of the targets y is "), e.getKey() + ": " + m);
        }
    }

    @Test
    void ordinaryTargetsPassEveryEntryPoint() {
        Dataset ordinary = data(1);
        for (var e : entryPoints().entrySet()) assertNotNull(e.getValue().apply(ordinary), e.getKey());
    }
}
