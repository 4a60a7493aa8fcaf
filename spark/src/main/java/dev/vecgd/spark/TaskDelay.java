package dev.vecgd.spark;

import java.io.Serializable;

/**
 * Test hook: a pause at the start of each pass task, to make tasks finish in a chosen order and show
 * that the result does not depend on it. {@link #NONE} in production.
 */
@FunctionalInterface
interface TaskDelay extends Serializable {

    TaskDelay NONE = (partition, pass) -> 0;

    /** Milliseconds to sleep before the task of {@code partition} in pass number {@code pass}. */
    long millis(int partition, long pass);

    default void pause(int partition, long pass) {
        long ms = millis(partition, pass);
        if (ms <= 0) return;
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
