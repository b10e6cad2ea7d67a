-- Postings for BM25: one row per (lexeme, chunk) of each collection, kept by triggers on the chunk table, so that a
-- text query reads the postings of its lexemes from one B-tree (an index-only scan) to count document frequencies and
-- score, instead of reading and matching the tsvector of every chunk holding a query word. Lexemes compare bytewise
-- (COLLATE "C"): only equality matters, and locale-aware comparison is several times slower.
CREATE FUNCTION keel_pgv_postings_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('INSERT INTO keel_pgv_terms_%1$s (lexeme, row_id, len) '
                   'SELECT DISTINCT l, n.row_id, length(n.body) FROM keel_pgv_new_chunks n, unnest(tsvector_to_array(n.body)) AS l',
                   TG_ARGV[0]);
    RETURN NULL;
END $$;

CREATE FUNCTION keel_pgv_postings_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DELETE FROM keel_pgv_terms_%1$s WHERE row_id IN (SELECT row_id FROM keel_pgv_old_chunks)', TG_ARGV[0]);
    RETURN NULL;
END $$;

-- The postings table of collection `cid` and the triggers keeping it; fills it from the chunks already there.
CREATE FUNCTION keel_pgv_create_postings(cid integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($f$
        CREATE TABLE keel_pgv_terms_%1$s (
            lexeme text COLLATE "C" NOT NULL,
            row_id bigint NOT NULL,
            len    integer NOT NULL,
            PRIMARY KEY (lexeme, row_id) INCLUDE (len)
        )$f$, cid);
    EXECUTE format('CREATE INDEX keel_pgv_terms_%1$s_row ON keel_pgv_terms_%1$s (row_id)', cid);
    EXECUTE format('INSERT INTO keel_pgv_terms_%1$s (lexeme, row_id, len) SELECT DISTINCT l, c.row_id, length(c.body) '
                   'FROM keel_pgv_chunks_%1$s c, unnest(tsvector_to_array(c.body)) AS l', cid);
    EXECUTE format('CREATE TRIGGER keel_pgv_chunks_%1$s_terms_ins AFTER INSERT ON keel_pgv_chunks_%1$s '
                   'REFERENCING NEW TABLE AS keel_pgv_new_chunks FOR EACH STATEMENT '
                   'EXECUTE FUNCTION keel_pgv_postings_insert(%1$s)', cid);
    EXECUTE format('CREATE TRIGGER keel_pgv_chunks_%1$s_terms_del AFTER DELETE ON keel_pgv_chunks_%1$s '
                   'REFERENCING OLD TABLE AS keel_pgv_old_chunks FOR EACH STATEMENT '
                   'EXECUTE FUNCTION keel_pgv_postings_delete(%1$s)', cid);
    -- Text search reads the postings; the GIN index over body it used before would only slow writes.
    EXECUTE format('DROP INDEX IF EXISTS keel_pgv_chunks_%1$s_body', cid);
    EXECUTE format('ANALYZE keel_pgv_terms_%1$s', cid);
END $$;

-- New collections get their postings table with their chunk table.
CREATE OR REPLACE FUNCTION keel_pgv_create_collection(cid integer, dims integer, m integer, ef_construction integer)
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
    PERFORM keel_pgv_create_hnsw(cid, m, ef_construction);
    PERFORM keel_pgv_create_postings(cid);
END $$;

-- Collections made before postings existed get theirs now.
DO $$
DECLARE
    cid integer;
BEGIN
    FOR cid IN SELECT id FROM keel_pgv_collections ORDER BY id LOOP
        PERFORM keel_pgv_create_postings(cid);
    END LOOP;
END $$;
