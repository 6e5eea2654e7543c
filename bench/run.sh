#!/usr/bin/env bash
# Reproduces every number in the tables of docs/benchmarks.md, in one run (about 38 minutes on 2 cores):
#   1. builds the bench module (never installs anything into ~/.m2); writes the physical floors' scripts
#      from the stores' own code (PhysicalFloorScripts);
#   2. starts the five applications side by side, each in its own JVM: plain endpoint, @Idempotent on the
#      in-memory store, on JDBC (PostgreSQL), on Redis through Lettuce and through Jedis; the JDBC one also
#      serves the transactional endpoints (TransactionalOrderController); warms each up in turn until the
#      JIT compiler has nothing left to do (see warm_up); seeds the replay keys;
#   3. measures in interleaved rounds, 2 s per run: in each round every application in turn gets a wrk
#      run for new keys and one for replays at 16 connections (throughput), then the 1-connection runs
#      (p50/p99): each store's floor, measured in its application (its own pool or client), next to that
#      application's runs and to the same store work done by hand around the plain handler
#      (/by-hand/{store}/orders of the plain application, ByHandStoreFilter), the plain endpoint in the
#      middle; each store's physical floor, the same work without the JVM's clients, is measured there too:
#      pgbench running the JDBC store's claim and completion (and its ASYNC claim), and Redis's commands on
#      raw sockets (RawSocketRedisFloor) and through redis-benchmark; pgbench also runs the transactional
#      endpoints' transaction (plain, between two empty statements, between the claim and completion) at 16
#      clients. The JDBC application also runs with idempotency.jdbc.claim-commit=ASYNC, and its
#      transactional endpoints at 16 connections (plain, between two empty statements, the method front
#      door joined, the HTTP transactional mode). Every run
#      records the CPU time the machine spent meanwhile. Odd rounds go one way, even rounds the other. Every
#      ratio is taken within a round and the
#      report gives its median over the rounds: the machine is shared, and its speed changes by a factor
#      of three within minutes, which measuring the variants one after the other mistook for differences
#      between them. The applications count round trips and handler runs, and time each request in the
#      server and in its store calls;
#   4. the WAL flushes per request of the JDBC application with claim-commit SYNC and ASYNC, read from
#      pg_stat_wal over windows long enough for the server's statistics to arrive (see flushes);
#   5. JMH benchmarks of the in-process work with the GC profiler, of the method front door on each store
#      (IdempotentMethodBenchmark), and the in-memory store's heap per record (MemoryStoreFootprint);
#   6. writes bench/target/results/report.md, the tables of docs/benchmarks.md.
#
# Usage: bench/run.sh [--quick]     (--quick: one short round and a short warm-up, about 4 minutes, to try
#                                   the script, not to measure; BENCH_ROUNDS sets the number of rounds)
# Needs PostgreSQL and Redis on 127.0.0.1 (BENCH_JDBC_URL, BENCH_JDBC_USERNAME, BENCH_REDIS_URL override
# them), pgbench and redis-benchmark; installs wrk with apt-get when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
if $QUICK; then
  ROUNDS=${BENCH_ROUNDS:-1}; SEED=2; WARM_CHUNK=2; WARM_MIN_CHUNKS=1; WARM_MAX_CHUNKS=1; MEASURE=1s
  FLOOR_WARMUP_MS=200; FLOOR_MEASURE_MS=500; REDIS_BENCHMARK_REQUESTS=2000; FLUSH_RUN=1; FLUSH_SETTLE=2
  JMH_OPTS="-f 1 -wi 1 -w 200ms -i 1 -r 300ms"
  JMH_METHOD_OPTS=$JMH_OPTS
  FOOTPRINT_RECORDS=20000
