package io.keel.store.sql;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Usage;
import io.keel.core.budget.Nanos;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.RequestFilter;
import io.keel.core.spi.RequestRecord;
import io.keel.core.spi.UsageQuery;
import io.keel.core.spi.UsageRow;
import io.keel.test.ManualClock;
import io.keel.test.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The request log under seeded random operations — records (new ids and replacements), flushes, reads by id, filtered
 * and paged listings, usage sums, reopening the store and the database — checked against an in-memory reference:
 * a map of id to the last record written. Record times come from a {@link ManualClock}, with ties, so ordering by
 * time and then id is exercised. {@code -Dkeel.seed=HEX} replays a failure.
 */
abstract class RequestStoreRandomizedContract extends StoreContract {
    private static final String[] TENANTS = {"acme", "globex", "initech"};
    private static final String[] USERS = {"ann", "bo", "cy", null};
    private static final String[] APPS = {"support", "search", null};
    private static final String[] ROUTES = {"query", "chat", "embeddings"};
    private static final String[] STATUSES = {"ok", "ok", "ok", "blocked", "timeout"};
    private static final String[] MODELS = {"gpt-x", "claude-y", null};
    private static final List<String> DIMENSIONS = List.of("tenant", "user", "app", "route", "model", "model_version", "status", "day");

    @RegisterExtension
    final Seeds seeds = new Seeds();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-27T20:00:00Z"));
    private final Map<String, RequestRecord> reference = new HashMap<>();
    private final List<Instant> times = new ArrayList<>();
    private Random random;

