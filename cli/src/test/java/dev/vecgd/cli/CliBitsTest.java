package dev.vecgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vecgd bench --bits} in fresh JVMs (the kernel width is fixed once per JVM): the requested width
 * really runs and is printed; a width wider than the hardware's (simulated with
 * {@code -XX:MaxVectorSize}) runs at the hardware's width and says so; scalar kernels refuse {@code --bits}.
 */
class CliBitsTest {

    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private Run fork(List<String> jvmOptions, String... args) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Xmx256m");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(Arrays.asList(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("forked JVM did not finish in " + TIMEOUT_SECONDS + " s: " + cmd);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static final List<String> VECTOR = List.of("--add-modules", "jdk.incubator.vector");

    private static int hardwareBits() {
        return jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.vectorBitSize();
    }

    @Test
    void eachWidthTheHardwareHasRunsAndIsPrinted() throws Exception {
        int checked = 0;
        for (int bits : new int[] {512, 256, 128}) {
            if (bits > hardwareBits()) continue;
            Run r = fork(VECTOR, "bench", "--bits", String.valueOf(bits), "--rows", "4096", "--cols", "16", "--repeats", "1", "--json");
            assertEquals(0, r.exit(), () -> r.out() + r.err());
            JsonNode j = ModelJson.MAPPER.readTree(r.out());
            assertEquals(bits, j.get("vectorBits").asInt(), r.out());
            assertEquals(bits, j.get("requestedBits").asInt(), r.out());
            assertTrue(j.get("kernel").asText().contains(bits + "-bit"), r.out());
            assertTrue(j.get("gradientRelativeDifference").asDouble() < 1e-9, r.out());
            checked++;
        }
        assertTrue(checked >= 1, "at least one width checked");
        Run text = fork(VECTOR, "bench", "--bits", "128", "--rows", "4096", "--cols", "7", "--repeats", "1");
        assertEquals(0, text.exit(), () -> text.out() + text.err());
        assertTrue(text.out().contains("kernels: vector: 128-bit"), text.out());
        assertTrue(text.out().contains("vector width: 128-bit (--bits 128; hardware's widest: " + hardwareBits() + "-bit"), text.out());
    }

    @Test
    void aWidthWiderThanTheHardwaresRunsAtTheHardwaresAndSaysSo() throws Exception {
        List<String> opts = new ArrayList<>(VECTOR);
        opts.add("-XX:MaxVectorSize=16"); // a 128-bit machine, like ARM NEON
        Run r = fork(opts, "bench", "--bits", "512", "--rows", "4096", "--cols", "16", "--repeats", "1");
        assertEquals(0, r.exit(), () -> r.out() + r.err());
        assertTrue(r.out().contains("vector width: 128-bit (--bits 512; hardware's widest: 128-bit"), r.out());
        assertTrue(r.out().contains("note: --bits 512 is wider than this hardware's 128-bit vectors: the kernels ran at 128 bits"), r.out());
        Run j = fork(opts, "bench", "--bits", "256", "--rows", "4096", "--cols", "16", "--repeats", "1", "--json");
        assertEquals(0, j.exit(), () -> j.out() + j.err());
        JsonNode o = ModelJson.MAPPER.readTree(j.out());
        assertEquals(128, o.get("vectorBits").asInt());
        assertEquals(256, o.get("requestedBits").asInt());
        assertEquals(128, o.get("hardwareVectorBits").asInt());
        assertTrue(o.get("widthNote").asText().contains("wider than this hardware's 128-bit"), j.out());
    }

    @Test
    void scalarKernelsRefuseBits() throws Exception {
        List<String> opts = new ArrayList<>(VECTOR);
        opts.add("-Dvecgd.kernel=scalar");
        Run r = fork(opts, "bench", "--bits", "256", "--rows", "1000", "--repeats", "1");
        assertEquals(2, r.exit(), () -> r.out() + r.err());
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("vecgd: error: --bits 256 needs the Vector API kernels"), r.err());
    }
}
