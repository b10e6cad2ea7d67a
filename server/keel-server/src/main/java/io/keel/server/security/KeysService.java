package io.keel.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.error.KeelException;
import io.keel.core.security.ApiKey;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.AuditActor;
import io.keel.http.Attribution;
import io.keel.core.security.Principal;
import io.keel.core.security.Role;
import io.keel.core.budget.Budget;

import java.math.BigDecimal;
import io.keel.http.HttpJson;
import io.keel.http.RequestBody;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The admin API for API keys: {@code GET /v1/keys}, {@code POST /v1/keys} (the secret is in this one response only),
 * {@code POST /v1/keys/{id}/revoke}, {@code POST /v1/keys/{id}/rotate}.
 */
public final class KeysService implements HttpService {
    private static final Set<String> CREATE_FIELDS = Set.of("tenant", "role", "name", "expires_at", "expires_in", "scopes",
            "groups", "requests_per_minute", "tokens_per_minute", "max_parallel", "budget_usd", "budget_period", "allowed_models",
            "allowed_collections");
    private static final long MAX_BODY = 64 * 1024;

    private final ApiKeyManager keys;

    public KeysService(ApiKeyManager keys) {
        this.keys = keys;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/keys", this::list)
                .post("/v1/keys", this::create)
                .post("/v1/keys/{id}/revoke", this::revoke)
                .post("/v1/keys/{id}/rotate", this::rotate);
    }

    private void list(ServerRequest req, ServerResponse res) {
        ObjectNode body = HttpJson.MAPPER.createObjectNode();
        var data = body.putArray("data");
        keys.store().list().forEach(k -> data.add(json(k)));
        HttpJson.send(res, 200, body);
    }

    private void create(ServerRequest req, ServerResponse res) {
        ObjectNode b = RequestBody.readObject(req, MAX_BODY, "the key request limit (64 KiB)");
        b.fieldNames().forEachRemaining(f -> {
            if (!CREATE_FIELDS.contains(f)) throw KeelException.invalid("unknown field '" + f + "'; accepted: " + CREATE_FIELDS.stream().sorted().toList());
        });
        Instant expires = null;
        if (b.hasNonNull("expires_at")) {
            try {
                expires = Instant.parse(b.get("expires_at").asText());
            } catch (DateTimeParseException e) {
                throw KeelException.invalid("expires_at must be an ISO-8601 instant such as 2027-01-01T00:00:00Z");
            }
        } else if (b.hasNonNull("expires_in")) {
            expires = Instant.now().plus(ApiKeyManager.duration("expires_in", b.get("expires_in").asText()));
        }
        ApiKeyManager.Created c = keys.create(new ApiKeyManager.Spec(text(b, "tenant"), Role.parse(text(b, "role")), text(b, "name"),
                expires, strings(b, "scopes"), strings(b, "groups"), limits(b)), actor(req));
        ObjectNode out = json(c.key());
        out.put("key", c.secret());
        HttpJson.send(res, 201, out);
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        HttpJson.send(res, 200, json(keys.revoke(req.path().pathParameters().get("id"), actor(req))));
    }

    private void rotate(ServerRequest req, ServerResponse res) {
        Duration grace = ApiKeyManager.DEFAULT_GRACE;
        String g = req.query().first("grace").orElse(null);
        if (g != null) grace = ApiKeyManager.duration("grace", g);
        String id = req.path().pathParameters().get("id");
        ApiKeyManager.Created c = keys.rotate(id, grace, actor(req));
        ObjectNode out = json(c.key());
        out.put("key", c.secret());
        out.put("replaces", id);
        out.put("old_key_valid_until", Instant.now().plus(grace).toString());
        HttpJson.send(res, 201, out);
    }

    /** Who acts, for the audit log: the credential's tenant and id (or user), never a header. */
    private static AuditActor actor(ServerRequest req) {
        return AuditActor.of(Attribution.caller(req));
    }

    /** A key as listed: everything but the secret and its hash. */
    public static ObjectNode json(ApiKey k) {
        ObjectNode n = HttpJson.MAPPER.createObjectNode();
        n.put("id", k.id());
        n.put("name", k.name());
        n.put("tenant", k.tenant());
        n.put("role", k.role().wireName());
        n.set("scopes", HttpJson.MAPPER.valueToTree(ApiKey.sorted(k.scopes())));
        n.set("groups", HttpJson.MAPPER.valueToTree(ApiKey.sorted(k.groups())));
        n.put("requests_per_minute", k.requestsPerMinute());
        n.set("limits", HttpJson.MAPPER.valueToTree(ApiKeyManager.limits(k.limits())));
        n.put("created_at", k.created().toString());
        n.put("expires_at", k.expires() == null ? null : k.expires().toString());
        n.put("revoked_at", k.revoked() == null ? null : k.revoked().toString());
        n.put("last_used_at", k.lastUsed() == null ? null : k.lastUsed().toString());
        return n;
    }

    /** The limits of a key request: whole numbers >= 0, a budget in dollars per day or month, lists of names. */
    static Principal.Limits limits(JsonNode b) {
        Principal.KeyBudget budget = null;
        if (b.hasNonNull("budget_usd")) {
            JsonNode usd = b.get("budget_usd");
            BigDecimal limit;
            try {
                limit = usd.isNumber() ? usd.decimalValue() : new BigDecimal(usd.asText());
            } catch (NumberFormatException e) {
                throw KeelException.invalid("budget_usd must be a number of US dollars >= 0, e.g. 25 or \"12.50\"; got " + usd);
            }
            if (limit.signum() < 0) throw KeelException.invalid("budget_usd must be >= 0; got " + limit.toPlainString());
            String period = b.hasNonNull("budget_period") ? b.get("budget_period").asText() : "month";
            budget = new Principal.KeyBudget(period(period), limit);
        } else if (b.hasNonNull("budget_period")) {
            throw KeelException.invalid("budget_period needs budget_usd");
        }
        return new Principal.Limits(count(b, "requests_per_minute"), count(b, "tokens_per_minute"), count(b, "max_parallel"),
                budget, strings(b, "allowed_models"), strings(b, "allowed_collections"));
    }

    /** {@code day} or {@code month}; anything else is a 400. */
    public static Budget.Period period(String text) {
        return switch (text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "day" -> Budget.Period.DAY;
            case "month" -> Budget.Period.MONTH;
            default -> throw KeelException.invalid("budget_period must be day or month; got '" + text + "'");
        };
    }

    private static int count(JsonNode b, String f) {
        JsonNode n = b.get(f);
        if (n == null || n.isNull()) return 0;
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 0) {
            throw KeelException.invalid("'" + f + "' must be a whole number >= 0 (0: no limit); got " + n);
        }
        return n.asInt();
    }

    private static String text(JsonNode b, String f) {
        return b.hasNonNull(f) ? b.get(f).asText() : null;
    }

    private static Set<String> strings(JsonNode b, String f) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode n = b.get(f);
        if (n == null || n.isNull()) return out;
        if (!n.isArray()) throw KeelException.invalid("'" + f + "' must be an array of strings");
        n.forEach(v -> out.add(v.asText()));
        return out;
    }
}
