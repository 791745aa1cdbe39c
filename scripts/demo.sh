#!/bin/sh
# svcaudit: `make demo`, the main job on bundled demo data. Everything goes
# through the real CLI (./svcaudit) into a fresh database in ./demo/:
#   1. generate  the demo data (tools/gen_demo: deterministic, same every run)
#   2. setup     init, stores, employees, the PDCA cycles
#   3. record    every generated answer sheet, one `svcaudit record` each
#   4. summary   cycles, audits per checklist, weakest and strongest stores
#   5. not_yet   what is not built yet
# Later steps (targets, actions, the cycle workbook) are one function each,
# called from main at the bottom.
set -e
cd "$(dirname "$0")/.."

DEMO=demo
GEN=$DEMO/gen
DB=$DEMO/svcaudit.db
GEN_DEMO=${GEN_DEMO:-build/tools/gen_demo}
SVCAUDIT_CHECKLISTS=$(pwd)/checklists
export SVCAUDIT_CHECKLISTS

# The CLI on the demo database.
sva() {
    ./svcaudit --db "$DB" "$@"
}

# The id of the last (current) cycle in the generated cycles.txt.
last_cycle() {
    tail -n 1 "$GEN/cycles.txt" | cut -d ' ' -f 1
}

# The cycle before it ("" when there is only one).
prev_cycle() {
    awk '{ p = c; c = $1 } END { print p }' "$GEN/cycles.txt"
}

# 1. Build (when run by hand; `make demo` has built both already) and write
# the demo data.
step_generate() {
    echo "== 1. demo data: stores, employees, cycles, answer sheets ($GEN/)"
    if [ -z "${MAKELEVEL:-}" ]; then
        make --no-print-directory -s svcaudit "$GEN_DEMO" >/dev/null
    fi
    rm -rf "$DEMO"
    mkdir -p "$DEMO"
    "$GEN_DEMO" checklists "$GEN"
}

# 2. A new database, the organisation and the cycles.
step_setup() {
    echo
    echo "== 2. database $DB: stores, employees, cycles"
    sva init
    sva store import "$GEN/stores.csv"
    sva employee import "$GEN/employees.csv"
    while read -r id from to; do
        sva cycle open "$id" --from "$from" --to "$to" </dev/null
    done < "$GEN/cycles.txt"
}

# 3. Record every sheet, in order; stop at the first one refused.
step_record() {
    echo
    echo "== 3. recording the answer sheets"
    err=$DEMO/record.err
    n=0
    while read -r sheet checklist; do
        # The checklist is named although the sheet's header says it too:
        # see the report on 'record --answers FILE' without CHECKLIST.
        if ! sva record "$checklist" --answers "$GEN/$sheet" </dev/null >/dev/null 2>"$err"; then
            echo "demo: recording $GEN/$sheet ($checklist) failed:" >&2
            cat "$err" >&2
            exit 1
        fi
        n=$((n + 1))
    done < "$GEN/sheets.txt"
    rm -f "$err"
    echo "$n audits recorded"
}

# 4. What is in the database now, read back through the CLI.
step_summary() {
    last=$(last_cycle)
    echo
    echo "== 4. summary"
    sva cycle list
    echo
    echo "audits per checklist (all cycles):"
    sva audit list --format csv | awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        {
            k = $col["checklist"]; n[k]++; sum[k] += $col["score"]
            if ($col["failed"] != "") failed[k]++
        }
        END {
            for (k in n)
                printf "  %-22s %4d audits  mean %5.1f %%  %2d FAILED (critical item)\n",
                       k, n[k], sum[k] / n[k], failed[k]
        }' | sort
    prev=$(prev_cycle)
    echo
    echo "6S in $last (mean 6S audit score per store${prev:+; change since $prev}):"
    # Store names come from the CLI too; ids, names and regions hold no commas.
    sva audit list --checklist 6s_store --format csv | awk -F, \
        -v last="$last" -v prev="$prev" -v stores="$(sva store list --format csv)" '
        BEGIN {
            n = split(stores, line, "\n")
            for (i = 2; i <= n; i++) { split(line[i], f, ","); name[f[1]] = f[2] }
        }
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        {
            s = $col["store"]; c = $col["cycle"]; region[s] = $col["region"]
            if (c == last) { n1[s]++; sum1[s] += $col["score"] }
            if (c == prev) { n0[s]++; sum0[s] += $col["score"] }
        }
        function label(s) { return sprintf("%-6s %-18s %-5s", s, name[s], region[s]) }
        END {
            for (s in n1) {
                m = sum1[s] / n1[s]
                if (lo == "" || m < lom || (m == lom && s < lo)) { lo = s; lom = m }
                if (hi == "" || m > him || (m == him && s < hi)) { hi = s; him = m }
                if (!(s in n0)) continue
                d = m - sum0[s] / n0[s]
                if (up == "" || d > upd || (d == upd && s < up)) { up = s; upd = d }
                if (dn == "" || d < dnd || (d == dnd && s < dn)) { dn = s; dnd = d }
            }
            printf "  strongest:    %s %5.1f %%\n", label(hi), him
            printf "  weakest:      %s %5.1f %%\n", label(lo), lom
            if (up != "") {
                printf "  largest rise: %s %5.1f %% (%+.1f)\n", label(up), sum1[up] / n1[up], upd
                printf "  largest fall: %s %5.1f %% (%+.1f)\n", label(dn), sum1[dn] / n1[dn], dnd
            }
        }'
}

# 5. Say honestly what is not built yet.
step_not_yet() {
    last=$(last_cycle)
    echo
    echo "The cycle workbook (svcaudit export) is not built yet; the data above is in" \
         "$DB — try: ./svcaudit --db $DB audit list --cycle $last"
}

main() {
    step_generate
    step_setup
    step_record
    step_summary
    step_not_yet
}

main "$@"
