package io.keel.cli;

import io.keel.app.Keel;
import io.keel.core.error.KeelException;
import io.keel.graph.KnowledgeGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

@Command(name = "graph", mixinStandardHelpOptions = true, description = "The knowledge graph (docs/knowledge-graph.md).",
        subcommands = GraphCommand.Rebuild.class)
final class GraphCommand {

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = "Extract a collection's graph again from the documents its index holds (no embedding): for a "
                    + "collection ingested before graph.enabled, or after the extractor changed.")
    static final class Rebuild extends KeelCommand {
        @Option(names = "--collection", paramLabel = "NAME", required = true, description = "collection whose graph to rebuild")
        String collection;

        @Override
        protected int run(PrintWriter out) {
            try (Keel keel = Keel.open(common.load())) {
                KnowledgeGraph graph = keel.graph().orElseThrow(() -> KeelException.invalid(
                        "the knowledge graph is disabled: set graph.enabled: true in keel.yaml (or KEEL_GRAPH_ENABLED=true)"));
                long start = System.nanoTime();
                long chunks = graph.rebuild(keel.indexes().collection(collection, false));
                int entities = graph.store().snapshot(collection).nodes().size();
                out.printf("rebuilt the graph of '%s': %d chunks, %d entities in %.1f s%n", collection, chunks, entities,
                        (System.nanoTime() - start) / 1e9);
                return ExitCodes.OK;
            }
        }
    }
}
