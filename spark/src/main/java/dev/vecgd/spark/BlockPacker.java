package dev.vecgd.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Packs one partition's rows into {@link RowBlock}s of at most {@link RowBlock#blockRows} rows, in row
 * order (the order fixes the summation order of every later pass). An empty partition gives no block.
 */
final class BlockPacker {

    private BlockPacker() {
    }

    static <T> Iterator<RowBlock> pack(int partition, Iterator<T> rows, RowReader<T> reader) {
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
