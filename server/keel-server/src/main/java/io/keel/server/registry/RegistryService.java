package io.keel.server.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.security.Principal;
import io.keel.core.security.Role;
import io.keel.app.config.ProviderKeysConfig;
import io.keel.core.security.AuditActor;
import io.keel.http.Attribution;
import io.keel.http.ErrorEnvelope;
import io.keel.http.ErrorHandling;
import io.keel.http.HttpJson;
import io.keel.http.RequestBody;
import io.keel.registry.AuditEntry;
import io.keel.registry.ModelRegistry;
import io.keel.registry.ModelVersion;
import io.keel.registry.RegisterRequest;
import io.keel.registry.RegisteredModel;
import io.keel.registry.Registration;
import io.keel.registry.Stage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The model registry over HTTP, so release tooling can register, promote and roll back models on a running server.
 *
 * <ul>
 *   <li>{@code GET /v1/registry/models}: every model, its versions and which holds staging and production</li>
 *   <li>{@code GET /v1/registry/models/{name}}, {@code GET /v1/registry/models/{name}/versions/{n}} (with the config)</li>
 *   <li>{@code POST /v1/registry/models}: the keel.yaml model entry, plus optional {@code notes} and {@code stage};
 *       201 for a new version, 200 when an identical config was already registered</li>
 *   <li>{@code POST /v1/registry/models/{name}/promote} {@code {"version":N,"stage":"production","note":...}}</li>
 *   <li>{@code POST /v1/registry/models/{name}/rollback} {@code {"stage":"production","note":...}}</li>
 *   <li>{@code GET /v1/registry/models/{name}/audit}</li>
 * </ul>
 *
 * The actor recorded in the audit trail is the {@code X-Keel-User} header ({@code api} without it). Errors answer
 * {@code {"error":{"code","message"}}}: 400 for a malformed body, 404 for an unknown model or version, 409 when the
 * registry's state forbids the change, 422 for an invalid model entry or stage. No stack trace reaches the client.
 */
public final class RegistryService implements HttpService {
    /** The header naming who makes a change. */
    public static final String USER_HEADER = "X-Keel-User";
    private static final ObjectMapper JSON = HttpJson.MAPPER;
    private static final long MAX_BODY_BYTES = 1 << 20;

    private final ModelRegistry registry;

    private final ProviderKeysConfig providerKeys;

