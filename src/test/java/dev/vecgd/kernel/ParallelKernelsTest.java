package dev.vecgd.kernel;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ParallelKernels}: the same bits for 1, 2 and 3 threads and across runs, equal to the chunk
 * sums reduced by the documented tree, close to the oracle, no allocation per call, clean shutdown.
 */
class ParallelKernelsTest {

    private static final int[] MS = {1, 2, 7, 64, 129, 1000, 1237};
    private static final int[] NS = {0, 1, 3, 8, 9, 17};
    private static final int[] CHUNKS = {1, 7, 100, 4096};

    private static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        long seed = 11;
        for (Layout layout : Layout.values()) {
            for (int m : MS) {
                for (int n : NS) {
                    for (KernelCase.YMode y : KernelCase.YMode.values()) {
                        out.add(new KernelCase(layout, m, n, y, (seed & 1) == 0, seed++));
                    }
                }
            }
        }
        return out;
    }

    private static Matrix matrix(KernelCase.Data d) {
        return new Matrix(d.x, d.xOff, d.rowsTotal, d.c.n(), d.ld, d.c.layout());
    }

    /** The documented result: chunk k into its own zeroed slot, then slot k += slot k+s for s = 1, 2, 4, … */
    private static double reference(KernelImpl impl, KernelCase.Data d, int chunkRows, double[] g) {
        int count = (d.to - d.from + chunkRows - 1) / chunkRows;
        double[][] slots = new double[count][d.c.n() + 1];
        double[] ss = new double[count];
        for (int k = 0; k < count; k++) {
            int lo = d.from + k * chunkRows;
            int hi = Math.min(lo + chunkRows, d.to);
            ss[k] = d.row()
                    ? impl.fusedRow(d.x, d.xOff, d.ld, d.c.n(), d.theta, d.b, d.yArr, d.yOff, d.yInc, null, 0, slots[k], lo, hi)
                    : impl.fusedCol(d.x, d.xOff, d.ld, d.c.n(), d.theta, d.b, d.yArr, d.yOff, d.yInc, null, 0, slots[k], lo, hi);
        }
        for (int s = 1; s < count; s *= 2) {
            for (int k = 0; k + s < count; k += 2 * s) {
                for (int j = 0; j <= d.c.n(); j++) slots[k][j] += slots[k + s][j];
                ss[k] += ss[k + s];
            }
        }
        for (int j = 0; j <= d.c.n(); j++) g[j] += slots[0][j];
        return ss[0];
    }

    @Test
    void bitIdenticalForOneTwoThreeThreadsAndEqualToTheTree() {
        for (KernelImpl impl : new KernelImpl[]{ScalarKernels.INSTANCE, Kernels.impl()}) {
            try (ParallelKernels p1 = new ParallelKernels(1, impl);
                 ParallelKernels p2 = new ParallelKernels(2, impl);
                 ParallelKernels p3 = new ParallelKernels(3, impl)) {
                for (KernelCase c : cases()) {
                    KernelCase.Data d = new KernelCase.Data(c);
                    Matrix x = matrix(d);
                    StridedVector y = new StridedVector(d.yArr, d.yOff, d.yInc);
                    for (int chunk : CHUNKS) {
                        String what = impl.name() + " " + c + " chunkRows=" + chunk;
                        double[] want = new double[c.n() + 1];
                        double wantSs = reference(impl, d, chunk, want);
                        for (ParallelKernels pk : new ParallelKernels[]{p1, p2, p3, p2}) {
                            double[] g = new double[c.n() + 1];
                            double ss = pk.lossGradientAdd(x, d.theta, d.b, y, g, d.from, d.to, chunk);
                            assertEquals(Double.doubleToRawLongBits(wantSs), Double.doubleToRawLongBits(ss), what);
                            assertArrayEquals(want, g, 0.0, what + " threads=" + pk.threads());
                        }
                    }
                }
            }
        }
    }

    /**
     * Against the double-double {@link Oracle} (not against {@link Kernels}, which runs the same kernel): the
     * exact residuals r_i = x_i·θ + b − y_i, then Σ r_i·x_ij, Σ r_i and Σ r_i², each within a rounding
     * bound of the textbook error analysis (residual: (n + 2)·u·(Σ|x_ij θ_j| + |b| + |y_i|); sums over m
     * terms: m·u·Σ|terms|), times {@link KernelChecker#TOL_FACTOR}.
     */
    @Test
    void agreesWithTheOracleToRounding() {
        int checked = 0;
        try (ParallelKernels pk = new ParallelKernels(2)) {
            for (KernelCase c : cases()) {
                KernelCase.Data d = new KernelCase.Data(c);
                int n = c.n();
                for (int chunk : CHUNKS) {
                    double[] g = new double[n + 1];
                    double ss = pk.lossGradientAdd(matrix(d), d.theta, d.b, new StridedVector(d.yArr, d.yOff, d.yInc),
                            g, d.from, d.to, chunk);
                    Oracle.Acc[] gx = new Oracle.Acc[n + 1];
                    for (int j = 0; j <= n; j++) gx[j] = new Oracle.Acc();
                    Oracle.Acc ssx = new Oracle.Acc();
                    double[] tol = new double[n + 1];
                    double tolSs = 0;
                    int m = d.to - d.from;
                    for (int i = d.from; i < d.to; i++) {
                        Oracle.Acc r = new Oracle.Acc(d.b).add(-d.yAt(i));
                        double size = Math.abs(d.b) + Math.abs(d.yAt(i));
                        for (int j = 0; j < n; j++) {
                            r.addProduct(d.xAt(i, j), d.theta[j]);
                            size += Math.abs(d.xAt(i, j) * d.theta[j]);
                        }
                        double hi = r.hi();
                        double lo = r.lo();
                        double rErr = (n + 2) * Oracle.U * size; // bound on the kernel's error in r_i
                        for (int j = 0; j < n; j++) {
                            double xij = d.xAt(i, j);
                            gx[j].addProduct(hi, lo, xij);
                            tol[j] += Math.abs(xij) * (rErr + (m + 2) * Oracle.U * (Math.abs(hi) + rErr));
                        }
                        gx[n].add(hi).add(lo);
                        tol[n] += rErr + (m + 2) * Oracle.U * (Math.abs(hi) + rErr);
                        ssx.addProduct(hi, hi).addProduct(2 * hi, lo);
                        tolSs += (2 * Math.abs(hi) + rErr) * rErr + (m + 2) * Oracle.U * hi * hi;
                    }
                    String what = c + " chunkRows=" + chunk;
                    for (int j = 0; j <= n; j++) {
                        double err = Oracle.diff(g[j], gx[j].hi(), gx[j].lo());
                        assertTrue(Math.abs(err) <= KernelChecker.TOL_FACTOR * tol[j] + Double.MIN_NORMAL,
                                what + " g[" + j + "] = " + g[j] + ", oracle " + gx[j].hi() + ", error " + err
                                        + " > bound " + KernelChecker.TOL_FACTOR * tol[j]);
                    }
                    double errSs = Oracle.diff(ss, ssx.hi(), ssx.lo());
                    assertTrue(Math.abs(errSs) <= KernelChecker.TOL_FACTOR * tolSs + Double.MIN_NORMAL,
                            what + " Σr² = " + ss + ", oracle " + ssx.hi() + ", error " + errSs);
                    checked++;
                }
            }
        }
        assertEquals(672, checked, "cases checked against the oracle: 2 layouts × 7 m × 6 n × 2 y modes × 4 chunk sizes");
    }

    @Test
    void addsIntoGAndChecksArguments() {
        KernelCase.Data d = new KernelCase.Data(new KernelCase(Layout.ROW_MAJOR, 50, 3, KernelCase.YMode.SEPARATE, false, 3));
        StridedVector y = new StridedVector(d.yArr, d.yOff, d.yInc);
        try (ParallelKernels pk = new ParallelKernels(2)) {
            double[] g = new double[4];
            pk.lossGradientAdd(matrix(d), d.theta, d.b, y, g, 0, 50, 8);
            double[] twice = g.clone();
            pk.lossGradientAdd(matrix(d), d.theta, d.b, y, twice, 0, 50, 8);
            for (int j = 0; j < 4; j++) assertEquals(2 * g[j], twice[j], 1e-12 * Math.abs(g[j]) + 1e-300);
            assertEquals(0.0, pk.lossGradientAdd(matrix(d), d.theta, d.b, y, new double[4], 5, 5, 8));
            assertThrows(IllegalArgumentException.class, () -> pk.lossGradientAdd(matrix(d), d.theta, d.b, y, g, 0, 50, 0));
            assertThrows(IllegalArgumentException.class, () -> pk.lossGradientAdd(matrix(d), d.theta, d.b, y, g, 0, 51, 8));
            assertThrows(IllegalArgumentException.class, () -> pk.lossGradientAdd(matrix(d), d.theta, d.b, y, new double[3], 0, 50, 8));
        }
        assertThrows(IllegalArgumentException.class, () -> new ParallelKernels(-1));
        assertEquals(1, ParallelKernels.defaultThreads(1 << 20));
        assertEquals(Runtime.getRuntime().availableProcessors(), ParallelKernels.defaultThreads(1L << 40));
    }

    @Test
    void noAllocationPerCall() {
        KernelCase.Data d = new KernelCase.Data(new KernelCase(Layout.ROW_MAJOR, 2000, 5, KernelCase.YMode.SEPARATE, false, 5));
        Matrix x = matrix(d);
        StridedVector y = new StridedVector(d.yArr, d.yOff, d.yInc);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // The scalar reference never allocates, even interpreted, so this measures the pool alone.
        try (ParallelKernels pk = new ParallelKernels(3, ScalarKernels.INSTANCE)) {
            double[] g = new double[6];
            Thread[] threads = pk.workers();
            long[] ids = new long[threads.length + 1];
            for (int t = 0; t < threads.length; t++) ids[t] = threads[t].threadId();
            ids[threads.length] = Thread.currentThread().threadId();
            // warm-up well past C2's compile thresholds, so the pool's code is measured compiled, not interpreted
            for (int it = 0; it < 5_000; it++) pk.lossGradientAdd(x, d.theta, d.b, y, g, 0, 2000, 64);
            long few = allocated(mx, ids, () -> {
                for (int it = 0; it < 10; it++) pk.lossGradientAdd(x, d.theta, d.b, y, g, 0, 2000, 64);
            });
            long many = allocated(mx, ids, () -> {
                for (int it = 0; it < 2010; it++) pk.lossGradientAdd(x, d.theta, d.b, y, g, 0, 2000, 64);
            });
            System.out.println("parallel kernels allocated: " + few + " bytes for 10 calls, " + many + " for 2010 calls");
            assertTrue(many - few < 2000, "allocation grows with calls: " + few + " vs " + many + " bytes");
        }
    }

    private static long allocated(com.sun.management.ThreadMXBean mx, long[] ids, Runnable r) {
        long before = 0;
        for (long id : ids) before += mx.getThreadAllocatedBytes(id);
        r.run();
        long after = 0;
        for (long id : ids) after += mx.getThreadAllocatedBytes(id);
        return after - before;
    }

    @Test
    void closeStopsTheDaemonWorkers() throws InterruptedException {
        ParallelKernels pk = new ParallelKernels(3);
        Thread[] w = pk.workers();
        assertEquals(2, w.length);
        for (Thread t : w) assertTrue(t.isDaemon());
        pk.close();
        pk.close();
        for (Thread t : w) {
            t.join(5_000);
            assertFalse(t.isAlive());
        }
        double[] g = new double[2];
        assertThrows(IllegalStateException.class, () -> pk.lossGradientAdd(Matrix.rowMajor(new double[]{1}, 1, 1),
                new double[]{1}, 0, StridedVector.of(new double[]{1}), g, 0, 1, 1));
        assertTrue(Arrays.stream(g).allMatch(v -> v == 0));
    }

    @Test
    void aFailingChunkIsRethrownAndThePoolStaysUsable() {
        try (ChunkPool pool = new ChunkPool(3, "test")) {
            int[] done = new int[20];
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(k -> {
                if (k == 13) throw new IllegalStateException("chunk 13");
                done[k]++;
            }, 20));
            assertEquals("chunk 13", e.getMessage());
            java.util.Arrays.fill(done, 0);
            pool.run(k -> done[k]++, 20);
            for (int k = 0; k < 20; k++) assertEquals(1, done[k], "chunk " + k + " runs exactly once");
        }
    }

    /**
     * Waits on the events, not on time: first until the instance is collected (its weak reference is enqueued;
     * a GC is requested while waiting, as collection of one object is never guaranteed by a single request),
     * then until the worker thread has ended (join without a timeout: the test's own timeout bounds it).
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aDroppedInstanceHasItsWorkersStoppedByTheCleaner() throws InterruptedException {
        java.lang.ref.ReferenceQueue<ParallelKernels> queue = new java.lang.ref.ReferenceQueue<>();
        Thread[] w = new Thread[1];
        java.lang.ref.WeakReference<ParallelKernels> ref = dropped(queue, w);
        while (queue.remove(100) == null) System.gc();
        assertTrue(ref.refersTo(null), "the instance was collected");
        w[0].join();
        assertFalse(w[0].isAlive(), "worker still running after the instance became unreachable");
    }

    private static java.lang.ref.WeakReference<ParallelKernels> dropped(java.lang.ref.ReferenceQueue<ParallelKernels> queue,
                                                                       Thread[] workers) {
        ParallelKernels pk = new ParallelKernels(2);
        double[] g = new double[2];
        pk.lossGradientAdd(Matrix.rowMajor(new double[]{1, 2, 3, 4}, 4, 1), new double[]{1}, 0,
                StridedVector.of(new double[]{1, 1, 1, 1}), g, 0, 4, 1);
        workers[0] = pk.workers()[0];
        return new java.lang.ref.WeakReference<>(pk, queue);
    }
}
