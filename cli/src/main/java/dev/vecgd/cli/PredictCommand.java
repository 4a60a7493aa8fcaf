package dev.vecgd.cli;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.vecgd.kernel.Kernels;
import dev.vecgd.kernel.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vecgd predict}: applies a model JSON to a data file. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict with a model written by 'vecgd fit --output' (or the coefficients JSON of 'vecgd generate').",
                "CSV: the model's feature columns are picked by header name (other columns, e.g. the target, are ignored).",
                ".npy / raw: the first n columns are the features (n + 1 columns: the last one, the target, is ignored);"
                        + " a .npy file may be float64 ('<f8') or float32 ('<f4', from its header), a raw file float32 with"
                        + " --dtype float32.",
                "Writes a CSV with one column 'prediction' to --output, or to stdout."})
final class PredictCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--model", required = true, paramLabel = "MODEL.json", description = "the model JSON")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "the data: .csv, .npy or raw float64")
    Path data;

    @Option(names = "--rows", paramLabel = "M", description = "rows of a raw float64 file")
    Long rows;

    @Option(names = "--cols", paramLabel = "N", description = "columns of a raw float64 file")
    Integer cols;

    @Option(names = "--layout", paramLabel = "row|column", defaultValue = "row", description = "layout of a raw float64 file")
    String layout;

    @Option(names = "--dtype", paramLabel = "float64|float32",
            description = "element type of a raw file (default float64); a .npy file's comes from its header")
    String dtype;

    @Option(names = "--output", paramLabel = "FILE.csv", description = "write the predictions here instead of stdout")
    Path output;

    @Option(names = "--force", description = "overwrite an existing --output file (never an input file)")
    boolean force;

    @Override
    public Integer call() throws UsageException, IOException {
        if (output != null) Inputs.requireWritable(output, "--output", force, List.of(data, model));
        ModelJson.Model m = ModelJson.read(model);
        int n = m.coefficients().length;
        FitData.RawShape shape = new FitData.RawShape(rows, cols, FitCommand.parseLayout(layout), FitCommand.parseDtype(dtype));
        FitData.Format format = FitData.format(data, shape);
        FitData.sourceType(data, format, shape); // a --dtype that contradicts a .npy header is an error
        Matrix x;
        if (format == FitData.Format.CSV) {
            Table t = CsvTables.read(data, header -> {
                int[] keep = new int[n];
                for (int j = 0; j < n; j++) {
                    keep[j] = header.indexOf(m.features().get(j));
                    if (keep[j] < 0) {
                        throw new UsageException(data + ": no column '" + m.features().get(j) + "' (a feature of the model "
                                + model + ")");
                    }
                }
                return keep;
            });
            x = t.matrix();
        } else {
            Table t = format == FitData.Format.NPY ? NpyFiles.read(data) // float32 widened to double, exactly
                    : NpyFiles.readRaw(data, rows, cols, shape.layout(), shape.rawType());
            if (t.cols() != n && t.cols() != n + 1) {
                throw new UsageException(data + " has " + t.cols() + " columns; the model has " + n + " features (expected "
                        + n + ", or " + (n + 1) + " with the target last)");
            }
            x = t.matrix().columns(0, n);
        }
        double[] p = Kernels.predict(x, m.coefficients(), m.intercept());
        if (output != null) {
            CsvTables.writeColumn(output, "prediction", p);
            main.err.printf(Locale.ROOT, "vecgd: %,d predictions written to %s%n", p.length, output);
        } else {
            Writer w = new OutputStreamWriter(main.out, StandardCharsets.UTF_8);
            CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(w);
            csv.writeRecord("prediction");
            for (double v : p) csv.writeRecord(Double.toString(v));
            csv.flush();
            w.flush();
        }
        return Main.OK;
    }
}
