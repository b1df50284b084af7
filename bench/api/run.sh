#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# API benchmark: Mortar's list and show routes against nginx serving the same bytes.
#
# Usage: bench/api/run.sh [path/to/mortar]        (default: build/src/app/mortar)
#
# Two scenarios, both run by default (MORTAR_BENCH_SCENARIOS=orgs,configs; name one to
# run it alone):
#   orgs     10,000 organizations: the list page and GET one (steps 1-6 below);
#   configs  1,000 organizations with 100 configurations each and one password each:
#            the configurations list of one organization and GET /api/passwords/:id
#            (steps 7-9 below).
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
#      ends with one JSON line holding every figure;
#   7. configs: on a fresh SQLite store, creates 1,000 organizations (POST /api/organizations),
#      one configuration type (POST /api/configuration_types), 100,000 configurations in
#      batches of 100 on the nested bulk route (POST /api/organizations/:id/relationships/
#      configurations with data[], one request per organization) and 1,000 passwords
#      (POST /api/passwords, one per organization) with a key made with --password-access;
#   8. runs the same wrk load on GET /api/configurations?filter[organization_id]=:id&page[size]=100
#      (cycle.lua cycles the organization ids), on the same list with the response cache
#      off, and on GET /api/passwords/:id (cycling the password ids). That route reveals the
#      password and logs the reveal in the same write transaction: it is a write-path
#      figure. nginx serves the exact bytes of one configurations list page under the same
#      load;
#   9. repeats the list (cached and uncached) and password figures on PostgreSQL, in a
#      database of its own, as in step 5. All of it goes into the JSON line under "configs".
#
# Environment (all optional):
#   MORTAR_BENCH_DURATION     wrk duration (default 10s)
#   MORTAR_BENCH_CONNECTIONS  wrk connections (default 64)
#   MORTAR_BENCH_THREADS      wrk threads (default 2)
#   MORTAR_BENCH_SCENARIOS    which scenarios to run, comma-separated (default orgs,configs)
#   MORTAR_BENCH_SEED         organizations to seed for orgs (default 10000)
#   MORTAR_BENCH_CONFIG_ORGS  organizations to seed for configs (default 1000)
#   MORTAR_BENCH_CONFIGS_PER_ORG  configurations per organization, one bulk request each (default 100)
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
SCENARIOS="${MORTAR_BENCH_SCENARIOS:-orgs,configs}"
CFG_ORGS="${MORTAR_BENCH_CONFIG_ORGS:-1000}"
CFG_PER_ORG="${MORTAR_BENCH_CONFIGS_PER_ORG:-100}"
OUT="${MORTAR_BENCH_OUT:-$BENCH_DIR/out}"
PG_DSN="${MORTAR_BENCH_PG_DSN:-${MORTAR_TEST_PG_DSN:-}}"

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

PIDS=()
PG_DBS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for db in "${PG_DBS[@]}"; do
    psql "$PG_DSN" -qAt -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$TMP"
}

# scenario NAME: whether MORTAR_BENCH_SCENARIOS names NAME.
scenario() { [[ ",$SCENARIOS," == *",$1,"* ]]; }

# json_or_null VALUE: VALUE, or null when it is empty.
json_or_null() { if [ -n "$1" ]; then echo "$1"; else echo null; fi; }

