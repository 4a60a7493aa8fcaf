package dev.vecgd.spark;

import dev.vecgd.spark.example.SparkFitExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spark-submit example end to end, in a JVM of its own (it starts and stops its own SparkSession). */
class ExampleAppTest {

    @TempDir
    Path tmp;

    @Test
    void theExampleFitsTheSyntheticDataFrameAndPrintsTheCoefficients() throws Exception {
        ForkedJvm.Result run = ForkedJvm.run(tmp, true, SparkFitExample.class, "--rows", "30000", "--features", "4",
                "--partitions", "4", "--solver", "cg");
        assertEquals(0, run.exit(), () -> "exit code\nstdout:\n" + run.stdout() + "\nstderr:\n" + run.stderr());
        String out = run.stdout();
        assertTrue(out.contains("data: synthetic, 30000 rows, 4 features, label 'y', 4 partitions"), out);
        assertTrue(out.contains("kernels: spark executors: vector"), out);
        assertTrue(out.contains("cg: converged after"), out);
        // the estimates are printed next to the generating values, and are close to them
        for (String line : out.lines().filter(l -> l.trim().startsWith("x")).toList()) {
            String[] f = line.trim().split("\\s+");
            double estimate = Double.parseDouble(f[1]);
            double truth = Double.parseDouble(f[3]);
            assertEquals(truth, estimate, 0.05, line);
            assertTrue(Double.parseDouble(f[2]) > 0, "a standard error: " + line);
        }
        assertEquals(4, out.lines().filter(l -> l.trim().startsWith("x")).count(), out);
    }

    @Test
    void aMissingInputFileIsAUsageErrorNotACrash() throws Exception {
        ForkedJvm.Result run = ForkedJvm.run(tmp, true, SparkFitExample.class, "--input", tmp.resolve("nope.parquet").toString());
        assertEquals(2, run.exit(), run.stdout());
        assertTrue(run.stderr().contains("vecgd-spark: error: cannot read --input") && run.stderr().contains("nope.parquet"),
                run.stderr());
    }
}
