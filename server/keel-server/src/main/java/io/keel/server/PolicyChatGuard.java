package io.keel.server;

import io.keel.core.guard.Direction;
import io.keel.core.guard.GuardVerdict;
import io.keel.guard.PolicyGuard;
import io.keel.guard.action.StreamingScanner;
import io.keel.openai.api.ChatGuard;

/** The guard policy applied to chat completions: the same checks as in the query pipeline, and streamed answers scanned as they pass. */
final class PolicyChatGuard implements ChatGuard {
    private final PolicyGuard guard;

    PolicyChatGuard(PolicyGuard guard) {
        this.guard = guard;
    }

    @Override
    public GuardVerdict input(String text) {
        return guard.inspect(text, Direction.INPUT);
    }

    @Override
    public GuardVerdict output(String text) {
        return guard.inspect(text, Direction.OUTPUT);
    }

    @Override
    public OutputFilter stream() {
        StreamingScanner scanner = guard.streaming(guard.newSession());
        return new OutputFilter() {
            @Override
            public Release accept(String chunk) {
                StreamingScanner.Emission e = scanner.accept(chunk);
                return new Release(e.text(), e.blocked());
            }

            @Override
            public Release finish() {
                StreamingScanner.Emission e = scanner.finish();
                return new Release(e.text(), e.blocked());
            }
        };
    }
}
