package dev.vecgd.bench.report;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Results by (class, method, shape, layout, variant, width), with the look-ups of the report: the
 * best read probe of a run, and the width-independent baselines (the plain loops run once, at one
 * width).
 */
final class ResultIndex {

    private final Map<String, Result> byKey = new LinkedHashMap<>();
    private final List<Result> all;

    ResultIndex(List<Result> rs) {
        this.all = List.copyOf(rs);
        for (Result r : rs) byKey.put(key(r.benchmarkClass(), r.method(), r.shape(), r.layout(), r.variant(), r.bits()), r);
    }

    private static String key(String cls, String method, String shape, String layout, String variant, int bits) {
        return cls + "|" + method + "|" + shape + "|" + layout + "|" + variant + "|" + bits;
    }

    List<Result> all() {
        return all;
    }

    Result get(String cls, String method, String shape, String layout, int bits) {
        return get(cls, method, shape, layout, "", bits);
    }

    Result get(String cls, String method, String shape, String layout, String variant, int bits) {
        return byKey.get(key(cls, method, shape, layout, variant, bits));
    }

    /**
     * A method that does not depend on the kernel width (the plain loops): its result at {@code bits}
     * when measured there, else at the widest width where it was measured; null when nowhere.
     */
    Result anyWidth(String cls, String method, String shape, String layout, int bits) {
        Result same = get(cls, method, shape, layout, bits);
        if (same != null) return same;
        return all.stream()
                .filter(r -> r.benchmarkClass().equals(cls) && r.method().equals(method) && r.shape().equals(shape)
                        && r.layout().equals(layout) && r.variant().isEmpty())
                .max(Comparator.comparingInt(Result::bits)).orElse(null);
    }

    /** The fastest read probe ({@code readProbe*}) of the same class, shape, layout, variant and width; null if none. */
    Result bestProbe(String cls, String shape, String layout, String variant, int bits) {
        Result best = null;
        for (Result r : all) {
            if (r.isProbe() && r.bits() == bits && r.benchmarkClass().equals(cls) && r.shape().equals(shape)
                    && r.layout().equals(layout) && r.variant().equals(variant)
                    && (best == null || r.ms() < best.ms())) {
                best = r;
            }
        }
        return best;
    }

    Result bestProbe(String cls, String shape, String layout, int bits) {
        return bestProbe(cls, shape, layout, "", bits);
    }

    boolean hasClass(String cls) {
        return all.stream().anyMatch(r -> r.benchmarkClass().equals(cls));
    }

    boolean hasClass(String cls, int bits) {
        return all.stream().anyMatch(r -> r.benchmarkClass().equals(cls) && r.bits() == bits);
    }

    /** The widths present, widest first (0, unknown, last). */
    List<Integer> widths() {
        return all.stream().map(Result::bits).distinct()
                .sorted(Comparator.comparingInt((Integer b) -> b == 0 ? Integer.MAX_VALUE : -b)).toList();
    }
}
