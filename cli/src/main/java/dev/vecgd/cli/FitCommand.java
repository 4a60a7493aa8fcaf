package dev.vecgd.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vecgd.data.Dataset;
import dev.vecgd.data.RegressionData;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.Layout;
import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.StepSchedule;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vecgd fit}: fits a linear model to a CSV, .npy or raw file. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit a linear least-squares model by batch gradient descent.",
                "FILE is a .csv file with a header row of column names, a .npy file (little-endian float64 '<f8' or"
                        + " float32 '<f4', 2-D, C or Fortran order), or raw little-endian float64 (float32 with --dtype"
                        + " float32) with --rows and --cols.",
                "A float32 .npy file is fitted with X stored as float32 (mapped, half the bytes per pass; all sums in"
                        + " double), chosen from its header; --dtype float32 stores a CSV file's X as float32.",
                "The features are the other columns, in file order. Without --json a readable summary goes to"
                        + " stdout and progress of long fits to stderr."},
        footer = {"", "R² is centered (1 − SSR/Σ(y−ȳ)²) with an intercept and uncentered (1 − SSR/Σy²) with"
                + " --no-intercept.",
                "--json prints one object: intercept, coefficients, features, iterations, converged, stopReason,"
                        + " loss, gradientNorm, r2, rmse, seconds (the fit's wall time, loading excluded), kernel, …,"
                        + " l1, l2, weighted; non-finite numbers as null. With --l1-path: lambdaMax, passes, seconds,"
                        + " features, path (per λ₁: lambda, nonzeros, trainingLoss, passes, converged, intercept,"
                        + " coefficients[, cvError, cvStandardError]), cv.",
                "Exit status: 0 (also at --max-iter, with a warning and \"converged\": false), 2 bad usage or"
                        + " input, 3 diverged, 1 internal failure."})
