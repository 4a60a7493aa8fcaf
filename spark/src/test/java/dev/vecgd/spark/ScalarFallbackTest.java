package dev.vecgd.spark;

import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executors without the Vector API module fall back to the scalar kernels and the job succeeds: a
 * local[4] Spark fit in a forked JVM started with Spark's flags but <b>without</b>
 * {@code --add-modules jdk.incubator.vector}.
 */
class ScalarFallbackTest {

    @TempDir
    Path tmp;

    @Test
    void aJvmWithoutTheVectorModuleFitsWithScalarKernels() throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Xmx1g");
        for (String a : ProcessHandle.current().info().arguments().orElse(new String[0])) {
            // Spark's --add-opens and friends, as this JVM got them, minus the Vector API module
            if (a.startsWith("--add-opens=") || a.startsWith("--enable-native-access=") || a.startsWith("--sun-misc-")
                    || a.startsWith("-Dio.netty")) cmd.add(a);
        }
        assertTrue(cmd.stream().anyMatch(a -> a.startsWith("--add-opens=java.base/java.nio")), () -> "Spark's flags: " + cmd);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ScalarExecutorMain.class.getName());
        assertTrue(cmd.stream().noneMatch(a -> a.contains("jdk.incubator.vector")), () -> "no Vector API: " + cmd);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the forked Spark JVM did not finish in 180 s");
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> "exit code\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : stdout.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) kv.put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertEquals("scalar", kv.get("driver"), stdout);
        assertEquals("spark executors: scalar (4 partitions)", kv.get("implementation"), stdout);
        assertEquals("true", kv.get("converged"), stdout);
        assertTrue(stderr.lines().anyMatch(l -> l.contains("using scalar kernels") && l.contains("--add-modules jdk.incubator.vector")),
                () -> "the one-line hint:\n" + stderr);
        // the same answer as a local fit here (vector kernels): rounding differences only
        TestData data = new TestData(5_003, 3, 0.5, 11);
        FitResult local = LinearRegression.fit(data.local(), FitOptions.builder().solver("cg").build());
        for (int j = 0; j < 3; j++) {
            assertEquals(local.coefficient(j), Double.parseDouble(kv.get("theta" + j)), 1e-9 * Math.abs(local.coefficient(j)));
        }
        assertEquals(local.intercept(), Double.parseDouble(kv.get("intercept")), 1e-9 * Math.abs(local.intercept()));
        assertTrue(Arrays.asList(stdout.split("\\R")).size() >= 6, stdout);
    }
}
