package io.keel.tracing;

import io.keel.core.answer.Answer;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.QueryRequest;
import io.keel.core.pipeline.Stage;
import io.keel.core.pipeline.StageObserver;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Stub pipelines shaped like Keel's real one: eight stages, each proceeding, the last one answering. */
public final class TestPipelines {
    /** name and timing key of the real stages, outermost first. */
    public static final List<String[]> STAGES = List.of(
            new String[] {"record", "record"}, new String[] {"quality", "quality"},
            new String[] {"guard-input", "guard_input"}, new String[] {"guard-output", "guard_output"},
            new String[] {"embed-query", "embedding"}, new String[] {"retrieve", "vector_search"},
            new String[] {"build-context", "context"}, new String[] {"generate", "inference"});

    private TestPipelines() {
    }

    /** Eight pass-through stages; {@code inGenerate} runs inside the last one (e.g. to record a model call or throw). */
    public static Pipeline<QueryRequest, Answer> eightStages(StageObserver observer, Consumer<QueryRequest> inGenerate) {
        List<Stage<QueryRequest, Answer>> stages = new ArrayList<>();
        for (int i = 0; i < STAGES.size(); i++) {
            boolean last = i == STAGES.size() - 1;
            stages.add(stage(STAGES.get(i)[0], STAGES.get(i)[1], last ? inGenerate : null));
        }
        return new Pipeline<>(stages, observer);
    }

    public static QueryRequest request(String id) {
        return QueryRequest.start(id, "/v1/query", new Query("what is keel?", 5, RetrievalMode.HYBRID, null, "docs"));
    }

    private static Stage<QueryRequest, Answer> stage(String name, String timingKey, Consumer<QueryRequest> terminal) {
        return new Stage<QueryRequest, Answer>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String timingKey() {
                return timingKey;
            }

            @Override
            public Answer handle(QueryRequest request, Chain<QueryRequest, Answer> chain) {
                if (terminal == null) return chain.proceed(request);
                terminal.accept(request);
                return new Answer(request.id(), "ok", "test", List.of(), null, null, null);
            }
        };
    }
}
