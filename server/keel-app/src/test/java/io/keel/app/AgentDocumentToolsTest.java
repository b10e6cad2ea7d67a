package io.keel.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.agent.tool.Tool;
import io.keel.agent.tool.ToolContext;
import io.keel.agent.tool.ToolException;
import io.keel.app.config.KeelConfig;
import io.keel.core.answer.Caller;
import io.keel.core.security.Principal;
import io.keel.core.security.Role;
import io.keel.ingest.IngestOptions;
import io.keel.ingest.ProgressListener;
import io.keel.ingest.parse.DocumentDefaults;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The document tools go through the retrieve route's stages with the run's caller: an authenticated caller finds only
 * its tenant's documents open to its groups, by search and by id.
 */
class AgentDocumentToolsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static Keel keel;
    private static Tool search;
    private static Tool get;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("keel-agent-docs");
        keel = Keel.open(KeelConfig.defaults().withDataDir(dir.resolve("data")));
        ingest("finance.md", "# Travel budget\n\nThe travel budget for the finance team is 12,000 euros per quarter.", "acme", List.of("finance"));
        ingest("hr.md", "# Salary bands\n\nThe travel budget is not discussed here; salary bands for engineers are confidential.", "acme", List.of("hr"));
        ingest("globex.md", "# Globex travel\n\nThe Globex travel budget is 99,000 dollars.", "globex", List.of());
        List<Tool> tools = AgentWiring.builtins(keel, keel.config().agents());
        search = tools.stream().filter(t -> t.name().equals("search_documents")).findFirst().orElseThrow();
        get = tools.stream().filter(t -> t.name().equals("get_document")).findFirst().orElseThrow();
    }

    private static void ingest(String name, String text, String tenant, List<String> acl) throws Exception {
        Path sub = Files.createDirectories(dir.resolve("docs-" + tenant + "-" + name.replace(".md", "")));
        Files.writeString(sub.resolve(name), text);
        IngestOptions options = keel.config().ingest().options().withRoot(sub).withDocumentDefaults(new DocumentDefaults(tenant, acl, Map.of()));
        keel.ingest(List.of(sub.resolve(name)), null, options, ProgressListener.NONE);
    }

    @AfterAll
    static void stop() {
        if (keel != null) keel.close();
    }

    private static Caller caller(String tenant, String... groups) {
        return new Caller(tenant, null, null, null, new Principal("key-" + tenant, tenant, null, Set.of(Role.APP), Set.of(groups), Set.of(), null));
    }

    private static String call(Tool tool, String args, Caller caller) throws Exception {
        return tool.call(JSON.readTree(args), new ToolContext(caller, "run_t"));
    }

    @Test
    void searchFindsOnlyWhatTheCallersTenantAndGroupsMayRead() throws Exception {
        String finance = call(search, "{\"query\":\"travel budget\"}", caller("acme", "finance"));
        assertThat(finance).contains("12,000 euros").doesNotContain("salary bands").doesNotContain("99,000");
        String hr = call(search, "{\"query\":\"travel budget\"}", caller("acme", "hr"));
        assertThat(hr).contains("salary bands").doesNotContain("12,000 euros");
        String globex = call(search, "{\"query\":\"travel budget\"}", caller("globex"));
        assertThat(globex).contains("99,000").doesNotContain("12,000").doesNotContain("salary");
    }

    @Test
    void getDocumentReadsADocumentByIdOnlyWithinTheCallersAccess() throws Exception {
        String finance = call(search, "{\"query\":\"travel budget\",\"top_k\":1}", caller("acme", "finance"));
        String id = finance.substring(finance.indexOf("document_id=") + "document_id=".length()).split("[\\s]")[0];
        assertThat(call(get, "{\"document_id\":\"" + id + "\"}", caller("acme", "finance"))).contains("12,000 euros");
        assertThatThrownBy(() -> call(get, "{\"document_id\":\"" + id + "\"}", caller("acme", "hr")))
                .isInstanceOf(ToolException.class).hasMessageContaining("no document");
        assertThatThrownBy(() -> call(get, "{\"document_id\":\"" + id + "\"}", caller("globex")))
                .isInstanceOf(ToolException.class);
    }
}
