package dev.vecgd.model;

/**
 * A model file that is not valid JSON, not a vecgd model, of an unknown version, or with a missing, extra or
 * ill-typed field. The message names the problem and, for syntax errors, the line and column.
 */
public final class ModelFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }
}