else
  ROUNDS=${BENCH_ROUNDS:-8}; SEED=4; WARM_CHUNK=5; WARM_MIN_CHUNKS=2; WARM_MAX_CHUNKS=24; MEASURE=2s
  FLOOR_WARMUP_MS=300; FLOOR_MEASURE_MS=1500; REDIS_BENCHMARK_REQUESTS=20000; FLUSH_RUN=4; FLUSH_SETTLE=11
  JMH_OPTS="-f 1 -wi 2 -w 500ms -i 3 -r 1s"
  # A Spring context per fork, and the stores' round trips: longer warm-up and iterations.
  JMH_METHOD_OPTS="-f 1 -wi 3 -w 2s -i 3 -r 2s"
  FOOTPRINT_RECORDS=200000
fi
# Warmed up: a warm-up chunk during which the JIT compiler worked less than this (out of WARM_CHUNK s).
JIT_QUIET_MS=500
JDBC_URL=${BENCH_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/test}
JDBC_USERNAME=${BENCH_JDBC_USERNAME:-postgres}
REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379}
BASE_PORT=${BENCH_PORT:-18080}
REPLAY_KEYS=1000
APP_JAVA_OPTS="-Xms1g -Xmx1g"
OUT=bench/target/results
LUA=bench/wrk/orders.lua
VARIANTS=(plain memory jdbc redis jedis)
declare -A PORT=([plain]=$BASE_PORT [memory]=$((BASE_PORT + 1)) [jdbc]=$((BASE_PORT + 2)) [redis]=$((BASE_PORT + 3))
    [jedis]=$((BASE_PORT + 4)))
declare -A APP_ARGS=(
  [plain]="--bench.idempotent=false --idempotency.enabled=false"
  [memory]="--bench.idempotent=true --idempotency.store.type=memory"
  [jdbc]="--bench.idempotent=true --idempotency.store.type=jdbc"
  [redis]="--bench.idempotent=true --idempotency.store.type=redis"
  [jedis]="--bench.idempotent=true --idempotency.store.type=redis --spring.data.redis.client-type=jedis")
# The transactional endpoints of the JDBC application (TransactionalOrderController), measured at 16
# connections: one business row per request, plain, between two statements that do nothing (what two more
# round trips cost, whatever they do), through the method front door joined to the method's transaction,
# and in the HTTP front door's transactional mode.
TX_ENDPOINTS=(tx-plain tx-floor tx-method tx-http)
declare -A TX_PATH=([tx-plain]=/tx/plain/orders [tx-floor]=/tx/floor/orders [tx-method]=/tx/method/orders
    [tx-http]=/tx/http/orders)

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk"
  if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

for tool in pgbench redis-benchmark redis-cli psql; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$tool is missing (Debian: postgresql-contrib, redis-tools)" >&2; exit 1; }
done

echo "Building the bench module"
./mvnw -B -q -pl bench -am package -DskipTests
CP="bench/target/classes:$(cat bench/target/classpath.txt)"

