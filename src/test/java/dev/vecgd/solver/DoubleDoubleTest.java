package dev.vecgd.solver;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link DoubleDouble} against exact {@link BigDecimal} arithmetic: add, sub, mul, div and sqrt of random
 * double-doubles over 40 decades, each within 8·u² relative (u = 2⁻⁵³; the classic bounds are 2–4 u²), including
 * sums that cancel to a few ulps of the operands.
 */
class DoubleDoubleTest {

    private static final double U2 = 0x1p-106;
    private static final MathContext MC = new MathContext(80);

    private static DoubleDouble random(SplittableRandom rnd) {
        double hi = (rnd.nextBoolean() ? 1 : -1) * (0.5 + rnd.nextDouble()) * Math.pow(10, rnd.nextInt(-20, 20));
        return DoubleDouble.of(hi, hi * 0x1p-53 * (rnd.nextDouble() - 0.5));
    }

    private static BigDecimal exact(DoubleDouble a) {
        return new BigDecimal(a.hi()).add(new BigDecimal(a.lo()));
    }

    private static void close(BigDecimal want, DoubleDouble got, String what) {
        double err = exact(got).subtract(want).abs().doubleValue();
        double bound = 8 * U2 * want.abs().doubleValue();
        assertTrue(err <= bound, what + ": error " + err + " > " + bound);
        assertTrue(Math.abs(got.lo()) <= Math.ulp(got.hi()) / 2, what + ": not normalized");
    }

    @Test
    void arithmeticIsAccurateToAFewUnitsOfU2() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int k = 0; k < 20_000; k++) {
            DoubleDouble a = random(rnd);
            DoubleDouble b = random(rnd);
            BigDecimal ea = exact(a);
            BigDecimal eb = exact(b);
            close(ea.add(eb), a.add(b), a + " + " + b);
            close(ea.multiply(eb), a.mul(b), a + " · " + b);
            close(ea.multiply(new BigDecimal(b.hi())), a.mul(b.hi()), a + " · " + b.hi());
            close(ea.divide(eb, MC), a.div(b), a + " / " + b);
            close(ea.abs().sqrt(MC), DoubleDouble.of(Math.abs(a.hi()), a.lo() * Math.signum(a.hi()))
                    .sqrt(), "√" + a);
        }
    }

    @Test
    void cancellingSumsAreExact() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int k = 0; k < 20_000; k++) {
            DoubleDouble a = random(rnd);
            // b = −a + a few ulps of a.lo: the sum cancels ~32 digits, the result is exact in double-double
            DoubleDouble b = DoubleDouble.of(-a.hi(), -a.lo() + Math.ulp(a.lo()) * rnd.nextInt(-4, 5));
            BigDecimal want = exact(a).add(exact(b));
            assertEquals(0, exact(a.sub(b.negate())).compareTo(want), a + " + " + b);
            assertEquals(0, exact(a.add(b)).compareTo(want), a + " + " + b);
        }
        assertEquals(0.0, DoubleDouble.of(-4).sqrt().value(), "√ of a negative is 0 (callers check pivots first)");
        assertEquals(0.0, DoubleDouble.ZERO.sqrt().value(), "√0 = 0 (not 0/0 from the Newton step)");
        assertEquals(0.0, DoubleDouble.of(0.0, 0.0).sqrt().hi());
    }
}
