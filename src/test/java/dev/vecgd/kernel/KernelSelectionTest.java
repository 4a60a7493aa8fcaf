package dev.vecgd.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 18: choosing the kernels from code (forked JVMs: the choice is once per JVM) and {@link Kernels#warmUp()}. */
class KernelSelectionTest {

    @TempDir
    Path tmp;

    private Map<String, String> fork(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), SelectionMain.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("forked JVM did not finish: " + cmd);
        }
        assertEquals(0, p.exitValue(), () -> "exit code; stderr: " + read(err));
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : read(out).split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) kv.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return kv;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void scalarSelectedFromCodeIsUsedAndCannotBeSwitchedLater() throws Exception {
        Map<String, String> r = fork("SCALAR", "VECTOR");
        assertEquals("false", r.get("chosenBefore"));
        assertEquals("scalar", r.get("implementation"));
        assertEquals("false", r.get("vectorized"));
        assertTrue(r.get("segment").startsWith("scalar"), r.get("segment"));
        assertEquals("3.5,7.5", r.get("predictions"));
        assertTrue(r.get("second").contains("already chosen (scalar)") && r.get("second").contains("-Dvecgd.kernel=vector"),
                r.get("second"));
        assertTrue(Double.parseDouble(r.get("warmUpSeconds")) > 0);
    }

    @Test
    void vectorSelectedFromCodeIsUsed() throws Exception {
        Map<String, String> r = fork("VECTOR", "SCALAR");
        assertTrue(r.get("implementation").startsWith("vector"), r.get("implementation"));
        assertEquals("3.5,7.5", r.get("predictions"));
        assertTrue(r.get("second").contains("already chosen (vector"), r.get("second"));
    }

    @Test
    void warmUpRunsEveryKernelAndChangesNoResult() throws Exception {
        Matrix x = Matrix.rowMajor(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        double[] before = Kernels.predict(x, new double[] {0.5, -1}, 2);
        Duration d = Kernels.warmUp();
        assertTrue(d.toNanos() > 0);
        System.out.println("Kernels.warmUp(): " + d.toMillis() + " ms (" + Kernels.implementation() + ")");
        assertEquals(List.of(before[0], before[1], before[2]),
                List.of(Kernels.predict(x, new double[] {0.5, -1}, 2)[0], Kernels.predict(x, new double[] {0.5, -1}, 2)[1],
                        Kernels.predict(x, new double[] {0.5, -1}, 2)[2]));
        var f = Kernels.warmUpInBackground();
        assertSame(f, Kernels.warmUpInBackground(), "started at most once");
        assertTrue(f.get(120, TimeUnit.SECONDS).toNanos() > 0);
        // selecting the active implementation later is a no-op
        KernelSelection.select(Kernels.isVectorized() ? KernelSelection.Implementation.VECTOR : KernelSelection.Implementation.SCALAR);
        assertTrue(KernelSelection.isChosen());
    }
}