# start_mortar NAME STORE-ARGS... : starts a server, sets PORT, KEY and SERVER_PID. With
# PASSWORD_KEY=1 it also sets PW_KEY, a key made with --password-access.
start_mortar() {
  local name="$1"; shift
  local dir="$TMP/$name"
  mkdir -p "$dir/data"
  "$BIN" migrate "$@" >/dev/null 2>>"$dir/admin.log" || die "mortar migrate failed: $(tail -5 "$dir/admin.log")"
  KEY="$("$BIN" admin create-api-key "$@" 2>>"$dir/admin.log")" || die "create-api-key failed: $(tail -5 "$dir/admin.log")"
  [[ "$KEY" == ITG.* ]] || die "create-api-key printed '$KEY'"
  PW_KEY=""
  if [ "${PASSWORD_KEY:-}" = "1" ]; then
    PW_KEY="$("$BIN" admin create-api-key "$@" --password-access 2>>"$dir/admin.log")" ||
      die "create-api-key --password-access failed: $(tail -5 "$dir/admin.log")"
    [[ "$PW_KEY" == ITG.* ]] || die "create-api-key --password-access printed '$PW_KEY'"
  fi
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

# run_batch CFG COUNT WHAT: runs the curl config CFG (COUNT requests, each writing its
# status code on a line), parallel and keep-alive; dies unless every one answered 201.
# Sets BATCH_SECONDS.
run_batch() {
  local cfg="$1" count="$2" what="$3" start end codes created
  start=$(date +%s.%N)
  codes="$(curl -s --no-progress-meter --parallel --parallel-max 8 --config "$cfg" 2>"$TMP/seed.err")"
  end=$(date +%s.%N)
  created=$(grep -c '^201$' <<<"$codes" || true)
  BATCH_SECONDS=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
  [ "$created" -eq "$count" ] || die "seeding $what: $created of $count requests answered 201 (others: $(grep -v '^201$' <<<"$codes" | sort | uniq -c | head -3 | tr '\n' ' '))"
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
  run_batch "$cfg" "$count" organizations
  SEED_SECONDS=$BATCH_SECONDS
  log "seeded $count organizations in ${SEED_SECONDS}s"
}

# seed_configurations BASE KEY ORG-IDS-FILE PER-ORG TYPE-ID: POSTs PER-ORG configurations
# to each organization in one request on the nested bulk route (data[]).
seed_configurations() {
  local base="$1" key="$2" ids="$3" per="$4" type_id="$5" cfg="$TMP/configs.cfg" bodies="$TMP/configs-bodies"
  mkdir -p "$bodies"
  awk -v per="$per" -v type_id="$type_id" -v url="$base/api/organizations" -v key="$key" -v dir="$bodies" '
    NF {
      org = $1; n++
      file = sprintf("%s/%05d.json", dir, n)
      printf "{\"data\":[" >file
      for (i = 1; i <= per; i++) {
        printf "%s{\"type\":\"configurations\",\"attributes\":{\"organization-id\":%s," \
               "\"name\":\"Benchmark Configuration %04d-%03d\",\"configuration-type-id\":%s," \
               "\"hostname\":\"srv%04d-%03d\",\"primary-ip\":\"10.%d.%d.%d\"," \
               "\"serial-number\":\"SN%04d%03d\",\"notes\":\"Seeded by bench/api/run.sh.\"}}",
               (i > 1 ? "," : ""), org, n, i, type_id, n, i, int(n / 256) % 256, n % 256, i, n, i >file
      }
      printf "]}" >file
      close(file)
      if (n > 1) printf "next\n"
      printf "url = \"%s/%s/relationships/configurations\"\n", url, org
      printf "header = \"x-api-key: %s\"\n", key
      printf "header = \"Content-Type: application/vnd.api+json\"\n"
      printf "data-binary = \"@%s\"\n", file
      printf "output = \"/dev/null\"\n"
      printf "write-out = \"%%{http_code}\\\\n\"\n"
    }' "$ids" >"$cfg"
  local orgs
  orgs=$(grep -c . "$ids")
  run_batch "$cfg" "$orgs" configurations
  log "seeded $((orgs * per)) configurations ($orgs requests of $per) in ${BATCH_SECONDS}s"
}

# seed_passwords BASE KEY ORG-IDS-FILE: POSTs one password to each organization.
seed_passwords() {
  local base="$1" key="$2" ids="$3" cfg="$TMP/passwords.cfg"
  awk -v url="$base/api/passwords" -v key="$key" '
    NF {
      org = $1; n++
      if (n > 1) printf "next\n"
      printf "url = \"%s\"\n", url
      printf "header = \"x-api-key: %s\"\n", key
      printf "header = \"Content-Type: application/vnd.api+json\"\n"
      printf "data = \"{\\\"data\\\":{\\\"type\\\":\\\"passwords\\\",\\\"attributes\\\":{" \
             "\\\"organization-id\\\":%s,\\\"name\\\":\\\"Firewall admin %04d\\\"," \
             "\\\"username\\\":\\\"admin\\\",\\\"password\\\":\\\"bench-secret-%04d-Xq7!\\\"," \
             "\\\"url\\\":\\\"https://fw%04d.example.net\\\"}}}\"\n", org, n, n, n
      printf "output = \"/dev/null\"\n"
      printf "write-out = \"%%{http_code}\\\\n\"\n"
    }' "$ids" >"$cfg"
  local count
  count=$(grep -c . "$ids")
  run_batch "$cfg" "$count" passwords
  log "seeded $count passwords in ${BATCH_SECONDS}s"
}

# total_count BASE KEY [PATH]: meta.total-count of PATH (default /api/organizations?).
total_count() {
  curl -s -H "x-api-key: $2" "$1${3:-/api/organizations?}page%5Bsize%5D=1" |
    grep -oE '"total-count" *: *[0-9]+' | grep -oE '[0-9]+$'
}

# collect_ids BASE KEY FILE [TYPE]: every id of TYPE (default organizations), one per line.
collect_ids() {
  local base="$1" key="$2" file="$3" type="${4:-organizations}" page=1
  : >"$file"
  while :; do
    local body
    body="$(curl -s -H "x-api-key: $key" "$base/api/$type?page%5Bsize%5D=1000&page%5Bnumber%5D=$page")"
    local ids
    ids="$(grep -oE '"id" *: *"[0-9]+" *, *"type" *: *"'"$type"'"' <<<"$body" | grep -oE '[0-9]+' || true)"
    [ -n "$ids" ] || break
    echo "$ids" >>"$file"
    page=$((page + 1))
  done
  [ -s "$file" ] || die "could not read $type ids from the list"
}

# create_configuration_type BASE KEY: POSTs one configuration type, prints its id.
create_configuration_type() {
  local body
  body="$(curl -s -w '\n%{http_code}' -H "x-api-key: $2" -H 'Content-Type: application/vnd.api+json' \
    --data-binary '{"data":{"type":"configuration-types","attributes":{"name":"Managed Server","kind":"server"}}}' \
    "$1/api/configuration_types")"
  [ "$(tail -n1 <<<"$body")" = "201" ] || die "POST /api/configuration_types answered: $body"
  grep -oE '"id" *: *"[0-9]+"' <<<"$body" | head -1 | grep -oE '[0-9]+'
}

# run_wrk LABEL URL SCRIPT [NOTE]: runs wrk, sets RPS, P99_MS, NON2XX and REQUESTS, keeps
# the output and prints the figure (with NOTE after it).
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
  REQUESTS=$(awk '/ requests in / { print $1; exit }' "$out")
  printf '%-32s %10s req/s   p99 %8s ms%s\n' "$label" "$RPS" "$P99_MS" "${4:+   $4}"
}

