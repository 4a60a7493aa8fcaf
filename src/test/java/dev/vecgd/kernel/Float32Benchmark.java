package dev.vecgd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * <b>Opt-in</b> harness: the fused pass ({@link SegmentKernels#lossGradientAdd}) over the same logical
 * m × n row-major matrix stored as float64 and as float32, next to a read probe over the same bytes (four
 * vector accumulators, no arithmetic but adds), and two ways of widening floats in a plain sum (a half-width
 * {@code FloatVector} load converted F2D, as the kernels do, against a full-width load converted in two parts).
 * Thread CPU time and wall time per call, median of {@code -Dvecgd.bench.reps} (default 15) calls after warm-up,
 * the storages interleaved. Skipped unless {@code -Dvecgd.bench=true}:
 * <pre>
 * mvn -B -q test -Dtest=Float32Benchmark -Dsurefire.failIfNoSpecifiedTests=false -Dvecgd.bench=true \
 *     [-Dvecgd.bench.m=16777216 -Dvecgd.bench.n=16 -Dvecgd.vector.bits=256]
 * </pre>
 * Needs about 12·m·n bytes of native memory (3.2 GB at the default shape). On a shared machine the numbers are
 * noisy: compare ratios from one run.
 */
@EnabledIfSystemProperty(named = "vecgd.bench", matches = "true")
class Float32Benchmark {

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FH = VectorSpecies.of(float.class, VectorShape.forBitSize(Math.max(64, VectorKernels.S.vectorBitSize() / 2)));
    private static final VectorSpecies<Float> FF = VectorSpecies.of(float.class, VectorShape.forBitSize(VectorKernels.S.vectorBitSize()));
    private static final VectorSpecies<Double> S = VectorKernels.S;
    private static final ByteOrder BO = ByteOrder.nativeOrder();
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    interface Op {
        double run();
    }

    static double sink;

    /** [median thread CPU ms, median wall ms]. */
    static double[] time(Op op, int reps) {
        double[] cpu = new double[reps];
        double[] wall = new double[reps];
        for (int r = 0; r < reps; r++) {
            long c0 = MX.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            sink += op.run();
            cpu[r] = (MX.getCurrentThreadCpuTime() - c0) / 1e6;
            wall[r] = (System.nanoTime() - w0) / 1e6;
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        return new double[] {cpu[reps / 2], wall[reps / 2]};
    }

    static double probeDoubles(MemorySegment s, long count) {
        DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
        int l = D.length();
        long i = 0;
        for (long bound = count - 4L * l; i <= bound; i += 4L * l) {
            a0 = a0.add(DoubleVector.fromMemorySegment(D, s, i * 8, BO));
            a1 = a1.add(DoubleVector.fromMemorySegment(D, s, (i + l) * 8, BO));
            a2 = a2.add(DoubleVector.fromMemorySegment(D, s, (i + 2L * l) * 8, BO));
            a3 = a3.add(DoubleVector.fromMemorySegment(D, s, (i + 3L * l) * 8, BO));
        }
        double t = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) t += s.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
        return t;
    }

    static double probeFloats(MemorySegment s, long count) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int l = F.length();
        long i = 0;
        for (long bound = count - 4L * l; i <= bound; i += 4L * l) {
            a0 = a0.add(FloatVector.fromMemorySegment(F, s, i * 4, BO));
            a1 = a1.add(FloatVector.fromMemorySegment(F, s, (i + l) * 4, BO));
            a2 = a2.add(FloatVector.fromMemorySegment(F, s, (i + 2L * l) * 4, BO));
            a3 = a3.add(FloatVector.fromMemorySegment(F, s, (i + 3L * l) * 4, BO));
        }
        double t = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) t += s.getAtIndex(ValueLayout.JAVA_FLOAT, i);
        return t;
    }

    /** Σ x widened: half-width float loads, each converted to one double vector (the kernels' way). */
    static double sumHalfLoads(MemorySegment s, long count) {
        DoubleVector a0 = DoubleVector.zero(S), a1 = a0;
        int l = S.length();
        long i = 0;
        for (long bound = count - 2L * l; i <= bound; i += 2L * l) {
            a0 = a0.add((DoubleVector) FloatVector.fromMemorySegment(FH, s, i * 4, BO).convertShape(VectorOperators.F2D, S, 0));
            a1 = a1.add((DoubleVector) FloatVector.fromMemorySegment(FH, s, (i + l) * 4, BO).convertShape(VectorOperators.F2D, S, 0));
        }
        double t = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) t += s.getAtIndex(ValueLayout.JAVA_FLOAT, i);
        return t;
    }

    /** Σ x widened: full-width float loads, converted in two parts. */
    static double sumFullLoads(MemorySegment s, long count) {
        DoubleVector a0 = DoubleVector.zero(S), a1 = a0;
        int l = S.length();
        long i = 0;
        for (long bound = count - 2L * l; i <= bound; i += 2L * l) {
            FloatVector v = FloatVector.fromMemorySegment(FF, s, i * 4, BO);
            a0 = a0.add((DoubleVector) v.convertShape(VectorOperators.F2D, S, 0));
            a1 = a1.add((DoubleVector) v.convertShape(VectorOperators.F2D, S, 1));
        }
        double t = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) t += s.getAtIndex(ValueLayout.JAVA_FLOAT, i);
        return t;
    }

    @Test
    void float32AgainstFloat64() {
        long m = Long.getLong("vecgd.bench.m", 16_777_216L);
        int n = Integer.getInteger("vecgd.bench.n", 16);
        int reps = Integer.getInteger("vecgd.bench.reps", 15);
        long count = m * n;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment xd = arena.allocate(8 * count, 64);
            MemorySegment xf = arena.allocate(4 * count, 64);
            MemorySegment ys = arena.allocate(8 * m, 64);
            SplittableRandom rnd = new SplittableRandom(1);
            for (long k = 0; k < count; k++) {
                float v = (float) rnd.nextDouble(-1, 1);
                xd.setAtIndex(ValueLayout.JAVA_DOUBLE, k, v);
                xf.setAtIndex(ValueLayout.JAVA_FLOAT, k, v);
            }
            for (long i = 0; i < m; i++) ys.setAtIndex(ValueLayout.JAVA_DOUBLE, i, rnd.nextDouble(-1, 1));
            SegmentMatrix x64 = SegmentMatrix.rowMajor(xd, m, n);
            SegmentMatrix x32 = SegmentMatrix.rowMajor(xf, m, n, ElementType.FLOAT32);
            SegmentVector y = SegmentVector.of(ys);
            double[] theta = new double[n];
            for (int j = 0; j < n; j++) theta[j] = rnd.nextDouble(-1, 1);
            double[] g64 = new double[n + 1];
            double[] g32 = new double[n + 1];
            Op f64 = () -> SegmentKernels.lossGradientAdd(x64, theta, 0.5, y, g64, 0, m);
            Op f32 = () -> SegmentKernels.lossGradientAdd(x32, theta, 0.5, y, g32, 0, m);
            Op p64 = () -> probeDoubles(xd, count) + probeDoubles(ys, m);
            Op p32 = () -> probeFloats(xf, count) + probeDoubles(ys, m);
            Op half = () -> sumHalfLoads(xf, count);
            Op full = () -> sumFullLoads(xf, count);
            Op[] ops = {f64, f32, p64, p32, half, full};
            String[] names = {"fused float64", "fused float32", "read probe float64 (X+y)", "read probe float32 (X+y)",
                    "sum, half-width loads F2D", "sum, full-width loads F2D x2"};
            for (Op op : ops) time(op, 3); // warm-up
            double[][] cpu = new double[ops.length][];
            double[][] all = new double[ops.length][3];
            for (int round = 0; round < 3; round++) { // interleaved rounds; the best round's medians
                for (int k = 0; k < ops.length; k++) {
                    double[] t = time(ops[k], reps);
                    if (cpu[k] == null || t[0] < cpu[k][0]) cpu[k] = t;
                    all[k][round] = t[0];
                }
            }
            System.out.printf(Locale.ROOT, "float32 vs float64, %d x %d row-major, kernels %s | %s, probe %d-bit%n", m, n,
                    SegmentKernels.implementation(), SegmentKernels.floatImplementation(), D.vectorBitSize());
            for (int k = 0; k < ops.length; k++) {
                long bytes = (k == 0 || k == 2 ? 8 * count : 4 * count) + (k < 4 ? 8 * m : 0);
                System.out.printf(Locale.ROOT, "  %-30s cpu %8.1f ms  wall %8.1f ms  %6.1f GB/s (cpu)  rounds %s%n", names[k],
                        cpu[k][0], cpu[k][1], bytes / cpu[k][0] / 1e6, Arrays.toString(all[k]));
            }
            System.out.printf(Locale.ROOT, "  float32/float64 speed-up %.2fx (cpu); float32 fused at %.0f%% of its probe%n",
                    cpu[0][0] / cpu[1][0], 100 * cpu[3][0] / cpu[1][0]);
            System.out.println("  (checksum " + sink + ", g " + g64[0] + " " + g32[0] + ")");
        }
    }
}
