package dev.vecgd.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Pre-started, reusable worker threads that run the chunks {@code 0 .. count-1} of one job. The
 * calling thread takes part; chunks are handed out through a shared counter, so which thread runs
 * which chunk varies, but each chunk writes only its own slot, and the caller reduces the slots in a
 * fixed order afterwards: the result does not depend on the thread count or the scheduling.
 *
 * <p>No allocation per job: the job is a reusable {@link Body} object, the hand-off is a volatile
 * generation counter plus {@link LockSupport#park}/{@code unpark}; workers spin briefly before parking.
 * Every worker acknowledges every job, so no worker can still be inside job g when job g+1 starts.
 * One job at a time: {@link #run} must not be called concurrently (it throws if it is).
 */
final class ChunkPool implements AutoCloseable {

    /** One job: runs chunk k (writes only chunk k's own output). */
    interface Body {
        void run(int chunk);
    }

    /** Busy-wait iterations before parking (a hand-off to a parked thread costs tens of µs). */
    private static final int SPINS = 2_000;

    private final Thread[] workers;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile int generation;
    private volatile boolean closed;
    private volatile Body body;
    private volatile int count;
    private volatile Thread caller;
    private volatile Throwable failure;

    /** A pool for {@code threads} threads in all: the caller plus {@code threads − 1} daemon workers. */
    ChunkPool(int threads, String name) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        workers = new Thread[threads - 1];
        for (int t = 0; t < workers.length; t++) {
            Thread w = new Thread(this::workerLoop, name + "-" + (t + 1));
            w.setDaemon(true);
            workers[t] = w;
        }
        for (Thread w : workers) w.start();
    }

    /** Threads that run chunks, including the caller. */
    int threads() {
        return workers.length + 1;
    }

    /** The worker threads (tests: allocation accounting). */
    Thread[] workers() {
        return workers.clone();
    }

    /**
     * Runs {@code body.run(k)} for every {@code 0 ≤ k < chunks}, on the caller and the workers, and
     * returns when all are done. A failure in any chunk is rethrown here (the other chunks still run).
     */
    void run(Body job, int chunks) {
        if (closed) throw new IllegalStateException("the thread pool is closed");
        if (!busy.compareAndSet(0, 1)) {
            throw new IllegalStateException("concurrent use: one parallel kernel call at a time per instance");
        }
        try {
            if (workers.length == 0 || chunks <= 1) {
                for (int k = 0; k < chunks; k++) job.run(k);
                return;
            }
            body = job;
            count = chunks;
            next.set(0);
            finished.set(0);
            failure = null;
            caller = Thread.currentThread();
            generation++; // volatile write: publishes the job to the workers
            for (Thread w : workers) LockSupport.unpark(w);
            try {
                work(job, chunks);
            } catch (Throwable t) {
                fail(t);
            }
            int spins = 0;
            while (finished.get() < workers.length) {
                if (spins < SPINS) {
                    spins++;
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            body = null; // the pool must not keep the job (and its owner) reachable from the workers
            Throwable f = failure;
            if (f != null) {
                failure = null;
                if (f instanceof RuntimeException e) throw e;
                if (f instanceof Error e) throw e;
                throw new IllegalStateException("a parallel chunk failed", f);
            }
        } finally {
            busy.set(0);
        }
    }

    private void work(Body job, int chunks) {
        int k;
        while ((k = next.getAndIncrement()) < chunks) job.run(k);
    }

    private synchronized void fail(Throwable t) {
        if (failure == null) failure = t;
    }

    private void workerLoop() {
        int seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (spins < SPINS) {
                    spins++;
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) return;
            seen = generation;
            try {
                work(body, count);
            } catch (Throwable t) {
                fail(t);
            }
            if (finished.incrementAndGet() == workers.length) LockSupport.unpark(caller);
        }
    }

    /** Stops the workers (they exit promptly; idempotent). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
        for (Thread w : workers) {
            try {
                w.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
