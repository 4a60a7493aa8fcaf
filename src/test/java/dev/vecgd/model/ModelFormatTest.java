package dev.vecgd.model;

import dev.vecgd.data.Dataset;
import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.LinearRegression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@link ModelFormat}: exact round trips, the documented example, strict rejection, and a fuzz test. */
class ModelFormatTest {

    @TempDir
    Path dir;

    static LinearModel fitted() {
        int m = 200;
        double[] x = LinearModelTest.rows(m, 11);
        double[] y = LinearModelTest.exactAll(x, m, LinearModelTest.THETA, LinearModelTest.B);
        for (int i = 0; i < m; i++) y[i] += Math.sin(i) * 0.1;
        return LinearRegression.fit(Dataset.rowMajor(x, m, 4, y), FitOptions.builder().l2(0.01).learningRate(0.3).build())
                .model().withFeatureNames(List.of("area", "rooms \"big\"", "âge\n", "x\\4"));
    }

    @Test
    void aFittedModelRoundTripsThroughTextFileAndStreams() throws IOException {
        LinearModel model = fitted();
        assertTrue(model.diagnostics().isPresent() && model.options().isPresent());
        assertEquals(model, LinearModel.fromJson(model.toJson()));
        Path f = dir.resolve("m.json");
        model.save(f);
        LinearModel back = LinearModel.load(f);
        assertEquals(model, back);
        assertEquals(model.hashCode(), back.hashCode());
        StringWriter w = new StringWriter();
        model.save(w);
        assertEquals(model, LinearModel.load(new StringReader(w.toString())));
        // the automatic rate is written as "auto" and comes back as NaN
        LinearModel auto = LinearRegression.fit(Dataset.rowMajor(new double[] {1, 2, 3, 4}, 4, 1, new double[] {1, 3, 5, 7})).model();
        assertTrue(auto.toJson().contains("\"learningRate\": \"auto\""), auto.toJson());
        assertEquals(auto, LinearModel.fromJson(auto.toJson()));
        assertTrue(LinearModel.fromJson(auto.toJson()).options().orElseThrow().autoLearningRate());
        // nothing known but the numbers
        LinearModel bare = LinearModel.of(new double[] {1, 2}, 3);
        assertEquals(bare, LinearModel.fromJson(bare.toJson()));
    }

