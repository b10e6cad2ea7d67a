package io.keel.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.spi.RequestRecord;
import io.keel.http.HttpJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the guards did to a set of request-log records: how many requests were blocked, how many carried findings
 * without being blocked (their text was redacted or flagged), findings by type, outcomes by guard policy, and the
 * newest prompt-injection detections. Findings are types only; no text of a request is read here.
 *
 * @param recentInjections newest first, at most {@value #RECENT}
 */
record GuardSummary(long requests, long blocked, long withFindings, Map<String, Long> byType,
                    Map<String, long[]> byPolicy, List<RequestRecord> recentInjections) {
    static final String INJECTION = "prompt_injection";
    static final int RECENT = 20;

    static GuardSummary of(List<RequestRecord> records) {
        long blocked = 0;
        long withFindings = 0;
        Map<String, Long> byType = new TreeMap<>();
        Map<String, long[]> byPolicy = new TreeMap<>();
        List<RequestRecord> injections = new ArrayList<>();
        for (RequestRecord r : records) {
            boolean isBlocked = "blocked".equals(r.status());
            if (isBlocked) blocked++;
            else if (!r.findings().isEmpty()) withFindings++;
            r.findings().stream().distinct().forEach(t -> byType.merge(t, 1L, Long::sum));
            String policy = r.lineage() == null || r.lineage().guardPolicy() == null ? "none" : r.lineage().guardPolicy();
            long[] counts = byPolicy.computeIfAbsent(policy, k -> new long[3]);
            counts[0]++;
            if (isBlocked) counts[1]++;
            else if (!r.findings().isEmpty()) counts[2]++;
            if (r.findings().contains(INJECTION) && injections.size() < RECENT) injections.add(r);
        }
        return new GuardSummary(records.size(), blocked, withFindings, byType, byPolicy, injections);
    }

    ObjectNode toJson() {
        ObjectNode n = HttpJson.MAPPER.createObjectNode();
        n.put("requests", requests).put("blocked", blocked).put("with_findings", withFindings);
        ObjectNode types = n.putObject("by_type");
        byType.forEach(types::put);
        var policies = n.putArray("by_policy");
        byPolicy.forEach((policy, c) -> policies.addObject().put("policy", policy).put("requests", c[0])
                .put("blocked", c[1]).put("with_findings", c[2]));
        var recent = n.putArray("recent_injections");
        for (RequestRecord r : recentInjections) {
            recent.addObject().put("id", r.id()).put("time", r.time().toString()).put("route", r.route())
                    .put("tenant", r.caller().tenant()).put("status", r.status())
                    .set("findings", HttpJson.MAPPER.valueToTree(r.findings()));
        }
        return n;
    }
}