# wrk_json: the last run_wrk's figures as a JSON object.
wrk_json() { printf '{"rps":%s,"p99_ms":%s,"non_2xx":%s}' "$RPS" "$P99_MS" "$NON2XX"; }

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  die "no free port found"
}

# start_nginx FILE [NAME]: serves FILE's bytes for every path; sets NGINX_PORT.
start_nginx() {
  local file="$1" prefix="$TMP/${2:-nginx}"
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

# bench_orgs: the organizations scenario (steps 1-5b). Sets the SQ_*, NG_*, LIST_BYTES,
# SQLITE_SEED_SECONDS and PG_JSON figures.
bench_orgs() {
  LIST_PATH='/api/organizations?page%5Bsize%5D=100'

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
  if [ "$USE_PG" = "1" ]; then
    local db="mortar_bench_$$"
    pg_create_db "$db"
    start_mortar postgres --db "$(pg_conninfo "$PG_DSN" "$db")"
    BASE="http://127.0.0.1:$PORT"
    seed "$BASE" "$KEY" "$SEED"
    PG_SEED_SECONDS=$SEED_SECONDS
    export MORTAR_BENCH_KEY="$KEY"
    run_wrk postgres-list "$BASE$LIST_PATH" "$BENCH_DIR/auth.lua"
    PG_LIST_RPS=$RPS PG_LIST_P99=$P99_MS PG_LIST_BAD=$NON2XX
    stop_mortar
    MORTAR_NO_RESPONSE_CACHE=1 start_mortar postgres --db "$(pg_conninfo "$PG_DSN" "$db")"
    export MORTAR_BENCH_KEY="$KEY"
    run_wrk postgres-list-uncached "http://127.0.0.1:$PORT$LIST_PATH" "$BENCH_DIR/auth.lua"
    PG_JSON=$(printf '{"list":{"rps":%s,"p99_ms":%s,"non_2xx":%s},"list_uncached":{"rps":%s,"p99_ms":%s,"non_2xx":%s},"seed_seconds":%s}' \
      "$PG_LIST_RPS" "$PG_LIST_P99" "$PG_LIST_BAD" "$RPS" "$P99_MS" "$NON2XX" "$PG_SEED_SECONDS")
    stop_mortar
  fi

  RATIO=$(awk -v m="$SQ_LIST_RPS" -v n="$NG_LIST_RPS" 'BEGIN { if (n > 0) printf "%.3f", m / n; else print "null" }')
  MEETS=$(awk -v r="$SQ_LIST_RPS" -v q="$RATIO" 'BEGIN { print (r >= 10000 && q >= 0.30) ? "true" : "false" }')
}

# pg_create_db NAME: a fresh database NAME on PG_DSN, dropped again on exit.
pg_create_db() {
  psql "$PG_DSN" -qAt -c "DROP DATABASE IF EXISTS $1" >/dev/null 2>&1 || true
  psql "$PG_DSN" -qAt -c "CREATE DATABASE $1" >/dev/null || die "cannot create database $1"
  PG_DBS+=("$1")
}

# ratio A B: A / B to three places, or null.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.3f", a / b; else print "null" }'; }

# The configurations list page of one organization ({id}: cycle.lua puts the id there).
CFG_LIST_TEMPLATE='/api/configurations?filter%5Borganization_id%5D={id}&page%5Bsize%5D=100'

# configs_store NAME STORE-ARGS...: the configs scenario on one fresh store: seeds it,
# then measures the configurations list (cached, then uncached after a restart) and the
# password show. Sets CS_JSON (every figure of the store), CS_LIST_RPS, CS_LIST_P99,
# CS_UNCACHED_RPS, CS_UNCACHED_P99, CS_PW_RPS, CS_PW_P99, CS_SEED_* and CS_ORG_IDS.
configs_store() {
  local name="$1"; shift
  local org_ids="$TMP/$name-org-ids.txt" pw_ids="$TMP/$name-password-ids.txt"
  PASSWORD_KEY=1 start_mortar "$name" "$@"
  local base="http://127.0.0.1:$PORT" t0 t1 type_id count
  t0=$(date +%s.%N)
  seed "$base" "$KEY" "$CFG_ORGS"
  CS_SEED_ORGS=$SEED_SECONDS
  collect_ids "$base" "$KEY" "$org_ids"
  [ "$(grep -c . "$org_ids")" = "$CFG_ORGS" ] || die "$name: read $(grep -c . "$org_ids") organization ids, seeded $CFG_ORGS"
  type_id=$(create_configuration_type "$base" "$KEY")
  seed_configurations "$base" "$KEY" "$org_ids" "$CFG_PER_ORG" "$type_id"
  CS_SEED_CONFIGS=$BATCH_SECONDS
  seed_passwords "$base" "$PW_KEY" "$org_ids"
  CS_SEED_PASSWORDS=$BATCH_SECONDS
  t1=$(date +%s.%N)
  CS_SEED_TOTAL=$(awk -v s="$t0" -v e="$t1" 'BEGIN { printf "%.1f", e - s }')
  log "$name: seeding took ${CS_SEED_TOTAL}s in all"

  count=$(total_count "$base" "$KEY" "/api/configurations?")
  [ "$count" = "$((CFG_ORGS * CFG_PER_ORG))" ] || die "$name: the list reports $count configurations after seeding $((CFG_ORGS * CFG_PER_ORG))"
  CS_ORG_ID=$(sed -n "$(((CFG_ORGS + 1) / 2))p" "$org_ids")
  local list_path="${CFG_LIST_TEMPLATE/\{id\}/$CS_ORG_ID}"
  count=$(total_count "$base" "$KEY" "${list_path%page*}")
  [ "$count" = "$CFG_PER_ORG" ] || die "$name: organization $CS_ORG_ID lists $count configurations, not $CFG_PER_ORG"
  collect_ids "$base" "$KEY" "$pw_ids" passwords
  [ "$(grep -c . "$pw_ids")" = "$CFG_ORGS" ] || die "$name: read $(grep -c . "$pw_ids") password ids, seeded $CFG_ORGS"
  # The show route reveals the secret to a --password-access key; check that it does.
  local shown
  shown="$(curl -s -H "x-api-key: $PW_KEY" "$base/api/passwords/$(head -n1 "$pw_ids")")"
  grep -qE '"password" *: *"bench-secret-' <<<"$shown" || die "$name: GET /api/passwords/:id did not reveal the password: ${shown:0:300}"
  # One list page, kept: its bytes are what nginx serves.
  curl -s -D "$OUT/$name-list.headers" -H "x-api-key: $KEY" "$base$list_path" -o "$OUT/$name-list.json"
  CS_LIST_BYTES=$(wc -c <"$OUT/$name-list.json")
  [ "$(grep -o '"type" *: *"configurations"' "$OUT/$name-list.json" | wc -l)" = "$CFG_PER_ORG" ] ||
    die "$name: the list page of organization $CS_ORG_ID does not hold $CFG_PER_ORG configurations"
  log "$name: configurations list of organization $CS_ORG_ID: $CS_LIST_BYTES bytes saved to $OUT/$name-list.json"

  export MORTAR_BENCH_KEY="$KEY" MORTAR_BENCH_IDS="$org_ids" MORTAR_BENCH_PATH="$CFG_LIST_TEMPLATE"
  run_wrk "$name-list" "$base/" "$BENCH_DIR/cycle.lua"
  CS_LIST_RPS=$RPS CS_LIST_P99=$P99_MS
  local list_json; list_json=$(wrk_json)

  local reveals_before reveals
  reveals_before=$(total_count "$base" "$KEY" "/api/activity_events?filter%5Baction%5D=reveal&")
  export MORTAR_BENCH_KEY="$PW_KEY" MORTAR_BENCH_IDS="$pw_ids" MORTAR_BENCH_PATH='/api/passwords/{id}'
  run_wrk "$name-password-show" "$base/" "$BENCH_DIR/cycle.lua" "(write path: reveal + activity row per request)"
  CS_PW_RPS=$RPS CS_PW_P99=$P99_MS
  local pw_json; pw_json=$(wrk_json)
  reveals=$(total_count "$base" "$KEY" "/api/activity_events?filter%5Baction%5D=reveal&")
  reveals=$(( ${reveals:-0} - ${reveals_before:-0} ))
  log "$name: $reveals reveals logged for $REQUESTS password shows answered"
  pw_json="${pw_json%\}},\"requests\":${REQUESTS:-0},\"reveals_logged\":$reveals,\"write_path\":true}"
  stop_mortar

  MORTAR_NO_RESPONSE_CACHE=1 start_mortar "$name" "$@"
  export MORTAR_BENCH_KEY="$KEY" MORTAR_BENCH_IDS="$org_ids" MORTAR_BENCH_PATH="$CFG_LIST_TEMPLATE"
  run_wrk "$name-list-uncached" "http://127.0.0.1:$PORT/" "$BENCH_DIR/cycle.lua"
  CS_UNCACHED_RPS=$RPS CS_UNCACHED_P99=$P99_MS
  local uncached_json; uncached_json=$(wrk_json)
  stop_mortar

  CS_JSON=$(printf '{"seed_seconds":{"organizations":%s,"configurations":%s,"passwords":%s,"total":%s},"list":%s,"list_uncached":%s,"password_show":%s}' \
    "$CS_SEED_ORGS" "$CS_SEED_CONFIGS" "$CS_SEED_PASSWORDS" "$CS_SEED_TOTAL" "$list_json" "$uncached_json" "$pw_json")
  CS_ORG_IDS=$org_ids
}

# bench_configs: the configurations and passwords scenario (steps 7-9). Sets CONFIGS_JSON
# and the C_* figures for the summary.
bench_configs() {
  # ---- SQLite ----
  configs_store configs-sqlite --data-dir "$TMP/configs-sqlite/data"
  local sqlite_json=$CS_JSON
  C_SQ_LIST_RPS=$CS_LIST_RPS C_SQ_LIST_P99=$CS_LIST_P99 C_SQ_UNC_RPS=$CS_UNCACHED_RPS C_SQ_UNC_P99=$CS_UNCACHED_P99
  C_SQ_PW_RPS=$CS_PW_RPS C_SQ_PW_P99=$CS_PW_P99
  C_SQ_SEED="organizations ${CS_SEED_ORGS}s, configurations ${CS_SEED_CONFIGS}s, passwords ${CS_SEED_PASSWORDS}s (total ${CS_SEED_TOTAL}s)"
  C_LIST_BYTES=$CS_LIST_BYTES
  cp "$OUT/configs-sqlite-list.json" "$OUT/configs-list.json"

  # ---- nginx, same bytes (the list page of one organization) ----
  start_nginx "$OUT/configs-list.json" nginx-configs
  local nginx_bytes
  nginx_bytes=$(curl -s "http://127.0.0.1:$NGINX_PORT/api/configurations" | wc -c)
  [ "$nginx_bytes" = "$C_LIST_BYTES" ] || die "nginx serves $nginx_bytes bytes, the configurations list had $C_LIST_BYTES"
  export MORTAR_BENCH_KEY="$KEY" MORTAR_BENCH_IDS="$CS_ORG_IDS" MORTAR_BENCH_PATH="$CFG_LIST_TEMPLATE"
  run_wrk configs-nginx-list "http://127.0.0.1:$NGINX_PORT/" "$BENCH_DIR/cycle.lua"
  C_NG_RPS=$RPS C_NG_P99=$P99_MS
  kill -TERM "$NGINX_PID" 2>/dev/null || true
  wait "$NGINX_PID" 2>/dev/null || true

  # ---- PostgreSQL ----
  local pg_json=null
  C_PG_LIST_RPS="" C_PG_UNC_RPS="" C_PG_PW_RPS=""
  if [ "$USE_PG" = "1" ]; then
    local db="mortar_bench_$$_configs"
    pg_create_db "$db"
    configs_store configs-postgres --db "$(pg_conninfo "$PG_DSN" "$db")"
    pg_json=$CS_JSON
    C_PG_LIST_RPS=$CS_LIST_RPS C_PG_LIST_P99=$CS_LIST_P99 C_PG_UNC_RPS=$CS_UNCACHED_RPS C_PG_UNC_P99=$CS_UNCACHED_P99
    C_PG_PW_RPS=$CS_PW_RPS C_PG_PW_P99=$CS_PW_P99
    C_PG_SEED="organizations ${CS_SEED_ORGS}s, configurations ${CS_SEED_CONFIGS}s, passwords ${CS_SEED_PASSWORDS}s (total ${CS_SEED_TOTAL}s)"
  fi

  C_RATIO=$(ratio "$C_SQ_LIST_RPS" "$C_NG_RPS")
  C_UNC_RATIO=$(ratio "$C_SQ_UNC_RPS" "$C_NG_RPS")
  C_PG_RATIO=$(ratio "$C_PG_LIST_RPS" "$C_NG_RPS")
  CONFIGS_JSON=$(printf '{"organizations":%s,"configurations":%s,"passwords":%s,"list_bytes":%s,"sqlite":%s,"nginx":{"list":{"rps":%s,"p99_ms":%s}},"postgres":%s,"list_ratio_vs_nginx":%s,"list_uncached_ratio_vs_nginx":%s,"postgres_list_ratio_vs_nginx":%s}' \
    "$CFG_ORGS" "$((CFG_ORGS * CFG_PER_ORG))" "$CFG_ORGS" "$C_LIST_BYTES" "$sqlite_json" "$C_NG_RPS" "$C_NG_P99" "$pg_json" \
    "$C_RATIO" "$C_UNC_RATIO" "$C_PG_RATIO")
}

main() {
  [ -x "$BIN" ] || die "no mortar binary at $BIN (build it: cmake --preset default && cmake --build build -j2)"
  for tool in curl wrk nginx; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || die "$tool is missing (scripts/deps.sh --test)"
  done
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
  local name names=()
  IFS=',' read -ra names <<<"$SCENARIOS"
  for name in "${names[@]}"; do
    case "$name" in orgs | configs) ;; *) die "unknown scenario '$name' in MORTAR_BENCH_SCENARIOS (orgs, configs)" ;; esac
  done
  scenario orgs || scenario configs || die "MORTAR_BENCH_SCENARIOS names no scenario (orgs, configs)"

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

  USE_PG=0
  if [ -n "$PG_DSN" ] && [ "${MORTAR_BENCH_NO_PG:-}" != "1" ]; then
    command -v psql >/dev/null 2>&1 || die "psql is missing (postgresql-client)"
    USE_PG=1
  else
    log "PostgreSQL figure skipped (set MORTAR_BENCH_PG_DSN or MORTAR_TEST_PG_DSN)"
  fi

  local what=()
  if scenario orgs; then what+=("orgs: $SEED organizations"); fi
  if scenario configs; then what+=("configs: $CFG_ORGS organizations x $CFG_PER_ORG configurations, $CFG_ORGS passwords"); fi
  echo "Mortar API benchmark: $($BIN version 2>/dev/null | head -1), wrk -t$THREADS -c$CONNS -d$DURATION; $(IFS=';'; echo "${what[*]}" | sed 's/;/; /g')"

  if scenario orgs; then bench_orgs; fi
  if scenario configs; then bench_configs; fi

  echo
  if scenario orgs; then
    echo "Mortar list / nginx (same bytes): $RATIO   (target >= 0.30)"
    echo "Mortar list on SQLite: $SQ_LIST_RPS req/s (target >= 10000); with the response cache off: $SQ_UNCACHED_RPS req/s"
    echo "Baseline nginx: $NG_LIST_RPS req/s, p99 $NG_LIST_P99 ms for $LIST_BYTES bytes"
  fi
  if scenario configs; then
    if scenario orgs; then echo; fi
    echo "Configurations: GET /api/configurations?filter[organization_id]=…&page[size]=100 ($C_LIST_BYTES bytes, $CFG_PER_ORG records)"
    echo "  baseline nginx, same bytes:       $C_NG_RPS req/s, p99 $C_NG_P99 ms"
    echo "  SQLite:                           $C_SQ_LIST_RPS req/s, p99 $C_SQ_LIST_P99 ms   (Mortar/nginx $C_RATIO)"
    echo "  SQLite, response cache off:       $C_SQ_UNC_RPS req/s, p99 $C_SQ_UNC_P99 ms   (Mortar/nginx $C_UNC_RATIO)"
    if [ -n "$C_PG_LIST_RPS" ]; then
      echo "  PostgreSQL:                       $C_PG_LIST_RPS req/s, p99 $C_PG_LIST_P99 ms   (Mortar/nginx $C_PG_RATIO; SQLite $C_SQ_LIST_RPS)"
      echo "  PostgreSQL, response cache off:   $C_PG_UNC_RPS req/s, p99 $C_PG_UNC_P99 ms   (SQLite $C_SQ_UNC_RPS)"
    fi
    echo "Passwords: GET /api/passwords/:id, a write path (the reveal is logged in the same write transaction)"
    local baseline="no read-path baseline: orgs scenario skipped"
    if scenario orgs; then baseline="read-path baseline: organizations show $SQ_SHOW_RPS req/s, p99 $SQ_SHOW_P99 ms"; fi
    echo "  SQLite:                           $C_SQ_PW_RPS req/s, p99 $C_SQ_PW_P99 ms   ($baseline)"
    if [ -n "$C_PG_PW_RPS" ]; then
      echo "  PostgreSQL:                       $C_PG_PW_RPS req/s, p99 $C_PG_PW_P99 ms   (SQLite $C_SQ_PW_RPS)"
    fi
    echo "Seeding on SQLite: $C_SQ_SEED"
    if [ -n "$C_PG_LIST_RPS" ]; then echo "Seeding on PostgreSQL: $C_PG_SEED"; fi
  fi

  local sqlite_json nginx_json
  if scenario orgs; then
    sqlite_json=$(printf '{"seed_seconds":%s,"list":{"rps":%s,"p99_ms":%s,"non_2xx":%s},"list_uncached":{"rps":%s,"p99_ms":%s,"non_2xx":%s},"show":{"rps":%s,"p99_ms":%s,"non_2xx":%s}}' \
      "$SQLITE_SEED_SECONDS" "$SQ_LIST_RPS" "$SQ_LIST_P99" "$SQ_LIST_BAD" "$SQ_UNCACHED_RPS" "$SQ_UNCACHED_P99" "$SQ_UNCACHED_BAD" "$SQ_SHOW_RPS" "$SQ_SHOW_P99" "$SQ_SHOW_BAD")
    nginx_json=$(printf '{"list":{"rps":%s,"p99_ms":%s}}' "$NG_LIST_RPS" "$NG_LIST_P99")
  else
    sqlite_json=null nginx_json=null PG_JSON=null RATIO=null MEETS=null LIST_BYTES=null SEED=null
  fi
  JSON=$(printf '{"bench":"api","seed_count":%s,"list_bytes":%s,"wrk":{"threads":%s,"connections":%s,"duration":"%s"},' \
    "$SEED" "$LIST_BYTES" "$THREADS" "$CONNS" "$DURATION")
  JSON+=$(printf '"sqlite":%s,' "$sqlite_json")
  JSON+=$(printf '"nginx":%s,"postgres":%s,"list_ratio_vs_nginx":%s,' "$nginx_json" "$PG_JSON" "$RATIO")
  JSON+=$(printf '"targets":{"list_rps":10000,"list_ratio":0.30,"met":%s},' "$MEETS")
  JSON+=$(printf '"scenarios":"%s","configs":%s}' "$SCENARIOS" "$(json_or_null "${CONFIGS_JSON:-}")")
  echo "$JSON" >"$OUT/results.json"
  echo "$JSON"
}

# Run unless sourced (sourcing gives the functions alone, for trying them out).
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
