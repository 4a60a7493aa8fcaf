package dev.vecgd.cli;

/** A command-line mistake: reported as {@code vecgd: error: <message>} with exit status 2. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
