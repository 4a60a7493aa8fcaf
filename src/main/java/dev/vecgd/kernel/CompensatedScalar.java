package dev.vecgd.kernel;

/**
 * The scalar reference of {@link CompensatedKernels}: element (i, j) at {@code a[base + i·rs + j·cs]}, target i at
 * {@code y[yBase + i·ys]}; accumulator layout of {@link CompensatedKernels}. Rows in order, one Dot2 per row.
 */
final class CompensatedScalar {

    private CompensatedScalar() {
    }

    static void residualsGradient(double[] a, int base, int rs, int cs, int rows, int n, double[] theta,
                                          double b, double[] y, int yBase, int ys, double[] acc) {
        for (int i = 0; i < rows; i++) {
            int row = base + i * rs;
            // Dot2 of (x_i, 1, −1) with (θ, b, y): s + c
            double s = -y[yBase + i * ys];
            double c = 0;
            for (int j = 0; j < n; j++) {
                double xv = a[row + j * cs];
                double p = xv * theta[j];
                double pe = Math.fma(xv, theta[j], -p);
                double t = s + p;
                double bb = t - s;
                c += ((s - (t - bb)) + (p - bb)) + pe;
                s = t;
            }
            double t = s + b;
            double bb = t - s;
            c += (s - (t - bb)) + (b - bb);
            double rh = t + c;                  // normalized: r = rh + rl
            double rl = c - (rh - t);
            for (int j = 0; j < n; j++) addProduct(acc, 2 * j, a[row + j * cs], rh, rl);
            add(acc, 2 * n, rh, rl);
            addProduct(acc, 2 * (n + 1), rh, rh, 2 * rl); // r² = rh² + 2·rh·rl (+ rl², below u²)
        }
    }

    static void gram(double[] a, int base, int rs, int cs, int rows, int n, double[] y, int yBase, int ys,
                             double[] acc) {
        int w = n + 2;
        for (int i = 0; i < rows; i++) {
            int row = base + i * rs;
            double yi = y[yBase + i * ys];
            for (int u = 0; u < n; u++) {
                double xu = a[row + u * cs];
                int at = 2 * u * w;
                for (int v = u; v < n; v++) addProduct(acc, at + 2 * v, xu, a[row + v * cs], 0);
                add(acc, at + 2 * n, xu, 0);
                addProduct(acc, at + 2 * (n + 1), xu, yi, 0);
            }
            add(acc, 2 * (n * w + n), 1, 0);
            add(acc, 2 * (n * w + n + 1), yi, 0);
            addProduct(acc, 2 * ((n + 1) * w + n + 1), yi, yi, 0);
        }
    }

    /** acc[k] + acc[k+1] += a·(bh + bl): TwoProduct of a·bh, then TwoSum into the high part. */
    private static void addProduct(double[] acc, int k, double a, double bh, double bl) {
        double p = a * bh;
        double e = Math.fma(a, bh, -p) + a * bl;
        add(acc, k, p, e);
    }

    /** acc[k] + acc[k+1] += h + l: TwoSum of the high parts, the error and l into the low part. */
    static void add(double[] acc, int k, double h, double l) {
        double s = acc[k];
        double t = s + h;
        double bb = t - s;
        acc[k] = t;
        acc[k + 1] += ((s - (t - bb)) + (h - bb)) + l;
    }

}
