package dev.vecgd.spark;

import org.apache.spark.sql.Row;

import java.util.List;

/**
 * Rows of a DataFrame after {@link SparkRowSource#of}'s select: either n numeric feature columns cast to
 * double then the label, or one vector / array column then the label.
 */
final class SqlRowReader implements RowReader<Row> {

    private static final long serialVersionUID = 1L;

    private final String[] features;
    private final String label;
    private final boolean vectorColumn;
    private final String weight;

    /**
     * @param features     the feature column names (one name for a vector / array column)
     * @param vectorColumn true: column 0 holds all features (ml.linalg vector or array of numbers)
     */
    SqlRowReader(String[] features, String label, boolean vectorColumn) {
        this(features, label, vectorColumn, null);
    }

    /** With a sample-weight column (selected after the label), or null for none. */
    SqlRowReader(String[] features, String label, boolean vectorColumn, String weight) {
        this.features = features.clone();
        this.label = label;
        this.vectorColumn = vectorColumn;
        this.weight = weight;
    }

    @Override
    public boolean weighted() {
        return weight != null;
    }

    @Override
    public double weight(Row row, String where) {
        int k = (vectorColumn ? 1 : features.length) + 1;
        if (row.isNullAt(k)) throw new IllegalArgumentException("weight column '" + weight + "' is null at " + where);
        return RowReader.weightValue(row.getDouble(k), "weight column '" + weight + "'", where);
    }

    @Override
    public int width(Row row) {
        if (!vectorColumn) return features.length;
        Object v = row.get(0);
        if (v == null) return 0; // read() names the null
        if (v instanceof org.apache.spark.ml.linalg.Vector vec) return vec.size();
        if (v instanceof scala.collection.Seq<?> seq) return seq.size();
        if (v instanceof List<?> list) return list.size();
        throw new IllegalArgumentException("column '" + features[0] + "' holds " + v.getClass().getName()
                + ", not a vector or an array of numbers");
    }

    @Override
    public String featureName(int j) {
        return vectorColumn ? "feature column '" + features[0] + "' element " + j : "feature column '" + features[j] + "'";
    }

    @Override
    public void read(Row row, double[] x, int off, int n, double[] y, int i, String where) {
        if (vectorColumn) {
            readVector(row, x, off, n, where);
        } else {
            for (int j = 0; j < n; j++) {
                if (row.isNullAt(j)) throw new IllegalArgumentException("feature column '" + features[j] + "' is null at " + where);
                x[off + j] = RowReader.finite(row.getDouble(j), "feature column '" + features[j] + "'", where);
            }
        }
        int l = vectorColumn ? 1 : n;
        if (row.isNullAt(l)) throw new IllegalArgumentException("label column '" + label + "' is null at " + where);
        y[i] = RowReader.finite(row.getDouble(l), "label column '" + label + "'", where);
    }

    private void readVector(Row row, double[] x, int off, int n, String where) {
        String name = "feature column '" + features[0] + "'";
        if (row.isNullAt(0)) throw new IllegalArgumentException(name + " is null at " + where);
        Object v = row.get(0);
        int size = width(row);
        if (size != n) {
            throw new IllegalArgumentException(name + " has " + size + " elements at " + where + ", earlier rows " + n);
        }
        if (v instanceof org.apache.spark.ml.linalg.Vector vec) {
            for (int j = 0; j < n; j++) x[off + j] = RowReader.finite(vec.apply(j), name + " element " + j, where);
        } else {
            List<?> list = v instanceof List<?> l ? l
                    : scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) v);
            for (int j = 0; j < n; j++) {
                Object e = list.get(j);
                if (e == null) throw new IllegalArgumentException(name + " element " + j + " is null at " + where);
                x[off + j] = RowReader.finite(((Number) e).doubleValue(), name + " element " + j, where);
            }
        }
    }
}
