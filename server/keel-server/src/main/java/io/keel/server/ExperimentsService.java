package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.app.ExperimentPromotion;
import io.keel.app.Keel;
import io.keel.core.answer.Caller;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.security.AuditActor;
import io.keel.core.spi.RequestStore;
import io.keel.experiments.Experiment;
import io.keel.experiments.ExperimentStore;
import io.keel.experiments.VariantDefinition;
import io.keel.experiments.report.ExperimentReport;
import io.keel.experiments.report.ExperimentReports;
import io.keel.experiments.report.ReportJson;
import io.keel.http.Attribution;
import io.keel.http.HttpJson;
import io.keel.http.RequestBody;

import java.util.List;
import java.util.Set;

/**
 * The experiments API. {@code GET /v1/experiments} lists every experiment (files of {@code experiments.dir} and those
 * managed in the store) with its state; {@code POST /v1/experiments} stores a new one as a draft ({@code {"definition":
 * "<the YAML of an experiment file>"}}); {@code POST /v1/experiments/{name}/start|stop|promote} move it through its
 * life, each change audited with the caller as actor and seen by every instance within a poll;
 * {@code GET /v1/experiments/{name}/report?alpha=0.05&min_per_arm=100} computes its statistics over every request of it
 * in the request log (all tenants: an experiment runs for the whole instance) and the feedback on them, from the
 * per-variant sums the store keeps as they are written (a few rows, whatever the experiment's size).
 */
final class ExperimentsService implements HttpService {
    private static final Set<String> PARAMS = Set.of("alpha", "min_per_arm");
    private static final long MAX_BODY_BYTES = 256 * 1024;

    private final Keel keel;

    ExperimentsService(Keel keel) {
        this.keel = keel;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/experiments", this::list)
                .post("/v1/experiments", this::create)
                .post("/v1/experiments/{name}/start", this::start)
                .post("/v1/experiments/{name}/stop", this::stop)
                .post("/v1/experiments/{name}/promote", this::promote)
                .get("/v1/experiments/{name}/report", this::report);
    }

    private void list(ServerRequest req, ServerResponse res) {
        ObjectNode body = HttpJson.MAPPER.createObjectNode();
        var data = body.putArray("data");
        Set<String> running = Set.copyOf(keel.experiments().names());
        for (Experiment e : keel.config().experiments().files()) {
            describe(data.addObject(), e, "file", running.contains(e.name()));
        }
        for (ExperimentStore.Stored s : keel.experimentStore().list()) {
            ObjectNode n = data.addObject();
            describe(n, s.experiment(), s.state().wireName(), running.contains(s.experiment().name()));
            n.put("created_by", s.createdBy());
            n.put("created_at", s.createdAt().toString());
            n.put("updated_by", s.updatedBy());
            n.put("updated_at", s.updatedAt().toString());
        }
        HttpJson.send(res, 200, body);
    }

    private static void describe(ObjectNode n, Experiment e, String state, boolean running) {
        n.put("name", e.name());
        n.put("state", state);
        n.put("running", running);
        n.put("unit", e.unit().wireName());
        n.put("layer", e.layer());
        n.put("traffic", e.traffic());
        n.put("holdout", e.holdout());
        var variants = n.putArray("variants");
        for (VariantDefinition v : e.variants()) {
            ObjectNode o = variants.addObject();
            o.put("name", v.name());
            if (v.shadow()) o.put("shadow", true);
            else o.put("weight", v.weight());
            o.set("overrides", HttpJson.MAPPER.valueToTree(v.overrides()));
        }
    }

    private void create(ServerRequest req, ServerResponse res) {
        JsonNode body = RequestBody.readObject(req, MAX_BODY_BYTES, null);
        JsonNode definition = body.get("definition");
        if (definition == null || !definition.isTextual()) {
            throw KeelException.invalid("'definition' is required: the YAML of one experiment, as a string (see docs/experiments.md)");
        }
        ExperimentStore.Stored s = keel.experimentStore().create(definition.asText(), actor(req), keel.experiments().fileNames());
        ObjectNode n = HttpJson.MAPPER.createObjectNode();
        describe(n, s.experiment(), s.state().wireName(), false);
        HttpJson.send(res, 201, n);
    }

