package dev.vecgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.NpyWriter;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.model.LinearModel;
import dev.vecgd.solver.FitResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java code blocks of "Using the library", <b>read from README.md</b>, compiled with the
 * system Java compiler against the classes under test, and run: if the API or the README changes, this
 * test fails before the README lies. Each block is wrapped in a method whose parameters are the
 * variables the README leaves to the reader ({@code m}, {@code n}, {@code data}, {@code p}, …); the only
 * text replaced is the placeholder {@code double[] table = ...;} and the file name of the mapped example.
 */
class ReadmeExampleTest {

    /** 150,000 rows: the README's chunks of 65,536 rows give three chunks, the last one partial. */
    private static final int M = 150_000, N = 3;
    private static final double[] TRUE_THETA = {1.5, -2.0, 0.25};
    private static final double TRUE_B = 0.75;

    @TempDir
    static Path dir;

    private static List<String> blocks;
    private static ClassLoader loader;

    /** m × (n + 1) row-major, y last, noise-free. */
    private static double[] table() {
        SplittableRandom rnd = new SplittableRandom(7);
        double[] t = new double[M * (N + 1)];
        for (int i = 0; i < M; i++) {
            double y = TRUE_B;
            for (int j = 0; j < N; j++) {
                double v = rnd.nextDouble(-1, 1);
                t[i * (N + 1) + j] = v;
                y += TRUE_THETA[j] * v;
            }
            t[i * (N + 1) + N] = y;
        }
        return t;
    }

    /** The ```java blocks of the README section "Using the library" and its subsections, in order. */
    static List<String> readmeBlocks() throws Exception {
        Path readme = Path.of(System.getProperty("user.dir")).resolve("README.md");
        assertTrue(Files.isRegularFile(readme), "README.md in the project directory " + readme);
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int start = text.indexOf("\n## Using the library");
        assertTrue(start >= 0, "README section 'Using the library'");
        int end = text.indexOf("\n## ", start + 1);
        String section = text.substring(start, end < 0 ? text.length() : end);
        List<String> out = new ArrayList<>();
        Matcher mm = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (mm.find()) out.add(mm.group(1));
        return out;
    }

    private static String imports(String block) {
        StringBuilder b = new StringBuilder();
        for (String line : block.lines().toList()) if (line.startsWith("import ")) b.append(line).append('\n');
        return b.toString();
    }

    private static String statements(String block) {
        StringBuilder b = new StringBuilder();
        for (String line : block.lines().toList()) if (!line.startsWith("import ")) b.append(line).append('\n');
        return b.toString();
    }

    /** The one block containing {@code marker}. */
    private static String only(List<String> blocks, String marker) {
        List<String> found = blocks.stream().filter(b -> b.contains(marker)).toList();
        assertEquals(1, found.size(), "README blocks containing " + marker);
        return found.get(0);
    }

    private static String replaceOnce(String text, String what, String with) {
        int at = text.indexOf(what);
        assertTrue(at >= 0 && text.indexOf(what, at + 1) < 0, "exactly one '" + what + "' in the README block:\n" + text);
        return text.replace(what, with);
    }

