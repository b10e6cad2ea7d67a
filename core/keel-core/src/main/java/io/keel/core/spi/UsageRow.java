package io.keel.core.spi;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One group of a usage report.
 *
 * @param group             dimension name to value (null value when the records had none), in the query's order
 * @param estimatedRequests requests whose token counts Keel estimated because the provider reported none
 * @param costUsd           exact sum of the requests' costs (kept in nano-dollars, so sums do not drift)
 */
public record UsageRow(Map<String, String> group, long requests, long errors, long promptTokens, long completionTokens,
                       long estimatedRequests, BigDecimal costUsd) {
}
