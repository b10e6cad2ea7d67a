package io.keel.server.reliability;

import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fuzzing of {@link RouteFuzzProperties} ten times longer and with a new seed each run (printed by jqwik on a
 * failure): {@code ./mvnw -pl server/keel-server -am test -Dtest='io/keel/server/reliability/LongFuzzProperties'
 * -Dsurefire.failIfNoSpecifiedTests=false -Dkeel.reliability.long=true}.
 */
@AddLifecycleHook(LongRuns.class)
class LongFuzzProperties {
    @BeforeContainer
    static void start() {
        RouteFuzzProperties.server = new FuzzServer(256);
    }

    @AfterContainer
    static void stop() throws IOException {
        FuzzServer server = RouteFuzzProperties.server;
        try {
            FuzzServer.report("route-fuzz-long", "long route fuzz " + java.time.Instant.now() + " " + server.summary());
            assertThat(server.unhealthy()).as("live and answering a query after " + server.summary()).isNull();
            assertThat(server.count("5xx")).isZero();
            assertThat(server.count("hung")).isZero();
        } finally {
            server.close();
        }
    }

    @Property(tries = 60_000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void everyRouteAnswersEveryGeneratedRequestWithoutA5xxOrAHang(@ForAll("requests") RouteFuzzProperties.Request request) throws IOException {
        RouteFuzzProperties.check(request);
    }

    @Property(tries = 40_000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void everyMutatedRequestIsAnsweredOrClosedWithoutA5xxOrAHang(@ForAll("requests") RouteFuzzProperties.Request request,
                                                                 @ForAll("mutations") List<HttpMutations.Mutation> mutations) throws IOException {
        RouteFuzzProperties.checkMutated(request, mutations);
    }

    @net.jqwik.api.Provide
    static net.jqwik.api.Arbitrary<RouteFuzzProperties.Request> requests() {
        return RouteFuzzProperties.requests();
    }

    @net.jqwik.api.Provide
    static net.jqwik.api.Arbitrary<List<HttpMutations.Mutation>> mutations() {
        return HttpMutations.mutations();
    }
}
