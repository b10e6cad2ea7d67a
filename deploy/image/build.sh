#!/usr/bin/env bash
# Builds Keel's container image without a container registry: a Debian root filesystem made by mmdebstrap from
# Debian's archive (the Java runtime is Debian's openjdk-21-jre-headless, from trixie: bookworm has Java 17 only), plus
# Keel's jars from this checkout, committed by buildah. Runs as root (or in a user namespace that can mount).
#
#   deploy/image/build.sh                    # builds keel:<version> into the local container storage
#   IMAGE=registry.example.com/keel:0.1.0 deploy/image/build.sh
#   OCI_ARCHIVE=target/keel.oci.tar deploy/image/build.sh   # also writes an archive for `podman load` / a registry push
#
# Needs: mmdebstrap, buildah (Debian packages), a JDK 21+ for Maven (JAVA_HOME). The image lands in the storage that
# podman shares with buildah (/etc/containers/storage.conf). Environment:
#   SUITE (trixie), MIRROR (http://deb.debian.org/debian),
#   FORMAT (docker: keeps the HEALTHCHECK, which the OCI image format has no field for; or oci), SKIP_MAVEN=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

VERSION="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)"
IMAGE="${IMAGE:-keel:${VERSION%-SNAPSHOT}}"
SUITE="${SUITE:-trixie}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
FORMAT="${FORMAT:-docker}"
export BUILDAH_FORMAT="$FORMAT"           # the working container's format too: docker keeps HEALTHCHECK
WORK="$ROOT/target/image"
KEEL_UID=10001

for tool in mmdebstrap buildah; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing: apt-get install $tool" >&2; exit 2; }
done
rm -rf "$WORK" && mkdir -p "$WORK/opt/keel/lib" "$WORK/opt/keel/bin"

# 1. Keel's distribution: the CLI jar and its runtime class path, as the ./keel launcher builds them.
if [[ "${SKIP_MAVEN:-}" != 1 ]]; then
  echo "build.sh: building Keel (mvnw package, tests skipped)" >&2
  ./mvnw -q -B -DskipTests -pl server/keel-cli -am package
fi
CLASSPATH_FILE="server/keel-cli/target/keel.classpath"
[[ -f "$CLASSPATH_FILE" ]] || { echo "build.sh: $CLASSPATH_FILE missing: build Keel first" >&2; exit 2; }
cp server/keel-cli/target/keel-cli-*.jar "$WORK/opt/keel/lib/"
tr ':' '\n' < "$CLASSPATH_FILE" | while read -r jar || [[ -n "$jar" ]]; do   # the last entry has no newline
  [[ -z "$jar" ]] && continue
  name="$(basename "$jar")"
  if [[ -e "$WORK/opt/keel/lib/$name" ]]; then
    echo "build.sh: two jars named $name on the class path" >&2; exit 1
  fi
  cp "$jar" "$WORK/opt/keel/lib/$name"
done
install -m 0755 deploy/image/keel-launcher.sh "$WORK/opt/keel/bin/keel"
install -m 0755 deploy/image/healthcheck.sh "$WORK/opt/keel/bin/healthcheck"
echo "build.sh: $(ls "$WORK/opt/keel/lib" | wc -l) jars, $(du -sh "$WORK/opt/keel/lib" | cut -f1)" >&2

# 2. The root filesystem: Debian's essential set plus the Java runtime; no apt, no documentation, no caches.
#    (man1 must exist although man pages are left out: openjdk's postinst links java.1.gz there with update-alternatives.)
#    Reproducible given the archive's state: SOURCE_DATE_EPOCH pins file times (set it to the archive's snapshot date).
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
echo "build.sh: mmdebstrap $SUITE (openjdk-21-jre-headless)" >&2
mmdebstrap --variant=essential --mode=root \
  --include=openjdk-21-jre-headless,ca-certificates \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook='cp -a "'"$WORK"'/opt/keel" "$1/opt/keel"' \
  --customize-hook='ln -s /opt/keel/bin/keel "$1/usr/local/bin/keel"' \
  --customize-hook="echo 'keel:x:$KEEL_UID:$KEEL_UID:Keel:/var/lib/keel:/usr/sbin/nologin' >> \"\$1/etc/passwd\"" \
  --customize-hook="echo 'keel:x:$KEEL_UID:' >> \"\$1/etc/group\"" \
  --customize-hook="mkdir -p \"\$1/var/lib/keel\" && chown $KEEL_UID:$KEEL_UID \"\$1/var/lib/keel\"" \
  --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/* "$1"/usr/share/doc-base' \
  "$SUITE" "$WORK/rootfs.tar" "$MIRROR"

# 3. The image: one layer from the root filesystem, then the runtime settings.
echo "build.sh: buildah commit $IMAGE ($FORMAT)" >&2
ctr="$(buildah from scratch)"
trap 'buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT
buildah add --quiet "$ctr" "$WORK/rootfs.tar" /
buildah config \
  --user "$KEEL_UID:$KEEL_UID" \
  --workingdir /var/lib/keel \
  --volume /var/lib/keel \
  --port 8080 \
  --env KEEL_DATA_DIR=/var/lib/keel \
  --env KEEL_SERVER_HOST=0.0.0.0 \
  --env KEEL_SERVER_PORT=8080 \
  --env KEEL_AUTH_ENABLED=true \
  --entrypoint '["/opt/keel/bin/keel"]' \
  --cmd '["serve"]' \
  --stop-signal SIGTERM \
  --healthcheck 'CMD /opt/keel/bin/healthcheck' --healthcheck-interval 10s --healthcheck-timeout 5s \
  --healthcheck-start-period 60s --healthcheck-retries 3 \
  --label org.opencontainers.image.title=keel \
  --label org.opencontainers.image.version="$VERSION" \
  --label org.opencontainers.image.source=deploy/image/build.sh \
  "$ctr"
buildah commit --quiet --format "$FORMAT" --timestamp "$SOURCE_DATE_EPOCH" --rm "$ctr" "$IMAGE" >/dev/null
trap - EXIT
if [[ -n "${OCI_ARCHIVE:-}" ]]; then
  buildah push --quiet "$IMAGE" "oci-archive:$OCI_ARCHIVE:$IMAGE"
fi
echo "build.sh: built $IMAGE" >&2
buildah images --format '{{.Name}}:{{.Tag}} {{.Size}}' "$IMAGE" >&2
