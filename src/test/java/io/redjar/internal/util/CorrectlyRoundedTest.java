package io.redjar.internal.util;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link CorrectlyRounded} against the exact values (Taylor series and Newton's method in 60-digit
 * {@link BigDecimal}, rounded once to a double) on seeded random arguments in the ranges the GEO
 * distance uses, plus the values around 0, 1 and the ends.
 */
class CorrectlyRoundedTest {
    private static final MathContext MC = new MathContext(60);

    private static BigDecimal sin(BigDecimal x) {
        BigDecimal term = x;
        BigDecimal sum = x;
        BigDecimal x2 = x.multiply(x, MC);
        for (int n = 1; n < 80; n++) {
            term = term.multiply(x2, MC).divide(BigDecimal.valueOf((2L * n) * (2L * n + 1)), MC).negate();
            sum = sum.add(term, MC);
        }
        return sum;
    }

    private static BigDecimal cos(BigDecimal x) {
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal x2 = x.multiply(x, MC);
        for (int n = 1; n < 80; n++) {
            term = term.multiply(x2, MC).divide(BigDecimal.valueOf((2L * n - 1) * (2L * n)), MC).negate();
            sum = sum.add(term, MC);
        }
        return sum;
    }

    private static double exactAsin(double y) {
        BigDecimal target = new BigDecimal(y);
        BigDecimal x = new BigDecimal(Math.asin(y));
        for (int i = 0; i < 5; i++) {
            x = x.subtract(sin(x).subtract(target, MC).divide(cos(x), MC), MC);
        }
        return x.doubleValue();
    }

    @Test
    void sinCosAsinAreCorrectlyRounded() {
        Seeds.run("CorrectlyRoundedTest", r -> {
            for (int i = 0; i < 400; i++) {
                double x = (r.nextDouble() * 2 - 1) * (i % 4 == 0 ? 3.2 : 1.6);
                assertEquals(sin(new BigDecimal(x)).doubleValue(), CorrectlyRounded.sin(x), "sin " + x);
                assertEquals(cos(new BigDecimal(x)).doubleValue(), CorrectlyRounded.cos(x), "cos " + x);
                double y = r.nextDouble() * (i % 3 == 0 ? 1e-3 : 0.999);
                assertEquals(exactAsin(y), CorrectlyRounded.asin(y), "asin " + y);
            }
        });
        assertEquals(0.0, CorrectlyRounded.sin(0.0));
        assertEquals(1.0, CorrectlyRounded.cos(0.0));
        assertEquals(0.0, CorrectlyRounded.asin(0.0));
        assertEquals(Math.asin(1.0), CorrectlyRounded.asin(1.0));
        assertEquals(Math.sin(10.0), CorrectlyRounded.sin(10.0)); // outside the series' range
    }
}
