package io.keel.server.reliability;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of every route: requests generated from each route's JSON shape (and broken in every way
 * {@link ApiShapes} knows), sent over raw loopback sockets. The property: every request is answered, never with a 5xx,
 * and never left hanging; after the run the server is live and answers a real query. The CI run tries a fixed seed
 * ({@code ./mvnw verify}); {@code -Dkeel.reliability.long=true} runs {@link LongFuzzProperties} with a new seed and ten
 * times the inputs.
 */
class RouteFuzzProperties {
    static final int CI_TRIES = 6_000;
    static final int MUTATION_TRIES = 4_000;
    static FuzzServer server;

    @BeforeContainer
    static void start() {
        server = new FuzzServer(256);
    }

    @AfterContainer
    static void stop() throws IOException {
        try {
            FuzzServer.report("route-fuzz", "route fuzz " + java.time.Instant.now() + " " + server.summary() + "\n" + server.timingSummary());
            assertThat(server.unhealthy()).as("live and answering a query after " + server.summary()).isNull();
            assertThat(server.count("5xx")).isZero();
            assertThat(server.count("hung")).isZero();
        } finally {
            server.close();
        }
    }

    /** A request: route, target, content type, headers and body, drawn together so shrinking keeps them consistent. */
    record Request(ApiShapes.Route route, String target, String contentType, Map<String, String> headers, byte[] body) {
        byte[] bytes() {
            List<String> h = new ArrayList<>();
            if (!headers.containsKey("Authorization")) {
                h.add("Authorization");
                h.add("Bearer " + server.adminKey);
            }
            headers.forEach((k, v) -> {
                h.add(k);
                h.add(v);
            });
            boolean hasBody = route.method().equals("POST") || body.length > 0;
            return RawHttp.request(route.method(), target, hasBody ? contentType : null, hasBody ? body : null,
                    h.toArray(String[]::new));
        }

        @Override
        public String toString() {
            String b = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            return route.method() + " " + target + " [" + contentType + "] " + headers.keySet() + " "
                    + (b.length() > 300 ? b.substring(0, 300) + "...(" + body.length + " bytes)" : b);
        }
    }

    /** One generator per route, built once: every route is drawn equally often. */
    private static final Arbitrary<Request> REQUESTS = Arbitraries.oneOf(ApiShapes.ROUTES.stream().map(route -> Combinators.combine(
            ApiShapes.target(route), ApiShapes.contentType(), ApiShapes.headers(),
            route.fields().isEmpty() ? Arbitraries.of(new byte[0], new byte[0], new byte[0], "{}".getBytes())
                    : ApiShapes.body(route))
            .as((target, type, headers, body) -> new Request(route, target, type, headers, body))).toList());

    @Provide
    static Arbitrary<Request> requests() {
        return REQUESTS;
    }

    static void check(Request request) throws IOException {
        long start = System.nanoTime();
        RawHttp.Exchange e = RawHttp.send(server.port(), request.bytes(), FuzzServer.HANG_MILLIS);
        server.time(request.route().method() + " " + request.route().pattern(), System.nanoTime() - start);
        server.count(e);
        assertThat(e.hung()).as("no byte within %d ms for %s", FuzzServer.HANG_MILLIS, request).isFalse();
        assertThat(FuzzServer.serverError(e)).as("%s answered %s", request, e.answer().lines().limit(12).toList()).isFalse();
    }

    @Property(tries = CI_TRIES, seed = "20261206", shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void everyRouteAnswersEveryGeneratedRequestWithoutA5xxOrAHang(@ForAll("requests") Request request) throws IOException {
        check(request);
    }

    @Provide
    static Arbitrary<List<HttpMutations.Mutation>> mutations() {
        return HttpMutations.mutations();
    }

    @Property(tries = MUTATION_TRIES, seed = "20261207", shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void everyMutatedRequestIsAnsweredOrClosedWithoutA5xxOrAHang(@ForAll("requests") Request request,
                                                                 @ForAll("mutations") List<HttpMutations.Mutation> mutations) throws IOException {
        checkMutated(request, mutations);
    }

    static void checkMutated(Request request, List<HttpMutations.Mutation> mutations) throws IOException {
        byte[] bytes = HttpMutations.apply(request.bytes(), mutations);
        long start = System.nanoTime();
        RawHttp.Exchange e = RawHttp.send(server.port(), bytes, FuzzServer.HANG_MILLIS);
        server.time("raw mutation", System.nanoTime() - start);
        server.count(e);
        String sent = new String(bytes, 0, Math.min(bytes.length, 400), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(e.hung()).as("no byte within %d ms after sending %s", FuzzServer.HANG_MILLIS, sent).isFalse();
        assertThat(FuzzServer.serverError(e)).as("%s answered %s", sent, e.answer().lines().limit(12).toList()).isFalse();
    }
}
