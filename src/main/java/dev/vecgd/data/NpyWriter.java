package dev.vecgd.data;

import dev.vecgd.kernel.ElementType;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.SegmentMatrix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes a C-order (row-major) {@code '<f8'} {@code .npy} file of {@code rows × cols} doubles (or, created with
 * {@link ElementType#FLOAT32}, a {@code '<f4'} file of floats: each value rounded to float once), <b>streamed</b>: values are appended in row order through a 1 MiB buffer, so arrays of any size
 * can be written without holding them in memory. Format version 1.0 when the header fits, else 2.0.
 * {@link #close()} checks that exactly {@code rows·cols} values were written: an incomplete file is
 * deleted and the call throws.
 *
 * <pre>{@code
 * try (NpyWriter w = NpyWriter.create(path, m, n)) {
 *     for (long i = 0; i < m; i++) w.appendRow(row, 0);
 * }
 * }</pre>
 */
public final class NpyWriter implements AutoCloseable {

    private static final int BUFFER = 1 << 20;

    private final Path path;
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private final long expected;
    private final int cols;
    private final ElementType type;
    private long written;
    private boolean closed;

    private NpyWriter(Path path, FileChannel ch, long expected, int cols, ElementType type) {
        this.type = type;
        this.path = path;
        this.ch = ch;
        this.expected = expected;
        this.cols = cols;
    }

    /**
     * Creates (or truncates) {@code path} and writes the header of a {@code rows × cols} array; with
     * {@code cols = 0} a 1-D array of {@code rows} values is written.
     */
    public static NpyWriter create(Path path, long rows, int cols) throws IOException {
        return create(path, rows, cols, ElementType.FLOAT64);
    }

    /**
     * {@link #create(Path, long, int)} for elements of the given type: {@code '<f8'} or {@code '<f4'} (float32: every
     * appended value is rounded to the nearest float; a finite value that overflows float32 is rejected).
     */
    public static NpyWriter create(Path path, long rows, int cols, ElementType type) throws IOException {
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(type, "type is null");
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("shape must be >= 0, got " + rows + "x" + cols);
        long elements = Math.multiplyExact(rows, (long) Math.max(1, cols));
        Math.multiplyExact(elements, 8L);
        String shape = cols == 0 ? "(" + rows + ",)" : "(" + rows + ", " + cols + ")";
        String dict = "{'descr': '" + type.npyDescr() + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int version = dict.length() + 1 + 10 <= 65535 ? 1 : 2;
        int pre = version == 1 ? 10 : 12;
        int total = (pre + dict.length() + 1 + 63) / 64 * 64;
        StringBuilder h = new StringBuilder(dict);
        while (pre + h.length() + 1 < total) h.append(' ');
        h.append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer head = ByteBuffer.allocate(pre + hb.length).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) version).put((byte) 0);
        if (version == 1) head.putShort((short) hb.length);
        else head.putInt(hb.length);
        head.put(hb).flip();
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            while (head.hasRemaining()) ch.write(head);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new NpyWriter(path, ch, elements, cols, type);
    }

    /** Writes a heap matrix (any layout or stride) as a C-order {@code .npy}. */
    public static void write(Path path, Matrix x) throws IOException {
        try (NpyWriter w = create(path, x.rows(), x.cols())) {
            for (int i = 0; i < x.rows(); i++) {
                for (int j = 0; j < x.cols(); j++) w.append(x.data()[x.index(i, j)]);
            }
        }
    }

    /** Writes a heap matrix as a C-order {@code .npy} of the given element type (float32: rounded once). */
    public static void write(Path path, Matrix x, ElementType type) throws IOException {
        try (NpyWriter w = create(path, x.rows(), x.cols(), type)) {
            for (int i = 0; i < x.rows(); i++) {
                for (int j = 0; j < x.cols(); j++) w.append(x.data()[x.index(i, j)]);
            }
        }
    }

    /** Writes an off-heap matrix (any layout or stride) as a C-order {@code .npy} of its own element type. */
    public static void write(Path path, SegmentMatrix x) throws IOException {
        try (NpyWriter w = create(path, x.rows(), x.cols(), x.elementType())) {
            for (long i = 0; i < x.rows(); i++) {
                for (int j = 0; j < x.cols(); j++) w.append(x.get(i, j));
            }
        }
    }

    /** Writes a 1-D array. */
    public static void write(Path path, double[] v) throws IOException {
        try (NpyWriter w = create(path, v.length, 0)) {
            for (double d : v) w.append(d);
        }
    }

    /**
     * Appends the next value (row order); a float32 file stores it rounded to the nearest float.
     *
     * @throws IllegalArgumentException if the file is float32 and the finite v overflows float32
     */
    public void append(double v) throws IOException {
        if (written >= expected) throw new IllegalStateException(path + ": all " + expected + " values are already written");
        if (!buf.hasRemaining()) flush();
        if (type == ElementType.FLOAT32) {
            float f = (float) v;
            if (Float.isInfinite(f) && Double.isFinite(v)) {
                throw new IllegalArgumentException(path + ": value " + written + " (row " + written / Math.max(1, cols)
                        + ", column " + written % Math.max(1, cols) + ") = " + v + " is not finite in float32 (|x| > "
                        + Float.MAX_VALUE + ")");
            }
            buf.putFloat(f);
        } else {
            buf.putDouble(v);
        }
        written++;
    }

    /** The element type of the file ({@code <f8} or {@code <f4}). */
    public ElementType elementType() {
        return type;
    }

    /** Appends one row: {@code row[off .. off + cols)} (or one value for a 1-D array). */
    public void appendRow(double[] row, int off) throws IOException {
        int n = Math.max(1, cols);
        for (int j = 0; j < n; j++) append(row[off + j]);
    }

    /** Values written so far. */
    public long written() {
        return written;
    }

    private void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) ch.write(buf);
        buf.clear();
    }

    /**
     * Flushes and closes. If fewer than {@code rows·cols} values were written the file is deleted and
     * a {@link DataFileException} is thrown.
     */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try (ch) {
            flush();
        }
        if (written != expected) {
            Files.deleteIfExists(path);
            throw new DataFileException(path, "incomplete: " + written + " of " + expected + " values written; file deleted");
        }
    }
}
