package dev.vecgd.data;

import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.SegmentMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** .npy and raw mapping, the writer, error messages, read-only access, off-heap allocation. */
class MappedDataTest {

    @TempDir
    Path dir;

    private static double[] values(int count, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[] v = new double[count];
        for (int i = 0; i < count; i++) v[i] = r.nextDouble() * 10 - 5;
        return v;
    }

    /** A hand-made .npy: magic, version, header length, dict padded to 64 bytes, payload. */
    static byte[] npy(int major, int minor, String dict, double[] payload, ByteOrder order) {
        int pre = major == 1 ? 10 : 12;
        StringBuilder h = new StringBuilder(dict);
        while ((pre + h.length() + 1) % 64 != 0) h.append(' ');
        h.append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(pre + hb.length + 8 * payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) major).put((byte) minor);
        if (major == 1) b.putShort((short) hb.length);
        else b.putInt(hb.length);
        b.put(hb);
        b.order(order);
        for (double d : payload) b.putDouble(d);
        return b.array();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void writerAndMapperRoundTripAnyLayoutAndStride() throws IOException {
        double[] a = values(5 + 40 * 7, 1);
        Matrix cm = Matrix.columnMajor(a, 5, 37, 6, 40); // offset 5, ld 40 > 37
        Path p = dir.resolve("x.npy");
        NpyWriter.write(p, cm);
        byte[] bytes = Files.readAllBytes(p);
        assertEquals(0, (bytes.length - 37 * 6 * 8) % 64, "header padded to 64 bytes");
        try (MappedDoubles m = MappedDoubles.npy(p)) {
            assertArrayEquals(new long[]{37, 6}, m.shape());
            assertEquals(Layout.ROW_MAJOR, m.layout());
            assertTrue(m.segment().isReadOnly());
            SegmentMatrix x = m.matrix();
            for (int i = 0; i < 37; i++) for (int j = 0; j < 6; j++) assertEquals(cm.get(i, j), x.get(i, j));
            Path q = dir.resolve("copy.npy");
            NpyWriter.write(q, x);
            assertArrayEquals(bytes, Files.readAllBytes(q));
        }
        Path v = dir.resolve("v.npy");
        NpyWriter.write(v, new double[]{1, 2, 3});
        try (MappedDoubles m = MappedDoubles.npy(v)) {
            assertArrayEquals(new long[]{3}, m.shape());
            assertEquals(3.0, m.vector().get(2));
        }
    }

