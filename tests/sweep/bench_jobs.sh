#!/usr/bin/env bash
# Speed-up of `continuum sweep --jobs 2` over `--jobs 1` on a sweep of 100 short runs
# (docs/sweeps.md, "Performance"). Not a CTest test: timings on a shared machine are noisy.
#   usage: tests/sweep/bench_jobs.sh [CONTINUUM_BINARY] [MIN_SPEEDUP]
# Prints the best of three wall times for each job count and their ratio; exits 1 when the ratio is
# below MIN_SPEEDUP (default 1.8).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
continuum=${1:-$root/build/continuum}
min_speedup=${2:-1.8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 5 rates × 2 policies × 10 replications = 100 runs of the minimal M/M/1 scenario, ~20 ms each.
cat >"$work/bench.yaml" <<YAML
name: bench_jobs
scenario: $root/scenarios/minimal.yaml
set: {simulation.horizon: 20000s, simulation.warmup: 1000s}
parameters: {grid: {workload.clients.arrivals.rate: {from: 4/s, to: 8/s, count: 5}}}
policies: {fcfs: {device_types.server.discipline: fcfs}, ps: {device_types.server.discipline: ps}}
replications: 10
YAML

best() {  # best wall time of three sweeps with --jobs $1
  local jobs=$1 best="" t
  for _ in 1 2 3; do
    rm -f "$work/out.h5" "$work/out.h5.journal"
    local start end
    start=$(date +%s.%N)
    "$continuum" sweep "$work/bench.yaml" --out "$work/out.h5" --jobs "$jobs" --quiet >/dev/null
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if [ -z "$best" ] || (($(echo "$t < $best" | bc -l))); then best=$t; fi
  done
  echo "$best"
}

one=$(best 1)
two=$(best 2)
speedup=$(echo "$one / $two" | bc -l)
printf 'runs: 100\n--jobs 1: %.3f s\n--jobs 2: %.3f s\nspeed-up: %.2fx (target >= %s)\n' "$one" "$two" "$speedup" "$min_speedup"
(($(echo "$speedup >= $min_speedup" | bc -l)))
