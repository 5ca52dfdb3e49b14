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

work="$(mktemp -d -t iinet-bench.XXXXXX)"
log="$work/up.log"
pid=""

stop_subnet() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "iinet up (pid $pid) did not stop within 30 s of SIGINT; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    local code=0
    wait "$pid" 2>/dev/null || code=$?
    if ((code != 0)); then
      echo "warning: iinet up exited with status $code after SIGINT; the end of its output:" >&2
      tail -n 40 "$log" >&2
    fi
  fi
  pid=""
}

cleanup() {
  stop_subnet
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_subnet() {
  port="$("$load" free-port --count 8)"
  echo "starting iinet up on 127.0.0.1:$port (data dir $work/data) ..." >&2
  rm -rf "$work/data"
  # Job control on: a background job of a non-interactive shell would otherwise start with SIGINT ignored.
  set -m
  "$iinet" up --port "$port" --data-dir "$work/data" >"$log" 2>&1 &
  pid=$!
  set +m
}

# Returns 0 once ready, 2 if another process took a port first, exits on any other failure.
wait_ready() {
  local deadline=$((SECONDS + ready_timeout))
  until grep -q '^ready:' "$log"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      pid=""
      if grep -q 'cannot listen' "$log"; then
        return 2
      fi
      echo "error: iinet up exited before it was ready; its output:" >&2
      cat "$log" >&2
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      echo "error: iinet up printed no ready line within ${ready_timeout} s; its output:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.2
  done
}

for attempt in 1 2 3; do
  start_subnet
  if wait_ready; then
    break
  fi
  if ((attempt == 3)); then
    echo "error: iinet up could not listen on free ports in 3 attempts; its output:" >&2
    cat "$log" >&2
    exit 1
  fi
  echo "a port was taken before iinet up bound it; retrying on other ports" >&2
done
cat "$log" >&2

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
