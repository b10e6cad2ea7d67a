#!/usr/bin/env bash
# Streaming freshness with a remote embedder pool on two Keel instances sharing one topic and one pgvector index,
# beside the single-instance local-ONNX (Lucene) baseline and a single instance with the remote pool on Lucene (the
# pool's effect alone), alternating in one run; prints the medians and ratios.
#   bench/streaming/pool.sh [ROUNDS] [HIGH_RATE]      (defaults: 3 rounds; 100 events/s for the ceiling row)
# Needs PostgreSQL with pgvector at 127.0.0.1:5432 (user postgres). Extra StreamingBench options: POOL_ARGS="...".
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"
HIGH="${2:-100}"
OUT="${OUT:-${TMPDIR:-/tmp}/keel-bench-streaming-pool}"
POOL_ARGS="${POOL_ARGS:-}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mkdir -p "$OUT"
./mvnw -q -B -o -pl bench/streaming -am test-compile dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt"
CP="bench/streaming/target/classes:$(cat "$OUT/classpath.txt")"
run() { "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$CP" io.keel.bench.streaming.StreamingBench "$@" 2>&1; }
nproc; lscpu | grep -E 'Model name|^CPU\(s\)'
COMMON=(--seconds 20 --warmup 5)
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r: $(uptime)"
  run --rate 50 "${COMMON[@]}" | tee "$OUT/baseline-50-$r.txt"
  # shellcheck disable=SC2086
  run --rate 50 "${COMMON[@]}" --remote 4 $POOL_ARGS | tee "$OUT/remote-lucene-50-$r.txt"
  # shellcheck disable=SC2086
  run --rate 50 "${COMMON[@]}" --remote 4 --instances 2 $POOL_ARGS | tee "$OUT/pool-50-$r.txt"
  # shellcheck disable=SC2086
  run --rate "$HIGH" "${COMMON[@]}" --remote 4 --instances 2 $POOL_ARGS | tee "$OUT/pool-$HIGH-$r.txt"
done
echo "== after: $(uptime)"
python3 - "$OUT" "$HIGH" <<'PY'
import re, statistics, sys, glob, os
out, high = sys.argv[1], sys.argv[2]
def runs(prefix):
    rows = []
    for f in sorted(glob.glob(os.path.join(out, prefix + "-*.txt"))):
        t = open(f).read()
        m = re.search(r"freshness\s+p50 (\d+) ms\s+p95 (\d+) ms\s+p99 (\d+) ms\s+max (\d+) ms", t)
        a = re.search(r"applied while offered (\S+) events/s", t)
        if m and a and "exactly once" in t:
            rows.append([float(x) for x in m.groups()] + [float(a.group(1))])
    return rows
base = runs("baseline-50")
print("\nconfiguration                          runs  p50 ms  p95 ms  p99 ms  max ms  applied ev/s   p99 vs baseline")
for name, prefix in [("local ONNX, 1 instance, 50/s", "baseline-50"),
                     ("remote pool, 1 instance, Lucene, 50/s", "remote-lucene-50"), ("remote pool, 2 instances, 50/s", "pool-50"),
                     ("remote pool, 2 instances, %s/s" % high, "pool-" + high)]:
    rows = runs(prefix)
    if not rows:
        print(f"{name:38s}    0  (no complete run)"); continue
    med = [statistics.median(c) for c in zip(*rows)]
    ratio = f"{med[2] / statistics.median(r[2] for r in base):.2f}x" if base else "n/a"
    print(f"{name:38s} {len(rows):4d} {med[0]:7.0f} {med[1]:7.0f} {med[2]:7.0f} {med[3]:7.0f} {med[4]:13.1f}   {ratio}")
PY
