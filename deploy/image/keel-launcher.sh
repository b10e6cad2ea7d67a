#!/bin/bash
# The keel command inside the image: Keel's jars under /opt/keel/lib, Debian's Java runtime.
#   keel serve | keel keys create --role admin | keel ingest DIR | ...
set -euo pipefail
# Native libraries (ONNX Runtime, the tokenizer) are unpacked under /tmp: the root filesystem is read-only.
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-/tmp/djl}"
exec /usr/bin/java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  -XX:+IgnoreUnrecognizedVMOptions -Xss2m -XX:+UseContainerSupport -Djava.io.tmpdir=/tmp -Duser.home=/tmp \
  ${KEEL_JAVA_OPTS:-} -cp '/opt/keel/lib/*' io.keel.cli.KeelCli "$@"
