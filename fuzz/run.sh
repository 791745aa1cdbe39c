#!/bin/sh
# svcaudit fuzzing: run libFuzzer harnesses built by `make fuzz` / `make fuzz-smoke`.
# usage: sh fuzz/run.sh BUILD_DIR SECONDS NAME...   (from the source tree's root)
# Each harness fuzz_NAME runs SECONDS on its corpus BUILD_DIR/corpus/NAME (seeded
# from the fixtures, growing run after run), with -max_len=65536 and leak
# detection on. A crash, leak or sanitizer report is saved as
# BUILD_DIR/artifacts/NAME-crash-* (or leak-*, timeout-*, oom-*), the log as
# BUILD_DIR/logs/NAME.log. Exit 1 if any harness found something.
# SVA_FUZZ_STRICT=1 in the environment also checks the harnesses' invariants.
set -u
dir=$1
secs=$2
shift 2

# seeds NAME: the files that seed harness NAME's corpus
seeds() {
    case $1 in
    checklist) ls checklists/*.ini tests/fixtures/checklists/*/*.ini tests/bad/checklist/* \
                  fuzz/seeds/checklist/* ;;
    sheet) ls tests/fixtures/sheets/* tests/bad/sheet/* fuzz/seeds/sheet/* ;;
    csv) ls tests/fixtures/csv/* tests/fixtures/record/*.csv tests/fixtures/sheets/*.csv \
            tests/bad/csv/* tests/bad/sheet/*.csv fuzz/seeds/import/* fuzz/seeds/sheet/*.csv ;;
    import) ls tests/fixtures/record/*.csv tests/fixtures/csv/* tests/bad/csv/* \
               fuzz/seeds/import/* ;;
    targets) ls tests/bad/targets/* fuzz/seeds/targets/* ;;
    photo) ls tests/fixtures/report/* ;;
    esac 2>/dev/null
}

status=0
summary=""
for name in "$@"; do
    bin="$dir/fuzz_$name"
    corpus="$dir/corpus/$name"
    log="$dir/logs/$name.log"
    if [ ! -x "$bin" ]; then
        echo "fuzz_$name: no $bin (build it with 'make fuzz-build')"
        status=1
        continue
    fi
    mkdir -p "$corpus" "$dir/artifacts" "$dir/logs"
    for f in $(seeds "$name"); do
        [ -f "$f" ] || continue
        [ "$(wc -c < "$f")" -le 65536 ] || continue
        cp "$f" "$corpus/seed-$(printf '%s' "$f" | tr '/' '_')"
    done
    dict=""
    case $name in
    checklist | sheet | targets | import) dict="-dict=fuzz/$name.dict" ;;
    csv) dict="-dict=fuzz/import.dict" ;;
    esac
    echo "== fuzz_$name: $secs s, corpus $corpus ($(ls "$corpus" | wc -l) files)"
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$bin" -max_len=65536 -max_total_time="$secs" -detect_leaks=1 -timeout=20 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/artifacts/$name-" \
        $dict "$corpus" > "$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ "$rc" -eq 0 ]; then
        line="fuzz_$name: ${execs:-?} executions in $secs s, clean"
    else
        status=1
        what=$(grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|fuzz invariant' "$log")
        art=$(sed -n 's/.*Test unit written to //p' "$log" | tail -1)
        line="fuzz_$name: FOUND SOMETHING after ${execs:-?} executions: $what; input $art; log $log"
        grep -m12 -E '^ *#[0-9]+ ' "$log" | sed 's/^/    /'
    fi
    echo "$line"
    summary="$summary$line
"
done
echo
echo "fuzz summary:"
printf '%s' "$summary"
exit $status
