#!/bin/sh
# svcaudit: `make demo`, the main job on bundled demo data. Everything goes
# through the real CLI (./svcaudit) into a fresh database in ./demo/:
#   1. generate  the demo data (tools/gen_demo: deterministic, same every run)
#   2. setup     init, stores, employees, the PDCA cycles
#   3. record    every generated answer sheet, one `svcaudit record` each
#   4. plan      targets for every cycle (network, region and store levels)
#   5. pdca      the first two cycles' Act: reasons and 5W1H actions for every
#                missed target, actions in several states, each closed with
#                carry-over (the second's close verifies or reopens the first's
#                done actions by its answers); customer survey results beside
#                the audit figures
#   6. export    the last cycle's workbook, demo/svcaudit-LAST.xlsx
#   7. summary   cycles, the network's figure per checklist, the strongest
#                and weakest stores' 6S, the last cycle's status against its
#                targets, and the changes since the cycle before that its QA
#                calls real; every figure as svcaudit printed it (the script
#                picks rows and lays them out, it computes none)
set -e
cd "$(dirname "$0")/.."

DEMO=${SVCAUDIT_DEMO_DIR:-demo}
GEN=$DEMO/gen
DB=${SVCAUDIT_DEMO_DB:-$DEMO/svcaudit.db}
GEN_DEMO=${GEN_DEMO:-build/tools/gen_demo}
SVCAUDIT_CHECKLISTS=$(pwd)/checklists
export SVCAUDIT_CHECKLISTS
# "today" for overdue actions: fixed, so the demo prints the same every run
SVCAUDIT_TODAY=2026-11-28
export SVCAUDIT_TODAY
# who makes the demo's changes, in the change log ('svcaudit log'); a --by on
# a command names someone else
SVCAUDIT_USER=demo
export SVCAUDIT_USER

