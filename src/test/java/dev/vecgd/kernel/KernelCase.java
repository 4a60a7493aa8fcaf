package dev.vecgd.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One shape and storage variant of the kernel sweep, with the data built from it.
 *
 * <p>Storage is deliberately awkward: a non-zero offset, a leading dimension larger than needed,
 * every array slot outside the view (padding, rows outside {@code [from, to)}, {@code theta[n]}) set
 * to NaN, so a kernel that reads anything it should not produces NaN and fails. In the sub-range
 * variant the matrix has extra rows before and after the range, so {@code from > 0}.
 *
 * @param layout  row- or column-major
 * @param m       number of rows processed ({@code to − from})
 * @param n       number of columns
 * @param yMode   where the targets live
 * @param sub     true: rows {@code [from, to)} with {@code from > 0} of a larger matrix; false: all rows
 * @param seed    data seed
 */
record KernelCase(Layout layout, int m, int n, YMode yMode, boolean sub, long seed) {

    /** Where y lives. */
    enum YMode {
        /** A separate array, with an offset and (for odd seeds) a stride of 2. */
        SEPARATE,
        /** Column n of X's own array (stride = ld in row-major, 1 in column-major). */
        X_COLUMN
    }

    /** The data of a case: arrays as the kernels see them. */
    static final class Data {
        final KernelCase c;
        final int from;
        final int to;
        final int rowsTotal;
        final int xOff;
        final int ld;
        final double[] x;
        final double[] theta;
        final double b;
        final double[] yArr;
        final int yOff;
        final int yInc;

        Data(KernelCase c) {
            this.c = c;
            SplittableRandom rnd = new SplittableRandom(c.seed);
            int n = c.n;
            this.from = c.sub ? 1 + (int) Long.remainderUnsigned(c.seed, 3) : 0;
            this.to = from + c.m;
            this.rowsTotal = c.sub ? to + 2 : c.m;
            this.xOff = 1 + (int) Long.remainderUnsigned(c.seed >>> 8, 4);
            int ldExtra = 1 + (int) Long.remainderUnsigned(c.seed >>> 16, 3);
            boolean yInX = c.yMode == YMode.X_COLUMN;
            int arrCols = yInX ? n + 1 : n;
            if (c.layout == Layout.ROW_MAJOR) {
                ld = arrCols + ldExtra;
                x = new double[xOff + rowsTotal * ld + 5];
            } else {
                ld = rowsTotal + ldExtra;
                x = new double[xOff + arrCols * ld + 5];
            }
            Arrays.fill(x, Double.NaN);

            double[] colScale = new double[n];
            theta = new double[n + 1];
            for (int j = 0; j < n; j++) {
                colScale[j] = Math.scalb(1.0, rnd.nextInt(-3, 4));
                theta[j] = (2 * rnd.nextDouble() - 1) / colScale[j] * (1 + rnd.nextInt(3));
            }
            theta[n] = Double.NaN; // theta.length > n is allowed; theta[n] must never be read
            b = 4 * rnd.nextDouble() - 2;

            if (yInX) {
                yArr = x;
                yOff = c.layout == Layout.ROW_MAJOR ? xOff + n : xOff + n * ld;
                yInc = c.layout == Layout.ROW_MAJOR ? ld : 1;
            } else {
                yOff = 2;
                yInc = 1 + (int) Long.remainderUnsigned(c.seed >>> 24, 2);
                yArr = new double[yOff + Math.max(0, rowsTotal - 1) * yInc + 1 + 3];
                Arrays.fill(yArr, Double.NaN);
            }
            for (int i = from; i < to; i++) {
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    double v = (2 * rnd.nextDouble() - 1) * colScale[j];
                    x[index(i, j)] = v;
                    dot += v * theta[j];
                }
                // A target near the fit, so residuals are smaller than the terms (cancellation).
                yArr[yOff + i * yInc] = dot + b + 0.25 * (2 * rnd.nextDouble() - 1);
            }
        }

        int index(int i, int j) {
            return c.layout == Layout.ROW_MAJOR ? xOff + i * ld + j : xOff + j * ld + i;
        }

        double xAt(int i, int j) {
            return x[index(i, j)];
        }

        double yAt(int i) {
            return yArr[yOff + i * yInc];
        }

        boolean row() {
            return c.layout == Layout.ROW_MAJOR;
        }

        double residuals(KernelImpl k, boolean withY, double[] r, int rOff) {
            double[] yy = withY ? yArr : null;
            int yo = withY ? yOff : 0;
            int yi = withY ? yInc : 1;
            return row()
                    ? k.residualsRow(x, xOff, ld, c.n, theta, b, yy, yo, yi, r, rOff, from, to)
                    : k.residualsCol(x, xOff, ld, c.n, theta, b, yy, yo, yi, r, rOff, from, to);
        }

        double gradientAdd(KernelImpl k, double[] r, int rOff, double[] g) {
            return row()
                    ? k.gradientAddRow(x, xOff, ld, c.n, r, rOff, g, from, to)
                    : k.gradientAddCol(x, xOff, ld, c.n, r, rOff, g, from, to);
        }

        double fused(KernelImpl k, double[] r, int rOff, double[] g) {
            return row()
                    ? k.fusedRow(x, xOff, ld, c.n, theta, b, yArr, yOff, yInc, r, rOff, g, from, to)
                    : k.fusedCol(x, xOff, ld, c.n, theta, b, yArr, yOff, yInc, r, rOff, g, from, to);
        }
    }

    @Override
    public String toString() {
        return (layout == Layout.ROW_MAJOR ? "row" : "col") + " m=" + m + " n=" + n + " y="
                + (yMode == YMode.SEPARATE ? "separate" : "x-column") + (sub ? " sub-range" : " all-rows");
    }
}
