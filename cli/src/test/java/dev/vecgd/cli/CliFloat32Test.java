package dev.vecgd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vecgd.kernel.ElementType;
import dev.vecgd.kernel.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.vecgd.cli.CliTest.Run;

import static dev.vecgd.cli.CliTest.ok;
import static dev.vecgd.cli.CliTest.run;
import static dev.vecgd.cli.CliTest.usageError;
import static org.junit.jupiter.api.Assertions.*;

/**
 * float32 storage through the command line (issue 19), end to end: {@code generate --dtype}, {@code .npy} files of
 * dtype {@code <f4} fitted as float32 (from the header, no flag), raw float32, CSV with {@code --dtype float32}
 * (the rounding note, the overflow error), {@code predict} on float32 files and {@code demo --dtype float32}.
 * A float32 fit is compared with the float64 fit of the same numbers widened to double: the kernels widen every
 * float before using it and sum in double, so both fits solve the same least-squares problem.
 */
class CliFloat32Test {

    @TempDir
    Path dir;

    /** |a − b| ≤ rel·max(1, |b|) for the intercept and every coefficient. */
    private static void assertSameFit(JsonNode expected, JsonNode actual, double rel, String what) {
        assertTrue(expected.get("converged").asBoolean() && actual.get("converged").asBoolean(), what + ": " + expected + actual);
        double b = expected.get("intercept").asDouble();
        assertEquals(b, actual.get("intercept").asDouble(), rel * Math.max(1, Math.abs(b)), what + " intercept");
        assertEquals(expected.get("coefficients").size(), actual.get("coefficients").size());
        for (int j = 0; j < expected.get("coefficients").size(); j++) {
            double e = expected.get("coefficients").get(j).asDouble();
            assertEquals(e, actual.get("coefficients").get(j).asDouble(), rel * Math.max(1, Math.abs(e)), what + " θ" + (j + 1));
        }
    }

    /**
     * The table of a .npy file widened to double and written again as float64 in the same layout (the same numbers,
     * 8 bytes each).
     */
    private Path widened(Path f32, String name) throws Exception {
        Table t = NpyFiles.read(f32);
        Path f64 = dir.resolve(name);
        int c = t.cols();
        double[] features = new double[t.rows() * (c - 1)];
        double[] last = new double[t.rows()];
        for (int i = 0; i < t.rows(); i++) {
            for (int j = 0; j < c - 1; j++) features[i * (c - 1) + j] = t.matrix().get(i, j);
            last[i] = t.matrix().get(i, c - 1);
        }
        try (NpyFiles.Writer w = new NpyFiles.Writer(f64, t.rows(), c, t.layout())) {
            w.writeRows(0, t.rows(), features, c - 1, last);
        }
        return f64;
    }

    private static String header(Path npy) throws Exception {
        byte[] b = Files.readAllBytes(npy);
        return new String(b, 0, Math.min(b.length, 128), StandardCharsets.ISO_8859_1);
    }

