package dev.vecgd.spark;

import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executors in JVMs of their own: Spark's "local-cluster" mode starts a master, two workers and two executor
 * processes, so the packed blocks, the broadcast parameters and the per-partition partials really cross
 * process boundaries. The executors run the scalar kernels (as executors without the Vector API would), the
 * driver the vector ones; the job succeeds and gives the local answer. The worker needs a SPARK_HOME with a
 * jars/ directory: one is assembled here from this test's class path (Maven's Spark jars).
 */
class LocalClusterTest {

    @TempDir
    Path tmp;

    @Test
    void executorProcessesWithScalarKernelsGiveTheLocalAnswer() throws Exception {
        Path home = tmp.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p) && !Files.exists(jars.resolve(p.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
            }
        }
        ForkedJvm.Result run = ForkedJvm.run(tmp, true, Map.of("SPARK_HOME", home.toString(), "SPARK_SCALA_VERSION", "2.13"),
                LocalClusterMain.class);
        assertEquals(0, run.exit(), () -> "exit code\nstdout:\n" + run.stdout() + "\nstderr:\n" + run.stderr());
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : run.stdout().split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) kv.put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertTrue(kv.get("driver").startsWith("vector"), run.stdout());
        assertEquals("spark executors: scalar (5 partitions)", kv.get("implementation"), run.stdout());
        assertEquals("true", kv.get("converged"), run.stdout());
        assertTrue(Double.parseDouble(kv.get("se0")) > 0, run.stdout());
        TestData data = new TestData(8_009, 3, 0.5, 13);
        FitResult local = LinearRegression.fit(data.local(), FitOptions.builder().solver("cg").gradientTolerance(1e-14).build());
        for (int j = 0; j < 3; j++) {
            assertEquals(local.coefficient(j), Double.parseDouble(kv.get("theta" + j)), 1e-11 * Math.abs(local.coefficient(j)), "θ" + j);
            assertEquals("true", kv.get("same" + j), "DataFrame and RDD inputs, same partitions: the same bits");
        }
        assertEquals(local.intercept(), Double.parseDouble(kv.get("intercept")), 1e-11 * Math.abs(local.intercept()));
    }
}
