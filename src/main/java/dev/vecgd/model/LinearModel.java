package dev.vecgd.model;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.RegressionData;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.kernel.SegmentReader;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A fitted linear model {@code ŷ = x·θ + b}: coefficients θ (original scale), intercept b, and what is known
 * about where it came from — feature names, the {@link FitSettings options} and the number of training rows m
 * it was fitted with, and the fit's {@link FitDiagnostics}. Made by {@code FitResult.model()},
 * {@link #of(double[], double)}, or {@link #load(Path)}.
 *
 * <p><b>Schema check.</b> Every method that reads feature data checks that it has exactly n columns, and,
 * where the caller supplies column names and the model knows its own, that the names are the model's, in
 * order; a mismatch is an {@link IllegalArgumentException} naming both sides. (Before issue 18 a 3-column
 * matrix was silently accepted by a 4-feature model.)
 *
 * <p><b>Arithmetic.</b> Predictions of matrices go through {@link Kernels#predict} (the SIMD kernels when
 * active); single rows and {@code double[][]} rows are summed in the scalar reference's order
 * ({@code (Σ_j x_j·θ_j) + b}, j ascending). The two agree to rounding, not bit for bit, when the vector kernels
 * are active. NaN and infinities in the data propagate to the predictions (they are not checked here).
 *
 * <p><b>Immutable and thread-safe</b>: arrays are copied in and out; {@code equals}/{@code hashCode} are
 * value-based (doubles compared as by {@link Double#compare}).
 */
public final class LinearModel {

    private final double[] theta;
    private final double intercept;
    private final List<String> names; // null when unknown
    private final FitSettings settings; // null when unknown
    private final long rows; // 0 when unknown
    private final FitDiagnostics diagnostics; // null when unknown

    private LinearModel(double[] theta, double intercept, List<String> names, FitSettings settings, long rows,
                        FitDiagnostics diagnostics) {
        this.theta = theta;
        this.intercept = intercept;
        this.names = names;
        this.settings = settings;
        this.rows = rows;
        this.diagnostics = diagnostics;
    }

    /**
     * A model from known coefficients (copied) and intercept, with nothing else known.
     *
     * @throws IllegalArgumentException if a coefficient or the intercept is not finite
     */
    public static LinearModel of(double[] coefficients, double intercept) {
        return of(coefficients, intercept, null, null, 0, null);
    }

    /**
     * A model from the parameter vector of the streaming API ({@code p = [θ₀ … θₙ₋₁, b]}, n + 1 values: the layout
     * {@link dev.vecgd.solver.GradientBuffer} and {@link dev.vecgd.solver.Optimizer#step} work on), copied. The
     * library's three parameter layouts convert into each other: {@code (θ, b)} as the kernels take them
     * ({@link #coefficients()}, {@link #intercept()}), {@code p[n + 1]} ({@link #parameters()}) and this model.
     *
     * @param p n + 1 values, θ then b, not modified; finite
     * @throws IllegalArgumentException if p is empty or holds a non-finite value
     */
    public static LinearModel ofParameters(double[] p) {
        Objects.requireNonNull(p, "p is null");
        if (p.length == 0) throw new IllegalArgumentException("p holds no value: it must hold n coefficients and the intercept");
        return of(java.util.Arrays.copyOf(p, p.length - 1), p[p.length - 1]);
    }

    /** The parameters as the streaming API holds them: {@code [θ₀ … θₙ₋₁, b]} (a new array of n + 1 values). */
    public double[] parameters() {
        double[] p = java.util.Arrays.copyOf(theta, theta.length + 1);
        p[theta.length] = intercept;
        return p;
    }

    /**
     * A model with everything it can hold; each of {@code featureNames}, {@code settings} and
     * {@code diagnostics} may be null (unknown), {@code rows} 0 (unknown).
     *
     * @param coefficients the n coefficients, not modified (copied); finite
     * @param intercept    b, finite (0 for a model without intercept)
     * @param featureNames n distinct, non-empty names, or null (copied)
     * @param settings     the options of the fit, or null
     * @param rows         training rows m, {@code >= 0}
     * @param diagnostics  the fit's diagnostics, or null; its standard errors must number n
     * @throws IllegalArgumentException naming the bad argument
     */
    public static LinearModel of(double[] coefficients, double intercept, List<String> featureNames,
                                 FitSettings settings, long rows, FitDiagnostics diagnostics) {
        Objects.requireNonNull(coefficients, "coefficients are null");
        double[] t = coefficients.clone();
        for (int j = 0; j < t.length; j++) {
            if (!Double.isFinite(t[j])) throw new IllegalArgumentException("coefficient " + j + " is " + t[j] + " (must be finite)");
        }
        if (!Double.isFinite(intercept)) throw new IllegalArgumentException("intercept is " + intercept + " (must be finite)");
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0 (0 = unknown), got " + rows);
        if (settings != null && !settings.intercept() && intercept != 0) {
            throw new IllegalArgumentException("intercept is " + intercept + " but the settings say no intercept was fitted");
        }
        if (diagnostics != null && diagnostics.standardErrors().length != t.length) {
            throw new IllegalArgumentException("diagnostics hold " + diagnostics.standardErrors().length
                    + " standard errors for " + t.length + " coefficients");
        }
        return new LinearModel(t, intercept, featureNames == null ? null : checkNames(featureNames, t.length),
                settings, rows, diagnostics);
    }

    /** This model with these feature names (n distinct, non-empty; copied). */
    public LinearModel withFeatureNames(List<String> featureNames) {
        return new LinearModel(theta, intercept, checkNames(Objects.requireNonNull(featureNames, "featureNames is null"),
                theta.length), settings, rows, diagnostics);
    }

    private static List<String> checkNames(List<String> names, int n) {
        if (names.size() != n) {
            throw new IllegalArgumentException(names.size() + " feature names for " + n + " coefficients: " + names);
        }
        HashSet<String> seen = new HashSet<>();
        for (int j = 0; j < n; j++) {
            String s = names.get(j);
            if (s == null || s.isEmpty()) throw new IllegalArgumentException("feature name " + j + " is " + (s == null ? "null" : "empty"));
            if (!seen.add(s)) throw new IllegalArgumentException("feature name '" + s + "' appears twice");
        }
        return List.copyOf(names);
    }

    // ---- what the model is ----

    /** Number of features n. */
    public int features() {
        return theta.length;
    }

    /** A copy of the coefficients θ (original scale). */
    public double[] coefficients() {
        return theta.clone();
    }

    /** Coefficient j (0-based). */
    public double coefficient(int j) {
        return theta[Objects.checkIndex(j, theta.length)];
    }

    /** The intercept b (0 for a model fitted without one). */
    public double intercept() {
        return intercept;
    }

    /** The feature names, when known (an unmodifiable list of n names). */
    public Optional<List<String>> featureNames() {
        return Optional.ofNullable(names);
    }

    /** The options of the fit, when known (not for {@link #of(double[], double)}). */
    public Optional<FitSettings> options() {
        return Optional.ofNullable(settings);
    }

    /** The fit's diagnostics, when known. */
    public Optional<FitDiagnostics> diagnostics() {
        return Optional.ofNullable(diagnostics);
    }

    /** Training rows m, or 0 when unknown. */
    public long rows() {
        return rows;
    }

    // ---- schema ----

    /**
     * Checks that data with {@code cols} feature columns fits this model.
     *
     * @throws IllegalArgumentException "the model has n features (names), the data has cols columns"
     */
    public void requireFeatures(int cols) {
        if (cols != theta.length) {
            throw new IllegalArgumentException("feature count mismatch: the model has " + theta.length + " features"
                    + (names == null ? "" : " " + names) + ", the data has " + cols + " columns");
        }
    }

    /**
     * Checks data columns by name: the count, then, when the model knows its names, the names in order.
     *
     * @param columns the data's feature names, in column order; not modified
     * @throws IllegalArgumentException naming the model's and the data's names
     */
    public void requireFeatures(List<String> columns) {
        Objects.requireNonNull(columns, "columns is null");
        requireFeatures(columns.size());
        if (names != null && !names.equals(columns)) {
            for (int j = 0; j < names.size(); j++) {
                if (!names.get(j).equals(columns.get(j))) {
                    throw new IllegalArgumentException("feature name mismatch at column " + j + ": the model expects '"
                            + names.get(j) + "', the data has '" + columns.get(j) + "' (model " + names + ", data "
                            + columns + ")");
                }
            }
        }
    }

    // ---- predictions ----

    /** {@code x·θ + b} for one row of n values (not modified). */
    public double predict(double[] row) {
        Objects.requireNonNull(row, "row is null");
        if (row.length != theta.length) {
            throw new IllegalArgumentException("feature count mismatch: the model has " + theta.length
                    + " features" + (names == null ? "" : " " + names) + ", the row has " + row.length + " values");
        }
        return dot(row);
    }

    private double dot(double[] row) {
        double s = 0;
        for (int j = 0; j < theta.length; j++) s += row[j] * theta[j];
        return s + intercept;
    }

    /** Predictions {@code Xθ + b} for every row of x (not modified), in a new array of m values. */
    public double[] predict(Matrix x) {
        Objects.requireNonNull(x, "x is null");
        double[] out = new double[x.rows()];
        predictInto(x, out, 0);
        return out;
    }

    /** {@link #predict(Matrix)} after checking the columns' names ({@link #requireFeatures(List)}). */
    public double[] predict(Matrix x, List<String> columns) {
        requireFeatures(columns);
        return predict(x);
    }

    /**
     * Predictions into a caller's array, allocating nothing: {@code out[outOff + i] = x_i·θ + b}, i &lt; m.
     *
     * @param x      m×n, not modified
     * @param out    <b>modified</b>: {@code out[outOff .. outOff + m)} overwritten; not x's array
     * @param outOff where row 0's prediction goes
     */
    public void predictInto(Matrix x, double[] out, int outOff) {
        Objects.requireNonNull(x, "x is null");
        requireFeatures(x.cols());
        Kernels.predict(x, theta, intercept, out, outOff, 0, x.rows());
    }

    /** Predictions for rows given as {@code double[][]} (each of n values; not modified), in a new array. */
    public double[] predict(double[][] x) {
        Objects.requireNonNull(x, "x is null");
        double[] out = new double[x.length];
        predictInto(x, out);
        return out;
    }

    /**
     * Allocation-free {@link #predict(double[][])}: {@code out[i] = x[i]·θ + b}.
     *
     * @param x   rows of n values, not modified
     * @param out <b>modified</b>: the first {@code x.length} values overwritten
     */
    public void predictInto(double[][] x, double[] out) {
        Objects.requireNonNull(x, "x is null");
        Objects.requireNonNull(out, "out is null");
        if (out.length < x.length) throw new IllegalArgumentException("out holds " + out.length + " values for " + x.length + " rows");
        for (int i = 0; i < x.length; i++) {
            double[] row = x[i];
            if (row == null) throw new NullPointerException("row " + i + " is null");
            if (row.length != theta.length) {
                throw new IllegalArgumentException("feature count mismatch: the model has " + theta.length + " features"
                        + (names == null ? "" : " " + names) + ", row " + i + " has " + row.length + " values");
            }
        }
        for (int i = 0; i < x.length; i++) out[i] = dot(x[i]);
    }

    /** Predictions for off-heap rows (at most 2³¹ − 1), in a new array. */
    public double[] predict(SegmentMatrix x) {
        Objects.requireNonNull(x, "x is null");
        if (x.rows() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("x has " + x.rows() + " rows, too many for one array; use predictInto by ranges");
        }
        double[] out = new double[(int) x.rows()];
        predictInto(x, out, 0);
        return out;
    }

    /**
     * Predictions for off-heap rows into a caller's array: {@code out[outOff + i] = x_i·θ + b}. Reads x through
     * a heap buffer of {@value SegmentReader#BUFFER} doubles ({@link SegmentReader}; that buffer is the only
     * allocation) and runs {@link Kernels#predict} on each block of a row-major x.
     *
     * @param x      m×n off-heap, not modified
     * @param out    <b>modified</b>: {@code out[outOff .. outOff + m)} overwritten
     * @param outOff where row 0's prediction goes
     */
    public void predictInto(SegmentMatrix x, double[] out, int outOff) {
        Objects.requireNonNull(x, "x is null");
        Objects.requireNonNull(out, "out is null");
        requireFeatures(x.cols());
        if (outOff < 0 || outOff + x.rows() > out.length) {
            throw new IllegalArgumentException("out (length " + out.length + ") cannot hold " + x.rows()
                    + " predictions from offset " + outOff);
        }
        int base = outOff;
        if (theta.length == 0) {
            Arrays.fill(out, base, base + (int) x.rows(), intercept);
        } else if (x.layout() == Layout.ROW_MAJOR) {
            SegmentReader.rows(x, (buf, ld, first, count) ->
                    Kernels.predict(Matrix.rowMajor(buf, 0, count, theta.length, ld), theta, intercept, out,
                            base + (int) first, 0, count));
        } else {
            Arrays.fill(out, base, base + (int) x.rows(), 0.0);
            SegmentReader.columns(x, (buf, j, first, count) -> {
                double t = theta[j];
                int o = base + (int) first;
                for (int r = 0; r < count; r++) out[o + r] += buf[r] * t;
            });
            for (int i = 0; i < x.rows(); i++) out[base + i] += intercept;
        }
    }

    // ---- residuals and score ----

    /**
     * Residuals on a dataset, with the kernels' sign: {@code r_i = ŷ_i − y_i = x_i·θ + b − y_i} (prediction
     * minus target), in a new array of m values.
     */
    public double[] residuals(RegressionData data) {
        Objects.requireNonNull(data, "data is null");
        if (data.rowCount() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the data has " + data.rowCount() + " rows, too many for one array");
        }
        double[] r = new double[(int) data.rowCount()];
        residualsInto(data, r);
        return r;
    }

    /**
     * Allocation-free for heap data: {@code r[i] = x_i·θ + b − y_i} for i &lt; m.
     *
     * @param data the dataset, not modified
     * @param r    <b>modified</b>: the first m values overwritten
     */
    public void residualsInto(RegressionData data, double[] r) {
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(r, "r is null");
        requireFeatures(data.cols());
        switch (data) {
            case Dataset d -> Kernels.residuals(d.x(), theta, intercept, d.y(), r, 0, 0, d.rows());
            case SegmentDataset s -> {
                predictInto(s.x(), r, 0);
                for (int i = 0; i < s.rows(); i++) r[i] -= s.y().get(i);
            }
        }
    }

    /**
     * The coefficient of determination on a dataset, centered as in scikit-learn's {@code score}:
     * <pre>  R² = 1 − Σ(ŷ_i − y_i)² / Σ(y_i − ȳ)²  </pre>
     * (also for a model without intercept — unlike {@code FitResult.r2()}, which is uncentered then). 1 is a
     * perfect fit; it may be negative. When y is constant: 1.0 for a perfect fit, else 0.0 (scikit-learn's rule).
     *
     * @param data the dataset, not modified
     */
    public double score(RegressionData data) {
        Objects.requireNonNull(data, "data is null");
        requireFeatures(data.cols());
        long m = data.rowCount();
        double mean = 0;
        for (long i = 0; i < m; i++) mean += data.y(i);
        mean /= m;
        double sst = 0;
        for (long i = 0; i < m; i++) {
            double d = data.y(i) - mean;
            sst += d * d;
        }
        double ssr;
        if (data instanceof Dataset d) {
            ssr = Kernels.sumSquaredResiduals(d.x(), theta, intercept, d.y(), 0, d.rows());
        } else {
            double[] r = residuals(data);
            ssr = 0;
            for (double v : r) ssr += v * v;
        }
        if (sst == 0) return ssr == 0 ? 1.0 : 0.0;
        return 1 - ssr / sst;
    }

    // ---- save and load ----

    /** This model as the JSON text of {@link ModelFormat} (version {@value ModelFormat#VERSION}). */
    public String toJson() {
        return ModelFormat.write(this);
    }

    /** Writes {@link #toJson()} to a file (UTF-8), replacing it. */
    public void save(Path file) throws IOException {
        ModelFormat.save(this, file);
    }

    /** Writes {@link #toJson()} to a writer (not closed). */
    public void save(Writer out) throws IOException {
        out.write(toJson());
    }

    /**
     * Reads a model file written by {@link #save(Path)} or {@code vecgd fit --output}.
     *
     * @throws ModelFormatException (an IllegalArgumentException) when the text is not a valid model file of a
     *                              known version, naming the problem and where
     * @throws IOException          when the file cannot be read
     */
    public static LinearModel load(Path file) throws IOException {
        return ModelFormat.load(file);
    }

    /** Reads a model from a reader (not closed); see {@link #load(Path)}. */
    public static LinearModel load(Reader in) throws IOException {
        return ModelFormat.read(in);
    }

    /** Parses a model from JSON text; see {@link #load(Path)}. */
    public static LinearModel fromJson(String json) {
        return ModelFormat.parse(json);
    }

    // ---- value semantics ----

    @Override
    public boolean equals(Object o) {
        return o instanceof LinearModel that && Arrays.equals(theta, that.theta)
                && Double.compare(intercept, that.intercept) == 0 && Objects.equals(names, that.names)
                && Objects.equals(settings, that.settings) && rows == that.rows
                && Objects.equals(diagnostics, that.diagnostics);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(theta) + Objects.hash(intercept, names, settings, rows, diagnostics);
    }

    @Override
    public String toString() {
        return "LinearModel[n=" + theta.length + ", intercept=" + intercept + ", coefficients=" + Arrays.toString(theta)
                + (names == null ? "" : ", features=" + names) + (rows == 0 ? "" : ", rows=" + rows)
                + (settings == null ? "" : ", solver=" + settings.solver())
                + (diagnostics == null ? "" : ", " + diagnostics.stopReason()) + "]";
    }
}
