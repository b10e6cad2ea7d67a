-- The pgvector collection index. One catalog row per collection (model fingerprint, commit version); each collection
-- has its own two tables, created by keel_pgv_create_collection, so that each has its own HNSW graph over vectors of
-- its model's dimension and a filter never has to skip other collections' rows.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE keel_pgv_collections (
    id             serial PRIMARY KEY,
    name           text NOT NULL UNIQUE,
    model_id       text NOT NULL,
    model_checksum text NOT NULL,
    dimensions     integer NOT NULL,
    fingerprint    text NOT NULL,
    version        bigint NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Documents (live records and tombstones) and chunks of collection `cid`, vectors of `dims` dimensions, HNSW built
-- with `m` neighbours per node and `ef_construction` candidates.
CREATE FUNCTION keel_pgv_create_collection(cid integer, dims integer, m integer, ef_construction integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($f$
        CREATE TABLE keel_pgv_docs_%1$s (
            document_id  text PRIMARY KEY,
            source       text,
            title        text,
            content_hash text,
            modified     text,
            media_type   text,
            tenant       text,
            acl          text[],
            metadata     jsonb,
            version      bigint,
            deleted      boolean NOT NULL DEFAULT false,
            deleted_at   bigint
        )$f$, cid);
    EXECUTE format('CREATE INDEX keel_pgv_docs_%1$s_source ON keel_pgv_docs_%1$s (source text_pattern_ops)', cid);
    EXECUTE format('CREATE INDEX keel_pgv_docs_%1$s_deleted ON keel_pgv_docs_%1$s (deleted_at) WHERE deleted', cid);
    EXECUTE format($f$
        CREATE TABLE keel_pgv_chunks_%1$s (
            row_id      bigserial PRIMARY KEY,
            chunk_id    text NOT NULL,
            document_id text NOT NULL,
            ordinal     integer NOT NULL,
            tokens      integer NOT NULL,
            text        text NOT NULL,
            heading     text[] NOT NULL,
            title       text NOT NULL,
            source      text NOT NULL,
            media_type  text NOT NULL,
            tenant      text NOT NULL,
            acl         text[] NOT NULL,
            acl_open    boolean NOT NULL,
            meta        text[] NOT NULL,
            metadata    jsonb NOT NULL,
            body        tsvector NOT NULL,
            embedding   vector(%2$s)
        )$f$, cid, dims);
    EXECUTE format('CREATE INDEX keel_pgv_chunks_%1$s_doc ON keel_pgv_chunks_%1$s (document_id)', cid);
    EXECUTE format('CREATE INDEX keel_pgv_chunks_%1$s_tenant ON keel_pgv_chunks_%1$s (tenant)', cid);
    EXECUTE format('CREATE INDEX keel_pgv_chunks_%1$s_source ON keel_pgv_chunks_%1$s (source)', cid);
    EXECUTE format('CREATE INDEX keel_pgv_chunks_%1$s_media ON keel_pgv_chunks_%1$s (media_type)', cid);
    EXECUTE format('CREATE INDEX keel_pgv_chunks_%1$s_acl ON keel_pgv_chunks_%1$s USING gin (acl)', cid);
    EXECUTE format('CREATE INDEX keel_pgv_chunks_%1$s_meta ON keel_pgv_chunks_%1$s USING gin (meta)', cid);
    EXECUTE format('CREATE INDEX keel_pgv_chunks_%1$s_body ON keel_pgv_chunks_%1$s USING gin (body)', cid);
    PERFORM keel_pgv_create_hnsw(cid, m, ef_construction);
END $$;

-- (Re)creates the HNSW index of collection `cid` (cosine distance).
CREATE FUNCTION keel_pgv_create_hnsw(cid integer, m integer, ef_construction integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DROP INDEX IF EXISTS keel_pgv_chunks_%1$s_hnsw', cid);
    EXECUTE format('CREATE INDEX keel_pgv_chunks_%1$s_hnsw ON keel_pgv_chunks_%1$s USING hnsw (embedding vector_cosine_ops) '
                   'WITH (m = %2$s, ef_construction = %3$s)', cid, m, ef_construction);
END $$;
