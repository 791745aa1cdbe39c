/* svcaudit fuzzing: merge (sva_db_merge) of a received file that someone
 * altered. Set-up, once: a small valid laptop database, packed from an office
 * and then given an audit (6s_store, every item at its best), an action with
 * its fields and history, a target, a survey result, a reason and a plan; and
 * the office's file. Each input mutates the laptop's file: read as records of
 * four bytes (a 24-bit offset into the file, taken modulo its size, and the
 * byte written there), so libFuzzer's mutations reach every page (header,
 * schema, rows, indexes) however long the file is. The mutated file is merged
 * into a fresh copy of the office (its image written back before every
 * input). Invariants: every diagnostic formats; an error comes with a
 * message; a refused file leaves the office as it was (the same number of
 * audits, actions, targets and history lines); a merge that succeeds gives
 * an office whose integrity_check is ok and merging the same file again adds
 * no audit. The SQLite layer's bounds (value sizes, work per file) keep each
 * run short: -timeout catches one that is not. */
#include "fuzz_common.h"

#include <sys/stat.h>

#include "db_internal.h"

static const char *lap_path, *off_path, *in_path;
static uint8_t *lap_img, *off_img;
static size_t lap_len, off_len;

static void must(sva_error rc, const char *what, sva_diag *d)
{
    if (rc != SVA_OK) {
        fprintf(stderr, "fuzz: set-up failed: %s: %s\n", what, sva_strerror(rc));
        for (size_t i = 0; i < d->n; i++)
            fprintf(stderr, "  %s\n", d->msgs[i].msg);
        abort();
    }
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) != 0 || sb.st_size <= 0)
        abort();
    *len = (size_t)sb.st_size;
    uint8_t *p = malloc(*len);
    if (!p || fread(p, 1, *len, f) != *len)
        abort();
    fclose(f);
    return p;
}

