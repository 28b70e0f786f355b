#!/bin/sh
# Test image: Debian's notary-server / notary-signer (notary 0.7.0) in place of goharbor's
# notary-server-photon / notary-signer-photon (notary 0.6.1; same config format). Harbor's images
# run `migrate-patch && /migrations/migrate.sh && /bin/notary-<svc> -config=... -logf=logfmt`:
# golang-migrate applies Notary's PostgreSQL schema from $MIGRATIONS_PATH to $DB_URL (both from
# common/config/notary/{server,signer}_env), polling up to 30 s for the database, and only then
# the server starts. Debian ships neither migrate nor the SQL, so this script does the same with
# psql: the *.up.sql files newer than schema_migrations.version, each in one transaction together
# with golang-migrate's bookkeeping row (version, dirty=false). migrate-patch (a fix for tables
# written by migrate v3) has nothing to do on a database this image created, and is not repeated.
set -eu
: "${SERVICE_NAME:?SERVICE_NAME is set by the image}"
: "${DB_URL:?DB_URL is not set (common/config/notary/${SERVICE_NAME#notary_}_env)}"
: "${MIGRATIONS_PATH:?MIGRATIONS_PATH is not set (common/config/notary/${SERVICE_NAME#notary_}_env)}"
cd /
case $MIGRATIONS_PATH in /*) dir=$MIGRATIONS_PATH ;; *) dir=/$MIGRATIONS_PATH ;; esac
# migrations/server/postgresql relative to / (Harbor's images run from /, the files are in /migrations)
[ -d "$dir" ] || { echo "$SERVICE_NAME: no migrations at $dir" >&2; exit 1; }

q() { psql "$DB_URL" -X -v ON_ERROR_STOP=1 -q "$@"; }

i=0
until q -Atc 'SELECT 1' >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -gt 30 ]; then
    echo "$SERVICE_NAME: database failed to come up within 30 seconds" >&2
    q -Atc 'SELECT 1' >&2 || true
    exit 1
  fi
  echo "$SERVICE_NAME: waiting for database to come up."
  sleep 1
done

q -c 'CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)'
state=$(q -Atc 'SELECT version, dirty FROM schema_migrations ORDER BY version DESC LIMIT 1')
current=${state%%|*}
[ -n "$current" ] || current=0
case $state in *'|t')
  echo "$SERVICE_NAME: Dirty database version $current. Fix and force version." >&2
  exit 1 ;;
esac
for f in "$dir"/*.up.sql; do
  name=${f##*/}
  v=${name%%_*}
  while case $v in 0?*) true ;; *) false ;; esac; do v=${v#0}; done
  [ "$v" -gt "$current" ] || continue
  { printf 'BEGIN;\n'; cat "$f"; printf '\n;DELETE FROM schema_migrations;\nINSERT INTO schema_migrations (version, dirty) VALUES (%s, false);\nCOMMIT;\n' "$v"; } | q -f -
  echo "$SERVICE_NAME: applied $name"
  current=$v
done
echo "notary${SERVICE_NAME#notary_} database migrated to latest version ($current)"

case $SERVICE_NAME in
  notary_server) exec /usr/bin/notary-server -config=/etc/notary/server-config.postgres.json -logf=logfmt ;;
  notary_signer) exec /usr/bin/notary-signer -config=/etc/notary/signer-config.postgres.json -logf=logfmt ;;
  *) echo "unknown SERVICE_NAME $SERVICE_NAME" >&2; exit 1 ;;
esac
