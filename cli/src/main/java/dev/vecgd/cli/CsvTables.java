package dev.vecgd.cli;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.vecgd.kernel.Layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CSV files with a header row of column names, read with FastCSV straight into one row-major
 * {@code double[]} (grown by doubling, never trimmed or copied afterwards). Only the command line
 * reads CSV; the core library has no CSV code.
 */
final class CsvTables {

    /** Chooses which file columns to keep, in which order, from the header. */
    @FunctionalInterface
    interface ColumnChoice {
        /**
         * @param header the column names of the file
         * @return the file column indices to keep; table column k holds file column {@code result[k]}
         * @throws UsageException when the header does not fit (e.g. an unknown target name)
         */
        int[] choose(List<String> header) throws UsageException;
    }

    private CsvTables() {
    }

    /** Reads every column. */
    static Table read(Path file) throws UsageException {
        return read(file, header -> {
            int[] all = new int[header.size()];
            for (int j = 0; j < all.length; j++) all[j] = j;
            return all;
        });
    }

    /**
     * Reads the chosen columns of a CSV file into a row-major table.
     *
     * @throws UsageException on a missing or unreadable file, a malformed file (ragged rows, bad
     *                        quoting), a non-numeric cell (naming line, row and column), no header or
     *                        no data rows, or a table too large for one Java array
     */
    static Table read(Path file, ColumnChoice choice) throws UsageException {
        Inputs.requireReadable(file);
        try (CsvReader<CsvRecord> reader = CsvReader.builder().skipEmptyLines(true).detectBomHeader(true).ofCsvRecord(file)) {
            var it = reader.iterator();
            if (!it.hasNext()) throw new UsageException(file + ": empty file (expected a header row of column names)");
            CsvRecord head = it.next();
            List<String> header = new ArrayList<>(head.getFields().size());
            for (String h : head.getFields()) header.add(h.strip());
            int[] keep = choice.choose(header);
            int cols = keep.length;
            String[] names = new String[cols];
            for (int k = 0; k < cols; k++) names[k] = header.get(keep[k]);
            long size = Files.size(file);
            long guessRows = Math.max(16, size / Math.max(1, 2L * header.size() + 1)); // ≥ 2 bytes a cell
            double[] data = new double[(int) Math.min(guessRows * Math.max(1, cols), 1 << 20)];
            int rows = 0;
            while (it.hasNext()) {
                CsvRecord rec = it.next();
                if (rec.getFieldCount() != header.size()) {
                    throw new UsageException(file + ": line " + rec.getStartingLineNumber() + " (data row " + (rows + 1)
                            + ") has " + rec.getFieldCount() + " fields, the header has " + header.size());
                }
                long need = (long) (rows + 1) * cols;
                if (need > Integer.MAX_VALUE - 8) {
                    throw new UsageException(file + ": more than " + rows + " rows × " + cols
                            + " columns do not fit in one Java array; use a .npy file");
                }
                if (need > data.length) {
                    data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(need, 2L * data.length)));
                }
                int base = rows * cols;
                for (int k = 0; k < cols; k++) {
                    String cell = rec.getField(keep[k]);
                    data[base + k] = parse(cell, file, rec.getStartingLineNumber(), rows + 1, keep[k], header.get(keep[k]));
                }
                rows++;
            }
            if (rows == 0) throw new UsageException(file + ": no data rows (only a header)");
            return new Table(data, rows, cols, Layout.ROW_MAJOR, List.of(names));
        } catch (CsvParseException e) {
            throw new UsageException(file + ": malformed CSV: " + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static double parse(String cell, Path file, long line, int row, int col, String name) throws UsageException {
        String s = cell.strip();
        if (!s.isEmpty()) {
            char last = s.charAt(s.length() - 1);
            // Double.parseDouble also takes "1d", "2f" and hex floats: not numbers in a CSV file.
            if (last != 'd' && last != 'D' && last != 'f' && last != 'F' && !s.contains("x") && !s.contains("X")) {
                try {
                    double v = Double.parseDouble(s);
                    if (!Double.isFinite(v)) {
                        throw new UsageException(file + ": non-finite value '" + cell + "' at line " + line + ", data row "
                                + row + ", column " + (col + 1) + " ('" + name + "'): X and y must be finite");
                    }
                    return v;
                } catch (NumberFormatException ignored) {
                    // reported below
                }
            }
        }
        throw new UsageException(file + ": non-numeric value '" + cell + "' at line " + line + ", data row " + row
                + ", column " + (col + 1) + " ('" + name + "')");
    }

    /** Writes one column of values with a header, one value per line. */
    static void writeColumn(Path file, String name, double[] values) throws IOException {
        try (CsvWriter w = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(file)) {
            w.writeRecord(name);
            for (double v : values) w.writeRecord(Double.toString(v));
        }
    }
}
