package dev.vecgd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scalar fallback, in forked JVMs (the kernel choice is made once per JVM): without
 * {@code --add-modules jdk.incubator.vector} the library still works, uses the scalar kernels and
 * says once, on stderr, how to enable SIMD; with the module, {@code -Dvecgd.kernel=scalar} forces
 * the scalar kernels silently.
 */
class FallbackTest {

    private static final String HINT = "--add-modules jdk.incubator.vector";
    private static final long TIMEOUT_SECONDS = 120;
    /** Relative tolerance against the in-test computation (same summation order: equal in practice). */
    private static final double REL_TOL = 1e-14;

    @TempDir
    Path tmp;

    private record Run(int exit, Map<String, String> out, String stdout, String stderr) {
    }

    private Run fork(String... jvmOptions) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Xmx64m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(Arrays.asList(jvmOptions));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FallbackMain.class.getName());
        Path stdout = Files.createTempFile(tmp, "out", ".txt");
        Path stderr = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("forked JVM did not finish in " + TIMEOUT_SECONDS + " s: " + cmd);
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : out.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) kv.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return new Run(p.exitValue(), kv, out, err);
    }

    @Test
    void withoutTheModuleUsesScalarKernelsAndSaysHowToEnableSimd() throws Exception {
        Run run = fork();
        assertEquals(0, run.exit(), () -> "exit code; stdout:\n" + run.stdout() + "\nstderr:\n" + run.stderr());
        assertEquals("scalar", run.out().get("implementation"), run.stdout());
        assertResultsMatch(run);
        long hints = run.stderr().lines().filter(l -> l.contains(HINT)).count();
        assertEquals(1, hints, () -> "one line with the hint \"" + HINT + "\" on stderr:\n" + run.stderr());
        assertTrue(run.stderr().lines().anyMatch(l -> l.contains("using scalar kernels") && l.contains(HINT)),
                () -> "the hint is on the line that says scalar kernels are used:\n" + run.stderr());
    }

    @Test
    void scalarPropertyForcesScalarKernelsWithTheModule() throws Exception {
        Run run = fork("--add-modules", "jdk.incubator.vector", "-D" + KernelProvider.IMPL_PROPERTY + "=scalar");
        assertEquals(0, run.exit(), () -> "exit code; stdout:\n" + run.stdout() + "\nstderr:\n" + run.stderr());
        assertEquals("scalar", run.out().get("implementation"), run.stdout());
        assertResultsMatch(run);
        assertTrue(run.stderr().lines().noneMatch(l -> l.contains("using scalar kernels")),
                () -> "forcing scalar is not a fallback and is not logged:\n" + run.stderr());
    }

    /** Compares the forked results with the fused pass computed here with plain loops. */
    private static void assertResultsMatch(Run run) {
        assertEquals("scalar (segments)", run.out().get("segment.implementation"), run.stdout());
        double fusedSs = Double.parseDouble(run.out().get("ss"));
        assertEquals(fusedSs, Double.parseDouble(run.out().get("segment.ss")), 1e-12 * fusedSs, run.stdout());
        assertEquals("scalar (float32)", run.out().get("float.implementation"), run.stdout());
        assertEquals(fusedSs, Double.parseDouble(run.out().get("float.ss")), 0.0, "heap float32: the scalar bits\n" + run.stdout());
        int m = FallbackMain.M;
        int n = FallbackMain.N;
        double[] x = FallbackMain.x();
        double[] y = FallbackMain.y();
        double[] r = new double[m];
        double[] g = FallbackMain.G0.clone();
        double ss = 0;
        for (int i = 0; i < m; i++) {
            double dot = 0;
            for (int j = 0; j < n; j++) dot += x[i * n + j] * FallbackMain.THETA[j];
            r[i] = dot + FallbackMain.B - y[i];
            for (int j = 0; j < n; j++) g[j] += r[i] * x[i * n + j];
            g[n] += r[i];
            ss += r[i] * r[i];
        }
        assertNear("ss", new double[] {ss}, parse(run, "ss"));
        assertNear("r", r, parse(run, "r"));
        assertNear("g", g, parse(run, "g"));
    }

    private static double[] parse(Run run, String key) {
        String v = run.out().get(key);
        assertTrue(v != null, () -> "no " + key + "= line in\n" + run.stdout());
        return Arrays.stream(v.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static void assertNear(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int k = 0; k < expected.length; k++) {
            double tol = REL_TOL * Math.max(1, Math.abs(expected[k]));
            assertEquals(expected[k], actual[k], tol, what + "[" + k + "]");
        }
    }
}
