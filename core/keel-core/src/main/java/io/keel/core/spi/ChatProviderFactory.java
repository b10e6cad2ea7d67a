package io.keel.core.spi;

import io.keel.core.chat.ChatModel;
import io.keel.core.config.ConfigNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;

/**
 * Builds the chat client of one provider, named by a model entry's {@code provider:} ({@code openai},
 * {@code azure-openai}, {@code anthropic}). Found through {@link Backends#find} with the key
 * {@code models[i].provider}, so an unknown provider fails when the configuration loads, listing the available ones.
 * A provider module lists its factory in {@code META-INF/services/io.keel.core.spi.ChatProviderFactory}; its
 * clients should pass the {@code ChatModelContractTest} suite of {@code keel-test} (see docs/models.md).
 *
 * @since 0.1
 */
public interface ChatProviderFactory extends BackendFactory {
    /**
     * Checks what this provider requires of a model entry (e.g. an {@code api_version}) without calling anything, so
     * that a bad entry fails when the configuration loads. The entry's common keys are read by the model gateway; the
     * default checks nothing.
     *
     * @throws io.keel.core.error.KeelException (invalid request) naming the key to fix
     */
    default void check(ConfigNode entry) {
    }

    /** The client of one endpoint: one attempt per call (retries, balancing and fallback belong to the gateway). */
    ChatModel create(ChatEndpoint endpoint);

    /**
     * The active health check of one endpoint, run by the gateway every {@code health_check.interval}: true when the
     * endpoint answered in time as a healthy one does. The default asks for the API root and counts any answer below
     * 500 as healthy.
     */
    default BooleanSupplier probe(ChatEndpoint endpoint) {
        return httpProbe(endpoint.url(), Map.of(), endpoint.probeTimeout(), status -> status < 500);
    }

    /** A probe that sends {@code GET uri} with {@code headers} and judges the status with {@code healthy}. */
    static BooleanSupplier httpProbe(URI uri, Map<String, String> headers, Duration timeout, IntPredicate healthy) {
        return () -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
            headers.forEach(b::header);
            try {
                HttpResponse<Void> r = ProbeClient.CLIENT.send(b.build(), HttpResponse.BodyHandlers.discarding());
                return healthy.test(r.statusCode());
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }
}
