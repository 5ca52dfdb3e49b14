#!/usr/bin/env bash
# Side-by-side BLS12-381 timings on this machine, in one run: our `iinet bls bench` and the peers
# (native blst via @chainsafe/blst, and @noble/curves). Prints JSON lines, then a ratio table.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
seconds="${1:-3}"
(cd "$here" && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
dotnet build "$root/Cli" -c Release --nologo -v q -clp:ErrorsOnly
out=$(mktemp)
node "$here/bench.mjs" | tee "$out"
"$root/Cli/bin/Release/net10.0/iinet" bls bench --seconds "$seconds" 2>/dev/null | tee -a "$out"
node "$here/ratios.mjs" "$out"
rm -f "$out"
