#!/usr/bin/env bash
# pipeline_bench: the temperature pipeline end to end (issue 8), at rising rates.
#
#   bench/pipeline_bench.sh [BUILD_DIR=build] [SECONDS=20] [RATES="250 500 1000 2000 5000"] [DEVICES=50]
#
# For each rate R: a fresh `lambkin run examples/temperature/template.yaml` (tables in memory), then
# `lambkin-devices --rate R --qos 1` for SECONDS; then it waits (up to 60 s, watching /_lambkin/metrics) for the async queue to
# drain and counts the items in the table. Reported per rate: readings sent and acknowledged, stored
# and lost, the publish rate achieved, and the time from the rule's timestamp() to the item's storedAt
# (StoreTemperature stamps it) at p50 and p99. A rate is "held" when nothing is lost.
#
# The floor, in the same run: the same simulator at the same rate against lambkin's broker alone (a
# template with no rules and no functions), i.e. what MQTT QoS 1 costs without the pipeline; the
# ratio stored/s ÷ floor acked/s says how much of the publish rate the pipeline keeps up with.
# Where a reading's CPU goes: lambkin's own CPU time (broker, rule, async queue, Runtime API,
# DynamoDB endpoint) and its function processes' (Node: the runtime, the handler, the SDK's PutItem)
# over the run, divided by the readings stored: µs of CPU per reading on each side.
# Start-up to ready and idle memory (RSS of lambkin alone, no function started yet) are measured too.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
seconds="${2:-20}"
rates="${3:-250 500 1000 2000 5000}"
devices="${4:-50}"
lambkin="$build/emulator/lambkin"
fleet="$build/emulator/lambkin-devices"
tmp="$(mktemp -d)"
pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

start() {  # start TEMPLATE: lambkin on free ports; sets pid, mqtt, aws, startup_ms
  rm -f "$tmp/ready.json"
  local t0 t1
  t0=$(date +%s%N)
  "$lambkin" run "$1" --aws-port 0 --mqtt-port 0 --http-port 0 --ws-port 0 --data-dir :memory: \
    --ready-file "$tmp/ready.json" 2>"$tmp/lambkin.log" &
  pid=$!
  until [[ -s "$tmp/ready.json" ]]; do kill -0 "$pid" || { cat "$tmp/lambkin.log"; exit 1; }; sleep 0.005; done
  t1=$(date +%s%N)
  startup_ms=$(( (t1 - t0) / 1000000 ))
  mqtt=$(jq .mqtt "$tmp/ready.json")
  aws=$(jq .aws "$tmp/ready.json")
}
stop() { kill -TERM "$pid"; wait "$pid" || true; pid=""; }
ddb() {
  curl -s -X POST "http://127.0.0.1:$aws/" -H "X-Amz-Target: DynamoDB_20120810.$1" \
    -H 'Content-Type: application/x-amz-json-1.0' -d "$2"
}
count() {  # items in the table: Scan pages stop at 1 MB, so follow LastEvaluatedKey
  local total=0 key=null page req
  while :; do
    req='{"TableName":"TemperatureReadings","Select":"COUNT"'
    [[ "$key" != null ]] && req+=",\"ExclusiveStartKey\":$key"
    page=$(ddb Scan "$req}")
    total=$((total + $(jq '.Count // 0' <<<"$page")))
    key=$(jq -c '.LastEvaluatedKey // null' <<<"$page")
    [[ "$key" == null ]] && break
  done
  echo "$total"
}
cpu_ticks() {  # cpu_ticks PID: "SELF CHILDREN" CPU clock ticks (user+system) of PID, and of its descendants
  # (function runtimes: those still running from /proc, those reaped from PID's cutime+cstime)
  local self kids=0 c
  self=$(awk '{ print $14 + $15, $16 + $17 }' "/proc/$1/stat")
  for c in $(pgrep -P "$1" || true); do
    read -r c_self c_kids <<<"$(cpu_ticks "$c")"
    kids=$((kids + c_self + c_kids))
  done
  echo "${self% *} $(( ${self#* } + kids ))"
}
finished() {  # StoreTemperature's async events finished so far
  curl -s "http://127.0.0.1:$aws/_lambkin/metrics" |
    awk '/^lambkin_lambda_async_events_finished_total\{.*function="StoreTemperature"/ { s += $NF } END { print s + 0 }'
}

