package io.keel.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.app.Keel;
import io.keel.app.QueryInput;
import io.keel.core.answer.Answer;
import io.keel.core.pipeline.Retrieval;
import io.keel.core.query.RetrievalMode;
import io.keel.http.HttpJson;

import java.util.Set;

/** {@code POST /v1/query} (answer with citations) and {@code POST /v1/retrieve} (search only). */
final class QueryService extends BodyService {
    private static final Set<String> QUERY_FIELDS = Set.of("question", "top_k", "filters", "collection", "mode");
    private static final Set<String> RETRIEVE_FIELDS = Set.of("query", "top_k", "filters", "collection", "mode");

    QueryService(Keel keel, long maxBodyBytes) {
        super(keel, maxBodyBytes);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/query", this::query)
                .post("/v1/retrieve", this::retrieve);
    }

    private void query(ServerRequest req, ServerResponse res) {
        RequestFields f = fields(req, QUERY_FIELDS);
        QueryInput input = input(f, "question");
        Answer answer = keel.query(input, "/v1/query", RequestsService.caller(req));
        HttpJson.send(res, 200, Json.answer(answer));
    }

    private void retrieve(ServerRequest req, ServerResponse res) {
        RequestFields f = fields(req, RETRIEVE_FIELDS);
        QueryInput input = input(f, "query");
        Retrieval result = keel.retrieve(input, "/v1/retrieve", RequestsService.caller(req));
        ObjectNode body = Json.hits(result.hits(), result.timings());
        if (result.index() != null) body.put("index_version", result.index().versionTag());
        if (result.refusal() != null) body.putObject("guard").put("decision", "block").put("message", result.refusal());
        HttpJson.send(res, 200, body);
    }

    /** The question (under {@code textField}) and the retrieval settings both routes take. */
    private static QueryInput input(RequestFields f, String textField) {
        return new QueryInput(f.requiredString(textField), f.optionalInt("top_k"), mode(f), f.optionalFilters("filters"),
                f.optionalString("collection"));
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
