# svcaudit: plain Makefile. Targets: all check asan install demo bench clean.
# `make check` and `make demo` install missing Debian packages first.

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
DATADIR  = $(PREFIX)/share/svcaudit

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes
CPPFLAGS_ALL = -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc \
               -DSVA_DATADIR='"$(DATADIR)"' \
               $(shell pkg-config --cflags sqlite3 xlsxwriter 2>/dev/null) -I/usr/include/iniparser
LIBS     = $(shell pkg-config --libs sqlite3 xlsxwriter 2>/dev/null || echo -lsqlite3 -lxlsxwriter) \
           -liniparser -lm
SAN      =

BUILD    = build
LIB_SRC  = $(wildcard src/*.c)
CLI_SRC  = $(wildcard src/cli/*.c)
LIB_OBJ  = $(LIB_SRC:src/%.c=$(BUILD)/lib/%.o)
CLI_OBJ  = $(CLI_SRC:src/cli/%.c=$(BUILD)/cli/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HDRS     = $(wildcard include/svcaudit/*.h src/*.h src/cli/*.h)

.PHONY: all check unit e2e asan install uninstall demo bench clean deps test-deps FORCE

all: svcaudit

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
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
FORCE:

$(BUILD)/cli/cli.o: $(BUILD)/prefix.stamp

$(BUILD)/cli/%.o: src/cli/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $(WARN) $(CPPFLAGS_ALL) -c $< -o $@

$(BUILD)/libsvcaudit.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

svcaudit: $(CLI_OBJ) $(BUILD)/libsvcaudit.a
	$(CC) $(CFLAGS) $(SAN) -o $@ $(CLI_OBJ) $(BUILD)/libsvcaudit.a $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/libsvcaudit.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -std=c11 -Wall -Wextra -Werror $(CPPFLAGS_ALL) -Itests/unit \
	    -DSRCDIR='"$(CURDIR)"' $< -o $@ $(BUILD)/libsvcaudit.a $(LIBS) -lcmocka

# Unit tests (cmocka), then end-to-end tests on the real binary.
check: test-deps
	@$(MAKE) --no-print-directory unit e2e

# Every test program runs even when an earlier one fails; the failures are
# listed at the end and make the target fail.
unit: $(UNIT_BIN)
	@failed=""; for t in $(UNIT_BIN); do echo "== $$t"; $$t || failed="$$failed $$t"; done; \
	if [ -n "$$failed" ]; then echo "unit: failed:$$failed"; exit 1; fi

e2e: svcaudit
	@sh tests/e2e/run.sh

# AddressSanitizer + UndefinedBehaviorSanitizer build of everything, then the tests.
asan: test-deps
	@$(MAKE) --no-print-directory BUILD=build-asan \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    CFLAGS="-O1 -g" unit
	@$(MAKE) --no-print-directory clean-bin
	@$(MAKE) --no-print-directory BUILD=build-asan \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    CFLAGS="-O1 -g" e2e; rc=$$?; $(MAKE) --no-print-directory clean-bin; exit $$rc

clean-bin:
	@rm -f svcaudit

install: svcaudit
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/checklists
	install -m 755 svcaudit $(DESTDIR)$(BINDIR)/svcaudit
	install -m 644 checklists/*.ini $(DESTDIR)$(DATADIR)/checklists/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/svcaudit
	rm -rf $(DESTDIR)$(DATADIR)

demo: deps
	@$(MAKE) --no-print-directory -s svcaudit $(BUILD)/tools/gen_demo
	@GEN_DEMO=$(BUILD)/tools/gen_demo sh scripts/demo.sh

# Tools (tools/*.c, e.g. the demo data generator) link the library like the benchmarks.
$(BUILD)/tools/%: tools/%.c $(BUILD)/libsvcaudit.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS_ALL) $< -o $@ $(BUILD)/libsvcaudit.a $(LIBS)

$(BUILD)/bench/%: bench/%.c bench/benchgen.h $(BUILD)/libsvcaudit.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=c11 -Wall -Wextra -Werror $(CPPFLAGS_ALL) $< -o $@ \
	    $(BUILD)/libsvcaudit.a $(LIBS)

bench: deps
	@$(MAKE) --no-print-directory svcaudit $(BUILD)/bench/bench_record $(BUILD)/bench/bench_export
	@sh bench/run.sh

clean:
	rm -rf build build-asan svcaudit
