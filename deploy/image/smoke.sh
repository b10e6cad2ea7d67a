#!/usr/bin/env bash
# Smoke test of Keel's image with podman: an admin key made by `keel keys create` in a throw-away container, then the
# server with a read-only root filesystem and a data volume; waits for /health/ready (start-up time), pushes a
# document, asks a question about it, runs the image's health check, stops it with SIGTERM (graceful drain, exit 0).
#   deploy/image/smoke.sh            # IMAGE=keel:0.1.0 PORT=18080
# Uses the host network: works where podman cannot set up networks of its own; the server listens on 127.0.0.1:$PORT
# only (KEEL_SERVER_HOST, KEEL_SERVER_PORT). PODMAN_OPTS adds options to every `podman run`, for sandboxes that need
# them, e.g. PODMAN_OPTS='--runtime runc --ulimit nofile=16384:16384 --ulimit nproc=8192:8192' where crun refuses a
# cgroup v1 hybrid layout and the default rlimits exceed the hard limits.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSION="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$ROOT/pom.xml" | head -1)"
IMAGE="${IMAGE:-keel:${VERSION%-SNAPSHOT}}"
PORT="${PORT:-18080}"
NAME="keel-smoke-$$"
VOLUME="keel-smoke-data-$$"
# shellcheck disable=SC2206
RUN=(podman run ${PODMAN_OPTS:-} --network host -e KEEL_SERVER_HOST=127.0.0.1 -e KEEL_SERVER_PORT="$PORT" -v "$VOLUME:/var/lib/keel")

fail() { echo "smoke: FAILED: $*" >&2; podman logs "$NAME" 2>&1 | tail -40 >&2 || true; exit 1; }
cleanup() { podman rm -f "$NAME" >/dev/null 2>&1 || true; podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true; }
trap cleanup EXIT

podman image exists "$IMAGE" || fail "no image $IMAGE: run deploy/image/build.sh"
echo "smoke: image $IMAGE, $(podman image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"
podman volume create "$VOLUME" >/dev/null

# 1. The first API key, with the image's own keel command (auth is on in the image).
KEY="$("${RUN[@]}" --rm --no-healthcheck --read-only --tmpfs /tmp:rw,size=512m "$IMAGE" keys create --role admin --name smoke 2>/dev/null | tail -1)"
[[ "$KEY" == keel_live_* ]] || fail "keel keys create printed no key: '$KEY'"

# 2. The server, as production runs it: non-root, read-only root filesystem, data on the volume.
start=$(date +%s.%N)
"${RUN[@]}" -d --name "$NAME" --read-only --tmpfs /tmp:rw,size=512m "$IMAGE" >/dev/null
[[ "$(podman inspect --format '{{.Config.User}}' "$NAME")" == 10001:10001 ]] || fail "the container does not run as 10001"
for _ in $(seq 1 240); do
  code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health/ready" || true)"
  [[ "$code" == 200 ]] && break
  podman container exists "$NAME" && [[ "$(podman inspect --format '{{.State.Running}}' "$NAME")" == true ]] || fail "the server exited"
  sleep 0.25
done
[[ "$code" == 200 ]] && echo "smoke: /health/ready 200 after $(echo "$(date +%s.%N) - $start" | bc | xargs printf '%.1f') s" || fail "not ready within 60 s"

# 3. Without a key: 401. With it: push a document, then ask about it.
code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v1/query" -H 'Content-Type: application/json' -d '{"question":"x"}')"
[[ "$code" == 401 ]] || fail "a query without a key answered $code, not 401"
AUTH=(-H "Authorization: Bearer $KEY")
curl -sf "${AUTH[@]}" "http://127.0.0.1:$PORT/v1/documents?collection=handbook" -H 'Content-Type: application/json' -d '
  {"op":"upsert","id":"handbook/travel","version":1,"media_type":"text/markdown",
   "content":"# Travel\n\nEconomy class is booked for flights under six hours. Hotels are booked through the travel desk."}' \
  | grep -q '"accepted"' || fail "the document push was not accepted"
answer=""
for _ in $(seq 1 40); do
  answer="$(curl -s "${AUTH[@]}" "http://127.0.0.1:$PORT/v1/query" -H 'Content-Type: application/json' \
    -d '{"question":"Which class is booked for short flights?","collection":"handbook"}')"
  [[ "$answer" == *handbook/travel* ]] && break
  sleep 0.25
done
[[ "$answer" == *handbook/travel* && "$answer" == *conomy* ]] || fail "the answer does not cite the document: $answer"
echo "smoke: query answered from the pushed document"

# 4. The image's health check, as podman runs it.
podman healthcheck run "$NAME" >/dev/null || fail "the image's health check failed"
echo "smoke: health check passes"
podman exec "$NAME" sh -c 'touch /opt/keel/x' 2>/dev/null && fail "the root filesystem is writable"

# 5. SIGTERM: graceful drain, commit, exit 0.
podman stop --time 60 "$NAME" >/dev/null
exit_code="$(podman inspect --format '{{.State.ExitCode}}' "$NAME")"
podman logs "$NAME" 2>&1 | grep -q 'keel: stopped: every in-flight request finished' || fail "no graceful stop in the log"
[[ "$exit_code" == 0 ]] || fail "exit code $exit_code after SIGTERM"
echo "smoke: SIGTERM drained and exited 0"
echo "smoke: passed"
