package io.keel.core.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Money as whole nano-dollars (1e-9 USD): exact for per-token prices, safe to sum in a database. */
public final class Nanos {
    private static final BigDecimal PER_USD = BigDecimal.valueOf(1_000_000_000L);

    private Nanos() {
    }

    public static long of(BigDecimal usd) {
        return usd.multiply(PER_USD).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** Rounds a double dollar amount (as computed from token counts and per-million prices) to nano-dollars. */
    public static long of(double usd) {
        return Math.round(usd * 1e9);
    }

    public static BigDecimal toUsd(long nanos) {
        return BigDecimal.valueOf(nanos, 9);
    }
}
