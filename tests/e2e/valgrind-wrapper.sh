#!/bin/sh
# svcaudit: run the real ./svcaudit under valgrind memcheck, with the same
# arguments, standard input and output. `make valgrind` runs the e2e suite with
# SVA_BIN pointing here (tests/e2e/lib.sh takes $SVA from it).
# Any memory error or definite leak makes the exit status 99 (the test sees a
# wrong status and fails). With SVA_VALGRIND_LOGDIR set, valgrind's reports go
# to DIR/vg.PID.log instead of standard error, which the tests read; a
# non-empty log is an error. SVA_REAL_BIN overrides the binary.
here=$(cd "$(dirname "$0")" && pwd)
bin=${SVA_REAL_BIN:-$here/../../svcaudit}
log=""
[ -n "${SVA_VALGRIND_LOGDIR:-}" ] && log="--log-file=$SVA_VALGRIND_LOGDIR/vg.%p.log"
exec valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite --num-callers=30 -q --suppressions="$here/../valgrind.supp" \
    $log "$bin" "$@"
