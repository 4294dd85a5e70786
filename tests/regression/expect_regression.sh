#!/usr/bin/env bash
# Proof that `continuum regress` can fail: deliberately weakened variants of baseline cases must
# be flagged with exit code 1 (a regression), not 0 (passed) and not 2 (bad input).
#   usage: expect_regression.sh CONTINUUM_BINARY BASELINE.yaml
set -uo pipefail
continuum=$1
baseline=$2
failures=0

expect_regression() {
  local what=$1
  shift
  local output status
  output=$("$continuum" regress "$baseline" --jobs 2 "$@" 2>&1)
  status=$?
  if [ "$status" -ne 1 ] || ! grep -q "REGRESSION" <<<"$output"; then
    echo "FAIL: $what was not flagged (exit $status)"
    echo "$output"
    failures=$((failures + 1))
  else
    echo "ok: $what flagged:"
    grep "REGRESSION" <<<"$output"
  fi
}

# Half the capacity: the two-server variant with one server.
expect_regression "two_servers with one server" --case minimal/two_servers --set devices.server.count=1
# A server 10 % slower (the demand of the only partition from 100 ms to 110 ms: utilisation 0.88).
expect_regression "a 10 % slower server" --case minimal/fcfs \
  --set application.components.service.deployments.single.partitions.all.demand.server=110ms

exit $((failures > 0))
