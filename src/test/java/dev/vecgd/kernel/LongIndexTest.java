package dev.vecgd.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The long-index and chunking paths without allocating GBs: (1) a forced small rows-per-call split of
 * the segment kernels; (2) rows beyond element index 2³¹ of a <b>sparse</b> 16 GiB file (only the pages
 * read at its end are ever materialized), checked bit for bit against the same numbers on the heap.
 */
class LongIndexTest {

    @TempDir
    Path dir;

    @Test
    void forcedSmallCallSplitEqualsTheChunkedHeapReference() {
        KernelCase.Data d = new KernelCase.Data(new KernelCase(Layout.COLUMN_MAJOR, 1000, 6, KernelCase.YMode.SEPARATE, true, 9));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xs = arena.allocate(8L * d.x.length, 64);
            MemorySegment.copy(d.x, 0, xs, ValueLayout.JAVA_DOUBLE, 0, d.x.length);
            MemorySegment ys = arena.allocate(8L * d.yArr.length, 64);
            MemorySegment.copy(d.yArr, 0, ys, ValueLayout.JAVA_DOUBLE, 0, d.yArr.length);
            SegmentMatrix x = new SegmentMatrix(xs, d.xOff, d.rowsTotal, 6, d.ld, Layout.COLUMN_MAJOR);
            SegmentVector y = new SegmentVector(ys, d.yOff, d.yInc);
            double[] want = new double[7];
            double wantSs = 0;
            for (int lo = d.from; lo < d.to; lo += 37) {
                int hi = Math.min(lo + 37, d.to);
                wantSs += ScalarKernels.INSTANCE.fusedCol(d.x, d.xOff, d.ld, 6, d.theta, d.b, d.yArr, d.yOff, d.yInc,
                        null, 0, want, lo, hi);
            }
            double[] got = new double[7];
            double ss = SegmentKernels.run(ScalarSegmentKernels.INSTANCE, x, d.theta, d.b, y, got, d.from, d.to, 37);
            assertEquals(wantSs, ss, 0.0);
            assertArrayEquals(want, got, 0.0);
        }
    }

    @Test
    void rowsBeyondTwoToTheThirtyOneElementsOfASparseMappedFile() throws IOException {
        String type = Files.getFileStore(dir).type();
        assumeTrue(Set.of("ext4", "xfs", "btrfs", "tmpfs", "zfs", "overlay", "f2fs").contains(type),
                "needs a filesystem with sparse files, this one is " + type);
        int n = 3;
        int cols = n + 1;                        // row-major table [x | y]
        long rows = (1L << 29) + 1000;           // 2^31 + 4000 elements, 16 GiB (sparse)
        long from = rows - 700;                  // element indices above 2^31
        int count = 700;
        Path file = dir.resolve("sparse.bin");
        SplittableRandom rnd = new SplittableRandom(5);
        double[] heap = new double[count * cols];
        for (int k = 0; k < heap.length; k++) heap[k] = rnd.nextDouble() * 4 - 2;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(rows * cols * 8);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(heap.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : heap) b.putDouble(v);
            b.flip();
            long pos = from * cols * 8;
            while (b.hasRemaining()) pos += ch.write(b, pos);
        }
        double[] theta = {0.5, -1.25, 2.0};
        double b = 0.75;
        Matrix hx = Matrix.rowMajor(heap, 0, count, n, cols);
        StridedVector hy = new StridedVector(heap, n, cols);
        try (Arena arena = Arena.ofShared(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment s = ch.map(FileChannel.MapMode.READ_ONLY, 0, rows * cols * 8, arena);
            SegmentMatrix table = SegmentMatrix.rowMajor(s, rows, cols);
            SegmentMatrix x = table.columns(0, n);
            SegmentVector y = table.column(n);
            assertEquals(heap[0], x.get(from, 0));
            // Scalar: bit for bit the heap scalar kernel on the same numbers.
            double[] want = new double[n + 1];
            double wantSs = ScalarKernels.INSTANCE.fusedRow(heap, 0, cols, n, theta, b, heap, n, cols, null, 0, want, 0, count);
            double[] got = new double[n + 1];
            double ss = SegmentKernels.run(ScalarSegmentKernels.INSTANCE, x, theta, b, y, got, from, rows);
            assertEquals(wantSs, ss, 0.0);
            assertArrayEquals(want, got, 0.0);
            // Active kernels, parallel: the same bits for 1 and 2 threads, and equal to the chunked heap path to rounding.
            double[] ref = new double[n + 1];
            double refSs = Kernels.lossGradientAdd(hx, theta, b, hy, ref, 0, count);
            double[] p1 = new double[n + 1];
            double[] p2 = new double[n + 1];
            try (ParallelKernels one = new ParallelKernels(1); ParallelKernels two = new ParallelKernels(2)) {
                double s1 = one.lossGradientAdd(x, theta, b, y, p1, from, rows, 64);
                double s2 = two.lossGradientAdd(x, theta, b, y, p2, from, rows, 64);
                assertEquals(s1, s2, 0.0);
                assertArrayEquals(p1, p2, 0.0);
                assertEquals(refSs, s1, 1e-12 * refSs);
                for (int j = 0; j <= n; j++) assertEquals(ref[j], p1[j], 1e-11 * (1 + Math.abs(ref[j])));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