    @Test
    void generateWritesTheDtypeInTheHeaderAndFloat32RoundsTheSameNumbers() throws Exception {
        Path f32 = dir.resolve("g32.npy");
        Path f64 = dir.resolve("g64.npy");
        Run g = ok("generate", "--rows", 70_000, "--cols", 3, "--out", f32, "--seed", 11, "--dtype", "float32");
        assertTrue(g.out().contains("float32 .npy ('<f4')"), g.out());
        ok("generate", "--rows", 70_000, "--cols", 3, "--out", f64, "--seed", 11, "--dtype", "float64");
        assertTrue(header(f32).contains("'descr': '<f4'"), header(f32));
        assertTrue(header(f64).contains("'descr': '<f8'"), header(f64));
        int h = NpyFiles.headerBytes(70_000, 4, Layout.ROW_MAJOR, ElementType.FLOAT32).length;
        assertEquals(0, h % 64);
        assertEquals(h + 4L * 70_000 * 4, Files.size(f32));
        assertEquals(ElementType.FLOAT32, NpyFiles.dtype(f32));
        assertEquals(ElementType.FLOAT64, NpyFiles.dtype(f64));
        Table a = NpyFiles.read(f32);
        Table b = NpyFiles.read(f64);
        for (int k = 0; k < a.rows() * a.cols(); k += 997) {
            assertEquals((double) (float) b.data()[k], a.data()[k], "element " + k); // rounded once, widened exactly
        }
        assertEquals("float32", ModelJson.MAPPER.readTree(dir.resolve("g32.coefficients.json").toFile()).get("dtype").asText());
        // column-major float32
        Path col = dir.resolve("c32.npy");
        ok("generate", "--rows", 1000, "--cols", 2, "--out", col, "--layout", "column", "--dtype", "f4", "--seed", 11);
        assertTrue(header(col).contains("'descr': '<f4', 'fortran_order': True"), header(col));
        Path rowMajor = dir.resolve("r32.npy");
        ok("generate", "--rows", 1000, "--cols", 2, "--out", rowMajor, "--dtype", "float32", "--seed", 11);
        Table c = NpyFiles.read(col);
        Table r = NpyFiles.read(rowMajor);
        assertEquals(Layout.COLUMN_MAJOR, c.layout());
        for (int i : new int[] {0, 1, 500, 999}) {
            for (int j = 0; j < 3; j++) assertEquals(r.matrix().get(i, j), c.matrix().get(i, j), "(" + i + ", " + j + ")");
        }
        usageError(run("generate", "--rows", 10, "--cols", 2, "--out", dir.resolve("x.csv"), "--dtype", "float32"),
                "applies to .npy files only");
        usageError(run("generate", "--rows", 10, "--cols", 2, "--out", dir.resolve("y.npy"), "--dtype", "float16"),
                "--dtype must be float64 or float32");
    }

    @Test
    void aFloat32NpyIsFittedAsFloat32AndEqualsTheFloat64FitOfTheWidenedData() throws Exception {
        for (String layout : new String[] {"row", "column"}) {
            Path f32 = dir.resolve("d32-" + layout + ".npy");
            ok("generate", "--rows", 20_000, "--cols", 4, "--out", f32, "--seed", 7, "--dtype", "float32", "--layout", layout);
            Path f64 = widened(f32, "d64-" + layout + ".npy"); // float64 copy of the same numbers, same layout
            Run text = ok("fit", "--data", f32);
            assertTrue(text.out().contains("(npy, mapped, float32 X)"), text.out());
            assertTrue(text.out().contains("passes over X (float32,"), text.out());
            for (String solver : new String[] {"gd", "nesterov", "cg", "normal"}) {
                JsonNode a = ok("fit", "--data", f32, "--solver", solver, "--tol", 1e-13, "--json").json();
                JsonNode b = ok("fit", "--data", f64, "--solver", solver, "--tol", 1e-13, "--json").json();
                assertSameFit(b, a, 1e-10, layout + " " + solver);
                if (solver.equals("normal")) { // diagnostics from float32 data too
                    for (int j = 0; j < 4; j++) {
                        double se = b.get("standardErrors").get(j).asDouble();
                        assertEquals(se, a.get("standardErrors").get(j).asDouble(), 1e-8 * se, "standard error " + j);
                    }
                }
            }
            // a target in a middle column: copied once into native float32 (exact), the same fit
            Run mid = ok("fit", "--data", f32, "--target", 2);
            assertTrue(mid.out().contains("(npy, float32 X)"), mid.out());
            assertSameFit(ok("fit", "--data", f64, "--target", 2, "--tol", 1e-13, "--json").json(),
                    ok("fit", "--data", f32, "--target", 2, "--tol", 1e-13, "--json").json(), 1e-10, layout + " middle target");
            // heap-only fits read the float32 file widened to double: the same numbers, the same bits
            JsonNode heap32 = ok("fit", "--data", f32, "--batch-size", 20_000, "--solver", "cg", "--json").json();
            JsonNode heap64 = ok("fit", "--data", f64, "--batch-size", 20_000, "--solver", "cg", "--json").json();
            assertEquals(heap64.get("coefficients"), heap32.get("coefficients"), layout);
            usageError(run("fit", "--data", f32, "--dtype", "float64"), "holds float32", "drop --dtype");
        }
    }

