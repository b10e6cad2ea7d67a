package io.keel.ingest.parse;

import io.keel.core.document.Document;

import java.util.ArrayList;
import java.util.List;

/** A sink that keeps what it is given, for assertions. */
class Collected implements DocumentSink {
    final List<Document> documents = new ArrayList<>();
    final List<String> rejected = new ArrayList<>();

    @Override
    public void accept(Document document) {
        documents.add(document);
    }

    @Override
    public void rejected(String location, String reason) {
        rejected.add(location + ": " + reason);
    }

    static Collected parse(DocumentParser parser, SourceFile file) throws java.io.IOException {
        Collected sink = new Collected();
        parser.parse(file, sink);
        return sink;
    }
}
