package dev.vecgd.spark.bench;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;

import java.util.concurrent.atomic.AtomicLong;

/** Counts Spark jobs: each job of a fit reads the cached data once (a pass), whoever runs it. */
final class JobCounter extends SparkListener {

    private final AtomicLong jobs = new AtomicLong();

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        jobs.incrementAndGet();
    }

    long jobs() {
        return jobs.get();
    }
}
