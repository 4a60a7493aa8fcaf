package dev.vecgd.cli;

import dev.vecgd.data.Dataset;
import dev.vecgd.data.MappedDoubles;
import dev.vecgd.data.RegressionData;
import dev.vecgd.data.SegmentDataset;
import dev.vecgd.kernel.ElementType;
import dev.vecgd.kernel.Layout;
import dev.vecgd.kernel.Matrix;
import dev.vecgd.kernel.SegmentMatrix;
import dev.vecgd.kernel.SegmentVector;
import dev.vecgd.kernel.StridedVector;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads the data of {@code vecgd fit}: a CSV, .npy or raw float64 file, and the target chosen by
 * {@code --target} (default: the last column) or given by {@code --target-file}.
 *
 * <p>Nothing is copied after loading when the target is the first or last column of the table: the
 * features are a strided {@link Matrix} view and y a {@link StridedVector} over the same array
 * ({@link Dataset#fromTable}). A CSV file is parsed with the target placed last, so any target column
 * costs no copy. A .npy/raw target in a middle column is the one case that copies (the table is
 * re-ordered once so the features stay one strided view).
 *
 * <p><b>float32.</b> A {@code .npy} file of dtype {@code <f4} (or a raw file read with {@code --dtype float32}) is
 * fitted with X stored as float32: mapped zero-copy when the target is its first or last column, else copied once
 * into native float32 memory; y is always double. A CSV file is stored as float32 on request ({@code --dtype
 * float32}): each feature value is rounded once to the nearest float (a value beyond float32's range is an
 * error naming its row and column; how many values were rounded is reported as a one-line note). Heap-only fits
 * (mini-batches, weights, paths) read float32 files widened to double (exactly).
 */
final class FitData {

    /**
     * Where the data came from and what is in it: heap arrays, or a read-only memory mapping of the
     * file ({@link SegmentDataset}) that {@link #close()} releases.
     */
    record Loaded(RegressionData dataset, List<String> features, String target, String format, double[] weights,
                  SegmentVector mappedWeights, List<AutoCloseable> owned, String note)
            implements AutoCloseable {
        Loaded(RegressionData dataset, List<String> features, String target, String format) {
            this(dataset, features, target, format, null, null, List.of(), null);
        }

        Loaded(RegressionData dataset, List<String> features, String target, String format, double[] weights) {
            this(dataset, features, target, format, weights, null, List.of(), null);
        }

        /** With a one-line note for stderr (e.g. how many values float32 storage rounded). */
        Loaded(RegressionData dataset, List<String> features, String target, String format, double[] weights,
               String note) {
            this(dataset, features, target, format, weights, null, List.of(), note);
        }

        Loaded(RegressionData dataset, List<String> features, String target, String format, double[] weights,
               SegmentVector mappedWeights, List<AutoCloseable> owned) {
            this(dataset, features, target, format, weights, mappedWeights, owned, null);
        }

        /** Whether the fit has sample weights (on the heap, or mapped with the data). */
        boolean weighted() {
            return weights != null || mappedWeights != null;
        }

        /** How X is stored: float32 only for a {@link SegmentDataset} of float32. */
        ElementType elementType() {
            return dataset instanceof SegmentDataset s ? s.elementType() : ElementType.FLOAT64;
        }

        @Override
        public void close() {
            if (dataset instanceof SegmentDataset mapped) mapped.close();
            for (AutoCloseable c : owned) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing " + c + " failed", e);
                }
            }
        }
    }

    /**
     * How to read a file without a recognised extension (raw little-endian float64, or float32 with {@code type}),
     * and the element type asked for with {@code --dtype} (null: not given; a .npy file's comes from its header).
     */
    record RawShape(Long rows, Integer cols, Layout layout, ElementType dtype) {
        RawShape(Long rows, Integer cols, Layout layout) {
            this(rows, cols, layout, null);
        }

        /** The element type of a raw file: {@code --dtype}, float64 by default. */
        ElementType rawType() {
            return dtype == null ? ElementType.FLOAT64 : dtype;
        }
    }

    private FitData() {
    }

    enum Format { CSV, NPY, RAW }

    static Format format(Path file, RawShape raw) throws UsageException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean shaped = raw != null && (raw.rows() != null || raw.cols() != null);
        if (name.endsWith(".csv")) {
            if (shaped) throw new UsageException("--rows/--cols apply to raw binary files only, not to " + file);
            return Format.CSV;
        }
        if (name.endsWith(".npy")) {
            if (shaped) throw new UsageException("--rows/--cols apply to raw binary files only; a .npy file has its shape");
            return Format.NPY;
        }
        if (raw == null || raw.rows() == null || raw.cols() == null) {
            throw new UsageException(file + ": unknown format: use a .csv file (with a header row), a .npy file,"
                    + " or raw little-endian float64 (float32 with --dtype float32) with --rows and --cols");
        }
        return Format.RAW;
    }

    /**
     * Loads the data. With {@code mapIfPossible}, a .npy or raw file whose target is its first or last
     * column is memory-mapped read-only (zero-copy, any size); everything else is read into the heap.
     */
    static Loaded load(Path file, String target, Path targetFile, RawShape raw, boolean mapIfPossible) throws UsageException {
        if (target != null && targetFile != null) throw new UsageException("give either --target or --target-file, not both");
        Format format = format(file, raw);
        ElementType type = sourceType(file, format, raw);
        // float32 storage (off-heap) is for the full-batch fits, which take off-heap data
        boolean float32 = mapIfPossible && type == ElementType.FLOAT32;
        if (!mapIfPossible && format == Format.CSV && raw != null && raw.dtype() == ElementType.FLOAT32) {
            throw new UsageException("--dtype float32 stores X off-heap for full-batch fits; it cannot be combined with"
                    + " --batch-size, --weights/--weights-file or --l1-path (they take float64 data on the heap)");
        }
        if (mapIfPossible && targetFile == null && format != Format.CSV) {
            Loaded mapped = map(file, target, format, raw);
            if (mapped != null) return mapped;
        }
        String fmt = format.name().toLowerCase(Locale.ROOT);
        if (targetFile != null) {
            Table t = switch (format) {
                case CSV -> CsvTables.read(file);
                case NPY -> NpyFiles.read(file);
                case RAW -> NpyFiles.readRaw(file, raw.rows(), raw.cols(), raw.layout(), raw.rawType());
            };
            double[] y = readTarget(targetFile, t.rows());
            String name = targetFile.getFileName().toString();
            if (float32) {
                Float32Table f = Float32Table.of(t, -1, y, file, null);
                return new Loaded(f.data(), featureNames(t, format, -1), name, fmt + ", float32 X", null, f.note());
            }
            Dataset d = new Dataset(t.matrix(), StridedVector.of(y));
            return new Loaded(d, featureNames(t, format, -1), name, fmt);
        }
        if (format == Format.CSV) {
            int[][] chosen = {null};
            Table t = CsvTables.read(file, header -> {
                int ti = resolveTarget(target, header, file);
                int[] keep = new int[header.size()];
                int k = 0;
                for (int j = 0; j < header.size(); j++) if (j != ti) keep[k++] = j;
                keep[k] = ti;
                chosen[0] = keep;
                return keep;
            });
            if (t.cols() < 1) throw new UsageException(file + ": no columns");
            List<String> features = t.names().subList(0, t.cols() - 1);
            String targetName = t.names().get(t.cols() - 1);
            if (float32) {
                Float32Table f = Float32Table.of(t, t.cols() - 1, null, file, chosen[0]);
                return new Loaded(f.data(), features, targetName, "csv, float32 X", null, f.note());
            }
            Dataset d = Dataset.fromTable(t.matrix(), t.cols() - 1);
            return new Loaded(d, features, targetName, "csv");
        }
        Table t = format == Format.NPY ? NpyFiles.read(file)
                : NpyFiles.readRaw(file, raw.rows(), raw.cols(), raw.layout(), raw.rawType());
        List<String> header = new ArrayList<>(t.cols());
        for (int j = 0; j < t.cols(); j++) header.add(Integer.toString(j));
        int ti = resolveTarget(target, header, file);
        int c = t.cols();
        if (float32) { // a float32 file whose target is a middle column: one copy into native float32 (exact)
            Float32Table f = Float32Table.of(t, ti, null, file, null);
            return new Loaded(f.data(), featureNames(t, format, ti), "column " + ti, fmt + ", float32 X", null, f.note());
        }
        Dataset d;
        if (ti == c - 1 || ti == 0) {
            d = Dataset.fromTable(t.matrix(), ti);
        } else { // a middle column: move it last (the one copy)
            Table moved = moveLast(t, ti);
            d = Dataset.fromTable(moved.matrix(), c - 1);
        }
        return new Loaded(d, featureNames(t, format, ti), "column " + ti, fmt);
    }

    /**
     * The element type X is stored as: a .npy file's from its header (a contradicting {@code --dtype} is a usage
     * error), a raw file's {@code --dtype} (default float64), a CSV file's {@code --dtype} (default float64).
     */
    static ElementType sourceType(Path file, Format format, RawShape raw) throws UsageException {
        ElementType asked = raw == null ? null : raw.dtype();
        if (format != Format.NPY) return asked == null ? ElementType.FLOAT64 : asked;
        ElementType header = NpyFiles.dtype(file);
        if (asked != null && asked != header) {
            throw new UsageException("--dtype " + asked.dtypeName() + ": " + file + " holds " + header.dtypeName() + " ('"
                    + header.npyDescr() + "'); a .npy file's dtype comes from its header (drop --dtype)");
        }
        return header;
    }

    /** The file mapped, or null when its target is a middle column (which would need a re-ordering copy). */
    private static Loaded map(Path file, String target, Format format, RawShape raw) throws UsageException {
        try {
            int c;
            if (format == Format.NPY) {
                try (MappedDoubles header = MappedDoubles.npy(file)) {
                    c = header.cols();
                }
            } else {
                c = raw.cols();
            }
            List<String> names = new ArrayList<>(c);
            for (int j = 0; j < c; j++) names.add(Integer.toString(j));
            int ti = resolveTarget(target, names, file);
            if (ti != 0 && ti != c - 1) return null;
            SegmentDataset d = format == Format.NPY ? SegmentDataset.mapNpy(file, ti)
                    : SegmentDataset.mapRaw(file, raw.rows(), raw.cols(), raw.layout(), ti, raw.rawType());
            String fmt = format.name().toLowerCase(Locale.ROOT) + ", mapped"
                    + (d.elementType() == ElementType.FLOAT32 ? ", float32 X" : "");
            return new Loaded(d, Table.defaultNames(c - 1), "column " + ti, fmt);
        } catch (NoSuchFileException e) {
            throw new UsageException(file + ": no such file");
        } catch (IOException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Names of the features: the CSV header, or x1..xn in feature order for binary files. */
    private static List<String> featureNames(Table t, Format format, int targetIndex) {
        if (format == Format.CSV && targetIndex < 0) return t.names();
        int n = t.cols() - (targetIndex >= 0 ? 1 : 0);
        return Table.defaultNames(n);
    }

    /** The target column index: a header name first, else a 0-based index. */
    static int resolveTarget(String target, List<String> header, Path file) throws UsageException {
        int c = header.size();
        if (c < 2) throw new UsageException(file + ": " + c + " column(s); need at least one feature and a target"
                + " (or give the target with --target-file)");
        if (target == null) return c - 1;
        return resolveColumn("--target", target, header, file);
    }

    /** A column by header name first, else by 0-based index; {@code flag} names the option in errors. */
    static int resolveColumn(String flag, String column, List<String> header, Path file) throws UsageException {
        int c = header.size();
        int byName = header.indexOf(column.strip());
        if (byName >= 0) return byName;
        try {
            int i = Integer.parseInt(column.strip());
            if (i >= 0 && i < c) return i;
            throw new UsageException(flag + " " + column + ": index out of range 0.." + (c - 1) + " in " + file);
        } catch (NumberFormatException e) {
            String cols = header.size() <= 12 ? String.join(", ", header) : String.join(", ", header.subList(0, 12)) + ", …";
            throw new UsageException(flag + " '" + column + "': no such column in " + file + " (columns: " + cols + ")");
        }
    }

    /**
     * Loads the data of a weighted fit onto the heap (the library's weighted fit takes heap data): the weights from
     * the column {@code weightsColumn} of the table (excluded from the features) or from {@code weightsFile}; the
     * target as in {@link #load}. The features are copied once into a row-major array.
     */
    static Loaded loadWeighted(Path file, String target, Path targetFile, String weightsColumn, Path weightsFile, RawShape raw)
            throws UsageException {
        return loadWeighted(file, target, targetFile, weightsColumn, weightsFile, raw, false);
    }

    /**
     * {@link #loadWeighted(Path, String, Path, String, Path, RawShape)}; with {@code mapIfPossible} a .npy or raw table is
     * memory-mapped instead (zero-copy, off-heap, any size) when the features stay one strided view of it: the target
     * (and a weights column) at the ends of the table ({@link #mapWeighted}). A {@code --weights-file} .npy is then
     * mapped too; a .csv weights file is read into a heap array (8 bytes a row).
     */
    static Loaded loadWeighted(Path file, String target, Path targetFile, String weightsColumn, Path weightsFile,
                               RawShape raw, boolean mapIfPossible) throws UsageException {
        if (target != null && targetFile != null) throw new UsageException("give either --target or --target-file, not both");
        if (weightsColumn != null && weightsFile != null) {
            throw new UsageException("give either --weights or --weights-file, not both");
        }
        Format format = format(file, raw);
        if (format == Format.CSV && raw != null && raw.dtype() == ElementType.FLOAT32) {
            throw new UsageException("--dtype float32 stores X off-heap for full-batch fits; sample weights take float64"
                    + " data (drop --dtype)");
        }
        // a --dtype that contradicts a .npy header is an error here too; float32 files are read widened to double
        ElementType type = sourceType(file, format, raw);
        if (mapIfPossible && targetFile == null && format != Format.CSV && type == ElementType.FLOAT64) {
            Loaded mapped = mapWeighted(file, target, weightsColumn, weightsFile, format, raw);
            if (mapped != null) return mapped;
        }
        Table t;
        try {
            t = switch (format) {
                case CSV -> CsvTables.read(file);
                case NPY -> NpyFiles.read(file);
                case RAW -> NpyFiles.readRaw(file, raw.rows(), raw.cols(), raw.layout(), raw.rawType());
            };
        } catch (UsageException e) {
            if (e.getMessage().contains("one Java array")) {
                throw new UsageException(e.getMessage() + "; sample weights need the data on the heap: memory-mapped"
                        + " (off-heap) input is not supported with --weights/--weights-file yet");
            }
            throw e;
        }
        int c = t.cols();
        List<String> header = new ArrayList<>(c);
        if (format == Format.CSV) header.addAll(t.names());
        else for (int j = 0; j < c; j++) header.add(Integer.toString(j));
        int ti = -1;
        if (targetFile == null) {
            if (c < 2) throw new UsageException(file + ": " + c + " column(s); need at least one feature and a target");
            ti = target == null ? c - 1 : resolveColumn("--target", target, header, file);
        }
        int wi = -1;
        if (weightsColumn != null) {
            wi = resolveColumn("--weights", weightsColumn, header, file);
            if (wi == ti) throw new UsageException("--weights " + weightsColumn + " is the target column (the last column"
                    + " unless --target names another)");
        }
        int m = t.rows();
        Matrix src = t.matrix();
        double[] y = targetFile != null ? readColumnFile("--target-file", targetFile, m) : column(src, m, ti);
        double[] w = weightsFile != null ? readColumnFile("--weights-file", weightsFile, m) : column(src, m, wi);
        int n = c - (ti >= 0 ? 1 : 0) - (wi >= 0 ? 1 : 0);
        if (n < 1) throw new UsageException(file + ": no feature column left besides the target and the weights");
        double[] x = new double[m * n];
        List<String> names = new ArrayList<>(n);
        int k = 0;
        for (int j = 0; j < c; j++) {
            if (j == ti || j == wi) continue;
            names.add(format == Format.CSV ? header.get(j) : "x" + (k + 1));
            for (int i = 0; i < m; i++) x[i * n + k] = src.get(i, j);
            k++;
        }
        Dataset d = Dataset.rowMajor(x, m, n, y);
        String targetName = targetFile != null ? targetFile.getFileName().toString()
                : format == Format.CSV ? header.get(ti) : "column " + ti;
        return new Loaded(d, names, targetName, format.name().toLowerCase(Locale.ROOT), w);
    }

    /**
     * The weighted data mapped: null when the columns do not allow a view (the target, and a weights column, must be
     * at the ends of the table so the features are one contiguous range of columns: target last and weights first or
     * second to last, target first and weights last or second, …).
     */
    private static Loaded mapWeighted(Path file, String target, String weightsColumn, Path weightsFile, Format format,
                                      RawShape raw) throws UsageException {
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            MappedDoubles table = format == Format.NPY ? MappedDoubles.npy(file)
                    : MappedDoubles.raw(file, raw.rows(), raw.cols(), raw.layout());
            owned.add(table);
            if (table.shape().length != 2) {
                throw new UsageException(file + ": a table needs a 2-D array, the shape is "
                        + java.util.Arrays.toString(table.shape()));
            }
            int c = table.cols();
            List<String> header = new ArrayList<>(c);
            for (int j = 0; j < c; j++) header.add(Integer.toString(j));
            int ti = resolveTarget(target, header, file);
            int wi = -1;
            if (weightsColumn != null) {
                wi = resolveColumn("--weights", weightsColumn, header, file);
                if (wi == ti) throw new UsageException("--weights " + weightsColumn + " is the target column (the last column"
                        + " unless --target names another)");
            }
            int lo = 0;
            int hi = c; // the features: columns [lo, hi)
            for (int k = 0; k < 2; k++) { // the target and the weights column, peeled off the ends
                if (ti == lo || wi == lo) lo++;
                else if (ti == hi - 1 || wi == hi - 1) hi--;
            }
            int taken = 1 + (wi >= 0 ? 1 : 0);
            if (c - (hi - lo) != taken || ti < 0 || (ti >= lo && ti < hi) || (wi >= lo && wi < hi)) {
                close(owned);
                return null; // a middle column: the heap path re-orders the table
            }
            if (hi - lo < 1) throw new UsageException(file + ": no feature column left besides the target and the weights");
            SegmentMatrix t = table.matrix();
            long m = t.rows();
            SegmentVector w;
            double[] heapWeights = null;
            if (wi >= 0) {
                w = t.column(wi);
            } else if (weightsFile.getFileName() != null
                    && weightsFile.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
                MappedDoubles wf = MappedDoubles.npy(weightsFile);
                owned.add(wf);
                if (wf.cols() != 1) {
                    throw new UsageException("--weights-file " + weightsFile + " has " + wf.cols() + " columns; expected one");
                }
                if (wf.rows() != m) {
                    throw new UsageException("--weights-file " + weightsFile + " has " + wf.rows() + " rows, the data have " + m);
                }
                w = wf.vector();
            } else {
                if (m > Integer.MAX_VALUE) {
                    throw new UsageException("--weights-file " + weightsFile + ": " + m + " rows need a .npy weights file");
                }
                heapWeights = readColumnFile("--weights-file", weightsFile, (int) m);
                w = null;
            }
            SegmentDataset d = new SegmentDataset(t.columns(lo, hi - lo), t.column(ti));
            List<String> names = Table.defaultNames(hi - lo);
            return new Loaded(d, names, "column " + ti, format.name().toLowerCase(Locale.ROOT) + ", mapped", heapWeights, w,
                    List.copyOf(owned));
        } catch (NoSuchFileException e) {
            close(owned);
            throw new UsageException(e.getFile() + ": no such file");
        } catch (IOException e) {
            close(owned);
            throw new UsageException(e.getMessage());
        } catch (UsageException | RuntimeException e) {
            close(owned);
            throw e;
        }
    }

    private static void close(List<AutoCloseable> owned) {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing after a failure: the failure is what the user sees
            }
        }
    }

    private static double[] column(Matrix src, int m, int j) {
        double[] v = new double[m];
        for (int i = 0; i < m; i++) v[i] = src.get(i, j);
        return v;
    }

    private static Table moveLast(Table t, int ti) {
        int m = t.rows();
        int c = t.cols();
        Matrix src = t.matrix();
        double[] out = new double[m * c];
        for (int i = 0; i < m; i++) {
            int k = 0;
            for (int j = 0; j < c; j++) if (j != ti) out[i * c + k++] = src.get(i, j);
            out[i * c + c - 1] = src.get(i, ti);
        }
        return new Table(out, m, c, Layout.ROW_MAJOR, Table.defaultNames(c));
    }

    /** y from a separate file: a one-column CSV (with header), or a 1-D / one-column .npy. */
    static double[] readTarget(Path file, int rows) throws UsageException {
        return readColumnFile("--target-file", file, rows);
    }

    /** One value per row from a separate file: a one-column CSV (with header), or a 1-D / one-column .npy. */
    static double[] readColumnFile(String flag, Path file, int rows) throws UsageException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        Table t;
        if (name.endsWith(".csv")) t = CsvTables.read(file);
        else if (name.endsWith(".npy")) t = NpyFiles.read(file);
        else throw new UsageException(flag + " " + file + ": use a one-column .csv (with a header) or a 1-D .npy file");
        if (t.cols() != 1) throw new UsageException(flag + " " + file + " has " + t.cols() + " columns; expected one");
        if (t.rows() != rows) {
            throw new UsageException(flag + " " + file + " has " + t.rows() + " rows, the data have " + rows);
        }
        return t.data().length == rows ? t.data() : java.util.Arrays.copyOf(t.data(), rows);
    }
}