rm -rf "$OUT"
mkdir -p "$OUT/pgbench"
# The physical floors' scripts and values, from the stores' own code.
java -cp "$CP" io.github.idempotency.bench.PhysicalFloorScripts "$OUT/physical"
PG_URI=${JDBC_URL#jdbc:}
PGBENCH_DEFINES=()
mapfile -d '' defines < "$OUT/physical/pgbench-defines"
for define in "${defines[@]}"; do PGBENCH_DEFINES+=(-D "$define"); done
{
  echo "started=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
  echo "cores=$(nproc)"
  echo "memory=$(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "kernel=$(uname -r)"
  echo "java=$(java -version 2>&1 | head -n 1)"
  echo "wrk=$(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2)"
  echo "redis=$(redis-cli -u "$REDIS_URL" info server 2>/dev/null | sed -n 's/^redis_version:\(.*\)\r$/\1/p' || true)"
  echo "postgres=$(psql "${JDBC_URL#jdbc:}" -U "$JDBC_USERNAME" -tAc 'show server_version' 2>/dev/null || true)"
  echo "pgbench=$(pgbench --version | cut -d' ' -f3)"
  echo "synchronous_commit=$(psql "$PG_URI" -U "$JDBC_USERNAME" -tAc 'show synchronous_commit' 2>/dev/null || true)"
  echo "rounds=$ROUNDS"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"
# The CPU time the hypervisor gave to other machines while this one wanted it (the 'steal' of /proc/stat),
# as a share of all CPU time over the run: how shared the machine was.
STAT_BEFORE=$(head -n 1 /proc/stat)

# The machine's CPU time so far, in clock ticks: "busy steal", busy being user, nice, system, irq and softirq.
cpu_ticks() {
  head -n 1 /proc/stat | awk '{ print $2 + $3 + $4 + $7 + $8, $9 }'
}

# cpu_fields BEFORE AFTER: the CPU time the machine spent between two cpu_ticks, in milliseconds.
cpu_fields() {
  local hz
  hz=$(getconf CLK_TCK)
  echo "$1 $2" | awk -v hz="$hz" '{ printf "cpu_busy_ms=%d cpu_steal_ms=%d", ($3 - $1) * 1000 / hz, ($4 - $2) * 1000 / hz }'
}

# The machine is shared, so the CPU time of a run is also read per process, in clock ticks: a process's
# own (utime + stime), and the stores' servers': every PostgreSQL process's own plus what the postmaster
# reaped from backends that exited (cutime + cstime), and redis-server's.
proc_ticks() {
  local ticks=
  # A process may end between being listed and being read.
  if [ -n "$1" ]; then ticks=$(awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || true); fi
  echo "${ticks:-0}"
}

store_ticks() {
  local pg=0 pid reaped
  for pid in $(pgrep -x postgres); do pg=$((pg + $(proc_ticks "$pid"))); done
  reaped=$(awk '{ print $16 + $17 }' "/proc/$(pgrep -o -x postgres)/stat" 2>/dev/null || true)
  pg=$((pg + ${reaped:-0}))
  echo "$pg $(proc_ticks "$(pgrep -o -x redis-server)")"
}

# process_cpu_fields APP_BEFORE APP_AFTER STORES_BEFORE STORES_AFTER CLIENT_TICKS: the per-process CPU
# times of a run in milliseconds: the application's JVM (0 without one), the load generator or the C client,
# PostgreSQL's and Redis's processes.
process_cpu_fields() {
  echo "$1 $2 $3 $4 $5" | awk -v hz="$(getconf CLK_TCK)" '{
      printf "cpu_app_ms=%d cpu_client_ms=%d cpu_postgres_ms=%d cpu_redis_ms=%d",
          ($2 - $1) * 1000 / hz, $7 * 1000 / hz, ($5 - $3) * 1000 / hz, ($6 - $4) * 1000 / hz }'
}

APP_PIDS=()
declare -A APP_PID
stop_apps() {
  for pid in "${APP_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${APP_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  APP_PIDS=()
}
trap stop_apps EXIT

start_app() {
  local variant=$1
  # shellcheck disable=SC2086 # APP_JAVA_OPTS and APP_ARGS are lists of options
  java $APP_JAVA_OPTS -cp "$CP" io.github.idempotency.bench.BenchApplication --server.port="${PORT[$variant]}" \
      --spring.datasource.url="$JDBC_URL" --spring.datasource.username="$JDBC_USERNAME" \
      --spring.data.redis.url="$REDIS_URL" ${APP_ARGS[$variant]} > "$OUT/app-$variant.log" 2>&1 &
  APP_PIDS+=($!)
  APP_PID[$variant]=$!
}

await_app() {
  local variant=$1
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:${PORT[$variant]}/bench/stats" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "The $variant application did not start; see $OUT/app-$variant.log" >&2
  exit 1
}

stats() {
  curl -fs "http://127.0.0.1:${PORT[$1]}/bench/stats"
}

# The JIT compiler's total time so far, in milliseconds.
jit_ms() {
  stats "$1" | sed 's/.*jit_ms=\([0-9]*\).*/\1/'
}

# Reads an application's counts until a read finds no request served since the previous one: wrk stops
# with requests in flight, and they belong to the run that sent them. Prints the summed counts, and the
# median server and store times of the first read, which holds all but those few requests.
settled_counts() {
  local app=$1 round_trips=0 commits=0 handler_runs=0 served=0 medians= line s
  while true; do
    line=$(stats "$app")
    s=$(echo "$line" | sed 's/.*served=\([0-9]*\).*/\1/')
    round_trips=$((round_trips + $(echo "$line" | sed 's/.*round_trips=\([0-9]*\).*/\1/')))
    commits=$((commits + $(echo "$line" | sed 's/.* commits=\([0-9]*\).*/\1/')))
    handler_runs=$((handler_runs + $(echo "$line" | sed 's/.*handler_runs=\([0-9]*\).*/\1/')))
    medians=${medians:-$(echo "$line" | sed 's/.*\(server_p50_us=.*\)/\1/')}
    served=$((served + s))
    if [ "$s" -eq 0 ]; then break; fi
    sleep 0.05
  done
  echo "round_trips=$round_trips commits=$commits handler_runs=$handler_runs served=$served $medians"
}

# wrk_run APP VARIANT MODE CONNECTIONS DURATION PREFIX [record [PATH]]; sets WRK_REQUESTS. APP is the
# application whose port is loaded; VARIANT names the line (by-hand-postgres runs in the plain application).
wrk_run() {
  local app=$1 variant=$2 mode=$3 connections=$4 duration=$5 prefix=$6 record=${7:-} path=${8:-/orders}
  local threads=2
  if [ "$connections" -eq 1 ] || [ "$mode" = seed ]; then threads=1; fi
  stats "$app" >/dev/null
  local result before app_before stores_before
  before=$(cpu_ticks)
  app_before=$(proc_ticks "${APP_PID[$app]}")
  stores_before=$(store_ticks)
  # wrk's CPU time: what the subshell reaped from it.
  result=$(wrk -t"$threads" -c"$connections" -d"$duration" --timeout 10s -s "$LUA" "http://127.0.0.1:${PORT[$app]}" \
      -- "$mode" "$prefix" "$REPLAY_KEYS" "$path" | grep '^RESULT'; awk '{ print "CLIENT_TICKS", $16 + $17 }' /proc/$BASHPID/stat)
  local cpu
  cpu="$(cpu_fields "$before" "$(cpu_ticks)") $(process_cpu_fields "$app_before" "$(proc_ticks "${APP_PID[$app]}")" \
      "$stores_before" "$(store_ticks)" "$(echo "$result" | sed -n 's/^CLIENT_TICKS //p')")"
  result=$(echo "$result" | grep '^RESULT')
  local counts
  counts=$(settled_counts "$app")
  echo "  $variant $mode c=$connections: ${result#RESULT } $counts"
  WRK_REQUESTS=$(echo "$result" | sed 's/.*requests=\([0-9]*\).*/\1/')
  if [ "$record" = record ]; then
    echo "HTTP round=$ROUND variant=$variant mode=$mode connections=$connections ${result#RESULT } $counts $cpu" \
        >> "$OUT/http.txt"
  fi
}

# warm_up APP VARIANT RUN [PATH]: new keys at 16 connections, WARM_CHUNK seconds at a time, until a chunk
# in which the JIT compiler worked less than JIT_QUIET_MS. On two shared cores the compiler thread competes
# with sixteen request threads and takes 20 to 60 s to finish; a fixed, shorter warm-up measured the
# interpreter and C1 code as much as the starter.
warm_up() {
  local app=$1 variant=$2 run=$3 path=${4:-/orders} chunk=0 jit before quiet=false
  jit=$(jit_ms "$app")
  while [ "$chunk" -lt "$WARM_MAX_CHUNKS" ]; do
    chunk=$((chunk + 1))
    before=$jit
    wrk_run "$app" "$variant" new 16 "${WARM_CHUNK}s" "$run-warmup-$chunk" "" "$path" | sed 's/^  /  warm-up: /'
    jit=$(jit_ms "$app")
    if [ $((jit - before)) -lt "$JIT_QUIET_MS" ]; then quiet=true; fi
    if $quiet && [ "$chunk" -ge "$WARM_MIN_CHUNKS" ]; then break; fi
    quiet=false
  done
  echo "WARMUP variant=$variant path=$path seconds=$((chunk * WARM_CHUNK)) last_chunk_jit_ms=$((jit - before)) quiet=$quiet" \
      | tee -a "$OUT/warmup.txt" | sed 's/^/  /'
}

# Sends every replay key once (the Lua script wraps around them); a slow store may need a longer go.
seed() {
  local variant=$1 run=$2 seconds=$SEED
  for _ in 1 2 3; do
    wrk_run "$variant" "$variant" seed 16 "${seconds}s" "$run"
    if [ "$WRK_REQUESTS" -ge "$REPLAY_KEYS" ]; then return 0; fi
    seconds=$((seconds * 2))
  done
  echo "Could not seed $REPLAY_KEYS replay keys for $variant" >&2
  exit 1
}

# floor APP STORE: a store's floor, measured by the running application on its own pool or client (see
# FloorController); redis-raw on sockets of its own.
floor() {
  local app=$1 store=$2
  curl -fs "http://127.0.0.1:${PORT[$app]}/bench/floor?store=$store&threads=1,16&warmup-ms=$FLOOR_WARMUP_MS&measure-ms=$FLOOR_MEASURE_MS" \
      | grep '^FLOOR' | sed "s/^FLOOR /FLOOR round=$ROUND /" | tee -a "$OUT/floor.txt" | sed 's/^/  /'
}

# percentiles FILE: the p50 and p99 of the numbers in a file, one a line, as FloorHarness takes them.
percentiles() {
  sort -n "$1" | awk '{ v[NR] = $1 } END {
      i50 = int(NR * 0.50); if (i50 < NR * 0.50) i50++; i99 = int(NR * 0.99); if (i99 < NR * 0.99) i99++;
      printf "p50_us=%d p99_us=%d", v[i50 < 1 ? 1 : i50], v[i99 < 1 ? 1 : i99] }'
}

# pgbench_floor MODE CLIENTS: the JDBC store's claim and completion (MODE sync, or async for the claim of
# claim-commit=ASYNC) by pgbench, the C client of PostgreSQL, each autocommitted, prepared, a new key per
# transaction; its transaction log gives each pair's latency. MODE tx-plain, tx-empty and tx-store: the
# scripts of one business row in a transaction (PhysicalFloorScripts).
pgbench_floor() {
  local mode=$1 clients=$2 jobs=1 prefix="$OUT/pgbench/$1-c$2-r$ROUND" before out cpu tps
  if [ "$clients" -gt 1 ]; then jobs=2; fi
  local stores_before
  before=$(cpu_ticks)
  stores_before=$(store_ticks)
  out=$(pgbench -n -M prepared -c "$clients" -j "$jobs" -T "${MEASURE%s}" -f "$OUT/physical/pgbench-$mode.sql" \
      "${PGBENCH_DEFINES[@]}" -l --log-prefix="$prefix" -U "$JDBC_USERNAME" "$PG_URI" 2>&1; \
      awk '{ print "CLIENT_TICKS", $16 + $17 }' /proc/$BASHPID/stat)
  cpu="$(cpu_fields "$before" "$(cpu_ticks)") $(process_cpu_fields 0 0 "$stores_before" "$(store_ticks)" \
      "$(echo "$out" | sed -n 's/^CLIENT_TICKS //p')")"
  tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p')
  cat "$prefix".[0-9]* | awk '{ print $3 }' > "$prefix.latencies"
  rm -f "$prefix".[0-9]*
  echo "FLOOR round=$ROUND store=pgbench-$mode threads=$clients gap_us=0 ops=$(wc -l < "$prefix.latencies") ops_per_s=$tps $(percentiles "$prefix.latencies") $cpu" \
      | tee -a "$OUT/floor.txt" | sed 's/^/  /'
}

# redis_benchmark_floor: the Redis store's two commands one at a time by redis-benchmark, the C client of
# Redis, at one connection, random keys: SET NX PX with a value of the claim's length, and the completion
# script by EVALSHA with arguments of its lengths (on a key it does not own, so the script reads and
# stops: the round trip without the write).
redis_benchmark_floor() {
  local record_bytes owner_bytes tail_bytes lease_ms ttl_ms sha
  eval "$(cat "$OUT/physical/redis.txt")"
  sha=$(redis-cli -u "$REDIS_URL" SCRIPT LOAD "$(cat "$OUT/physical/redis-complete.lua")")
  redis_benchmark_command set SET "bench-physical:__rand_int__" "$(printf 'v%.0s' $(seq 1 "$record_bytes"))" NX PX "$lease_ms"
  redis_benchmark_command evalsha EVALSHA "$sha" 1 "bench-physical:__rand_int__" \
      "$(printf 'o%.0s' $(seq 1 "$owner_bytes"))" "$(printf 't%.0s' $(seq 1 "$tail_bytes"))" "$ttl_ms"
}

redis_benchmark_command() {
  local name=$1 before line cpu
  shift
  before=$(cpu_ticks)
  line=$(redis-benchmark -u "$REDIS_URL" -c 1 -n "$REDIS_BENCHMARK_REQUESTS" -r 100000000 --csv "$@" | tail -n 1)
  cpu=$(cpu_fields "$before" "$(cpu_ticks)")
  # "name","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  echo "$line" | tr -d '"' | awk -F, -v round="$ROUND" -v name="$name" -v cpu="$cpu" '{
      printf "FLOOR round=%s store=redis-benchmark-%s threads=1 gap_us=0 ops=%d ops_per_s=%.0f p50_us=%.0f p99_us=%.0f %s\n",
          round, name, 0, $(NF - 6), $(NF - 3) * 1000, $(NF - 1) * 1000, cpu }' \
      | tee -a "$OUT/floor.txt" | sed 's/^/  /'
}

