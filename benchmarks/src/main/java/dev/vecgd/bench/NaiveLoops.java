package dev.vecgd.bench;

import java.util.Arrays;

/**
 * The plain-loop baselines, written the way one writes them without thinking about SIMD: the
 * natural loop order of each layout, no manual unrolling, no Vector API. C2 may auto-vectorize the
 * loops that are not floating-point reductions (e.g. column-major axpy), which is fair game.
 */
final class NaiveLoops {

    private NaiveLoops() {
    }

    /** First pass of the two-pass gradient: {@code r = Xθ + b − y}; returns {@code Σ r²}. */
    static double residuals(BenchState s) {
        final double[] x = s.x, y = s.y, th = s.theta, r = s.r;
        final int m = s.m, n = s.n;
        final double b = s.b;
        double ss = 0;
        if (s.rowMajor) {
            for (int i = 0; i < m; i++) {
                int base = i * n;
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += x[base + j] * th[j];
                }
                double ri = dot + b - y[i];
                r[i] = ri;
                ss += ri * ri;
            }
        } else {
            // Column by column (axpy): r = b − y, then r += θ_j · X[:, j].
            for (int i = 0; i < m; i++) {
                r[i] = b - y[i];
            }
            for (int j = 0; j < n; j++) {
                int col = j * m;
                double tj = th[j];
                for (int i = 0; i < m; i++) {
                    r[i] += x[col + i] * tj;
                }
            }
            for (int i = 0; i < m; i++) {
                ss += r[i] * r[i];
            }
        }
        return ss;
    }

    /** Second pass: {@code g = Xᵀr}, {@code g[n] = Σ r} (overwrites g). */
    static void gradient(BenchState s) {
        final double[] x = s.x, g = s.g, r = s.r;
        final int m = s.m, n = s.n;
        if (s.rowMajor) {
            Arrays.fill(g, 0.0);
            double sum = 0;
            for (int i = 0; i < m; i++) {
                int base = i * n;
                double ri = r[i];
                for (int j = 0; j < n; j++) {
                    g[j] += ri * x[base + j];
                }
                sum += ri;
            }
            g[n] = sum;
        } else {
            // Column by column (dot): g_j = X[:, j] · r.
            for (int j = 0; j < n; j++) {
                int col = j * m;
                double acc = 0;
                for (int i = 0; i < m; i++) {
                    acc += x[col + i] * r[i];
                }
                g[j] = acc;
            }
            double sum = 0;
            for (int i = 0; i < m; i++) {
                sum += r[i];
            }
            g[n] = sum;
        }
    }

    /** One pass, plain loops: each row's residual, then its contribution to g; returns {@code Σ r²}. */
    static double fused(BenchState s) {
        final double[] x = s.x, y = s.y, th = s.theta, g = s.g;
        final int m = s.m, n = s.n;
        final double b = s.b;
        Arrays.fill(g, 0.0);
        double ss = 0, sum = 0;
        if (s.rowMajor) {
            for (int i = 0; i < m; i++) {
                int base = i * n;
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += x[base + j] * th[j];
                }
                double ri = dot + b - y[i];
                for (int j = 0; j < n; j++) {
                    g[j] += ri * x[base + j];
                }
                ss += ri * ri;
                sum += ri;
            }
        } else {
            // Row by row across the columns (stride m): the only plain one-pass order.
            for (int i = 0; i < m; i++) {
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += x[j * m + i] * th[j];
                }
                double ri = dot + b - y[i];
                for (int j = 0; j < n; j++) {
                    g[j] += ri * x[j * m + i];
                }
                ss += ri * ri;
                sum += ri;
            }
        }
        g[n] = sum;
        return ss;
    }
}
