package dev.vecgd.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/** Checks of input and output paths, reported as usage errors (exit status 2). */
final class Inputs {

    private Inputs() {
    }

    static void requireReadable(Path file) throws UsageException {
        if (!Files.exists(file)) throw new UsageException(file + ": no such file");
        if (Files.isDirectory(file)) throw new UsageException(file + ": is a directory, expected a file");
        if (!Files.isReadable(file)) throw new UsageException(file + ": not readable");
    }

    /**
     * An output path may be written: it is not one of the inputs (not even with --force), and it does
     * not exist unless {@code force}.
     */
    static void requireWritable(Path out, String flag, boolean force, Collection<Path> inputs) throws UsageException {
        for (Path in : inputs) {
            if (in != null && same(out, in)) {
                throw new UsageException(flag + " " + out + " is an input file; refusing to overwrite it");
            }
        }
        if (Files.isDirectory(out)) throw new UsageException(flag + " " + out + " is a directory");
        if (Files.exists(out) && !force) {
            throw new UsageException(flag + " " + out + " exists; use --force to overwrite it");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageException(flag + " " + out + ": directory " + parent + " does not exist");
        }
    }

    static boolean same(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        } catch (IOException ignored) {
            // fall through to the path comparison
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
