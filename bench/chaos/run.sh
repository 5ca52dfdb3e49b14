#!/usr/bin/env bash
# The longer `iinet chaos` run: several seeds, a few minutes each, every nemesis kind, on SQLite and on PostgreSQL.
# PostgreSQL: --postgres CONN, or else a throwaway server when initdb and pg_ctl are on the PATH (or in
# /usr/local/bin): initdb into a temporary directory as a non-root user, started on a free loopback port, stopped and
# deleted at the end. Each run writes <out>/<storage>-seed<S>/ (logs, summary.json, report.md, heights.svg), its JSON
# summary to <out>/<storage>-seed<S>.json, and the table of all runs to <out>/summary.md (also printed).
# usage: bash bench/chaos/run.sh [--seeds "1 2 3"] [--duration 180] [--load 4] [--stall-bound 90]
#                                [--postgres CONN | --no-postgres] [--sqlite-only | --postgres-only] [--out DIR]
# (from the repository root; needs the .NET SDK, jq and, for PostgreSQL, a server or its binaries)
set -euo pipefail
cd "$(dirname "$0")/../.."

seeds="1 2 3"
duration=180
load=4
stall=90
postgres=""
use_postgres=auto
use_sqlite=yes
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --load) load=$2; shift 2 ;;
    --stall-bound) stall=$2; shift 2 ;;
    --postgres) postgres=$2; use_postgres=yes; shift 2 ;;
    --no-postgres) use_postgres=no; shift ;;
    --sqlite-only) use_postgres=no; shift ;;
    --postgres-only) use_sqlite=no; shift ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
out=${out:-$(mktemp -d -t iinet-chaos-bench-XXXXXX)}
mkdir -p "$out"
nemesis=kill,pause,partition,restart,wipe,clock

pg_dir=""
cleanup() {
  if [ -n "$pg_dir" ]; then
    { runuser -u "$pg_user" -- pg_ctl -D "$pg_dir/data" -m fast -w stop > /dev/null; } 2>/dev/null || true
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# 3n = 12 consecutive free loopback ports for `iinet chaos --base-port`.
free_base_port() {
  for _ in $(seq 1 50); do
    base=$((20000 + RANDOM % 30000))
    if python3 - "$base" <<'EOF'
import socket, sys
base = int(sys.argv[1])
for p in range(base, base + 12):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        sys.exit(1)
    finally:
        s.close()
EOF
    then echo "$base"; return; fi
  done
  echo "no 12 free consecutive ports" >&2; exit 1
}

if [ "$use_postgres" = auto ]; then
  PATH=$PATH:/usr/local/bin
  if command -v initdb > /dev/null && command -v pg_ctl > /dev/null; then use_postgres=local; else use_postgres=no; fi
fi

if [ "$use_postgres" = local ]; then
  # PostgreSQL refuses to run as root: the server runs as the postgres user when there is one, else nobody.
  pg_user=$(id -un)
  if [ "$(id -u)" = 0 ]; then pg_user=$(id -u postgres > /dev/null 2>&1 && echo postgres || echo nobody); fi
  pg_dir=$(mktemp -d -t iinet-chaos-pg-XXXXXX)
  chown "$pg_user" "$pg_dir"
  pg_port=$(free_port)
  echo "starting a throwaway PostgreSQL ($pg_user, port $pg_port, $pg_dir) ..." >&2
  runuser -u "$pg_user" -- initdb -D "$pg_dir/data" -A trust -U iinet > "$pg_dir/initdb.log" 2>&1
  runuser -u "$pg_user" -- pg_ctl -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=200" start > /dev/null
  postgres="Host=127.0.0.1;Port=$pg_port;Username=iinet;Database=postgres"
fi

echo "building iinet ..." >&2
dotnet build Cli/Cli.csproj -c Release --nologo -v q -clp:ErrorsOnly >&2
iinet=Cli/bin/Release/net10.0/iinet.dll

storages=""
[ "$use_sqlite" = yes ] && storages="sqlite"
[ -n "$postgres" ] && storages="$storages postgres"
failed=0
for storage in $storages; do
  for seed in $seeds; do
    name="$storage-seed$seed"
    args=(chaos --replicas 4 --duration "$duration" --nemesis "$nemesis" --seed "$seed" --load "$load"
      --stall-bound "$stall" --out "$out/$name" --base-port "$(free_base_port)")
    [ "$storage" = postgres ] && args+=(--postgres "$postgres")
    echo "$(date -u +%H:%M:%S) iinet ${args[*]}" >&2
    rc=0
    dotnet "$iinet" "${args[@]}" > "$out/$name.json" 2> "$out/$name.log" || rc=$?
    echo "$(date -u +%H:%M:%S) $name: exit $rc (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    [ "$rc" = 0 ] || failed=1
  done
done

# One row per run: acknowledged, lost, divergent roots (compared), stalls, recovery per fault kind (mean / max s, count).
{
  echo "| run | exit | acknowledged | lost | divergent roots (compared) | stalls | unexpected exits | recovery s: mean / max (faults) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  for storage in $storages; do
    for seed in $seeds; do
      name="$storage-seed$seed"
      if ! jq -e . "$out/$name.json" > /dev/null 2>&1; then
        echo "| $name | no summary (see $out/$name.log) | | | | | | |"
        continue
      fi
      jq -r --arg name "$name" --arg ok "$(jq -r 'if .ok then 0 else 1 end' "$out/$name.json")" '
        "| \($name) | \($ok) | \(.acknowledged) | \(.lost) | \(.divergences) (\(.roots_compared)) | \(.stalls | length) | \(.unexpected_exits | length) | "
        + ([.recovery_by_kind | to_entries[] | "\(.key) \(.value.mean_s) / \(.value.max_s) (\(.value.faults))"] | join(", ")) + " |"' "$out/$name.json"
    done
  done
} > "$out/summary.md"
cat "$out/summary.md"
echo "runs in $out" >&2
exit "$failed"
