package dev.vecgd.kernel;

/**
 * The reference implementation: plain loops in the order the formulas are written (each dot
 * product left to right, each sum over rows from {@code from} to {@code to}). Every other
 * implementation is tested against it; it is also the fallback when the Vector API is missing.
 */
final class ScalarKernels implements KernelImpl {

    static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int vectorBits() {
        return Double.SIZE;
    }

    @Override
    public void standardizeRowsToColumns(double[] x, int xOff, int ldx, int rows, int n, double[] mean,
                                         double[] scale, double[] out, int ldo) {
        for (int r = 0; r < rows; r++) {
            int base = xOff + r * ldx;
            for (int j = 0; j < n; j++) out[j * ldo + r] = (x[base + j] - mean[j]) * scale[j];
        }
    }

    @Override
    public void crossProductsAdd(double[] a, int lda, int k, int cnt, double[] v, double[] c, double[] d) {
        for (int p = 0; p < k; p++) {
            int ap = p * lda;
            for (int q = p; q < k; q++) {
                int aq = q * lda;
                double acc = 0;
                for (int r = 0; r < cnt; r++) acc += a[ap + r] * a[aq + r];
                c[p * k + q] += acc;
            }
            double acc = 0;
            for (int r = 0; r < cnt; r++) acc += a[ap + r] * v[r];
            d[p] += acc;
        }
    }

    @Override
    public double residualsRow(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                               double[] y, int yOff, int yInc, double[] r, int rOff, int from, int to) {
        double ss = 0;
        for (int i = from; i < to; i++) {
            int base = xOff + i * ldx;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += x[base + j] * theta[j];
            }
            double ri = dot + b - (y == null ? 0 : y[yOff + i * yInc]);
            if (r != null) r[rOff + i] = ri;
            ss += ri * ri;
        }
        return ss;
    }

    @Override
    public double residualsCol(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                               double[] y, int yOff, int yInc, double[] r, int rOff, int from, int to) {
        double ss = 0;
        for (int i = from; i < to; i++) {
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += x[xOff + j * ldx + i] * theta[j];
            }
            double ri = dot + b - (y == null ? 0 : y[yOff + i * yInc]);
            if (r != null) r[rOff + i] = ri;
            ss += ri * ri;
        }
        return ss;
    }

    @Override
    public double gradientAddRow(double[] x, int xOff, int ldx, int n, double[] r, int rOff, double[] g,
                                 int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            int base = xOff + i * ldx;
            double ri = r[rOff + i];
            for (int j = 0; j < n; j++) {
                g[j] += ri * x[base + j];
            }
            sum += ri;
        }
        return sum;
    }

    @Override
    public double gradientAddCol(double[] x, int xOff, int ldx, int n, double[] r, int rOff, double[] g,
                                 int from, int to) {
        for (int j = 0; j < n; j++) {
            int col = xOff + j * ldx;
            double acc = 0;
            for (int i = from; i < to; i++) {
                acc += r[rOff + i] * x[col + i];
            }
            g[j] += acc;
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += r[rOff + i];
        }
        return sum;
    }

    @Override
    public double fusedRow(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                           double[] y, int yOff, int yInc, double[] r, int rOff, double[] g, int from, int to) {
        double ss = 0;
        double sum = 0;
        for (int i = from; i < to; i++) {
            int base = xOff + i * ldx;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += x[base + j] * theta[j];
            }
            double ri = dot + b - y[yOff + i * yInc];
            if (r != null) r[rOff + i] = ri;
            for (int j = 0; j < n; j++) {
                g[j] += ri * x[base + j];
            }
            ss += ri * ri;
            sum += ri;
        }
        g[n] += sum;
        return ss;
    }

    @Override
    public double fusedCol(double[] x, int xOff, int ldx, int n, double[] theta, double b,
                           double[] y, int yOff, int yInc, double[] r, int rOff, double[] g, int from, int to) {
        // One row at a time, so X is read once; the column stride makes this cache-unfriendly for
        // wide X, which is what the blocked vector kernel is for.
        double ss = 0;
        double sum = 0;
        for (int i = from; i < to; i++) {
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += x[xOff + j * ldx + i] * theta[j];
            }
            double ri = dot + b - y[yOff + i * yInc];
            if (r != null) r[rOff + i] = ri;
            for (int j = 0; j < n; j++) {
                g[j] += ri * x[xOff + j * ldx + i];
            }
            ss += ri * ri;
            sum += ri;
        }
        g[n] += sum;
        return ss;
    }

    @Override
    public double fusedWeightedRow(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                                   int yOff, int yInc, double[] w, int wOff, double[] r, int rOff, double[] g,
                                   int from, int to) {
        double ss = 0;
        double sum = 0;
        for (int i = from; i < to; i++) {
            int base = xOff + i * ldx;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += x[base + j] * theta[j];
            }
            double ri = dot + b - y[yOff + i * yInc];
            if (r != null) r[rOff + i] = ri;
            double wr = w[wOff + i] * ri;
            for (int j = 0; j < n; j++) {
                g[j] += wr * x[base + j];
            }
            ss += wr * ri;
            sum += wr;
        }
        g[n] += sum;
        return ss;
    }

    @Override
    public double fusedWeightedCol(double[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                                   int yOff, int yInc, double[] w, int wOff, double[] r, int rOff, double[] g,
                                   int from, int to) {
        double ss = 0;
        double sum = 0;
        for (int i = from; i < to; i++) {
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += x[xOff + j * ldx + i] * theta[j];
            }
            double ri = dot + b - y[yOff + i * yInc];
            if (r != null) r[rOff + i] = ri;
            double wr = w[wOff + i] * ri;
            for (int j = 0; j < n; j++) {
                g[j] += wr * x[xOff + j * ldx + i];
            }
            ss += wr * ri;
            sum += wr;
        }
        g[n] += sum;
        return ss;
    }
}