# The floor's template: no rules, no functions (a template needs one resource: a table nobody uses).
cat >"$tmp/broker-only.yaml" <<'EOF'
Transform: AWS::Serverless-2016-10-31
Resources:
  Unused:
    Type: AWS::Serverless::SimpleTable
EOF

echo "pipeline_bench: ${seconds}s per rate, $devices devices, QoS 1; $(nproc) cores"
start "$root/examples/temperature/template.yaml"
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo "start-up to ready: ${startup_ms} ms (target < 100 ms)   idle RSS: $((rss_kb / 1024)) MB (target < 20 MB)"
stop

tick_us=$((1000000 / $(getconf CLK_TCK)))
printf '\n%8s %9s %9s %9s %7s %9s %11s %9s %9s %7s %12s %12s\n' rate/s sent acked stored lost stored/s floor_ack/s ratio p50_ms p99_ms \
  lambkin_us/r functions_us/r
for rate in $rates; do
  start "$tmp/broker-only.yaml"
  floor=$("$fleet" --port "$mqtt" --devices "$devices" --rate "$rate" --duration "$seconds" --qos 1 --json || true)
  stop
  start "$root/examples/temperature/template.yaml"
  read -r cpu0_self cpu0_kids <<<"$(cpu_ticks "$pid")"
  run=$("$fleet" --port "$mqtt" --devices "$devices" --rate "$rate" --duration "$seconds" --qos 1 --json || true)
  acked=$(jq .acknowledged <<<"$run")
  t0=$(date +%s%N)
  stored=0
  # Progress from lambkin's metrics (cheap), not from Scans (which would compete with the pipeline).
  for _ in $(seq 1 300); do [[ "$(finished)" -ge "$acked" ]] && break; sleep 0.2; done
  read -r cpu1_self cpu1_kids <<<"$(cpu_ticks "$pid")"
  stored=$(count)
  drain_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  # Latency: storedAt - ts of every item (all pages of a Scan).
  : >"$tmp/lat.txt"
  start_key=null
  while :; do
    req="{\"TableName\":\"TemperatureReadings\",\"ProjectionExpression\":\"ts, storedAt\""
    [[ "$start_key" != null ]] && req+=",\"ExclusiveStartKey\":$start_key"
    page=$(ddb Scan "$req}")
    jq -r '.Items[] | select(.storedAt) | ((.storedAt.N|tonumber) - (.ts.N|tonumber))' <<<"$page" >>"$tmp/lat.txt"
    start_key=$(jq -c '.LastEvaluatedKey // null' <<<"$page")
    [[ "$start_key" == null ]] && break
  done
  stop
  sort -n "$tmp/lat.txt" >"$tmp/lat.sorted"
  n=$(wc -l <"$tmp/lat.sorted")
  p50=$( ((n > 0)) && sed -n "$(( (n + 1) / 2 ))p" "$tmp/lat.sorted" || echo -)
  p99=$( ((n > 0)) && sed -n "$(( (n * 99 + 99) / 100 ))p" "$tmp/lat.sorted" || echo -)
  elapsed=$(jq .elapsed_s <<<"$run")
  stored_rate=$(awk -v s="$stored" -v e="$elapsed" -v d="$drain_ms" 'BEGIN { printf "%.0f", s / (e + d / 1000) }')
  floor_rate=$(jq .achieved_rate <<<"$floor")
  ratio=$(awk -v a="$stored_rate" -v b="$floor_rate" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  per_reading() { awk -v t="$1" -v u="$tick_us" -v n="$stored" 'BEGIN { printf "%.0f", (n > 0 ? t * u / n : 0) }'; }
  printf '%8s %9s %9s %9s %7s %9s %11s %9s %9s %7s %12s %12s\n' "$rate" "$(jq .sent <<<"$run")" "$acked" "$stored" \
    "$((acked - stored))" "$stored_rate" "$floor_rate" "$ratio" "$p50" "$p99" \
    "$(per_reading $((cpu1_self - cpu0_self)))" "$(per_reading $((cpu1_kids - cpu0_kids)))"
done
