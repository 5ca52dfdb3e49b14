#!/usr/bin/env bash
# Makes sure a PostgreSQL server runs on 127.0.0.1 with a user and database "iinet" for the persistence tests, and
# prints their Npgsql connection string on stdout (everything else goes to stderr). Installs PostgreSQL from
# Debian when it is missing. Run as root (CI) or as a user allowed to sudo; safe to run again when it is already up.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The client tools (pg_lsclusters) can be present without a server, so look for the server binary itself.
if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || ! command -v pg_createcluster >/dev/null 2>&1; then
  as_root apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
fi

# Debian's packaging creates a "main" cluster on install; create one if it did not (e.g. create_main_cluster=false).
if [ -z "$(pg_lsclusters -h)" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  as_root pg_createcluster "$version" main >/dev/null
fi

read -r version cluster port status _ < <(pg_lsclusters -h | head -1)
if [ "$status" != online ]; then
  as_root pg_ctlcluster "$version" "$cluster" start >&2
fi

psql_admin() { as_root runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" "$@"; }
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'iinet'")" != 1 ]; then
  psql_admin -c "CREATE ROLE iinet LOGIN PASSWORD 'iinet'" >&2
fi
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = 'iinet'")" != 1 ]; then
  psql_admin -c "CREATE DATABASE iinet OWNER iinet" >&2
fi

echo "Host=127.0.0.1;Port=$port;Database=iinet;Username=iinet;Password=iinet"
