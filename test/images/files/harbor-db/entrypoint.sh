#!/bin/sh
# Test image: Debian's PostgreSQL in place of goharbor/harbor-db. Like Harbor's image it keeps
# its cluster in /var/lib/postgresql/data/pg<major of the release> (PG_CLUSTER_DIR: pg13 for
# 2.8.6, pg18 for 2.15.2, where that release's image keeps it; Debian's PostgreSQL runs inside), refuses a cluster directly in data/ (the 9.6-era layout), sets the superuser password from POSTGRES_PASSWORD
# (common/config/db/env) on first start, creates the `registry` database core uses, runs the
# release's initial SQL from /docker-entrypoint-initdb.d (the 2.8 line's image has Harbor's
# initial-notary{server,signer}.sql there: Notary's databases and users), and listens on every
# address of the compose network with password authentication.
set -eu
PGBIN=${PGBIN:?PGBIN is set by the image}
PGDATA=/var/lib/postgresql/data/${PG_CLUSTER_DIR:?PG_CLUSTER_DIR is set by the image}
export PGDATA
if [ -s /var/lib/postgresql/data/PG_VERSION ]; then
  echo "harbor-db test image: /var/lib/postgresql/data holds a cluster in the old layout (like Harbor's image, this one does not upgrade it)" >&2
  exit 1
fi
if [ -z "${POSTGRES_PASSWORD:-}" ]; then
  echo "harbor-db test image: POSTGRES_PASSWORD is not set (common/config/db/env)" >&2
  exit 1
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "harbor-db test image: initialising a new cluster in $PGDATA"
  pwfile=$(mktemp)
  # the password goes through a file, never a command line
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  "$PGBIN/initdb" -D "$PGDATA" -U postgres --pwfile="$pwfile" -A scram-sha-256 -E UTF8 --locale=C >/dev/null
  rm -f "$pwfile"
  printf 'host all all all scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
  "$PGBIN/pg_ctl" -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=/tmp" -w start >/dev/null
  PGPASSWORD="$POSTGRES_PASSWORD" "$PGBIN/psql" -h /tmp -U postgres -d postgres -v ON_ERROR_STOP=1 -q -c 'CREATE DATABASE registry'
  for f in /docker-entrypoint-initdb.d/*.sql; do
    [ -e "$f" ] || continue
    echo "harbor-db test image: running $f"
    PGPASSWORD="$POSTGRES_PASSWORD" "$PGBIN/psql" -h /tmp -U postgres -d postgres -v ON_ERROR_STOP=1 -q -f "$f"
  done
  "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
fi
exec "$PGBIN/postgres" -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/tmp -c jit=off
