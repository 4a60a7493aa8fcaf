package dev.vecgd.cli;

import dev.vecgd.kernel.ElementType;
import dev.vecgd.kernel.Layout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} (format 1.0–3.0, little-endian float64 {@code <f8} or float32 {@code <f4}, 1-D or 2-D,
 * C or Fortran order) and raw little-endian float64/float32 files, read onto the heap (float32 values widened
 * to double, exactly) and written in streamed chunks.
 *
 * <p>Full-batch fits map their file with the core's reader instead ({@code SegmentDataset.mapNpy}, zero-copy,
 * float32 kept as float32); this class serves the commands that need the values on the heap (predict,
 * mini-batches, weights, paths, a target in a middle column) and {@code vecgd generate}.
 */
final class NpyFiles {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** The parsed header of a .npy file. */
    record Header(long rows, int cols, boolean oneDimensional, Layout layout, long dataOffset, ElementType type) {
    }

    private NpyFiles() {
    }

    /** Reads and checks the header. */
    static Header header(Path file, FileChannel ch) throws UsageException, IOException {
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre, 0);
        pre.flip();
        if (pre.remaining() < 10) throw new UsageException(file + ": not a .npy file (too short)");
        for (byte b : MAGIC) {
            if (pre.get() != b) throw new UsageException(file + ": not a .npy file (bad magic bytes)");
        }
        int major = pre.get() & 0xff;
        pre.get(); // minor
        long headerLen;
        int prefix;
        if (major == 1) {
            headerLen = pre.getShort() & 0xffff;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            if (pre.remaining() < 4) throw new UsageException(file + ": corrupt .npy header");
            headerLen = pre.getInt() & 0xffffffffL;
            prefix = 12;
        } else {
            throw new UsageException(file + ": unsupported .npy format version " + major);
        }
        if (headerLen > 1 << 20 || prefix + headerLen > ch.size()) throw new UsageException(file + ": corrupt .npy header");
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        readFully(ch, hb, prefix);
        String h = new String(hb.array(), 0, hb.position(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(h);
        Matcher o = ORDER.matcher(h);
        Matcher s = SHAPE.matcher(h);
        if (!d.find() || !o.find() || !s.find()) throw new UsageException(file + ": corrupt .npy header: " + h.strip());
        ElementType type = switch (d.group(1)) {
            case "<f8", "=f8" -> ElementType.FLOAT64;
            case "<f4", "=f4" -> ElementType.FLOAT32;
            default -> throw new UsageException(file + ": unsupported dtype '" + d.group(1)
                    + "' (vecgd reads little-endian float64 '<f8' and float32 '<f4')");
        };
        String[] dims = s.group(1).split(",");
        long[] shape = new long[dims.length];
        int nd = 0;
        try {
            for (String dim : dims) {
                if (!dim.isBlank()) shape[nd++] = Long.parseLong(dim.strip());
            }
        } catch (NumberFormatException e) {
            throw new UsageException(file + ": corrupt .npy shape (" + s.group(1) + ")");
        }
        if (nd != 1 && nd != 2) throw new UsageException(file + ": a " + nd + "-dimensional array; expected 1 or 2 dimensions");
        long rows = shape[0];
        long cols = nd == 2 ? shape[1] : 1;
        if (cols > Integer.MAX_VALUE) throw new UsageException(file + ": too many columns (" + cols + ")");
        long offset = prefix + headerLen;
        long need = offset + type.bytes() * rows * cols;
        if (ch.size() < need) {
            throw new UsageException(file + ": truncated: the header announces " + rows + " × " + cols + " "
                    + type.dtypeName() + " values (" + need + " bytes) but the file has " + ch.size() + " bytes");
        }
        Layout layout = o.group(1).equals("True") ? Layout.COLUMN_MAJOR : Layout.ROW_MAJOR;
        return new Header(rows, (int) cols, nd == 1, layout, offset, type);
    }

    /** The element type of a .npy file, from its header ({@code <f8} or {@code <f4}). */
    static ElementType dtype(Path file) throws UsageException {
        Inputs.requireReadable(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, ch).type();
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Reads a whole .npy file onto the heap (a 1-D array becomes one column; float32 widened to double). */
    static Table read(Path file) throws UsageException {
        Inputs.requireReadable(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(file, ch);
            return readValues(file, ch, h.dataOffset(), h.rows(), h.cols(), h.layout(), h.type());
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Reads a raw little-endian float64 file of exactly rows × cols values. */
    static Table readRaw(Path file, long rows, int cols, Layout layout) throws UsageException {
        return readRaw(file, rows, cols, layout, ElementType.FLOAT64);
    }

    /** Reads a raw little-endian file of exactly rows × cols values of the given type (float32 widened to double). */
    static Table readRaw(Path file, long rows, int cols, Layout layout, ElementType type) throws UsageException {
        Inputs.requireReadable(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long expect = type.bytes() * rows * cols;
            if (ch.size() != expect) {
                throw new UsageException(file + ": raw " + type.dtypeName() + " data of " + rows + " × " + cols + " needs "
                        + expect + " bytes, the file has " + ch.size());
            }
            return readValues(file, ch, 0, rows, cols, layout, type);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static Table readValues(Path file, FileChannel ch, long offset, long rows, int cols, Layout layout, ElementType type)
            throws UsageException, IOException {
        if (rows < 1) throw new UsageException(file + ": no data rows");
        long count = rows * cols;
        if (count > Integer.MAX_VALUE - 8 || rows > Integer.MAX_VALUE) {
            throw new UsageException(file + ": " + rows + " × " + cols + " values do not fit in one Java array"
                    + " (the memory-mapped reader of dev.vecgd.data will lift this limit)");
        }
        double[] data = new double[(int) count];
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        int size = type.bytes();
        int done = 0;
        long pos = offset;
        while (done < count) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), (long) size * (count - done)));
            int got = readFully(ch, buf, pos);
            if (got < buf.limit()) throw new UsageException(file + ": truncated");
            pos += got;
            buf.flip();
            int k = got / size;
            if (type == ElementType.FLOAT32) {
                java.nio.FloatBuffer f = buf.asFloatBuffer();
                for (int i = 0; i < k; i++) data[done + i] = f.get(i); // widened exactly
            } else {
                buf.asDoubleBuffer().get(data, done, k);
            }
            done += k;
        }
        return new Table(data, (int) rows, cols, layout, Table.defaultNames(cols));
    }

    private static int readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + total);
            if (n < 0) break;
            total += n;
        }
        return total;
    }

    /** The header bytes (format 1.0, padded so the data start at a multiple of 64) of a rows × cols float64 array. */
    static byte[] headerBytes(long rows, int cols, Layout layout) {
        return headerBytes(rows, cols, layout, ElementType.FLOAT64);
    }

    /** The header bytes of a rows × cols array of the given type ({@code <f8} or {@code <f4}). */
    static byte[] headerBytes(long rows, int cols, Layout layout, ElementType type) {
        String dict = "{'descr': '" + type.npyDescr() + "', 'fortran_order': " + (layout == Layout.COLUMN_MAJOR ? "True" : "False")
                + ", 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        StringBuilder sb = new StringBuilder(dict);
        while (10 + sb.length() + 1 < total) sb.append(' ');
        sb.append('\n');
        byte[] h = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        return b.array();
    }

    /**
     * A streamed writer of a rows × cols float64 or float32 .npy file: blocks of consecutive rows are written as
     * they come (row-major: appended; column-major: each column's slice at its place), so the whole
     * array is never in memory. float32: each value is rounded to the nearest float (a finite value beyond
     * float32's range is an {@link IllegalArgumentException}).
     */
    static final class Writer implements AutoCloseable {
        private final FileChannel ch;
        private final long rows;
        private final int cols;
        private final Layout layout;
        private final ElementType type;
        private final int size;
        private final long dataOffset;
        private ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private double[] rowBuf = new double[0];

        Writer(Path file, long rows, int cols, Layout layout) throws IOException {
            this(file, rows, cols, layout, ElementType.FLOAT64);
        }

        Writer(Path file, long rows, int cols, Layout layout, ElementType type) throws IOException {
            this.rows = rows;
            this.cols = cols;
            this.layout = layout;
            this.type = type;
            this.size = type.bytes();
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            byte[] h = headerBytes(rows, cols, layout, type);
            writeFully(ByteBuffer.wrap(h), 0);
            dataOffset = h.length;
        }

        /**
         * Writes rows {@code first .. first+count}: their first {@code featureCols} values row-major in
         * {@code features}, and (when not null) the last column's values in {@code last}.
         */
        void writeRows(long first, int count, double[] features, int featureCols, double[] last) throws IOException {
            if (layout == Layout.ROW_MAJOR) {
                int len = count * cols;
                ensure((long) size * len);
                if (rowBuf.length < len) rowBuf = new double[len];
                for (int r = 0; r < count; r++) {
                    System.arraycopy(features, r * featureCols, rowBuf, r * cols, featureCols);
                    if (last != null) rowBuf[r * cols + featureCols] = last[r];
                }
                buf.clear();
                if (type == ElementType.FLOAT32) {
                    for (int k = 0; k < len; k++) buf.putFloat(narrow(rowBuf[k]));
                    buf.flip();
                } else {
                    buf.asDoubleBuffer().put(rowBuf, 0, len);
                    buf.limit(8 * len);
                }
                writeFully(buf, dataOffset + (long) size * first * cols);
            } else {
                ensure((long) size * count);
                for (int j = 0; j < cols; j++) {
                    buf.clear();
                    for (int r = 0; r < count; r++) put(j < featureCols ? features[r * featureCols + j] : last[r]);
                    buf.flip();
                    writeFully(buf, dataOffset + (long) size * ((long) j * rows + first));
                }
            }
        }

        private void put(double v) {
            if (type == ElementType.FLOAT32) buf.putFloat(narrow(v));
            else buf.putDouble(v);
        }

        private static float narrow(double v) {
            float f = (float) v;
            if (Float.isInfinite(f) && Double.isFinite(v)) {
                throw new IllegalArgumentException(v + " is not finite in float32 (|x| > " + Float.MAX_VALUE + ")");
            }
            return f;
        }

        private void ensure(long bytes) {
            if (buf.capacity() < bytes) buf = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        private void writeFully(ByteBuffer b, long pos) throws IOException {
            long p = pos;
            while (b.hasRemaining()) p += ch.write(b, p);
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