# The CLI on the demo database.
SVA_BIN=${SVA_BIN:-./svcaudit}
sva() {
    "$SVA_BIN" --db "$DB" "$@"
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

# 4. The Plan: targets for every cycle, from a targets file.
step_plan() {
    echo
    echo "== 4. plan: targets for every cycle ($DEMO/targets.ini)"
    : > "$DEMO/targets.ini"
    while read -r id from to; do
        printf '[network-%s]\ncycle = %s\nssi = 80\ncsi = 80\n6s = 80\n\n' "$id" "$id"
        printf '[east-%s]\ncycle = %s\nregion = East\nssi = 82\n6s = 82\n\n' "$id" "$id"
        printf '[tianjin-%s]\ncycle = %s\nstore = TJ-001\n6s = 75\n\n' "$id" "$id"
    done < "$GEN/cycles.txt" > "$DEMO/targets.ini"
    sva target import "$DEMO/targets.ini"
}

# Every missed store target of cycle $1: a reason and an action on that
# metric, due on $2.
act_on_missed() {
    sva cycle status "$1" --format csv 2>/dev/null | awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $col["scope"] == "store" && $col["status"] == "missed" {
            print $col["id"], $col["metric"], $col["actual"], $col["target"] }' |
    while read -r store metric actual target; do
        sva cycle reason "$1" --store "$store" --metric "$metric" \
            --text "$metric $actual against $target: new staff not yet trained on the standard" \
            </dev/null >/dev/null
        sva action add --cycle "$1" --store "$store" --metric "$metric" \
            --set why="$metric below target ($actual < $target)" \
            --set what="refresher training on the $metric standard" \
            --set who="Service manager $store" --set when="$2" \
            --set where="$store" --set how="two training sessions, then a check visit" \
            --set priority=high --by "Zhou Qing" </dev/null >/dev/null
    done
}

# 5. Do, Check, Act on the first two cycles, then the follow-up in the last.
step_pdca() {
    first=$(head -n 1 "$GEN/cycles.txt" | cut -d ' ' -f 1)
    second=$(sed -n 2p "$GEN/cycles.txt" | cut -d ' ' -f 1)
    last=$(last_cycle)
    echo
    echo "== 5. PDCA: actions, closing cycles $first and $second, surveys"
    # one action per failed item of the first cycle's failed (critical) audits
    sva audit list --cycle "$first" --format csv | awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $col["failed"] != "" { print $col["id"] }' | while read -r audit; do
        sva action add --from-audit "$audit" --set who="Store manager" \
            --set when=2026-10-15 --set where="showroom and workshop" \
            --set how="coach the team; the manager checks daily for two weeks" \
            --by "Zhou Qing" </dev/null >/dev/null
    done
    act_on_missed "$first" 2026-10-20
    # the item actions were worked on: done (the next cycle verifies or reopens them)
    sva action list --cycle "$first" --format csv | awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $col["about"] != "" { print $col["id"] }' | while read -r id; do
        sva action update "$id" --status done --by "Store manager" </dev/null >/dev/null
    done
    # some metric actions started, the rest stay open
    sva action list --cycle "$first" --status open --format csv |
        awk -F, 'NR > 1 && NR % 2 == 0 { print $1 }' | while read -r id; do
        sva action update "$id" --status in_progress --by "Service manager" </dev/null >/dev/null
    done
    sva cycle close "$first"
    # the second cycle's Act; its close verifies or reopens the done actions by
    # its answers and carries what is still open into the last cycle
    act_on_missed "$second" 2026-11-20
    sva cycle close "$second"
    # an action of the last cycle that is overdue on the demo's today
    sva action add --cycle "$last" --store TJ-001 --checklist 6s_store --section safety \
        --set why="emergency exit blocked by stored tyres" \
        --set what="clear the exit; move the tyre storage" \
        --set who="Workshop manager TJ-001" --set when=2026-11-20 --set where="workshop" \
        --set how="new tyre rack; daily exit check on the 6S board" --set priority=high \
        --set how_much=3500 --by "Zhou Qing" </dev/null >/dev/null
    # customer survey results (SSI/CSI on the 1000-point industry scale)
    sva store list --format csv | awk -F, -v c="$last" '
        BEGIN { print "cycle,store,metric,value,respondents,scale" }
        NR > 1 { n++
                 printf "%s,%s,ssi,%d,%d,1000\n", c, $1, 780 + (n * 37) % 150, 40 + n * 3
                 printf "%s,%s,csi,%d,%d,1000\n", c, $1, 760 + (n * 53) % 170, 35 + n * 2 }' \
        > "$DEMO/survey-$last.csv"
    sva survey import "$DEMO/survey-$last.csv"
    # the actions of each cycle as its status counts them
    while read -r id from to; do
        printf '%s ' "$id"
        sva cycle status "$id" | sed -n 's/^audits .*; actions:/actions:/p'
    done < "$GEN/cycles.txt"
}

# 6. The last cycle's workbook.
step_export() {
    last=$(last_cycle)
    echo
    echo "== 6. the workbook of cycle $last"
    sva export --cycle "$last" -o "$DEMO/svcaudit-$last.xlsx" --data
}

# 7. What is in the database now, read back through the CLI. Every figure
# printed is one svcaudit computed (from unrounded parts, rounded once): an
# average of rounded audit scores here would differ from the product's own
# figure (TJ-001's 6S once showed 52.5 here against 52.4 in cycle status).
step_summary() {
    last=$(last_cycle)
    prev=$(prev_cycle)
    echo
    echo "== 7. summary"
    sva cycle list
    echo
    echo "the network's figure per checklist and cycle, % (svcaudit trend --metric CHECKLIST:"
    echo "a store's mean audit %, the network's mean of its stores; change and verdict in $last):"
    sva checklist list --format csv | awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $col["kind"] == "checklist" { print $col["id"] }' | sort | while read -r checklist; do
        sva trend --metric "$checklist" --cycle "$last" --format csv |
            awk -F, -v k="$checklist" -v last="$last" '
            NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
            { figures = figures sprintf("  %s %5s", $col["cycle"], $col["mean"]) }
            $col["cycle"] == last {
                audits = $col["audits"]; change = $col["change"]; verdict = $col["verdict"] }
            END {
                if (change != "" && change !~ /^-/) change = "+" change
                printf "  %-20s%s  (%s audits in %s; %s %s)\n",
                       k, figures, audits, last, change, verdict }'
    done
    echo
    echo "6S in $last (svcaudit cycle status${prev:+; change since $prev: svcaudit trend --metric 6s --store ID}):"
    # Store ids, names and regions hold no commas.
    sva cycle status "$last" --format csv | awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $col["scope"] == "store" && $col["metric"] == "6s" && $col["actual"] != "" {
            print $col["id"] "," $col["name"] "," $col["region"] "," $col["actual"] }' |
    while IFS=, read -r id name region actual; do
        change=""
        if [ -n "$prev" ]; then
            change=$(sva trend --metric 6s --store "$id" --cycle "$last" --cycles 2 --format csv |
                awk -F, -v last="$last" '
                NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
                $col["cycle"] == last { print $col["change"] }')
        fi
        echo "$id,$name,$region,$actual,$change"
    done | awk -F, '
        function label() { return sprintf("%-6s %-18s %-5s", $1, $2, $3) }
        function signed(c) { return c ~ /^-/ ? c : "+" c }
        {
            # the extremes: figures compare as numbers, a tie goes to the first row
            if (lo == "" || $4 + 0 < lom + 0) { lo = label(); lom = $4 }
            if (hi == "" || $4 + 0 > him + 0) { hi = label(); him = $4 }
            if ($5 == "") next
            if (up == "" || $5 + 0 > upc + 0) { up = label(); upc = $5; upa = $4 }
            if (dn == "" || $5 + 0 < dnc + 0) { dn = label(); dnc = $5; dna = $4 }
        }
        END {
            printf "  strongest:    %s %5s %%\n", hi, him
            printf "  weakest:      %s %5s %%\n", lo, lom
            if (up != "") {
                printf "  largest rise: %s %5s %% (%s)\n", up, upa, signed(upc)
                printf "  largest fall: %s %5s %% (%s)\n", dn, dna, signed(dnc)
            }
        }'
}

# The last cycle against its targets: network and regions, then what missed.
step_status() {
    last=$(last_cycle)
    echo
    echo "cycle $last against its targets (svcaudit cycle status $last):"
    sva cycle status "$last" | sed -n '1,2p'
    sva cycle status "$last" --format csv | awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $col["scope"] != "store" {
            printf "  %-8s %-6s %-4s actual %5s  target %5s  %-9s (%s stores)\n",
                $col["scope"], $col["id"], $col["metric"], $col["actual"], $col["target"],
                $col["status"], $col["n"] }
        $col["scope"] == "store" && $col["status"] == "missed" { missed++ }
        END { printf "  store targets missed: %d\n", missed }'
    # QA: which changes since the cycle before are real (the status's own tests:
    # every store, region and the network one family per metric)
    echo
    echo "changes since $(prev_cycle) that QA calls real (false discovery rate 5 %):"
    sva cycle status "$last" --format csv | awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $col["change"] == "improved" || $col["change"] == "declined" {
            printf "  %-8s %-6s %-18s %-4s actual %5s  %-8s (n %s; over the window: %s)\n",
                $col["scope"], $col["id"], $col["name"], $col["metric"], $col["actual"],
                $col["change"], $col["n"], $col["window"]; called++; next }
        $col["change"] == "no significant change" { same++ }
        END {
            if (!called) print "  none"
            printf "  no significant change: %d rows (the rest: insufficient n)\n", same
        }'
    echo
    echo "workbook: $DEMO/svcaudit-$last.xlsx"
    echo "try: ./svcaudit --db $DB cycle status $last --region East"
}

main() {
    step_generate
    step_setup
    step_record
    step_plan
    step_pdca
    step_export
    step_summary
    step_status
}

main "$@"
