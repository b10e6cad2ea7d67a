#!/usr/bin/env bash
# SciFact on pgvector beside Lucene, in one run: ingests SciFact into Lucene (keel bench beir), copies the collection
# into pgvector without re-embedding (keel migrate-index), then measures quality and latency on pgvector and again on
# Lucene (--reuse), so the latency ratio compares runs made minutes apart on the same machine.
#   bench/pgvector/run.sh [DATASET] [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
DATASET="${1:-../shared/datasets/scifact}"
DATA="${2:-keel-data/bench-scifact-pgvector}"
CONFIG=bench/pgvector/keel-pgvector.yaml
DB=keel_bench

psql -h 127.0.0.1 -U postgres -qAt -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
./keel bench beir --dataset "$DATASET" --data "$DATA" | tee "$DATA.lucene-ingest.txt"
./keel migrate-index --config "$CONFIG" --data "$DATA" --from lucene --to pgvector --collection beir
# What autovacuum does shortly after a bulk load: table statistics and the visibility map (index-only postings scans).
psql -h 127.0.0.1 -U postgres -d $DB -qAt -c "VACUUM ANALYZE"
for round in 1 2 3; do
  ./keel bench beir --config "$CONFIG" --dataset "$DATASET" --data "$DATA" --reuse | tee "$DATA.pgvector-$round.txt"
  ./keel bench beir --dataset "$DATASET" --data "$DATA" --reuse | tee "$DATA.lucene-$round.txt"
done
