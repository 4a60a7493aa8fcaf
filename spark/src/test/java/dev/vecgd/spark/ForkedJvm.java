package dev.vecgd.spark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class in a new JVM with this JVM's Spark flags and class path (a Spark app needs a JVM of its own). */
final class ForkedJvm {

    record Result(int exit, String stdout, String stderr) {
    }

    private ForkedJvm() {
    }

    /**
     * @param vectorModule whether to pass {@code --add-modules=jdk.incubator.vector}
     * @param dir          where stdout and stderr are written
     */
    static Result run(Path dir, boolean vectorModule, Class<?> main, String... args) throws Exception {
        return run(dir, vectorModule, java.util.Map.of(), main, args);
    }

    /** {@link #run(Path, boolean, Class, String...)} with extra environment variables. */
    static Result run(Path dir, boolean vectorModule, java.util.Map<String, String> env, Class<?> main, String... args)
            throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Xmx1g");
        if (vectorModule) cmd.add("--add-modules=jdk.incubator.vector");
        for (String a : ProcessHandle.current().info().arguments().orElse(new String[0])) {
            // Spark's --add-opens and friends, as this JVM got them (the Vector API module is decided above)
            if (a.startsWith("--add-opens=") || a.startsWith("--enable-native-access=") || a.startsWith("--sun-misc-")
                    || a.startsWith("-Dio.netty")) cmd.add(a);
        }
        if (cmd.stream().noneMatch(a -> a.startsWith("--add-opens=java.base/java.nio"))) {
            throw new IllegalStateException("this JVM lacks Spark's flags: " + cmd);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the forked JVM did not finish in 180 s: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
