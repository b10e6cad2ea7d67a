#!/usr/bin/env bash
# Builds and installs the pgvector extension for the local PostgreSQL from Debian's source package.
# pgvector is not packaged for Debian 12 (bookworm), so the source comes from Debian 13 (trixie).
# Idempotent: does nothing when the extension is already installed for this server version.
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)}"
if [[ -z "$PG_MAJOR" ]]; then
  echo "install-pgvector: no PostgreSQL cluster found under /etc/postgresql" >&2
  exit 1
fi
SHAREDIR="$(/usr/lib/postgresql/$PG_MAJOR/bin/pg_config --sharedir 2>/dev/null || echo /usr/share/postgresql/$PG_MAJOR)"
# Iterative index scans (hnsw.iterative_scan), which filtered searches of the pgvector index rely on, need >= 0.8.
MIN_VERSION=0.8.0
installed_version() {
  grep default_version "$SHAREDIR/extension/vector.control" 2>/dev/null | cut -d"'" -f2
}
if [[ -f "$SHAREDIR/extension/vector.control" ]]; then
  if [[ "$(printf '%s\n%s\n' "$MIN_VERSION" "$(installed_version)" | sort -V | head -1)" == "$MIN_VERSION" ]]; then
    echo "install-pgvector: pgvector $(installed_version) already installed for PostgreSQL $PG_MAJOR"
    exit 0
  fi
  echo "install-pgvector: pgvector $(installed_version) is older than $MIN_VERSION; rebuilding" >&2
fi

export DEBIAN_FRONTEND=noninteractive
SRC_LIST=/etc/apt/sources.list.d/keel-trixie-src.list
if [[ ! -f "$SRC_LIST" ]]; then
  echo "deb-src http://deb.debian.org/debian trixie main" > "$SRC_LIST"
fi
apt-get update -qq
apt-get install -y -qq "postgresql-server-dev-$PG_MAJOR" build-essential dpkg-dev >/dev/null

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
apt-get source -qq --download-only pgvector >/dev/null
dpkg-source -x --skip-debianization pgvector_*.dsc src >/dev/null 2>&1 || dpkg-source -x pgvector_*.dsc src >/dev/null
cd src
make -s PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config" OPTFLAGS="" >/dev/null
make -s PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config" install >/dev/null
echo "install-pgvector: installed pgvector $(installed_version) for PostgreSQL $PG_MAJOR"
if [[ "$(printf '%s\n%s\n' "$MIN_VERSION" "$(installed_version)" | sort -V | head -1)" != "$MIN_VERSION" ]]; then
  echo "install-pgvector: the packaged pgvector $(installed_version) is older than $MIN_VERSION: filtered searches lose hits" >&2
  exit 1
fi
