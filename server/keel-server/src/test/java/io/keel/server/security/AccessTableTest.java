package io.keel.server.security;

import io.helidon.webserver.http.HttpRules;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.Role;
import io.keel.http.RouteTable;
import io.keel.server.KeelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route table against the code and a running server with authentication on: docs/security.md lists exactly the
 * table's rules, every route a service registers is in the table, anonymous calls get 401 on every protected route
 * and every role the table does not name gets 403.
 */
class AccessTableTest {
    private static final Pattern DOC_ROW = Pattern.compile("^\\| `([A-Z]+)` \\| `(/[^`]*)` \\| ([a-z, ]+) \\|$");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Path dir;
    private static Keel keel;
    private static KeelServer server;
    private static final Map<Role, String> KEYS = new EnumMap<>(Role.class);

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("keel-access-test");
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(),
                "auth", Map.of("enabled", "true")), Map.of());
        keel = Keel.open(config);
        ApiKeyManager keys = new ApiKeyManager(keel.apiKeys(), Clock.systemUTC());
        for (Role r : Role.values()) {
            KEYS.put(r, keys.create(new ApiKeyManager.Spec("acme", r, r.wireName(), null, Set.of(), Set.of(), 0)).secret());
        }
        server = KeelServer.start(keel, config.server().withPort(0));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void docsSecurityListsExactlyTheRouteTable() throws Exception {
        Path doc = Path.of(System.getProperty("keel.home", "../..")).resolve("docs/security.md");
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(doc)) {
            Matcher m = DOC_ROW.matcher(line.strip());
            if (m.matches()) documented.add(m.group(1) + " " + m.group(2) + " " + m.group(3).strip());
        }
        Set<String> table = new TreeSet<>();
        for (RouteTable.Rule r : AccessRoutes.TABLE.rules()) {
            String roles = r.open() ? "open" : String.join(", ", r.roles().stream().map(Role::wireName)
                    .sorted(java.util.Comparator.comparing(AccessTableTest::docOrder)).toList());
            table.add(r.method() + " " + r.pattern() + " " + roles);
        }
        assertThat(documented).as("docs/security.md route table").isEqualTo(table);
    }

    private static int docOrder(String role) {
        return List.of("app", "developer", "viewer", "admin").indexOf(role);
    }

    @Test
    void everyRegisteredRouteIsInTheTableAndEveryRuleIsARegisteredRoute() {
        List<String> registered = registeredRoutes();
        assertThat(registered).hasSizeGreaterThan(20);
        List<String> missing = registered.stream().filter(r -> {
            String[] mp = r.split(" ", 2);
            return !AccessRoutes.TABLE.lists(mp[0], mp[1]);
        }).toList();
        assertThat(missing).as("routes registered but not in AccessRoutes.TABLE (and docs/security.md)").isEmpty();
        List<String> stale = AccessRoutes.TABLE.rules().stream().map(r -> r.method() + " " + r.pattern())
                .filter(r -> !registered.contains(r)).toList();
        assertThat(stale).as("table rules no service registers").isEmpty();
    }

    /** The method and path template of every route the server's services register, recorded through their routing. */
    private static List<String> registeredRoutes() {
        List<String> out = new ArrayList<>();
        HttpRules[] self = new HttpRules[1];
        self[0] = (HttpRules) Proxy.newProxyInstance(HttpRules.class.getClassLoader(), new Class<?>[]{HttpRules.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (Set.of("get", "post", "put", "delete", "patch", "head", "options", "any").contains(name)
                            && args != null && args.length > 0 && args[0] instanceof String path) {
                        out.add(name.toUpperCase(java.util.Locale.ROOT) + " " + path);
                    } else if (!Set.of("get", "post", "put", "delete", "patch", "head", "options", "any").contains(name)
                            && !name.equals("hashCode") && !name.equals("equals") && !name.equals("toString")) {
                        throw new AssertionError("a service registered a route through HttpRules." + name
                                + "; record it here so the access check covers it");
                    } else if (args == null || args.length == 0 || !(args[0] instanceof String)) {
                        if (name.equals("hashCode")) return 0;
                        if (name.equals("equals")) return proxy == args[0];
                        if (name.equals("toString")) return "recording rules";
                        throw new AssertionError("a service registered a handler for every path (HttpRules." + name + ")");
                    }
                    return proxy;
                });
        ServerSecurity security = new ServerSecurity(keel.apiKeys(), keel.config().auth());
        try {
            KeelServer.services(keel, keel.config().server(), security).forEach(s -> s.routing(self[0]));
        } finally {
            security.close();
        }
        return out;
    }

    @Test
    void anonymousGets401OnEveryProtectedRouteAndOpenRoutesStayOpen() throws Exception {
        for (RouteTable.Rule r : AccessRoutes.TABLE.rules()) {
            HttpResponse<String> res = call(r, null);
            if (r.open()) {
                assertThat(res.statusCode()).as(r.method() + " " + r.pattern()).isEqualTo(200);
            } else {
                assertThat(res.statusCode()).as(r.method() + " " + r.pattern() + ": " + res.body()).isEqualTo(401);
                assertThat(res.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            }
        }
    }

    @Test
    void everyRoleTheTableDoesNotNameGets403AndEveryRoleItNamesGetsThrough() throws Exception {
        for (RouteTable.Rule r : AccessRoutes.TABLE.rules()) {
            if (r.open()) continue;
            for (Role role : Role.values()) {
                HttpResponse<String> res = call(r, KEYS.get(role));
                String what = role.wireName() + " on " + r.method() + " " + r.pattern() + ": " + res.body();
                if (r.roles().contains(role)) assertThat(res.statusCode()).as(what).isNotIn(401, 403, 405);
                else assertThat(res.statusCode()).as(what).isEqualTo(403);
            }
        }
    }

    @Test
    void aForgedOrBrokenCredentialIs401AndUnlistedRoutesAreRefusedEvenForAdmin() throws Exception {
        RouteTable.Rule usage = AccessRoutes.TABLE.find("GET", "/v1/usage");
        String admin = KEYS.get(Role.ADMIN);
        assertThat(call(usage, admin.substring(0, admin.length() - 1) + (admin.endsWith("A") ? "B" : "A")).statusCode()).isEqualTo(401);
        assertThat(call(usage, "keel_live_nonsense").statusCode()).isEqualTo(401);
        assertThat(call(usage, "not-a-keel-key").statusCode()).isEqualTo(401);
        HttpResponse<String> basic = HTTP.send(HttpRequest.newBuilder(uri("/v1/usage")).header("Authorization", "Basic YWxpY2U6eA==").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(basic.statusCode()).isEqualTo(401);
        HttpResponse<String> unlisted = HTTP.send(HttpRequest.newBuilder(uri("/v1/secret-admin-thing")).header("Authorization", "Bearer " + admin).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unlisted.statusCode()).isEqualTo(404);
        HttpResponse<String> wrongMethod = HTTP.send(HttpRequest.newBuilder(uri("/v1/query")).header("Authorization", "Bearer " + admin).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void aKeyCreatedThroughTheAdminApiWorksAtOnceAndStopsWorkingWithinSecondsOfRevocation() throws Exception {
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(uri("/v1/keys")).header("Authorization", "Bearer " + KEYS.get(Role.ADMIN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tenant\":\"acme\",\"role\":\"viewer\",\"name\":\"dash\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var body = io.keel.http.HttpJson.MAPPER.readTree(created.body());
        String secret = body.get("key").asText();
        String id = body.get("id").asText();
        RouteTable.Rule usage = AccessRoutes.TABLE.find("GET", "/v1/usage");
        assertThat(call(usage, secret).statusCode()).isEqualTo(200);
        HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(uri("/v1/keys")).header("Authorization", "Bearer " + KEYS.get(Role.ADMIN)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.body()).contains(id).doesNotContain(secret).doesNotContain("hash").doesNotContain("salt");
        HttpResponse<String> revoked = HTTP.send(HttpRequest.newBuilder(uri("/v1/keys/" + id + "/revoke"))
                .header("Authorization", "Bearer " + KEYS.get(Role.ADMIN)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + 5_000_000_000L;
        int status = 200;
        while (status == 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = call(usage, secret).statusCode();
        }
        assertThat(status).as("revoked key within 5 s").isEqualTo(401);
    }

    private static HttpResponse<String> call(RouteTable.Rule rule, String key) throws Exception {
        String path = rule.pattern().replaceAll("\\{\\+?([a-z]+)}", "x-$1");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (key != null) b.header("Authorization", "Bearer " + key);
        switch (rule.method()) {
            case "GET" -> b.GET();
            case "DELETE" -> b.DELETE();
            default -> b.header("Content-Type", "application/json").method(rule.method(), HttpRequest.BodyPublishers.ofString("{}"));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
