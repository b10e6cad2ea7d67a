package io.keel.server;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.app.Keel;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.guard.Direction;
import io.keel.guard.PolicyGuard;
import io.keel.http.HttpJson;

import java.util.Locale;
import java.util.Set;

/** {@code POST /v1/guard/scan}: runs the configured guard policy on a text and reports what it found and decided. */
final class GuardService extends BodyService {
    private static final Set<String> FIELDS = Set.of("text", "direction", "policy");

    GuardService(Keel keel, long maxBodyBytes) {
        super(keel, maxBodyBytes);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/guard/scan", this::scan);
    }

    private void scan(ServerRequest req, ServerResponse res) {
        RequestFields f = fields(req, FIELDS);
        String text = f.requiredString("text");
        Direction direction = direction(f.optionalString("direction"));
        PolicyGuard guard = keel.guard(io.keel.http.Attribution.caller(req)).orElseThrow(() -> new KeelException(ErrorCode.UNAVAILABLE,
                "guards are disabled on this server (guard.enabled: false)"));
        String policy = f.optionalString("policy");
        if (policy != null && !policy.equals(guard.policy().name())) {
            throw KeelException.notFound("policy '" + policy + "' is not loaded; this server runs policy '" + guard.policy().name() + "'");
        }
        HttpJson.send(res, 200, Json.MAPPER.valueToTree(guard.scan(text, direction, guard.newSession()).toWire()));
    }

    private static Direction direction(String value) {
        if (value == null) return Direction.INPUT;
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "input" -> Direction.INPUT;
            case "output" -> Direction.OUTPUT;
            default -> throw RequestFields.unprocessable("'direction' must be input or output; got '" + value + "'");
        };
    }
}
