#!/usr/bin/env bash
# Reproduces every number in the tables of docs/benchmarks.md, in one run (about 11 minutes on 2 cores):
#   1. builds the bench module (never installs anything into ~/.m2);
#   2. twice over (the machine is shared and noisy; the report keeps the better of the two passes), for each
#      variant one after the other: plain endpoint, @Idempotent on the in-memory store, on JDBC (PostgreSQL)
#      and on Redis: starts the application, warms it up, seeds the replay keys, then runs wrk for new keys
#      and replays at 16 connections (throughput) and at 1 connection (p50/p99), reading the store round
#      trips and handler runs of each wrk run from the application; on JDBC and Redis the store's floor is
#      measured in the application (its own pool or client) just before the 1-connection runs;
#   3. JMH benchmarks of the in-process work with the GC profiler;
#   4. writes bench/target/results/report.md, the tables of docs/benchmarks.md.
#
# Usage: bench/run.sh [--quick]     (--quick: one pass of a few seconds per step, about 4 minutes, to try
#                                   the script, not to measure)
# Needs PostgreSQL and Redis on 127.0.0.1 (BENCH_JDBC_URL, BENCH_JDBC_USERNAME, BENCH_REDIS_URL override
# them); installs wrk with apt-get when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
if $QUICK; then
  PASSES=1; SEED=2; WARMUP=2s; MEASURE=2s; FLOOR_WARMUP_MS=500; FLOOR_MEASURE_MS=1000
  JMH_OPTS="-f 1 -wi 1 -w 200ms -i 1 -r 300ms"
else
  PASSES=2; SEED=4; WARMUP=8s; MEASURE=8s; FLOOR_WARMUP_MS=2000; FLOOR_MEASURE_MS=4000
  JMH_OPTS="-f 1 -wi 2 -w 500ms -i 3 -r 1s"
fi
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

# wrk_run VARIANT MODE CONNECTIONS DURATION PREFIX [record]; sets WRK_REQUESTS
wrk_run() {
  local variant=$1 mode=$2 connections=$3 duration=$4 prefix=$5 record=${6:-}
  local threads=2
  if [ "$connections" -eq 1 ] || [ "$mode" = seed ]; then threads=1; fi
  curl -fs "http://127.0.0.1:$PORT/bench/stats" >/dev/null
  local result
  result=$(wrk -t"$threads" -c"$connections" -d"$duration" --timeout 10s -s "$LUA" "http://127.0.0.1:$PORT" \
      -- "$mode" "$prefix" "$REPLAY_KEYS" | grep '^RESULT')
  # Requests still in flight as wrk stops are answered within this run's counts.
  sleep 1
  local stats
  stats=$(curl -fs "http://127.0.0.1:$PORT/bench/stats")
  echo "  $variant $mode c=$connections: ${result#RESULT } $stats"
  WRK_REQUESTS=$(echo "$result" | sed 's/.*requests=\([0-9]*\).*/\1/')
  if [ "$record" = record ]; then
    echo "HTTP pass=$PASS variant=$variant mode=$mode connections=$connections ${result#RESULT } $stats" \
        >> "$OUT/http.txt"
  fi
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
  echo "Variant $variant (pass $PASS)"
  start_app "$variant" "$@"
  local run
  run="$variant-$PASS-$(date +%s)"
  wrk_run "$variant" new 16 "$WARMUP" "$run-warmup"
  seed "$variant" "$run"
  wrk_run "$variant" new 16 "$MEASURE" "$run-c16" record
  wrk_run "$variant" replay 16 "$MEASURE" "$run" record
  if [ -n "$floor_store" ]; then floor "$floor_store"; fi
  wrk_run "$variant" new 1 "$MEASURE" "$run-c1" record
  wrk_run "$variant" replay 1 "$MEASURE" "$run" record
  stop_app
}

# The store's floor, measured by the running application on its own pool or client (see FloorController).
floor() {
  curl -fs "http://127.0.0.1:$PORT/bench/floor?store=$1&threads=1,16&warmup-ms=$FLOOR_WARMUP_MS&measure-ms=$FLOOR_MEASURE_MS" \
      | grep '^FLOOR' | sed "s/^FLOOR /FLOOR pass=$PASS /" | tee -a "$OUT/floor.txt" | sed 's/^/  /'
}

for PASS in $(seq 1 "$PASSES"); do
  echo "Pass $PASS of $PASSES"
  measure_variant plain "" --bench.idempotent=false --idempotency.enabled=false
  measure_variant memory "" --bench.idempotent=true --idempotency.store.type=memory
  measure_variant jdbc postgres --bench.idempotent=true --idempotency.store.type=jdbc
  measure_variant redis redis --bench.idempotent=true --idempotency.store.type=redis
done

echo "JMH"
# shellcheck disable=SC2086 # JMH_OPTS is a list of options
java -cp "$CP" org.openjdk.jmh.Main 'io\.github\.idempotency\.web\..*Benchmark.*' $JMH_OPTS -prof gc \
    -rf csv -rff "$OUT/jmh.csv" > "$OUT/jmh.log" 2>&1 || { tail -n 30 "$OUT/jmh.log" >&2; exit 1; }

echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
echo "finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$OUT/machine.txt"
java -cp "$CP" io.github.idempotency.bench.BenchReport "$OUT" > "$OUT/report.md"
cat "$OUT/report.md"
