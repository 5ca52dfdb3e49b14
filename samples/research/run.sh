#!/usr/bin/env bash
# Research sample: ICC-lite under each fault class over many seeds (heights, latencies, violations), then a real
# certificate of a running local network taken apart with `iinet cert`.
# usage: bash samples/research/run.sh [SEEDS] [HEIGHTS]      (from the repository root; needs the .NET SDK and curl)
set -euo pipefail
cd "$(dirname "$0")/../.."
seeds=${1:-20}
heights=${2:-50}
work=$(mktemp -d)
trap 'if [ -n "$up_pid" ]; then { kill "$up_pid"; wait "$up_pid"; } 2>/dev/null || true; fi; rm -rf "$work"' EXIT
up_pid=""

echo "building iinet ..." >&2
dotnet build Cli/Cli.csproj -c Release --nologo -v q -clp:ErrorsOnly >&2
iinet() { dotnet Cli/bin/Release/net10.0/iinet.dll "$@"; }

echo "## ICC-lite, n = 4, $seeds seeds x $heights heights per fault class"
echo
for faults in none crash partition byzantine mixed; do
  # The last lines of `iinet simulate` are a markdown table; keep its header once and each class's row.
  iinet simulate --replicas 4 --faults "$faults" --seeds "$seeds" --heights "$heights" > "$work/sim-$faults.txt"
  if [ "$faults" = none ]; then grep '^| configuration\|^| ---' "$work/sim-$faults.txt"; fi
  grep '^| n=' "$work/sim-$faults.txt"
done
echo

echo "## A certificate from a running network"
echo
port=$((20000 + RANDOM % 20000))
# Not through the iinet function: a backgrounded function is a subshell, and $! would be that shell's pid, so the
# trap's kill would leave the dotnet process running.
dotnet Cli/bin/Release/net10.0/iinet.dll up --port "$port" --replicas 4 --data-dir "$work/net" > "$work/up.log" 2>&1 &
up_pid=$!
for _ in $(seq 1 120); do grep -q '^ready' "$work/up.log" && break; sleep 1; done
grep -q '^ready' "$work/up.log" || { cat "$work/up.log" >&2; echo "iinet up did not become ready" >&2; exit 1; }
root_key=$(sed -n 's/^root_key *//p' "$work/up.log")
ii=rdmx6-jaaaa-aaaaa-aaadq-cai

# II's front page carries the subnet's certificate in its IC-Certificate header (response verification v2).
header=$(curl -sS -D - -o /dev/null -H "Host: $ii.localhost:$port" "http://127.0.0.1:$port/" | tr -d '\r' | sed -n 's/^[Ii][Cc]-[Cc]ertificate: //p')
echo "$header" | sed -n 's/.*certificate=:\([^:]*\):.*/\1/p' | base64 -d > "$work/certificate.cbor"
echo "IC-Certificate of http://$ii.localhost:$port/ ($(wc -c < "$work/certificate.cbor") bytes of CBOR):"
echo
echo '```'
iinet cert verify "$work/certificate.cbor" --root-key "$root_key" --canister "$ii"
iinet cert lookup "$work/certificate.cbor" time
iinet cert lookup "$work/certificate.cbor" "canister/$ii/certified_data"
iinet cert show "$work/certificate.cbor" | head -40
echo '```'
