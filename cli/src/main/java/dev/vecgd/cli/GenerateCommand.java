package dev.vecgd.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.vecgd.kernel.ElementType;
import dev.vecgd.kernel.Layout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code vecgd generate}: writes a synthetic regression problem to a .npy or .csv file in streamed
 * chunks (never the whole array in memory), and its true coefficients to a JSON file beside it. The
 * numbers are those of {@code vecgd demo} for the same seed (same per-block generators).
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a synthetic regression problem: M rows of N features and the target (last column),"
                + " y = 2.5 + Xθ + σ·N(0,1) with θ_j = ±(1 + j/4).",
                "Streams to disk in blocks of 65 536 rows. The true coefficients go to <FILE without extension>"
                        + ".coefficients.json, a model JSON that 'vecgd predict' accepts."})
final class GenerateCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--rows", required = true, paramLabel = "M", description = "rows (>= 1)")
    long rows;

    @Option(names = "--cols", required = true, paramLabel = "N", description = "features (>= 1); the file gets N + 1 columns")
    int cols;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the output: FILE.npy or FILE.csv")
    Path out;

    @Option(names = "--noise", paramLabel = "σ", defaultValue = "0.1", description = "noise standard deviation (default ${DEFAULT-VALUE})")
    double noise;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--layout", paramLabel = "row|column", defaultValue = "row",
            description = ".npy layout: row (C order) or column (Fortran order). Default: ${DEFAULT-VALUE}")
    String layout;

    @Option(names = "--dtype", paramLabel = "float64|float32", defaultValue = "float64",
            description = ".npy element type: float64 ('<f8') or float32 ('<f4': every value, the target too, rounded to"
                    + " the nearest float; half the bytes; 'vecgd fit' then stores X as float32). Default: ${DEFAULT-VALUE}")
    String dtype;

    @Option(names = "--force", description = "overwrite existing files")
    boolean force;

    @Override
    public Integer call() throws UsageException, IOException {
        if (rows < 1) throw new UsageException("--rows must be >= 1, got " + rows);
        if (cols < 1) throw new UsageException("--cols must be >= 1, got " + cols);
        if (!(noise >= 0) || !Double.isFinite(noise)) throw new UsageException("--noise must be finite and >= 0, got " + noise);
        Layout lay = FitCommand.parseLayout(layout);
        String name = out.getFileName() == null ? "" : out.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        boolean npy = lower.endsWith(".npy");
        if (!npy && !lower.endsWith(".csv")) throw new UsageException("--out " + out + ": use a .npy or .csv file name");
        if (!npy && lay == Layout.COLUMN_MAJOR) throw new UsageException("--layout column applies to .npy files only");
        ElementType type = FitCommand.parseDtype(dtype);
        if (!npy && type != ElementType.FLOAT64) {
            throw new UsageException("--dtype " + dtype + " applies to .npy files only (CSV is text: 'vecgd fit --dtype float32'"
                    + " stores a CSV file's X as float32)");
        }
        Path coef = out.resolveSibling(name.substring(0, name.length() - 4) + ".coefficients.json");
        Inputs.requireWritable(out, "--out", force, List.of());
        Inputs.requireWritable(coef, "coefficients file", force, List.of());

        double[] theta = SyntheticProblem.trueTheta(cols);
        long t0 = System.nanoTime();
        if (npy) writeNpy(lay, theta, type);
        else writeCsv(theta);
        double s = (System.nanoTime() - t0) / 1e9;

        ObjectNode o = ModelJson.MAPPER.createObjectNode();
        o.put("intercept", SyntheticProblem.INTERCEPT);
        ArrayNode c = o.putArray("coefficients");
        for (double v : theta) c.add(v);
        ArrayNode f = o.putArray("features");
        Table.defaultNames(cols).forEach(f::add);
        o.put("target", "y");
        o.put("rows", rows);
        o.put("noise", noise);
        o.put("seed", seed);
        o.put("layout", lay == Layout.ROW_MAJOR ? "row" : "column");
        o.put("dtype", type.dtypeName());
        o.put("data", name);
        ModelJson.write(coef, o);
        double bytes = java.nio.file.Files.size(out);
        main.out.printf(Locale.ROOT, "wrote %s: %,d rows × %d features + target y (%s, %.2f GB) in %.2f s (%.0f MB/s)%n", out,
                rows, cols, npy ? type.dtypeName() + " .npy ('" + type.npyDescr() + "'), " + (lay == Layout.ROW_MAJOR ? "row-major" : "column-major") : "CSV text",
                bytes / 1e9, s, bytes / 1e6 / s);
        main.out.printf(Locale.ROOT, "true coefficients: %s%n", coef);
        return Main.OK;
    }

    /** Receives consecutive blocks of generated rows, in order. */
    @FunctionalInterface
    private interface Sink {
        void accept(long firstRow, int count, double[] x, double[] y) throws IOException;
    }

    /** One group of blocks' buffers. */
    private final class Group {
        final double[][] x;
        final double[][] y;
        final int[] count;
        int size;

        Group(int g) {
            x = new double[g][SyntheticProblem.BLOCK * cols];
            y = new double[g][SyntheticProblem.BLOCK];
            count = new int[g];
        }
    }

    /**
     * Generates the blocks a group at a time on a pool of worker threads (one per processor) and hands
     * them to the sink in order on this thread; the next group is generated while this one is written.
     */
    private void stream(double[] theta, Sink sink) throws IOException {
        long blocks = SyntheticProblem.blocks(rows);
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        int g = (int) Math.min(blocks, 2L * workers);
        Group[] groups = {new Group(g), new Group(g)};
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "vecgd-generate");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> pending = fill(pool, 0, blocks, groups[0], theta);
            for (long b0 = 0, k = 0; b0 < blocks; b0 += g, k++) {
                Group cur = groups[(int) (k % 2)];
                await(pending);
                long next = b0 + g;
                pending = next < blocks ? fill(pool, next, blocks, groups[(int) ((k + 1) % 2)], theta) : List.of();
                for (int i = 0; i < cur.size; i++) {
                    sink.accept((b0 + i) * SyntheticProblem.BLOCK, cur.count[i], cur.x[i], cur.y[i]);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private List<Future<?>> fill(ExecutorService pool, long b0, long blocks, Group grp, double[] theta) {
        grp.size = (int) Math.min(grp.count.length, blocks - b0);
        List<Future<?>> f = new ArrayList<>(grp.size);
        for (int i = 0; i < grp.size; i++) {
            int ii = i;
            f.add(pool.submit(() -> grp.count[ii] = SyntheticProblem.fillBlock(b0 + ii, rows, cols, theta,
                    SyntheticProblem.INTERCEPT, noise, seed, grp.x[ii], 0, grp.y[ii], 0)));
        }
        return f;
    }

    private static void await(List<Future<?>> futures) throws IOException {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("generation failed", e.getCause());
            }
        }
    }

    private void writeNpy(Layout lay, double[] theta, ElementType type) throws IOException {
        try (NpyFiles.Writer w = new NpyFiles.Writer(out, rows, cols + 1, lay, type)) {
            stream(theta, (first, count, x, y) -> w.writeRows(first, count, x, cols, y));
        }
    }

    private void writeCsv(double[] theta) throws IOException {
        String[] rec = new String[cols + 1];
        try (CsvWriter w = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(out)) {
            List<String> header = Table.defaultNames(cols);
            for (int j = 0; j < cols; j++) rec[j] = header.get(j);
            rec[cols] = "y";
            w.writeRecord(rec);
            stream(theta, (first, count, x, y) -> {
                for (int r = 0; r < count; r++) {
                    for (int j = 0; j < cols; j++) rec[j] = Double.toString(x[r * cols + j]);
                    rec[cols] = Double.toString(y[r]);
                    w.writeRecord(rec);
                }
            });
        }
    }
}
