# Sourced by bench/subnet/run.sh and bench/query-load/run.sh: starts `iinet up` (n = 4) on free ports with a fresh data
# directory in $work and waits for its ready line; stop_subnet (also run on exit) stops it with SIGINT. Needs $iinet,
# $load (SubnetLoad, for its free-port command) and $ready_timeout; sets $pid, $port and $log.
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
