package dev.vecgd.model;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The model file format: UTF-8 JSON, written and parsed by vecgd itself (no dependency), versioned, and exact —
 * every double, including −0.0, subnormals and the largest values, reads back to the same bits. Specified in
 * {@code docs/model-format.md}; version {@value #VERSION}:
 * <pre>
 * {
 *   "format": "vecgd-linear-model",
 *   "version": 1,
 *   "features": 3,                            n
 *   "featureNames": ["x1", "x2", "x3"],       or null (unknown)
 *   "intercept": 2.5,                         0 for a model without intercept
 *   "coefficients": [1.0, -1.25, 1.5],        n finite numbers
 *   "rows": 100000,                           training rows m, 0 = unknown
 *   "options": {...},                         FitSettings, or null
 *   "diagnostics": {...}                      FitDiagnostics, or null
 * }
 * </pre>
 * Numbers are written by {@link Double#toString(double)} (the shortest decimal that reads back to the same
 * double) and read by {@link Double#parseDouble}; NaN and ±∞, which JSON has no number for, are the strings
 * {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}; an automatic learning rate is {@code "auto"}.
 *
 * <p>Reading is strict: the JSON grammar of {@link Json}, every key of the version present, no other key, each
 * of the right type and range; a number outside the double range (or one that would read as 0 although its
 * digits are not) is rejected; a {@code version} other than {@value #VERSION} fails with a message saying
 * which versions this vecgd reads. Every failure is a {@link ModelFormatException} naming the field.
 */
public final class ModelFormat {

    /** The value of the {@code "format"} key. */
    public static final String FORMAT = "vecgd-linear-model";
    /** The version this code writes and reads. */
    public static final int VERSION = 1;

    private static final List<String> KEYS = List.of("format", "version", "features", "featureNames", "intercept",
            "coefficients", "rows", "options", "diagnostics");
    private static final List<String> OPTION_KEYS = List.of("solver", "intercept", "standardize", "l2", "learningRate",
            "maxIterations", "gradientTolerance", "lossChangeTolerance", "batchSize", "seed", "diagnostics");
    private static final List<String> DIAGNOSTIC_KEYS = List.of("stopReason", "converged", "message", "iterations",
            "passes", "loss", "gradientNorm", "relativeGradient", "learningRate", "r2", "rmse", "residualStd",
            "standardErrors", "interceptStandardError", "conditionNumber", "warning", "constantColumns", "optimizer",
            "implementation");

    private ModelFormat() {
    }

    // ---- writing ----

    /** The JSON text of a model (pretty-printed, ending with a newline). */
    public static String write(LinearModel model) {
        Objects.requireNonNull(model, "model is null");
        StringBuilder b = new StringBuilder(256 + 32 * model.features());
        b.append("{\n");
        field(b, 1, "format", Json.quote(FORMAT), false);
        field(b, 1, "version", Integer.toString(VERSION), false);
        field(b, 1, "features", Integer.toString(model.features()), false);
        field(b, 1, "featureNames", model.featureNames().map(ModelFormat::strings).orElse("null"), false);
        field(b, 1, "intercept", number(model.intercept()), false);
        field(b, 1, "coefficients", numbers(model.coefficients()), false);
        field(b, 1, "rows", Long.toString(model.rows()), false);
        field(b, 1, "options", model.options().map(ModelFormat::options).orElse("null"), false);
        field(b, 1, "diagnostics", model.diagnostics().map(ModelFormat::diagnostics).orElse("null"), true);
        return b.append("}\n").toString();
    }

    /** Writes {@link #write(LinearModel)} to a file (UTF-8), replacing it. */
    public static void save(LinearModel model, Path file) throws IOException {
        Objects.requireNonNull(file, "file is null");
        Files.writeString(file, write(model), StandardCharsets.UTF_8);
    }

    private static String options(FitSettings o) {
        StringBuilder b = new StringBuilder("{\n");
        field(b, 2, "solver", Json.quote(o.solver()), false);
        field(b, 2, "intercept", Boolean.toString(o.intercept()), false);
        field(b, 2, "standardize", Boolean.toString(o.standardize()), false);
        field(b, 2, "l2", number(o.l2()), false);
        if (o.l1() != 0) field(b, 2, "l1", number(o.l1()), false); // optional: files without L1 are unchanged
        field(b, 2, "learningRate", o.autoLearningRate() ? "\"auto\"" : number(o.learningRate()), false);
        field(b, 2, "maxIterations", Integer.toString(o.maxIterations()), false);
        field(b, 2, "gradientTolerance", number(o.gradientTolerance()), false);
        field(b, 2, "lossChangeTolerance", number(o.lossChangeTolerance()), false);
        field(b, 2, "batchSize", Integer.toString(o.batchSize()), false);
        field(b, 2, "seed", Long.toString(o.seed()), false);
        field(b, 2, "diagnostics", Boolean.toString(o.diagnostics()), true);
        return b.append("  }").toString();
    }

    private static String diagnostics(FitDiagnostics d) {
        StringBuilder b = new StringBuilder("{\n");
        field(b, 2, "stopReason", Json.quote(d.stopReason()), false);
        field(b, 2, "converged", Boolean.toString(d.converged()), false);
        field(b, 2, "message", Json.quote(d.message()), false);
        field(b, 2, "iterations", Integer.toString(d.iterations()), false);
        field(b, 2, "passes", Long.toString(d.passes()), false);
        field(b, 2, "loss", number(d.loss()), false);
        field(b, 2, "gradientNorm", number(d.gradientNorm()), false);
        field(b, 2, "relativeGradient", number(d.relativeGradient()), false);
        field(b, 2, "learningRate", number(d.learningRate()), false);
        field(b, 2, "r2", number(d.r2()), false);
        field(b, 2, "rmse", number(d.rmse()), false);
        field(b, 2, "residualStd", number(d.residualStd()), false);
        field(b, 2, "standardErrors", numbers(d.standardErrors()), false);
        field(b, 2, "interceptStandardError", number(d.interceptStandardError()), false);
        field(b, 2, "conditionNumber", number(d.conditionNumber()), false);
        field(b, 2, "warning", Json.quote(d.warning()), false);
        StringBuilder c = new StringBuilder("[");
        int[] cc = d.constantColumns();
        for (int i = 0; i < cc.length; i++) c.append(i == 0 ? "" : ", ").append(cc[i]);
        field(b, 2, "constantColumns", c.append(']').toString(), false);
        field(b, 2, "optimizer", Json.quote(d.optimizer()), false);
        field(b, 2, "implementation", Json.quote(d.implementation()), true);
        return b.append("  }").toString();
    }

    private static void field(StringBuilder b, int indent, String key, String value, boolean last) {
        b.append("  ".repeat(indent)).append(Json.quote(key)).append(": ").append(value).append(last ? "\n" : ",\n");
    }

    /** A double as JSON: the shortest round-trip decimal, or "NaN" / "Infinity" / "-Infinity" as strings. */
    static String number(double v) {
        if (Double.isNaN(v)) return "\"NaN\"";
        if (Double.isInfinite(v)) return v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
        return Double.toString(v);
    }

    private static String numbers(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ", ").append(number(v[i]));
        return b.append(']').toString();
    }

    private static String strings(List<String> v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.size(); i++) b.append(i == 0 ? "" : ", ").append(Json.quote(v.get(i)));
        return b.append(']').toString();
    }

    // ---- reading ----

    /** Reads a model file; see the class comment for what is rejected. */
    public static LinearModel load(Path file) throws IOException {
        Objects.requireNonNull(file, "file is null");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ModelFormatException(file + ": not a model file: the bytes are not UTF-8 text");
        }
        try {
            return parse(text);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(file + ": " + e.getMessage());
        }
    }

    /** Reads a model from a reader (not closed). */
    public static LinearModel read(Reader in) throws IOException {
        Objects.requireNonNull(in, "reader is null");
        StringWriter w = new StringWriter();
        in.transferTo(w);
        return parse(w.toString());
    }

    /** Parses a model from its JSON text. */
    public static LinearModel parse(String text) {
        Objects.requireNonNull(text, "text is null");
        Object root = Json.parse(text);
        if (!(root instanceof Map<?, ?> top)) throw new ModelFormatException("not a vecgd model: the JSON is not an object");
        Object format = top.get("format");
        if (format == null) {
            throw new ModelFormatException("not a vecgd model: no \"format\" key (expected \"format\": \"" + FORMAT + "\")");
        }
        if (!FORMAT.equals(format)) {
            throw new ModelFormatException("not a vecgd model: \"format\" is " + show(format) + ", expected \"" + FORMAT + "\"");
        }
        Object version = top.get("version");
        if (version == null) throw new ModelFormatException("no \"version\" key");
        long v = integer("version", version, 0, Integer.MAX_VALUE);
        if (v != VERSION) {
            throw new ModelFormatException("unsupported model format version " + v + ": this vecgd reads version "
                    + VERSION + (v > VERSION ? " (the file was written by a newer vecgd; upgrade to read it)" : ""));
        }
        Map<String, Object> m = fields("the model", top, KEYS);
        int n = (int) integer("features", m.get("features"), 0, Integer.MAX_VALUE - 8);
        double[] theta = doubles("coefficients", m.get("coefficients"));
        if (theta.length != n) {
            throw new ModelFormatException("\"coefficients\" has " + theta.length + " numbers, \"features\" says " + n);
        }
        for (int j = 0; j < n; j++) {
            if (!Double.isFinite(theta[j])) throw new ModelFormatException("coefficient " + j + " is " + theta[j] + " (must be finite)");
        }
        double intercept = dbl("intercept", m.get("intercept"));
        if (!Double.isFinite(intercept)) throw new ModelFormatException("\"intercept\" is " + intercept + " (must be finite)");
        List<String> names = m.get("featureNames") == Json.NULL ? null : stringList("featureNames", m.get("featureNames"));
        long rows = integer("rows", m.get("rows"), 0, Long.MAX_VALUE);
        FitSettings settings = m.get("options") == Json.NULL ? null : settings(m.get("options"));
        FitDiagnostics diag = m.get("diagnostics") == Json.NULL ? null : diagnostics(m.get("diagnostics"));
        try {
            return LinearModel.of(theta, intercept, names, settings, rows, diag);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("inconsistent model: " + e.getMessage());
        }
    }

    private static FitSettings settings(Object o) {
        Map<String, Object> m = fields("\"options\"", o, OPTION_KEYS, Set.of("l1"));
        Object lr = m.get("learningRate");
        double alpha = "auto".equals(lr) ? Double.NaN : dbl("options.learningRate", lr);
        if (Double.isNaN(alpha) && !"auto".equals(lr)) throw new ModelFormatException("options.learningRate is NaN; write \"auto\"");
        try {
            return new FitSettings(string("options.solver", m.get("solver")), bool("options.intercept", m.get("intercept")),
                    bool("options.standardize", m.get("standardize")), dbl("options.l2", m.get("l2")),
                    m.containsKey("l1") ? dbl("options.l1", m.get("l1")) : 0, alpha,
                    (int) integer("options.maxIterations", m.get("maxIterations"), 0, Integer.MAX_VALUE),
                    dbl("options.gradientTolerance", m.get("gradientTolerance")),
                    dbl("options.lossChangeTolerance", m.get("lossChangeTolerance")),
                    (int) integer("options.batchSize", m.get("batchSize"), 0, Integer.MAX_VALUE),
                    integer("options.seed", m.get("seed"), Long.MIN_VALUE, Long.MAX_VALUE),
                    bool("options.diagnostics", m.get("diagnostics")));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("bad \"options\": " + e.getMessage());
        }
    }

    private static FitDiagnostics diagnostics(Object o) {
        Map<String, Object> m = fields("\"diagnostics\"", o, DIAGNOSTIC_KEYS);
        List<Object> cc = list("diagnostics.constantColumns", m.get("constantColumns"));
        int[] constant = new int[cc.size()];
        for (int i = 0; i < constant.length; i++) {
            constant[i] = (int) integer("diagnostics.constantColumns[" + i + "]", cc.get(i), 0, Integer.MAX_VALUE);
        }
        try {
            return new FitDiagnostics(string("diagnostics.stopReason", m.get("stopReason")),
                    bool("diagnostics.converged", m.get("converged")), string("diagnostics.message", m.get("message")),
                    (int) integer("diagnostics.iterations", m.get("iterations"), 0, Integer.MAX_VALUE),
                    integer("diagnostics.passes", m.get("passes"), 0, Long.MAX_VALUE),
                    dbl("diagnostics.loss", m.get("loss")), dbl("diagnostics.gradientNorm", m.get("gradientNorm")),
                    dbl("diagnostics.relativeGradient", m.get("relativeGradient")),
                    dbl("diagnostics.learningRate", m.get("learningRate")), dbl("diagnostics.r2", m.get("r2")),
                    dbl("diagnostics.rmse", m.get("rmse")), dbl("diagnostics.residualStd", m.get("residualStd")),
                    doubles("diagnostics.standardErrors", m.get("standardErrors")),
                    dbl("diagnostics.interceptStandardError", m.get("interceptStandardError")),
                    dbl("diagnostics.conditionNumber", m.get("conditionNumber")),
                    string("diagnostics.warning", m.get("warning")), constant,
                    string("diagnostics.optimizer", m.get("optimizer")),
                    string("diagnostics.implementation", m.get("implementation")));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("bad \"diagnostics\": " + e.getMessage());
        }
    }

    /** The object's fields, exactly the given keys (missing or extra keys fail, naming them). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> fields(String what, Object o, List<String> keys) {
        return fields(what, o, keys, Set.of());
    }

    /** {@link #fields(String, Object, List)} where the keys of {@code optional} may also appear. */
    private static Map<String, Object> fields(String what, Object o, List<String> keys, Set<String> optional) {
        if (!(o instanceof Map<?, ?> map)) throw new ModelFormatException(what + " must be a JSON object, got " + show(o));
        for (String k : keys) {
            if (!map.containsKey(k)) throw new ModelFormatException("missing key \"" + k + "\" in " + what);
        }
        Set<String> known = new java.util.HashSet<>(keys);
        known.addAll(optional);
        for (Object k : map.keySet()) {
            if (!known.contains(k)) throw new ModelFormatException("unknown key \"" + k + "\" in " + what + " (version " + VERSION + " has " + keys + ")");
        }
        return (Map<String, Object>) map;
    }

    private static double dbl(String key, Object o) {
        if (o instanceof String s) {
            return switch (s) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw new ModelFormatException("\"" + key + "\" must be a number, \"NaN\", \"Infinity\" or \"-Infinity\", got " + show(o));
            };
        }
        if (!(o instanceof Json.Number num)) throw new ModelFormatException("\"" + key + "\" must be a number, got " + show(o));
        String t = num.text();
        double v = Double.parseDouble(t); // the JSON grammar is a subset of parseDouble's
        if (Double.isInfinite(v)) throw new ModelFormatException("\"" + key + "\" = " + t + " is outside the double range");
        if (v == 0 && mantissaHasNonZeroDigit(t)) {
            throw new ModelFormatException("\"" + key + "\" = " + t + " is below the smallest double (it would read as 0)");
        }
        return v;
    }

    private static boolean mantissaHasNonZeroDigit(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == 'e' || c == 'E') return false;
            if (c >= '1' && c <= '9') return true;
        }
        return false;
    }

    private static long integer(String key, Object o, long min, long max) {
        if (!(o instanceof Json.Number num)) throw new ModelFormatException("\"" + key + "\" must be an integer, got " + show(o));
        String t = num.text();
        long v;
        try {
            v = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new ModelFormatException("\"" + key + "\" must be an integer (no fraction or exponent) within the long range, got " + t);
        }
        if (v < min || v > max) throw new ModelFormatException("\"" + key + "\" = " + v + " is out of range [" + min + ", " + max + "]");
        return v;
    }

    private static boolean bool(String key, Object o) {
        if (!(o instanceof Boolean b)) throw new ModelFormatException("\"" + key + "\" must be true or false, got " + show(o));
        return b;
    }

    private static String string(String key, Object o) {
        if (!(o instanceof String s)) throw new ModelFormatException("\"" + key + "\" must be a string, got " + show(o));
        return s;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(String key, Object o) {
        if (!(o instanceof List<?> l)) throw new ModelFormatException("\"" + key + "\" must be an array, got " + show(o));
        return (List<Object>) l;
    }

    private static double[] doubles(String key, Object o) {
        List<Object> l = list(key, o);
        double[] v = new double[l.size()];
        for (int i = 0; i < v.length; i++) v[i] = dbl(key + "[" + i + "]", l.get(i));
        return v;
    }

    private static List<String> stringList(String key, Object o) {
        List<Object> l = list(key, o);
        List<String> v = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) v.add(string(key + "[" + i + "]", l.get(i)));
        return v;
    }

    private static String show(Object o) {
        if (o == null) return "nothing";
        if (o instanceof String s) return s.length() > 40 ? Json.quote(s.substring(0, 40)) + "…" : Json.quote(s);
        if (o instanceof Map) return "an object";
        if (o instanceof List) return "an array";
        return String.valueOf(o);
    }
}
