#!/usr/bin/env bash
# An experiment beside run.sh: where the CPU time of the transactional endpoints goes, in the JDBC application's
# JVM and in PostgreSQL, and how much WAL each request writes. Starts the JDBC application, warms its three
# transactional endpoints up, then in ROUNDS interleaved rounds runs each at 16 connections for 3 s, reading
# before and after: the JVM's CPU time (/proc/PID/stat), all PostgreSQL processes' CPU time, the machine's
# busy CPU time (/proc/stat), and pg_current_wal_lsn(). Prints one line per run and the medians per endpoint.
# ENDPOINTS chooses the endpoints (default "plain method http"; "floor" is the plain transaction between two
# statements that do nothing), APP_OPTS adds the application's arguments (say --idempotency.store.timeout=1s).
# Run it after bench/run.sh has built the module (it uses bench/target/classes).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-6}
PORT=18092
JDBC_URL=${BENCH_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/test}
JDBC_USERNAME=${BENCH_JDBC_USERNAME:-postgres}
PG_URI=${JDBC_URL#jdbc:}
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
OUT=bench/target/experiments
mkdir -p "$OUT"
java -Xms1g -Xmx1g -cp "$CP" io.github.idempotency.bench.BenchApplication --server.port=$PORT \
    --spring.datasource.url="$JDBC_URL" --spring.datasource.username="$JDBC_USERNAME" \
    --bench.idempotent=true --idempotency.store.type=jdbc ${APP_OPTS:-} > "$OUT/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true; wait $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$PORT/bench/stats" >/dev/null 2>&1 && break; sleep 0.5; done

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
pg_ticks() {
  local total=0 pid
  for pid in $(pgrep -x postgres); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
busy() { head -n 1 /proc/stat | awk '{ print $2 + $3 + $4 + $7 + $8 }'; }
lsn() { psql "$PG_URI" -U "$JDBC_USERNAME" -tAc "select pg_current_wal_lsn() - '0/0'::pg_lsn"; }
HZ=$(getconf CLK_TCK)

run() {
  local endpoint=$1 seconds=$2 record=$3 jvm pg machine wal out requests
  jvm=$(ticks $APP); pg=$(pg_ticks); machine=$(busy); wal=$(lsn)
  out=$(wrk -t2 -c16 -d"${seconds}s" -s bench/wrk/orders.lua "http://127.0.0.1:$PORT" -- new "x-$endpoint-$RANDOM$RANDOM" 1000 "/tx/$endpoint/orders" | grep '^RESULT')
  requests=$(echo "$out" | sed 's/.*requests=\([0-9]*\).*/\1/')
  if [ "$record" = record ]; then
    echo "$endpoint $requests $(( $(ticks $APP) - jvm )) $(( $(pg_ticks) - pg )) $(( $(busy) - machine )) $(( $(lsn) - wal ))" \
        | awk -v hz="$HZ" '{ printf "TX endpoint=%s requests=%d rps=%.0f jvm_us=%.0f postgres_us=%.0f machine_us=%.0f wal_bytes=%.0f\n",
            $1, $2, $2 / 3, $3 * 1e6 / hz / $2, $4 * 1e6 / hz / $2, $5 * 1e6 / hz / $2, $6 / $2 }' | tee -a "$OUT/transactional-cpu.txt"
  fi
}
rm -f "$OUT/transactional-cpu.txt"
ENDPOINTS=(${ENDPOINTS:-plain method http})
for endpoint in "${ENDPOINTS[@]}"; do for _ in 1 2 3 4; do run "$endpoint" 5 warm-up; done; done
for round in $(seq 1 "$ROUNDS"); do
  order=("${ENDPOINTS[@]}"); [ $((round % 2)) -eq 0 ] && order=($(printf '%s\n' "${ENDPOINTS[@]}" | tac))
  for endpoint in "${order[@]}"; do run "$endpoint" 3 record; done
done
for endpoint in "${ENDPOINTS[@]}"; do
  grep "endpoint=$endpoint " "$OUT/transactional-cpu.txt" | awk -v e="$endpoint" '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]][NR] = kv[2] } n = NR }
    END { printf "MEDIAN endpoint=%s", e; for (k in v) { m = asort(v[k], s); printf " %s=%s", k, s[int((m + 1) / 2)] } print "" }'
done
