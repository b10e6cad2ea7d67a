package io.keel.core.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A spending limit: at most {@code limitUsd} per {@code period} for one subject of one scope.
 *
 * @param scope   what the subject names: {@code tenant}, {@code app}, {@code user} or {@code key}
 * @param subject the tenant, app, user or key id; {@code *} applies the limit to each subject of the scope separately
 */
public record Budget(String scope, String subject, Period period, BigDecimal limitUsd) {
    public enum Period {
        DAY, MONTH;

        /** The UTC start of the period that holds {@code t}, as {@code 2026-11-29} or {@code 2026-11}. */
        public String bucket(Instant t) {
            LocalDate d = t.atZone(ZoneOffset.UTC).toLocalDate();
            return this == DAY ? d.toString() : d.toString().substring(0, 7);
        }
    }

    public Budget {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(period, "period");
        if (limitUsd == null || limitUsd.signum() < 0) throw new IllegalArgumentException("a budget limit must be >= 0");
    }

    public long limitNanos() {
        return Nanos.of(limitUsd);
    }
}
