package io.keel.core.pipeline;

import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamListener;
import io.keel.core.spi.RequestLog;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs an experiment's shadow arms: after the request was answered, each shadow arm its variant carries runs on a
 * {@linkplain RouteRequest#copyAs copy} of the request, in the background, through the same stages with that arm's
 * overrides. The caller never sees a shadow's answer; its outcome is recorded in the request log under its own id
 * ({@code <request id>.shadow.<arm>}), stamped with the experiment and the shadow arm, so an experiment report shows
 * its cost, latency and quality beside the live arms. At most {@link #MAX_IN_FLIGHT} shadow runs go on at once; beyond
 * that, copies are dropped (counted in {@link #dropped()}) rather than queued: a shadow never holds up live traffic.
 */
public final class ShadowStage<Q extends RouteRequest<Q>, A extends RouteResponse<A>> extends NamedStage<Q, A> {
    /** Shadow runs in flight at most. */
    public static final int MAX_IN_FLIGHT = 32;
    private static final Logger LOG = Logger.getLogger(ShadowStage.class.getName());
    private static final ThreadFactory THREADS = Thread.ofVirtual().name("keel-shadow-", 0).factory();

    private final Pipeline<Q, A> shadows;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong dropped = new AtomicLong();

    /** @param shadows the pipeline a shadow copy runs through: record → variant (stamping) → the route's other stages */
    private ShadowStage(Pipeline<Q, A> shadows) {
        super("shadow", "variant");
        this.shadows = shadows;
    }

    /**
     * The front of a route that experiments apply to: record → variant → shadow → {@code rest}. Without experiments
     * ({@link VariantResolver#NONE}) or without a request log to record shadows in, there is no shadow stage.
     */
    public static <Q extends RouteRequest<Q>, A extends RouteResponse<A>> List<Stage<Q, A>> front(
            RequestLog log, VariantResolver variants, List<? extends Stage<Q, A>> rest, StageObserver observer) {
        List<Stage<Q, A>> stages = new ArrayList<>();
        stages.add(new RecordStage<>(log));
        stages.add(new VariantStage<>(variants));
        if (variants != VariantResolver.NONE && log != RequestLog.NONE) {
            List<Stage<Q, A>> shadow = new ArrayList<>();
            shadow.add(new RecordStage<>(log));
            shadow.add(new VariantStage<>(request -> request.trail().variant()));   // keeps the shadow arm, stamps lineage
            shadow.addAll(rest);
            stages.add(new ShadowStage<>(new Pipeline<>(shadow, observer)));
        }
        stages.addAll(rest);
        return stages;
    }

    @Override
    public A handle(Q request, Chain<Q, A> chain) {
        List<Variant> arms = request.trail().variant().shadows();
        if (arms.isEmpty()) return chain.proceed(request);
        List<Q> copies = new ArrayList<>(arms.size());
        for (Variant arm : arms) {
            Q copy = request.copyAs(request.id() + ".shadow." + arm.name());
            copy.trail().variant(arm);
            copies.add(copy);
        }
        try {
            return chain.proceed(request);
        } finally {
            copies.forEach(this::launch);
        }
    }

    /** Shadow copies dropped because {@link #MAX_IN_FLIGHT} were already running. */
    public long dropped() {
        return dropped.get();
    }

    private void launch(Q copy) {
        if (!inFlight.tryAcquire()) {
            dropped.incrementAndGet();
            LOG.fine(() -> "shadow run " + copy.id() + " dropped: " + MAX_IN_FLIGHT + " already running");
            return;
        }
        THREADS.newThread(() -> {
            try {
                A answer = shadows.run(copy);
                if (answer.stream() != null) answer.stream().start(DISCARD);      // recorded when it ends
            } catch (RuntimeException e) {
                // recorded as failed by the shadow's record stage; the caller was answered already
                LOG.log(Level.FINE, "shadow run " + copy.id() + " failed", e);
            } finally {
                inFlight.release();
            }
        }).start();
    }

    private static final StreamListener DISCARD = new StreamListener() {
        @Override
        public void onToken(String token) {
        }

        @Override
        public void onComplete(ChatResponse response) {
        }

        @Override
        public void onError(Throwable error) {
        }
    };
}
