package dev.vecgd.kernel;

import java.lang.invoke.MethodHandles;
import java.util.Locale;

/**
 * Chooses the kernel implementation once, at class initialization of {@link Kernels}.
 *
 * <p>The Vector API implementation is used when the {@code jdk.incubator.vector} module is in the
 * boot layer, its class loads, and its vectors hold at least two doubles. Otherwise the scalar
 * reference is used and one line says why and how to enable SIMD. No Vector API type is touched
 * before the module check: a direct reference would throw {@code NoClassDefFoundError} when the
 * JVM runs without {@code --add-modules jdk.incubator.vector}.
 *
 * <p>{@link KernelSelection#select} chooses from code (it overrides the first property). System properties (read once):
 * <ul>
 *   <li>{@value #IMPL_PROPERTY}: {@code auto} (default), {@code scalar} (force the reference),
 *       {@code vector} (as auto, but the fallback is logged as a warning);</li>
 *   <li>{@value #BITS_PROPERTY}: {@code preferred} (default), {@code 512},
 *       {@code 256} or {@code 128}: force a narrower vector width, so narrow code paths can be tested on
 *       wide hardware.</li>
 * </ul>
 */
final class KernelProvider {

    static final String IMPL_PROPERTY = "vecgd.kernel";
    static final String BITS_PROPERTY = "vecgd.vector.bits";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String VECTOR_CLASS = "dev.vecgd.kernel.VectorKernels";

    private static final System.Logger LOG = System.getLogger("dev.vecgd.kernel");

    private KernelProvider() {
    }

    /** The implementation the properties and the JVM allow; never throws. */
    static KernelImpl choose() {
        String wanted = KernelSelection.wanted(); // KernelSelection.select(...) if called, else -Dvecgd.kernel
        switch (wanted) {
            case "scalar":
                return ScalarKernels.INSTANCE;
            case "auto":
            case "vector":
                break;
            default:
                LOG.log(System.Logger.Level.WARNING, "vecgd: unknown -D" + IMPL_PROPERTY + "=" + wanted
                        + " (expected auto, vector or scalar); using auto");
        }
        String whyNot = whyNoVector();
        if (whyNot == null) {
            KernelImpl vector = loadVector();
            if (vector != null) return vector;
            whyNot = "its class could not be loaded";
        }
        LOG.log("vector".equals(wanted) ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                "vecgd: using scalar kernels because " + whyNot + hint(whyNot));
        return ScalarKernels.INSTANCE;
    }

    /** The vector implementation, or null when it is not available in this JVM. */
    static KernelImpl loadVector() {
        if (whyNoVector() != null) return null;
        try {
            Class<?> c = Class.forName(VECTOR_CLASS, true, KernelProvider.class.getClassLoader());
            KernelImpl impl = (KernelImpl) MethodHandles.lookup().findStatic(c, "create",
                    java.lang.invoke.MethodType.methodType(KernelImpl.class)).invoke();
            return impl;
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING, "vecgd: the Vector API kernels failed to load: " + e);
            return null;
        }
    }

    /** Null when the Vector API can be used, otherwise the reason. */
    static String whyNoVector() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return "the module " + VECTOR_MODULE + " is not resolved";
        }
        return null;
    }

    private static String hint(String whyNot) {
        return whyNot.contains("not resolved")
                ? " (start java with --add-modules " + VECTOR_MODULE + " for SIMD)"
                : "";
    }
}
