package dev.vecgd.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vecgd.model.LinearModel;
import dev.vecgd.model.ModelFormatException;
import dev.vecgd.solver.FitResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of a fit printed by {@code fit --json}, with Jackson (non-finite numbers are written as {@code null}),
 * and the model files of {@code fit --output} / {@code predict --model}: those are the library's own format
 * ({@link LinearModel#save}, {@link dev.vecgd.model.ModelFormat}), so a model written here loads in the library
 * and vice versa. {@code predict} still reads the older files (the {@code fit --json} object that
 * {@code fit --output} wrote before issue 18, and the coefficients JSON of {@code generate}).
 *
 * <p>Keys, in order: intercept (null without an intercept), coefficients, features, iterations,
 * converged, stopReason, loss, gradientNorm, r2 (uncentered when there is no intercept), rmse,
 * seconds, kernel; then solver, residualStd, standardErrors (one per coefficient),
 * interceptStandardError (null without an intercept), conditionNumber (an estimate of κ of the
 * standardized problem), warning (null when there is none) and constantColumns (the names of the constant
 * feature columns, whose coefficient is 0); {@code fit} adds l1, l2 (the penalties) and weighted (true with sample
 * weights).
 */
final class ModelJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** The keys of the fit JSON, in order (a contract: see issue 6 and the README). */
    static final List<String> KEYS = List.of("intercept", "coefficients", "features", "iterations", "converged",
            "stopReason", "loss", "gradientNorm", "r2", "rmse", "seconds", "kernel", "solver", "residualStd",
            "standardErrors", "interceptStandardError", "conditionNumber", "warning", "constantColumns", "l1", "l2", "weighted");

    /** A model to predict with. */
    record Model(double intercept, double[] coefficients, List<String> features) {
    }

    private ModelJson() {
    }

    static ObjectNode of(FitResult r, boolean intercept, List<String> features) {
        ObjectNode o = MAPPER.createObjectNode();
        if (intercept) number(o, "intercept", r.intercept());
        else o.putNull("intercept");
        ArrayNode c = o.putArray("coefficients");
        for (double v : r.coefficients()) {
            if (Double.isFinite(v)) c.add(v);
            else c.addNull();
        }
        ArrayNode f = o.putArray("features");
        features.forEach(f::add);
        o.put("iterations", r.iterations());
        o.put("converged", r.converged());
        o.put("stopReason", r.stopReason().name());
        number(o, "loss", r.loss());
        number(o, "gradientNorm", r.gradientNorm());
        number(o, "r2", r.r2());
        number(o, "rmse", r.rmse());
        number(o, "seconds", r.wallTimeSeconds());
        o.put("kernel", r.implementation());
        o.put("solver", r.optimizer());
        number(o, "residualStd", r.residualStd());
        ArrayNode se = o.putArray("standardErrors");
        for (double v : r.standardErrors()) {
            if (Double.isFinite(v)) se.add(v);
            else se.addNull();
        }
        if (intercept) number(o, "interceptStandardError", r.interceptStandardError());
        else o.putNull("interceptStandardError");
        number(o, "conditionNumber", r.conditionNumber());
        if (r.hasWarning()) o.put("warning", r.warning());
        else o.putNull("warning");
        ArrayNode constant = o.putArray("constantColumns");
        for (int j : r.constantColumns()) constant.add(j < features.size() ? features.get(j) : "x" + j);
        return o;
    }

    static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else o.putNull(key);
    }

    static String toJson(JsonNode node, boolean pretty) {
        try {
            return pretty ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) : MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void write(Path file, JsonNode node) throws IOException {
        Files.writeString(file, toJson(node, true) + System.lineSeparator());
    }

    /** Writes the model file of a fit: {@link FitResult#model()} with the feature names, in the library's format. */
    static void save(Path file, FitResult r, List<String> features) throws IOException, UsageException {
        LinearModel model;
        try {
            model = r.model().withFeatureNames(features);
        } catch (IllegalArgumentException e) { // e.g. a CSV header naming a column twice
            throw new UsageException("cannot write " + file + ": " + e.getMessage());
        }
        model.save(file);
    }

    /**
     * Reads a model: a library model file ({@link LinearModel#load}), or an older file — "coefficients" (numbers),
     * optional "intercept" (number or null = 0), optional "features".
     */
    static Model read(Path file) throws UsageException {
        Inputs.requireReadable(file);
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new UsageException(file + ": not a valid JSON model: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new UsageException(file + ": not a JSON object");
        if (root.has("format")) {
            try {
                LinearModel m = LinearModel.load(file);
                return new Model(m.intercept(), m.coefficients(),
                        m.featureNames().orElseGet(() -> Table.defaultNames(m.features())));
            } catch (ModelFormatException e) {
                throw new UsageException(e.getMessage());
            } catch (IOException e) {
                throw new UsageException(file + ": cannot read: " + e.getMessage());
            }
        }
        JsonNode c = root.get("coefficients");
        if (c == null || !c.isArray()) throw new UsageException(file + ": no \"coefficients\" array");
        double[] theta = new double[c.size()];
        for (int j = 0; j < theta.length; j++) {
            if (!c.get(j).isNumber()) throw new UsageException(file + ": coefficient " + j + " is not a number: " + c.get(j));
            theta[j] = c.get(j).asDouble();
        }
        JsonNode b = root.get("intercept");
        double intercept = 0;
        if (b != null && !b.isNull()) {
            if (!b.isNumber()) throw new UsageException(file + ": \"intercept\" is not a number: " + b);
            intercept = b.asDouble();
        }
        List<String> names = new ArrayList<>();
        JsonNode f = root.get("features");
        if (f != null && f.isArray()) {
            for (JsonNode n : f) names.add(n.asText());
            if (names.size() != theta.length) {
                throw new UsageException(file + ": " + names.size() + " feature names for " + theta.length + " coefficients");
            }
        } else {
            names.addAll(Table.defaultNames(theta.length));
        }
        return new Model(intercept, theta, names);
    }
}