statement_timeout() {
  curl -fs -X POST "http://127.0.0.1:${PORT[jdbc]}/bench/statement-timeout?enabled=$1" >/dev/null
}

claim_commit() {
  curl -fs -X POST "http://127.0.0.1:${PORT[jdbc]}/bench/claim-commit?mode=$1" >/dev/null
}

# The 1-connection runs of a round, each store's floor next to its application's runs and to the same
# work done by hand, and the plain endpoint in the middle. Every variant sends keys of its own: the
# by-hand work shares the JDBC store's table and the Redis store's key space.
LATENCY_STEPS=(pgbench floor:jdbc jdbc jdbc-no-timeout jdbc-async by-hand:postgres plain memory by-hand:redis redis jedis
    floor:redis redis-raw redis-benchmark)
latency_step() {
  local step=$1
  case "$step" in
    floor:jdbc)
      # pgjdbc as the in-JVM floor uses it, then with the store's statement timeout (a timer task per
      # statement), then never preparing on the server (prepareThreshold=0).
      for floor in postgres postgres-timeout postgres-unprepared; do floor jdbc "$floor"; done ;;
    floor:redis) floor redis redis ;;
    redis-raw) floor redis redis-raw ;;
    redis-benchmark) redis_benchmark_floor ;;
    pgbench)
      for clients in 1 16; do
        pgbench_floor sync "$clients"
        pgbench_floor async "$clients"
      done
      # The transactional endpoints' physical floor: one business row in a transaction, alone, between two
      # statements that do nothing, and between the store's claim and completion.
      for mode in tx-plain tx-empty tx-store; do pgbench_floor "$mode" 16; done ;;
    jdbc-async)
      # The same JDBC application with claim-commit=ASYNC for one run: one flush per first request.
      claim_commit ASYNC
      wrk_run jdbc jdbc-async new 1 "$MEASURE" "$RUN-jdbc-async-c1-$ROUND" record
      claim_commit SYNC ;;
    jdbc-no-timeout)
      # The same JDBC application with its statement timeout off for one run: what pgjdbc's per-statement
      # timer costs.
      statement_timeout false
      wrk_run jdbc jdbc-no-timeout new 1 "$MEASURE" "$RUN-jdbc-no-timeout-c1-$ROUND" record
      statement_timeout true ;;
    by-hand:*)
      local store=${step#by-hand:}
      wrk_run plain "by-hand-$store" new 1 "$MEASURE" "$RUN-by-hand-$store-c1-$ROUND" record "/by-hand/$store/orders" ;;
    *)
      wrk_run "$step" "$step" new 1 "$MEASURE" "$RUN-$step-c1-$ROUND" record
      wrk_run "$step" "$step" replay 1 "$MEASURE" "$RUN-$step" record ;;
  esac
}

