#!/usr/bin/env bash
# Measures `iinet up` (4 replicas, in-process like LocalNetwork but SQLite state, a child process) from launch to its
# "ready" line: once with a fresh data dir (genesis made), once again with the genesis and state kept.
# Usage: bash bench/local-network/up-to-ready.sh [path/to/iinet]   (build first: dotnet build Cli/Cli.csproj -c Release)
set -u
iinet=${1:-Cli/bin/Release/net10.0/iinet}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for run in fresh kept; do
  start=$(date +%s%N)
  "$iinet" up --port 24943 --data-dir "$dir" > "$dir/out.txt" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do grep -q '^ready' "$dir/out.txt" && break; sleep 0.05; done
  end=$(date +%s%N)
  echo "$run: launch to ready $(( (end - start) / 1000000 )) ms; iinet says: $(grep 'certified height' "$dir/out.txt")"
  kill -TERM "$pid"; wait "$pid"
done
