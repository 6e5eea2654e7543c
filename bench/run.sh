#!/usr/bin/env bash
# Reproduces every number in the tables of docs/benchmarks.md, in one run (about 12 minutes on 2 cores):
#   1. builds the bench module (never installs anything into ~/.m2);
#   2. for each variant one after the other, each in its own JVM: plain endpoint, @Idempotent on the
#      in-memory store, on JDBC (PostgreSQL) and on Redis: starts the application and warms it up until the
#      JIT compiler has nothing left to do (see warm_up), seeds the replay keys, then, twice over (the
#      machine is shared and noisy; the report keeps the better round of each number), runs wrk for new keys
#      and replays at 16 connections (throughput) and at 1 connection (p50/p99), reading the store round
#      trips and handler runs of each wrk run from the application; on JDBC and Redis the store's floor is
#      measured in the application (its own pool or client) just before the 1-connection runs; the plain
#      variant also measures each store's floor work done by hand around the same handler
#      (/by-hand/{store}/orders, ByHandStoreFilter), at 1 connection;
#   3. JMH benchmarks of the in-process work with the GC profiler;
#   4. writes bench/target/results/report.md, the tables of docs/benchmarks.md.
#
# Usage: bench/run.sh [--quick]     (--quick: one round of a few seconds per step and a short warm-up,
#                                   about 4 minutes, to try the script, not to measure)
# Needs PostgreSQL and Redis on 127.0.0.1 (BENCH_JDBC_URL, BENCH_JDBC_USERNAME, BENCH_REDIS_URL override
# them); installs wrk with apt-get when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
if $QUICK; then
  ROUNDS=1; SEED=2; WARM_CHUNK=2; WARM_MIN_CHUNKS=1; WARM_MAX_CHUNKS=1; MEASURE=2s
  FLOOR_WARMUP_MS=500; FLOOR_MEASURE_MS=1000
  JMH_OPTS="-f 1 -wi 1 -w 200ms -i 1 -r 300ms"
else
  ROUNDS=2; SEED=4; WARM_CHUNK=5; WARM_MIN_CHUNKS=2; WARM_MAX_CHUNKS=24; MEASURE=8s
  FLOOR_WARMUP_MS=2000; FLOOR_MEASURE_MS=4000
  JMH_OPTS="-f 1 -wi 2 -w 500ms -i 3 -r 1s"
fi
# Warmed up: a warm-up chunk during which the JIT compiler worked less than this (out of WARM_CHUNK s).
JIT_QUIET_MS=500
JDBC_URL=${BENCH_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/test}
JDBC_USERNAME=${BENCH_JDBC_USERNAME:-postgres}
REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379}
PORT=${BENCH_PORT:-18080}
REPLAY_KEYS=1000
APP_JAVA_OPTS="-Xms1g -Xmx1g"
OUT=bench/target/results
LUA=bench/wrk/orders.lua

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk"
  if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

echo "Building the bench module"
./mvnw -B -q -pl bench -am package -DskipTests
CP="bench/target/classes:$(cat bench/target/classpath.txt)"

rm -rf "$OUT"
mkdir -p "$OUT"
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
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"

APP_PID=
stop_app() {
  if [ -n "$APP_PID" ]; then
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    APP_PID=
  fi
}
trap stop_app EXIT

start_app() {
  local variant=$1; shift
  # shellcheck disable=SC2086 # APP_JAVA_OPTS is a list of options
  java $APP_JAVA_OPTS -cp "$CP" io.github.idempotency.bench.BenchApplication --server.port="$PORT" \
      --spring.datasource.url="$JDBC_URL" --spring.datasource.username="$JDBC_USERNAME" \
      --spring.data.redis.url="$REDIS_URL" "$@" > "$OUT/app-$variant.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$PORT/bench/stats" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$APP_PID" 2>/dev/null; then break; fi
    sleep 0.5
  done
  echo "The $variant application did not start; see $OUT/app-$variant.log" >&2
  exit 1
}

stats() {
  curl -fs "http://127.0.0.1:$PORT/bench/stats"
}

# The JIT compiler's total time so far, in milliseconds.
jit_ms() {
  stats | sed 's/.*jit_ms=\([0-9]*\).*/\1/'
}

