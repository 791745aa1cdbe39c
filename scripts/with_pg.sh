#!/bin/sh
# svcaudit: run a command beside a throwaway PostgreSQL server (make check's
# PostgreSQL tests; no mock). initdb and pg_ctl from Debian's postgresql
# package make a cluster in a temporary folder that listens on a Unix socket
# there only, run as the `postgres` user when we are root (the server refuses
# to run as root). Its default collation is ICU's en-US, unlike the C order
# svcaudit sorts by, so that a column without the C collation shows.
#
# The command sees
#   SVA_TEST_PG     postgresql://...  a database of its own (svcaudit_test)
#   SVA_TEST_PG_PW  the same database as a role that must give a password
#                   (svcaudit_pw, password 'right'), for the wrong-password test
# The server is stopped and the folder removed when the command ends, fails or
# is interrupted; the command's exit status is ours. Durability is off (fsync,
# synchronous_commit: the tests do not measure it) unless SVA_PG_DURABLE is set
# (make bench).
#
# usage: scripts/with_pg.sh COMMAND [ARGS...]
set -u
[ $# -gt 0 ] || { echo "usage: scripts/with_pg.sh COMMAND [ARGS...]" >&2; exit 2; }
bin=$(pg_config --bindir 2>/dev/null)
if [ ! -x "$bin/initdb" ]; then
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ ! -x "$bin/initdb" ]; then
    echo "with_pg: no PostgreSQL server (install Debian's postgresql: scripts/deps.sh test)" >&2
    exit 3
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/svcaudit-pg.XXXXXX") || exit 3
chmod 755 "$dir"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$dir" || exit 3
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi
stop() {
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop > /dev/null 2>&1
    rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync \
        --locale-provider=icu --icu-locale=en-US --locale=C.UTF-8 > "$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    echo "with_pg: initdb failed" >&2
    exit 3
fi
printf 'local all svcaudit_pw scram-sha-256\nlocal all all trust\n' > "$dir/hba"
as_pg cp "$dir/hba" "$dir/data/pg_hba.conf"
fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ -n "${SVA_PG_DURABLE:-}" ] && fast=""
if ! as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-k $dir -c listen_addresses= $fast -c max_connections=60" start > /dev/null; then
    cat "$dir/server.log" >&2
    echo "with_pg: the server did not start" >&2
    exit 3
fi
psql() { "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -U postgres "$@"; }
psql -d postgres -c "CREATE DATABASE svcaudit_test" \
    -c "CREATE ROLE svcaudit_pw LOGIN PASSWORD 'right'" > /dev/null || exit 3
psql -d svcaudit_test -c "GRANT CREATE ON DATABASE svcaudit_test TO svcaudit_pw" > /dev/null ||
    exit 3
SVA_TEST_PG="postgresql://postgres@/svcaudit_test?host=$dir"
SVA_TEST_PG_PW="postgresql://svcaudit_pw@/svcaudit_test?host=$dir"
PATH="$bin:$PATH"
export SVA_TEST_PG SVA_TEST_PG_PW PATH
"$@"