    @Test
    void rawFloat32WithDtypeEqualsTheNpy() throws Exception {
        Path npy = dir.resolve("r32.npy");
        ok("generate", "--rows", 3000, "--cols", 2, "--out", npy, "--seed", 4, "--dtype", "float32");
        byte[] all = Files.readAllBytes(npy);
        int header = NpyFiles.headerBytes(3000, 3, Layout.ROW_MAJOR, ElementType.FLOAT32).length;
        Path raw = dir.resolve("r.f32");
        Files.write(raw, Arrays.copyOfRange(all, header, all.length));
        JsonNode fromNpy = ok("fit", "--data", npy, "--json").json();
        Run text = ok("fit", "--data", raw, "--rows", 3000, "--cols", 3, "--dtype", "float32");
        assertTrue(text.out().contains("(raw, mapped, float32 X)"), text.out());
        JsonNode fromRaw = ok("fit", "--data", raw, "--rows", 3000, "--cols", 3, "--dtype", "float32", "--json").json();
        assertEquals(fromNpy.get("coefficients"), fromRaw.get("coefficients")); // the same mapped floats, the same bits
        assertEquals(fromNpy.get("intercept"), fromRaw.get("intercept"));
        // read as float64 the byte count is wrong: a clear error
        usageError(run("fit", "--data", raw, "--rows", 3000, "--cols", 3), "72000 bytes", "36000");
        // predict reads float32 raw and .npy widened: the same predictions
        Path coef = dir.resolve("r32.coefficients.json");
        Run p1 = ok("predict", "--model", coef, "--data", npy);
        Run p2 = ok("predict", "--model", coef, "--data", raw, "--rows", 3000, "--cols", 3, "--dtype", "float32");
        assertEquals(p1.out(), p2.out());
        assertEquals(3001, p1.out().lines().count());
    }

    @Test
    void predictOnAFloat32NpyEqualsPredictOnItsWidenedCopy() throws Exception {
        Path f32 = dir.resolve("p32.npy");
        ok("generate", "--rows", 5000, "--cols", 3, "--out", f32, "--seed", 3, "--dtype", "float32", "--noise", 0.5);
        Path f64 = widened(f32, "p64.npy");
        Path coef = dir.resolve("p32.coefficients.json");
        Run a = ok("predict", "--model", coef, "--data", f32);
        Run b = ok("predict", "--model", coef, "--data", f64);
        assertEquals(b.out(), a.out());
        usageError(run("predict", "--model", coef, "--data", f32, "--dtype", "float64"), "holds float32");
    }

    /** A CSV whose feature values are all floats, and the same with values that are not. */
    @Test
    void csvFloat32RoundsOnceWithANoteAndFitsLikeTheRoundedData() throws Exception {
        StringBuilder exact = new StringBuilder("a,b,y\n");
        StringBuilder inexact = new StringBuilder("a,b,y\n");
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        int rows = 400;
        int notFloats = 0;
        for (int i = 0; i < rows; i++) {
            double a = i % 4 == 0 ? i * 0.5 : rnd.nextDouble(-3, 3); // every 4th row: exact in float32 (both features)
            double b = i % 4 == 0 ? 1.0 + i : rnd.nextDouble(0, 10);
            double y = 1.5 + 2 * a - 0.75 * b + 0.01 * rnd.nextDouble(-1, 1);
            if ((float) a != a) notFloats++;
            if ((float) b != b) notFloats++;
            inexact.append(a).append(',').append(b).append(',').append(y).append('\n');
            exact.append((double) (float) a).append(',').append((double) (float) b).append(',').append(y).append('\n');
        }
        Path in = dir.resolve("inexact.csv");
        Path ex = dir.resolve("exact.csv");
        Files.writeString(in, inexact);
        Files.writeString(ex, exact);
        Run f = ok("fit", "--data", in, "--dtype", "float32");
        assertTrue(f.out().contains("(csv, float32 X)"), f.out());
        List<String> notes = f.err().lines().filter(l -> l.startsWith("vecgd: note: float32 storage rounded")).toList();
        assertEquals(1, notes.size(), f.err());
        String count = String.format(Locale.ROOT, "rounded %,d of %,d feature values", notFloats, 2 * rows);
        assertTrue(notes.get(0).contains(count), count + " not in: " + notes.get(0));
        // float32 storage of the inexact CSV = float64 fit of the rounded values
        JsonNode a = ok("fit", "--data", in, "--dtype", "float32", "--solver", "cg", "--tol", 1e-13, "--json").json();
        JsonNode b = ok("fit", "--data", ex, "--solver", "cg", "--tol", 1e-13, "--json").json();
        assertSameFit(b, a, 1e-10, "csv float32");
        // already floats: no note
        Run quiet = ok("fit", "--data", ex, "--dtype", "float32", "--json");
        assertFalse(quiet.err().contains("note"), quiet.err());
        // with a target named in the middle and --target-file too
        ok("fit", "--data", in, "--dtype", "float32", "--target", "a");
        Path yfile = dir.resolve("y.csv");
        StringBuilder ys = new StringBuilder("y\n");
        for (String line : inexact.toString().lines().skip(1).toList()) ys.append(line.split(",")[2]).append('\n');
        Files.writeString(yfile, ys);
        Path xOnly = dir.resolve("xonly.csv");
        StringBuilder xs = new StringBuilder("a,b\n");
        for (String line : inexact.toString().lines().skip(1).toList()) {
            String[] p = line.split(",");
            xs.append(p[0]).append(',').append(p[1]).append('\n');
        }
        Files.writeString(xOnly, xs);
        assertSameFit(b, ok("fit", "--data", xOnly, "--target-file", yfile, "--dtype", "float32", "--solver", "cg", "--tol", 1e-13,
                "--json").json(),
                1e-10, "csv float32 with --target-file");
    }

