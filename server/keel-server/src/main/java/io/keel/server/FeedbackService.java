package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.app.Keel;
import io.keel.core.answer.Caller;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.security.Principal;
import io.keel.core.security.Role;
import io.keel.core.spi.Feedback;
import io.keel.core.spi.RequestRecord;
import io.keel.http.Attribution;
import io.keel.http.HttpJson;

import java.time.Instant;
import java.util.Set;

/**
 * {@code POST /v1/feedback {"request_id", "score" (0 to 1) | "thumbs" ("up" | "down"), "comment"}}: a rating of one
 * logged request, stored with the rater (the calling key's tenant, user and app) and the request's experiment and
 * variant, its comment redacted as the request log redacts text. A request of another tenant is not found (404), as
 * is one the log does not hold. Answers 201 with what was stored.
 */
final class FeedbackService extends BodyService {
    private static final Set<String> FIELDS = Set.of("request_id", "score", "thumbs", "comment");
    private static final int MAX_COMMENT = 4_000;

    FeedbackService(Keel keel, long maxBodyBytes) {
        super(keel, maxBodyBytes);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/feedback", this::post);
    }

    private void post(ServerRequest req, ServerResponse res) {
        RequestFields f = fields(req, FIELDS);
        String id = f.requiredString("request_id");
        Double score = f.optionalNumber("score");
        Boolean thumbs = thumbs(f.optional("thumbs"));
        String comment = f.optionalString("comment");
        if (comment != null && comment.length() > MAX_COMMENT) {
            throw RequestFields.unprocessable("'comment' must be at most " + MAX_COMMENT + " characters; got " + comment.length());
        }
        Caller caller = Attribution.caller(req);
        Principal p = caller.principal();
        RequestRecord r = keel.requests().orElseThrow(() -> new KeelException(ErrorCode.NOT_FOUND,
                        "the request log is disabled (request_log.enabled: false); feedback rates logged requests"))
                .get(id)
                .filter(rec -> (p != null && p.has(Role.ADMIN)) || rec.caller().tenant().equals(caller.tenant()))
                .orElseThrow(() -> KeelException.notFound("no request with id '" + id + "'"));
        String experiment = r.lineage() == null ? null : r.lineage().experiment();
        String variant = r.lineage() == null ? null : r.lineage().variant();
        Feedback fb = new Feedback(id, experiment, variant, caller, score, thumbs, keel.redactForLog(comment), Instant.now());
        keel.feedback().add(fb);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("request_id", id);
        body.put("experiment", experiment);
        body.put("variant", variant);
        if (score == null) body.putNull("score"); else body.put("score", score);
        body.put("thumbs", thumbs == null ? null : thumbs ? "up" : "down");
        body.put("comment", fb.comment());
        body.put("tenant", caller.tenant());
        body.put("user", caller.user());
        HttpJson.send(res, 201, body);
    }

    private static Boolean thumbs(JsonNode n) {
        if (n == null) return null;
        if (n.isBoolean()) return n.asBoolean();
        if (n.isTextual() && n.asText().equals("up")) return true;
        if (n.isTextual() && n.asText().equals("down")) return false;
        throw RequestFields.unprocessable("'thumbs' must be \"up\" or \"down\"; got " + n);
    }
}
