package dev.vecgd.solver;

/**
 * An unevaluated sum {@code hi + lo} with |lo| ≤ ulp(hi)/2: about 106 bits of precision (unit roundoff
 * u² ≈ 1.2·10⁻³², u = 2⁻⁵³), for the O(n³) work of the extended-precision normal equations
 * ({@link ExtendedNormal}). The operations are the classic ones of Dekker and of Bailey's QD library, built on
 * the error-free transformations TwoSum and TwoProduct ({@link Math#fma}); each has a relative error of a few
 * u². Immutable; the O(m·n²) passes over X never use it (they inline the same transformations, allocation-free:
 * {@link dev.vecgd.kernel.CompensatedKernels}).
 */
record DoubleDouble(double hi, double lo) {

    static final DoubleDouble ZERO = new DoubleDouble(0, 0);

    static DoubleDouble of(double v) {
        return new DoubleDouble(v, 0);
    }

    /** hi + lo normalized (any two doubles). */
    static DoubleDouble of(double hi, double lo) {
        double s = hi + lo;
        return new DoubleDouble(s, lo - (s - hi));
    }

    /** The sum, to a few u² relative (Bailey's "sloppy-free" addition: two TwoSums). */
    DoubleDouble add(DoubleDouble b) {
        double s = hi + b.hi;
        double bb = s - hi;
        double e = (hi - (s - bb)) + (b.hi - bb);
        double t = lo + b.lo;
        double bt = t - lo;
        double f = (lo - (t - bt)) + (b.lo - bt);
        e += t;
        double s2 = s + e;
        e = e - (s2 - s) + f;
        return of(s2, e);
    }

    DoubleDouble add(double b) {
        return add(of(b));
    }

    DoubleDouble negate() {
        return new DoubleDouble(-hi, -lo);
    }

    DoubleDouble sub(DoubleDouble b) {
        return add(b.negate());
    }

    DoubleDouble mul(DoubleDouble b) {
        double p = hi * b.hi;
        double e = Math.fma(hi, b.hi, -p);
        e += hi * b.lo + lo * b.hi;
        return of(p, e);
    }

    DoubleDouble mul(double b) {
        double p = hi * b;
        double e = Math.fma(hi, b, -p);
        e += lo * b;
        return of(p, e);
    }

    /** this / b: the double quotient and two Newton corrections. */
    DoubleDouble div(DoubleDouble b) {
        double q1 = hi / b.hi;
        DoubleDouble r = sub(b.mul(q1));
        double q2 = r.hi / b.hi;
        r = r.sub(b.mul(q2));
        double q3 = r.hi / b.hi;
        return of(q1, q2).add(q3);
    }

    DoubleDouble div(double b) {
        return div(of(b));
    }

    /** √this (0 for this ≤ 0): one Newton step from the double root. */
    DoubleDouble sqrt() {
        if (!(hi > 0)) return ZERO;
        double x = Math.sqrt(hi);
        DoubleDouble xx = of(x);
        return xx.add(sub(xx.mul(xx)).div(2 * x));
    }

    /** hi + lo rounded to double. */
    double value() {
        return hi + lo;
    }
}
