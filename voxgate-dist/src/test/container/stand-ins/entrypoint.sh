#!/bin/sh
# "postgres": what the official postgres image's entrypoint does with POSTGRES_USER/PASSWORD/DB on an empty data
# directory (initdb with a password, scram-sha-256 from anywhere), then runs the server as user postgres.
# Anything else (caddy, redis-server) runs as given.
set -eu
if [ "${1:-}" = postgres ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    : "${POSTGRES_PASSWORD:?the postgres service needs POSTGRES_PASSWORD}"
    user=${POSTGRES_USER:-postgres}
    pw=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pw"
    chown postgres "$pw"
    setpriv --reuid=postgres --regid=postgres --init-groups initdb -D "$PGDATA" -U "$user" --pwfile="$pw" \
      --auth-local=trust --auth-host=scram-sha-256 > /dev/null
    rm -f "$pw"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
    db=${POSTGRES_DB:-$user}
    if [ "$db" != postgres ]; then
      setpriv --reuid=postgres --regid=postgres --init-groups postgres --single -D "$PGDATA" -j postgres \
        <<SQL > /dev/null
CREATE DATABASE "$db" OWNER "$user";
SQL
    fi
  fi
  mkdir -p /var/run/postgresql && chown postgres:postgres /var/run/postgresql
  shift
  exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" "$@"
fi
exec "$@"