# The 16-connection runs of the JDBC application beyond /orders: claim-commit=ASYNC, and the transactional
# endpoints.
jdbc_c16_runs() {
  claim_commit ASYNC
  wrk_run jdbc jdbc-async new 16 "$MEASURE" "$RUN-jdbc-async-c16-$ROUND" record
  claim_commit SYNC
  for endpoint in "$@"; do
    wrk_run jdbc "$endpoint" new 16 "$MEASURE" "$RUN-$endpoint-c16-$ROUND" record "${TX_PATH[$endpoint]}"
  done
}

# pg_wal: the server's WAL counters, "wal_sync wal_write wal_records".
pg_wal() {
  psql "$PG_URI" -U "$JDBC_USERNAME" -tAF' ' -c 'select wal_sync, wal_write, wal_records from pg_stat_wal'
}

# flushes MODE CONNECTIONS: the WAL flushes the server made while the JDBC application served new keys with
# claim-commit MODE (or none: the same window without requests, what the server's other clients flushed).
# A backend reports its counts up to 10 s after its last transaction (PGSTAT_IDLE_INTERVAL), so each
# window outlasts its run by FLUSH_SETTLE seconds.
flushes() {
  local mode=$1 connections=$2 before after requests=0
  before=$(pg_wal)
  if [ "$mode" = none ]; then
    sleep "$FLUSH_RUN"
  else
    claim_commit "$mode"
    wrk_run jdbc "flush-$mode" new "$connections" "${FLUSH_RUN}s" "$RUN-flush-$mode-c$connections"
    requests=$WRK_REQUESTS
    claim_commit SYNC
  fi
  sleep "$FLUSH_SETTLE"
  after=$(pg_wal)
  echo "$before $after" | awk -v mode="$mode" -v c="$connections" -v r="$requests" -v s=$((FLUSH_RUN + FLUSH_SETTLE)) '{
      printf "FLUSH mode=%s connections=%s requests=%d window_s=%d wal_sync=%d wal_write=%d wal_records=%d\n",
          mode, c, r, s, $4 - $1, $5 - $2, $6 - $3 }' | tee -a "$OUT/flush.txt" | sed 's/^/  /'
}

