package dev.vecgd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every public entry point of {@link Kernels}, {@link Matrix} and {@link StridedVector} rejects bad
 * arguments with the documented exception type and a message that names the bad argument. One test
 * per case. The fixture is valid ({@link #validCallsAreAccepted()}), so each test changes exactly one
 * thing.
 */
class KernelArgumentsTest {

    private static final int M = 5;
    private static final int N = 3;

    private final double[] xData = filled(M * N);
    private final Matrix x = Matrix.rowMajor(xData, M, N);
    private final double[] theta = filled(N);
    private final double[] yArr = filled(M);
    private final StridedVector y = StridedVector.of(yArr);
    private final double[] r = new double[M];
    private final double[] g = new double[N];
    private final double[] g1 = new double[N + 1];
    private final double[] out = new double[M];

    private static double[] filled(int len) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) a[i] = 0.25 * (i % 7) - 0.5;
        return a;
    }

    /** The call throws exactly {@code type} and its message contains {@code names}. */
    private static void rejects(Class<? extends RuntimeException> type, String names, Executable call) {
        Throwable t;
        try {
            call.execute();
            fail("no exception; expected " + type.getSimpleName() + " naming \"" + names + "\"");
            return;
        } catch (Throwable e) {
            t = e;
        }
        assertEquals(type, t.getClass(), () -> "wrong exception type: " + t);
        assertNotNull(t.getMessage(), "exception without a message");
        assertTrue(t.getMessage().contains(names), () -> "message does not name \"" + names + "\": " + t.getMessage());
    }

    @Test
    void validCallsAreAccepted() {
        Kernels.residuals(x, theta, 0.5, y, r, 0, 0, M);
        Kernels.residuals(x, theta, 0.5, yArr, r);
        Kernels.gradientAdd(x, r, 0, g, 0, M);
        Kernels.gradientAdd(x, r, g);
        Kernels.residualsGradientAdd(x, theta, 0.5, y, r, 0, g1, 0, M);
        Kernels.lossGradientAdd(x, theta, 0.5, y, g1, 0, M);
        Kernels.predict(x, theta, 0.5, out, 0, 0, M);
        assertEquals(M, Kernels.predict(x, theta, 0.5).length);
        Kernels.sumSquaredResiduals(x, theta, 0.5, y, 0, M);
        Kernels.loss(x, theta, 0.5, y);
        // Edge cases that are valid: an empty range, a range-sized buffer with rOff = -from,
        // y as a column of X's own array.
        Kernels.residuals(x, theta, 0.5, y, r, 0, 2, 2);
        Kernels.residuals(x, theta, 0.5, y, new double[2], -3, 3, 5);
        double[] table = filled(M * (N + 1));
        Matrix all = Matrix.rowMajor(table, M, N + 1);
        Kernels.residualsGradientAdd(all.columns(0, N), theta, 0.5, all.column(N), r, 0, g1, 0, M);
    }

    // ---- Matrix ----

    @Test
    void matrixNullData() {
        rejects(NullPointerException.class, "data", () -> new Matrix(null, 0, 1, 1, 1, Layout.ROW_MAJOR));
    }

    @Test
    void matrixNullLayout() {
        rejects(NullPointerException.class, "layout", () -> new Matrix(new double[1], 0, 1, 1, 1, null));
    }

    @Test
    void matrixNegativeRows() {
        rejects(IllegalArgumentException.class, "rows", () -> new Matrix(new double[4], 0, -1, 2, 2, Layout.ROW_MAJOR));
    }

    @Test
    void matrixNegativeCols() {
        rejects(IllegalArgumentException.class, "cols", () -> new Matrix(new double[4], 0, 2, -1, 2, Layout.ROW_MAJOR));
    }

    @Test
    void matrixNegativeOffset() {
        rejects(IllegalArgumentException.class, "offset", () -> Matrix.rowMajor(new double[10], -1, 2, 2, 2));
    }

    @Test
    void matrixRowMajorLdSmallerThanCols() {
        rejects(IllegalArgumentException.class, "ld", () -> Matrix.rowMajor(new double[10], 0, 2, 3, 2));
    }

    @Test
    void matrixColumnMajorLdSmallerThanRows() {
        rejects(IllegalArgumentException.class, "ld", () -> Matrix.columnMajor(new double[10], 0, 3, 2, 2));
    }

    @Test
    void matrixZeroLdForEmptyMatrix() {
        rejects(IllegalArgumentException.class, "ld", () -> Matrix.rowMajor(new double[1], 0, 0, 0, 0));
    }

    @Test
    void matrixRowMajorExtentBeyondArray() {
        // Last element at 1 + 2*4 + 3 - 1 = 11: needs 12 elements.
        rejects(IllegalArgumentException.class, "needs an array of at least 12",
                () -> Matrix.rowMajor(new double[11], 1, 3, 3, 4));
    }

    @Test
    void matrixColumnMajorExtentBeyondArray() {
        rejects(IllegalArgumentException.class, "needs an array of at least 12",
                () -> Matrix.columnMajor(new double[11], 1, 3, 3, 4));
    }

    @Test
    void matrixOffsetPushesExtentBeyondArray() {
        rejects(IllegalArgumentException.class, "needs an array of at least 7",
                () -> Matrix.rowMajor(new double[6], 1, 2, 3, 3));
    }

    @Test
    void matrixHugeLdDoesNotOverflow() {
        rejects(IllegalArgumentException.class, "needs an array",
                () -> Matrix.columnMajor(new double[10], 0, 2, 3, Integer.MAX_VALUE));
    }

    @Test
    void rowMajorFactoryNullData() {
        rejects(NullPointerException.class, "data", () -> Matrix.rowMajor(null, 1, 1));
    }

    @Test
    void rowMajorFactoryWrongLength() {
        rejects(IllegalArgumentException.class, "needs 6 elements", () -> Matrix.rowMajor(new double[5], 2, 3));
    }

    @Test
    void columnMajorFactoryWrongLength() {
        rejects(IllegalArgumentException.class, "needs 6 elements", () -> Matrix.columnMajor(new double[7], 2, 3));
    }

    @Test
    void factoryNegativeRows() {
        rejects(IllegalArgumentException.class, "rows", () -> Matrix.columnMajor(new double[0], -1, 0));
    }

    // ---- StridedVector ----

    @Test
    void stridedVectorNullData() {
        rejects(NullPointerException.class, "data", () -> new StridedVector(null, 0, 1));
    }

    @Test
    void stridedVectorOfNull() {
        rejects(NullPointerException.class, "data", () -> StridedVector.of(null));
    }

    @Test
    void stridedVectorNegativeOffset() {
        rejects(IllegalArgumentException.class, "offset", () -> new StridedVector(new double[3], -1, 1));
    }

    @Test
    void stridedVectorZeroStride() {
        rejects(IllegalArgumentException.class, "stride", () -> new StridedVector(new double[3], 0, 0));
    }

    @Test
    void stridedVectorNegativeStride() {
        rejects(IllegalArgumentException.class, "stride", () -> new StridedVector(new double[3], 2, -1));
    }

    // ---- residuals(Matrix, double[], double, StridedVector, double[], int, int, int) ----

    @Test
    void residualsNullX() {
        rejects(NullPointerException.class, "x (the matrix)", () -> Kernels.residuals(null, theta, 0, y, r, 0, 0, M));
    }

    @Test
    void residualsNullTheta() {
        rejects(NullPointerException.class, "theta", () -> Kernels.residuals(x, null, 0, y, r, 0, 0, M));
    }

    @Test
    void residualsNullY() {
        rejects(NullPointerException.class, "y", () -> Kernels.residuals(x, theta, 0, (StridedVector) null, r, 0, 0, M));
    }

    @Test
    void residualsNullR() {
        rejects(NullPointerException.class, "r is null", () -> Kernels.residuals(x, theta, 0, y, null, 0, 0, M));
    }

    @Test
    void residualsShortTheta() {
        rejects(IllegalArgumentException.class, "theta", () -> Kernels.residuals(x, new double[N - 1], 0, y, r, 0, 0, M));
    }

    @Test
    void residualsShortY() {
        rejects(IllegalArgumentException.class, "y is too short",
                () -> Kernels.residuals(x, theta, 0, StridedVector.of(new double[M - 1]), r, 0, 0, M));
    }

    @Test
    void residualsYOffsetPastEnd() {
        rejects(IllegalArgumentException.class, "y is too short",
                () -> Kernels.residuals(x, theta, 0, new StridedVector(yArr, 1, 1), r, 0, 0, M));
    }

    @Test
    void residualsYStrideTooLong() {
        rejects(IllegalArgumentException.class, "y is too short",
                () -> Kernels.residuals(x, theta, 0, new StridedVector(new double[2 * M - 2], 0, 2), r, 0, 0, M));
    }

    @Test
    void residualsShortR() {
        rejects(IllegalArgumentException.class, "r is too short", () -> Kernels.residuals(x, theta, 0, y, new double[M - 1], 0, 0, M));
    }

    @Test
    void residualsNegativeROffset() {
        rejects(IllegalArgumentException.class, "r is too short or its offset is wrong",
                () -> Kernels.residuals(x, theta, 0, y, new double[M + 1], -1, 0, M));
    }

    @Test
    void residualsROffsetTooLarge() {
        rejects(IllegalArgumentException.class, "r is too short or its offset is wrong",
                () -> Kernels.residuals(x, theta, 0, y, r, 1, 0, M));
    }

    @Test
    void residualsNegativeFrom() {
        rejects(IllegalArgumentException.class, "from=-1", () -> Kernels.residuals(x, theta, 0, y, r, 0, -1, M));
    }

    @Test
    void residualsToBeforeFrom() {
        rejects(IllegalArgumentException.class, "to=2", () -> Kernels.residuals(x, theta, 0, y, r, 0, 3, 2));
    }

    @Test
    void residualsToPastRows() {
        rejects(IllegalArgumentException.class, "to=" + (M + 1), () -> Kernels.residuals(x, theta, 0, y, r, 0, 0, M + 1));
    }

    @Test
    void residualsRIsXArray() {
        rejects(IllegalArgumentException.class, "r must not be the matrix's array",
                () -> Kernels.residuals(x, theta, 0, y, xData, 0, 0, M));
    }

    @Test
    void residualsRIsTheta() {
        Matrix wide = Matrix.rowMajor(filled(M * M), M, M);
        double[] shared = filled(M);
        rejects(IllegalArgumentException.class, "r must not share its array",
                () -> Kernels.residuals(wide, shared, 0, y, shared, 0, 0, M));
    }

    @Test
    void residualsRIsY() {
        rejects(IllegalArgumentException.class, "r must not share its array",
                () -> Kernels.residuals(x, theta, 0, y, yArr, 0, 0, M));
    }

    // ---- residuals(Matrix, double[], double, double[], double[]) ----

    @Test
    void residualsAllRowsNullX() {
        rejects(NullPointerException.class, "x (the matrix)", () -> Kernels.residuals(null, theta, 0, yArr, r));
    }

    @Test
    void residualsAllRowsNullY() {
        rejects(NullPointerException.class, "y is null", () -> Kernels.residuals(x, theta, 0, (double[]) null, r));
    }

    @Test
    void residualsAllRowsShortY() {
        rejects(IllegalArgumentException.class, "y is too short", () -> Kernels.residuals(x, theta, 0, new double[M - 1], r));
    }

    @Test
    void residualsAllRowsShortR() {
        rejects(IllegalArgumentException.class, "r is too short", () -> Kernels.residuals(x, theta, 0, yArr, new double[M - 1]));
    }

    @Test
    void residualsAllRowsRIsY() {
        rejects(IllegalArgumentException.class, "r must not share", () -> Kernels.residuals(x, theta, 0, yArr, yArr));
    }

    // ---- gradientAdd(Matrix, double[], int, double[], int, int) ----

    @Test
    void gradientAddNullX() {
        rejects(NullPointerException.class, "x (the matrix)", () -> Kernels.gradientAdd(null, r, 0, g, 0, M));
    }

    @Test
    void gradientAddNullR() {
        rejects(NullPointerException.class, "r is null", () -> Kernels.gradientAdd(x, null, 0, g, 0, M));
    }

    @Test
    void gradientAddNullG() {
        rejects(NullPointerException.class, "g (the gradient", () -> Kernels.gradientAdd(x, r, 0, null, 0, M));
    }

    @Test
    void gradientAddShortG() {
        rejects(IllegalArgumentException.class, "g has " + (N - 1), () -> Kernels.gradientAdd(x, r, 0, new double[N - 1], 0, M));
    }

    @Test
    void gradientAddShortR() {
        rejects(IllegalArgumentException.class, "r is too short", () -> Kernels.gradientAdd(x, new double[M - 1], 0, g, 0, M));
    }

    @Test
    void gradientAddNegativeROffset() {
        rejects(IllegalArgumentException.class, "r is too short or its offset is wrong",
                () -> Kernels.gradientAdd(x, r, -2, g, 1, M));
    }

    @Test
    void gradientAddNegativeFrom() {
        rejects(IllegalArgumentException.class, "from=-1", () -> Kernels.gradientAdd(x, r, 0, g, -1, M));
    }

    @Test
    void gradientAddToBeforeFrom() {
        rejects(IllegalArgumentException.class, "row range", () -> Kernels.gradientAdd(x, r, 0, g, 4, 1));
    }

    @Test
    void gradientAddToPastRows() {
        rejects(IllegalArgumentException.class, "to=" + (M + 1), () -> Kernels.gradientAdd(x, r, 0, g, 0, M + 1));
    }

    @Test
    void gradientAddGIsXArray() {
        Matrix square = Matrix.rowMajor(filled(N * N), N, N);
        rejects(IllegalArgumentException.class, "g must not be the matrix's array",
                () -> Kernels.gradientAdd(square, new double[N], 0, square.data(), 0, N));
    }

    @Test
    void gradientAddGIsR() {
        double[] shared = new double[Math.max(M, N)];
        rejects(IllegalArgumentException.class, "g must not share its array",
                () -> Kernels.gradientAdd(x, shared, 0, shared, 0, M));
    }

    // ---- gradientAdd(Matrix, double[], double[]) ----

    @Test
    void gradientAddAllRowsNullX() {
        rejects(NullPointerException.class, "x (the matrix)", () -> Kernels.gradientAdd(null, r, g));
    }

    @Test
    void gradientAddAllRowsShortR() {
        rejects(IllegalArgumentException.class, "r is too short", () -> Kernels.gradientAdd(x, new double[M - 1], g));
    }

    @Test
    void gradientAddAllRowsShortG() {
        rejects(IllegalArgumentException.class, "g has", () -> Kernels.gradientAdd(x, r, new double[N - 1]));
    }

    // ---- residualsGradientAdd ----

    @Test
    void fusedNullX() {
        rejects(NullPointerException.class, "x (the matrix)", () -> Kernels.residualsGradientAdd(null, theta, 0, y, r, 0, g1, 0, M));
    }

    @Test
    void fusedNullTheta() {
        rejects(NullPointerException.class, "theta", () -> Kernels.residualsGradientAdd(x, null, 0, y, r, 0, g1, 0, M));
    }

    @Test
    void fusedNullY() {
        rejects(NullPointerException.class, "y", () -> Kernels.residualsGradientAdd(x, theta, 0, null, r, 0, g1, 0, M));
    }

    @Test
    void fusedNullR() {
        rejects(NullPointerException.class, "r is null", () -> Kernels.residualsGradientAdd(x, theta, 0, y, null, 0, g1, 0, M));
    }

    @Test
    void fusedNullG() {
        rejects(NullPointerException.class, "g (the gradient", () -> Kernels.residualsGradientAdd(x, theta, 0, y, r, 0, null, 0, M));
    }

    @Test
    void fusedShortTheta() {
        rejects(IllegalArgumentException.class, "theta", () -> Kernels.residualsGradientAdd(x, new double[N - 1], 0, y, r, 0, g1, 0, M));
    }

    @Test
    void fusedGWithoutInterceptSlot() {
        rejects(IllegalArgumentException.class, "g has " + N,
                () -> Kernels.residualsGradientAdd(x, theta, 0, y, r, 0, new double[N], 0, M));
    }

    @Test
    void fusedShortY() {
        rejects(IllegalArgumentException.class, "y is too short",
                () -> Kernels.residualsGradientAdd(x, theta, 0, StridedVector.of(new double[M - 1]), r, 0, g1, 0, M));
    }

    @Test
    void fusedShortR() {
        rejects(IllegalArgumentException.class, "r is too short",
                () -> Kernels.residualsGradientAdd(x, theta, 0, y, new double[M - 1], 0, g1, 0, M));
    }

    @Test
    void fusedNegativeFrom() {
        rejects(IllegalArgumentException.class, "from=-1", () -> Kernels.residualsGradientAdd(x, theta, 0, y, r, 0, g1, -1, M));
    }

    @Test
    void fusedToBeforeFrom() {
        rejects(IllegalArgumentException.class, "row range", () -> Kernels.residualsGradientAdd(x, theta, 0, y, r, 0, g1, 2, 1));
    }

    @Test
    void fusedToPastRows() {
        rejects(IllegalArgumentException.class, "to=" + (M + 1), () -> Kernels.residualsGradientAdd(x, theta, 0, y, r, 0, g1, 0, M + 1));
    }

    @Test
    void fusedRIsXArray() {
        rejects(IllegalArgumentException.class, "r must not be the matrix's array",
                () -> Kernels.residualsGradientAdd(x, theta, 0, y, xData, 0, g1, 0, M));
    }

    @Test
    void fusedRIsY() {
        rejects(IllegalArgumentException.class, "r must not share",
                () -> Kernels.residualsGradientAdd(x, theta, 0, y, yArr, 0, g1, 0, M));
    }

    @Test
    void fusedRIsG() {
        double[] shared = new double[Math.max(M, N + 1)];
        rejects(IllegalArgumentException.class, "r must not share",
                () -> Kernels.residualsGradientAdd(x, theta, 0, y, shared, 0, shared, 0, M));
    }

    @Test
    void fusedRIsTheta() {
        double[] shared = filled(Math.max(M, N));
        rejects(IllegalArgumentException.class, "r must not share",
                () -> Kernels.residualsGradientAdd(x, shared, 0, y, shared, 0, g1, 0, M));
    }

    @Test
    void fusedGIsXArray() {
        rejects(IllegalArgumentException.class, "g must not be the matrix's array",
                () -> Kernels.residualsGradientAdd(x, theta, 0, y, r, 0, xData, 0, M));
    }

    @Test
    void fusedGIsTheta() {
        double[] shared = filled(N + 1);
        rejects(IllegalArgumentException.class, "g must not share",
                () -> Kernels.residualsGradientAdd(x, shared, 0, y, r, 0, shared, 0, M));
    }

    @Test
    void fusedGIsY() {
        double[] shared = filled(Math.max(M, N + 1));
        rejects(IllegalArgumentException.class, "g must not share",
                () -> Kernels.residualsGradientAdd(x, theta, 0, StridedVector.of(shared), r, 0, shared, 0, M));
    }

    // ---- lossGradientAdd ----

    @Test
    void lossGradientNullX() {
        rejects(NullPointerException.class, "x (the matrix)", () -> Kernels.lossGradientAdd(null, theta, 0, y, g1, 0, M));
    }

    @Test
    void lossGradientNullTheta() {
        rejects(NullPointerException.class, "theta", () -> Kernels.lossGradientAdd(x, null, 0, y, g1, 0, M));
    }

    @Test
    void lossGradientNullY() {
        rejects(NullPointerException.class, "y", () -> Kernels.lossGradientAdd(x, theta, 0, null, g1, 0, M));
    }

    @Test
    void lossGradientNullG() {
        rejects(NullPointerException.class, "g (the gradient", () -> Kernels.lossGradientAdd(x, theta, 0, y, null, 0, M));
    }

    @Test
    void lossGradientShortTheta() {
        rejects(IllegalArgumentException.class, "theta", () -> Kernels.lossGradientAdd(x, new double[1], 0, y, g1, 0, M));
    }

    @Test
    void lossGradientGWithoutInterceptSlot() {
        rejects(IllegalArgumentException.class, "g has " + N, () -> Kernels.lossGradientAdd(x, theta, 0, y, g, 0, M));
    }

    @Test
    void lossGradientShortY() {
        rejects(IllegalArgumentException.class, "y is too short",
                () -> Kernels.lossGradientAdd(x, theta, 0, new StridedVector(yArr, 0, 2), g1, 0, M));
    }

    @Test
    void lossGradientNegativeFrom() {
        rejects(IllegalArgumentException.class, "from=-3", () -> Kernels.lossGradientAdd(x, theta, 0, y, g1, -3, M));
    }

    @Test
    void lossGradientToBeforeFrom() {
        rejects(IllegalArgumentException.class, "row range", () -> Kernels.lossGradientAdd(x, theta, 0, y, g1, 1, 0));
    }

    @Test
    void lossGradientToPastRows() {
        rejects(IllegalArgumentException.class, "to=" + (M + 1), () -> Kernels.lossGradientAdd(x, theta, 0, y, g1, 0, M + 1));
    }

    @Test
    void lossGradientGIsXArray() {
        rejects(IllegalArgumentException.class, "g must not be the matrix's array",
                () -> Kernels.lossGradientAdd(x, theta, 0, y, xData, 0, M));
    }

    @Test
    void lossGradientGIsTheta() {
        double[] shared = filled(N + 1);
        rejects(IllegalArgumentException.class, "g must not share", () -> Kernels.lossGradientAdd(x, shared, 0, y, shared, 0, M));
    }

    @Test
    void lossGradientGIsY() {
        rejects(IllegalArgumentException.class, "g must not share", () -> Kernels.lossGradientAdd(x, theta, 0, y, yArr, 0, M));
    }

    // ---- predict(Matrix, double[], double, double[], int, int, int) ----

    @Test
    void predictNullX() {
        rejects(NullPointerException.class, "x (the matrix)", () -> Kernels.predict(null, theta, 0, out, 0, 0, M));
    }

    @Test
    void predictNullTheta() {
        rejects(NullPointerException.class, "theta", () -> Kernels.predict(x, null, 0, out, 0, 0, M));
    }

    @Test
    void predictNullOut() {
        rejects(NullPointerException.class, "out is null", () -> Kernels.predict(x, theta, 0, null, 0, 0, M));
    }

    @Test
    void predictShortTheta() {
        rejects(IllegalArgumentException.class, "theta", () -> Kernels.predict(x, new double[N - 1], 0, out, 0, 0, M));
    }

    @Test
    void predictShortOut() {
        rejects(IllegalArgumentException.class, "out is too short", () -> Kernels.predict(x, theta, 0, new double[M - 1], 0, 0, M));
    }

    @Test
    void predictNegativeOutOffset() {
        rejects(IllegalArgumentException.class, "out is too short or its offset is wrong",
                () -> Kernels.predict(x, theta, 0, out, -1, 0, M));
    }

    @Test
    void predictNegativeFrom() {
        rejects(IllegalArgumentException.class, "from=-1", () -> Kernels.predict(x, theta, 0, out, 0, -1, M));
    }

    @Test
    void predictToBeforeFrom() {
        rejects(IllegalArgumentException.class, "row range", () -> Kernels.predict(x, theta, 0, out, 0, 3, 0));
    }

    @Test
    void predictToPastRows() {
        rejects(IllegalArgumentException.class, "to=" + (M + 1), () -> Kernels.predict(x, theta, 0, out, 0, 0, M + 1));
    }

    @Test
    void predictOutIsXArray() {
        rejects(IllegalArgumentException.class, "out must not be the matrix's array",
                () -> Kernels.predict(x, theta, 0, xData, 0, 0, M));
    }

    @Test
    void predictOutIsTheta() {
        Matrix wide = Matrix.rowMajor(filled(M * M), M, M);
        double[] shared = filled(M);
        rejects(IllegalArgumentException.class, "out must not share", () -> Kernels.predict(wide, shared, 0, shared, 0, 0, M));
    }

    /** Issue 18: a θ of more coefficients than X has columns is a schema error for predictions, not ignored. */
    @Test
    void predictLongThetaIsRejected() {
        rejects(IllegalArgumentException.class, "exactly one coefficient per column",
                () -> Kernels.predict(x, new double[N + 1], 0, out, 0, 0, M));
        rejects(IllegalArgumentException.class, "theta has " + (N + 1) + " elements, the matrix has " + N + " columns",
                () -> Kernels.predict(x, new double[N + 1], 0));
    }

    // ---- predict(Matrix, double[], double) ----

    @Test
    void predictAllRowsNullX() {
        rejects(NullPointerException.class, "x (the matrix)", () -> Kernels.predict(null, theta, 0));
    }

    @Test
    void predictAllRowsNullTheta() {
        rejects(NullPointerException.class, "theta", () -> Kernels.predict(x, null, 0));
    }

    @Test
    void predictAllRowsShortTheta() {
        rejects(IllegalArgumentException.class, "theta", () -> Kernels.predict(x, new double[0], 0));
    }

    // ---- sumSquaredResiduals ----

    @Test
    void sumSquaredNullX() {
        rejects(NullPointerException.class, "x (the matrix)", () -> Kernels.sumSquaredResiduals(null, theta, 0, y, 0, M));
    }

    @Test
    void sumSquaredNullTheta() {
        rejects(NullPointerException.class, "theta", () -> Kernels.sumSquaredResiduals(x, null, 0, y, 0, M));
    }

    @Test
    void sumSquaredNullY() {
        rejects(NullPointerException.class, "y", () -> Kernels.sumSquaredResiduals(x, theta, 0, null, 0, M));
    }

    @Test
    void sumSquaredShortTheta() {
        rejects(IllegalArgumentException.class, "theta", () -> Kernels.sumSquaredResiduals(x, new double[N - 1], 0, y, 0, M));
    }

    @Test
    void sumSquaredShortY() {
        rejects(IllegalArgumentException.class, "y is too short",
                () -> Kernels.sumSquaredResiduals(x, theta, 0, StridedVector.of(new double[2]), 0, M));
    }

    @Test
    void sumSquaredNegativeFrom() {
        rejects(IllegalArgumentException.class, "from=-1", () -> Kernels.sumSquaredResiduals(x, theta, 0, y, -1, M));
    }

    @Test
    void sumSquaredToBeforeFrom() {
        rejects(IllegalArgumentException.class, "row range", () -> Kernels.sumSquaredResiduals(x, theta, 0, y, 4, 3));
    }

    @Test
    void sumSquaredToPastRows() {
        rejects(IllegalArgumentException.class, "to=" + (M + 1), () -> Kernels.sumSquaredResiduals(x, theta, 0, y, 0, M + 1));
    }

    // ---- loss ----

    @Test
    void lossOfEmptyMatrix() {
        Matrix empty = Matrix.rowMajor(new double[0], 0, N);
        rejects(IllegalArgumentException.class, "m = 0", () -> Kernels.loss(empty, theta, 0, y));
    }

    @Test
    void lossNullX() {
        rejects(NullPointerException.class, "x (the matrix)", () -> Kernels.loss(null, theta, 0, y));
    }

    @Test
    void lossNullTheta() {
        rejects(NullPointerException.class, "theta", () -> Kernels.loss(x, null, 0, y));
    }

    @Test
    void lossNullY() {
        rejects(NullPointerException.class, "y", () -> Kernels.loss(x, theta, 0, null));
    }

    @Test
    void lossShortTheta() {
        rejects(IllegalArgumentException.class, "theta", () -> Kernels.loss(x, new double[N - 1], 0, y));
    }

    @Test
    void lossShortY() {
        rejects(IllegalArgumentException.class, "y is too short",
                () -> Kernels.loss(x, theta, 0, StridedVector.of(new double[M - 1])));
    }
}
