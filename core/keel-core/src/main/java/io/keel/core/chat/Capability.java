package io.keel.core.chat;

import io.keel.core.error.UnsupportedCapabilityException;

import java.util.Locale;
import java.util.Set;

/** Something a {@link ChatModel} may or may not support. A request needing a missing one fails; it is never dropped. */
public enum Capability {
    /** {@link ChatModel#stream} delivers tokens as they are generated. */
    STREAMING,
    /** Tool definitions are honoured and tool calls are returned. */
    TOOLS,
    /** Streams end with the provider's own token usage, so streamed calls are priced like non-streamed ones. */
    STREAM_USAGE;

    /**
     * Fails unless {@code model} has every capability {@code request} needs.
     *
     * @throws UnsupportedCapabilityException naming the model and the first missing capability
     */
    public static void check(ChatModel model, ChatRequest request, boolean streaming) {
        Set<Capability> have = model.capabilities();
        for (Capability c : request.requiredCapabilities()) {
            if (!have.contains(c)) throw new UnsupportedCapabilityException(model.name(), c.name().toLowerCase(Locale.ROOT));
        }
        if (streaming && !have.contains(STREAMING)) throw new UnsupportedCapabilityException(model.name(), "streaming");
    }
}
