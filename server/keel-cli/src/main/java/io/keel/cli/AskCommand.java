package io.keel.cli;

import io.keel.app.Keel;
import io.keel.app.QueryInput;
import io.keel.core.answer.Answer;
import io.keel.core.answer.Citation;
import io.keel.core.answer.Timings;
import io.keel.core.query.Filters;
import io.keel.core.query.RetrievalMode;
import io.keel.server.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Locale;

@Command(name = "ask", mixinStandardHelpOptions = true,
        description = "Answer a question from the index, with citations (the same pipeline as POST /v1/query).")
final class AskCommand extends KeelCommand {
    @Parameters(index = "0", paramLabel = "QUESTION", description = "the question")
    String question;

    @Option(names = "--collection", paramLabel = "NAME", description = "collection to search (default: retrieval.collection)")
    String collection;

    @Option(names = "--top-k", paramLabel = "K", description = "chunks to retrieve (default: retrieval.top_k)")
    Integer topK;

    @Option(names = "--mode", paramLabel = "MODE", description = "dense, bm25 or hybrid (default: retrieval.mode)")
    String mode;

    @Option(names = "--json", description = "print the same JSON object /v1/query returns")
    boolean json;

    @Override
    protected int run(PrintWriter out) throws Exception {
        try (Keel keel = Keel.open(common.load())) {
            Answer a = keel.query(new QueryInput(question, topK, mode == null ? null : RetrievalMode.parse(mode), Filters.NONE, collection), "cli:ask");
            if (json) {
                out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Json.answer(a)));
                return ExitCodes.OK;
            }
            out.println(a.text());
            if (!a.citations().isEmpty()) {
                out.println();
                int i = 1;
                for (Citation c : a.citations()) {
                    out.printf(Locale.ROOT, "[%d] %s (%s, score %.3f)%n", i++, c.source(), c.chunkId(), c.score());
                }
            }
            out.flush();
            System.err.printf(Locale.ROOT, "%n%s · embedding %.1f ms · search %.1f ms · generation %.1f ms · total %.1f ms%n",
                    a.lineage().indexVersion(), a.timings().millisOf(Timings.EMBEDDING), a.timings().millisOf(Timings.VECTOR_SEARCH),
                    a.timings().millisOf(Timings.INFERENCE), a.timings().millisOf(Timings.TOTAL));
            return ExitCodes.OK;
        }
    }
}
