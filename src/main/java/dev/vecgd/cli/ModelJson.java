package dev.vecgd.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vecgd.solver.FitResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of a fitted model (written by {@code fit --json} and {@code fit --output}, read by
 * {@code predict}), with Jackson. Non-finite numbers are written as {@code null}.
 *
 * <p>Keys, in order: intercept (null without an intercept), coefficients, features, iterations,
 * converged, stopReason, loss, gradientNorm, r2 (uncentered when there is no intercept), rmse,
 * seconds, kernel; then solver, residualStd, standardErrors (one per coefficient),
 * interceptStandardError (null without an intercept), conditionNumber (an estimate of κ of the
 * standardized problem), warning (null when there is none) and constantColumns (the names of the constant
 * feature columns, whose coefficient is 0).
 */
final class ModelJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** The keys of the fit JSON, in order (a contract: see issue 6 and the README). */
    static final List<String> KEYS = List.of("intercept", "coefficients", "features", "iterations", "converged",
            "stopReason", "loss", "gradientNorm", "r2", "rmse", "seconds", "kernel", "solver", "residualStd",
            "standardErrors", "interceptStandardError", "conditionNumber", "warning", "constantColumns");

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

    /** Reads a model: "coefficients" (numbers), optional "intercept" (number or null = 0), optional "features". */
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
