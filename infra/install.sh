#!/usr/bin/env bash
# Installs what the local stack needs, from package registries only, cached under .local/.
# Idempotent: each step is skipped when its result is already there and up to date.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
cd "$ROOT"
mkdir -p "$LOCAL/bin" "$LOCAL/kafka" "$LOCAL/logs" "$LOCAL/run"

say() { printf 'install: %s\n' "$*"; }

# Python virtualenv with the project (editable) and its dev tools.
venv_stamp="$LOCAL/venv.installed"
if [[ -x "$ROOT/.venv/bin/python" && -f "$venv_stamp" && "$venv_stamp" -nt "$ROOT/pyproject.toml" ]]; then
  say "python venv up to date"
else
  say "python venv: pip install -e '.[dev]'"
  [[ -x "$ROOT/.venv/bin/python" ]] || python3.11 -m venv "$ROOT/.venv" || python3 -m venv "$ROOT/.venv"
  "$ROOT/.venv/bin/pip" install -q --disable-pip-version-check -e '.[dev]' >"$LOCAL/logs/pip.log" 2>&1 || {
    tail -n 30 "$LOCAL/logs/pip.log" >&2
    exit 1
  }
  touch "$venv_stamp"
fi

# Apache Kafka broker jars from Maven Central.
kafka_libs="$LOCAL/kafka/libs"
if compgen -G "$kafka_libs/kafka_2.13-*.jar" >/dev/null; then
  say "kafka jars present"
else
  say "kafka jars: mvn dependency:copy-dependencies"
  rm -rf "$kafka_libs.tmp"
  mvn -q -B -Dstyle.color=never -f "$ROOT/infra/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$kafka_libs.tmp" -DincludeScope=runtime >"$LOCAL/logs/mvn.log" 2>&1 || {
    tail -n 30 "$LOCAL/logs/mvn.log" >&2
    exit 1
  }
  mv "$kafka_libs.tmp" "$kafka_libs"
fi

# FerretDB (MongoDB wire protocol over PostgreSQL), built from the Go module proxy.
ferretdb_bin="$LOCAL/bin/ferretdb"
ferretdb_stale=0
if [[ -x "$ferretdb_bin" ]]; then
  for src in "$ROOT"/infra/ferretdb/*; do
    [[ "$src" -nt "$ferretdb_bin" ]] && ferretdb_stale=1
  done
else
  ferretdb_stale=1
fi
if (( ferretdb_stale )); then
  say "ferretdb: go build"
  (cd "$ROOT/infra/ferretdb" && go build -o "$ferretdb_bin.tmp" . && mv "$ferretdb_bin.tmp" "$ferretdb_bin")
else
  say "ferretdb binary up to date"
fi

# PostgreSQL server binaries (FerretDB's storage), from Debian, only when missing.
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  say "postgresql present"
else
  say "postgresql: apt-get install postgresql"
  if [[ $(id -u) -eq 0 ]]; then SUDO=(); else SUDO=(sudo); fi
  "${SUDO[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q postgresql
fi
