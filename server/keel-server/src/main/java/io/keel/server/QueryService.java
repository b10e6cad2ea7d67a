package io.keel.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.app.Keel;
import io.keel.app.QueryInput;
import io.keel.core.answer.Answer;
import io.keel.core.pipeline.Retrieval;
import io.keel.core.query.RetrievalMode;
import io.keel.http.HttpJson;
import io.keel.http.RequestBody;

import java.util.Set;

/** {@code POST /v1/query} (answer with citations) and {@code POST /v1/retrieve} (search only). */
final class QueryService implements HttpService {
    private static final Set<String> QUERY_FIELDS = Set.of("question", "top_k", "filters", "collection", "mode");
    private static final Set<String> RETRIEVE_FIELDS = Set.of("query", "top_k", "filters", "collection", "mode");

    private final Keel keel;
    private final long maxBodyBytes;

    QueryService(Keel keel, long maxBodyBytes) {
        this.keel = keel;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/query", this::query)
                .post("/v1/retrieve", this::retrieve);
    }

    private void query(ServerRequest req, ServerResponse res) {
        RequestFields f = new RequestFields(RequestBody.readObject(req, maxBodyBytes, "server.max_request_bytes"), QUERY_FIELDS);
        QueryInput input = new QueryInput(f.requiredString("question"), f.optionalInt("top_k"), mode(f),
                f.optionalFilters("filters"), f.optionalString("collection"));
        Answer answer = keel.query(input, "/v1/query", RequestsService.caller(req));
        HttpJson.send(res, 200, Json.answer(answer));
    }

    private void retrieve(ServerRequest req, ServerResponse res) {
        RequestFields f = new RequestFields(RequestBody.readObject(req, maxBodyBytes, "server.max_request_bytes"), RETRIEVE_FIELDS);
        QueryInput input = new QueryInput(f.requiredString("query"), f.optionalInt("top_k"), mode(f),
                f.optionalFilters("filters"), f.optionalString("collection"));
        Retrieval result = keel.retrieve(input, "/v1/retrieve", RequestsService.caller(req));
        ObjectNode body = Json.hits(result.hits(), result.timings());
        if (result.index() != null) body.put("index_version", result.index().versionTag());
        if (result.refusal() != null) body.putObject("guard").put("decision", "block").put("message", result.refusal());
        HttpJson.send(res, 200, body);
    }

    private static RetrievalMode mode(RequestFields f) {
        String mode = f.optionalString("mode");
        if (mode == null) return null;
        try {
            return RetrievalMode.parse(mode);
        } catch (RuntimeException e) {
            throw RequestFields.unprocessable(e.getMessage());
        }
    }
}
