package dev.vecgd.spark;

import java.io.Serializable;

/**
 * One partition's partial sums of a pass, tagged with its partition index so the driver can add the
 * partials in partition order (reproducible), whatever order the tasks finished in.
 *
 * @param partition  the partition index
 * @param sums       n + 1 sums (gradient pass: Σ r x_j then Σ r; moments pass: per column)
 * @param sumSquares Σ r² (gradient pass; 0 for moments)
 * @param rows       rows in the partition
 * @param kernels    {@code Kernels.implementation()} of the executor that ran the task
 */
record PartitionSums(int partition, double[] sums, double sumSquares, long rows, String kernels)
        implements Serializable {
}