static void unlink_sides(const char *path)
{
    char side[4300];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* The laptop's records: an audit, an action, a target, a survey result, a
 * reason and a plan. */
static void laptop_records(sva_db *db, sva_diag *d)
{
    static sva_checklist *cl; /* kept: reachable, not a leak */
    cl = fuzz_load_checklist("6s_store");
    sva_answer *a = calloc(cl->n_items, sizeof *a);
    if (!a)
        abort();
    for (size_t i = 0; i < cl->n_items; i++) {
        a[i].answered = true;
        a[i].value = cl->items[i].scale.max;
    }
    sva_audit_header h = {.cycle = "2026-11", .store = "SH-001", .auditor = "Zhang Min",
                          .date = "2026-11-18"};
    const sva_audit_ready *r = NULL;
    must(sva_audit_prepare(cl, &h, a, &r, d), "audit prepare", d);
    long long id = 0;
    must(sva_db_audit_record(db, r, false, &id, d), "audit record", d);
    sva_audit_ready_free(r);
    free(a);
    sva_target t = {.cycle = "2026-11", .scope = SVA_SCOPE_NETWORK, .scope_id = "",
                    .metric = "ssi", .value = 85};
    must(sva_db_target_set(db, &t, NULL, d), "target", d);
    /* the rest as the CLI's SQL would leave it (the triggers keep the versions) */
    must(db_exec(db,
                 "INSERT INTO action(uuid, cycle_id, store_id, metric, status, owner, due,"
                 " created_at, updated_at) VALUES('6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b',"
                 " '2026-11', 'SH-001', 'ssi', 'in_progress', 'Li Ming', '2026-11-28',"
                 " '2026-11-18T09:00:00Z', '2026-11-19T09:00:00Z');"
                 "INSERT INTO action_field(action_id, key, value, pos) VALUES"
                 " (last_insert_rowid(), 'why', 'slow greeting', 0);"
                 "INSERT INTO action_history(action_id, at, actor, change) VALUES"
                 " ((SELECT id FROM action), '2026-11-19T09:00:00Z', 'Zhang', 'in_progress');"
                 "INSERT INTO survey(cycle_id, store_id, metric, value, respondents,"
                 " imported_at) VALUES('2026-11', 'SH-001', 'csi', 81.5, 40,"
                 " '2026-11-19T09:00:00Z');"
                 "INSERT INTO cycle_reason(cycle_id, store_id, metric, text, at) VALUES"
                 " ('2026-11', 'SH-002', 'ssi', 'new staff', '2026-11-19T09:00:00Z');"
                 "INSERT INTO plan(uuid, cycle_id, checklist_id, scope, scope_id, per_employee,"
                 " times, every, auditor, set_at) VALUES('7a1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b',"
                 " '2026-11', '6s_store', 'store', 'SH-001', 0, 2, 'month', '',"
                 " '2026-11-19T09:00:00Z')",
                 d),
         "laptop rows", d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    off_path = fuzz_tmp_path("office.db");
    lap_path = fuzz_tmp_path("laptop.db");
    in_path = fuzz_tmp_path("received.db");
    sva_diag d;
    sva_diag_init(&d);
    sva_db *db = NULL;
    must(sva_db_open(off_path, SVA_DB_CREATE, &db, &d), "office", &d);
    must(sva_db_set_name(db, "East office", &d), "office name", &d);
    static const sva_store stores[] = {{"SH-001", "Sunrise Shanghai", "east"},
                                       {"SH-002", "Sunrise Pudong", "east"}};
    for (size_t i = 0; i < 2; i++)
        must(sva_db_store_add(db, &stores[i], &d), "store add", &d);
    sva_employee e = {"SH-001-E01", "Li Ming", "SH-001", "sales"};
    must(sva_db_employee_add(db, &e, &d), "employee add", &d);
    must(sva_db_cycle_open(db, "2026-11", "2026-11-01", "2026-11-30", &d), "cycle open", &d);
    sva_merge_stats st;
    must(sva_db_pack(db, lap_path, "laptop Zhang", NULL, &st, &d), "pack", &d);
    sva_db_close(db);
    must(sva_db_open(lap_path, SVA_DB_EXISTING, &db, &d), "laptop", &d);
    laptop_records(db, &d);
    sva_db_close(db); /* the last connection: the WAL is folded into the file */
    sva_diag_clear(&d);
    lap_img = slurp(lap_path, &lap_len);
    off_img = slurp(off_path, &off_len);
    return 0;
}

/* One number from the office (-1 when it cannot be read). */
static long long count(sva_db *db, const char *sql)
{
    sql_stmt *q;
    sva_diag d;
    sva_diag_init(&d);
    long long n = -1;
    if (db_prep(db, sql, &q, &d) == SVA_OK) {
        if (sql_step(q) == SQL_ROW)
            n = sql_int(q, 0);
        sql_finalize(q);
    }
    sva_diag_clear(&d);
    return n;
}

static const char SUMMARY[] =
    "SELECT (SELECT count(*) FROM audit) * 1000000 + (SELECT count(*) FROM action) * 10000 +"
    " (SELECT count(*) FROM target) * 100 + (SELECT count(*) FROM action_history)";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *img = malloc(lap_len);
    if (!img)
        return 0;
    memcpy(img, lap_img, lap_len);
    for (size_t i = 0; i + 4 <= size; i += 4) {
        size_t off = ((size_t)data[i] << 16 | (size_t)data[i + 1] << 8 | data[i + 2]) % lap_len;
        img[off] = data[i + 3];
    }
    fuzz_write_file(in_path, img, lap_len);
    free(img);
    unlink_sides(in_path);
    fuzz_write_file(off_path, off_img, off_len);
    unlink_sides(off_path);

    sva_diag d;
    sva_diag_init(&d);
    sva_db *db = NULL;
    if (sva_db_open(off_path, SVA_DB_EXISTING, &db, &d) != SVA_OK)
        abort();
    long long before = count(db, SUMMARY);
    sva_merge_stats st;
    sva_error rc = sva_db_merge(db, in_path, &st, &d);
    fuzz_diag_check(&d);
    FUZZ_CHECK(rc == SVA_OK || d.n > 0);
    if (rc != SVA_OK) {
        FUZZ_CHECK(count(db, SUMMARY) == before);
    } else {
        sql_stmt *q;
        sva_diag_clear(&d);
        if (db_prep(db, "PRAGMA integrity_check", &q, &d) == SVA_OK) {
            FUZZ_CHECK(sql_step(q) == SQL_ROW && strcmp(sql_text(q, 0), "ok") == 0);
            sql_finalize(q);
        }
        sva_diag_clear(&d);
        FUZZ_CHECK(sva_db_merge(db, in_path, &st, &d) == SVA_OK && st.audits_added == 0);
    }
    sva_diag_clear(&d);
    sva_db_close(db);
    return 0;
}
