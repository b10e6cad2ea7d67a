#!/usr/bin/env bash
# Dense recall@10 and latency of pgvector beside Lucene on a synthetic collection (default 200,000 chunks of 384
# dimensions), single client, one run: loads both stores through the index SPI, then sweeps the candidate count and
# runs a 1 % tenant filter (io.keel.bench.index.RecallBench). Not part of CI: the load takes many minutes.
#   bench/pgvector/recall.sh [--chunks 200000] [--dims 384] [--queries 200] [--candidates 10,20,40,100,200] [--reuse]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
DB=keel_recall
if [[ " $* " != *" --reuse "* ]]; then
  psql -h 127.0.0.1 -U postgres -qAt -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  rm -rf keel-data/bench-recall
fi
./mvnw -q -B -o -pl bench/index -am package -DskipTests
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -XX:+IgnoreUnrecognizedVMOptions \
  -Xmx3g -cp "bench/index/target/classes:$(cat bench/index/target/bench.classpath)" io.keel.bench.index.RecallBench \
  --pg-url "jdbc:postgresql://127.0.0.1:5432/$DB" --data keel-data/bench-recall "$@"
