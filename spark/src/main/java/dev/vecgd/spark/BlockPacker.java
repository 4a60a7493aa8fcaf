package dev.vecgd.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Packs one partition's rows into {@link RowBlock}s of at most {@link RowBlock#blockRows} rows, in row
 * order (the order fixes the summation order of every later pass). An empty partition gives no block.
 * With {@code float32}, X is packed as {@code float[]}: each value rounded once to the nearest float (a finite
 * value beyond float32's range fails the packing, naming its column, partition and row); y and w stay double.
 */
final class BlockPacker {

    private BlockPacker() {
    }

    static <T> Iterator<RowBlock> pack(int partition, Iterator<T> rows, RowReader<T> reader) {
        return pack(partition, rows, reader, false);
    }

    static <T> Iterator<RowBlock> pack(int partition, Iterator<T> rows, RowReader<T> reader, boolean float32) {
        return float32 ? packFloat(partition, rows, reader) : packDouble(partition, rows, reader);
    }

    private static <T> Iterator<RowBlock> packFloat(int partition, Iterator<T> rows, RowReader<T> reader) {
        List<RowBlock> out = new ArrayList<>();
        if (!rows.hasNext()) return out.iterator();
        T first = rows.next();
        int n = reader.width(first);
        int cap = RowBlock.blockRows(n);
        double[] row = new double[n];
        float[] x = new float[Math.multiplyExact(cap, n)];
        double[] y = new double[cap];
        boolean weighted = reader.weighted();
        double[] w = weighted ? new double[cap] : null;
        int filled = 0;
        long index = 0;
        T r = first;
        while (true) {
            String where = "partition " + partition + ", row " + index;
            reader.read(r, row, 0, n, y, filled, where);
            int base = filled * n;
            for (int j = 0; j < n; j++) {
                float f = (float) row[j];
                if (Float.isInfinite(f)) {
                    throw new IllegalArgumentException(reader.featureName(j) + " is " + row[j] + " at " + where
                            + ": not finite in float32 (|x| > " + Float.MAX_VALUE + "); pack the blocks as float64");
                }
                x[base + j] = f;
            }
            if (weighted) w[filled] = reader.weight(r, where);
            filled++;
            index++;
            if (filled == cap) {
                out.add(new RowBlock(partition, filled, n, null, x, y, w));
                x = new float[cap * n];
                y = new double[cap];
                w = weighted ? new double[cap] : null;
                filled = 0;
            }
            if (!rows.hasNext()) break;
            r = rows.next();
        }
        if (filled > 0) {
            out.add(new RowBlock(partition, filled, n, null, Arrays.copyOf(x, filled * n), Arrays.copyOf(y, filled),
                    weighted ? Arrays.copyOf(w, filled) : null));
        }
        return out.iterator();
    }

    private static <T> Iterator<RowBlock> packDouble(int partition, Iterator<T> rows, RowReader<T> reader) {
        List<RowBlock> out = new ArrayList<>();
        if (!rows.hasNext()) return out.iterator();
        T first = rows.next();
        int n = reader.width(first);
        int cap = RowBlock.blockRows(n);
        double[] x = new double[Math.multiplyExact(cap, n)];
        double[] y = new double[cap];
        boolean weighted = reader.weighted();
        double[] w = weighted ? new double[cap] : null;
        int filled = 0;
        long index = 0;
        T row = first;
        while (true) {
            String where = "partition " + partition + ", row " + index;
            reader.read(row, x, filled * n, n, y, filled, where);
            if (weighted) w[filled] = reader.weight(row, where);
            filled++;
            index++;
            if (filled == cap) {
                out.add(new RowBlock(partition, filled, n, x, y, w));
                x = new double[cap * n];
                y = new double[cap];
                w = weighted ? new double[cap] : null;
                filled = 0;
            }
            if (!rows.hasNext()) break;
            row = rows.next();
        }
        if (filled > 0) {
            out.add(new RowBlock(partition, filled, n, Arrays.copyOf(x, filled * n), Arrays.copyOf(y, filled),
                    weighted ? Arrays.copyOf(w, filled) : null));
        }
        return out.iterator();
    }
}
