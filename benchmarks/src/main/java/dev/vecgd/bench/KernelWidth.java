package dev.vecgd.bench;

import dev.vecgd.kernel.Kernels;
import java.util.Locale;

/**
 * The {@code bits} parameter of the benchmark states: the vector width, in bits, that the results of a
 * run are attributed to.
 *
 * <p>The kernels choose their species once per JVM, at class initialization of {@link Kernels}, from
 * {@code -Dvecgd.vector.bits}; a JMH {@code @Param} cannot change it in the fork. So
 * {@code benchmarks/run.sh} runs JMH once per width with both {@code -jvmArgsPrepend -Dvecgd.vector.bits=W}
 * and {@code -p bits=W}, and every state's setup calls {@link #check(String)}: when the kernels of the
 * fork do not run at W bits (the property was not passed, or the hardware is narrower and the kernels
 * clamped to its width, or they are scalar) the trial fails instead of recording a result under the
 * wrong width. {@value #AUTO} (the default, for runs outside run.sh and the tests) checks nothing: the
 * report then takes the width from the environment file of the run.
 */
public final class KernelWidth {

    /** The default of the {@code bits} parameters: no width asserted. */
    public static final String AUTO = "auto";

    private KernelWidth() {
    }

    /**
     * Throws {@link IllegalStateException} unless {@code bits} is {@value #AUTO} (or null) or the width
     * {@link Kernels#vectorBits()} of this JVM.
     */
    public static void check(String bits) {
        if (bits == null || bits.trim().toLowerCase(Locale.ROOT).equals(AUTO)) return;
        int wanted;
        try {
            wanted = Integer.parseInt(bits.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bits must be 512, 256, 128 or auto, got '" + bits + "'");
        }
        int actual = Kernels.vectorBits();
        if (actual != wanted) {
            throw new IllegalStateException("this run is labelled bits=" + wanted + " but the kernels of this JVM run at "
                    + actual + " bits (" + Kernels.implementation() + "; -Dvecgd.vector.bits="
                    + System.getProperty("vecgd.vector.bits", "unset") + "): pass -jvmArgsPrepend -Dvecgd.vector.bits="
                    + wanted + " with -p bits=" + wanted + " (a command-line -jvmArgsAppend replaces the benchmarks' "
                    + "--add-modules jdk.incubator.vector), and no width wider than the hardware's");
        }
    }
}
