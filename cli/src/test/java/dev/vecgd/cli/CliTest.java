package dev.vecgd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vecgd.model.LinearModel;
import dev.vecgd.kernel.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** End-to-end tests of the commands, called in-process with captured stdout/stderr. */
class CliTest {

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
        String lastErrLine() {
            List<String> l = err.strip().lines().toList();
            return l.isEmpty() ? "" : l.get(l.size() - 1);
        }

        JsonNode json() throws Exception {
            return ModelJson.MAPPER.readTree(out);
        }
    }

    static Run run(Object... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) a[i] = String.valueOf(args[i]);
        int s = Main.run(a, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(s, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    static Run ok(Object... args) {
        Run r = run(args);
        assertEquals(0, r.status(), () -> "status of " + List.of(args) + "\nstdout:\n" + r.out() + "\nstderr:\n" + r.err());
        return r;
    }

    static void usageError(Run r, String... fragments) {
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.lastErrLine().startsWith("vecgd: error: "), r.err());
        for (String f : fragments) assertTrue(r.lastErrLine().contains(f), "'" + f + "' not in: " + r.lastErrLine());
    }

    private Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static void assertRecovers(JsonNode fit, JsonNode truth, double tol) {
        assertEquals(truth.get("intercept").asDouble(), fit.get("intercept").asDouble(), tol * 5, "intercept");
        for (int j = 0; j < truth.get("coefficients").size(); j++) {
            assertEquals(truth.get("coefficients").get(j).asDouble(), fit.get("coefficients").get(j).asDouble(), tol, "θ" + (j + 1));
        }
    }

    @Test
    void csvRoundTripGenerateFitPredict() throws Exception {
        Path csv = dir.resolve("train.csv");
        Run g = ok("generate", "--rows", 3000, "--cols", 3, "--out", csv, "--noise", 0.01, "--seed", 5);
        assertTrue(g.out().contains("train.coefficients.json"), g.out());
        JsonNode truth = ModelJson.MAPPER.readTree(dir.resolve("train.coefficients.json").toFile());
        assertEquals("x1,x2,x3,y", Files.readAllLines(csv).get(0));
        assertEquals(3001, Files.readAllLines(csv).size());

        Path model = dir.resolve("model.json");
        Run f = ok("fit", "--data", csv, "--json", "--output", model);
        JsonNode j = f.json();
        assertRecovers(j, truth, 1e-3);
        assertTrue(j.get("converged").asBoolean());
        assertEquals("[\"x1\",\"x2\",\"x3\"]", j.get("features").toString());
        // --output writes the library's model file (issue 18): it loads in the library with the --json numbers
        LinearModel loaded = LinearModel.load(model);
        assertEquals(List.of("x1", "x2", "x3"), loaded.featureNames().orElseThrow());
        assertEquals(j.get("intercept").asDouble(), loaded.intercept(), 0.0);
        for (int c = 0; c < 3; c++) assertEquals(j.get("coefficients").get(c).asDouble(), loaded.coefficient(c), 0.0);
        assertEquals(3000, loaded.rows());
        assertEquals("gd", loaded.options().orElseThrow().solver());
        assertEquals(j.get("iterations").asInt(), loaded.diagnostics().orElseThrow().iterations());

        Path pred = dir.resolve("pred.csv");
        ok("predict", "--model", model, "--data", csv, "--output", pred);
        List<String> lines = Files.readAllLines(pred);
        assertEquals("prediction", lines.get(0));
        assertEquals(3001, lines.size());
        Table t = CsvTables.read(csv);
        for (int i : new int[] {0, 1, 1234, 2999}) {
            double expect = j.get("intercept").asDouble();
            for (int c = 0; c < 3; c++) expect += j.get("coefficients").get(c).asDouble() * t.data()[i * 4 + c];
            assertEquals(expect, Double.parseDouble(lines.get(i + 1)), 1e-9 * (1 + Math.abs(expect)), "row " + i);
        }
        // predictions to stdout
        Run p = ok("predict", "--model", model, "--data", csv);
        assertEquals(lines, p.out().lines().toList());
    }

    /** Issue 18: a model saved by the library predicts through the CLI, with the library's predictions. */
    @Test
    void aLibraryModelPredictsThroughTheCli() throws Exception {
        Path csv = write("lib.csv", "b,a,y\n1,2,0\n3,-4,0\n0.5,0.25,0\n");
        LinearModel m = LinearModel.of(new double[] {2.0, -0.5}, 0.125).withFeatureNames(List.of("a", "b"));
        Path file = dir.resolve("lib-model.json");
        m.save(file);
        Run p = ok("predict", "--model", file, "--data", csv);
        // columns picked by name: row (b = 1, a = 2) → 2·2 − 0.5·1 + 0.125
        double[][] rows = {{2, 1}, {-4, 3}, {0.25, 0.5}};
        List<String> lines = p.out().lines().toList();
        assertEquals("prediction", lines.get(0));
        for (int i = 0; i < 3; i++) {
            assertEquals(m.predict(rows[i]), Double.parseDouble(lines.get(i + 1)), 0.0, "row " + i);
            assertEquals(2.0 * rows[i][0] - 0.5 * rows[i][1] + 0.125, Double.parseDouble(lines.get(i + 1)), 0.0);
        }
        // a model file of an unknown version is a usage error naming it
        Path future = write("future.json", m.toJson().replace("\"version\": 1", "\"version\": 7"));
        usageError(run("predict", "--model", future, "--data", csv), "version 7");
        // the file fit --output wrote before issue 18 (the fit --json object) still predicts
        Path old = write("old.json", "{\"intercept\": 0.125, \"coefficients\": [2.0, -0.5], \"features\": [\"a\", \"b\"],"
                + " \"iterations\": 3, \"converged\": true}");
        assertEquals(lines, ok("predict", "--model", old, "--data", csv).out().lines().toList());
    }

    @Test
    void npyRoundTripBothLayouts() throws Exception {
        for (String layout : new String[] {"row", "column"}) {
            Path npy = dir.resolve("gen-" + layout + ".npy");
            ok("generate", "--rows", 70_000, "--cols", 4, "--out", npy, "--layout", layout, "--seed", 9);
            JsonNode truth = ModelJson.MAPPER.readTree(dir.resolve("gen-" + layout + ".coefficients.json").toFile());
            Run f = ok("fit", "--data", npy, "--json");
            assertRecovers(f.json(), truth, 2e-3);
            assertEquals(4, f.json().get("coefficients").size());
            Path pred = dir.resolve("p-" + layout + ".csv");
            // the truth JSON is a model too; the .npy has n + 1 columns (target last, ignored)
            ok("predict", "--model", dir.resolve("gen-" + layout + ".coefficients.json"), "--data", npy, "--output", pred);
            assertEquals(70_001, Files.readAllLines(pred).size());
        }
    }

    @Test
    void precisionExtendedSolvesAWamplerLikePolynomialExactly() throws Exception {
        // degree 5 on x = 0…20, y = 1 + x + … + x⁵ (integers, exact in double): the least-squares solution is all ones
        StringBuilder csv = new StringBuilder("x1,x2,x3,x4,x5,y\n");
        for (int i = 0; i <= 20; i++) {
            long p = 1;
            long y = 1;
            for (int k = 1; k <= 5; k++) {
                p *= i;
                y += p;
                csv.append(p).append(',');
            }
            csv.append(y).append('\n');
        }
        Path data = write("wampler.csv", csv.toString());
        JsonNode fit = ok("fit", "--data", data, "--solver", "normal", "--precision", "extended", "--tol", 1e-15,
                "--json").json();
        assertTrue(fit.get("converged").asBoolean(), fit.toString());
        assertEquals(1.0, fit.get("intercept").asDouble(), 1e-12, fit.toString());
        for (int j = 0; j < 5; j++) assertEquals(1.0, fit.get("coefficients").get(j).asDouble(), 1e-12, fit.toString());
        // standard precision on the same data: ≈ 7 digits and the warning pointing to --precision extended
        Run standard = ok("fit", "--data", data, "--solver", "normal", "--tol", 1e-15);
        assertTrue(standard.out().contains("--precision extended"), standard.out());
    }

    @Test
    void precisionExtendedNeedsSolverNormal() throws Exception {
        Path data = write("small.csv", "x,y\n1,2\n2,3.5\n3,4.1\n");
        usageError(run("fit", "--data", data, "--precision", "extended"), "--precision extended needs --solver normal");
        usageError(run("fit", "--data", data, "--solver", "normal", "--precision", "quad"), "--precision must be");
    }

    @Test
    void npyIsMemoryMappedForFullBatchFitsAndMatchesTheHeapFit() throws Exception {
        Path npy = dir.resolve("m.npy");
        ok("generate", "--rows", 5_000, "--cols", 3, "--out", npy, "--seed", 5);
        for (String solver : new String[]{"nesterov", "cg", "normal"}) {
            Run mapped = ok("fit", "--data", npy, "--solver", solver);
            assertTrue(mapped.out().contains("(npy, mapped)"), solver + ": " + mapped.out());
        }
        // mini-batches need heap data: the same file is then read into memory
        Run heapMiniBatch = ok("fit", "--data", npy, "--batch-size", 1000);
        assertTrue(heapMiniBatch.out().contains("(npy)"), heapMiniBatch.out());
        // a batch of all 5,000 rows is full batch on heap data: the same solver on the same rows, mapped vs heap
        for (String solver : new String[]{"nesterov", "cg", "normal"}) {
            Run heapText = ok("fit", "--data", npy, "--solver", solver, "--batch-size", 5_000);
            assertTrue(heapText.out().contains("(npy)") && !heapText.out().contains("mapped"), heapText.out());
            JsonNode mapped = ok("fit", "--data", npy, "--solver", solver, "--tol", 1e-13, "--json").json();
            JsonNode heap = ok("fit", "--data", npy, "--solver", solver, "--tol", 1e-13, "--batch-size", 5_000, "--json").json();
            assertTrue(mapped.get("converged").asBoolean() && heap.get("converged").asBoolean(), solver + ": " + mapped + heap);
            for (String field : new String[]{"coefficients", "standardErrors"}) {
                for (int j = 0; j < 3; j++) {
                    double h = heap.get(field).get(j).asDouble();
                    assertTrue(h != 0 && Double.isFinite(h), solver + " " + field + j + ": " + heap);
                    assertEquals(h, mapped.get(field).get(j).asDouble(), 1e-12 * Math.abs(h), solver + " " + field + j);
                }
            }
            double b = heap.get("intercept").asDouble();
            assertEquals(b, mapped.get("intercept").asDouble(), 1e-12 * Math.abs(b), solver + " intercept");
        }
        assertTrue(Files.exists(npy), "the input is never removed");
    }

    @Test
    void rawFloat64WithRowsAndCols() throws Exception {
        Path npy = dir.resolve("r.npy");
        ok("generate", "--rows", 2000, "--cols", 2, "--out", npy, "--seed", 4, "--layout", "column");
        byte[] all = Files.readAllBytes(npy);
        int header = NpyFiles.headerBytes(2000, 3, Layout.COLUMN_MAJOR).length;
        Path raw = dir.resolve("r.f64");
        Files.write(raw, java.util.Arrays.copyOfRange(all, header, all.length));
        JsonNode fromNpy = ok("fit", "--data", npy, "--json").json();
        JsonNode fromRaw = ok("fit", "--data", raw, "--rows", 2000, "--cols", 3, "--layout", "column", "--json").json();
        assertEquals(fromNpy.get("coefficients"), fromRaw.get("coefficients"));
        assertEquals(fromNpy.get("intercept"), fromRaw.get("intercept"));
        JsonNode first = ok("fit", "--data", raw, "--rows", 2000, "--cols", 3, "--layout", "column", "--target", 0, "--json").json();
        assertEquals(2, first.get("coefficients").size());
        Run p = ok("predict", "--model", dir.resolve("r.coefficients.json"), "--data", raw, "--rows", 2000, "--cols", 3,
                "--layout", "column");
        assertEquals(2001, p.out().lines().count());
        usageError(run("fit", "--data", raw, "--rows", 2000, "--cols", 4), "need");
        usageError(run("fit", "--data", npy, "--rows", 2000, "--cols", 3), "--rows/--cols");
        usageError(run("fit", "--data", npy, "--target", 0, "--target-file", npy), "either --target or --target-file");
        usageError(run("fit", "--data", npy, "--layout", "diagonal"), "--layout");
    }

    @Test
    void generateStreamsTheSameNumbersAsTheInMemoryProblem() throws Exception {
        // 70 000 rows: two blocks of 65 536, written one after the other
        Path npy = dir.resolve("s.npy");
        ok("generate", "--rows", 70_000, "--cols", 3, "--out", npy, "--seed", 11, "--noise", 0.5);
        assertEquals(NpyFiles.headerBytes(70_000, 4, Layout.ROW_MAJOR).length + 8L * 70_000 * 4, Files.size(npy));
        assertEquals(0, NpyFiles.headerBytes(70_000, 4, Layout.ROW_MAJOR).length % 64);
        Table t = NpyFiles.read(npy);
        SyntheticProblem p = SyntheticProblem.generate(70_000, 3, 0.5, 11);
        for (int i : new int[] {0, 65_535, 65_536, 69_999}) {
            for (int j = 0; j < 3; j++) assertEquals(p.data().x(i, j), t.data()[i * 4 + j]);
            assertEquals(p.data().y(i), t.data()[i * 4 + 3]);
        }
        Path col = dir.resolve("c.npy");
        ok("generate", "--rows", 70_000, "--cols", 3, "--out", col, "--seed", 11, "--noise", 0.5, "--layout", "column");
        Table c = NpyFiles.read(col);
        assertEquals(Layout.COLUMN_MAJOR, c.layout());
        assertEquals(p.data().x(69_999, 2), c.matrix().get(69_999, 2));
        assertEquals(p.data().y(65_536), c.matrix().get(65_536, 3));
    }

    @Test
    void jsonSchemaKeysAndTypes() throws Exception {
        Path csv = write("small.csv", "a,b,y\n1,2,3.1\n2,1,3.9\n3,5,8.2\n4,2,6.1\n5,7,12.0\n");
        Run r = ok("fit", "--data", csv, "--json");
        assertEquals(1, r.out().strip().lines().count(), "one JSON object on one line: " + r.out());
        JsonNode j = r.json();
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertEquals(ModelJson.KEYS, keys);
        assertTrue(j.get("intercept").isNumber());
        assertTrue(j.get("coefficients").isArray() && j.get("coefficients").get(0).isNumber());
        assertTrue(j.get("features").isArray() && j.get("features").get(0).isTextual());
        assertTrue(j.get("iterations").isInt());
        assertTrue(j.get("converged").isBoolean());
        assertTrue(j.get("stopReason").isTextual());
        for (String k : new String[] {"loss", "gradientNorm", "r2", "rmse", "seconds"}) assertTrue(j.get(k).isNumber(), k);
        assertTrue(j.get("kernel").isTextual());
        // no intercept: intercept is null, R² is the uncentered one
        JsonNode n = ok("fit", "--data", csv, "--json", "--no-intercept").json();
        assertTrue(n.get("intercept").isNull());
        assertTrue(n.get("r2").isNumber());
    }

    @Test
    void targetByNameOrIndexInAMiddleColumnAndTargetFile() throws Exception {
        StringBuilder sb = new StringBuilder("u,target,v\n");
        StringBuilder xs = new StringBuilder("u,v\n");
        StringBuilder ys = new StringBuilder("target\n");
        for (int i = 0; i < 50; i++) {
            double u = i % 7;
            double v = (i * 13) % 11;
            double y = 1 + 2 * u - 3 * v;
            sb.append(u).append(',').append(y).append(',').append(v).append('\n');
            xs.append(u).append(',').append(v).append('\n');
            ys.append(y).append('\n');
        }
        Path csv = write("mid.csv", sb.toString());
        JsonNode byName = ok("fit", "--data", csv, "--target", "target", "--json").json();
        JsonNode byIndex = ok("fit", "--data", csv, "--target", 1, "--json").json();
        JsonNode byFile = ok("fit", "--data", write("x.csv", xs.toString()), "--target-file", write("y.csv", ys.toString()),
                "--json").json();
        for (JsonNode j : List.of(byName, byIndex, byFile)) {
            assertEquals("[\"u\",\"v\"]", j.get("features").toString());
            assertEquals(1, j.get("intercept").asDouble(), 1e-6);
            assertEquals(2, j.get("coefficients").get(0).asDouble(), 1e-6);
            assertEquals(-3, j.get("coefficients").get(1).asDouble(), 1e-6);
        }
    }

    @Test
    void readableSummaryAndPlot() throws Exception {
        Path csv = write("s.csv", "a,y\n1,2\n2,4.1\n3,5.9\n4,8.2\n");
        Path png = dir.resolve("loss.png");
        Run r = ok("fit", "--data", csv, "--plot", png);
        assertTrue(r.out().contains("stop: CONVERGED"), r.out());
        assertTrue(r.out().contains("(intercept)"), r.out());
        byte[] b = Files.readAllBytes(png);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, java.util.Arrays.copyOf(b, 8));
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertTrue(img.getWidth() > 100 && img.getHeight() > 100);
    }

    @Test
    void refusesToOverwrite() throws Exception {
        Path csv = write("o.csv", "a,y\n1,2\n2,4.1\n3,5.9\n");
        Path model = write("model.json", "keep me");
        usageError(run("fit", "--data", csv, "--output", model), "exists", "--force");
        assertEquals("keep me", Files.readString(model));
        usageError(run("fit", "--data", csv, "--plot", model), "exists");
        usageError(run("fit", "--data", csv, "--output", csv, "--force"), "input");
        assertTrue(Files.readString(csv).startsWith("a,y"));
        ok("fit", "--data", csv, "--output", model, "--force");
        assertTrue(Files.readString(model).contains("\"coefficients\""));
        usageError(run("predict", "--model", model, "--data", csv, "--output", csv, "--force"), "input");
        usageError(run("generate", "--rows", 10, "--cols", 1, "--out", csv), "exists");
    }

    @Test
    void badInputExitsTwoWithAnErrorLine() throws Exception {
        usageError(run("fit", "--data", dir.resolve("nope.csv")), "no such file");
        usageError(run("fit", "--data", write("corrupt.npy", "definitely not numpy")), "not a .npy file");
        usageError(run("fit", "--data", write("ragged.csv", "a,y\n1,2\n3\n")), "line 3");
        usageError(run("fit", "--data", write("text.csv", "a,b,y\n1,2,3\n4,oops,6\n")), "'oops'", "data row 2",
                "column 2", "('b')");
        usageError(run("fit", "--data", write("t.csv", "a,y\n1,2\n2,3\n"), "--target", "z"), "no such column", "'z'");
        usageError(run("fit", "--data", dir.resolve("t.csv"), "--target", 7), "out of range");
        usageError(run("fit", "--data", write("empty.csv", "a,y\n")), "no data rows");
        usageError(run("fit", "--data", write("nothing.csv", "")), "empty file");
        usageError(run("fit", "--data", write("nan.csv", "a,y\n1,2\nNaN,3\n")), "non-finite", "NaN", "data row 2", "('a')");
        usageError(run("fit", "--data", write("data.bin", "12345678")), "unknown format");
        usageError(run("fit", "--data", dir.resolve("data.bin"), "--rows", 3, "--cols", 2), "need 48 bytes");
        Path csv = dir.resolve("t.csv");
        usageError(run("fit", "--data", csv, "--max-iter", -1), "--max-iter");
        usageError(run("fit", "--data", csv, "--max-iter", "many"), "--max-iter");
        usageError(run("fit", "--data", csv, "--learning-rate", "fast"), "--learning-rate");
        usageError(run("fit", "--data", csv, "--learning-rate", 0), "--learning-rate");
        usageError(run("fit", "--data", csv, "--tol", -1), "--tol");
        usageError(run("fit", "--data", csv, "--l2", -0.5), "--l2");
        usageError(run("fit", "--data", csv, "--batch-size", -2), "--batch-size");
        usageError(run("fit", "--data", csv, "--batch-size", 4, "--schedule", "sometimes"), "--schedule");
        usageError(run("fit", "--data", csv, "--batch-size", 4, "--schedule", "invscaling:2"), "--schedule");
        usageError(run("fit", "--data", csv, "--batch-size", 4, "--average"), "--no-variance-reduction");
        usageError(run("fit", "--data", csv, "--threads", -1), "--threads");
        usageError(run("fit", "--data", csv, "--solver", "adam"), "--solver", "gd");
        usageError(run("fit", "--data", csv, "--bogus"), "--bogus");
        usageError(run("fit"), "--data");
        usageError(run("predict", "--model", write("bad.json", "{\"coefficients\": [1, \"x\"]}"), "--data", csv), "coefficient 1");
        usageError(run("predict", "--model", write("bad2.json", "{oops"), "--data", csv), "not a valid JSON");
        usageError(run("generate", "--rows", 0, "--cols", 2, "--out", dir.resolve("g.npy")), "--rows");
        usageError(run("generate", "--rows", 5, "--cols", 2, "--out", dir.resolve("g.txt")), ".npy or .csv");
        usageError(run("bench", "--rows", 0), "--rows");
        usageError(run("nonsense"));
        Path npy = dir.resolve("ok.npy");
        ok("generate", "--rows", 100, "--cols", 2, "--out", npy);
        byte[] b = Files.readAllBytes(npy);
        Files.write(dir.resolve("cut.npy"), java.util.Arrays.copyOf(b, b.length - 8));
        usageError(run("fit", "--data", dir.resolve("cut.npy")), "truncated");
        usageError(run("predict", "--model", dir.resolve("ok.coefficients.json"), "--data", write("p.csv", "x1,z\n1,2\n")),
                "no column 'x2'");
        usageError(run("predict", "--model", dir.resolve("ok.coefficients.json"), "--data", dir.resolve("t.csv")), "no column");
    }

    @Test
    void divergenceExitsThreeAndIterationLimitWarns() throws Exception {
        Path csv = write("d.csv", "a,y\n1,2\n2,4.1\n3,5.9\n4,8.2\n10,20.5\n");
        Run d = run("fit", "--data", csv, "--learning-rate", 50, "--json", "--output", dir.resolve("m.json"));
        assertEquals(3, d.status(), d.out() + d.err());
        assertEquals("DIVERGED", d.json().get("stopReason").asText());
        assertTrue(d.lastErrLine().startsWith("vecgd: error: diverged"), d.err());
        assertFalse(Files.exists(dir.resolve("m.json")), "no model from a diverged fit");

        Run m = ok("fit", "--data", csv, "--max-iter", 2, "--json");
        assertFalse(m.json().get("converged").asBoolean());
        assertEquals("MAX_ITERATIONS", m.json().get("stopReason").asText());
        assertTrue(m.lastErrLine().startsWith("vecgd: warning:"), m.err());
    }

    /**
     * {@code --threads} really sets the thread count, and the fit does not depend on it. 200,000 × 3 doubles
     * (4.8 MB of X) are three chunks of the default 86,016 rows, and below the 8 MiB under which the automatic
     * count is one thread. The worker threads are seen through the JVM's count of started threads: a fit with
     * T threads starts T − 1 workers per gradient source (none for T = 1, the automatic count here).
     */
    @Test
    void threadCountsGiveBitIdenticalFits() throws Exception {
        Path npy = dir.resolve("w.npy");
        ok("generate", "--rows", 200_000, "--cols", 3, "--out", npy, "--seed", 8);
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        ok("fit", "--data", npy, "--threads", 1, "--json"); // anything the JVM starts once (lazily) starts here
        JsonNode[] fits = new JsonNode[4];
        long[] started = new long[4];
        for (int t = 0; t <= 3; t++) {
            long before = mx.getTotalStartedThreadCount();
            fits[t] = ok("fit", "--data", npy, "--threads", t, "--json").json();
            started[t] = mx.getTotalStartedThreadCount() - before;
        }
        assertTrue(fits[1].get("converged").asBoolean(), fits[1].toString());
        for (int t = 0; t <= 3; t++) {
            assertEquals(fits[1].get("coefficients").toString(), fits[t].get("coefficients").toString(), t + " threads");
            assertEquals(fits[1].get("intercept").toString(), fits[t].get("intercept").toString(), t + " threads");
            assertEquals(fits[1].get("iterations").toString(), fits[t].get("iterations").toString(), t + " threads");
        }
        String counts = java.util.Arrays.toString(started) + " threads started for --threads 0, 1, 2, 3";
        assertEquals(started[1], started[0], "automatic = 1 thread below 8 MiB: " + counts);
        assertTrue(started[2] >= started[1] + 1, counts);
        assertTrue(started[3] >= started[2] + 1, counts);
    }

    @Test
    void benchJson() throws Exception {
        Run r = ok("bench", "--rows", 20_000, "--cols", 8, "--repeats", 3, "--json");
        JsonNode j = r.json();
        for (String k : new String[] {"naive", "simd", "readProbe"}) assertTrue(j.get("gbPerSecond").get(k).asDouble() > 0, k);
        assertTrue(j.get("gradientRelativeDifference").asDouble() < 1e-9, r.out());
        assertTrue(j.get("kernel").isTextual() && j.get("jdk").isTextual() && j.get("cpu").isTextual());
        Run c = ok("bench", "--rows", 5_000, "--cols", 3, "--repeats", 1, "--layout", "column");
        assertTrue(c.out().contains("SIMD fused"), c.out());
    }

    /**
     * {@code --bits} in this JVM, whose kernels are already initialized: the same width runs and is
     * reported; another width that the hardware has is refused (the width is fixed once per JVM) rather
     * than reported wrongly. Fresh JVMs at each width: {@link CliBitsTest}.
     */
    @Test
    void benchBitsInThisJvm() throws Exception {
        int w = dev.vecgd.kernel.Kernels.vectorBits();
        org.junit.jupiter.api.Assumptions.assumeTrue(w >= 128, "vector kernels active");
        JsonNode j = ok("bench", "--rows", 4096, "--cols", 8, "--repeats", 1, "--bits", w, "--json").json();
        assertEquals(w, j.get("vectorBits").asInt());
        assertEquals(w, j.get("requestedBits").asInt());
        int hardware = j.get("hardwareVectorBits").asInt();
        assertTrue(hardware >= w, j.toString());
        Run text = ok("bench", "--rows", 4096, "--cols", 8, "--repeats", 1, "--bits", w);
        assertTrue(text.out().contains("vector width: " + w + "-bit (--bits " + w + "; hardware's widest: " + hardware + "-bit"), text.out());
        int other = w == 128 ? 256 : 128;
        if (other <= hardware) {
            usageError(run("bench", "--rows", 4096, "--cols", 8, "--repeats", 1, "--bits", other),
                    "--bits " + other, "already initialized at " + w + " bits", "new process");
        }
        usageError(run("bench", "--rows", 4096, "--bits", 100), "--bits must be 512, 256 or 128");
        assertEquals(null, System.getProperty("vecgd.vector.bits"), "the property is restored");
        assertTrue(ok("bench", "--help").out().contains("--bits"));
    }

    @Test
    void progressPrintsPlainLinesWhenNotATerminal() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(b, true, StandardCharsets.UTF_8), false, 0, 0, 100, 8e6);
        p.onIteration(0, 1.0, 2.0);
        p.onIteration(10, 0.5, 1.0);
        p.finish();
        List<String> lines = b.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).matches("iteration 10/100  loss 5\\.000000e-01  \\|grad\\| 1\\.000e\\+00  .* it/s  .* GB/s  ETA <= .*"),
                lines.get(1));
        assertFalse(b.toString(StandardCharsets.UTF_8).contains("\r"));
    }

    @Test
    void helpListsTheCommandsAndFlags() {
        Run r = ok("--help");
        for (String c : new String[] {"fit", "predict", "generate", "bench", "demo"}) assertTrue(r.out().contains(c), c);
        Run f = ok("fit", "--help");
        for (String flag : new String[] {"--data", "--target", "--target-file", "--no-intercept", "--solver", "--learning-rate",
                "--max-iter", "--tol", "--[no-]standardize", "--l2", "--batch-size", "--[no-]variance-reduction", "--schedule",
                "--average", "--seed", "--threads", "--json", "--output",
                "--plot", "--force", "uncentered", "--l1", "--l1-path", "--lambdas", "--cv", "--weights", "--weights-file",
                "ElasticNet"}) {
            assertTrue(f.out().contains(flag), flag);
        }
    }
    /** Issue 13 end to end: a constant column (0.3), a large target offset, a mini-batch fit, an overflowing y. */
    @Test
    void awkwardDataEndToEnd() throws Exception {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(13);
        StringBuilder c = new StringBuilder("a,unit,b,y\n");
        StringBuilder off = new StringBuilder("a,b,y\n");
        StringBuilder huge = new StringBuilder("a,y\n");
        for (int i = 0; i < 500; i++) {
            double a = rnd.nextDouble() * 2 - 1;
            double b = rnd.nextDouble() * 2 - 1;
            double e = 0.01 * (rnd.nextDouble() - 0.5);
            c.append(a).append(",0.3,").append(b).append(',').append(1 + 2 * a - b + e).append('\n');
            off.append(a).append(',').append(b).append(',').append(1e10 + 2 * a - b + e).append('\n');
            huge.append(a).append(',').append((1 + a) * 1e200).append('\n');
        }
        Run r = ok("fit", "--data", write("constant.csv", c.toString()), "--json", "--solver", "cg");
        JsonNode j = r.json();
        assertTrue(j.get("converged").asBoolean(), r.out());
        assertEquals("unit", j.get("constantColumns").get(0).asText(), r.out());
        assertEquals(0.0, j.get("coefficients").get(1).asDouble());
        assertEquals(2.0, j.get("coefficients").get(0).asDouble(), 0.01);
        assertTrue(j.get("warning").asText().contains("constant"), r.out());
        Run text = ok("fit", "--data", dir.resolve("constant.csv"));
        assertTrue(text.out().contains("constant columns (coefficient 0, absorbed by the intercept): unit"), text.out());
        // y = 1e10 + …: either CONVERGED with the right slopes, or exit 0 with a "not converged" warning line
        Run o = ok("fit", "--data", write("offset.csv", off.toString()), "--json");
        JsonNode jo = o.json();
        assertEquals(2.0, jo.get("coefficients").get(0).asDouble(), 0.01, o.out());
        if (!jo.get("converged").asBoolean()) assertTrue(o.lastErrLine().startsWith("vecgd: warning: not converged"), o.err());
        // mini-batch fluctuation is not divergence (exit 3)
        Run mb = run("fit", "--data", dir.resolve("constant.csv"), "--batch-size", 16, "--max-iter", 500, "--json");
        assertEquals(0, mb.status(), mb.err());
        // |y| ~ 1e200: Σy² overflows — a usage error naming the overflow, not DIVERGED
        usageError(run("fit", "--data", write("huge.csv", huge.toString())), "overflow");
        // --l2 says what λ applies to
        Run help = run("help", "fit");
        assertTrue((help.out() + help.err()).contains("on the standardized coefficients"), help.out() + help.err());
    }

    /**
     * Issue 13 audit, end to end: the library's own rate never ends a fit with exit 3. Unstandardized features of
     * size 1e100 (the power iteration overflowed: α = 0.9, DIVERGED at iteration 1) and variance-reduced Nesterov
     * mini-batches whose automatic rate proved unstable (DIVERGED after 17 epochs) both exited 3 before.
     */
    @Test
    void theAutomaticRateNeverExitsThree() throws Exception {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(14);
        StringBuilder big = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 300; i++) {
            double a = rnd.nextDouble() * 2 - 1;
            double b = rnd.nextDouble() * 2 - 1;
            big.append(a * 1e100).append(',').append(b).append(',').append(1 + 2 * a - b + 0.01 * rnd.nextDouble()).append('\n');
        }
        Path hugeX = write("huge-x.csv", big.toString());
        for (String intercept : new String[] {"--no-intercept", "--tol=1e-10"}) {
            Run r = run("fit", "--data", hugeX, "--no-standardize", intercept, "--json");
            assertEquals(0, r.status(), r.out() + r.err());
            JsonNode j = r.json();
            assertNotEquals("DIVERGED", j.get("stopReason").asText(), r.out());
            if (j.get("converged").asBoolean()) {
                assertEquals(2e-100, j.get("coefficients").get(0).asDouble(), 0.05e-100, r.out());
            } else {
                assertTrue(r.lastErrLine().startsWith("vecgd: warning: not converged"), r.err());
                assertFalse(j.get("warning").isNull(), r.out());
            }
        }
        // the rows of the core's AwkwardDataTest.unstableMiniBatchProblem() (162 × 3), saved as CSV when the command
        // line moved to its own project (the core's test classes are not on this project's class path)
        Path mb = write("unstable-mini-batch.csv", resource("unstable-mini-batch.csv"));
        Run r = ok("fit", "--data", mb, "--solver", "nesterov", "--batch-size", 16, "--seed", 3, "--max-iter", 300, "--json");
        JsonNode j = r.json();
        assertEquals("CONVERGED", j.get("stopReason").asText(), r.out() + r.err());
        assertTrue(r.err().isBlank() || !r.lastErrLine().startsWith("vecgd: error"), r.err());
        // the same rate given by the user is the user's: exit 3 and the error line
        Run fixed = run("fit", "--data", mb, "--solver", "nesterov", "--batch-size", 16, "--seed", 3, "--max-iter", 300,
                "--learning-rate", 0.518, "--json");
        assertEquals(3, fixed.status(), fixed.out() + fixed.err());
        assertTrue(fixed.lastErrLine().startsWith("vecgd: error: diverged"), fixed.err());
    }

    private static String resource(String name) throws java.io.IOException {
        try (java.io.InputStream in = CliTest.class.getResourceAsStream(name)) {
            if (in == null) throw new java.io.FileNotFoundException("test resource " + name + " is missing");
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