    /** A hand-made float32 .npy: the header of {@link #npy} with float payload. */
    static byte[] npyFloats(String dict, float[] payload) {
        byte[] head = npy(1, 0, dict, new double[0], ByteOrder.LITTLE_ENDIAN);
        ByteBuffer b = ByteBuffer.allocate(head.length + 4 * payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(head);
        for (float f : payload) b.putFloat(f);
        return b.array();
    }

    @Test
    void float32NpyAndRawFilesMapZeroCopy() throws IOException {
        float[] payload = new float[12];
        for (int k = 0; k < 12; k++) payload[k] = k / 3f - 1.7f;
        for (boolean fortran : new boolean[] {false, true}) {
            Path p = file("f32" + fortran + ".npy", npyFloats("{'descr': '<f4', 'fortran_order': " + (fortran ? "True" : "False")
                    + ", 'shape': (4, 3), }", payload));
            try (MappedDoubles m = MappedDoubles.npy(p)) {
                assertEquals(dev.vecgd.kernel.ElementType.FLOAT32, m.elementType());
                assertEquals(48, m.segment().byteSize(), "zero-copy: the 4-byte payload is mapped as is");
                SegmentMatrix x = m.matrix();
                assertEquals(dev.vecgd.kernel.ElementType.FLOAT32, x.elementType());
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 3; j++) {
                        assertEquals((double) payload[fortran ? j * 4 + i : i * 3 + j], x.get(i, j), 0.0);
                    }
                }
                assertThrows(IllegalStateException.class, m::vector);
                assertTrue(m.toString().contains("float32"), m.toString());
            }
        }
        // the writer: <f4 round trip, values rounded once, overflow rejected naming the element
        Path w = dir.resolve("w32.npy");
        double[] a = values(20, 4);
        NpyWriter.write(w, Matrix.rowMajor(a, 5, 4), dev.vecgd.kernel.ElementType.FLOAT32);
        assertTrue(new String(Files.readAllBytes(w), 0, 64, StandardCharsets.ISO_8859_1).contains("'descr': '<f4'"));
        try (MappedDoubles m = MappedDoubles.npy(w)) {
            assertEquals(80, m.segment().byteSize());
            for (int i = 0; i < 5; i++) for (int j = 0; j < 4; j++) assertEquals((double) (float) a[i * 4 + j], m.matrix().get(i, j), 0.0);
            Path again = dir.resolve("again32.npy");
            NpyWriter.write(again, m.matrix()); // a float32 matrix is written as <f4
            assertArrayEquals(Files.readAllBytes(w), Files.readAllBytes(again));
        }
        Path big = dir.resolve("big32.npy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpyWriter.write(big, Matrix.rowMajor(new double[] {1, 2, 3, 1e39}, 2, 2), dev.vecgd.kernel.ElementType.FLOAT32));
        assertTrue(e.getMessage().contains("row 1, column 1") && e.getMessage().contains("float32"), e.getMessage());
        // raw float32: size checked in floats
        byte[] raw = new byte[4 * 12];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(payload);
        Path r = file("raw32.bin", raw);
        try (SegmentDataset d = SegmentDataset.mapRaw(r, 4, 3, Layout.ROW_MAJOR, 2, dev.vecgd.kernel.ElementType.FLOAT32)) {
            assertEquals(dev.vecgd.kernel.ElementType.FLOAT32, d.elementType());
            assertEquals(2, d.cols());
            assertEquals((double) payload[3 * 3 + 1], d.x(3, 1), 0.0);
            assertEquals((double) payload[3 * 3 + 2], d.y(3), 0.0); // the target column, copied to doubles
            assertEquals(32, d.featureBytes());
        }
        DataFileException size = assertThrows(DataFileException.class,
                () -> MappedDoubles.raw(r, 5, 3, Layout.ROW_MAJOR, dev.vecgd.kernel.ElementType.FLOAT32));
        assertTrue(size.getMessage().contains("floats"), size.getMessage());
    }

    @Test
    void versionsAndFortranOrder() throws IOException {
        double[] payload = values(12, 2);
        for (int major = 1; major <= 3; major++) {
            Path p = file("f" + major + ".npy", npy(major, 0,
                    "{'descr': '<f8', 'fortran_order': True, 'shape': (4, 3), }", payload, ByteOrder.LITTLE_ENDIAN));
            try (MappedDoubles m = MappedDoubles.npy(p)) {
                assertEquals(Layout.COLUMN_MAJOR, m.layout());
                assertEquals(payload[2 * 4 + 1], m.matrix().get(1, 2));
            }
        }
    }

