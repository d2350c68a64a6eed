#!/usr/bin/env bash
# The local stack without Docker: PostgreSQL <- FerretDB (MongoDB wire protocol), Apache Kafka (KRaft),
# the project's topics, then the five services. Everything lives under .local/ (git-ignored).
#
#   infra/stack.sh up       install if needed, start what is not running, create topics, start services
#   infra/stack.sh down     stop everything this script started (services first, PostgreSQL last)
#   infra/stack.sh status   one line per component
#   infra/stack.sh indexes  GIN twins of FerretDB's indexes, now and for every index it creates later (infra.md)
#   infra/stack.sh reset    down, then delete the data (keeps the downloaded jars and binaries)
#
# Knobs: PG_PORT (55432), FERRETDB_PORT (27017), KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093),
# FERRETDB_PG_CONNS (120), STACK_SERVICES (1; 0 = servers and topics only), SERVICES_READY_TIMEOUT (120 s), METRICS_BASE_PORT (9100),
# PG_FSYNC (off: safe against killed processes, not against a crashed machine; fine for tests).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
RUN="$LOCAL/run"
LOGS="$LOCAL/logs"
PGDATA="$LOCAL/pg"
KAFKA_HOME="$LOCAL/kafka"
PY="$ROOT/.venv/bin/python"

PG_PORT="${PG_PORT:-55432}"
FERRETDB_PORT="${FERRETDB_PORT:-27017}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
STACK_SERVICES="${STACK_SERVICES:-1}"
SERVICES_READY_TIMEOUT="${SERVICES_READY_TIMEOUT:-120}"
METRICS_BASE_PORT="${METRICS_BASE_PORT:-9100}" # services expose Prometheus metrics on 9101..9105
PG_FSYNC="${PG_FSYNC:-off}"
# FerretDB's pool of PostgreSQL connections (its default is 50; PostgreSQL allows 200 here). FerretDB
# 1.x holds one per update statement of a command until the command ends (see shared/store/documents.py).
FERRETDB_PG_CONNS="${FERRETDB_PG_CONNS:-120}"
SERVICES=(intake periods children billing closing)

# What the services and tools connect to, unless the caller points them elsewhere.
export KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$KAFKA_PORT}"
export MONGODB_URL="${MONGODB_URL:-mongodb://127.0.0.1:$FERRETDB_PORT/}"

say() { printf 'stack: %s\n' "$*"; }

fail() { # fail MESSAGE [LOG]: print the message (and the log's tail) and stop
  printf 'stack: error: %s\n' "$1" >&2
  if [[ -n "${2:-}" && -f "$2" ]]; then
    printf -- '--- last lines of %s ---\n' "$2" >&2
    tail -n 40 "$2" >&2
  fi
  exit 1
}

# ---------------------------------------------------------------- processes

marker_of() { # a string the component's command line contains; guards against a recycled pid
  case "$1" in
    postgres) echo "postgres -D $PGDATA" ;;
    ferretdb) echo "$LOCAL/bin/ferretdb" ;;
    kafka) echo "kafka.Kafka" ;;
    *) echo "services.$1" ;;
  esac
}

alive() { # alive PID: the process exists and is not a zombie
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z ]]
}

pid_of() { # pid_of NAME: prints the pid when the component is running
  local file="$RUN/$1.pid" pid
  [[ -f "$file" ]] || return 1
  pid="$(<"$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(marker_of "$1")" || return 1
  echo "$pid"
}

start_bg() { # start_bg NAME COMMAND...: detached from this shell and terminal, output to its log
  local name="$1"
  shift
  printf -- '--- %s: infra/stack.sh starts %s\n' "$(date '+%F %T')" "$name" >>"$LOGS/$name.log"
  setsid "$@" </dev/null >>"$LOGS/$name.log" 2>&1 &
  local pid=$! deadline=$((SECONDS + 10))
  echo "$pid" >"$RUN/$name.pid"
  # Until the forked shell has exec'd the command, /proc shows this script's command line, which
  # pid_of takes for a recycled pid ("exited during startup"): wait for the exec, or the exit.
  while alive "$pid" && ! pid_of "$name" >/dev/null && ((SECONDS < deadline)); do sleep 0.05; done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # wait_port NAME PORT TIMEOUT_S
  local name="$1" port="$2" deadline=$((SECONDS + $3))
  until port_open "$port"; do
    pid_of "$name" >/dev/null || fail "$name exited during startup" "$LOGS/$name.log"
    ((SECONDS < deadline)) || fail "$name did not open port $port within $3 s" "$LOGS/$name.log"
    sleep 0.2
  done
}

ensure_port_free() { # ensure_port_free NAME PORT: refuse to start next to a foreign server
  port_open "$2" && fail "port $2 (for $1) is in use by a process this stack did not start"
  return 0
}

