package dev.vecgd.spark;

import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

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
        ForkedJvm.Result run = ForkedJvm.run(tmp, false, ScalarExecutorMain.class);
        String stdout = run.stdout();
        String stderr = run.stderr();
        assertEquals(0, run.exit(), () -> "exit code\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
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
