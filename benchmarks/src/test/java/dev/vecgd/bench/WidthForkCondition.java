package dev.vecgd.bench;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a whole vector-width fork of the pom ({@code vector-256}, {@code vector-128}) when it would only
 * repeat the default fork: the default fork runs the host's preferred width, and a requested width at least
 * that wide runs at the preferred width too. So on a 256-bit (AVX2) host the {@code vector-256} fork is
 * skipped, and on a 128-bit (NEON) host both are; every skipped test says so, and CI reports skips apart
 * from passes. Registered only in the forks (JUnit extension auto-detection is switched on there, see the
 * pom), so the default run and a developer's {@code -Dtest=…} run are never affected.
 */
public final class WidthForkCondition implements ExecutionCondition {

    /** Set by the pom on the width forks' command line: the fork's name. */
    static final String FORK_PROPERTY = "vecgd.widthFork";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String fork = System.getProperty(FORK_PROPERTY);
        String bits = System.getProperty("vecgd.vector.bits");
        if (fork == null || bits == null) return ConditionEvaluationResult.enabled("not a width fork");
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return ConditionEvaluationResult.enabled("no vector module: the fork tests the fallback");
        }
        int requested = Integer.parseInt(bits.trim());
        int preferred = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.vectorBitSize();
        if (requested >= preferred) {
            return ConditionEvaluationResult.disabled(fork + " fork repeats the default fork's width: this host's"
                    + " preferred vector width is " + preferred + " bits, so -Dvecgd.vector.bits=" + requested
                    + " runs at " + preferred + " bits, which the default fork already tested");
        }
        return ConditionEvaluationResult.enabled(fork + ": " + requested + " bits, narrower than the host's " + preferred);
    }
}
