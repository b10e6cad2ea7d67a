package io.keel.routing;

import io.keel.core.answer.Caller;
import io.keel.core.security.Principal;
import io.keel.routing.intent.IntentPrediction;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What routing rules look at for one request. The tenant, key and app come from the credential only: a request
 * without a {@link Principal} (open mode, local commands) has none of them, whatever its headers say. The intent is
 * computed on first use, so a request decided by an earlier rule is never embedded or classified.
 */
public final class RouteFacts {
    private final Principal principal;
    private final String app;
    private final long promptTokens;
    private final String costTier;
    private final Supplier<IntentPrediction> intent;
    private IntentPrediction predicted;

    /**
     * @param caller       the request's caller; only its credential and the app the credential vouches for are used
     * @param promptTokens the request's prompt size in tokens
     * @param costTier     the cost tier the request declared, or null
     * @param intent       classifies the request's last user message; may return {@link IntentPrediction#NONE}
     */
    public RouteFacts(Caller caller, long promptTokens, String costTier, Supplier<IntentPrediction> intent) {
        Objects.requireNonNull(caller, "caller");
        this.principal = caller.principal();
        // with a credential the app is the credential's id, or what an act_as credential vouched for
        this.app = principal == null ? null : caller.app();
        this.promptTokens = promptTokens;
        this.costTier = costTier;
        this.intent = Objects.requireNonNull(intent, "intent");
    }

    /** The credential's tenant, or null without a credential. */
    public String tenant() {
        return principal == null ? null : principal.tenant();
    }

    /** The credential's id (an API key's public id, a token's subject), or null without a credential. */
    public String key() {
        return principal == null ? null : principal.id();
    }

    /** The app the credential stands for, or null without a credential. */
    public String app() {
        return app;
    }

    public long promptTokens() {
        return promptTokens;
    }

    public String costTier() {
        return costTier;
    }

    /** The request's intent, classified once on first call. */
    public IntentPrediction intent() {
        if (predicted == null) predicted = Objects.requireNonNull(intent.get(), "intent");
        return predicted;
    }

    /** Whether {@link #intent()} was computed (a rule needed it). */
    public boolean intentComputed() {
        return predicted != null;
    }
}