final class FitCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "the data: .csv, .npy or raw float64")
    Path data;

    @Option(names = "--target", paramLabel = "NAME|INDEX",
            description = "the target column by header name or 0-based index (default: the last column)")
    String target;

    @Option(names = "--target-file", paramLabel = "FILE",
            description = "y from a separate file (one-column .csv with header, or 1-D .npy); all columns of --data are features")
    Path targetFile;

    @Option(names = "--rows", paramLabel = "M", description = "rows of a raw float64 file")
    Long rows;

    @Option(names = "--cols", paramLabel = "N", description = "columns (target included) of a raw float64 file")
    Integer cols;

    @Option(names = "--layout", paramLabel = "row|column", defaultValue = "row",
            description = "layout of a raw float64 file (default: ${DEFAULT-VALUE})")
    String layout;

    @Option(names = "--dtype", paramLabel = "float64|float32",
            description = "how X is stored: float32 rounds each feature value of a CSV file once to the nearest float"
                    + " (half the memory and bytes per pass; a value beyond float32's range is an error, a note tells how"
                    + " many values were rounded; y and every sum stay double; full-batch fits only); for a raw file, its"
                    + " element type. A .npy file's dtype comes from its header. Default: float64")
    String dtype;

    @Option(names = "--no-intercept", description = "fit without an intercept (R² is then uncentered)")
    boolean noIntercept;

    @Option(names = "--solver", paramLabel = "NAME",
            description = "the method: gd (batch gradient descent), momentum (heavy ball), nesterov (accelerated), cg (conjugate gradient, XᵀX never formed) or normal (one pass building XᵀX, then Cholesky)."
                    + " Default: gd; nesterov (FISTA) with --l1 > 0 or --l1-path, which take gd or nesterov only")
    String solver;

    @Option(names = "--precision", paramLabel = "standard|extended", defaultValue = "standard",
            description = "arithmetic: standard (double) or extended (solver normal in double-double: compensated passes, refinement on the exact gradient; needs --solver normal, l2 0, full batch). Default: ${DEFAULT-VALUE}")
    String precision;

    @Option(names = "--learning-rate", paramLabel = "auto|VALUE", defaultValue = "auto",
            description = "step size α: auto (0.9/L by power iteration) or a number > 0. Default: ${DEFAULT-VALUE}")
    String learningRate;

    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "10000",
            description = "iteration budget (>= 0). Default: ${DEFAULT-VALUE}")
    int maxIter;

    @Option(names = "--tol", paramLabel = "X", defaultValue = "1e-10",
            description = "relative gradient-norm tolerance (>= 0). Default: ${DEFAULT-VALUE}")
    double tol;

    @Option(names = "--standardize", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "work on standardized features; coefficients are reported on the original scale (default: on)")
    boolean standardize;

    @Option(names = "--l2", paramLabel = "λ", defaultValue = "0",
            description = "L2 penalty λ >= 0 on the standardized coefficients (with --standardize, the default; on the"
                    + " raw ones with --no-standardize), never on the intercept. Default: ${DEFAULT-VALUE}")
    double l2;

    @Option(names = "--l1", paramLabel = "λ₁", defaultValue = "0",
            description = "L1 penalty λ₁ >= 0 (lasso; with --l2 the elastic net λ₁‖w‖₁ + (λ₂/2)‖w‖²) on the standardized"
                    + " coefficients (on the raw ones with --no-standardize), never on the intercept; fitted by proximal"
                    + " steps: solver nesterov (FISTA, the default with --l1) or gd. scikit-learn's ElasticNet(alpha,"
                    + " l1_ratio) is --l1 alpha·l1_ratio --l2 alpha·(1−l1_ratio) with --no-standardize; Lasso(alpha) is"
                    + " --l1 alpha. Default: ${DEFAULT-VALUE}")
    double l1;

    @Option(names = "--l1-path", description = "fit the lasso / elastic-net regularization path: one fit per λ₁, from"
            + " λ_max (all coefficients 0) down, warm-started; prints λ₁, nonzeros, training loss and passes per λ₁"
            + " (heap data, full batch; --plot draws the coefficients against λ₁)")
    boolean l1Path;

    @Option(names = "--lambdas", paramLabel = "a,b,c", split = ",",
            description = "--l1-path: the λ₁ values (finite, >= 0), fitted in this order; default: 100 values from λ_max"
                    + " down to 1e-4·λ_max (rows > features, else 1e-2·λ_max)")
    List<String> lambdas;

    @Option(names = "--cv", paramLabel = "K", description = "--l1-path: K-fold cross-validation (seeded by --seed):"
            + " mean held-out squared error per λ₁ (with its standard error) and the chosen λ₁ (smallest error, and the largest within one standard error)")
    Integer cv;

    @Option(names = "--weights", paramLabel = "NAME|INDEX",
            description = "sample weights from this column of --data (by header name or 0-based index; not a feature):"
                    + " minimizes Σ w_i r_i² / (2 Σ w_i); finite, >= 0, not all 0 (0 drops a row); a .npy/raw table stays memory-mapped when the target and the weights"
                    + " column are at its ends; --batch-size reads it onto the heap")
    String weights;

    @Option(names = "--weights-file", paramLabel = "FILE",
            description = "sample weights from a separate file, one per row (one-column .csv with header, or 1-D .npy,"
                    + " memory-mapped with mapped data)")
    Path weightsFile;
    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "0",
            description = "rows per mini-batch; 0 = full batch (default); an iteration is then one epoch")
    int batchSize;

    @Option(names = "--variance-reduction", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "mini-batch: variance-reduced (SVRG) steps that converge to the exact solution (default: on);"
                    + " --no-variance-reduction for plain SGD")
    boolean varianceReduction;

    @Option(names = "--schedule", paramLabel = "S", defaultValue = "constant",
            description = "mini-batch step schedule: constant, invscaling[:POWER] (1/(1+t)^POWER, default 0.25) or"
                    + " inverse-time[:T0] (1/(1+t/T0), default 1), t in epochs. Default: ${DEFAULT-VALUE}")
    String schedule;

    @Option(names = "--average", description = "mini-batch: Polyak–Ruppert averaging of the iterates (plain SGD only:"
            + " with --no-variance-reduction)")
    boolean average;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "seed of the mini-batch shuffling. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "0",
            description = "threads for the gradient (>= 0; 0 = automatic: 1 below 8 MiB of X, else all processors)."
                    + " Results are bit-identical for every value. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--json", description = "print exactly one JSON object on stdout (no progress)")
    boolean json;

    @Option(names = "--output", paramLabel = "MODEL.json",
            description = "write the model file (the library's format: LinearModel.load reads it; not written if the fit diverged)")
    Path output;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "write the loss curve (log scale) as a PNG; with"
            + " --l1-path the coefficients (standardized: β_j·σ_j, with --standardize) against λ₁ (log scale)")
    Path plot;

    @Option(names = "--force", description = "overwrite existing --output / --plot files (never an input file)")
    boolean force;

    @Override
    public Integer call() throws UsageException, IOException {
        PrintStream out = main.out;
        PrintStream err = main.err;
        FitOptions.Builder b = options();
        List<Path> inputs = new ArrayList<>();
        inputs.add(data);
        if (targetFile != null) inputs.add(targetFile);
        if (weightsFile != null) inputs.add(weightsFile);
        boolean weighted = weights != null || weightsFile != null;
        if (l1Path && batchSize != 0) {
            throw new UsageException("--l1-path fits full batch: mini-batches (--batch-size " + batchSize + ") are not supported");
        }
        if (weighted && l1Path) throw new UsageException("--weights/--weights-file with --l1-path are not supported yet");
        if (!l1Path && (lambdas != null || cv != null)) throw new UsageException("--lambdas and --cv need --l1-path");
        if (l1Path && output != null) {
            throw new UsageException("--output writes one model; with --l1-path use --json for every λ₁'s coefficients");
        }
        if (output != null) Inputs.requireWritable(output, "--output", force, inputs);
        if (plot != null) {
            Inputs.requireWritable(plot, "--plot", force, inputs);
            if (output != null && Inputs.same(plot, output)) throw new UsageException("--plot and --output are the same file");
        }
        Layout rawLayout = parseLayout(layout);
        long t0 = System.nanoTime();
        // Binary files are memory-mapped where the solver can fit off-heap data (full batch: every solver; weighted
        // float64 data too, when the target and a weights column are at the ends of the table). Paths take heap data.
        boolean mappable = batchSize == 0 && !l1Path;
        FitData.RawShape shape = new FitData.RawShape(rows, cols, rawLayout, parseDtype(dtype));
        try (FitData.Loaded loaded = weighted
                ? FitData.loadWeighted(data, target, targetFile, weights, weightsFile, shape, mappable)
                : FitData.load(data, target, targetFile, shape, mappable)) {
            if (l1Path) {
                return FitPath.run(this, (Dataset) loaded.dataset(), loaded, b, parseLambdas(), out);
            }
            return fit(loaded, b, (System.nanoTime() - t0) / 1e9, out, err);
        }
    }

    private int fit(FitData.Loaded loaded, FitOptions.Builder b, double loadSeconds, PrintStream out, PrintStream err)
            throws UsageException, IOException {
        RegressionData d = loaded.dataset();
        if (loaded.note() != null) err.println(loaded.note());
        Progress progress = null;
        if (!json) {
            out.printf(Locale.ROOT, "vecgd fit: %s (%s), %,d rows × %d features (%s), target %s; loaded in %.2f s%n",
                    data, loaded.format(), d.rowCount(), d.cols(), d.layout() == Layout.ROW_MAJOR ? "row-major" : "column-major",
                    loaded.target(), loadSeconds);
            out.flush();
            progress = Progress.forStderr(err, main.systemErr, maxIter, d.featureBytes() + 8.0 * d.rowCount());
            b.listener(progress);
        }
        FitResult r;
        try {
            FitOptions o = b.build();
            if (!loaded.weighted()) r = LinearRegression.fit(d, o);
            else if (d instanceof Dataset heap) r = LinearRegression.fit(heap, loaded.weights(), o);
            else if (loaded.mappedWeights() != null) r = LinearRegression.fit((SegmentDataset) d, loaded.mappedWeights(), o);
            else r = LinearRegression.fit((SegmentDataset) d, loaded.weights(), o);
        } catch (IllegalArgumentException e) { // non-finite values in X or y (named by row and column), bad weights
            String what = loaded.weighted() && e.getMessage().contains("weight") ? (weights != null ? "--weights " + weights
                    : "--weights-file " + weightsFile) : data.toString();
            throw new UsageException(what + ": " + e.getMessage() + " (rows and columns counted from 0)");
        } finally {
            if (progress != null) progress.finish();
        }
        ObjectNode model = ModelJson.of(r, !noIntercept, loaded.features());
        model.put("l1", l1);
        model.put("l2", l2);
        model.put("weighted", loaded.weighted());
        if (json) {
            out.println(ModelJson.toJson(model, false));
        } else {
            summary(out, r, loaded);
        }
        out.flush();
        if (output != null && r.stopReason() != dev.vecgd.solver.StopReason.DIVERGED) {
            ModelJson.save(output, r, loaded.features());
            if (!json) out.println("model written to " + output);
        }
        if (plot != null) {
            LossPlot.write(plot, r, "vecgd fit: " + data.getFileName() + " (" + r.stopReason() + ")");
            if (!json) out.println("loss curve written to " + plot);
        }
        out.flush();
        return Main.finish(r, err);
    }

    private FitOptions.Builder options() throws UsageException {
        FitOptions.Builder b = FitOptions.builder();
        if (solver != null) Solvers.apply(solver, b);
        if (learningRate.strip().equalsIgnoreCase("auto")) {
            b.autoLearningRate();
        } else {
            double a = number("--learning-rate", learningRate, "auto or a number > 0");
            if (!(a > 0) || !Double.isFinite(a)) throw new UsageException("--learning-rate must be auto or a finite number > 0, got " + learningRate);
            b.learningRate(a);
        }
        if (maxIter < 0) throw new UsageException("--max-iter must be >= 0, got " + maxIter);
        if (!(tol >= 0) || !Double.isFinite(tol)) throw new UsageException("--tol must be finite and >= 0, got " + tol);
        if (!(l2 >= 0) || !Double.isFinite(l2)) throw new UsageException("--l2 must be finite and >= 0, got " + l2);
        if (!(l1 >= 0) || !Double.isFinite(l1)) throw new UsageException("--l1 must be finite and >= 0, got " + l1);
        if (l1Path && l1 != 0) throw new UsageException("--l1 and --l1-path: the path sets λ₁ itself (give the values with --lambdas)");
        if (cv != null && cv < 2) throw new UsageException("--cv must be >= 2 folds, got " + cv);
        if (batchSize < 0) throw new UsageException("--batch-size must be >= 0 (0 = full batch), got " + batchSize);
        if (threads < 0 || threads > FitOptions.Builder.MAX_THREADS) {
            throw new UsageException("--threads must be between 0 (automatic) and " + FitOptions.Builder.MAX_THREADS + ", got " + threads);
        }
        if (average && varianceReduction) {
            throw new UsageException("--average is for plain SGD: add --no-variance-reduction (variance-reduced steps"
                    + " converge without averaging)");
        }
        b.varianceReduction(varianceReduction).schedule(parseSchedule(schedule)).averaging(average);
        dev.vecgd.solver.Precision p;
        try {
            p = dev.vecgd.solver.Precision.parse(precision.strip());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--precision must be standard or extended, got '" + precision + "'");
        }
        if (p == dev.vecgd.solver.Precision.EXTENDED && (solver == null || !solver.strip().equalsIgnoreCase("normal") || l2 != 0 || batchSize != 0)) {
            throw new UsageException("--precision extended needs --solver normal, --l2 0 and full batch (--batch-size 0);"
                    + " got --solver " + solver + ", --l2 " + l2 + ", --batch-size " + batchSize);
        }
        b.precision(p);
        if (rows != null && rows < 1) throw new UsageException("--rows must be >= 1, got " + rows);
        if (cols != null && cols < 1) throw new UsageException("--cols must be >= 1, got " + cols);
        b.intercept(!noIntercept).standardize(standardize).maxIterations(maxIter).gradientTolerance(tol)
                .l2(l2).l1(l1).batchSize(batchSize).seed(seed).threads(threads);
        try {
            b.build(); // the library's checks of the combination (e.g. --l1 with a solver that has no L1 step)
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return b;
    }

    /** The values of --lambdas, or null for the default grid. */
    private double[] parseLambdas() throws UsageException {
        if (lambdas == null) return null;
        double[] v = new double[lambdas.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = number("--lambdas", lambdas.get(k), "comma-separated numbers >= 0");
            if (!(v[k] >= 0) || !Double.isFinite(v[k])) {
                throw new UsageException("--lambdas value " + (k + 1) + " must be finite and >= 0, got " + lambdas.get(k));
            }
        }
        if (v.length == 0) throw new UsageException("--lambdas needs at least one value");
        return v;
    }

    static StepSchedule parseSchedule(String s) throws UsageException {
        String v = s.strip().toLowerCase(Locale.ROOT);
        int colon = v.indexOf(':');
        String kind = colon < 0 ? v : v.substring(0, colon);
        try {
            Double param = colon < 0 ? null : Double.parseDouble(v.substring(colon + 1));
            return switch (kind) {
                case "constant" -> {
                    if (param != null) throw new IllegalArgumentException("constant takes no parameter");
                    yield StepSchedule.constant();
                }
                case "invscaling" -> StepSchedule.inverseScaling(param == null ? 0.25 : param);
                case "inverse-time" -> StepSchedule.inverseTime(param == null ? 1 : param);
                default -> throw new IllegalArgumentException("unknown schedule " + kind);
            };
        } catch (IllegalArgumentException e) {
            throw new UsageException("--schedule must be constant, invscaling[:POWER] or inverse-time[:T0], got " + s
                    + " (" + e.getMessage() + ")");
        }
    }

    /** The --dtype value (null when not given). */
    static dev.vecgd.kernel.ElementType parseDtype(String s) throws UsageException {
        if (s == null) return null;
        try {
            return dev.vecgd.kernel.ElementType.parse(s);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--dtype must be float64 or float32, got '" + s + "'");
        }
    }

    static Layout parseLayout(String s) throws UsageException {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "row" -> Layout.ROW_MAJOR;
            case "column", "col" -> Layout.COLUMN_MAJOR;
            default -> throw new UsageException("--layout must be row or column, got '" + s + "'");
        };
    }

    static double number(String flag, String v, String expected) throws UsageException {
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " expects " + expected + ", got '" + v + "'");
        }
    }

    /** "± 0.000407", or "n/a" where the fit has no standard error (diagnostics off, a constant column, or m ≤ p). */
    private static String standardError(double se) {
        return Double.isFinite(se) ? String.format(Locale.ROOT, "± %.3g", se) : "n/a";
    }

    private void summary(PrintStream out, FitResult r, FitData.Loaded loaded) {
        out.printf(Locale.ROOT, "stop: %s after %d iterations — %s%n", r.stopReason(), r.iterations(), r.message());
        String rate = Double.isNaN(r.learningRate()) ? "no learning rate"
                : String.format(Locale.ROOT, "α = %.4g (%s)", r.learningRate(), learningRate.equalsIgnoreCase("auto") ? "auto" : "fixed");
        out.printf(Locale.ROOT, "solver %s, %s, standardize %s, intercept %s, l2 %s%s%s%s%n", r.optimizer(),
                rate, standardize ? "on" : "off", noIntercept ? "off" : "on", l2, l1 > 0 ? ", l1 " + l1 : "",
                loaded.weighted() ? ", sample weights" : "", batchSize > 0 ? ", batch " + batchSize : "");
        if (r.hasWarning()) out.println("warning: " + r.warning());
        int[] constant = r.constantColumns();
        if (constant.length > 0) {
            List<String> all = loaded.features();
            StringBuilder b = new StringBuilder();
            for (int j : constant) b.append(b.length() > 0 ? ", " : "").append(j < all.size() ? all.get(j) : "x" + j);
            out.println("constant columns (coefficient 0" + (noIntercept ? "" : ", absorbed by the intercept") + "): " + b);
        }
        out.println();
        int w = 12;
        for (String f : loaded.features()) w = Math.max(w, Math.min(f.length(), 40));
        String fmt = "  %-" + w + "s %20.12g   %s%n";
        out.printf(Locale.ROOT, "  %-" + w + "s %20s   %s%n", "", "estimate", "standard error");
        if (!noIntercept) out.printf(Locale.ROOT, fmt, "(intercept)", r.intercept(), standardError(r.interceptStandardError()));
        List<String> names = loaded.features();
        double[] se = r.standardErrors();
        for (int j = 0; j < names.size(); j++) out.printf(Locale.ROOT, fmt, names.get(j), r.coefficient(j), standardError(se[j]));
        out.println();
        out.printf(Locale.ROOT, "loss %.6e, |grad| %.3e, R² %.8f (%s), RMSE %.6g, residual std %.6g%n", r.loss(),
                r.gradientNorm(), r.r2(), noIntercept ? "uncentered: no intercept" : "centered", r.rmse(), r.residualStd());
        double gb = r.passes() * (double) loaded.dataset().featureBytes() / 1e9;
        out.printf(Locale.ROOT, "time %.3f s, %d passes over X (%s, %.2f GB, %.2f GB/s); kernels: %s%n", r.wallTimeSeconds(),
                r.passes(), loaded.elementType().dtypeName(), gb, gb / Math.max(r.wallTimeSeconds(), 1e-9), r.implementation());
    }
}
