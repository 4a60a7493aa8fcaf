package dev.vecgd.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vecgd.kernel.Kernels;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Records what the benchmark numbers depend on, as a small JSON file beside the JMH results: the
 * kernel implementation and species that {@link Kernels} chose in a JVM started with the same flags
 * as the forks, the read probe's species, the CPU model, the JDK and the machine.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar
 * dev.vecgd.bench.report.EnvMain OUT.json} (stdout when no file is given).
 */
public final class EnvMain {

    private EnvMain() {
    }

    public static void main(String[] args) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String json = mapper.writeValueAsString(capture(mapper));
        if (args.length == 0) {
            System.out.println(json);
        } else {
            Path out = Path.of(args[0]);
            if (out.toAbsolutePath().getParent() != null) Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, json + System.lineSeparator());
        }
    }

    static ObjectNode capture(ObjectMapper mapper) {
        ObjectNode env = mapper.createObjectNode();
        env.put("kernels", Kernels.implementation());
        env.put("kernelVectorBits", Kernels.vectorBits());
        env.put("vectorized", Kernels.isVectorized());
        env.put("vectorBitsProperty", System.getProperty("vecgd.vector.bits", "unset"));
        env.put("readProbeSpecies", probeSpecies());
        env.put("preferredVectorBits", preferredBits());
        env.put("cpuModel", cpuModel());
        env.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        env.put("memTotal", memTotal());
        env.put("jdk", System.getProperty("java.runtime.version"));
        env.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("jvmInputArguments", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        env.put("capturedAt", Instant.now().toString());
        return env;
    }

    private static String probeSpecies() {
        try {
            return dev.vecgd.bench.ReadProbe.SPECIES.toString();
        } catch (LinkageError e) {
            return "unavailable (" + e + "): start java with --add-modules jdk.incubator.vector";
        }
    }

    /** The hardware's (preferred) vector width in bits, what the read probes use; 0 without the Vector API. */
    private static int preferredBits() {
        try {
            return dev.vecgd.bench.ReadProbe.SPECIES.vectorBitSize();
        } catch (LinkageError e) {
            return 0;
        }
    }

    /** The "model name" of /proc/cpuinfo, with the number of such lines; "unknown" elsewhere. */
    static String cpuModel() {
        try {
            List<String> models = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .toList();
            if (models.isEmpty()) return "unknown";
            boolean avx512 = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .anyMatch(l -> l.startsWith("flags") && l.contains(" avx512f"));
            return models.get(0) + " (" + models.size() + " logical CPUs" + (avx512 ? ", AVX-512F" : "") + ")";
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