echo "Starting the applications"
for variant in "${VARIANTS[@]}"; do start_app "$variant"; done
for variant in "${VARIANTS[@]}"; do await_app "$variant"; done

# The business table of the transactional pgbench scripts; the JDBC application has created the store's.
psql "$PG_URI" -U "$JDBC_USERNAME" -q -f "$OUT/physical/pgbench-tx-setup.sql"

RUN="run-$(date +%s)"
for variant in "${VARIANTS[@]}"; do
  echo "Warming up $variant"
  warm_up "$variant" "$variant" "$RUN-$variant"
  if [ "$variant" = plain ]; then
    for store in postgres redis; do
      warm_up plain "by-hand-$store" "$RUN-by-hand-$store" "/by-hand/$store/orders"
    done
  fi
  if [ "$variant" = jdbc ]; then
    for endpoint in "${TX_ENDPOINTS[@]}"; do
      warm_up jdbc "$endpoint" "$RUN-$endpoint" "${TX_PATH[$endpoint]}"
    done
  fi
  seed "$variant" "$RUN-$variant"
done

for ROUND in $(seq 1 "$ROUNDS"); do
  echo "Round $ROUND of $ROUNDS"
  order=("${VARIANTS[@]}")
  tx=("${TX_ENDPOINTS[@]}")
  steps=("${LATENCY_STEPS[@]}")
  if [ $((ROUND % 2)) -eq 0 ]; then
    order=(jedis redis jdbc memory plain)
    tx=(tx-http tx-method tx-floor tx-plain)
    steps=(redis-benchmark redis-raw floor:redis jedis redis by-hand:redis memory plain by-hand:postgres jdbc-async
        jdbc-no-timeout jdbc floor:jdbc pgbench)
  fi
  for variant in "${order[@]}"; do
    wrk_run "$variant" "$variant" new 16 "$MEASURE" "$RUN-$variant-c16-$ROUND" record
    wrk_run "$variant" "$variant" replay 16 "$MEASURE" "$RUN-$variant" record
    if [ "$variant" = jdbc ]; then jdbc_c16_runs "${tx[@]}"; fi
  done
  for step in "${steps[@]}"; do latency_step "$step"; done
