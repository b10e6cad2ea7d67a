package io.keel.server.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.answer.Caller;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.IndexStore;
import io.keel.graph.KnowledgeGraph;
import io.keel.graph.spi.EntityDetail;
import io.keel.graph.spi.EntityIds;
import io.keel.graph.spi.EntitySummary;
import io.keel.graph.spi.Visibility;
import io.keel.http.Attribution;
import io.keel.http.HttpJson;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The knowledge graph over HTTP:
 * <ul>
 *   <li>{@code GET /v1/graph/entities?q=&collection=&limit=}: entities whose name contains {@code q}, most mentioned first</li>
 *   <li>{@code GET /v1/graph/entities/{id}?collection=&limit=}: one entity, the chunks that mention it and its neighbours
 *       with the chunks that are evidence for each edge</li>
 * </ul>
 * An authenticated caller sees only evidence from documents of its tenant that its groups may read; an entity known
 * only from other documents is not found (404), exactly as if it did not exist.
 */
public final class GraphService implements HttpService {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PARAMS = Set.of("q", "collection", "limit");
    private static final int MAX_QUERY = 200;

    private final Optional<KnowledgeGraph> graph;
    private final String defaultCollection;

    public GraphService(Optional<KnowledgeGraph> graph, String defaultCollection) {
        this.graph = graph;
        this.defaultCollection = defaultCollection;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/graph/entities/{id}", this::one)
                .get("/v1/graph/entities", this::find);
    }

    private KnowledgeGraph graph() {
        return graph.orElseThrow(() -> new KeelException(ErrorCode.NOT_FOUND,
                "the knowledge graph is disabled (graph.enabled: false); enable it and ingest again to read entities"));
    }

    private void find(ServerRequest req, ServerResponse res) {
        checkParams(req);
        String q = req.query().first("q").map(String::strip).orElse("");
        if (q.isEmpty()) throw KeelException.invalid("'q' is required: part of an entity name to look for");
        if (q.length() > MAX_QUERY) throw KeelException.invalid("'q' must be at most " + MAX_QUERY + " characters");
        List<EntitySummary> found = graph().findEntities(collection(req), io.keel.graph.extract.EntityNames.key(q),
                visibility(req), limit(req, 20));
        ObjectNode body = JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        for (EntitySummary e : found) data.addObject().put("id", e.id()).put("name", e.name()).put("chunks", e.chunks());
        HttpJson.send(res, 200, body);
    }

    private void one(ServerRequest req, ServerResponse res) {
        checkParams(req);
        String id = req.path().pathParameters().get("id");
        KnowledgeGraph g = graph();
        EntityDetail e = (EntityIds.valid(id) ? g.entity(collection(req), id, visibility(req), limit(req, 50)) : Optional.<EntityDetail>empty())
                .orElseThrow(() -> KeelException.notFound("no entity with id '" + id + "'"));
        ObjectNode body = JSON.createObjectNode().put("id", e.id()).put("name", e.name());
        evidence(body.putArray("mentions"), e.mentions());
        ArrayNode neighbours = body.putArray("neighbours");
        for (EntityDetail.Neighbour n : e.neighbours()) {
            ObjectNode o = neighbours.addObject().put("id", n.id()).put("name", n.name()).put("weight", n.weight());
            evidence(o.putArray("evidence"), n.evidence());
        }
        HttpJson.send(res, 200, body);
    }

    private static void evidence(ArrayNode out, List<EntityDetail.Evidence> evidence) {
        for (EntityDetail.Evidence ev : evidence) out.addObject().put("document_id", ev.documentId()).put("chunk_id", ev.chunkId());
    }

    /** The caller's tenant and groups from its credential; everything in open mode (no authentication). */
    static Visibility visibility(ServerRequest req) {
        Caller caller = Attribution.caller(req);
        if (!caller.restricted()) return Visibility.ALL;
        return new Visibility(caller.principal().tenant(), caller.principal().groups());
    }

    private String collection(ServerRequest req) {
        String c = req.query().first("collection").filter(s -> !s.isBlank()).orElse(defaultCollection);
        IndexStore.requireValidName(c);
        return c;
    }

    private static int limit(ServerRequest req, int def) {
        String raw = req.query().first("limit").orElse(null);
        if (raw == null || raw.isBlank()) return def;
        try {
            int n = Integer.parseInt(raw.strip());
            if (n >= 1 && n <= 500) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw KeelException.invalid("'limit' must be a whole number from 1 to 500; got '" + raw + "'");
    }

    private static void checkParams(ServerRequest req) {
        for (String name : req.query().names()) {
            if (!PARAMS.contains(name)) {
                throw KeelException.invalid("unknown query parameter '" + name + "'; accepted: " + PARAMS.stream().sorted().toList());
            }
        }
    }
}
