#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the ClaimGraph.Postgres tests and benchmark.
#
#   .ci/postgres.sh start DIR   installs PostgreSQL with apt when it is missing (as root), initialises a cluster in
#                               DIR (an empty or missing directory), starts it on 127.0.0.1 with a random free port
#                               and prints ONE line on stdout: the Npgsql connection string. Everything else goes
#                               to stderr. The server runs as a non-root user (postgres refuses root).
#   .ci/postgres.sh stop DIR    stops that cluster (fast shutdown) and removes DIR. Safe to call twice.
#   .ci/postgres.sh crash DIR   stops that cluster the way a power cut would (immediate shutdown: no checkpoint, crash
#                               recovery at the next start) and starts it again on the same port (for fault runs).
#
# The cluster trades durability for speed (fsync=off): it holds test data only. Set CLAIMGRAPH_PG_DURABLE=1 to keep
# the server's default durability (e.g. for benchmark numbers that include commit flushes).
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

find_bindir() {
  local dir
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  # Debian keeps the server binaries off PATH, one directory per major version: take the newest.
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
    return 0
  fi
  return 1
}

install_postgres() {
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    log "PostgreSQL is not installed and cannot be installed here (needs root and apt-get)"
    return 1
  fi
  log "installing PostgreSQL with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # The package's own cluster is not used; policy-rc.d keeps the post-install step from starting it.
  local blocker=/usr/sbin/policy-rc.d created=0
  if [ ! -e "$blocker" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$blocker" && chmod +x "$blocker" && created=1
  fi
  local rc=0
  apt-get install -y -qq --no-install-recommends postgresql >&2 || rc=$?
  [ "$created" -eq 1 ] && rm -f "$blocker"
  return "$rc"
}

# Runs "$@" as the cluster's owner: the current user, or (when root) the 'postgres' user, created if missing.
as_owner() {
  if [ "$(id -u)" -ne 0 ]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u "$owner" -- "$@"
  else
    su -s /bin/sh "$owner" -c "$(printf '%q ' "$@")"
  fi
}

pick_owner() {
  if [ "$(id -u)" -ne 0 ]; then
    owner="$(id -un)"
    return 0
  fi
  owner=postgres
  if ! id "$owner" >/dev/null 2>&1; then
    log "creating the system user '$owner'"
    useradd --system --user-group --home-dir /nonexistent --shell /usr/sbin/nologin "$owner" >&2
  fi
}

port_in_use() {
  # Bash's /dev/tcp connects when something listens; the subshell keeps the descriptor from leaking.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  local dir="$1" bindir password port attempt
  if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    log "$dir is not empty; give a new directory"
    return 1
  fi
  bindir="$(find_bindir || true)"
  if [ -z "$bindir" ]; then
    install_postgres
    bindir="$(find_bindir)" || { log "PostgreSQL binaries not found after installing"; return 1; }
  fi
  pick_owner
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  chmod 700 "$dir"
  [ "$(id -u)" -eq 0 ] && chown "$owner" "$dir"
  # Every directory above DIR must be traversable by the owner (mktemp makes /tmp/tmp.X private to root).
  local parent="$dir"
  while [ "$(id -u)" -eq 0 ] && parent="$(dirname "$parent")" && [ "$parent" != / ]; do
    if ! as_owner test -x "$parent"; then
      log "the user '$owner' cannot enter $parent; choose DIR under a world-traversable directory such as /tmp"
      return 1
    fi
  done

  password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s\n' "$password" >"$dir/pwfile"
  chmod 600 "$dir/pwfile"
  [ "$(id -u)" -eq 0 ] && chown "$owner" "$dir/pwfile"
  as_owner "$bindir/initdb" -D "$dir/data" -U claimgraph --pwfile="$dir/pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  rm -f "$dir/pwfile"

  local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${CLAIMGRAPH_PG_DURABLE:-0}" = 1 ] && durability=""
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    port_in_use "$port" && continue
    local options="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$dir' -c max_connections=200 $durability"
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$options" start >&2; then
      echo "$bindir" >"$dir/bindir"
      echo "$owner" >"$dir/owner"
      echo "$options" >"$dir/options"
      log "PostgreSQL ($("$bindir/postgres" --version)) listening on 127.0.0.1:$port, data in $dir/data"
      printf 'Host=127.0.0.1;Port=%s;Username=claimgraph;Password=%s;Database=postgres\n' "$port" "$password"
      return 0
    fi
    log "start on port $port failed (attempt $attempt); trying another port"
    tail -n 5 "$dir/server.log" >&2 2>/dev/null || true
  done
  log "could not start PostgreSQL"
  return 1
}

stop() {
  local dir="$1"
  if [ ! -d "$dir" ]; then
    return 0
  fi
  if [ -f "$dir/bindir" ] && [ -f "$dir/data/postmaster.pid" ]; then
    owner="$(cat "$dir/owner")"
    as_owner "$(cat "$dir/bindir")/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2 || log "stop failed"
  fi
  rm -rf "$dir"
}

crash() {
  local dir="$1"
  [ -f "$dir/bindir" ] && [ -f "$dir/options" ] || { log "$dir holds no cluster started by this script"; return 1; }
  owner="$(cat "$dir/owner")"
  as_owner "$(cat "$dir/bindir")/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >&2
  as_owner "$(cat "$dir/bindir")/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 -o "$(cat "$dir/options")" start >&2
}

case "${1:-}" in
  start) [ $# -eq 2 ] || { log "usage: $0 start DIR"; exit 2; }; start "$2" ;;
  stop) [ $# -eq 2 ] || { log "usage: $0 stop DIR"; exit 2; }; stop "$2" ;;
  crash) [ $# -eq 2 ] || { log "usage: $0 crash DIR"; exit 2; }; crash "$2" ;;
  *) log "usage: $0 start DIR | stop DIR | crash DIR"; exit 2 ;;
esac
