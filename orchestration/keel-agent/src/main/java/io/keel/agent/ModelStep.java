package io.keel.agent;

import io.keel.core.answer.Caller;
import io.keel.core.budget.BudgetExceededException;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamListener;
import io.keel.core.guard.Guard;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.chat.ChatExchange;
import io.keel.core.pipeline.chat.ChatResult;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One model call of a run, through the stages every model call shares (the budget reservation and its settlement, then
 * the model), bounded by the run's deadline: the call runs on a virtual thread and is abandoned (interrupted) when the
 * deadline passes, so a model that stalls ends the run with {@link StopReason#WALL_TIME} instead of hanging it.
 * Streamed tokens pass through a gate that closes at the deadline, so none reaches the client after the run ended.
 */
final class ModelStep {
    /** The call's outcome: a response, or why there is none. */
    record Outcome(ChatResponse response, String modelRef, StopReason stop, String error) {
    }

    /** What the output guard's stream filter did to a streamed step: whether it blocked, and its refusal text. */
    record Filtered(boolean blocked, String refusal) {
    }

    private final Pipeline<ChatExchange, ChatResult> call;

    ModelStep(Pipeline<ChatExchange, ChatResult> call) {
        this.call = call;
    }

    /**
     * @param filter the output guard's filter for this step's streamed text, or null for none
     * @param filtered receives what the filter decided (only when streamed through a filter)
     */
    Outcome run(String id, Caller caller, ChatRequest request, RunListener listener, long deadlineNanos, Guard.StreamFilter filter,
                java.util.function.Consumer<Filtered> filtered) {
        boolean stream = listener != RunListener.NONE;
        Gate gate = new Gate(listener, filter);
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("agent-model-" + id).start(() -> {
            try {
                ChatResult r = call.run(ChatExchange.start(id, "agent", caller, request, stream));
                String ref = r.lineage() == null ? request.model() : r.lineage().modelRef();
                if (r.stream() == null) {
                    f.complete(new Outcome(r.response(), ref, null, null));
                    return;
                }
                r.stream().start(new StreamListener() {
                    @Override
                    public void onToken(String token) {
                        if (!token.isEmpty()) gate.token(token);
                    }

                    @Override
                    public void onComplete(ChatResponse response) {
                        gate.finish();
                        f.complete(new Outcome(response, ref, null, null));
                    }

                    @Override
                    public void onError(Throwable error) {
                        f.complete(failure(error));
                    }
                });
                if (!f.isDone()) f.complete(new Outcome(null, ref, StopReason.MODEL_ERROR, "the stream ended without a response"));
            } catch (RuntimeException | Error e) {
                f.complete(failure(e));
            }
        });
        long wait = deadlineNanos - System.nanoTime();
        try {
            Outcome o = f.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
            gate.close();
            if (gate.filter != null) filtered.accept(new Filtered(gate.blocked, gate.refusal));
            if (o.error() != null && gate.failure != null) return new Outcome(null, o.modelRef(), StopReason.MODEL_ERROR, gate.failure.toString());
            return o;
        } catch (TimeoutException e) {
            gate.close();
            worker.interrupt();
            return new Outcome(null, request.model(), StopReason.WALL_TIME, "the model call was still running when the wall time ran out");
        } catch (InterruptedException e) {
            gate.close();
            worker.interrupt();
            Thread.currentThread().interrupt();
            return new Outcome(null, request.model(), StopReason.WALL_TIME, "interrupted");
        } catch (ExecutionException e) {
            gate.close();
            return failure(e.getCause());
        }
    }

    private static Outcome failure(Throwable e) {
        if (e instanceof BudgetExceededException b) return new Outcome(null, null, StopReason.BUDGET, b.getMessage());
        return new Outcome(null, null, StopReason.MODEL_ERROR, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /**
     * Lets tokens through (after the output guard's filter, when there is one) until closed; a listener that throws
     * closes it (the client is gone) and is remembered.
     */
    private static final class Gate {
        private final RunListener listener;
        final Guard.StreamFilter filter;
        private boolean open = true;
        volatile Throwable failure;
        volatile boolean blocked;
        volatile String refusal;

        Gate(RunListener listener, Guard.StreamFilter filter) {
            this.listener = listener;
            this.filter = filter;
        }

        synchronized void token(String t) {
            if (!open || blocked) return;
            if (filter == null) {
                emit(t);
                return;
            }
            release(filter.accept(t));
        }

        synchronized void finish() {
            if (open && !blocked && filter != null) release(filter.finish());
        }

        private void release(Guard.Release r) {
            if (r.blocked()) {
                blocked = true;
                refusal = r.verdict() == null ? null : r.verdict().text();
                if (!r.text().isEmpty()) emit(r.text());
                return;
            }
            if (!r.text().isEmpty()) emit(r.text());
        }

        private void emit(String t) {
            try {
                listener.onToken(t);
            } catch (RuntimeException e) {
                failure = e;
                open = false;
                throw e;
            }
        }

        synchronized void close() {
            open = false;
        }
    }
}