    @BeforeAll
    static void compileTheReadme() throws Exception {
        List<String> all = readmeBlocks();
        assertEquals(5, all.size(), "Java blocks in 'Using the library' (fit and model, chunks, own loop, mapped .npy, Spark)");
        String fit = all.get(0);
        String loop = only(all, "GradientBuffer");
        String mapped = only(all, "SegmentDataset.mapNpy");
        only(all, "SparkLinearRegression"); // needs the spark/ module and a SparkSession: not run here
        only(all, "ChunkedRowSource");      // placeholders (readChunks, stream): the API is run by StreamingFitTest
        blocks = List.of(fit, loop, mapped);
        assertTrue(imports(fit).contains("import dev.vecgd."), "the first block has the imports:\n" + fit);
        String common = imports(fit) + imports(loop) + imports(mapped);
        String source = common
                + "public class ReadmeBlocks {\n"
                + "  public static Object[] fit(double[] given, int m, int n, Dataset test, String modelFile)"
                + " throws Exception {\n"
                + replaceOnce(statements(fit), "double[] table = ...;", "double[] table = given;")
                        .replace("Path.of(\"model.json\")", "Path.of(modelFile)")
                + "    return new Object[] {fit, model, predicted, r2, loaded, one};\n  }\n"
                + "  public static void ownLoop(dev.vecgd.data.Dataset data, int m, int n, double[] p, int iterations,"
                + " double alpha) {\n"
                + statements(loop)
                + "  }\n"
                + "  public static Object mapped(String file, int lastColumn) throws Exception {\n"
                + replaceOnce(statements(mapped), "Path.of(\"table.npy\")", "java.nio.file.Path.of(file)")
                        .replace("FitResult r = ", "return ")
                + "  }\n}\n";
        Path src = dir.resolve("src/ReadmeBlocks.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertTrue(javac != null, "a JDK (with javac) runs the tests");
        String classpath = Path.of(Dataset.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-proc:none", "-cp", classpath, "-d", classes.toString(),
                src.toString());
        assertEquals(0, status, "the README's code compiles:\n" + diagnostics.toString(StandardCharsets.UTF_8)
                + "\n" + source);
        loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, ReadmeExampleTest.class.getClassLoader());
    }

    private static Method method(String name) throws Exception {
        for (Method m : loader.loadClass("ReadmeBlocks").getMethods()) if (m.getName().equals(name)) return m;
        throw new AssertionError("no method " + name);
    }

    @Test
    void fitExample() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Object[] out;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Dataset test = Dataset.fromTable(Matrix.rowMajor(table(), M, N + 1), N);
            out = (Object[]) method("fit").invoke(null, table(), M, N, test, dir.resolve("model.json").toString());
        } finally {
            System.setErr(err);
        }
        FitResult fit = (FitResult) out[0];
        assertTrue(fit.converged(), fit.stopReason() + ": " + fit.message());
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "the README prints only when the fit did not converge");
        assertArrayEquals(TRUE_THETA, fit.coefficients(), 1e-8);
        assertEquals(TRUE_B, fit.intercept(), 1e-8);
        LinearModel model = (LinearModel) out[1];
        double[] predicted = (double[]) out[2];
        assertEquals(M, predicted.length);
        assertEquals(TRUE_B + TRUE_THETA[0] * 0.5 + TRUE_THETA[1] * 0.25, model.predict(new double[] {0.5, 0.25, 0}), 1e-7);
        assertEquals(1.0, (double) out[3], 1e-9, "R² of noise-free data");
        assertEquals(model, out[4], "the saved and loaded model equals the fitted one");
        double oneExpected = TRUE_B + TRUE_THETA[0] * 120 + TRUE_THETA[1] * 4 + TRUE_THETA[2] * 31;
        assertEquals(oneExpected, (double) out[5], 1e-6, "the loaded model's prediction of the README's row");
    }

    @Test
    void ownLoopExample() throws Exception {
        Dataset data = Dataset.fromTable(Matrix.rowMajor(table(), M, N + 1), N);
        double[] p = new double[N + 1];
        method("ownLoop").invoke(null, data, M, N, p, 200, 0.5);
        for (int j = 0; j < N; j++) assertEquals(TRUE_THETA[j], p[j], 1e-6, "θ" + (j + 1));
        assertEquals(TRUE_B, p[N], 1e-6, "intercept");
    }

    @Test
    void mappedExample() throws Exception {
        Path npy = dir.resolve("table.npy");
        NpyWriter.write(npy, Matrix.rowMajor(table(), M, N + 1));
        FitResult r = (FitResult) method("mapped").invoke(null, npy.toString(), N);
        assertTrue(r.converged(), r.stopReason() + ": " + r.message());
        assertArrayEquals(TRUE_THETA, r.coefficients(), 1e-8);
        assertEquals(TRUE_B, r.intercept(), 1e-8);
    }
}
