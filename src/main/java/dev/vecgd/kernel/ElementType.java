package dev.vecgd.kernel;

import java.lang.foreign.ValueLayout;

/**
 * How the elements of X are stored off-heap ({@link SegmentMatrix}): IEEE 754 {@code double}
 * ({@link #FLOAT64}, numpy {@code <f8}) or {@code float} ({@link #FLOAT32}, numpy {@code <f4}), in the
 * platform's native byte order. Only the storage differs: every kernel widens a float to double before
 * it multiplies it, and all sums, θ, y, residuals and gradients are doubles. float32 storage halves the
 * bytes of every pass over X; the data are rounded to float once, when they are stored.
 */
public enum ElementType {

    /** 8-byte {@code double}: the default. */
    FLOAT64(Double.BYTES, "float64", "<f8"),

    /** 4-byte {@code float}, widened to {@code double} on every read. */
    FLOAT32(Float.BYTES, "float32", "<f4");

    private final int bytes;
    private final String dtypeName;
    private final String npyDescr;

    ElementType(int bytes, String dtypeName, String npyDescr) {
        this.bytes = bytes;
        this.dtypeName = dtypeName;
        this.npyDescr = npyDescr;
    }

    /** Bytes per element: 8 or 4. */
    public int bytes() {
        return bytes;
    }

    /** The numpy-style name: {@code float64} or {@code float32}. */
    public String dtypeName() {
        return dtypeName;
    }

    /** The little-endian {@code .npy} dtype descriptor: {@code <f8} or {@code <f4}. */
    public String npyDescr() {
        return npyDescr;
    }

    /**
     * The type named {@code float64}/{@code f8}/{@code double} or {@code float32}/{@code f4}/{@code float}
     * (case-insensitive).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static ElementType parse(String name) {
        if (name != null) {
            switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "float64", "f8", "double", "<f8" -> {
                    return FLOAT64;
                }
                case "float32", "f4", "float", "<f4" -> {
                    return FLOAT32;
                }
                default -> { }
            }
        }
        throw new IllegalArgumentException("unknown element type '" + name + "' (float64 or float32)");
    }

    /** Element {@code index} of a segment of this type, widened to double (native order). */
    double get(java.lang.foreign.MemorySegment s, long index) {
        return this == FLOAT32 ? s.getAtIndex(ValueLayout.JAVA_FLOAT, index) : s.getAtIndex(ValueLayout.JAVA_DOUBLE, index);
    }
}
