package dev.vecgd.solver;

import dev.vecgd.data.NpyWriter;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.ElementType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * <b>Opt-in</b> scale test: writes a memory-mapped {@code .npy} table of 2²⁷ × 17 doubles (2³¹ + 2²⁷
 * elements, 17 GiB: 16 features and y in the last column) with known coefficients, fits it through
 * {@link LinearRegression#fit(SegmentDataset, FitOptions)} on all processors, checks the coefficients
 * and prints time and GB/s. Skipped unless {@code -Dvecgd.bigTest=true}; needs about 18 GB of free
 * disk in {@code -Dvecgd.bigTest.dir} (default {@code java.io.tmpdir}) and a quiet machine:
 * <pre>
 * mvn -B test -Dtest=BigMappedFitTest -Dsurefire.failIfNoSpecifiedTests=false -Dvecgd.bigTest=true [-Dvecgd.bigTest.dir=/big/disk]
 * </pre>
 * Optional: {@code -Dvecgd.bigTest.rows=N} to change the row count (default 2²⁷). The file is deleted at the end.
 *
 * <p>The float32 variant ({@link #fitsMoreThanTwoToTheThirtyOneMappedFloat32Elements}) writes the same table as
 * {@code <f4} (9.1 GB: the same 2³¹ + 2²⁷ elements in half the bytes), maps it zero-copy and fits it (X read as
 * floats by the float32 kernels; y, the last column, copied to doubles); run one with
 * {@code -Dtest=BigMappedFitTest#fitsMoreThanTwoToTheThirtyOneMappedFloat32Elements}.
 */
@EnabledIfSystemProperty(named = "vecgd.bigTest", matches = "true")
class BigMappedFitTest {

    private static final int N = 16;

    /** Feature j of row i: a cheap deterministic hash in [-1, 1). */
    static double feature(long i, int j) {
        long z = i * 0x9E3779B97F4A7C15L + (j + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-52 - 1.0;
    }

    static double coefficient(int j) {
        return (j % 2 == 0 ? 1 : -1) * (0.5 + 0.25 * j);
    }

    @Test
    void fitsMoreThanTwoToTheThirtyOneMappedElements() throws IOException {
        fitBig(ElementType.FLOAT64);
    }

    @Test
    void fitsMoreThanTwoToTheThirtyOneMappedFloat32Elements() throws IOException {
        fitBig(ElementType.FLOAT32);
    }

    private static void fitBig(ElementType type) throws IOException {
        long rows = Long.getLong("vecgd.bigTest.rows", 1L << 27);
        Path dir = Path.of(System.getProperty("vecgd.bigTest.dir", System.getProperty("java.io.tmpdir")));
        long bytes = rows * (N + 1) * (long) type.bytes();
        long free = Files.getFileStore(dir).getUsableSpace();
        assumeTrue(free > bytes + (1L << 30), "needs " + bytes + " bytes of free disk in " + dir + ", has " + free);
        Path file = Files.createTempFile(dir, "vecgd-big-", ".npy");
        double intercept = 3.0;
        try {
            long t0 = System.nanoTime();
            double[] row = new double[N + 1];
            try (NpyWriter w = NpyWriter.create(file, rows, N + 1, type)) {
                for (long i = 0; i < rows; i++) {
                    double y = intercept;
                    for (int j = 0; j < N; j++) {
                        row[j] = feature(i, j);
                        y += coefficient(j) * row[j];
                    }
                    row[N] = y + 0.01 * feature(i, N); // small noise, independent of the features
                    w.appendRow(row, 0);
                }
            }
            long t1 = System.nanoTime();
            try (SegmentDataset d = SegmentDataset.mapNpy(file, N)) {
                assertEquals(type, d.elementType());
                if (rows >= 1L << 27) assertTrue((double) d.rows() * (N + 1) > Math.pow(2, 31));
                FitResult r = LinearRegression.fit(d, FitOptions.builder().gradientTolerance(1e-9).maxIterations(500).build());
                long t2 = System.nanoTime();
                double fitSeconds = (t2 - t1) / 1e9;
                double gb = d.featureBytes() / 1e9;
                System.out.printf("big test (" + type.dtypeName() + "): %d x %d (+y) = %d elements, %.1f GB file; write %.1f s; fit %.1f s, "
                                + "%d passes, %.2f GB/s of X over all passes (incl. checks and standardization); %s; %s%n",
                        rows, N, rows * (N + 1), bytes / 1e9, (t1 - t0) / 1e9, fitSeconds, r.passes(),
                        gb * r.passes() / fitSeconds, r.implementation(), r.message());
                for (int j = 0; j < N; j++) assertEquals(coefficient(j), r.coefficient(j), 2e-3, "θ" + (j + 1));
                assertEquals(intercept, r.intercept(), 2e-3);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