    @Test
    void corruptOrUnsupportedFilesGiveClearErrors() throws IOException {
        double[] six = values(6, 3);
        String ok = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
        byte[] good = npy(1, 0, ok, six, ByteOrder.LITTLE_ENDIAN);
        byte[] badMagic = good.clone();
        badMagic[1] = 'X';
        expect(file("magic.npy", badMagic), "magic");
        expect(file("short.npy", new byte[]{1, 2}), "magic");
        expect(file("v4.npy", npy(4, 0, ok, six, ByteOrder.LITTLE_ENDIAN)), "version 4.0");
        expect(file("v11.npy", npy(1, 1, ok, six, ByteOrder.LITTLE_ENDIAN)), "version 1.1");
        expect(file("big.npy", npy(1, 0, ok.replace("<f8", ">f8"), six, ByteOrder.BIG_ENDIAN)), "big-endian");
        expect(file("i8.npy", npy(1, 0, ok.replace("<f8", "<i8"), six, ByteOrder.LITTLE_ENDIAN)), "'<i8' is not supported");
        expect(file("bigf4.npy", npy(1, 0, ok.replace("<f8", ">f4"), six, ByteOrder.BIG_ENDIAN)), "big-endian");
        // six doubles are twelve floats: a (2, 3) float32 array has extra bytes
        expect(file("f4.npy", npy(1, 0, ok.replace("<f8", "<f4"), six, ByteOrder.LITTLE_ENDIAN)), "extra bytes");
        expect(file("trunc.npy", Arrays.copyOf(good, good.length - 8)), "truncated payload");
        expect(file("extra.npy", Arrays.copyOf(good, good.length + 8)), "shape/size mismatch");
        expect(file("hdr.npy", Arrays.copyOf(good, 30)), "truncated .npy header");
        expect(file("3d.npy", npy(1, 0, ok.replace("(2, 3)", "(1, 2, 3)"), six, ByteOrder.LITTLE_ENDIAN)), "1-D or 2-D");
        expect(file("noshape.npy", npy(1, 0, "{'descr': '<f8', 'fortran_order': False, }", six, ByteOrder.LITTLE_ENDIAN)), "'shape'");
        Path raw = file("raw.bin", new byte[8 * 7]);
        DataFileException e = assertThrows(DataFileException.class, () -> MappedDoubles.raw(raw, 2, 3, Layout.ROW_MAJOR));
        assertTrue(e.getMessage().contains("raw.bin") && e.getMessage().contains("shape/size mismatch"), e.getMessage());
        assertEquals(raw, e.file());
        Path x = file("x.npy", good);
        Path y = file("y.npy", npy(1, 0, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", new double[3],
                ByteOrder.LITTLE_ENDIAN));
        DataFileException rows = assertThrows(DataFileException.class, () -> SegmentDataset.mapNpy(x, y));
        assertTrue(rows.getMessage().contains("shape mismatch"), rows.getMessage());
    }

    private static void expect(Path p, String problem) {
        DataFileException e = assertThrows(DataFileException.class, () -> MappedDoubles.npy(p).close(), p.toString());
        assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), "expected '" + problem + "' in: " + e.getMessage());
    }

    @Test
    void rawFilesTablesAndReadOnlyAccess() throws IOException {
        // A column-major 9x4 table, y in the first column.
        double[] t = values(36, 4);
        ByteBuffer b = ByteBuffer.allocate(36 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : t) b.putDouble(d);
        Path p = file("t.bin", b.array());
        long modified = Files.getLastModifiedTime(p).toMillis();
        try (SegmentDataset d = SegmentDataset.mapRaw(p, 9, 4, Layout.COLUMN_MAJOR, 0)) {
            assertEquals(9, d.rows());
            assertEquals(3, d.cols());
            assertEquals(t[4], d.y(4));
            assertEquals(t[2 * 9 + 5], d.x(5, 1));
            assertThrows(UnsupportedOperationException.class, () -> d.setX(0, 0, 1.0));
        }
        assertArrayEquals(b.array(), Files.readAllBytes(p));
        assertEquals(modified, Files.getLastModifiedTime(p).toMillis());
    }

    @Test
    void allocatedAndCopiedDatasets() {
        Dataset heap = Dataset.rowMajor(values(30, 5), 10, 3, values(10, 6));
        for (Layout layout : Layout.values()) {
            SegmentDataset d = SegmentDataset.copyOf(heap, layout);
            try {
                assertEquals(0, d.x().segment().address() % 64, "64-byte aligned");
                assertEquals(0, d.y().segment().address() % 64, "64-byte aligned");
                for (int i = 0; i < 10; i++) {
                    assertEquals(heap.y(i), d.y(i));
                    for (int j = 0; j < 3; j++) assertEquals(heap.x(i, j), d.x(i, j));
                }
            } finally {
                d.close();
                d.close(); // idempotent
            }
        }
        assertThrows(IllegalArgumentException.class, () -> SegmentDataset.allocate(0, 3, Layout.ROW_MAJOR));
    }
}
