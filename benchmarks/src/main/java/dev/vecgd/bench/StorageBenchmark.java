package dev.vecgd.bench;

import dev.vecgd.data.NpyWriter;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.ElementType;
import dev.vecgd.kernel.FloatKernels;
import dev.vecgd.kernel.FloatMatrix;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.SegmentKernels;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.kernel.SegmentVector;
import dev.vecgd.kernel.StridedVector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fused gradient on one thread over the same values held three ways ({@code storage}):
 * <ul>
 *   <li>{@code heap}: the {@code double[]} arrays of {@link BenchState}, through {@link Kernels#lossGradientAdd};</li>
 *   <li>{@code offheap}: a 64-byte aligned copy in a shared {@link java.lang.foreign.Arena}
 *       ({@link SegmentDataset#allocate}: X compact and y separate, as on the heap), through
 *       {@link SegmentKernels#lossGradientAdd};</li>
 *   <li>{@code mapped}: the table [X | y] (m × (n + 1), y the last column) written by {@link NpyWriter}
 *       to a temporary {@code .npy} and mapped read-only by {@link SegmentDataset#mapNpy(Path, int)},
 *       as {@code vecgd fit} maps a table: X is a view with a row stride of n + 1, y a strided column.
 *       Same values and the same 8·(m·n + m) bytes read, interleaved per row instead of two arrays.</li>
 * </ul>
 * Row-major only: the comparison is about where the bytes live, not how they are ordered, and
 * {@link GradientBenchmark} already compares the layouts; a {@code .npy} is C-order, i.e. row-major,
 * so it is also the layout a mapped file gives. One thread: {@link ThreadsBenchmark} measures threads.
 *
 * <p><b>dtype</b> ({@code float64}, the default: everything above, unchanged; or {@code float32}): the same matrix
 * rounded to float32, through the float32 kernels ({@link SegmentKernels#lossGradientAdd} on a float32
 * {@link SegmentMatrix}), y always double: {@code offheap} = {@link SegmentDataset#allocate(long, int, Layout,
 * ElementType)} float32; {@code mapped} = the
 * table [X | y] written as a {@code <f4} {@code .npy} and mapped (X a strided float32 view, y the last column
 * widened once to native doubles by {@code mapNpy}, as {@code vecgd fit} maps a float32 table); {@code heap} = the
 * rounded matrix as a {@code float[]} ({@link FloatMatrix}) through the heap float32 kernels
 * ({@link FloatKernels#lossGradientAdd}, y a {@code double[]}: never heap segments, which slowed the native float32
 * pass by 76–84 %). Each (storage, dtype) runs in its own fork, so the heap and native float32 kernels never share a
 * JVM here.
 *
 * <p>{@link #readProbe}: one stream of four accumulators over exactly the bytes {@link #simd} reads — X's
 * memory (for {@code mapped}, the whole table, y's column included, since the strided rows touch every cache line of
 * it) then y's — as doubles or floats ({@link ReadProbe#sumDoubles}, {@link ReadProbe#sumFloats}): the ceiling of
 * the same bytes, for "simd % of probe" per storage and dtype.
 *
 * <p>The temporary file goes to {@code -Dvecgd.bench.tmp} if set, else {@code java.io.tmpdir}; it is
 * flushed to disk ({@code force}) in the setup, so no write-back runs while measuring, its pages are
 * touched by one untimed pass, and it is deleted in the tear-down. The off-heap and mapped copies are
 * made from the heap arrays, which are then dropped (only the storage under test stays live).
 *
 * <p>Forks: as {@link GradientBenchmark} (JDK 25, the incubator module, fixed 8 GiB heap), one fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms8g", "-Xmx8g"})
public class StorageBenchmark {

    /** The data in the storage under test. */
    @State(Scope.Benchmark)
    public static class Data {

        @Param({"16777216x16"})
        public String shape;

        @Param({"heap", "offheap", "mapped"})
        public String storage;

        /** The kernel width the run is attributed to, checked as in {@link BenchState#bits}. */
        @Param({KernelWidth.AUTO})
        public String bits;

        /** X's element type: {@code float64} (default) or {@code float32} (see the class comment). */
        @Param({"float64"})
        public String dtype;

        public int m;
        public int n;
        public double[] theta;
        public double b;
        public double[] g;
        /** heap: the row-major arrays (null otherwise). */
        public BenchState heap;
        /** offheap and mapped: the segments (null for heap). */
        public SegmentDataset segments;
        public SegmentMatrix x;
        public SegmentVector y;
        /** mapped: the temporary directory and file. */
        public Path tmpDir;
        public Path file;
        /** True for dtype float32. */
        public boolean float32;
        /** heap float32: the rounded matrix as floats and y (null otherwise). */
        public FloatMatrix heapFloat;
        public StridedVector heapFloatY;
        /** The probe's regions: X's memory (element count {@link #probeX}, floats or doubles) and y's (doubles). */
        public MemorySegment probeXSegment;
        public long probeXOffset;
        public long probeX;
        public MemorySegment probeYSegment;
        public long probeYOffset;

        @Setup(Level.Trial)
        public void setup() throws IOException {
            KernelWidth.check(bits);
            float32 = switch (dtype == null ? "float64" : dtype) {
                case "float64" -> false;
                case "float32" -> true;
                default -> throw new IllegalArgumentException("dtype must be float64 or float32, got " + dtype);
            };
            BenchState s = new BenchState().setup(shape, "row");
            m = s.m;
            n = s.n;
            theta = s.theta;
            b = s.b;
            g = new double[n + 1];
            if (float32) {
                setupFloat32(s);
            } else switch (storage) {
                case "heap" -> heap = s;
                case "offheap" -> {
                    segments = SegmentDataset.allocate(m, n, Layout.ROW_MAJOR);
                    MemorySegment.copy(s.x, 0, segments.x().segment(), ValueLayout.JAVA_DOUBLE, 0, s.x.length);
                    MemorySegment.copy(s.y, 0, segments.y().segment(), ValueLayout.JAVA_DOUBLE, 0, s.y.length);
                }
                case "mapped" -> {
                    writeTable(s, ElementType.FLOAT64);
                    segments = SegmentDataset.mapNpy(file, n);
                }
                default -> throw new IllegalArgumentException("storage must be heap, offheap or mapped, got " + storage);
            }
            if (!float32 && segments != null) {
                x = segments.x();
                y = segments.y();
            }
            if (heapFloat != null) {
                double ss = FloatKernels.lossGradientAdd(heapFloat, theta, b, heapFloatY, g, 0, m);
                if (!Double.isFinite(ss)) throw new IllegalStateException("non-finite Σr² over the heap float32 copy");
            } else if (float32 || segments != null) {
                // Touch every page once (maps the file's pages into the process), untimed.
                double ss = SegmentKernels.lossGradientAdd(x, theta, b, y, g, 0, m);
                if (!Double.isFinite(ss)) throw new IllegalStateException("non-finite Σr² over the " + storage + " copy");
            }
            probeRegions(s);
        }

        /** The float32 storages of the rounded matrix (see the class comment). */
        private void setupFloat32(BenchState s) throws IOException {
            float[] xs = new float[s.x.length];
            for (int k = 0; k < xs.length; k++) xs[k] = (float) s.x[k];
            switch (storage) {
                case "heap" -> {
                    heapFloat = FloatMatrix.rowMajor(xs, m, n);
                    heapFloatY = StridedVector.of(s.y);
                }
                case "offheap" -> {
                    segments = SegmentDataset.allocate(m, n, Layout.ROW_MAJOR, ElementType.FLOAT32);
                    MemorySegment.copy(xs, 0, segments.x().segment(), ValueLayout.JAVA_FLOAT, 0, xs.length);
                    MemorySegment.copy(s.y, 0, segments.y().segment(), ValueLayout.JAVA_DOUBLE, 0, s.y.length);
                    x = segments.x();
                    y = segments.y();
                }
                case "mapped" -> {
                    writeTable(s, ElementType.FLOAT32);
                    segments = SegmentDataset.mapNpy(file, n);
                    x = segments.x();
                    y = segments.y();
                }
                default -> throw new IllegalArgumentException("storage must be heap, offheap or mapped, got " + storage);
            }
        }

        /** Writes [X | y] to a temporary .npy of the given type and flushes it to disk. */
        private void writeTable(BenchState s, ElementType type) throws IOException {
            String dir = System.getProperty("vecgd.bench.tmp", System.getProperty("java.io.tmpdir"));
            tmpDir = Files.createTempDirectory(Path.of(dir), "vecgd-storage-");
            file = tmpDir.resolve("table-" + shape + (type == ElementType.FLOAT32 ? "-f4" : "") + ".npy");
            double[] row = new double[n + 1];
            try (NpyWriter w = NpyWriter.create(file, m, n + 1, type)) {
                for (int i = 0; i < m; i++) {
                    System.arraycopy(s.x, i * n, row, 0, n);
                    row[n] = s.y[i];
                    w.appendRow(row, 0);
                }
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }

        /** X's memory (mapped: the whole table) and y's, as the probe reads them. */
        private void probeRegions(BenchState s) {
            if (heapFloat != null) {
                probeXSegment = MemorySegment.ofArray(heapFloat.data());
                probeX = heapFloat.data().length;
                probeYSegment = MemorySegment.ofArray(heapFloatY.data());
                probeYOffset = 0;
                return;
            }
            if (heap != null) {
                probeXSegment = MemorySegment.ofArray(heap.x);
                probeX = heap.x.length;
                probeYSegment = MemorySegment.ofArray(heap.y);
                probeYOffset = 0;
                return;
            }
            probeXSegment = x.segment();
            probeXOffset = x.offset();
            probeX = storage.equals("mapped") ? (long) m * (n + 1) : (long) m * n;
            probeYSegment = y.segment();
            probeYOffset = y.offset();
            if (y.stride() != 1 && !storage.equals("mapped")) throw new IllegalStateException("y is strided: " + y);
        }

        /** Sets the parameters and runs {@link #setup()}: for tests. */
        public Data setup(String shape, String storage) throws IOException {
            this.shape = shape;
            this.storage = storage;
            setup();
            return this;
        }

        /** Sets the parameters (dtype too) and runs {@link #setup()}: for tests. */
        public Data setup(String shape, String storage, String dtype) throws IOException {
            this.dtype = dtype;
            return setup(shape, storage);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (segments != null) segments.close();
            segments = null;
            heapFloat = null;
            heapFloatY = null;
            x = null;
            y = null;
            probeXSegment = null;
            probeYSegment = null;
            try {
                if (file != null) Files.deleteIfExists(file);
                if (tmpDir != null) Files.deleteIfExists(tmpDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One fused gradient from the storage under test; g zeroed in each operation. */
    @Benchmark
    public double simd(Data d) {
        Arrays.fill(d.g, 0.0);
        if (d.heapFloat != null) return FloatKernels.lossGradientAdd(d.heapFloat, d.theta, d.b, d.heapFloatY, d.g, 0, d.m);
        if (d.heap != null) {
            BenchState s = d.heap;
            return Kernels.lossGradientAdd(s.matrix, d.theta, d.b, s.targets, d.g, 0, d.m);
        }
        return SegmentKernels.lossGradientAdd(d.x, d.theta, d.b, d.y, d.g, 0, d.m);
    }

    /**
     * Read probe over the bytes {@link #simd} reads from the storage under test: X's memory (floats for float32;
     * mapped: the whole table), then y (for mapped float64, y is the table's last column, already read with it).
     */
    @Benchmark
    public double readProbe(Data d) {
        long from = d.probeXOffset;
        double sx = d.float32 ? ReadProbe.sumFloats(d.probeXSegment, from, from + d.probeX)
                : ReadProbe.sumDoubles(d.probeXSegment, from, from + d.probeX);
        if (!d.float32 && d.storage.equals("mapped")) return sx; // y is a column of the table just read
        return sx + ReadProbe.sumDoubles(d.probeYSegment, d.probeYOffset, d.probeYOffset + d.m);
    }
}
