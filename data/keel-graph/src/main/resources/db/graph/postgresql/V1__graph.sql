-- The entity graph of each collection, kept per document so that replacing or deleting a document touches only its
-- rows. A node lives while a mention refers to it; an edge is the set of its evidence rows. tenant and acl (groups
-- joined by newlines, empty: everyone in the tenant) are the evidence document's, to filter what a caller may see.
CREATE TABLE graph_nodes (
    collection  TEXT    NOT NULL,
    entity_id   TEXT    NOT NULL,
    entity_key  TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    title       INTEGER NOT NULL,
    PRIMARY KEY (collection, entity_id)
);
CREATE INDEX graph_nodes_key ON graph_nodes (collection, entity_key);

CREATE TABLE graph_mentions (
    collection  TEXT    NOT NULL,
    chunk_id    TEXT    NOT NULL,
    entity_id   TEXT    NOT NULL,
    document_id TEXT    NOT NULL,
    tenant      TEXT    NOT NULL,
    acl         TEXT    NOT NULL,
    mentions    INTEGER NOT NULL,
    title       INTEGER NOT NULL,
    PRIMARY KEY (collection, chunk_id, entity_id)
);
CREATE INDEX graph_mentions_document ON graph_mentions (collection, document_id);
CREATE INDEX graph_mentions_entity ON graph_mentions (collection, entity_id);

CREATE TABLE graph_edges (
    collection  TEXT    NOT NULL,
    chunk_id    TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    document_id TEXT    NOT NULL,
    tenant      TEXT    NOT NULL,
    acl         TEXT    NOT NULL,
    weight      DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (collection, chunk_id, source, target)
);
CREATE INDEX graph_edges_document ON graph_edges (collection, document_id);
CREATE INDEX graph_edges_source ON graph_edges (collection, source);
CREATE INDEX graph_edges_target ON graph_edges (collection, target);

CREATE TABLE graph_versions (
    collection  TEXT    NOT NULL PRIMARY KEY,
    version     BIGINT  NOT NULL
);
