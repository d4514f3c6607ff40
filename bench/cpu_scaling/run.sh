#!/usr/bin/env bash
# bench/cpu_scaling: does `--cpu-scaling` make "more memory" shorten a CPU-bound cold start, as on
# Lambda (1,769 MB = 1 vCPU)? One cold invoke per memory size with `lambkin invoke --cpu-scaling`,
# side by side with the same invoke without it (the floor: all the CPU the machine gives), as the
# Init Duration of the REPORT line and the ratio of the two.
#   bench/cpu_scaling/run.sh [LAMBKIN=build/emulator/lambkin] [RUNS=3]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lambkin="${1:-$here/../../build/emulator/lambkin}"
runs="${2:-3}"
init_ms() {  # median Init Duration (ms) of $runs cold invokes of function $1 with flags $2…
  local fn="$1"; shift
  for _ in $(seq "$runs"); do
    "$lambkin" invoke "$here/template.yaml" "$fn" "$@" 2>&1 >/dev/null |
      sed -n 's/.*Init Duration: \([0-9.]*\) ms.*/\1/p'
  done | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}
printf '%-8s %14s %14s %8s %s\n' memory "scaled (ms)" "unscaled (ms)" ratio "expected (vCPU)"
for mb in 128 512 1769 3538; do
  scaled=$(init_ms "Mem$mb" --cpu-scaling)
  unscaled=$(init_ms "Mem$mb")
  vcpu=$(awk -v m="$mb" 'BEGIN {printf "%.3f", m / 1769}')
  printf '%-8s %14s %14s %8s %s\n' "${mb}MB" "$scaled" "$unscaled" \
    "$(awk -v a="$scaled" -v b="$unscaled" 'BEGIN {printf "%.2fx", a / b}')" "$vcpu"
done