    private void start(ServerRequest req, ServerResponse res) {
        // its layer must be free and its models and prompt versions must exist, as at startup
        changed(res, keel.experimentStore().start(req.path().pathParameters().get("name"), actor(req), keel.experiments().running(),
                keel::checkExperiments));
    }

    private void stop(ServerRequest req, ServerResponse res) {
        changed(res, keel.experimentStore().stop(req.path().pathParameters().get("name"), actor(req)));
    }

    private void promote(ServerRequest req, ServerResponse res) {
        JsonNode body = RequestBody.readObject(req, MAX_BODY_BYTES, null);
        JsonNode variant = body.get("variant");
        if (variant == null || !variant.isTextual()) throw KeelException.invalid("'variant' is required: the name of the winning variant");
        JsonNode label = body.get("label");
        if (label != null && !label.isNull() && !label.isTextual()) throw KeelException.invalid("'label' must be a string");
        ExperimentPromotion.Result r = ExperimentPromotion.of(keel).promote(req.path().pathParameters().get("name"), variant.asText(),
                label == null || label.isNull() ? null : label.asText(), actor(req));
        keel.experiments().refresh();
        ObjectNode n = HttpJson.MAPPER.createObjectNode();
        n.put("experiment", r.experiment());
        n.put("variant", r.variant());
        n.put("state", ExperimentStore.State.PROMOTED.wireName());
        n.set("applied", HttpJson.MAPPER.valueToTree(r.applied()));
        n.set("manual", HttpJson.MAPPER.valueToTree(r.manual()));
        HttpJson.send(res, 200, n);
    }

    private void changed(ServerResponse res, ExperimentStore.Stored s) {
        keel.experiments().refresh();          // this instance at once; the others within a poll
        ObjectNode n = HttpJson.MAPPER.createObjectNode();
        describe(n, s.experiment(), s.state().wireName(), keel.experiments().names().contains(s.experiment().name()));
        n.put("updated_by", s.updatedBy());
        n.put("updated_at", s.updatedAt().toString());
        HttpJson.send(res, 200, n);
    }

    /** The caller's tenant and user (the key's id without one, {@code api} without either), for the audit log. */
    private static AuditActor actor(ServerRequest req) {
        Caller caller = Attribution.caller(req);
        String id = caller.user() != null ? caller.user() : caller.principal() != null ? caller.principal().id() : "api";
        return new AuditActor(caller.tenant(), id);
    }

    private void report(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        for (String p : req.query().names()) {
            if (!PARAMS.contains(p)) throw KeelException.invalid("unknown query parameter '" + p + "'; known: alpha, min_per_arm");
        }
        double alpha = number(req, "alpha", 0.05);
        if (!(alpha > 0 && alpha < 0.5)) throw KeelException.invalid("'alpha' must be between 0 and 0.5; got " + alpha);
        double min = number(req, "min_per_arm", ExperimentReports.DEFAULT_MIN_PER_ARM);
        if (min != Math.rint(min) || min < 2) throw KeelException.invalid("'min_per_arm' must be a whole number >= 2; got " + min);
        Experiment e = keel.experiments().find(name).orElseThrow(() -> KeelException.notFound("no experiment named '" + name
                + "' in experiments.dir or the experiment store; see GET /v1/experiments"));
        RequestStore store = keel.requests().orElseThrow(() -> new KeelException(ErrorCode.NOT_FOUND,
                "the request log is disabled (request_log.enabled: false); experiment reports are computed from it"));
        // the per-variant sums the store keeps as requests are written: a few rows whatever the experiment's size
        ExperimentReport report = ExperimentReports.computeFromSums(e, store.outcomeSums(name), keel.feedback().outcomeSums(name),
                alpha, (long) min);
        HttpJson.send(res, 200, ReportJson.of(report));
    }

    private static double number(ServerRequest req, String name, double dflt) {
        var v = req.query().first(name);
        if (v.isEmpty()) return dflt;
        try {
            return Double.parseDouble(v.get());
        } catch (NumberFormatException ex) {
            throw KeelException.invalid("'" + name + "' must be a number; got '" + v.get() + "'");
        }
    }
}