    @Test
    void csvFloat32OverflowNamesTheRowAndColumn() throws Exception {
        Path csv = dir.resolve("big.csv");
        Files.writeString(csv, "a,b,y\n1,2,3\n4,1e39,5\n6,7,8\n9,10,11.5\n");
        usageError(run("fit", "--data", csv, "--dtype", "float32"), "data row 2", "column 2 ('b')", "not finite in float32",
                "drop --dtype float32");
        // y stays double: a target beyond float32's range is fine
        Path bigY = dir.resolve("bigy.csv");
        Files.writeString(bigY, "a,y\n1,1e39\n2,2e39\n3,3.5e39\n");
        ok("fit", "--data", bigY, "--dtype", "float32", "--solver", "normal");
        // float32 is off-heap and full batch only
        usageError(run("fit", "--data", csv, "--dtype", "float32", "--batch-size", 2), "--dtype float32");
        usageError(run("fit", "--data", csv, "--dtype", "float32", "--weights", "a"), "--dtype float32");
        usageError(run("fit", "--data", csv, "--dtype", "float32", "--l1-path"), "--dtype float32");
        usageError(run("fit", "--data", csv, "--dtype", "half"), "--dtype must be float64 or float32");
    }

    @Test
    void demoFloat32PrintsTheDtypeAndBytesAndRecoversTheCoefficients() throws Exception {
        Run r = ok("demo", "--rows", 20_000, "--cols", 5, "--seed", 3, "--dtype", "float32", "--quiet");
        assertTrue(r.out().contains("row-major, float32)"), r.out());
        assertTrue(r.out().contains("dtype: float32 (X stored as float32 off-heap: 0.4 MB; float64 would be 0.8 MB)"), r.out());
        assertTrue(r.out().contains("stop reason: CONVERGED"), r.out());
        DemoCommand d = new DemoCommand();
        new picocli.CommandLine(d).parseArgs("--rows", "20000", "--cols", "5", "--seed", "3", "--quiet", "--dtype", "float32");
        java.io.PrintStream sink = new java.io.PrintStream(new java.io.ByteArrayOutputStream());
        Demo.Outcome f32 = Demo.run(d.config(), sink, sink);
        new picocli.CommandLine(d).parseArgs("--rows", "20000", "--cols", "5", "--seed", "3", "--quiet");
        Demo.Outcome f64 = Demo.run(d.config(), sink, sink);
        assertTrue(f32.result().converged());
        for (int j = 0; j < 5; j++) {
            assertEquals(f32.problem().theta()[j], f32.result().coefficient(j), 0.01, "θ" + (j + 1));
            // rounding x to float32 (relative 6e-8) moves the estimate far less than the noise does
            assertEquals(f64.result().coefficient(j), f32.result().coefficient(j), 1e-5, "θ" + (j + 1) + " float32 vs float64");
        }
        Run r64 = ok("demo", "--rows", 20_000, "--cols", 5, "--seed", 3, "--quiet");
        assertTrue(r64.out().contains("dtype: float64 (X on the heap: 0.8 MB)"), r64.out());
    }
}
