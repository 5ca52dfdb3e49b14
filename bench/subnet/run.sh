#!/usr/bin/env bash
# Issue 6 performance: builds Release, starts `iinet up` (n = 4) on free ports with a fresh data directory, runs
# bench/SubnetLoad against it (II, and a Motoko counter compiled from bench/subnet/counter.mo when node and
# tests/js/node_modules are there; and times fresh `iinet up` starts), stops the subnet with SIGINT, prints the table.
# Extra arguments go to SubnetLoad (e.g. --seconds 30 --clients 32 --query-clients 64 --ready-runs 3). The figures also go
# to $OUT (default bench/subnet/results) as figures.json and throughput.svg.
# Environment: READY_TIMEOUT (seconds to wait for the ready line, default 120).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ready_timeout="${READY_TIMEOUT:-120}"

echo "building Release ..." >&2
dotnet build "$root/Cli/Cli.csproj" -c Release -nologo -v q >&2
dotnet build "$root/bench/SubnetLoad/SubnetLoad.csproj" -c Release -nologo -v q >&2
iinet="$root/Cli/bin/Release/net10.0/iinet"
load="$root/bench/SubnetLoad/bin/Release/net10.0/SubnetLoad"

source "$root/bench/subnet/subnet.sh"

# The wasm counter (bench/subnet/counter.mo) compiled by npm motoko@4.10.0, as the tests compile Motoko.
counter_args=()
if command -v node >/dev/null 2>&1 && [[ -d "$root/tests/js/node_modules/motoko" ]]; then
  node "$root/tests/js/motoko-compile.mjs" <"$root/bench/subnet/counter.mo" | base64 -d >"$work/counter.wasm"
  counter_args=(--wasm-counter "$work/counter.wasm")
else
  echo "node or tests/js/node_modules/motoko is missing (npm ci in tests/js): the wasm counter phases are skipped" >&2
fi

status=0
"$load" --url "http://127.0.0.1:$port" --iinet "$iinet" --ready-timeout "$ready_timeout" --out "${OUT:-$root/bench/subnet/results}" \
  --subnet-pid "$pid" "${counter_args[@]}" "$@" || status=$?
stop_subnet
echo "iinet up stopped." >&2
exit "$status"
