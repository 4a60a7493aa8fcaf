package dev.vecgd.kernel;

import java.util.Locale;
import java.util.Objects;

/**
 * Chooses the kernel implementation from code — the programmatic form of {@code -Dvecgd.kernel=auto|vector|scalar}
 * — for services that configure themselves and for tests. The kernels are chosen <b>once per JVM</b>, when
 * {@link Kernels} is first used (a constant the JIT folds into every call), so call {@link #select} at start-up,
 * before anything else of vecgd runs. A later call that asks for the implementation already active is a no-op;
 * one that asks for another throws {@link IllegalStateException} saying which is active (it is never switched
 * silently). {@code select} overrides the system property.
 *
 * <p>Thread-safe.
 */
public final class KernelSelection {

    /** What to run. */
    public enum Implementation {
        /** The Vector API kernels when {@code jdk.incubator.vector} is available, else the scalar ones (the default). */
        AUTO,
        /** The Vector API kernels; falls back to scalar with a warning when the module is missing. */
        VECTOR,
        /** The scalar reference kernels. */
        SCALAR
    }

    private static Implementation requested;
    private static boolean chosen;

    private KernelSelection() {
    }

    /**
     * Selects the implementation before the first use of the kernels.
     *
     * @param impl what to run
     * @throws IllegalStateException if the kernels are already chosen and differ from {@code impl}
     */
    public static synchronized void select(Implementation impl) {
        Objects.requireNonNull(impl, "impl is null");
        if (chosen) {
            boolean vector = Kernels.isVectorized();
            boolean wantVector = switch (impl) {
                case SCALAR -> false;
                case VECTOR -> true;
                case AUTO -> KernelProvider.whyNoVector() == null;
            };
            if (vector != wantVector) {
                throw new IllegalStateException("the kernels are already chosen (" + Kernels.implementation() + ") and are"
                        + " chosen once per JVM; call KernelSelection.select(" + impl + ") before the first use of vecgd,"
                        + " or start java with -Dvecgd.kernel=" + impl.name().toLowerCase(Locale.ROOT));
            }
            return;
        }
        requested = impl;
    }

    /** True once the kernels are chosen (after the first use of {@link Kernels}). */
    public static synchronized boolean isChosen() {
        return chosen;
    }

    /** The property value the provider should use: the selection if any, else the system property. */
    static synchronized String wanted() {
        chosen = true;
        return requested != null ? requested.name().toLowerCase(Locale.ROOT)
                : System.getProperty(KernelProvider.IMPL_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    }
}
