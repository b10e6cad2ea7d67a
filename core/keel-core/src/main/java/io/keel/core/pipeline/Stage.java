package io.keel.core.pipeline;

import io.keel.core.answer.Answer;

/**
 * One step of the query pipeline, shaped like an HTTP interceptor: it may rewrite the request and
 * {@link Chain#proceed proceed}, answer on its own without proceeding (a guard refusal), or post-process the
 * answer that comes back. The pipeline times each stage's own work (excluding the stages after it) and
 * books it under {@link #timingKey()}.
 */
public interface Stage {
    /** Short name used in errors and traces. */
    String name();

    /** The {@link io.keel.core.answer.Timings} key this stage's own time is added to. */
    String timingKey();

    /** Never returns null. */
    Answer handle(QueryRequest request, Chain chain);

    /** The rest of the pipeline, as seen from one stage. */
    interface Chain {
        QueryRequest request();

        /** Runs the following stages on {@code request} and returns their answer. */
        Answer proceed(QueryRequest request);
    }
}