stop() { # stop NAME SIGNAL TIMEOUT_S: polite signal, wait, then SIGKILL
  local name="$1" signal="$2" deadline pid
  if pid="$(pid_of "$name")"; then
    kill "-$signal" "$pid" 2>/dev/null || true
    deadline=$((SECONDS + $3))
    while alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
    if alive "$pid"; then
      say "$name (pid $pid) ignored SIG$signal for $3 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      while alive "$pid"; do sleep 0.1; done
    fi
    say "stopped $name (pid $pid)"
    STOPPED_PIDS+=("$pid")
  fi
  rm -f "$RUN/$name.pid" "$RUN/$name.ready"
}

# ---------------------------------------------------------------- PostgreSQL (FerretDB's storage)

pg_bin() { find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1; }

as_pg_user() { # PostgreSQL refuses to run as root
  if [[ $(id -u) -eq 0 ]]; then
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  else
    "$@"
  fi
}

psql_local() { "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }

write_postgres_conf() { # settings that follow the environment; postgresql.conf includes this file
  cat >"$PGDATA/stack.conf" <<EOF
# Generated by infra/stack.sh on each start.
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
fsync = $PG_FSYNC
# FerretDB runs prepared statements "WHERE _jsonb->\$1 @> \$2"; only a custom plan (parameters
# folded in) can match a GIN index such as (_jsonb->'_id'). Without this, a statement that ran 5 times
# before the index existed keeps its generic sequential-scan plan (measured: 16 ms vs 1.5 ms).
plan_cache_mode = force_custom_plan
EOF
}

start_postgres() {
  local bin
  bin="$(pg_bin)"
  [[ -n "$bin" ]] || fail "no PostgreSQL under /usr/lib/postgresql; run infra/install.sh"
  if pid_of postgres >/dev/null; then say "postgres already running"; return; fi
  ensure_port_free postgres "$PG_PORT"
  if [[ ! -f "$PGDATA/PG_VERSION" ]]; then
    say "postgres: initdb $PGDATA"
    if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
      useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
    fi
    rm -rf "$PGDATA"
    mkdir -p "$PGDATA"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    as_pg_user "$bin/initdb" -D "$PGDATA" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync \
      >>"$LOGS/postgres.log" 2>&1 || fail "initdb failed" "$LOGS/postgres.log"
    echo "include_if_exists = 'stack.conf'" >>"$PGDATA/postgresql.conf"
  fi
  write_postgres_conf
  say "postgres: starting on 127.0.0.1:$PG_PORT"
  local cmd=("$bin/postgres" -D "$PGDATA")
  if [[ $(id -u) -eq 0 ]]; then
    cmd=(setpriv --reuid=postgres --regid=postgres --init-groups -- "${cmd[@]}")
  fi
  start_bg postgres "${cmd[@]}"
  wait_port postgres "$PG_PORT" 60
  # The port opens before recovery ends; wait until a query answers.
  local deadline=$((SECONDS + 60))
  until psql_local -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "postgres does not answer queries" "$LOGS/postgres.log"
    sleep 0.2
  done
  if [[ -z "$(psql_local -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'ferretdb'")" ]]; then
    psql_local -d postgres -c 'CREATE DATABASE ferretdb'
  fi
}

# ---------------------------------------------------------------- FerretDB (MongoDB wire protocol)

start_ferretdb() {
  if pid_of ferretdb >/dev/null; then say "ferretdb already running"; return; fi
  ensure_port_free ferretdb "$FERRETDB_PORT"
  say "ferretdb: starting on 127.0.0.1:$FERRETDB_PORT"
  start_bg ferretdb "$LOCAL/bin/ferretdb" -listen-addr "127.0.0.1:$FERRETDB_PORT" \
    -postgresql-url "postgres://postgres@127.0.0.1:$PG_PORT/ferretdb?pool_max_conns=$FERRETDB_PG_CONNS"
  wait_port ferretdb "$FERRETDB_PORT" 30
}

# ---------------------------------------------------------------- Apache Kafka (KRaft, one node)

KAFKA_JAVA=(java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
  -Dlog4j.configuration="file:$ROOT/infra/kafka/log4j.properties" -Dkafka.logs.dir="$LOGS"
  -cp "$KAFKA_HOME/libs/*")

write_kafka_properties() {
  cat >"$KAFKA_HOME/server.properties" <<EOF
# Generated by infra/stack.sh; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_HOME/data
num.partitions=6
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
}

start_kafka() {
  if pid_of kafka >/dev/null; then say "kafka already running"; return; fi
  ensure_port_free kafka "$KAFKA_PORT"
  ensure_port_free kafka-controller "$KAFKA_CONTROLLER_PORT"
  write_kafka_properties
  if [[ ! -f "$KAFKA_HOME/data/meta.properties" ]]; then
    say "kafka: formatting $KAFKA_HOME/data"
    local cluster_id
    cluster_id="$("${KAFKA_JAVA[@]}" kafka.tools.StorageTool random-uuid 2>>"$LOGS/kafka.log")"
    "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_HOME/server.properties" \
      >>"$LOGS/kafka.log" 2>&1 || fail "kafka storage format failed" "$LOGS/kafka.log"
  fi
  say "kafka: starting on 127.0.0.1:$KAFKA_PORT"
  start_bg kafka "${KAFKA_JAVA[@]}" kafka.Kafka "$KAFKA_HOME/server.properties"
  wait_port kafka "$KAFKA_PORT" 90
}

# ---------------------------------------------------------------- topics, services, indexes

create_topics() {
  say "topics: creating missing topics"
  "$PY" -m shared.messaging.topic_admin >>"$LOGS/topic_admin.log" 2>&1 \
    || fail "topic creation failed" "$LOGS/topic_admin.log"
}

start_services() {
  local name pid port="$METRICS_BASE_PORT"
  for name in "${SERVICES[@]}"; do
    port=$((port + 1))
    if pid_of "$name" >/dev/null; then continue; fi
    rm -f "$RUN/$name.ready"
    READY_FILE="$RUN/$name.ready" METRICS_PORT="$port" start_bg "$name" "$PY" -m "services.$name"
  done
  say "services: waiting for ${SERVICES[*]} (up to $SERVICES_READY_TIMEOUT s)"
  local deadline=$((SECONDS + SERVICES_READY_TIMEOUT)) waiting
  while true; do
    waiting=()
    for name in "${SERVICES[@]}"; do
      pid="$(pid_of "$name")" || fail "service $name exited during startup" "$LOGS/$name.log"
      [[ -f "$RUN/$name.ready" ]] || waiting+=("$name")
    done
    ((${#waiting[@]} == 0)) && break
    ((SECONDS < deadline)) || fail "not ready after $SERVICES_READY_TIMEOUT s: ${waiting[*]}" \
      "$LOGS/${waiting[0]}.log"
    sleep 0.3
  done
}

add_gin_twins() {
  psql_local -d ferretdb -f "$ROOT/infra/pg_gin_indexes.sql" >>"$LOGS/postgres.log" 2>&1 \
    || fail "creating the GIN index twins failed" "$LOGS/postgres.log"
}

# ---------------------------------------------------------------- commands

cmd_up() {
  local started=$SECONDS
  "$ROOT/infra/install.sh"
  mkdir -p "$RUN" "$LOGS" "$KAFKA_HOME"
  start_postgres
  start_ferretdb
  start_kafka
  create_topics
  if [[ "$STACK_SERVICES" != 0 ]]; then start_services; fi
  add_gin_twins
  say "up in $((SECONDS - started)) s (kafka $KAFKA_BOOTSTRAP_SERVERS, mongodb $MONGODB_URL)"
}

STOPPED_PIDS=()

cmd_down() {
  local name pid deadline
  for name in "${SERVICES[@]}"; do stop "$name" TERM 15; done
  stop kafka TERM 30
  stop ferretdb TERM 10
  stop postgres INT 30 # SIGINT = fast shutdown: does not wait for clients to disconnect
  deadline=$((SECONDS + 5))
  # Our servers' parent is PID 1 once `up` has exited; where PID 1 reaps lazily (some sandboxes),
  # give it a moment so that `ps` no longer lists them as <defunct>.
  for pid in "${STOPPED_PIDS[@]}"; do
    while [[ -e /proc/$pid ]] && ((SECONDS < deadline)); do sleep 0.2; done
  done
}

cmd_status() {
  local name pid port ready metrics="$METRICS_BASE_PORT"
  for name in postgres ferretdb kafka "${SERVICES[@]}"; do
    ready=""
    case "$name" in
      postgres) port="$PG_PORT" ;;
      ferretdb) port="$FERRETDB_PORT" ;;
      kafka) port="$KAFKA_PORT" ;;
      *) # a service: its Prometheus port (as start_services numbers them), ready once it consumes
        metrics=$((metrics + 1))
        port="$metrics (metrics)"
        if [[ -f "$RUN/$name.ready" ]]; then ready=" ready"; else ready=" starting"; fi ;;
    esac
    if pid="$(pid_of "$name")"; then
      printf '%-9s running  pid %-7s port %s%s\n' "$name" "$pid" "$port" "$ready"
    else
      printf '%-9s stopped  pid %-7s port %s\n' "$name" - "${port% (metrics)}"
    fi
  done
}

cmd_reset() {
  cmd_down
  say "deleting $PGDATA $KAFKA_HOME/data $LOGS $RUN"
  rm -rf "$PGDATA" "$KAFKA_HOME/data" "$KAFKA_HOME/server.properties" "$LOGS" "$RUN"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  indexes) add_gin_twins ;;
  reset) cmd_reset ;;
  *)
    echo "usage: $0 up|down|status|indexes|reset" >&2
    exit 2
    ;;
esac