    @Test
    void randomizedOperationsMatchTheReference() {
        random = seeds.random();
        Database db = db();
        SqlRequestStore store = track(new SqlRequestStore(db, 64, 16));
        int finds = 0;
        for (int op = 0; op < 600; op++) {
            int r = random.nextInt(100);
            if (r < 55) {
                RequestRecord rec = randomRecord();
                store.record(rec);
                reference.put(rec.id(), rec);
            } else if (r < 60) {
                store.flush();
            } else if (r < 72) {
                String id = randomId();
                assertThat(store.get(id)).as("get(%s)", id).isEqualTo(java.util.Optional.ofNullable(reference.get(id)));
            } else if (r < 88) {
                checkFind(store);
                finds++;
            } else if (r < 97) {
                checkUsage(store);
            } else if (r < 99) {
                store.close();
                store = track(new SqlRequestStore(db, 64, 16));
            } else {
                store.close();
                db.close(); // a pool holds its connections until closed; the server's client slots are shared
                db = db();
                store = track(new SqlRequestStore(db, 64, 16));
            }
        }
        assertThat(finds).isPositive();
        assertThat(store.find(new RequestFilter(null, null, null, null, null, null, null, null, null, null, null, null, null,
                RequestFilter.MAX_LIMIT))).hasSize(Math.min(RequestFilter.MAX_LIMIT, reference.size()));
        SqlRequestStore reader = store(db);
        assertThatThrownBy(() -> reader.find(new RequestFilter(null, null, null, null, null, null, null, null, null, null,
                null, null, "no-such-request", 10))).isInstanceOf(KeelException.class)
                .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    private SqlRequestStore store(Database db) {
        return track(new SqlRequestStore(db));
    }

    private void checkFind(SqlRequestStore store) {
        String tenant = maybe(TENANTS);
        String user = random.nextInt(4) == 0 ? pick(USERS) : null;
        String app = random.nextInt(5) == 0 ? pick(APPS) : null;
        String route = maybe(ROUTES);
        String status = random.nextInt(4) == 0 ? pick(STATUSES) : null;
        String model = random.nextInt(5) == 0 ? pick(MODELS) : null;
        Instant[] range = randomRange();
        String before = !reference.isEmpty() && random.nextInt(3) == 0 ? randomKnownId() : null;
        int limit = 1 + random.nextInt(25);
        RequestFilter f = new RequestFilter(tenant, user, app, null, route, model, null, null, null, status, range[0], range[1],
                before, limit);
        Comparator<RequestRecord> newestFirst = Comparator.comparing((RequestRecord x) -> x.time().toEpochMilli())
                .thenComparing(RequestRecord::id).reversed();
        RequestRecord pivot = before == null ? null : reference.get(before);
        List<RequestRecord> expected = reference.values().stream()
                .filter(x -> tenant == null || tenant.equals(x.caller().tenant()))
                .filter(x -> user == null || user.equals(x.caller().user()))
                .filter(x -> app == null || app.equals(x.caller().app()))
                .filter(x -> route == null || route.equals(x.route()))
                .filter(x -> status == null || status.equals(x.status()))
                .filter(x -> model == null || (x.lineage() != null && model.equals(x.lineage().generator())))
                .filter(x -> range[0] == null || !x.time().isBefore(range[0]))
                .filter(x -> range[1] == null || x.time().isBefore(range[1]))
                .filter(x -> pivot == null || newestFirst.compare(x, pivot) > 0)
                .sorted(newestFirst).limit(limit).toList();
        assertThat(store.find(f)).as("find(%s)", f).isEqualTo(expected);
    }

    private void checkUsage(SqlRequestStore store) {
        List<String> groupBy = new ArrayList<>();
        for (int i = 0, n = random.nextInt(3); i < n; i++) {
            String d = DIMENSIONS.get(random.nextInt(DIMENSIONS.size()));
            if (!groupBy.contains(d)) groupBy.add(d);
        }
        String tenant = maybe(TENANTS);
        Instant[] range = randomRange();
        UsageQuery q = new UsageQuery(groupBy, range[0], range[1], tenant);
        Map<Map<String, String>, long[]> expected = new HashMap<>();
        for (RequestRecord x : reference.values()) {
            if (tenant != null && !tenant.equals(x.caller().tenant())) continue;
            if (range[0] != null && x.time().isBefore(range[0])) continue;
            if (range[1] != null && !x.time().isBefore(range[1])) continue;
            Map<String, String> group = new LinkedHashMap<>();
            for (String d : groupBy) group.put(d, dimension(x, d));
            long[] sums = expected.computeIfAbsent(group, g -> new long[6]);
            sums[0]++;
            if (!x.ok()) sums[1]++;
            sums[2] += x.usage().promptTokens();
            sums[3] += x.usage().completionTokens();
            if (x.usage().estimated()) sums[4]++;
            sums[5] += Nanos.of(x.usage().costUsd());
        }
        if (groupBy.isEmpty() && expected.isEmpty()) expected.put(Map.of(), new long[6]);
        List<UsageRow> rows = store.usage(q);
        Map<Map<String, String>, long[]> actual = new HashMap<>();
        for (UsageRow row : rows) {
            assertThat(actual.put(new HashMap<>(row.group()), new long[] {row.requests(), row.errors(), row.promptTokens(),
                    row.completionTokens(), row.estimatedRequests(), Nanos.of(row.costUsd())})).as("one row per group").isNull();
        }
        assertThat(actual.keySet()).as("groups of %s", q).isEqualTo(new java.util.HashSet<>(expected.keySet().stream().map(HashMap::new).toList()));
        expected.forEach((g, sums) -> assertThat(actual.get(new HashMap<>(g))).as("sums of %s in %s", g, q).containsExactly(sums));
        for (int i = 1; i < rows.size(); i++) {
            assertThat(rows.get(i).costUsd()).as("rows by cost").isLessThanOrEqualTo(rows.get(i - 1).costUsd());
        }
    }

    private static String dimension(RequestRecord x, String d) {
        Lineage l = x.lineage();
        return switch (d) {
            case "tenant" -> x.caller().tenant();
            case "user" -> x.caller().user();
            case "app" -> x.caller().app();
            case "route" -> x.route();
            case "status" -> x.status();
            case "model" -> l == null ? null : l.generator();
            case "model_version" -> l == null ? null : l.modelVersion();
            case "day" -> x.time().atZone(ZoneOffset.UTC).toLocalDate().toString();
            default -> throw new IllegalArgumentException(d);
        };
    }

    private RequestRecord randomRecord() {
        Instant time;
        if (!times.isEmpty() && random.nextInt(5) == 0) {
            time = times.get(random.nextInt(times.size()));
        } else {
            time = clock.advance(Duration.ofMillis(1 + random.nextInt(3_600_000)));
            times.add(time);
        }
        String model = pick(MODELS);
        String status = pick(STATUSES);
        RequestRecord.Builder b = RequestRecord.builder(randomId(), pick(ROUTES)).time(time)
                .caller(new Caller(pick(TENANTS), pick(USERS), pick(APPS), null))
                .usage(new Usage(random.nextInt(5000), random.nextInt(800), random.nextInt(100) * 1e-5, random.nextInt(5) == 0))
                .question("q" + random.nextInt(1000)).answer(random.nextBoolean() ? "a" + random.nextInt(1000) : null);
        if (!status.equals("ok")) b.failed(status, "failed: " + status);
        if (model != null) {
            b.lineage(new Lineage(null, "docs@" + random.nextInt(9), model, random.nextBoolean() ? String.valueOf(1 + random.nextInt(3)) : null,
                    null, null, null, null, null, Map.of()));
        }
        return b.build();
    }

    private Instant[] randomRange() {
        if (times.isEmpty() || random.nextBoolean()) return new Instant[2];
        Instant a = times.get(random.nextInt(times.size()));
        Instant b = times.get(random.nextInt(times.size()));
        Instant from = a.isBefore(b) ? a : b;
        Instant to = a.isBefore(b) ? b : a.plusMillis(1);
        return new Instant[] {random.nextInt(4) == 0 ? null : from, random.nextInt(4) == 0 ? null : to};
    }

    private String randomId() {
        return "r-%03d".formatted(random.nextInt(150));
    }

    private String randomKnownId() {
        List<String> ids = new ArrayList<>(new TreeMap<>(reference).keySet());
        return ids.get(random.nextInt(ids.size()));
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private String maybe(String[] values) {
        return random.nextInt(3) == 0 ? pick(values) : null;
    }
}
