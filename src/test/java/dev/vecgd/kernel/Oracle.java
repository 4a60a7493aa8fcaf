package dev.vecgd.kernel;

/**
 * High-precision reference arithmetic for the kernel tests: error-free transformations
 * (TwoSum, TwoProduct with {@link Math#fma}) accumulated in double-double, i.e. the "Sum2"/"Dot2"
 * algorithms of Ogita, Rump and Oishi (2005). A Dot2 result is as accurate as if computed in twice
 * the working precision and then rounded: its error is at most {@code u·|s| + γ_n²·Σ|terms|},
 * which is negligible against the kernel tolerances (those are of order {@code n·u·Σ|terms|}).
 * {@code OracleTest} checks it against exact {@link java.math.BigDecimal} arithmetic.
 */
final class Oracle {

    /** Unit roundoff of double, 2^-53. */
    static final double U = 0x1p-53;

    private Oracle() {
    }

    /** A double-double accumulator: value = hi + lo (not normalized until {@link #hi()}/{@link #lo()}). */
    static final class Acc {
        private double s;
        private double c;

        Acc() {
        }

        Acc(double start) {
            s = start;
        }

        /** Adds a exactly (up to the compensation's own rounding). */
        Acc add(double a) {
            double t = s + a;
            double bb = t - s;
            c += (s - (t - bb)) + (a - bb);
            s = t;
            return this;
        }

        /** Adds the exact product a·b. */
        Acc addProduct(double a, double b) {
            double p = a * b;
            double e = Math.fma(a, b, -p);
            add(p);
            c += e;
            return this;
        }

        /** Adds (hi + lo)·x, the product of a double-double and a double, to double-double accuracy. */
        Acc addProduct(double hi, double lo, double x) {
            addProduct(hi, x);
            c += lo * x;
            return this;
        }

        /** The value rounded to double. */
        double hi() {
            return s + c;
        }

        /** The part of the value below {@link #hi()}: hi() + lo() represents the sum to about 106 bits. */
        double lo() {
            double h = s + c;
            return c - (h - s);
        }
    }

    /**
     * The difference {@code actual − (hi + lo)}, computed so that no precision is lost when actual is
     * close to hi (then {@code actual − hi} is exact by Sterbenz' lemma).
     */
    static double diff(double actual, double hi, double lo) {
        return (actual - hi) - lo;
    }
}
