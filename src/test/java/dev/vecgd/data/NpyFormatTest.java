package dev.vecgd.data;

import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.kernel.SegmentVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The .npy format byte by byte (hand-made headers of every version, every rejection with its message), raw
 * files, NpyWriter's header and limits, and SegmentDataset's factories at their boundaries (issue 17: PIT
 * survivors in dev.vecgd.data).
 */
class NpyFormatTest {

    @TempDir
    Path dir;

    /**
     * A .npy file: magic, version major.minor, header length (2 or 4 bytes), the header text padded with spaces
     * before its newline to a multiple of 64 bytes in all (as NumPy writes it), then payload.
     */
    private Path npy(String name, int major, int minor, String header, int payloadDoubles, int extraBytes) throws IOException {
        int pre = major == 1 ? 10 : 12;
        StringBuilder padded = new StringBuilder(header.stripTrailing());
        while ((pre + padded.length() + 1) % 64 != 0) padded.append(' ');
        return npyUnpadded(name, major, minor, padded + "\n", payloadDoubles, extraBytes);
    }

    private Path npyUnpadded(String name, int major, int minor, String header, int payloadDoubles, int extraBytes)
            throws IOException {
        byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int pre = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(pre + h.length + 8 * payloadDoubles + extraBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) major).put((byte) minor);
        if (major == 1) b.putShort((short) h.length);
        else b.putInt(h.length);
        b.put(h);
        for (int i = 0; i < payloadDoubles; i++) b.putDouble(i + 0.5);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private static String dict(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }\n";
    }

    private static String rejected(Path p) {
        DataFileException e = assertThrows(DataFileException.class, () -> MappedDoubles.npy(p).close());
        assertEquals(p, e.file());
        return e.getMessage();
    }

    @Test
    void everyVersionAndLayoutIsRead() throws IOException {
        for (int major : new int[] {1, 2, 3}) {
            Path p = npy("v" + major + ".npy", major, 0, dict("<f8", false, "(2, 3)"), 6, 0);
            try (MappedDoubles m = MappedDoubles.npy(p)) {
                assertArrayEquals(new long[] {2, 3}, m.shape());
                assertEquals(2, m.rows());
                assertEquals(3, m.cols());
                assertEquals(Layout.ROW_MAJOR, m.layout());
                assertEquals(p, m.path());
                assertTrue(m.toString().contains(p.getFileName().toString()), m.toString());
                SegmentMatrix x = m.matrix();
                assertEquals(5.5, x.get(1, 2));
                assertEquals(2.5, x.get(0, 2));
            }
        }
        try (MappedDoubles m = MappedDoubles.npy(npy("f.npy", 1, 0, dict("<f8", true, "(2, 3)"), 6, 0))) {
            assertEquals(Layout.COLUMN_MAJOR, m.layout());
            assertEquals(1.5, m.matrix().get(1, 0)); // column-major: element 1 is (row 1, column 0)
            assertEquals(2.5, m.matrix().get(0, 1));
        }
        try (MappedDoubles m = MappedDoubles.npy(npy("one.npy", 1, 0, dict("<f8", false, "(4,)"), 4, 0))) {
            assertEquals(1, m.cols());
            assertEquals(4, m.rows());
            assertEquals(3.5, m.vector().get(3));
        }
        try (MappedDoubles m = MappedDoubles.npy(npy("long.npy", 1, 0, dict("<f8", false, "(2L, 1L)"), 2, 0))) {
            assertArrayEquals(new long[] {2, 1}, m.shape());
        }
        try (MappedDoubles m = MappedDoubles.npy(npy("empty.npy", 1, 0, dict("<f8", false, "(0, 3)"), 0, 0))) {
            assertEquals(0, m.rows());
        }
    }

    @Test
    void everyDefectIsNamed() throws IOException {
        Path p = dir.resolve("short");
        Files.write(p, new byte[] {(byte) 0x93, 'N', 'U'});
        assertTrue(rejected(p).contains("wrong magic"));
        Files.write(p, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'});
        assertTrue(rejected(p).contains("truncated .npy header (6 bytes)"), rejected(p));
        Files.write(p, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0, 0});
        assertTrue(rejected(p).contains("truncated .npy header (10 bytes)"), rejected(p));
        Files.write(p, new byte[] {'x', 'N', 'U', 'M', 'P', 'Y', 1, 0, 0, 0, 0, 0});
        assertTrue(rejected(p).contains("wrong magic"));
        assertTrue(rejected(npy("v4.npy", 4, 0, dict("<f8", false, "(1,)"), 1, 0)).contains("version 4.0"));
        assertTrue(rejected(npy("v0.npy", 0, 0, dict("<f8", false, "(1,)"), 1, 0)).contains("version 0.0"));
        assertTrue(rejected(npy("v11.npy", 1, 1, dict("<f8", false, "(1,)"), 1, 0)).contains("version 1.1"));
        assertTrue(rejected(npy("v21.npy", 2, 1, dict("<f8", false, "(1,)"), 1, 0)).contains("version 2.1"));
        assertTrue(rejected(npy("be.npy", 1, 0, dict(">f8", false, "(1,)"), 1, 0)).contains("big-endian dtype '>f8'"));
        assertTrue(rejected(npy("i4.npy", 1, 0, dict("<i4", false, "(1,)"), 1, 0)).contains("dtype '<i4' is not supported"));
        assertTrue(rejected(npy("f2.npy", 1, 0, dict("<f2", false, "(1,)"), 1, 0)).contains("dtype '<f2' is not supported"));
        assertTrue(rejected(npy("nod.npy", 1, 0, "{'fortran_order': False, 'shape': (1,), }\n", 1, 0)).contains("'descr'"));
        assertTrue(rejected(npy("3d.npy", 1, 0, dict("<f8", false, "(1, 1, 1)"), 1, 0)).contains("need 1-D or 2-D"));
        assertTrue(rejected(npy("0d.npy", 1, 0, dict("<f8", false, "()"), 1, 0)).contains("need 1-D or 2-D"));
        assertTrue(rejected(npy("bad.npy", 1, 0, dict("<f8", false, "(2, x)"), 2, 0)).contains("bad .npy header: shape"));
        String m = rejected(npy("trunc.npy", 1, 0, dict("<f8", false, "(2, 3)"), 5, 7));
        assertTrue(m.contains("truncated payload") && m.contains("needs 48 bytes") && m.contains("has 47"), m);
        m = rejected(npy("extra.npy", 1, 0, dict("<f8", false, "(2, 3)"), 6, 1));
        assertTrue(m.contains("extra bytes") && m.contains("has 49"), m);
        // a header not padded to the format's alignment: refused when opened, not later at the first read
        // (found by this test: the mapped doubles were read aligned and failed with an IllegalArgumentException)
        String unaligned = dict("<f8", false, "(2, 3)"); // 60 bytes: with the 10-byte prefix and one more, byte 71
        m = rejected(npyUnpadded("unaligned.npy", 1, 0, unaligned + " ", 6, 0));
        assertTrue(m.contains("not a multiple of 8"), m);
        // a header length beyond the file
        Path longHeader = dir.resolve("lh.npy");
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0).putShort((short) 11);
        Files.write(longHeader, b.array());
        assertTrue(rejected(longHeader).contains("claims 11 bytes, the file has 20"), rejected(longHeader));
        ByteBuffer exact = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        exact.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0).putShort((short) 14);
        Files.write(longHeader, exact.array()); // header fills the file exactly: no valid dict, but not truncated
        assertTrue(rejected(longHeader).contains("bad .npy header"), rejected(longHeader));
    }

    @Test
    void rawFiles() throws IOException {
        Path p = dir.resolve("r.f64");
        ByteBuffer b = ByteBuffer.allocate(6 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) b.putDouble(i);
        Files.write(p, b.array());
        try (MappedDoubles m = MappedDoubles.raw(p, 3, 2, Layout.COLUMN_MAJOR)) {
            assertEquals(Layout.COLUMN_MAJOR, m.layout());
            assertEquals(4.0, m.matrix().get(1, 1));
        }
        try (MappedDoubles m = MappedDoubles.raw(p, 6, 1, Layout.ROW_MAJOR)) {
            assertEquals(5.0, m.vector().get(5));
        }
        String msg = assertThrows(DataFileException.class, () -> MappedDoubles.raw(p, 2, 2, Layout.ROW_MAJOR)).getMessage();
        assertTrue(msg.contains("need 32 bytes, the file has 48 (6 doubles)"), msg);
        Files.write(p, new byte[13]);
        msg = assertThrows(DataFileException.class, () -> MappedDoubles.raw(p, 1, 1, Layout.ROW_MAJOR)).getMessage();
        assertTrue(msg.contains("has 13 (not a whole number of doubles)"), msg);
        assertThrows(IllegalArgumentException.class, () -> MappedDoubles.raw(p, 0, 1, Layout.ROW_MAJOR));
        assertThrows(IllegalArgumentException.class, () -> MappedDoubles.raw(p, 1, 0, Layout.ROW_MAJOR));
        Files.write(p, new byte[8]);
        try (MappedDoubles m = MappedDoubles.raw(p, 1, 1, Layout.ROW_MAJOR)) {
            assertEquals(0.0, m.matrix().get(0, 0));
        }
    }

    @Test
    void writerHeaderAndLimits() throws IOException {
        Path p = dir.resolve("w.npy");
        try (NpyWriter w = NpyWriter.create(p, 2, 3)) {
            w.appendRow(new double[] {9, 1, 2, 3}, 1);
            assertEquals(3, w.written());
            w.appendRow(new double[] {4, 5, 6}, 0);
            assertEquals(6, w.written());
            assertThrows(IllegalStateException.class, () -> w.append(7));
        }
        byte[] all = Files.readAllBytes(p);
        assertEquals(1, all[6], "version 1.0");
        assertEquals(0, all[7]);
        int headerLen = (all[8] & 0xff) | (all[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64, "the data start is 64-byte aligned");
        assertEquals(10 + headerLen + 48, all.length);
        assertEquals('\n', all[10 + headerLen - 1]);
        try (MappedDoubles m = MappedDoubles.npy(p)) {
            assertEquals(6.0, m.matrix().get(1, 2));
            assertEquals(1.0, m.matrix().get(0, 0));
        }
        Path one = dir.resolve("one.npy");
        try (NpyWriter w = NpyWriter.create(one, 3, 0)) {
            w.appendRow(new double[] {0, 8}, 1);
            w.append(9);
            w.append(10);
        }
        try (MappedDoubles m = MappedDoubles.npy(one)) {
            assertArrayEquals(new long[] {3}, m.shape());
            assertEquals(8.0, m.vector().get(0));
        }
        // many values: the writer's buffer is flushed more than once
        double[] v = new double[100_003];
        for (int i = 0; i < v.length; i++) v[i] = i;
        Path big = dir.resolve("big.npy");
        NpyWriter.write(big, v);
        try (MappedDoubles m = MappedDoubles.npy(big)) {
            assertEquals(100_002.0, m.vector().get(100_002));
            assertEquals(65_536.0, m.vector().get(65_536));
        }
        try (NpyWriter w = NpyWriter.create(dir.resolve("zero.npy"), 0, 2)) {
            assertEquals(0, w.written());
            assertThrows(IllegalStateException.class, () -> w.append(1));
        }
        assertThrows(IllegalArgumentException.class, () -> NpyWriter.create(dir.resolve("n.npy"), -1, 2));
        assertThrows(IllegalArgumentException.class, () -> NpyWriter.create(dir.resolve("n.npy"), 1, -1));
        assertThrows(ArithmeticException.class, () -> NpyWriter.create(dir.resolve("n.npy"), Long.MAX_VALUE / 4, 1));
    }

    @Test
    void segmentDatasetFactoriesAtTheirBoundaries() throws IOException {
        try (SegmentDataset d = SegmentDataset.allocate(1, 0, Layout.ROW_MAJOR)) {
            assertEquals(0, d.cols());
            assertEquals(1, d.rows());
            assertEquals(Layout.ROW_MAJOR, d.layout());
            d.setY(0, 4.5);
            assertEquals(4.5, d.y(0));
            assertTrue(d.toString().startsWith("SegmentDataset[1x0"), d.toString());
        }
        assertThrows(IllegalArgumentException.class, () -> SegmentDataset.allocate(0, 1, Layout.ROW_MAJOR));
        assertThrows(IllegalArgumentException.class, () -> SegmentDataset.allocate(1, -1, Layout.ROW_MAJOR));
        try (SegmentDataset d = SegmentDataset.allocate(3, 2, Layout.COLUMN_MAJOR)) {
            assertEquals(Layout.COLUMN_MAJOR, d.layout());
            d.setX(2, 1, 7);
            assertEquals(7.0, d.x(2, 1));
        }
        // y with a stride: setY writes row i's slot, nothing else
        try (Arena arena = Arena.ofConfined()) {
            SegmentMatrix x = new SegmentMatrix(arena.allocate(8 * 6, 64), 0, 3, 2, 2, Layout.ROW_MAJOR);
            SegmentVector y = new SegmentVector(arena.allocate(8 * 8, 64), 1, 3);
            SegmentDataset d = new SegmentDataset(x, y);
            d.setY(2, 6.25);
            assertEquals(6.25, y.get(2));
            assertEquals(6.25, y.segment().getAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 7));
            assertEquals(0.0, y.get(1));
        }
        // tables: the first or the last column is y; one column leaves no features; a middle column is refused
        try (SegmentDataset t = SegmentDataset.allocate(2, 3, Layout.ROW_MAJOR)) {
            for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) t.setX(i, j, 10 * i + j);
            SegmentDataset last = SegmentDataset.fromTable(t.x(), 2);
            assertEquals(2, last.cols());
            assertEquals(12.0, last.y(1));
            SegmentDataset first = SegmentDataset.fromTable(t.x(), 0);
            assertEquals(10.0, first.y(1));
            assertEquals(11.0, first.x(1, 0));
            assertThrows(IllegalArgumentException.class, () -> SegmentDataset.fromTable(t.x(), 1));
            SegmentDataset only = SegmentDataset.fromTable(t.x().columns(0, 1), 0);
            assertEquals(0, only.cols());
            assertEquals(10.0, only.y(1));
        }
        // mapped x and y files: y must be 1-D (or m×1) with as many rows as x; mapped data is read-only
        Path xs = dir.resolve("x.npy");
        Path ys = dir.resolve("y.npy");
        Path y2 = dir.resolve("y2.npy");
        Path yShort = dir.resolve("ys.npy");
        NpyWriter.write(xs, Matrix.rowMajor(new double[] {1, 2, 3, 4, 5, 6}, 3, 2));
        NpyWriter.write(ys, new double[] {1, 2, 3});
        NpyWriter.write(y2, Matrix.rowMajor(new double[] {1, 2, 3, 4, 5, 6}, 3, 2));
        NpyWriter.write(yShort, new double[] {1, 2});
        try (SegmentDataset d = SegmentDataset.mapNpy(xs, ys)) {
            assertEquals(3.0, d.y(2));
            assertEquals(6.0, d.x(2, 1));
            assertThrows(UnsupportedOperationException.class, () -> d.setY(0, 1));
            assertThrows(UnsupportedOperationException.class, () -> d.setX(0, 0, 1));
        }
        assertTrue(assertThrows(DataFileException.class, () -> SegmentDataset.mapNpy(xs, y2)).getMessage().contains("y must be 1-D"));
        assertTrue(assertThrows(DataFileException.class, () -> SegmentDataset.mapNpy(xs, yShort)).getMessage()
                .contains("2 targets, but"));
        try (SegmentDataset d = SegmentDataset.mapNpy(xs, 1)) {
            assertEquals(1, d.cols());
            assertEquals(6.0, d.y(2));
        }
        Path raw = dir.resolve("t.f64");
        Files.write(raw, Files.readAllBytes(xs), java.nio.file.StandardOpenOption.CREATE); // a .npy is not a raw table
        assertThrows(DataFileException.class, () -> SegmentDataset.mapRaw(raw, 3, 2, Layout.ROW_MAJOR, 1));
        ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) b.putDouble(i);
        Files.write(raw, b.array());
        try (SegmentDataset d = SegmentDataset.mapRaw(raw, 3, 2, Layout.ROW_MAJOR, 0)) {
            assertEquals(4.0, d.y(2));
            assertEquals(5.0, d.x(2, 0));
        }
        assertThrows(IllegalArgumentException.class, () -> SegmentDataset.mapRaw(raw, 2, 3, Layout.ROW_MAJOR, 1));
    }

    /**
     * Boundaries of the reader and the writer: a version-1.0 file of exactly 10 bytes has its whole preamble (its
     * header is what is missing); a file that ends right after its header holds zero rows; a writer's 1 MiB buffer
     * flushed several times (140,000 doubles) reads back value for value; the writer's element type.
     */
    @Test
    void readerAndWriterAtTheirBoundaries() throws IOException {
        Path p = dir.resolve("ten");
        Files.write(p, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0});
        assertTrue(rejected(p).contains("truncated .npy header: it claims 118 bytes, the file has 10"), rejected(p));
        Path empty = dir.resolve("empty.npy");
        try (NpyWriter w = NpyWriter.create(empty, 0, 3, dev.vecgd.kernel.ElementType.FLOAT32)) {
            assertEquals(dev.vecgd.kernel.ElementType.FLOAT32, w.elementType());
        }
        try (MappedDoubles m = MappedDoubles.npy(empty)) {
            assertArrayEquals(new long[] {0, 3}, m.shape(), "a file ending right after its header: zero rows");
        }
        Path big = dir.resolve("big.npy");
        int n = 140_000;
        try (NpyWriter w = NpyWriter.create(big, n, 1)) {
            assertEquals(dev.vecgd.kernel.ElementType.FLOAT64, w.elementType());
            for (int i = 0; i < n; i++) w.append(i);
        }
        try (MappedDoubles m = MappedDoubles.npy(big)) {
            assertEquals(n, m.rows());
            for (int i : new int[] {0, 1, 131_071, 131_072, 131_073, n - 1}) { // the buffer holds 131,072 doubles
                assertEquals(i, m.matrix().get(i, 0), "value " + i);
            }
        }
    }
}