    /** @param providerKeys the server-held keys registrations may name, and the hosts each may be sent to */
    public RegistryService(ModelRegistry registry, ProviderKeysConfig providerKeys) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.providerKeys = Objects.requireNonNull(providerKeys, "providerKeys");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/registry/models", guarded(this::list))
                .post("/v1/registry/models", guarded(this::register))
                .get("/v1/registry/models/{name}", guarded(this::show))
                .get("/v1/registry/models/{name}/versions/{n}", guarded(this::version))
                .get("/v1/registry/models/{name}/audit", guarded(this::audit))
                .post("/v1/registry/models/{name}/promote", guarded(this::promote))
                .post("/v1/registry/models/{name}/rollback", guarded(this::rollback));
    }

    // ---- handlers ---------------------------------------------------------------------------------------------------

    private void list(ServerRequest req, ServerResponse res) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode models = body.putArray("models");
        for (RegisteredModel m : registry.models()) models.add(model(m));
        body.put("generation", registry.generation());
        send(res, 200, body);
    }

    private void show(ServerRequest req, ServerResponse res) {
        send(res, 200, model(registry.model(name(req))));
    }

    private void version(ServerRequest req, ServerResponse res) {
        String raw = req.path().pathParameters().get("n");
        int n;
        try {
            n = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) throw KeelException.invalid("the version must be a positive integer; got '" + raw + "'");
        send(res, 200, version(registry.version(name(req), n), true));
    }

    private void audit(ServerRequest req, ServerResponse res) {
        String name = name(req);
        ObjectNode body = JSON.createObjectNode();
        body.put("model", name);
        ArrayNode entries = body.putArray("entries");
        for (AuditEntry e : registry.audit(name)) entries.add(audit(e));
        send(res, 200, body);
    }

    private void register(ServerRequest req, ServerResponse res) {
        JsonNode body = body(req, true);
        Map<String, Object> map = JSON.convertValue(body, new TypeReference<LinkedHashMap<String, Object>>() {
        });
        RegisterRequest request = RegisterRequest.fromBody(map);
        Principal principal = Attribution.caller(req).principal();
        providerKeys.check(request.model(), principal == null || principal.has(Role.ADMIN));
        Registration r = registry.registration(request, actor(req));
        ObjectNode out = version(r.version(), true);
        out.put("created", r.created());
        send(res, r.created() ? 201 : 200, out);
    }

    private void promote(ServerRequest req, ServerResponse res) {
        String name = name(req);
        JsonNode body = body(req, true);
        allowOnly(body, Set.of("version", "stage", "note"));
        JsonNode v = body.get("version");
        if (v == null || v.isNull()) throw KeelException.invalid("the body needs \"version\": the version number to promote, e.g. {\"version\":3,\"stage\":\"production\"}");
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
            throw KeelException.invalid("\"version\" must be a positive integer; got " + v);
        }
        Stage stage = stage(body);
        ModelVersion promoted = registry.promote(name, v.asInt(), stage, actor(req), note(body));
        send(res, 200, version(promoted, false));
    }

    private void rollback(ServerRequest req, ServerResponse res) {
        String name = name(req);
        JsonNode body = body(req, false);
        allowOnly(body, Set.of("stage", "note"));
        ModelVersion restored = registry.rollback(name, stage(body), actor(req), note(body));
        send(res, 200, version(restored, false));
    }

    // ---- JSON out ---------------------------------------------------------------------------------------------------

    private static ObjectNode model(RegisteredModel m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", m.name());
        putVersion(o, "production", m.holder(Stage.PRODUCTION).orElse(null));
        putVersion(o, "staging", m.holder(Stage.STAGING).orElse(null));
        o.put("latest", m.latest().version());
        putVersion(o, "resolved", m.resolved().orElse(null));
        ArrayNode versions = o.putArray("versions");
        for (ModelVersion v : m.versions()) versions.add(version(v, false));
        return o;
    }

    private static void putVersion(ObjectNode o, String field, ModelVersion v) {
        if (v == null) o.putNull(field);
        else o.put(field, v.version());
    }

    private static ObjectNode version(ModelVersion v, boolean withConfig) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", v.model());
        o.put("version", v.version());
        o.put("stage", v.stage().wireName());
        o.put("provider", v.provider());
        o.put("model_id", v.modelId());
        ArrayNode endpoints = o.putArray("endpoints");
        v.endpoints().forEach(endpoints::add);
        o.set("params", JSON.valueToTree(v.params()));
        ObjectNode price = o.putObject("price");
        price.put("input_per_1m", v.pricing().inputPerMillion());
        price.put("output_per_1m", v.pricing().outputPerMillion());
        price.put("cached_input_per_1m", v.pricing().cachedInputPerMillion());
        if (v.tokenizer() != null) o.put("tokenizer", v.tokenizer());
        if (v.notes() != null) o.put("notes", v.notes());
        o.put("content_hash", v.contentHash());
        o.put("created_by", v.createdBy());
        o.put("created_at", v.createdAt().toString());
        if (withConfig) o.set("config", JSON.valueToTree(v.config()));
        return o;
    }

    private static ObjectNode audit(AuditEntry e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", e.id());
        o.put("at", e.at().toString());
        o.put("actor", e.actor());
        o.put("action", e.action().wireName());
        if (e.fromVersion() != null) o.put("from_version", e.fromVersion());
        else o.putNull("from_version");
        if (e.toVersion() != null) o.put("to_version", e.toVersion());
        else o.putNull("to_version");
        if (e.stage() != null) o.put("stage", e.stage().wireName());
        else o.putNull("stage");
        if (e.note() != null) o.put("note", e.note());
        else o.putNull("note");
        return o;
    }

    // ---- request reading --------------------------------------------------------------------------------------------

    private static String name(ServerRequest req) {
        return req.path().pathParameters().get("name");
    }

    /** The request's tenant and user (the key's id without one, {@code api} without either), for the trail and the audit log. */
    private static AuditActor actor(ServerRequest req) {
        io.keel.core.answer.Caller caller = Attribution.caller(req);
        String id = caller.user() != null ? caller.user() : caller.principal() != null ? caller.principal().id() : "api";
        return new AuditActor(caller.tenant(), id);
    }

    private static Stage stage(JsonNode body) {
        JsonNode s = body.get("stage");
        if (s == null || s.isNull()) return Stage.PRODUCTION;
        if (!s.isTextual()) throw new KeelException(ErrorCode.UNPROCESSABLE, "\"stage\" must be a string: staging, production, development or archived");
        return Stage.parse(s.asText());
    }

    private static String note(JsonNode body) {
        JsonNode n = body.get("note");
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw KeelException.invalid("\"note\" must be a string");
        return n.asText();
    }

    private static void allowOnly(JsonNode body, Set<String> fields) {
        body.fieldNames().forEachRemaining(f -> {
            if (!fields.contains(f)) throw KeelException.invalid("unknown field \"" + f + "\"; this endpoint takes " + String.join(", ", fields));
        });
    }

    /** Reads a JSON object body; {@code required=false} treats an empty body as {@code {}}. */
    private static JsonNode body(ServerRequest req, boolean required) {
        RequestBody.requireJson(req);
        byte[] bytes = RequestBody.read(req, MAX_BODY_BYTES, null);
        return required ? RequestBody.parseObject(bytes) : RequestBody.parseObjectOrEmpty(bytes);
    }

    // ---- responses --------------------------------------------------------------------------------------------------

    /** Answers its own errors, so the service is safe on any server: a KeelException is its status, anything else 500. */
    private static Handler guarded(Handler handler) {
        return ErrorHandling.guarded(handler, ErrorEnvelope.KEEL);
    }

    private static void send(ServerResponse res, int status, JsonNode body) {
        HttpJson.send(res, status, body);
    }
}