done

echo "WAL flushes per request, claim-commit SYNC and ASYNC"
for connections in 1 16; do
  for mode in SYNC ASYNC; do flushes "$mode" "$connections"; done
done
flushes none 0
stop_apps

echo "JMH"
# shellcheck disable=SC2086 # JMH_OPTS is a list of options
java -cp "$CP" org.openjdk.jmh.Main 'io\.github\.idempotency\.web\..*Benchmark.*' $JMH_OPTS -prof gc \
    -rf csv -rff "$OUT/jmh.csv" > "$OUT/jmh.log" 2>&1 || { tail -n 30 "$OUT/jmh.log" >&2; exit 1; }
echo "JMH: the method front door"
# shellcheck disable=SC2086 # JMH_OPTS is a list of options
java -cp "$CP" org.openjdk.jmh.Main 'io\.github\.idempotency\.bench\.IdempotentMethodBenchmark' $JMH_METHOD_OPTS \
    -jvmArgsAppend "-Dbench.jdbc-url=$JDBC_URL -Dbench.jdbc-username=$JDBC_USERNAME -Dbench.redis-url=$REDIS_URL" \
    -rf csv -rff "$OUT/jmh-method.csv" > "$OUT/jmh-method.log" 2>&1 || { tail -n 30 "$OUT/jmh-method.log" >&2; exit 1; }

echo "In-memory store footprint"
java -cp "$CP" io.github.idempotency.bench.MemoryStoreFootprint "$FOOTPRINT_RECORDS" > "$OUT/footprint.txt"

echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
echo "$STAT_BEFORE" "$(head -n 1 /proc/stat)" | awk '{ for (i = 2; i <= 11; i++) { total += $(i + 11) - $i }
    printf "cpu_steal=%.1f %%\n", 100 * ($20 - $9) / total }' >> "$OUT/machine.txt"
echo "finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$OUT/machine.txt"
java -cp "$CP" io.github.idempotency.bench.BenchReport "$OUT" > "$OUT/report.md"
cat "$OUT/report.md"
