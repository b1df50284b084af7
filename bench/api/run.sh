#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# API benchmark: Mortar's list and show routes against nginx serving the same bytes.
#
# Usage: bench/api/run.sh [path/to/mortar]        (default: build/src/app/mortar)
#
# What it does:
#   1. starts `mortar serve` on SQLite in a temporary directory (rate limit raised to
#      100000000 so the limiter never answers 429), creates an API key;
#   2. seeds 10,000 organizations through POST /api/organizations (curl, parallel,
#      keep-alive);
#   3. runs `wrk -t2 -c64 -d10s --latency` on GET /api/organizations?page[size]=100 and on
#      GET /api/organizations/:id (bench/api/auth.lua and show.lua send x-api-key and
#      cycle the ids);
#   4. saves the exact bytes of the list response and serves them with Debian's nginx
#      (foreground, temporary prefix, 127.0.0.1 on a free port, access_log off,
#      worker_processes 2, sendfile on, keep-alive) under the same wrk load;
#   5. repeats the list figure on PostgreSQL when MORTAR_BENCH_PG_DSN or
#      MORTAR_TEST_PG_DSN is set (a fresh database is created and dropped), or else
#      re-runs itself under scripts/with-postgres.sh when that script exists;
#   5b. repeats each list figure with the response cache off (MORTAR_NO_RESPONSE_CACHE=1),
#      so the cost of rendering a page from the store is visible too;
#   6. prints req/s and p99 for each run, the Mortar/nginx ratio and the targets, and
#      ends with one JSON line holding every figure.
#
# Environment (all optional):
#   MORTAR_BENCH_DURATION     wrk duration (default 10s)
#   MORTAR_BENCH_CONNECTIONS  wrk connections (default 64)
#   MORTAR_BENCH_THREADS      wrk threads (default 2)
#   MORTAR_BENCH_SEED         organizations to seed (default 10000)
#   MORTAR_BENCH_PG_DSN       libpq conninfo or URI of a PostgreSQL to use (superuser or CREATEDB)
#   MORTAR_BENCH_NO_PG=1      skip the PostgreSQL figure
#   MORTAR_BENCH_OUT          where results go (default bench/api/out)
#
# Needs: curl, wrk, nginx (nginx-light), and psql for PostgreSQL (scripts/deps.sh --test).
# Not a test: it measures and reports, it never fails on a slow figure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_DIR="$ROOT/bench/api"
BIN="${1:-$ROOT/build/src/app/mortar}"
[[ "$BIN" = /* ]] || BIN="$PWD/$BIN"
DURATION="${MORTAR_BENCH_DURATION:-10s}"
CONNS="${MORTAR_BENCH_CONNECTIONS:-64}"
THREADS="${MORTAR_BENCH_THREADS:-2}"
SEED="${MORTAR_BENCH_SEED:-10000}"
OUT="${MORTAR_BENCH_OUT:-$BENCH_DIR/out}"
PG_DSN="${MORTAR_BENCH_PG_DSN:-${MORTAR_TEST_PG_DSN:-}}"

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

PIDS=()
PG_DB=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$PG_DB" ]; then
    psql "$PG_DSN" -qAt -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$TMP"
}

# start_mortar NAME STORE-ARGS... : starts a server, sets PORT, KEY and SERVER_PID.
start_mortar() {
  local name="$1"; shift
  local dir="$TMP/$name"
  mkdir -p "$dir/data"
  "$BIN" migrate "$@" >/dev/null 2>>"$dir/admin.log" || die "mortar migrate failed: $(tail -5 "$dir/admin.log")"
  KEY="$("$BIN" admin create-api-key "$@" 2>>"$dir/admin.log")" || die "create-api-key failed: $(tail -5 "$dir/admin.log")"
  [[ "$KEY" == ITG.* ]] || die "create-api-key printed '$KEY'"
  local extra=()
  [[ " $* " == *" --db "* ]] && extra=(--data-dir "$dir/data")
  "$BIN" serve --listen 127.0.0.1:0 "$@" "${extra[@]}" --rate-limit 100000000 \
    >"$dir/stdout" 2>"$dir/server.log" &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  local line=""
  for _ in $(seq 1 300); do
    line="$(head -n1 "$dir/stdout" 2>/dev/null || true)"
    [[ "$line" == "mortar: listening on http://127.0.0.1:"* ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "mortar serve exited: $(tail -20 "$dir/server.log")"
    sleep 0.1
  done
  [[ "$line" == "mortar: listening on http://127.0.0.1:"* ]] || die "mortar serve did not start: $(tail -20 "$dir/server.log")"
  PORT="${line##*:}"
  log "$name: mortar on port $PORT"
}

stop_mortar() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}

# seed BASE KEY COUNT: POSTs COUNT organizations, parallel keep-alive curl.
seed() {
  local base="$1" key="$2" count="$3" cfg="$TMP/seed.cfg"
  : >"$cfg"
  awk -v n="$count" -v url="$base/api/organizations" -v key="$key" 'BEGIN {
    for (i = 1; i <= n; i++) {
      printf "url = \"%s\"\n", url
      printf "header = \"x-api-key: %s\"\n", key
      printf "header = \"Content-Type: application/vnd.api+json\"\n"
      printf "data = \"{\\\"data\\\":{\\\"type\\\":\\\"organizations\\\",\\\"attributes\\\":{" \
             "\\\"name\\\":\\\"Benchmark Organization %05d\\\",\\\"short-name\\\":\\\"bench%05d\\\"," \
             "\\\"description\\\":\\\"Seeded by bench/api/run.sh for the list and show figures.\\\"," \
             "\\\"quick-notes\\\":\\\"Front desk opens at 8. Ask for the office manager first.\\\"}}}\"\n", i, i
      printf "output = \"/dev/null\"\n"
      printf "write-out = \"%%{http_code}\\\\n\"\n"
      if (i < n) printf "next\n"
    }
  }' >"$cfg"
  local start end codes
  start=$(date +%s.%N)
  codes="$(curl -s --no-progress-meter --parallel --parallel-max 8 --config "$cfg" 2>"$TMP/seed.err")"
  end=$(date +%s.%N)
  local created
  created=$(grep -c '^201$' <<<"$codes" || true)
  SEED_SECONDS=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
  [ "$created" -eq "$count" ] || die "seeding: $created of $count creates answered 201 (others: $(grep -v '^201$' <<<"$codes" | sort | uniq -c | head -3 | tr '\n' ' '))"
  log "seeded $count organizations in ${SEED_SECONDS}s"
}

# total_count BASE KEY: meta.total-count of /api/organizations.
total_count() {
  curl -s -H "x-api-key: $2" "$1/api/organizations?page%5Bsize%5D=1" |
    grep -oE '"total-count" *: *[0-9]+' | grep -oE '[0-9]+$'
}

# collect_ids BASE KEY FILE: every organization id, one per line.
collect_ids() {
  local base="$1" key="$2" file="$3" page=1
  : >"$file"
  while :; do
    local body
    body="$(curl -s -H "x-api-key: $key" "$base/api/organizations?page%5Bsize%5D=1000&page%5Bnumber%5D=$page")"
    local ids
    ids="$(grep -oE '"id" *: *"[0-9]+" *, *"type" *: *"organizations"' <<<"$body" | grep -oE '[0-9]+' || true)"
    [ -n "$ids" ] || break
    echo "$ids" >>"$file"
    page=$((page + 1))
  done
  [ -s "$file" ] || die "could not read organization ids from the list"
}

# run_wrk LABEL URL SCRIPT: runs wrk, sets RPS, P99_MS, NON2XX and keeps the output.
run_wrk() {
  local label="$1" url="$2" script="$3" out="$OUT/wrk-$1.txt"
  log "wrk -t$THREADS -c$CONNS -d$DURATION --latency $url ($label)"
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$script" "$url" >"$out" 2>&1 || die "wrk failed: $(cat "$out")"
  RPS=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
  P99_MS=$(awk '$1 == "99%" {
      v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
      if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000
      printf "%.2f", v }' "$out")
  NON2XX=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
  NON2XX=${NON2XX:-0}
  local errors
  errors=$(grep -E '^ +Socket errors' "$out" || true)
  [ -z "$errors" ] || log "$label: $errors"
  [ "$NON2XX" = "0" ] || log "$label: WARNING: $NON2XX responses were not 2xx; the figure is not valid"
  printf '%-28s %10s req/s   p99 %8s ms\n' "$label" "$RPS" "$P99_MS"
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  die "no free port found"
}

# start_nginx FILE: serves FILE's bytes for every path; sets NGINX_PORT.
start_nginx() {
  local file="$1" prefix="$TMP/nginx"
  mkdir -p "$prefix/www" "$prefix/tmp"
  cp "$file" "$prefix/www/list.json"
  # Run as root, nginx's workers drop to an unprivileged user: let them read the file.
  chmod a+rx "$TMP" "$prefix" "$prefix/www"
  chmod a+r "$prefix/www/list.json"
  NGINX_PORT=$(free_port)
  local temp_paths
  for variant in full minimal; do
    if [ "$variant" = full ]; then
      temp_paths="client_body_temp_path $prefix/tmp/body; proxy_temp_path $prefix/tmp/proxy;
        fastcgi_temp_path $prefix/tmp/fastcgi; uwsgi_temp_path $prefix/tmp/uwsgi; scgi_temp_path $prefix/tmp/scgi;"
    else
      temp_paths="client_body_temp_path $prefix/tmp/body;"
    fi
    cat >"$prefix/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 2;
pid $prefix/nginx.pid;
error_log $prefix/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 100000000;
  $temp_paths
  default_type application/vnd.api+json;
  charset utf-8;
  charset_types application/vnd.api+json;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $prefix/www;
    location / { try_files /list.json =404; }
  }
}
EOF
    "$NGINX" -t -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" >/dev/null 2>&1 && break
  done
  "$NGINX" -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" 2>>"$prefix/error.log" &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && return
    kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited: $(tail -5 "$prefix/error.log")"
    sleep 0.05
  done
  die "nginx did not start: $(tail -5 "$prefix/error.log")"
}

# pg_conninfo DSN DB: the DSN pointing at database DB.
pg_conninfo() {
  local dsn="$1" db="$2"
  if [[ "$dsn" == postgres://* || "$dsn" == postgresql://* ]]; then
    local rest="${dsn#*://}" query=""
    [[ "$rest" == *\?* ]] && query="?${rest#*\?}" && rest="${rest%%\?*}"
    echo "${dsn%%://*}://${rest%%/*}/$db$query"
  else
    echo "$dsn dbname=$db"
  fi
}

main() {
  [ -x "$BIN" ] || die "no mortar binary at $BIN (build it: cmake --preset default && cmake --build build -j2)"
  for tool in curl wrk nginx; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || die "$tool is missing (scripts/deps.sh --test)"
  done
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

  # Without a PostgreSQL DSN, run the whole benchmark under scripts/with-postgres.sh once,
  # which starts a throwaway PostgreSQL and exports MORTAR_TEST_PG_DSN.
  if [ -z "$PG_DSN" ] && [ "${MORTAR_BENCH_NO_PG:-}" != "1" ] && [ -z "${MORTAR_BENCH_REEXEC:-}" ] &&
     [ -x "$ROOT/scripts/with-postgres.sh" ]; then
    log "no PostgreSQL DSN: re-running under scripts/with-postgres.sh"
    export MORTAR_BENCH_REEXEC=1
    exec "$ROOT/scripts/with-postgres.sh" "$0" "$BIN"
  fi

  TMP="$(mktemp -d "${TMPDIR:-/tmp}/mortar-bench-XXXXXX")"
  trap cleanup EXIT
  mkdir -p "$OUT"


  LIST_PATH='/api/organizations?page%5Bsize%5D=100'
  echo "Mortar API benchmark: $($BIN version 2>/dev/null | head -1), wrk -t$THREADS -c$CONNS -d$DURATION, $SEED organizations"

  # ---- SQLite ----
  start_mortar sqlite --data-dir "$TMP/sqlite/data"
  BASE="http://127.0.0.1:$PORT"
  seed "$BASE" "$KEY" "$SEED"
  SQLITE_SEED_SECONDS=$SEED_SECONDS
  COUNT=$(total_count "$BASE" "$KEY")
  [ "$COUNT" = "$SEED" ] || die "the list reports $COUNT organizations after seeding $SEED"
  collect_ids "$BASE" "$KEY" "$TMP/ids.txt"
  curl -s -D "$OUT/list.headers" -H "x-api-key: $KEY" "$BASE$LIST_PATH" -o "$OUT/list.json"
  LIST_BYTES=$(wc -c <"$OUT/list.json")
  log "list response: $LIST_BYTES bytes saved to $OUT/list.json"

  export MORTAR_BENCH_KEY="$KEY" MORTAR_BENCH_IDS="$TMP/ids.txt"
  run_wrk sqlite-list "$BASE$LIST_PATH" "$BENCH_DIR/auth.lua"
  SQ_LIST_RPS=$RPS SQ_LIST_P99=$P99_MS SQ_LIST_BAD=$NON2XX
  run_wrk sqlite-show "$BASE/api/organizations/1" "$BENCH_DIR/show.lua"
  SQ_SHOW_RPS=$RPS SQ_SHOW_P99=$P99_MS SQ_SHOW_BAD=$NON2XX
  stop_mortar
  # The same list with the response cache off: every request counts and renders the page.
  MORTAR_NO_RESPONSE_CACHE=1 start_mortar sqlite --data-dir "$TMP/sqlite/data"
  export MORTAR_BENCH_KEY="$KEY"
  run_wrk sqlite-list-uncached "http://127.0.0.1:$PORT$LIST_PATH" "$BENCH_DIR/auth.lua"
  SQ_UNCACHED_RPS=$RPS SQ_UNCACHED_P99=$P99_MS SQ_UNCACHED_BAD=$NON2XX
  stop_mortar

  # ---- nginx, same bytes ----
  start_nginx "$OUT/list.json"
  NGINX_BYTES=$(curl -s "http://127.0.0.1:$NGINX_PORT$LIST_PATH" | wc -c)
  [ "$NGINX_BYTES" = "$LIST_BYTES" ] || die "nginx serves $NGINX_BYTES bytes, the list had $LIST_BYTES"
  run_wrk nginx-list "http://127.0.0.1:$NGINX_PORT$LIST_PATH" "$BENCH_DIR/auth.lua"
  NG_LIST_RPS=$RPS NG_LIST_P99=$P99_MS
  kill -TERM "$NGINX_PID" 2>/dev/null || true
  wait "$NGINX_PID" 2>/dev/null || true

  # ---- PostgreSQL ----
  PG_JSON=null
  if [ -n "$PG_DSN" ] && [ "${MORTAR_BENCH_NO_PG:-}" != "1" ]; then
    command -v psql >/dev/null 2>&1 || die "psql is missing (postgresql-client)"
    PG_DB="mortar_bench_$$"
    psql "$PG_DSN" -qAt -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true
    psql "$PG_DSN" -qAt -c "CREATE DATABASE $PG_DB" >/dev/null || die "cannot create database $PG_DB"
    start_mortar postgres --db "$(pg_conninfo "$PG_DSN" "$PG_DB")"
    BASE="http://127.0.0.1:$PORT"
    seed "$BASE" "$KEY" "$SEED"
    PG_SEED_SECONDS=$SEED_SECONDS
    export MORTAR_BENCH_KEY="$KEY"
    run_wrk postgres-list "$BASE$LIST_PATH" "$BENCH_DIR/auth.lua"
    PG_LIST_RPS=$RPS PG_LIST_P99=$P99_MS PG_LIST_BAD=$NON2XX
    stop_mortar
    MORTAR_NO_RESPONSE_CACHE=1 start_mortar postgres --db "$(pg_conninfo "$PG_DSN" "$PG_DB")"
    export MORTAR_BENCH_KEY="$KEY"
    run_wrk postgres-list-uncached "http://127.0.0.1:$PORT$LIST_PATH" "$BENCH_DIR/auth.lua"
    PG_JSON=$(printf '{"list":{"rps":%s,"p99_ms":%s,"non_2xx":%s},"list_uncached":{"rps":%s,"p99_ms":%s,"non_2xx":%s},"seed_seconds":%s}' \
      "$PG_LIST_RPS" "$PG_LIST_P99" "$PG_LIST_BAD" "$RPS" "$P99_MS" "$NON2XX" "$PG_SEED_SECONDS")
    stop_mortar
  else
    log "PostgreSQL figure skipped (set MORTAR_BENCH_PG_DSN or MORTAR_TEST_PG_DSN)"
  fi

  RATIO=$(awk -v m="$SQ_LIST_RPS" -v n="$NG_LIST_RPS" 'BEGIN { if (n > 0) printf "%.3f", m / n; else print "null" }')
  echo
  echo "Mortar list / nginx (same bytes): $RATIO   (target >= 0.30)"
  echo "Mortar list on SQLite: $SQ_LIST_RPS req/s (target >= 10000); with the response cache off: $SQ_UNCACHED_RPS req/s"
  echo "Baseline nginx: $NG_LIST_RPS req/s, p99 $NG_LIST_P99 ms for $LIST_BYTES bytes"
  MEETS=$(awk -v r="$SQ_LIST_RPS" -v q="$RATIO" 'BEGIN { print (r >= 10000 && q >= 0.30) ? "true" : "false" }')
  JSON=$(printf '{"bench":"api","seed_count":%s,"list_bytes":%s,"wrk":{"threads":%s,"connections":%s,"duration":"%s"},' \
    "$SEED" "$LIST_BYTES" "$THREADS" "$CONNS" "$DURATION")
  JSON+=$(printf '"sqlite":{"seed_seconds":%s,"list":{"rps":%s,"p99_ms":%s,"non_2xx":%s},"list_uncached":{"rps":%s,"p99_ms":%s,"non_2xx":%s},"show":{"rps":%s,"p99_ms":%s,"non_2xx":%s}},' \
    "$SQLITE_SEED_SECONDS" "$SQ_LIST_RPS" "$SQ_LIST_P99" "$SQ_LIST_BAD" "$SQ_UNCACHED_RPS" "$SQ_UNCACHED_P99" "$SQ_UNCACHED_BAD" "$SQ_SHOW_RPS" "$SQ_SHOW_P99" "$SQ_SHOW_BAD")
  JSON+=$(printf '"nginx":{"list":{"rps":%s,"p99_ms":%s}},"postgres":%s,"list_ratio_vs_nginx":%s,' \
    "$NG_LIST_RPS" "$NG_LIST_P99" "$PG_JSON" "$RATIO")
  JSON+=$(printf '"targets":{"list_rps":10000,"list_ratio":0.30,"met":%s}}' "$MEETS")
  echo "$JSON" >"$OUT/results.json"
  echo "$JSON"
}

# Run unless sourced (sourcing gives the functions alone, for trying them out).
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