# wrk_run VARIANT MODE CONNECTIONS DURATION PREFIX [record [PATH]]; sets WRK_REQUESTS
wrk_run() {
  local variant=$1 mode=$2 connections=$3 duration=$4 prefix=$5 record=${6:-} path=${7:-/orders}
  local threads=2
  if [ "$connections" -eq 1 ] || [ "$mode" = seed ]; then threads=1; fi
  stats >/dev/null
  local result
  result=$(wrk -t"$threads" -c"$connections" -d"$duration" --timeout 10s -s "$LUA" "http://127.0.0.1:$PORT" \
      -- "$mode" "$prefix" "$REPLAY_KEYS" "$path" | grep '^RESULT')
  # Requests still in flight as wrk stops are answered within this run's counts.
  sleep 1
  local counts
  counts=$(stats)
  echo "  $variant $mode c=$connections: ${result#RESULT } $counts"
  WRK_REQUESTS=$(echo "$result" | sed 's/.*requests=\([0-9]*\).*/\1/')
  if [ "$record" = record ]; then
    echo "HTTP round=$ROUND variant=$variant mode=$mode connections=$connections ${result#RESULT } $counts" \
        >> "$OUT/http.txt"
  fi
}

# warm_up VARIANT RUN [PATH]: new keys at 16 connections, WARM_CHUNK seconds at a time, until a chunk in
# which the JIT compiler worked less than JIT_QUIET_MS. On two shared cores the compiler thread competes
# with sixteen request threads and takes 20 to 60 s to finish; a fixed, shorter warm-up measured the
# interpreter and C1 code as much as the starter.
warm_up() {
  local variant=$1 run=$2 path=${3:-/orders} chunk=0 jit before quiet=false
  jit=$(jit_ms)
  while [ "$chunk" -lt "$WARM_MAX_CHUNKS" ]; do
    chunk=$((chunk + 1))
    before=$jit
    wrk_run "$variant" new 16 "${WARM_CHUNK}s" "$run-warmup-$chunk" "" "$path" | sed 's/^  /  warm-up: /'
    jit=$(jit_ms)
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
    wrk_run "$variant" seed 16 "${seconds}s" "$run"
    if [ "$WRK_REQUESTS" -ge "$REPLAY_KEYS" ]; then return 0; fi
    seconds=$((seconds * 2))
  done
  echo "Could not seed $REPLAY_KEYS replay keys for $variant" >&2
  exit 1
}

measure_variant() {
  local variant=$1 floor_store=$2; shift 2
  echo "Variant $variant"
  start_app "$variant" "$@"
  local run
  run="$variant-$(date +%s)"
  warm_up "$variant" "$run"
  if [ "$variant" = plain ]; then
    warm_up by-hand-postgres "$run" /by-hand/postgres/orders
    warm_up by-hand-redis "$run" /by-hand/redis/orders
  fi
  seed "$variant" "$run"
  for ROUND in $(seq 1 "$ROUNDS"); do
    wrk_run "$variant" new 16 "$MEASURE" "$run-c16-$ROUND" record
    wrk_run "$variant" replay 16 "$MEASURE" "$run" record
    if [ -n "$floor_store" ]; then floor "$floor_store"; fi
    wrk_run "$variant" new 1 "$MEASURE" "$run-c1-$ROUND" record
    wrk_run "$variant" replay 1 "$MEASURE" "$run" record
    if [ "$variant" = plain ]; then
      wrk_run by-hand-postgres new 1 "$MEASURE" "$run-c1-$ROUND" record /by-hand/postgres/orders
      wrk_run by-hand-redis new 1 "$MEASURE" "$run-c1-$ROUND" record /by-hand/redis/orders
    fi
  done
  stop_app
}

# The store's floor, measured by the running application on its own pool or client (see FloorController).
floor() {
  curl -fs "http://127.0.0.1:$PORT/bench/floor?store=$1&threads=1,16&warmup-ms=$FLOOR_WARMUP_MS&measure-ms=$FLOOR_MEASURE_MS" \
      | grep '^FLOOR' | sed "s/^FLOOR /FLOOR round=$ROUND /" | tee -a "$OUT/floor.txt" | sed 's/^/  /'
}

measure_variant plain "" --bench.idempotent=false --idempotency.enabled=false
measure_variant memory "" --bench.idempotent=true --idempotency.store.type=memory
measure_variant jdbc postgres --bench.idempotent=true --idempotency.store.type=jdbc
measure_variant redis redis --bench.idempotent=true --idempotency.store.type=redis

echo "JMH"
# shellcheck disable=SC2086 # JMH_OPTS is a list of options
java -cp "$CP" org.openjdk.jmh.Main 'io\.github\.idempotency\.web\..*Benchmark.*' $JMH_OPTS -prof gc \
    -rf csv -rff "$OUT/jmh.csv" > "$OUT/jmh.log" 2>&1 || { tail -n 30 "$OUT/jmh.log" >&2; exit 1; }

echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
echo "finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$OUT/machine.txt"
java -cp "$CP" io.github.idempotency.bench.BenchReport "$OUT" > "$OUT/report.md"
cat "$OUT/report.md"
