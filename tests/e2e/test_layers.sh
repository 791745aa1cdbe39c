#!/bin/sh
# svcaudit: the layers hold (issue 11): each dependency's header is included
# by exactly one file, no library file includes a CLI header, the pure
# analysis includes neither the store nor the statement layer, and only the
# store files (and the drivers) use the statement layer.
. "$ROOT/tests/e2e/lib.sh"
cd "$ROOT" || exit 3

only() { # only HEADER FILE: FILE is the one file under src/ that includes HEADER
    got=$(grep -rl --include='*.c' --include='*.h' "#include <$1>" src | sort)
    [ "$got" = "$2" ] || fail "<$1> is included by: $(echo $got) (want only $2)"
}
only sqlite3.h src/sql_sqlite.c
only xlsxwriter.h src/xlsx.c
only iniparser.h src/ini.c
only cairo.h src/pdf.c
only pango/pangocairo.h src/pdf.c
only libpq-fe.h src/sql_pg.c

# library files never include the CLI's headers
bad=$(grep -l '#include "cli' src/*.c src/*.h 2>/dev/null)
[ -z "$bad" ] || fail "library files include a CLI header: $bad"
bad=$(grep -l '#include "commands.h"' src/*.c src/*.h 2>/dev/null)
[ -z "$bad" ] || fail "library files include commands.h: $bad"

# the pure analysis and the plans' rules know no store: no sql.h, no db_internal.h, no
# sva_db_ call
for f in src/analysis.c src/plan.c; do
    grep -q '#include "sql.h"\|#include "db_internal.h"' "$f" && fail "$f includes the store"
    grep -q 'sva_db_[a-z_]*(' "$f" && fail "$f calls the store"
done
# the sheets lay out the model: no store call except the model's streams
for f in src/sheet_*.c; do
    grep -n 'sva_db_[a-z_]*(\|sva_analysis_[a-z_]*(\|sva_trend_[a-z_]*(' "$f" &&
        fail "$f fetches or computes instead of laying out the model"
done

# the PDF renderer lays out the report models: no store call, no analysis
grep -n 'sva_db_[a-z_]*(\|sva_analysis_[a-z_]*(\|sva_trend_[a-z_]*(' src/pdf.c &&
    fail "src/pdf.c fetches or computes instead of laying out the report models"

# only the store (db*.c) and the statement layer's own files use sql.h
users=$(grep -l '#include "sql.h"\|#include "db_internal.h"' src/*.c | sort | tr '\n' ' ')
for f in $users; do
    case "$f" in
    src/db*.c | src/sql.c | src/sql_*.c) ;;
    *) fail "$f uses the statement layer but is not a store file" ;;
    esac
done

# no include cycles among the library's files: a .c includes only headers
grep -l '#include ".*\.c"' src/*.c src/cli/*.c && fail "a file includes a .c file"

# no cycles of calls between the library's files: from each object's defined
# and undefined symbols, file A -> file B when A calls a function B defines;
# a cycle means two modules lean on each other (error.c <-> util.c once did)
objs=""
for dir in build/lib build-asan/lib; do
    for o in "$dir"/*.o; do # objects of sources that still exist (not stale ones)
        [ -f "src/$(basename "$o" .o).c" ] && objs="$objs $o"
    done
    [ -n "$objs" ] && break
done
if [ -n "$objs" ]; then
    cycle=$(for o in $objs; do nm "$o" | awk -v f="$(basename "$o" .o)" \
        'NF == 3 && $2 ~ /^[TDBR]$/ { print "D", f, $3 } NF == 2 && $1 == "U" { print "U", f, $2 }'; done |
        "$PY" -c '
import sys
defs, uses = {}, []
for line in sys.stdin:
    k, f, s = line.split()
    if k == "D": defs[s] = f
    else: uses.append((f, s))
g = {}
for f, s in uses:
    t = defs.get(s)
    if t and t != f: g.setdefault(f, set()).add(t)
state = {}
def visit(n, path):
    state[n] = 1
    for m in sorted(g.get(n, ())):
        if state.get(m) == 1:
            print(" -> ".join(path[path.index(m):] + [m])); sys.exit(0)
        if not state.get(m): visit(m, path + [m])
    state[n] = 2
for n in sorted(g):
    if not state.get(n): visit(n, [n])
')
    [ -z "$cycle" ] || fail "the library's files call each other in a cycle: $cycle"
else
    fail "no objects in build/lib: build first"
fi
done_testing
