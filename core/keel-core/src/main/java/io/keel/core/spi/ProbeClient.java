package io.keel.core.spi;

import java.net.http.HttpClient;
import java.time.Duration;

/** The HTTP client {@link ChatProviderFactory#httpProbe} health checks share. */
final class ProbeClient {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private ProbeClient() {
    }
}
