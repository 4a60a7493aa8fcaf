/**
 * vecgd: linear least squares by batch gradient descent on hand-written Vector API (SIMD) kernels.
 *
 * <p>The Vector API module is a static (optional) dependency: start the JVM with
 * {@code --add-modules jdk.incubator.vector} for the SIMD kernels. Without it the library runs its scalar
 * kernels and logs one line (through {@link System.Logger}) saying how to enable SIMD; no Vector API class is
 * loaded before that check, so the module's absence is never an error.
 */
module dev.vecgd {
    requires static jdk.incubator.vector;

    exports dev.vecgd.kernel;
    exports dev.vecgd.data;
    exports dev.vecgd.solver;
    exports dev.vecgd.model;
}
