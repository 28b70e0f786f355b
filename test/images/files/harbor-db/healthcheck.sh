#!/bin/sh
# Healthy when the `registry` database answers a query over TCP with the password from db/env.
export PGPASSWORD="${POSTGRES_PASSWORD:-}"
out=$("$PGBIN/psql" -h 127.0.0.1 -U postgres -d registry -Atqc 'SELECT 1' 2>/dev/null) && [ "$out" = 1 ]
