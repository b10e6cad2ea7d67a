-- Answers of graph.extractor: llm, by chunk hash (SHA-256 of the model name, the prompt version and the chunk's
-- text): extracting an unchanged chunk again, in any collection, asks the model nothing.
CREATE TABLE graph_extractions (
    hash    TEXT NOT NULL PRIMARY KEY,
    result  TEXT NOT NULL
);
