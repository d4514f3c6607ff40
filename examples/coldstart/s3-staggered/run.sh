#!/usr/bin/env bash
# The staggered cold-start scenario from a real run: starts `lambkin run` on template.yaml, writes
# six objects to the bucket at once with the AWS CLI, waits until the function has handled all six
# (polling /_lambkin/metrics), then prints the lifecycle timeline (`lambkin timeline`, plus an SVG)
# and a table of the six invocations: one environment, one cold start, six in sequence.
#
#   examples/coldstart/s3-staggered/run.sh [--svg FILE]     (LAMBKIN=path/to/lambkin to choose the binary)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
lambkin="${LAMBKIN:-$root/build/emulator/lambkin}"
svg="${1:-}"
[[ "$svg" == "--svg" ]] && svg="$2" || svg="${TMPDIR:-/tmp}/s3-staggered.svg"
aws_bin="${AWS:-aws}"
[[ -x "$lambkin" ]] || { echo "run.sh: $lambkin not found (build lambkin, or set LAMBKIN)" >&2; exit 2; }

work="$(mktemp -d)"
cleanup() { [[ -n "${pid:-}" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$lambkin" run "$here/template.yaml" --data-dir :memory: --aws-port 0 --mqtt-port 0 --ws-port 0 --http-port 0 \
  --ready-file "$work/ready.json" 2>"$work/lambkin.log" &
pid=$!
for _ in $(seq 1 300); do [[ -s "$work/ready.json" ]] && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
[[ -s "$work/ready.json" ]] || { echo "run.sh: lambkin did not start:" >&2; cat "$work/lambkin.log" >&2; exit 1; }
port="$(jq -r .aws "$work/ready.json")"
endpoint="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""

echo "== writing six objects to s3://staggered-uploads at once"
writers=()
for i in 1 2 3 4 5 6; do
  echo "photo $i" > "$work/photo-$i.jpg"
  "$aws_bin" --endpoint-url "$endpoint" s3 cp --quiet "$work/photo-$i.jpg" "s3://staggered-uploads/photo-$i.jpg" &
  writers+=($!)
done
wait "${writers[@]}"

echo "== waiting for the six asynchronous invocations"
invocations() {
  curl -sf "$endpoint/_lambkin/metrics" |
    awk '/^lambkin_lambda_invocations_total\{.*function="ProcessUpload"/ { n += $NF } END { print n + 0 }'
}
for _ in $(seq 1 600); do [[ "$(invocations)" -ge 6 ]] && break; sleep 0.1; done
[[ "$(invocations)" -ge 6 ]] || { echo "run.sh: only $(invocations) invocations after 60 s" >&2; exit 1; }

echo "== lambkin timeline"
"$lambkin" timeline --aws-port "$port" --function ProcessUpload
"$lambkin" timeline --aws-port "$port" --function ProcessUpload --svg "$svg" --title "Six S3 events, reserved concurrency 1"
echo "(SVG written to $svg)"

echo "== the six invocations"
curl -sf "$endpoint/_lambkin/timeline?function=ProcessUpload" | jq -r '
  [.events[] | select(.event == "invoke_start" or .event == "invoke_end")] as $e
  | ($e | map(.t_us) | min) as $t0
  | ($e | map(select(.event == "invoke_start"))) as $starts
  | ["#", "environment", "start (ms)", "end (ms)", "start kind"],
    ($starts | to_entries[] | .key as $i | .value as $s
      | ($e[] | select(.event == "invoke_end" and .request_id == $s.request_id)) as $fin
      | [($i + 1 | tostring), ($s.env | tostring), ((($s.t_us - $t0) / 1000) | floor | tostring),
         ((($fin.t_us - $t0) / 1000) | floor | tostring), (if $s.cold then "cold" else "warm" end)])
  | @tsv' | column -t -s $'\t'
curl -sf "$endpoint/_lambkin/timeline?function=ProcessUpload" | jq -r '
  [.events[] | select(.event == "invoke_start")] as $s
  | "environments: \($s | map(.env) | unique | length), cold starts: \($s | map(select(.cold)) | length), invocations: \($s | length)"'
