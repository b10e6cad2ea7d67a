-- A released chunk was reviewed and put into the index (POST /v1/quarantine/{id}/release): it leaves the list, and
-- the ingestion screen lets the same text of the same document through from then on.
ALTER TABLE quarantine ADD COLUMN released_ms BIGINT;
ALTER TABLE quarantine ADD COLUMN released_by TEXT;
