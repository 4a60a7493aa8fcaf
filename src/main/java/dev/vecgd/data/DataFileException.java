package dev.vecgd.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that cannot be used as it is: wrong magic, unsupported version or dtype, truncated
 * payload, shape and size that do not match. The message names the file and the problem.
 */
public final class DataFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public DataFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** The file concerned. */
    public Path file() {
        return file;
    }
}
