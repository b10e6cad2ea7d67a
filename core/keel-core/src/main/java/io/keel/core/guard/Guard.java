package io.keel.core.guard;

/**
 * Inspects text on its way into or out of a model: the one guard SPI of every route. Implementations are thread-safe.
 *
 * <p>{@link #inspect} judges a whole text; {@link #stream} judges an answer as it is generated, holding back only as
 * much as it needs to decide. Both apply the same policy.
 */
public interface Guard {
    String name();

    GuardVerdict inspect(String text, Direction direction);

    /**
     * A new filter for one streamed answer. The default holds the whole stream back and judges it at the end with
     * {@link #inspect}: safe for any guard, but nothing reaches the client before the answer is complete; guards that
     * can judge incrementally override it.
     */
    default StreamFilter stream() {
        StringBuilder held = new StringBuilder();
        return new StreamFilter() {
            @Override
            public Release accept(String chunk) {
                held.append(chunk);
                return Release.NOTHING;
            }

            @Override
            public Release finish() {
                GuardVerdict v = inspect(held.toString(), Direction.OUTPUT);
                return new Release(v.text(), v.decision() == GuardVerdict.Decision.BLOCK, v);
            }
        };
    }

    /** Holds back as much of a stream as it needs to judge it; one per response, used from one thread. */
    interface StreamFilter {
        /** Feeds one chunk; returns what may be sent now. */
        Release accept(String chunk);

        /** Ends the stream; returns whatever was still held. */
        Release finish();
    }

    /**
     * @param text    text safe to send on, possibly empty
     * @param blocked the answer must stop here (its finish reason becomes {@code content_filter})
     * @param verdict the verdict behind a block or rewrite, for the findings; null when there is none yet
     */
    record Release(String text, boolean blocked, GuardVerdict verdict) {
        public static final Release NOTHING = new Release("", false, null);

        public Release(String text, boolean blocked) {
            this(text, blocked, null);
        }
    }

    /** Lets everything through; the default until a policy is configured. */
    Guard ALLOW_ALL = new Guard() {
        @Override
        public String name() {
            return "allow-all";
        }

        @Override
        public GuardVerdict inspect(String text, Direction direction) {
            return GuardVerdict.allow(text, "none");
        }

        @Override
        public StreamFilter stream() {
            return new StreamFilter() {
                @Override
                public Release accept(String chunk) {
                    return new Release(chunk, false);
                }

                @Override
                public Release finish() {
                    return Release.NOTHING;
                }
            };
        }
    };
}
