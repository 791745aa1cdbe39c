# svcaudit: plain Makefile. Targets: all check asan install demo bench clean.
# `make check` and `make demo` install missing Debian packages first.

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
DATADIR  = $(PREFIX)/share/svcaudit
LIBDIR   = $(PREFIX)/lib/svcaudit

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes
CPPFLAGS_ALL = -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc \
               -DSVA_DATADIR='"$(DATADIR)"' -DSVA_LIBDIR='"$(LIBDIR)"' \
               $(shell pkg-config --cflags sqlite3 xlsxwriter 2>/dev/null) -I/usr/include/iniparser \
               $(shell pkg-config --cflags cairo pangocairo 2>/dev/null) \
               $(shell pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
LIBS     = $(shell pkg-config --libs sqlite3 xlsxwriter 2>/dev/null || echo -lsqlite3 -lxlsxwriter) \
           -liniparser -lunistring -lm
# libpq only in the PostgreSQL driver module (src/sql_pg_load.c says why)
PG_LIBS  = -lpq
PG_MOD   = svcaudit-pg.so
# cairo and pango only in the PDF renderer module (src/pdf_load.c says why)
PDF_LIBS = $(shell pkg-config --libs cairo pangocairo 2>/dev/null || \
             echo -lpangocairo-1.0 -lpango-1.0 -lgobject-2.0 -lglib-2.0 -lcairo)
PDF_MOD  = svcaudit-pdf.so
SAN      =

BUILD    = build
LIB_SRC  = $(filter-out src/pdf.c src/sql_pg.c,$(wildcard src/*.c))
CLI_SRC  = $(wildcard src/cli/*.c)
LIB_OBJ  = $(LIB_SRC:src/%.c=$(BUILD)/lib/%.o)
CLI_OBJ  = $(CLI_SRC:src/cli/%.c=$(BUILD)/cli/%.o)
PDF_OBJ  = $(BUILD)/lib/pdf.o
PG_OBJ   = $(BUILD)/lib/sql_pg.o
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HDRS     = $(wildcard include/svcaudit/*.h src/*.h src/cli/*.h)

.PHONY: all check unit e2e e2e-pg asan install uninstall demo bench bench-build clean deps test-deps FORCE

all: svcaudit $(PDF_MOD) $(PG_MOD)

deps:
	@sh scripts/deps.sh build
test-deps:
	@sh scripts/deps.sh test

$(BUILD)/lib/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $(WARN) $(CPPFLAGS_ALL) -c $< -o $@

# The installed share folder is compiled into the CLI: rebuild it when PREFIX changes.
$(BUILD)/prefix.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(DATADIR) $(LIBDIR)' | cmp -s - $@ || echo '$(DATADIR) $(LIBDIR)' > $@
FORCE:

$(BUILD)/cli/cli.o $(BUILD)/lib/pdf_load.o $(BUILD)/lib/sql_pg_load.o: $(BUILD)/prefix.stamp

$(BUILD)/cli/%.o: src/cli/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $(WARN) $(CPPFLAGS_ALL) -c $< -o $@

$(BUILD)/libsvcaudit.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# The binary exports its symbols (-rdynamic) for the PDF module, which it opens
# on the first report; building svcaudit builds the module too.
svcaudit: $(CLI_OBJ) $(BUILD)/libsvcaudit.a | $(PDF_MOD) $(PG_MOD)
	$(CC) $(CFLAGS) $(SAN) -rdynamic -o $@ $(CLI_OBJ) $(BUILD)/libsvcaudit.a $(LIBS)

$(PDF_OBJ): src/pdf.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -fPIC $(WARN) $(CPPFLAGS_ALL) -c $< -o $@
$(PDF_MOD): $(PDF_OBJ)
	$(CC) $(CFLAGS) $(SAN) -shared -o $@ $(PDF_OBJ) $(PDF_LIBS)
$(PG_OBJ): src/sql_pg.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -fPIC $(WARN) $(CPPFLAGS_ALL) -c $< -o $@
$(PG_MOD): $(PG_OBJ)
	$(CC) $(CFLAGS) $(SAN) -shared -o $@ $(PG_OBJ) $(PG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/libsvcaudit.a $(PDF_OBJ) $(PG_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -std=c11 -Wall -Wextra -Werror $(CPPFLAGS_ALL) -Itests/unit \
	    -DSRCDIR='"$(CURDIR)"' $< -o $@ $(PDF_OBJ) $(PG_OBJ) $(BUILD)/libsvcaudit.a $(LIBS) \
	    $(PDF_LIBS) $(PG_LIBS) -lcmocka

# The CLI's option layer and JSON writer are tested without main.c.
CLI_UNIT_OBJ = $(BUILD)/cli/opt.o $(BUILD)/cli/json.o $(BUILD)/cli/cli.o
$(BUILD)/tests/test_cli: tests/unit/test_cli.c tests/unit/testutil.h $(CLI_UNIT_OBJ) $(BUILD)/libsvcaudit.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -std=c11 -Wall -Wextra -Werror $(CPPFLAGS_ALL) -Itests/unit \
	    -DSRCDIR='"$(CURDIR)"' $< -o $@ $(CLI_UNIT_OBJ) $(BUILD)/libsvcaudit.a $(LIBS) -lcmocka

# Unit tests (cmocka), then end-to-end tests on the real binary, beside a
# throwaway PostgreSQL server (scripts/with_pg.sh, stopped however the tests
# end): the statement layer's unit tests run on both engines, and the e2e
# tests that matter for the store run a second time on PostgreSQL (e2e-pg).
# The benchmark programs are compiled too (not run), so they cannot rot.
check: test-deps
	@$(MAKE) --no-print-directory bench-build svcaudit $(UNIT_BIN) $(BUILD)/tools/gen_demo
	@sh scripts/with_pg.sh $(MAKE) --no-print-directory unit e2e e2e-pg

# Every test program runs even when an earlier one fails; the failures are
# listed at the end and make the target fail.
unit: $(UNIT_BIN)
	@failed=""; for t in $(UNIT_BIN); do echo "== $$t"; $$t || failed="$$failed $$t"; done; \
	if [ -n "$$failed" ]; then echo "unit: failed:$$failed"; exit 1; fi

e2e: svcaudit $(BUILD)/tools/gen_demo
	@GEN_DEMO=$(CURDIR)/$(BUILD)/tools/gen_demo sh tests/e2e/run.sh

# The e2e tests of the store on PostgreSQL; needs SVA_TEST_PG (make check sets it).
e2e-pg: svcaudit $(BUILD)/tools/gen_demo
	@GEN_DEMO=$(CURDIR)/$(BUILD)/tools/gen_demo sh tests/e2e/run.sh --pg

# AddressSanitizer + UndefinedBehaviorSanitizer build of everything, then the tests.
# LeakSanitizer skips fontconfig's caches (tests/lsan.supp says why).
LSAN_SUPP = LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
asan: test-deps
	@$(LSAN_SUPP) $(MAKE) --no-print-directory BUILD=build-asan \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    CFLAGS="-O1 -g" unit
	@$(MAKE) --no-print-directory clean-bin
	@$(LSAN_SUPP) $(MAKE) --no-print-directory BUILD=build-asan \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    CFLAGS="-O1 -g" e2e; rc=$$?; $(MAKE) --no-print-directory clean-bin; exit $$rc

clean-bin:
	@rm -f svcaudit $(PDF_MOD) $(PG_MOD)

install: svcaudit
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/checklists
	install -d $(DESTDIR)$(LIBDIR)
	install -m 755 svcaudit $(DESTDIR)$(BINDIR)/svcaudit
	install -m 644 $(PDF_MOD) $(DESTDIR)$(LIBDIR)/$(PDF_MOD)
	install -m 644 $(PG_MOD) $(DESTDIR)$(LIBDIR)/$(PG_MOD)
	install -m 644 checklists/*.ini $(DESTDIR)$(DATADIR)/checklists/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/svcaudit
	rm -rf $(DESTDIR)$(LIBDIR)
	rm -rf $(DESTDIR)$(DATADIR)

demo: deps
	@$(MAKE) --no-print-directory -s svcaudit $(BUILD)/tools/gen_demo
	@GEN_DEMO=$(BUILD)/tools/gen_demo sh scripts/demo.sh

# Tools (tools/*.c, e.g. the demo data generator) link the library like the benchmarks.
$(BUILD)/tools/%: tools/%.c $(BUILD)/libsvcaudit.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $(WARN) $(CPPFLAGS_ALL) $< -o $@ $(BUILD)/libsvcaudit.a $(LIBS)

$(BUILD)/bench/%: bench/%.c bench/benchgen.h $(BUILD)/libsvcaudit.a $(PDF_OBJ) $(PG_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=c11 -Wall -Wextra -Werror $(CPPFLAGS_ALL) $< -o $@ \
	    $(PDF_OBJ) $(PG_OBJ) $(BUILD)/libsvcaudit.a $(LIBS) $(PDF_LIBS) $(PG_LIBS)

BENCH_BIN = $(BUILD)/bench/bench_record $(BUILD)/bench/bench_export $(BUILD)/bench/bench_pg $(BUILD)/bench/bench_report \
            $(BUILD)/bench/bench_history $(BUILD)/bench/bench_batch $(BUILD)/bench/bench_merge

bench-build: $(BENCH_BIN)

bench: deps
	@$(MAKE) --no-print-directory svcaudit bench-build $(BUILD)/tools/gen_demo
	@sh bench/run.sh

clean:
	rm -rf build build-asan svcaudit $(PDF_MOD) $(PG_MOD)

# ---- fuzzing: clang libFuzzer + ASan + UBSan, the library sources compiled in ----
# `make fuzz` runs each fuzz/fuzz_*.c harness FUZZ_SECONDS (default 60) on a corpus
# seeded from the fixtures (-max_len=65536, leak detection on); `make fuzz-smoke`
# runs each 10 s (CI). Binaries, corpora, crash inputs and logs go to build/fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_NAMES    = checklist sheet csv import targets photo merge
FUZZ_BIN      = $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)

.PHONY: fuzz fuzz-smoke fuzz-build

FUZZ_FLAGS    = -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer -std=c11 -Wall -Wextra $(CPPFLAGS_ALL) \
                -DSVA_FUZZ_ROOT='"$(CURDIR)"'
FUZZ_OBJ      = $(LIB_SRC:src/%.c=$(BUILD)/fuzz/lib/%.o)
.SECONDARY: $(FUZZ_OBJ)

# The library sources, compiled by clang with the sanitizers and fuzzer coverage.
$(BUILD)/fuzz/lib/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $< $(FUZZ_OBJ) -o $@ $(LIBS)

fuzz-build:
	@sh scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory $(FUZZ_BIN)

fuzz: fuzz-build
	@sh fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

fuzz-smoke: fuzz-build
	@sh fuzz/run.sh $(BUILD)/fuzz 10 $(FUZZ_NAMES)

# ---- valgrind: every unit test program, then the e2e suite, under memcheck ----
# Any memory error or definite leak fails. The e2e tests run the real binary
# through tests/e2e/valgrind-wrapper.sh (SVA_BIN); the slow crash and
# concurrency tests skip themselves (SVA_SKIP_SLOW). Non-empty reports are kept
# in $(BUILD)/valgrind/ (one per process) and printed.
VALGRIND_OPTS = --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
                --show-leak-kinds=definite --num-callers=30 -q \
                --suppressions=$(CURDIR)/tests/valgrind.supp
VG_DIR        = $(BUILD)/valgrind

.PHONY: valgrind
valgrind: test-deps
	@dpkg -s valgrind >/dev/null 2>&1 || apt-get install -y valgrind
	@$(MAKE) --no-print-directory svcaudit $(UNIT_BIN)
	@rm -rf $(VG_DIR); mkdir -p $(VG_DIR); failed=""; \
	for t in $(UNIT_BIN); do echo "== valgrind $$t"; \
	    valgrind $(VALGRIND_OPTS) --log-file=$(VG_DIR)/$$(basename $$t).%p.log $$t || \
	    failed="$$failed $$t"; done; \
	SVA_BIN="$(CURDIR)/tests/e2e/valgrind-wrapper.sh" SVA_SKIP_SLOW=1 \
	    SVA_VALGRIND_LOGDIR="$(CURDIR)/$(VG_DIR)" sh tests/e2e/run.sh || failed="$$failed e2e"; \
	find $(VG_DIR) -name '*.log' -empty -delete; \
	for f in $(VG_DIR)/*.log; do [ -e "$$f" ] || continue; echo "--- $$f"; cat "$$f"; \
	    failed="$$failed $$f"; done; \
	if [ -n "$$failed" ]; then echo "valgrind: failed:$$failed"; exit 1; fi; \
	echo "valgrind: clean (unit tests and e2e suite)"
