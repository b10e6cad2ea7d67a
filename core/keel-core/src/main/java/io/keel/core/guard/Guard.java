package io.keel.core.guard;

/** Inspects text on its way into or out of a model. Implementations are thread-safe. */
public interface Guard {
    String name();

    GuardVerdict inspect(String text, Direction direction);

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
    };
}
