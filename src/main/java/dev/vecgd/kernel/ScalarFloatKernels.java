package dev.vecgd.kernel;

/**
 * The reference over heap float32 X ({@link FloatMatrix}): {@link ScalarKernels}' loops with each element of X
 * read as a float and widened to double (exactly) before it is multiplied; the same arithmetic in double and the
 * same summation order, so on the widened data it gives the same bits as the scalar double kernels (and as
 * {@link ScalarFloatSegmentKernels} on the same floats off-heap). Generated from {@link ScalarKernels} by replacing
 * the loads of X (keep the two in step).
 */
final class ScalarFloatKernels implements FloatKernelImpl {

    static final ScalarFloatKernels INSTANCE = new ScalarFloatKernels();

    private ScalarFloatKernels() {
    }

    @Override
    public String name() {
        return "scalar (float32)";
    }

    @Override
    public void copyShiftedRows(float[] x, int xOff, int ldx, int rows, int n, double[] shift, double[] out,
                                int oOff, int ldo, double[] absMax) {
        PackKernelScalar.copyShiftedFloatRows(x, xOff, ldx, rows, n, shift, out, oOff, ldo, absMax);
    }

    @Override
    public void standardizeRowsToColumns(float[] x, int xOff, int ldx, int rows, int n, double[] mean, double[] scale,
                                         double[] out, int ldo) {
        for (int r = 0; r < rows; r++) {
            int base = xOff + r * ldx;
            for (int j = 0; j < n; j++) out[j * ldo + r] = (x[base + j] - mean[j]) * scale[j];
        }
    }

    @Override
    public double residualsRow(float[] x, int xOff, int ldx, int n, double[] theta, double b,
                               double[] y, int yOff, int yInc, double[] r, int rOff, int from, int to) {
        double ss = 0;
        for (int i = from; i < to; i++) {
            int base = xOff + i * ldx;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += (double) x[base + j] * theta[j];
            }
            double ri = dot + b - (y == null ? 0 : y[yOff + i * yInc]);
            if (r != null) r[rOff + i] = ri;
            ss += ri * ri;
        }
        return ss;
    }

    @Override
    public double residualsCol(float[] x, int xOff, int ldx, int n, double[] theta, double b,
                               double[] y, int yOff, int yInc, double[] r, int rOff, int from, int to) {
        double ss = 0;
        for (int i = from; i < to; i++) {
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += (double) x[xOff + j * ldx + i] * theta[j];
            }
            double ri = dot + b - (y == null ? 0 : y[yOff + i * yInc]);
            if (r != null) r[rOff + i] = ri;
            ss += ri * ri;
        }
        return ss;
    }

    @Override
    public double fusedRow(float[] x, int xOff, int ldx, int n, double[] theta, double b,
                           double[] y, int yOff, int yInc, double[] r, int rOff, double[] g, int from, int to) {
        double ss = 0;
        double sum = 0;
        for (int i = from; i < to; i++) {
            int base = xOff + i * ldx;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += (double) x[base + j] * theta[j];
            }
            double ri = dot + b - y[yOff + i * yInc];
            if (r != null) r[rOff + i] = ri;
            for (int j = 0; j < n; j++) {
                g[j] += ri * (double) x[base + j];
            }
            ss += ri * ri;
            sum += ri;
        }
        g[n] += sum;
        return ss;
    }

    @Override
    public double fusedCol(float[] x, int xOff, int ldx, int n, double[] theta, double b,
                           double[] y, int yOff, int yInc, double[] r, int rOff, double[] g, int from, int to) {
        // One row at a time, so X is read once; the column stride makes this cache-unfriendly for
        // wide X, which is what the blocked vector kernel is for.
        double ss = 0;
        double sum = 0;
        for (int i = from; i < to; i++) {
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += (double) x[xOff + j * ldx + i] * theta[j];
            }
            double ri = dot + b - y[yOff + i * yInc];
            if (r != null) r[rOff + i] = ri;
            for (int j = 0; j < n; j++) {
                g[j] += ri * (double) x[xOff + j * ldx + i];
            }
            ss += ri * ri;
            sum += ri;
        }
        g[n] += sum;
        return ss;
    }

    @Override
    public double fusedWeightedRow(float[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                                   int yOff, int yInc, double[] w, int wOff, double[] r, int rOff, double[] g,
                                   int from, int to) {
        double ss = 0;
        double sum = 0;
        for (int i = from; i < to; i++) {
            int base = xOff + i * ldx;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += (double) x[base + j] * theta[j];
            }
            double ri = dot + b - y[yOff + i * yInc];
            if (r != null) r[rOff + i] = ri;
            double wr = w[wOff + i] * ri;
            for (int j = 0; j < n; j++) {
                g[j] += wr * (double) x[base + j];
            }
            ss += wr * ri;
            sum += wr;
        }
        g[n] += sum;
        return ss;
    }

    @Override
    public double fusedWeightedCol(float[] x, int xOff, int ldx, int n, double[] theta, double b, double[] y,
                                   int yOff, int yInc, double[] w, int wOff, double[] r, int rOff, double[] g,
                                   int from, int to) {
        double ss = 0;
        double sum = 0;
        for (int i = from; i < to; i++) {
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += (double) x[xOff + j * ldx + i] * theta[j];
            }
            double ri = dot + b - y[yOff + i * yInc];
            if (r != null) r[rOff + i] = ri;
            double wr = w[wOff + i] * ri;
            for (int j = 0; j < n; j++) {
                g[j] += wr * (double) x[xOff + j * ldx + i];
            }
            ss += wr * ri;
            sum += wr;
        }
        g[n] += sum;
        return ss;
    }
}
