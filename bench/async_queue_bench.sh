#!/usr/bin/env bash
# async_queue_bench: Event invokes through the Invoke API with the durable async queue (issue 11),
# side by side with a lambkin without it, in the same run.
#
#   bench/async_queue_bench.sh [BUILD_DIR=build] [BEFORE_LAMBKIN] [N=20000] [CLIENTS=16]
#
# Subjects: this build's lambkin with the queue on disk (`--data-dir DIR`: SQLite WAL, one
# transaction per event-loop turn, the 202 sent after the commit) and in memory (`:memory:`, same
# code); BEFORE_LAMBKIN (a lambkin built without the durable queue) on disk, when given. Each gets a
# fresh data directory and one C++ function (cpp-echo, reserved concurrency 8, timing fast). The
# load is bench/async_load.mjs: N events over CLIENTS keep-alive connections, each client waiting
# for its 202. Reported: 202s per second and their latency (p50, p99), then the time until every
# event has run (lambkin's metrics; "-" when the binary has no such metric), as events per second
# end to end. Subjects run in the order before, durable (disk), durable (memory), before again, so
# that load from elsewhere on the machine falls on both sides.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
before="${2:-}"
n="${3:-20000}"
clients="${4:-16}"
tmp="$(mktemp -d)"
pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

cat >"$tmp/template.yaml" <<EOT
Transform: AWS::Serverless-2016-10-31
Metadata:
  lambkin:
    timing: fast
Resources:
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: provided.al2023
      Handler: echo
      CodeUri: $build/examples/cpp-echo
      ReservedConcurrentExecutions: 8
EOT

finished() {
  curl -s "http://127.0.0.1:$aws/_lambkin/metrics" |
    awk '/^lambkin_lambda_async_events_finished_total\{.*function="Echo"/ { s += $NF } END { print s + 0 }'
}

run_subject() {  # run_subject NAME LAMBKIN DATA_DIR
  rm -rf "$tmp/ready.json" "$tmp/data"
  "$2" run "$tmp/template.yaml" --aws-port 0 --mqtt-port 0 --http-port 0 --ws-port 0 --data-dir "$3" \
    --ready-file "$tmp/ready.json" 2>"$tmp/lambkin.log" &
  pid=$!
  until [[ -s "$tmp/ready.json" ]]; do kill -0 "$pid" || { cat "$tmp/lambkin.log"; exit 1; }; sleep 0.005; done
  aws=$(jq .aws "$tmp/ready.json")
  local t0 load accepted drain_ms
  t0=$(date +%s%N)
  load=$(node "$root/bench/async_load.mjs" "$aws" Echo "$n" "$clients")
  accepted=$(jq .accepted <<<"$load")
  local drained=-
  for _ in $(seq 1 600); do [[ "$(finished)" -ge "$accepted" ]] && { drained=yes; break; }; sleep 0.05; done
  drain_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  kill -TERM "$pid"; wait "$pid" || true; pid=""
  printf '%-22s %9s %7s %10s %8s %8s %12s\n' "$1" "$accepted" "$(jq .failed <<<"$load")" \
    "$(jq .accepted_per_s <<<"$load")" "$(jq .p50_ms <<<"$load")" "$(jq .p99_ms <<<"$load")" \
    "$([[ $drained == yes ]] && awk -v a="$accepted" -v d="$drain_ms" 'BEGIN { printf "%.0f", a / (d / 1000) }' || echo -)"
}

echo "async_queue_bench: $n Event invokes, $clients clients; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf '%-22s %9s %7s %10s %8s %8s %12s\n' subject accepted failed 202/s p50_ms p99_ms end2end/s
[[ -n "$before" ]] && run_subject "before (disk)" "$before" "$tmp/data"
run_subject "durable (disk)" "$build/emulator/lambkin" "$tmp/data"
run_subject "durable (:memory:)" "$build/emulator/lambkin" ":memory:"
[[ -n "$before" ]] && run_subject "before (disk) again" "$before" "$tmp/data"
exit 0
