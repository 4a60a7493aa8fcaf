/**
 * vecgd: linear least squares by batch gradient descent on Vector API kernels.
 *
 * <p>The library ({@code dev.vecgd.kernel}, {@code .data}, {@code .solver}) needs nothing outside
 * {@code java.base}; the Vector API is used only when {@code jdk.incubator.vector} is resolved
 * ({@code --add-modules jdk.incubator.vector}), otherwise the scalar kernels run. Everything else is
 * for the command line ({@code dev.vecgd.cli}, not exported) and is optional: {@code requires static}
 * here and {@code <optional>true</optional>} in the pom, so users of the library inherit none of it.
 */
module dev.vecgd {
    requires static jdk.incubator.vector;

    // command line only
    requires static info.picocli;
    requires static de.siegmar.fastcsv;
    requires static com.fasterxml.jackson.databind;
    requires static org.jfree.jfreechart;
    requires static java.desktop;

    exports dev.vecgd.kernel;
    exports dev.vecgd.data;
    exports dev.vecgd.solver;

    // picocli fills the command objects' fields reflectively
    opens dev.vecgd.cli to info.picocli;
}
