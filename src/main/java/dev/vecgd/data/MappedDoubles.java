package dev.vecgd.data;

import dev.vecgd.kernel.ElementType;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.kernel.SegmentVector;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file of little-endian doubles (or floats: {@link ElementType#FLOAT32}) mapped into memory, <b>read-only and
 * zero-copy</b>: a numpy {@code .npy} file ({@link #npy(Path)}, dtype {@code <f8} or {@code <f4} from its header)
 * or a raw file of a given shape and element type ({@link #raw}). The payload is
 * mapped with {@link FileChannel#map(FileChannel.MapMode, long, long, Arena)} into a shared
 * {@link Arena}; the file is opened with {@link StandardOpenOption#READ} only and never modified.
 * {@link #close()} unmaps it (after which the views must not be used).
 *
 * <p>A 2-D array is an m×n {@link SegmentMatrix} ({@code fortran_order: True} = column-major); a 1-D
 * array is an m×1 matrix (and a {@link #vector()}). Shapes and row counts are {@code long}.
 * Requires a little-endian platform (x86, AArch64), since the kernels read native order.
 */
public final class MappedDoubles implements AutoCloseable {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;
    private final long[] shape;
    private final Layout layout;
    private final ElementType type;

    private MappedDoubles(Path path, Arena arena, MemorySegment segment, long[] shape, Layout layout, ElementType type) {
        this.type = type;
        this.path = path;
        this.arena = arena;
        this.segment = segment;
        this.shape = shape;
        this.layout = layout;
    }

    /**
     * Maps a {@code .npy} file (format version 1.0, 2.0 or 3.0, dtype {@code '<f8'} or {@code '<f4'} (float32:
     * {@link #elementType()}), 1-D or 2-D, C or Fortran order).
     *
     * @throws DataFileException naming the file and the problem: wrong magic, unsupported version,
     *                           big-endian dtype or one other than f8 and f4, bad header, truncated payload or extra bytes
     * @throws IOException       if the file cannot be read
     */
    public static MappedDoubles npy(Path path) throws IOException {
        Objects.requireNonNull(path, "path is null");
        requireLittleEndianPlatform(path);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pre, 0, path);
            int got = pre.position();
            pre.flip();
            byte[] magic = new byte[Math.min(6, got)];
            pre.get(magic);
            if (got < 6 || !Arrays.equals(magic, MAGIC)) {
                throw new DataFileException(path, "not a .npy file (wrong magic: the file must start with \\x93NUMPY)");
            }
            if (got < 10) throw new DataFileException(path, "truncated .npy header (" + size + " bytes)");
            int major = pre.get() & 0xff;
            int minor = pre.get() & 0xff;
            long headerLen;
            int headerStart;
            if (major == 1) {
                headerLen = pre.getShort() & 0xffff;
                headerStart = 10;
            } else if (major == 2 || major == 3) {
                if (got < 12) throw new DataFileException(path, "truncated .npy header (" + size + " bytes)");
                headerLen = pre.getInt() & 0xffffffffL;
                headerStart = 12;
            } else {
                throw new DataFileException(path, "unsupported .npy format version " + major + "." + minor
                        + " (supported: 1.0, 2.0, 3.0)");
            }
            if (minor != 0) {
                throw new DataFileException(path, "unsupported .npy format version " + major + "." + minor
                        + " (supported: 1.0, 2.0, 3.0)");
            }
            long dataStart = headerStart + headerLen;
            if (headerLen > 1 << 20 || dataStart > size) {
                throw new DataFileException(path, "truncated .npy header: it claims " + headerLen + " bytes, the file has "
                        + size);
            }
            if (dataStart % 8 != 0) { // the elements are read aligned; the format pads the header to 64 bytes
                throw new DataFileException(path, "the data starts at byte " + dataStart + ", not a multiple of 8: the"
                        + " .npy header must be padded (NumPy pads it to a multiple of 64 bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, headerStart, path);
            String header = new String(hb.array(), 0, hb.position(),
                    major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            String descr = find(DESCR, header, "descr", path);
            if (descr.length() >= 1 && descr.charAt(0) == '>') {
                throw new DataFileException(path, "big-endian dtype '" + descr + "' is not supported (need '<f8', "
                        + "little-endian float64, or '<f4', little-endian float32: convert with arr.astype('<f8'))");
            }
            ElementType type;
            if (descr.equals("<f8")) {
                type = ElementType.FLOAT64;
            } else if (descr.equals("<f4")) {
                type = ElementType.FLOAT32;
            } else {
                throw new DataFileException(path, "dtype '" + descr + "' is not supported (need '<f8', little-endian float64,"
                        + " or '<f4', little-endian float32)");
            }
            int eb = type.bytes();
            boolean fortran = find(FORTRAN, header, "fortran_order", path).equals("True");
            long[] shape = parseShape(find(SHAPE, header, "shape", path), path);
            long elements = elements(shape, path);
            long payload = size - dataStart;
            if (payload < elements * eb) {
                throw new DataFileException(path, "truncated payload: shape " + Arrays.toString(shape) + " needs "
                        + elements * eb + " bytes after the header, the file has " + payload);
            }
            if (payload > elements * eb) {
                throw new DataFileException(path, "shape/size mismatch: shape " + Arrays.toString(shape) + " needs "
                        + elements * eb + " bytes after the header, the file has " + payload + " (extra bytes)");
            }
            return map(ch, path, dataStart, elements * eb, shape, fortran ? Layout.COLUMN_MAJOR : Layout.ROW_MAJOR, type);
        }
    }

    /**
     * Maps a raw file of {@code rows × cols} little-endian doubles (no header) in the given layout.
     *
     * @throws DataFileException if the file size is not {@code 8·rows·cols} bytes
     */
    public static MappedDoubles raw(Path path, long rows, int cols, Layout layout) throws IOException {
        return raw(path, rows, cols, layout, ElementType.FLOAT64);
    }

    /**
     * Maps a raw file of {@code rows × cols} little-endian elements of the given type (no header) in the given layout.
     *
     * @throws DataFileException if the file size is not {@code type.bytes()·rows·cols} bytes
     */
    public static MappedDoubles raw(Path path, long rows, int cols, Layout layout, ElementType type) throws IOException {
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(layout, "layout is null");
        Objects.requireNonNull(type, "type is null");
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("rows and cols must be >= 1, got " + rows + "x" + cols);
        requireLittleEndianPlatform(path);
        long[] shape = {rows, cols};
        long elements = elements(shape, path);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            int eb = type.bytes();
            String what = type == ElementType.FLOAT32 ? " floats" : " doubles";
            if (size != elements * eb) {
                throw new DataFileException(path, "shape/size mismatch: " + rows + "x" + cols + what + " need "
                        + elements * eb + " bytes, the file has " + size
                        + (size % eb != 0 ? " (not a whole number of" + what + ")" : " (" + size / eb + what + ")"));
            }
            return map(ch, path, 0, size, shape, layout, type);
        }
    }

    private static MappedDoubles map(FileChannel ch, Path path, long offset, long bytes, long[] shape, Layout layout,
                                     ElementType type) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment seg = bytes == 0 ? arena.allocate(8, 64)
                    : ch.map(FileChannel.MapMode.READ_ONLY, offset, bytes, arena);
            return new MappedDoubles(path, arena, seg, shape, layout, type);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static void requireLittleEndianPlatform(Path path) throws DataFileException {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new DataFileException(path, "mapping little-endian doubles needs a little-endian platform");
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path path) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) break;
        }
    }

    private static String find(Pattern p, String header, String key, Path path) throws DataFileException {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new DataFileException(path, "bad .npy header: no valid '" + key + "' entry in " + header.trim());
        return m.group(1);
    }

    private static long[] parseShape(String s, Path path) throws DataFileException {
        String[] parts = s.split(",");
        long[] out = new long[parts.length];
        int k = 0;
        for (String p : parts) {
            String t = p.trim();
            if (t.isEmpty()) continue;
            try {
                out[k++] = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
            } catch (NumberFormatException e) {
                throw new DataFileException(path, "bad .npy header: shape (" + s + ")");
            }
        }
        long[] shape = Arrays.copyOf(out, k);
        if (shape.length < 1 || shape.length > 2) {
            throw new DataFileException(path, "shape " + Arrays.toString(shape) + " is not supported (need 1-D or 2-D)");
        }
        return shape;
    }

    private static long elements(long[] shape, Path path) throws DataFileException {
        long e = 1;
        for (long d : shape) {
            if (d < 0) throw new DataFileException(path, "negative dimension in shape " + Arrays.toString(shape));
            try {
                e = Math.multiplyExact(e, d);
                Math.multiplyExact(e, 8L);
            } catch (ArithmeticException ex) {
                throw new DataFileException(path, "shape " + Arrays.toString(shape) + " overflows");
            }
        }
        return e;
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** The shape, as in the file ({@code [m]} or {@code [m, n]}). */
    public long[] shape() {
        return shape.clone();
    }

    /** m: the first dimension. */
    public long rows() {
        return shape[0];
    }

    /** n: the second dimension (1 for a 1-D array). */
    public int cols() {
        if (shape.length == 1) return 1;
        if (shape[1] > Integer.MAX_VALUE) throw new IllegalStateException(path + ": more than 2^31-1 columns");
        return (int) shape[1];
    }

    /** Row- or column-major ({@code fortran_order}). */
    public Layout layout() {
        return layout;
    }

    /** How the elements are stored: {@code <f8} (FLOAT64) or {@code <f4} (FLOAT32). */
    public ElementType elementType() {
        return type;
    }

    /** The mapped payload (read-only). */
    public MemorySegment segment() {
        return segment;
    }

    /** The array as an m×n matrix view (a 1-D array is m×1). */
    public SegmentMatrix matrix() {
        long m = rows();
        int n = cols();
        return layout == Layout.ROW_MAJOR
                ? new SegmentMatrix(segment, 0, m, n, Math.max(1, n), layout, type)
                : new SegmentMatrix(segment, 0, m, n, Math.max(1, m), layout, type);
    }

    /**
     * A 1-D array (or an m×1 matrix) of doubles as a vector.
     *
     * @throws IllegalStateException for another shape, or float32 elements ({@link SegmentVector} holds doubles)
     */
    public SegmentVector vector() {
        if (cols() != 1) throw new IllegalStateException(path + " has shape " + Arrays.toString(shape) + ", not a vector");
        if (type != ElementType.FLOAT64) {
            throw new IllegalStateException(path + " holds float32 elements; a SegmentVector holds doubles (copy it)");
        }
        return SegmentVector.of(segment);
    }

    /** Unmaps the file; idempotent. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }

    @Override
    public String toString() {
        return "MappedDoubles[" + path + ", shape " + Arrays.toString(shape) + ", " + layout
                + (type == ElementType.FLOAT64 ? "" : ", " + type.dtypeName()) + "]";
    }
}