    @Test
    void everyDoubleRoundTripsBitForBit() {
        double[] special = {-0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
                Double.MAX_VALUE, -Double.MAX_VALUE, 1e-310, 0.1, 1.0 / 3, Math.PI, 1e22, 1e23, 9007199254740993.0, 5e-324,
                2.2250738585072012e-308, 4.9406564584124654e-324};
        check(special);
        SplittableRandom r = new SplittableRandom(5);
        for (int round = 0; round < 20; round++) {
            double[] v = new double[500];
            for (int i = 0; i < v.length; i++) {
                double d;
                do {
                    d = Double.longBitsToDouble(r.nextLong()); // uniform over bit patterns: every exponent, subnormals
                } while (!Double.isFinite(d));
                v[i] = d;
            }
            check(v);
        }
        // non-finite diagnostics (NaN standard errors, infinite κ) round-trip as strings
        FitDiagnostics d = new FitDiagnostics("MAX_ITERATIONS", false, "m", 3, 4, 1.5, 2, 3, Double.NaN, -0.0,
                Double.MIN_VALUE, Double.NaN, new double[] {Double.NaN, Double.POSITIVE_INFINITY}, Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY, "", new int[] {1}, "gd", "scalar");
        LinearModel m = LinearModel.of(new double[] {-0.0, 5e-324}, -0.0, null, null, 0, d);
        String json = m.toJson();
        assertTrue(json.contains("\"NaN\"") && json.contains("\"Infinity\"") && json.contains("\"-Infinity\""), json);
        LinearModel back = LinearModel.fromJson(json);
        assertEquals(m, back);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.intercept()));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.diagnostics().orElseThrow().r2()));
    }

    private static void check(double[] v) {
        LinearModel m = LinearModel.of(v, v[v.length - 1]);
        LinearModel back = LinearModel.fromJson(m.toJson());
        double[] got = back.coefficients();
        for (int i = 0; i < v.length; i++) {
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(got[i]), "value " + v[i]);
        }
        assertEquals(Double.doubleToRawLongBits(m.intercept()), Double.doubleToRawLongBits(back.intercept()));
    }

    /** The example of docs/model-format.md (a copy in the test resources) reads as documented. */
    @Test
    void theDocumentedExampleReads() throws IOException {
        String text;
        try (var in = getClass().getResourceAsStream("/model-format-v1-example.json")) {
            assertNotNull(in, "test resource model-format-v1-example.json");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        LinearModel m = LinearModel.fromJson(text);
        assertEquals(3, m.features());
        assertArrayEquals(new double[] {1.0000421572906, -1.2498272040512, 1.5000010907643}, m.coefficients());
        assertEquals(2.5001052625213, m.intercept());
        assertEquals(List.of("x1", "x2", "x3"), m.featureNames().orElseThrow());
        assertEquals(100_000, m.rows());
        assertEquals("gd", m.options().orElseThrow().solver());
        assertTrue(m.options().orElseThrow().autoLearningRate());
        assertEquals("CONVERGED", m.diagnostics().orElseThrow().stopReason());
        String doc = Files.readString(Path.of("docs/model-format.md"));
        assertTrue(doc.replace("\r", "").contains(text.replace("\r", "").strip()), "docs/model-format.md shows the example verbatim");
    }

    @Test
    void badFilesFailNamingTheProblem() {
        String good = LinearModel.of(new double[] {1, 2}, 3).toJson();
        bad(good.replace("\"version\": 1", "\"version\": 2"), "unsupported model format version 2", "reads version 1", "newer vecgd");
        bad(good.replace("\"version\": 1", "\"version\": 0"), "unsupported model format version 0");
        bad(good.replace("\"version\": 1", "\"version\": \"1\""), "\"version\" must be an integer");
        bad(good.replace("\"version\": 1", "\"version\": 1.0"), "\"version\" must be an integer");
        bad(good.replace("\"format\": \"vecgd-linear-model\",", ""), "no \"format\" key");
        bad(good.replace("vecgd-linear-model", "something-else"), "\"format\" is \"something-else\"");
        bad(good.replace("\"rows\": 0,", ""), "missing key \"rows\"");
        bad(good.replace("\"rows\": 0,", "\"rows\": 0, \"extra\": 1,"), "unknown key \"extra\"");
        bad(good.replace("\"rows\": 0,", "\"rows\": 0, \"rows\": 1,"), "duplicate key \"rows\"");
        bad(good.replace("\"rows\": 0", "\"rows\": -1"), "\"rows\" = -1 is out of range");
        bad(good.replace("\"features\": 2", "\"features\": 3"), "\"coefficients\" has 2 numbers, \"features\" says 3");
        bad(good.replace("[1.0, 2.0]", "[1.0, \"NaN\"]"), "coefficient 1 is NaN");
        bad(good.replace("[1.0, 2.0]", "[1.0, 1e400]"), "coefficients[1]", "outside the double range");
        bad(good.replace("[1.0, 2.0]", "[1.0, 1e-400]"), "coefficients[1]", "below the smallest double");
        bad(good.replace("[1.0, 2.0]", "[1.0, null]"), "coefficients[1]\" must be a number");
        bad(good.replace("[1.0, 2.0]", "[1.0, 02]"), "leading zero", "line 7");
        bad(good.replace("[1.0, 2.0]", "[1.0, 2.0,]"), "expected a value");
        bad(good.replace("[1.0, 2.0]", "[1.0, NaN]"), "unexpected 'N'");
        bad(good.replace("\"intercept\": 3.0", "\"intercept\": true"), "\"intercept\" must be a number");
        bad(good.replace("\"featureNames\": null", "\"featureNames\": [\"a\", \"a\"]"), "'a' appears twice");
        bad(good + "x", "after the JSON value");
        bad(good.substring(0, good.length() / 2), "invalid JSON");
        bad("", "empty input");
        bad("[]", "not an object");
        bad("{\"format\": \"vecgd-linear-model\", \"version\": 1}", "missing key");
        bad("[".repeat(10_000), "nesting deeper than");
        bad("{\"a\": \"\u0001\"}", "control character");
        bad("{\"a\": \"\\x\"}", "bad escape");
    }

    private static void bad(String text, String... words) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> LinearModel.fromJson(text));
        for (String w : words) assertTrue(e.getMessage().contains(w), () -> "'" + w + "' not in: " + e.getMessage());
    }

    @Test
    void aFileNamesItselfInItsErrors() throws IOException {
        Path f = dir.resolve("broken.json");
        Files.writeString(f, "{\"format\": \"vecgd-linear-model\", \"version\": 99}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> LinearModel.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("version 99"), e.getMessage());
        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        e = assertThrows(ModelFormatException.class, () -> LinearModel.load(f));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    /**
     * Fuzz: random edits of a valid file (delete, insert, replace, duplicate a span, truncate) and random text. Each
     * input either reads as a valid model or throws {@link ModelFormatException} with a message — never another
     * exception type (NumberFormatException, ClassCastException, IndexOutOfBounds, StackOverflowError...).
     */
    @Test
    void randomAndCorruptInputsFailCleanly() {
        String good = fitted().toJson();
        String alphabet = "{}[]:,\"\\-+.eE0123456789 \ntrufalsn\u0000\u00e9";
        SplittableRandom r = new SplittableRandom(18);
        int rejected = 0;
        int accepted = 0;
        int cases = 20_000;
        for (int k = 0; k < cases; k++) {
            StringBuilder s = new StringBuilder(good);
            int edits = 1 + r.nextInt(3);
            for (int e = 0; e < edits && s.length() > 0; e++) {
                int at = r.nextInt(s.length());
                switch (r.nextInt(5)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    case 2 -> s.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    case 3 -> {
                        int end = Math.min(s.length(), at + r.nextInt(20));
                        s.insert(at, s.substring(at, end));
                    }
                    default -> s.setLength(at);
                }
            }
            String text = k % 10 == 9 ? random(r, alphabet) : s.toString();
            try {
                LinearModel m = LinearModel.fromJson(text);
                assertEquals(m, LinearModel.fromJson(m.toJson()), "an accepted input is a valid model");
                accepted++;
            } catch (ModelFormatException ex) {
                assertTrue(ex.getMessage() != null && ex.getMessage().length() > 10, "a message: " + ex.getMessage());
                rejected++;
            } catch (Throwable t) {
                fail("input " + k + " threw " + t + " instead of ModelFormatException:\n" + text, t);
            }
        }
        assertEquals(cases, rejected + accepted);
        assertTrue(rejected > cases * 0.8, "most corruptions are caught: " + rejected + " of " + cases);
    }

    private static String random(SplittableRandom r, String alphabet) {
        StringBuilder b = new StringBuilder();
        int len = r.nextInt(200);
        for (int i = 0; i < len; i++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return b.toString();
    }
}
