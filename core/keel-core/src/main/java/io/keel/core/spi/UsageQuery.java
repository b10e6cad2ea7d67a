package io.keel.core.spi;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A cost-attribution query: sum requests, tokens and cost over {@code [from, to)}, grouped by {@code groupBy}.
 *
 * @param groupBy dimensions from {@link #DIMENSIONS}, in the order the columns should appear; may be empty (one total row)
 * @param tenant  restricts to one tenant when set
 */
public record UsageQuery(List<String> groupBy, Instant from, Instant to, String tenant) {
    /** {@code day} is the UTC date of the request. */
    public static final List<String> DIMENSIONS = List.of("tenant", "user", "app", "feature", "route", "model",
            "model_version", "prompt_id", "prompt_version", "experiment", "variant", "status", "day");

    public UsageQuery {
        groupBy = List.copyOf(Objects.requireNonNullElse(groupBy, List.of()));
        for (String d : groupBy) {
            if (!DIMENSIONS.contains(d)) {
                throw new KeelException(ErrorCode.INVALID_REQUEST, "cannot group by '" + d + "'; choose from " + DIMENSIONS);
            }
        }
        if (new LinkedHashSet<>(groupBy).size() != groupBy.size()) {
            throw new KeelException(ErrorCode.INVALID_REQUEST, "group_by names a dimension twice: " + groupBy);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new KeelException(ErrorCode.INVALID_REQUEST, "'from' (" + from + ") must be before 'to' (" + to + ")");
        }
    }
}
