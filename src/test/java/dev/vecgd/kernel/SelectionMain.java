package dev.vecgd.kernel;

/** Forked by {@link KernelSelectionTest}: selects args[0] from code, runs a kernel, then asks for args[1]. */
public final class SelectionMain {

    private SelectionMain() {
    }

    public static void main(String[] args) {
        System.out.println("chosenBefore=" + KernelSelection.isChosen());
        KernelSelection.select(KernelSelection.Implementation.valueOf(args[0]));
        double[] out = Kernels.predict(Matrix.rowMajor(new double[] {1, 2, 3, 4}, 2, 2), new double[] {1, 1}, 0.5);
        System.out.println("implementation=" + Kernels.implementation());
        System.out.println("vectorized=" + Kernels.isVectorized());
        System.out.println("segment=" + SegmentKernels.implementation());
        System.out.println("predictions=" + out[0] + "," + out[1]);
        KernelSelection.select(KernelSelection.Implementation.valueOf(args[0])); // the same again: a no-op
        try {
            KernelSelection.select(KernelSelection.Implementation.valueOf(args[1]));
            System.out.println("second=accepted");
        } catch (IllegalStateException e) {
            System.out.println("second=" + e.getMessage());
        }
        System.out.println("warmUpSeconds=" + Kernels.warmUp().toNanos() / 1e9);
    }
}
