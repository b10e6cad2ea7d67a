package io.keel.core.pipeline;

import io.keel.core.answer.Timings;

import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * An ordered, immutable list of stages: one route's request path. {@link #run} starts the first stage; each stage's
 * {@code proceed} hands the request to the next. The chain rejects nulls and names the offending stage in its errors.
 *
 * @param <Q> the route's request type
 * @param <A> the route's response type
 */
public final class Pipeline<Q extends RouteRequest<Q>, A extends RouteResponse<A>> {
    private final List<Stage<Q, A>> stages;
    private final StageObserver observer;
    private final LongSupplier nanoTime;

    public Pipeline(List<? extends Stage<Q, A>> stages) {
        this(stages, StageObserver.NONE);
    }

    public Pipeline(List<? extends Stage<Q, A>> stages, StageObserver observer) {
        this(stages, observer, System::nanoTime);
    }

    /** @param nanoTime the clock stage times are read from ({@link System#nanoTime()}; tests inject their own) */
    public Pipeline(List<? extends Stage<Q, A>> stages, StageObserver observer, LongSupplier nanoTime) {
        if (stages.isEmpty()) throw new IllegalArgumentException("a pipeline needs at least one stage");
        this.stages = List.copyOf(stages);
        this.observer = Objects.requireNonNull(observer, "observer");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    public List<Stage<Q, A>> stages() {
        return stages;
    }

    /** Runs the request through every stage; the response carries the per-stage timings and the total. */
    public A run(Q request) {
        long start = nanoTime.getAsLong();
        A answer = new RealChain(0, request).proceed(request);
        request.timings().add(Timings.TOTAL, nanoTime.getAsLong() - start);
        return answer.withTimings(request.timings().snapshot());
    }

    private final class RealChain implements Stage.Chain<Q, A> {
        private final int index;
        private final Q request;
        private long nanosInNext;

        RealChain(int index, Q request) {
            this.index = index;
            this.request = request;
        }

        @Override
        public Q request() {
            return request;
        }

        @Override
        public A proceed(Q next) {
            Objects.requireNonNull(next, () -> nameOf(index - 1) + " passed a null request to proceed()");
            if (index >= stages.size()) {
                throw new IllegalStateException(nameOf(index - 1) + " called proceed() but no stage follows it");
            }
            Stage<Q, A> stage = stages.get(index);
            RealChain chain = new RealChain(index + 1, next);
            long start = nanoTime.getAsLong();
            StageObserver.Scope scope = observer.start(stage, next);
            Throwable failure = null;
            try {
                A answer = stage.handle(next, chain);
                if (answer == null) throw new IllegalStateException("stage " + stage.name() + " returned a null answer");
                return answer;
            } catch (RuntimeException | Error e) {
                failure = e;
                throw e;
            } finally {
                scope.end(failure);
                long elapsed = nanoTime.getAsLong() - start;
                next.timings().add(stage.timingKey(), elapsed - chain.nanosInNext);
                nanosInNext += elapsed;
            }
        }

        private String nameOf(int i) {
            return i < 0 ? "the caller" : "stage " + stages.get(i).name();
        }
    }
}
