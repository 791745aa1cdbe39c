/* svcaudit: audits in the store: recording (one transaction per submitted
 * audit, with the exact checklist version), listing, loading, voiding. */
#include "db_internal.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* 16 random bytes from the kernel's generator: one getrandom call (a batch
 * of 2,000 audits spent 2.6 % of its CPU opening, reading and closing
 * /dev/urandom for each), the device where the call is missing. */
static bool random_bytes(unsigned char b[16])
{
    ssize_t n = getrandom(b, 16, 0);
    if (n == 16)
        return true;
    if (n >= 0 || errno != ENOSYS)
        return false;
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0)
        return false;
    n = read(fd, b, 16);
    close(fd);
    return n == 16;
}

/* A random (version 4) UUID. */
bool db_new_uuid(char out[37])
{
    unsigned char b[16];
    if (!random_bytes(b))
        return false;
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    static const char hex[] = "0123456789abcdef";
    char *o = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *o++ = '-';
        *o++ = hex[b[i] >> 4];
        *o++ = hex[b[i] & 15];
    }
    *o = '\0';
    return true;
}

/* ---- a batch's look-ups ---------------------------------------------------------- */

/* The batch's look-ups, made when first needed; NULL outside a batch (and
 * when out of memory: then everything is read from the store, as outside). */
static db_lookups *lookups(sva_db *db)
{
    if (!db->batch)
        return NULL;
    if (!db->look)
        db->look = calloc(1, sizeof *db->look);
    return db->look;
}

static look_cycle *look_cycle_find(db_lookups *l, const char *id)
{
    for (size_t i = 0; l && i < l->n_cycles; i++)
        if (strcmp(l->cycles[i].id, id) == 0)
            return &l->cycles[i];
    return NULL;
}

/* Keep @p val for a copy of @p key in @p m (out of memory: not kept). */
static void look_keep(db_lookups *l, sva_map *m, const char *key, size_t val)
{
    const char *k = sva_pool_str(&l->strings, key);
    if (k)
        sva_map_put(m, k, val);
}

/* @p id's span in @p m when it holds for day @p on; NULL: look it up. */
static const look_span *span_find(const db_lookups *l, const sva_map *m, const char *id,
                                  const char *on)
{
    size_t i;
    if (!l || !sva_map_get(m, id, &i))
        return NULL;
    const look_span *sp = &l->spans[i - 1];
    return (!sp->lo || strcmp(sp->lo, on) <= 0) && (!sp->hi || strcmp(on, sp->hi) < 0) ? sp
                                                                                        : NULL;
}

/* Keep what @p id's look-up found (a row of DB_SPAN_SQL's two columns at
 * @p col of @p q): replaces its span (out of memory: not kept). */
static void span_keep(db_lookups *l, sva_map *m, const char *id, sql_stmt *q, int col,
                      bool active, const char *at)
{
    if (!l)
        return;
    look_span sp = {.active = active};
    if ((!sql_is_null(q, col) && !(sp.lo = sva_pool_str(&l->strings, sql_text(q, col)))) ||
        (!sql_is_null(q, col + 1) &&
         !(sp.hi = sva_pool_str(&l->strings, sql_text(q, col + 1)))) ||
        (at && !(sp.at = sva_pool_str(&l->strings, at))))
        return;
    size_t i;
    if (sva_map_get(m, id, &i)) {
        l->spans[i - 1] = sp;
        return;
    }
    if (l->n_spans == l->cap_spans) {
        size_t cap = l->cap_spans ? 2 * l->cap_spans : 64;
        look_span *nv = realloc(l->spans, cap * sizeof *nv);
        if (!nv)
            return;
        l->spans = nv;
        l->cap_spans = cap;
    }
    l->spans[l->n_spans] = sp;
    look_keep(l, m, id, ++l->n_spans);
}

/* After this many stores and employees looked up one by one, a batch reads
 * them all at once (a large batch meets most of them). */
#define LOOK_ONE_BY_ONE 32

/* Keep every store's and employee's span around day @p on (one statement
 * each, instead of one per store and employee met). */
static sva_error spans_read_all(sva_db *db, db_lookups *l, const char *on, sva_diag *d)
{
    static const char *const sql[2] = {
        "SELECT s.id, " DB_STORE_ACTIVE_SQL("s.id", "?1") ", "
        DB_SPAN_SQL("store_event", "store_id", "s.id", "?1") " FROM store s",
        "SELECT e.id, " DB_EMPLOYEE_STORE_SQL("e", "?1") ", "
        DB_SPAN_SQL("employee_event", "employee_id", "e.id", "?1") " FROM employee e"};
    l->all_read = true;
    for (int i = 0; i < 2; i++) {
        sql_stmt *q;
        if (db_prep(db, sql[i], &q, d))
            return SVA_ERR_DB;
        sql_bind_text(q, 1, on);
        int r;
        while ((r = sql_step(q)) == SQL_ROW)
            if (i == 0)
                span_keep(l, &l->stores, sql_text(q, 0), q, 2, sql_int(q, 1), NULL);
            else
                span_keep(l, &l->employees, sql_text(q, 0), q, 2, false,
                          sql_is_null(q, 1) ? NULL : sql_text(q, 1));
        sql_finalize(q);
        if (r != SQL_DONE)
            return db_fail(db, d, i ? "cannot read employees" : "cannot read stores");
    }
    return SVA_OK;
}

/* Checks that need the database: the cycle, store and employee; a field
 * that is missing is passed over (the audit module reports it). @p date is
 * the audit's date (NULL: today). With @p future_theirs a date after today
 * is not held against the cycle's period: the audit module's "after today"
 * (sva_audit_check_when) is the one line a typo'd year gets. The statements
 * are cached, and in a batch what they found (lookups): this runs once per
 * audit, also in large batches. */
static sva_error check_refs(sva_db *db, const sva_audit_header *h, const char *date,
                            bool future_theirs, sva_diag *d)
{
    sva_error rc = SVA_OK;
    int r;
    sql_stmt *q;
    db_lookups *look = lookups(db);
    /* today's date, when the audit gives none: it outlives the cycle's block,
     * as the store and employee checks below read it through @p date */
    char today[16];
    db_today(today);
    if (!date)
        date = today;
    if (h->cycle && *h->cycle) {
        look_cycle *lc = look_cycle_find(look, h->cycle), got;
        if (!lc) {
            if (db_cached(db, DB_SEL_CYCLE,
                          "SELECT state, date_from, date_to FROM cycle WHERE id = ?1", d))
                return SVA_ERR_DB;
            q = db->cache[DB_SEL_CYCLE];
            sql_bind_text(q, 1, h->cycle);
            r = sql_step(q);
            if (r == SQL_ROW) {
                memset(&got, 0, sizeof got);
                got.closed = strcmp(sql_text(q, 0), "closed") == 0;
                got.planned = strcmp(sql_text(q, 0), "plan") == 0;
                snprintf(got.from, sizeof got.from, "%s", sql_text(q, 1));
                snprintf(got.to, sizeof got.to, "%s", sql_text(q, 2));
                lc = &got;
                if (look && look->n_cycles < LOOK_CYCLES &&
                    (got.id = sva_strdup(h->cycle))) {
                    look->cycles[look->n_cycles] = got;
                    lc = &look->cycles[look->n_cycles++];
                }
            } else if (r == SQL_DONE) {
                char hint[600];
                db_ref_hint(db, SVA_REF_CYCLE, h->cycle, hint, sizeof hint);
                sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_CYCLE, "unknown cycle '%s' %s",
                                     h->cycle, hint);
                rc = SVA_ERR_NOT_FOUND;
            } else {
                rc = db_fail(db, d, "cannot read cycles");
            }
            sql_reset(q);
            if (rc == SVA_ERR_DB)
                return rc;
        }
        if (lc && lc->closed) {
            sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_CYCLE,
                                 "cycle '%s' is closed: it takes no new audits (the one "
                                 "way back: svcaudit cycle reopen %s --reason TEXT)",
                                 h->cycle, h->cycle);
            rc = SVA_ERR_STATE;
        } else if (lc && sva_parse_date(date) && !(future_theirs && strcmp(date, today) > 0) &&
                   (strcmp(date, lc->from) < 0 || strcmp(date, lc->to) > 0)) {
            if (h->date)
                sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_DATE,
                                     "date %s is outside cycle %s (%s .. %s)", date, h->cycle,
                                     lc->from, lc->to);
            else
                sva_diag_add(d, NULL, 0,
                             "today (%s) is outside cycle %s (%s .. %s); give the audit's "
                             "date with --date",
                             date, h->cycle, lc->from, lc->to);
            rc = SVA_ERR_INVALID;
        }
    }
    /* the store and the employee as they were on the audit's date */
    const char *on = sva_parse_date(date) ? date : today;
    if (look && !look->all_read && look->misses >= LOOK_ONE_BY_ONE &&
        spans_read_all(db, look, on, d))
        return SVA_ERR_DB;
    if (h->store && *h->store) {
        const look_span *sp = span_find(look, look ? &look->stores : NULL, h->store, on);
        bool active = sp && sp->active;
        if (sp) {
            r = SQL_ROW;
        } else {
            if (db_cached(db, DB_HAS_STORE,
                          "SELECT " DB_STORE_ACTIVE_SQL("s.id", "?2") ", "
                          DB_SPAN_SQL("store_event", "store_id", "s.id", "?2")
                          " FROM store s WHERE s.id = ?1",
                          d))
                return SVA_ERR_DB;
            q = db->cache[DB_HAS_STORE];
            if (look)
                look->misses++;
            sql_bind_text(q, 1, h->store);
            sql_bind_text(q, 2, on);
            r = sql_step(q);
            active = r == SQL_ROW && sql_int(q, 0);
            if (r == SQL_ROW)
                span_keep(look, look ? &look->stores : NULL, h->store, q, 1, active, NULL);
            sql_reset(q);
            if (r != SQL_ROW && r != SQL_DONE)
                return db_fail(db, d, "cannot read stores");
        }
        if (r == SQL_DONE) {
            char hint[600];
            db_ref_hint(db, SVA_REF_STORE, h->store, hint, sizeof hint);
            sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_STORE, "unknown store '%s' %s", h->store,
                                 hint);
            rc = rc ? rc : SVA_ERR_NOT_FOUND;
        } else if (!active) {
            sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_STORE,
                                 "store '%s' is not active on %s (see 'svcaudit store list')",
                                 h->store, on);
            rc = rc ? rc : SVA_ERR_INVALID;
        }
    }
    if (h->employee && *h->employee) {
        const char *at = NULL;
        bool stepped = false;
        const look_span *sp = span_find(look, look ? &look->employees : NULL, h->employee, on);
        if (sp) {
            r = SQL_ROW;
            at = sp->at;
        } else {
            if (db_cached(db, DB_SEL_EMPLOYEE,
                          "SELECT " DB_EMPLOYEE_STORE_SQL("e", "?2") ", "
                          DB_SPAN_SQL("employee_event", "employee_id", "e.id", "?2")
                          " FROM employee e WHERE e.id = ?1",
                          d))
                return SVA_ERR_DB;
            q = db->cache[DB_SEL_EMPLOYEE];
            if (look)
                look->misses++;
            sql_bind_text(q, 1, h->employee);
            sql_bind_text(q, 2, on);
            r = sql_step(q);
            stepped = true;
            if (r == SQL_ROW) {
                at = sql_is_null(q, 0) ? NULL : sql_text(q, 0); /* valid until the reset below */
                span_keep(look, look ? &look->employees : NULL, h->employee, q, 1, false, at);
            }
        }
        if (r == SQL_ROW) {
            /* also when the store is unknown: the employee is not at it either */
            if (!at) {
                sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_EMPLOYEE,
                                     "employee '%s' works at no store on %s (deactivated)",
                                     h->employee, on);
                rc = rc ? rc : SVA_ERR_INVALID;
            } else if (h->store && *h->store && strcmp(at, h->store) != 0) {
                sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_EMPLOYEE,
                                     "employee '%s' works at store '%s', not '%s'", h->employee,
                                     at, h->store);
                rc = rc ? rc : SVA_ERR_INVALID;
            }
        } else if (r == SQL_DONE) {
            char hint[600];
            db_ref_hint(db, SVA_REF_EMPLOYEE, h->employee, hint, sizeof hint);
            sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_EMPLOYEE, "unknown employee '%s' %s",
                                 h->employee, hint);
            rc = rc ? rc : SVA_ERR_NOT_FOUND;
        } else {
            rc = db_fail(db, d, "cannot read employees");
        }
        if (stepped)
            sql_reset(db->cache[DB_SEL_EMPLOYEE]);
    }
    return rc;
}

sva_error sva_db_audit_check_header(sva_db *db, const sva_audit_header *h, sva_diag *d)
{
    return check_refs(db, h, h->date, true, d);
}

sva_error sva_db_checklist_check(sva_db *db, const sva_checklist *cl, const char *file,
                                 sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "SELECT count(*) FROM audit WHERE checklist_id = ?1 AND checklist_version = ?2"
                " AND checklist_hash != ?3",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cl->id);
    sql_bind_int(q, 2, cl->version);
    sql_bind_text(q, 3, cl->hash);
    int r = sql_step(q);
    long long n = r == SQL_ROW ? sql_int(q, 0) : 0;
    sql_finalize(q);
    if (r != SQL_ROW)
        return db_fail(db, d, "cannot read checklist versions");
    if (!n)
        return SVA_OK;
    sva_diag_add(d, file, 0,
                 "checklist '%s' version %ld differs from the version %ld already used by %lld "
                 "audit%s: bump its version",
                 cl->id, cl->version, cl->version, n, n == 1 ? "" : "s");
    return SVA_ERR_CONFLICT;
}

static bool fill_drift(sql_stmt *q, void *e)
{
    sva_checklist_drift *x = e;
    x->version = (long)sql_int(q, 1);
    x->texts = (long)sql_int(q, 2);
    x->audits = (long)sql_int(q, 3);
    return (x->id = db_col_text(q, 0)) != NULL;
}

static void clear_drift(void *e)
{
    free(((sva_checklist_drift *)e)->id);
}

void sva_checklist_drift_free(sva_checklist_drift *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        clear_drift(&v[i]);
    free(v);
}

sva_error sva_db_checklist_drift(sva_db *db, sva_checklist_drift **out, size_t *n, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "SELECT checklist_id, checklist_version, count(DISTINCT checklist_hash), count(*)"
                " FROM audit GROUP BY checklist_id, checklist_version"
                " HAVING count(DISTINCT checklist_hash) > 1 ORDER BY 1, 2",
                &q, d))
        return SVA_ERR_DB;
    return db_collect(db, q, sizeof **out, fill_drift, clear_drift, (void **)out, n,
                      "cannot read checklist versions", d);
}

/* Store the checklist version @p cl when it is not stored yet; *@p added
 * says whether this call stored it. */
static sva_error store_version(sva_db *db, const sva_checklist *cl, const char *file,
                               bool *added, sva_diag *d)
{
    db_lookups *look = lookups(db);
    size_t seen;
    *added = false;
    if (look && sva_map_get(&look->versions, cl->hash, &seen))
        return SVA_OK;
    if (db_cached(db, DB_HAS_VERSION, "SELECT 1 FROM checklist_version WHERE hash = ?1", d))
        return SVA_ERR_DB;
    sql_bind_text(db->cache[DB_HAS_VERSION], 1, cl->hash);
    int r = sql_step(db->cache[DB_HAS_VERSION]);
    sql_reset(db->cache[DB_HAS_VERSION]);
    if (r == SQL_ROW) {
        if (look)
            look_keep(look, &look->versions, cl->hash, 1);
        return SVA_OK;
    }
    if (r != SQL_DONE)
        return db_fail(db, d, "cannot read checklist versions");
    /* a text not seen before: its id and version must be new too */
    sva_error rc = sva_db_checklist_check(db, cl, file, d);
    if (rc)
        return rc;
    if (db_cached(db, DB_INS_VERSION, "INSERT INTO checklist_version(hash, checklist_id, version, source, stored_at)"
               " VALUES(?1, ?2, ?3, ?4, ?5)",
               d))
        return SVA_ERR_DB;
    char now[32];
    db_now(now);
    sql_stmt *q = db->cache[DB_INS_VERSION];
    sql_bind_text(q, 1, cl->hash);
    sql_bind_text(q, 2, cl->id);
    sql_bind_int(q, 3, cl->version);
    sql_bind_blob_ref(q, 4, cl->source, cl->source_len);
    sql_bind_text(q, 5, now);
    r = sql_step(q);
    sql_reset(q);
    if (r != SQL_DONE)
        return db_fail(db, d, "cannot store the checklist version");
    *added = true;
    if (look)
        look_keep(look, &look->versions, cl->hash, 1);
    return SVA_OK;
}

/* @p v in decimal at @p out (no terminator); the number of bytes (at most 20). */
static size_t fmt_ll(char *out, long long v)
{
    char tmp[24];
    size_t n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        tmp[n++] = (char)('0' + u % 10);
    while ((u /= 10) > 0);
    size_t k = 0;
    if (v < 0)
        out[k++] = '-';
    while (n)
        out[k++] = tmp[--n];
    return k;
}

/* What makes two recordings the same audit: checklist version, cycle, store,
 * employee, auditor, date and every answer with its note and evidence. */
bool db_audit_fingerprint(const sva_audit_ready *a, char out[65])
{
    const sva_audit_header *h = &a->header;
    sva_buf b = {0};
    sva_buf_printf(&b, "%s\n%s\n%s\n%s\n%s\n%s\n", a->cl->hash, h->cycle, h->store,
                   h->employee ? h->employee : "", h->auditor, a->date);
    /* each answer as "%d|%d|%zu:%s|%zu:%s\n" (na, value, note, evidence),
     * written without printf: this runs for every audit of a batch */
    for (size_t i = 0; i < a->cl->n_items; i++) {
        const sva_answer *an = &a->answers[i];
        size_t nl = an->note ? strlen(an->note) : 0, el = an->evidence ? strlen(an->evidence) : 0;
        char num[96];
        size_t k = fmt_ll(num, an->na);
        num[k++] = '|';
        k += fmt_ll(num + k, an->na ? 0 : an->value);
        num[k++] = '|';
        k += fmt_ll(num + k, (long long)nl);
        num[k++] = ':';
        sva_buf_append(&b, num, k);
        sva_buf_append(&b, an->note ? an->note : "", nl);
        k = 0;
        num[k++] = '|';
        k += fmt_ll(num + k, (long long)el);
        num[k++] = ':';
        sva_buf_append(&b, num, k);
        sva_buf_append(&b, an->evidence ? an->evidence : "", el);
        sva_buf_append(&b, "\n", 1);
    }
    if (b.failed) {
        sva_buf_free(&b);
        return false;
    }
    sva_sha256_hex(b.data, b.len, out);
    sva_buf_free(&b);
    return true;
}

/* What an audit's row gets that is made before anything is written. */
typedef struct audit_keys {
    char uuid[37], now[32], fp[65];
} audit_keys;

static sva_error make_keys(const sva_audit_ready *in, audit_keys *k, sva_diag *d)
{
    if (!db_new_uuid(k->uuid)) {
        sva_diag_add(d, NULL, 0, "cannot get random bytes from the kernel for the audit's UUID");
        return SVA_ERR_IO;
    }
    db_now(k->now);
    if (!db_audit_fingerprint(in, k->fp))
        return SVA_ERR_NOMEM;
    return SVA_OK;
}

/* The audit row's columns, and its values: ?1 .. ?25 (?21 the fingerprint). */
#define AUDIT_INSERT_COLS                                                                     \
    "INSERT INTO audit(uuid, checklist_hash, checklist_id, checklist_version,"                \
    " cycle_id, store_id, employee_id, auditor, audit_date, scorable, pct, raw_pct,"          \
    " failed, n_failed_critical, n_items, n_na, points, max_points, recorded_at,"             \
    " feeds, fingerprint, n_answered, n_passed, recorded_by, item_marks)"
/* ... and ?26 its id */
#define AUDIT_INSERT_COLS_ID                                                                  \
    "INSERT INTO audit(uuid, checklist_hash, checklist_id, checklist_version,"                \
    " cycle_id, store_id, employee_id, auditor, audit_date, scorable, pct, raw_pct,"          \
    " failed, n_failed_critical, n_items, n_na, points, max_points, recorded_at,"             \
    " feeds, fingerprint, n_answered, n_passed, recorded_by, item_marks, id)"

/* Where is the same audit stored (not void)? 0: nowhere, -1: error. */
static long long stored_as(sva_db *db, const char *fp, sva_diag *d)
{
    if (db_cached(db, DB_HAS_FINGERPRINT,
                  "SELECT id FROM audit WHERE fingerprint = ?1 AND voided_at IS NULL", d))
        return -1;
    sql_bind_text(db->cache[DB_HAS_FINGERPRINT], 1, fp);
    int r = sql_step(db->cache[DB_HAS_FINGERPRINT]);
    long long dup = r == SQL_ROW ? sql_int(db->cache[DB_HAS_FINGERPRINT], 0) : 0;
    sql_reset(db->cache[DB_HAS_FINGERPRINT]);
    if (r != SQL_ROW && r != SQL_DONE) {
        db_fail(db, d, "cannot read audits");
        return -1;
    }
    return dup;
}

/* In a batch whose look-ups keep the audit's cycle: its audits' fingerprints,
 * read once (the batch holds the write lock: no one else adds an audit
 * meanwhile), so that the duplicate check and the audit's id need nothing
 * from the store and an audit's rows may go with the next audits'
 * (sql_round). NULL: not in such a batch (or an error, in *@p rc). */
static look_cycle *batch_cycle(sva_db *db, const char *cycle, sva_error *rc, sva_diag *d)
{
    db_lookups *look = lookups(db);
    look_cycle *lc = look_cycle_find(look, cycle);
    if (!lc || lc->prints)
        return lc;
    if ((*rc = db_cached(db, DB_SEL_PRINTS,
                         "SELECT fingerprint, id FROM audit WHERE cycle_id = ?1"
                         " AND voided_at IS NULL",
                         d)))
        return NULL;
    sql_stmt *q = db->cache[DB_SEL_PRINTS];
    sql_bind_text(q, 1, cycle);
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        const char *fp = sva_pool_str(&look->strings, sql_text(q, 0));
        if (!fp || !sva_map_put(&look->prints, fp, (size_t)sql_int(q, 1))) {
            sql_reset(q);
            *rc = db_nomem(d);
            return NULL;
        }
    }
    sql_reset(q);
    if (r != SQL_DONE) {
        *rc = db_fail(db, d, "cannot read audits");
        return NULL;
    }
    lc->prints = true;
    return lc;
}

/* The audit's rows. Unless @p allow_duplicate, the duplicate check and the
 * audit's INSERT are one statement (no row: the same audit is stored), so
 * they cost the server one round trip; in a batch (batch_cycle) both come
 * from the batch's look-ups. *@p wrote is set once a row is written (what
 * follows can then only fail as a whole). */
static sva_error insert_audit(sva_db *db, const sva_audit_ready *in, bool allow_duplicate,
                              const audit_keys *keys, long long *id, bool *wrote, sva_diag *d)
{
    const sva_score *sc = &in->score;
    sva_error rc = SVA_OK;
    look_cycle *batch = batch_cycle(db, in->header.cycle, &rc, d);
    if (rc)
        return rc;
    size_t same;
    if (batch && !allow_duplicate && sva_map_get(&db->look->prints, keys->fp, &same)) {
        sva_diag_add(d, in->header.sheet, 0,
                     "this audit is recorded already as audit %lld (same checklist, cycle, "
                     "store, employee, auditor, date and answers); --duplicate records it "
                     "again",
                     (long long)same);
        return SVA_ERR_CONFLICT;
    }
    long long given = batch ? db_next_id(db, "audit", &db->look->next_audit, d) : 0;
    if (batch && !given)
        return SVA_ERR_DB;
    rc = batch ? db_cached(db, DB_INS_AUDIT_ID, AUDIT_INSERT_COLS_ID " VALUES(?1,"
                           " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
                           " ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
                           d)
        : allow_duplicate
        ? db_cached(db, DB_INS_AUDIT, AUDIT_INSERT_COLS " VALUES(?1,"
                    " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
                    " ?19, ?20, ?21, ?22, ?23, ?24, ?25) RETURNING id",
                    d)
        /* the values of a SELECT name their types (the server cannot take them
         * from the columns as for VALUES); double precision is REAL to SQLite */
        : db_cached(db, DB_INS_AUDIT_NEW, AUDIT_INSERT_COLS " SELECT ?1, ?2, ?3,"
                    " CAST(?4 AS bigint), ?5, ?6, ?7, ?8, ?9, CAST(?10 AS integer),"
                    " CAST(?11 AS double precision), CAST(?12 AS double precision),"
                    " CAST(?13 AS integer), CAST(?14 AS integer), CAST(?15 AS integer),"
                    " CAST(?16 AS integer), CAST(?17 AS double precision),"
                    " CAST(?18 AS double precision), ?19, ?20, ?21, CAST(?22 AS integer),"
                    " CAST(?23 AS integer), ?24, ?25"
                    " WHERE NOT EXISTS (SELECT 1 FROM audit WHERE fingerprint = ?21"
                    " AND voided_at IS NULL) RETURNING id",
                    d);
    if (rc)
        return rc;
    sql_stmt *q = db->cache[batch ? DB_INS_AUDIT_ID
                                  : allow_duplicate ? DB_INS_AUDIT : DB_INS_AUDIT_NEW];
    if (batch)
        sql_bind_int(q, 26, given);
    sql_bind_text(q, 1, keys->uuid);
    sql_bind_text(q, 2, in->cl->hash);
    sql_bind_text(q, 3, in->cl->id);
    sql_bind_int(q, 4, in->cl->version);
    sql_bind_text(q, 5, in->header.cycle);
    sql_bind_text(q, 6, in->header.store);
    sql_bind_text(q, 7, in->header.employee && *in->header.employee ? in->header.employee : NULL);
    sql_bind_text(q, 8, in->header.auditor);
    sql_bind_text(q, 9, in->date);
    db_bind_score(q, 10, sc);
    sql_bind_text(q, 19, keys->now);
    sql_bind_text(q, 20, sva_index_name(in->cl->index));
    sql_bind_text(q, 21, keys->fp);
    long long answered = 0, passed = 0;
    for (size_t i = 0; i < in->cl->n_items; i++)
        if (!sc->items[i].na) {
            answered++;
            passed += sc->items[i].passed;
        }
    sql_bind_int(q, 22, answered);
    sql_bind_int(q, 23, passed);
    sql_bind_text(q, 24, sva_db_actor(db));
    /* the item marks that item compliance and repeats read (db_history.c), in
     * the row itself: no UPDATE after it */
    char small[256], *marks = db_item_marks(sc, in->cl->n_items, small, sizeof small);
    if (!marks) {
        sql_reset(q);
        sva_diag_add(d, NULL, 0, "out of memory");
        return SVA_ERR_NOMEM;
    }
    sql_bind_text_ref(q, 25, marks);
    int r = sql_step(q);
    bool stored = r == SQL_ROW || (batch && r == SQL_DONE);
    if (batch) {
        *id = given;
    } else if (stored) {
        *id = sql_int(q, 0);
        r = sql_step(q);
    }
    sql_reset(q);
    db_item_marks_free(marks, small);
    if (r != SQL_DONE)
        return db_fail(db, d, "cannot store the audit");
    if (stored && db->look) {
        /* the batch's look-ups follow: its next id, this audit's fingerprint */
        if (db->look->next_audit)
            db->look->next_audit = *id + 1;
        const char *fp = batch ? sva_pool_str(&db->look->strings, keys->fp) : NULL;
        if (batch && (!fp || !sva_map_put(&db->look->prints, fp, (size_t)*id))) {
            *wrote = true;
            return db_nomem(d);
        }
    }
    if (!stored) {
        /* the same audit is stored (and not void): which one, for the message */
        long long dup = stored_as(db, keys->fp, d);
        if (dup < 0)
            return SVA_ERR_DB;
        sva_diag_add(d, in->header.sheet, 0,
                     "this audit is recorded already as audit %lld (same checklist, cycle, "
                     "store, employee, auditor, date and answers); --duplicate records it "
                     "again",
                     dup);
        return SVA_ERR_CONFLICT;
    }
    *wrote = true;
    /* the first audit of a cycle in plan moves it to do (never backward);
     * in a batch once per cycle */
    look_cycle *lc = look_cycle_find(lookups(db), in->header.cycle);
    if (!lc || lc->planned) {
        if (db_cached(db, DB_UPD_CYCLE,
                      "UPDATE cycle SET state = 'do' WHERE id = ?1 AND state = 'plan'", d))
            return SVA_ERR_DB;
        sql_bind_text(db->cache[DB_UPD_CYCLE], 1, in->header.cycle);
        r = sql_step(db->cache[DB_UPD_CYCLE]);
        sql_reset(db->cache[DB_UPD_CYCLE]);
        if (r != SQL_DONE)
            return db_fail(db, d, "cannot update the cycle's state");
        if (lc)
            lc->planned = false;
    }

    if (db_cached(db, DB_INS_ANSWER, "INSERT INTO answer(audit_id, item_no, item_id, section_id, value, points,"
               " max_points, passed, note, evidence) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
               " ?10)",
               d))
        return SVA_ERR_DB;
    q = db->cache[DB_INS_ANSWER];
    for (size_t i = 0; i < in->cl->n_items; i++) {
        const sva_item *it = &in->cl->items[i];
        const sva_answer *a = &in->answers[i];
        const sva_item_score *is = &sc->items[i];
        sql_reset(q);
        sql_bind_int(q, 1, *id);
        sql_bind_int(q, 2, (long long)i);
        sql_bind_text_ref(q, 3, it->id);
        sql_bind_text_ref(q, 4, in->cl->sections[it->section].id);
        if (is->na) {
            sql_bind_null(q, 5);
            sql_bind_null(q, 8);
        } else {
            sql_bind_int(q, 5, a->value);
            sql_bind_int(q, 8, is->passed);
        }
        sql_bind_double(q, 6, is->points);
        sql_bind_double(q, 7, is->max);
        sql_bind_text_ref(q, 9, a->note ? a->note : "");
        sql_bind_text_ref(q, 10, a->evidence ? a->evidence : "");
        if (sql_step(q) != SQL_DONE) {
            sql_reset(q);
            return db_fail(db, d, "cannot store an answer");
        }
    }
    sql_reset(q);
    if (db_cached(db, DB_INS_SECTION, "INSERT INTO section_score(audit_id, section_id, scorable, pct, points,"
               " max_points) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
               d))
        return SVA_ERR_DB;
    q = db->cache[DB_INS_SECTION];
    for (size_t s = 0; s < in->cl->n_sections; s++) {
        const sva_section_score *ss = &sc->sections[s];
        sql_reset(q);
        sql_bind_int(q, 1, *id);
        sql_bind_text_ref(q, 2, in->cl->sections[s].id);
        sql_bind_int(q, 3, ss->scorable);
        if (ss->scorable)
            sql_bind_double(q, 4, ss->pct);
        else
            sql_bind_null(q, 4);
        sql_bind_double(q, 5, ss->points);
        sql_bind_double(q, 6, ss->max);
        if (sql_step(q) != SQL_DONE) {
            sql_reset(q);
            return db_fail(db, d, "cannot store a section score");
        }
    }
    sql_reset(q);
    return SVA_OK;
}

sva_error sva_db_audit_record(sva_db *db, const sva_audit_ready *a, bool allow_duplicate,
                              long long *id, sva_diag *d)
{
    long long local_id = 0;
    /* a batch is one transaction, all or nothing: an audit takes no savepoint
     * in it. Every check comes before the first write, so a refused audit
     * writes nothing; a write failing after that leaves the batch broken (it
     * can then only roll back, sva_db_batch_end) */
    bool own = !db->batch;
    sva_error rc = own ? db_begin(db, d) : SVA_OK;
    if (rc)
        return rc;
    bool added = false, wrote = false;
    audit_keys keys;
    if (!own)
        sql_round(db->c); /* this audit's rows may go with the batch's others */
    rc = check_refs(db, &a->header, a->date, false, d);
    if (!rc)
        rc = make_keys(a, &keys, d);
    if (!rc)
        rc = store_version(db, a->cl, a->cl->path, &added, d);
    /* a version stored just now has no audit yet: the same audit cannot be
     * stored (and the version is written only with its audit) */
    if (!rc)
        rc = insert_audit(db, a, allow_duplicate || added, &keys, &local_id, &wrote, d);
    if (!rc) {
        char obj[48], pct[32] = "no score";
        snprintf(obj, sizeof obj, "audit %lld", local_id);
        if (a->score.scorable)
            snprintf(pct, sizeof pct, "%.1f %%", a->score.pct);
        rc = db_log(db, a->header.cycle, "record", obj, d, "%s version %ld at %s%s%s, %s: %s%s",
                    a->cl->id, a->cl->version, a->header.store,
                    a->header.employee && *a->header.employee ? " of " : "",
                    a->header.employee ? a->header.employee : "", a->date, pct,
                    a->score.failed ? " FAILED" : "");
    }
    sva_error rc2 = SVA_OK;
    if (own)
        rc2 = db_end(db, rc == SVA_OK, d);
    else if (rc && (added || wrote))
        db->broken = true;
    if (!rc && !rc2 && id)
        *id = local_id;
    return rc ? rc : rc2;
}

/* ---- reading --------------------------------------------------------------------- */

#define AUDIT_COLS                                                                            \
    "a.id, a.uuid, a.checklist_id, a.checklist_version, a.checklist_hash, a.cycle_id,"       \
    " a.store_id, s.region, a.employee_id, a.auditor, a.audit_date, a.recorded_at,"          \
    " a.scorable, a.pct, a.raw_pct, a.failed, a.n_failed_critical, a.n_items, a.n_na,"      \
    " a.voided_at, a.void_reason, a.voided_by, a.recorded_by, a.revision, a.revised_at,"   \
    " a.revised_by, a.revision_reason,"                                                    \
    " (SELECT count(*) FROM appeal p WHERE p.audit_id = a.id AND p.outcome IS NULL)"

static void audit_from_row(sql_stmt *q, sva_audit *a)
{
    memset(a, 0, sizeof *a);
    a->id = sql_int(q, 0);
    snprintf(a->uuid, sizeof a->uuid, "%s", sql_text(q, 1));
    a->checklist = db_col_text(q, 2);
    a->version = sql_int(q, 3);
    snprintf(a->hash, sizeof a->hash, "%s", sql_text(q, 4));
    a->cycle = db_col_text(q, 5);
    a->store = db_col_text(q, 6);
    a->region = db_col_text(q, 7);
    a->employee = db_col_text(q, 8);
    a->auditor = db_col_text(q, 9);
    a->date = db_col_text(q, 10);
    a->recorded_at = db_col_text(q, 11);
    a->scorable = sql_int(q, 12);
    a->pct = sql_double(q, 13);
    a->raw_pct = sql_double(q, 14);
    a->failed = sql_int(q, 15);
    a->n_failed_critical = sql_int(q, 16);
    a->n_items = sql_int(q, 17);
    a->n_na = sql_int(q, 18);
    a->voided = !sql_is_null(q, 19);
    a->voided_at = db_col_text(q, 19);
    a->void_reason = db_col_text(q, 20);
    a->voided_by = a->voided ? sva_strdup(sql_is_null(q, 21) ? "" : sql_text(q, 21)) : NULL;
    a->recorded_by = db_col_text(q, 22);
    a->revision = sql_int(q, 23);
    a->revised_at = db_col_text(q, 24);
    a->revised_by = db_col_text(q, 25);
    a->revision_reason = db_col_text(q, 26);
    a->open_appeals = sql_int(q, 27);
}

static void audit_clear(sva_audit *a)
{
    free(a->checklist);
    free(a->cycle);
    free(a->store);
    free(a->region);
    free(a->employee);
    free(a->auditor);
    free(a->date);
    free(a->recorded_at);
    free(a->void_reason);
    free(a->voided_at);
    free(a->voided_by);
    free(a->recorded_by);
    free(a->revised_at);
    free(a->revised_by);
    free(a->revision_reason);
}

void sva_audits_free(sva_audit *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        audit_clear(&v[i]);
    free(v);
}

sva_error sva_db_audit_each(sva_db *db, const sva_audit_filter *f, sva_audit_cb cb, void *user,
                            sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "SELECT " AUDIT_COLS " FROM audit a JOIN store s ON s.id = a.store_id"
                " WHERE (?1 IS NULL OR a.cycle_id = ?1) AND (?2 IS NULL OR a.store_id = ?2)"
                " AND (?3 IS NULL OR a.employee_id = ?3) AND (?4 IS NULL OR a.checklist_id = ?4)"
                " AND (?5 IS NULL OR a.auditor = ?5) AND (?6 IS NULL OR s.region = ?6)"
                " AND (?7 OR ?9 OR a.voided_at IS NULL)"
                " AND (NOT ?9 OR a.id IN (SELECT audit_id FROM appeal WHERE outcome IS NULL))"
                " ORDER BY CASE WHEN ?8 THEN a.store_id END, CASE WHEN ?8 THEN a.audit_date END,"
                " a.id",
                &q, d))
        return SVA_ERR_DB;
    sva_audit_filter none = {0};
    if (!f)
        f = &none;
    sql_bind_int(q, 8, f->by_store);
    sql_bind_text(q, 1, f->cycle);
    sql_bind_text(q, 2, f->store);
    sql_bind_text(q, 3, f->employee);
    sql_bind_text(q, 4, f->checklist);
    sql_bind_text(q, 5, f->auditor);
    sql_bind_text(q, 6, f->region);
    sql_bind_int(q, 7, f->include_voided);
    sql_bind_int(q, 9, f->appealed);
    int r;
    sva_error rc = SVA_OK;
    while ((r = sql_step(q)) == SQL_ROW) {
        sva_audit a;
        audit_from_row(q, &a);
        int stop = cb(&a, user);
        audit_clear(&a);
        if (stop) {
            rc = SVA_ERR_IO;
            break;
        }
    }
    sql_finalize(q);
    if (!rc && r != SQL_DONE)
        rc = db_fail(db, d, "cannot list audits");
    return rc;
}

typedef struct audit_vec {
    sva_audit *v;
    size_t n, cap;
} audit_vec;

static int collect(const sva_audit *a, void *user)
{
    audit_vec *vec = user;
    if (vec->n == vec->cap) {
        size_t cap = vec->cap ? vec->cap * 2 : 32;
        sva_audit *nv = realloc(vec->v, cap * sizeof *nv);
        if (!nv)
            return 1;
        vec->v = nv;
        vec->cap = cap;
    }
    sva_audit *c = &vec->v[vec->n];
    *c = *a;
    c->checklist = sva_strdup(a->checklist);
    c->cycle = sva_strdup(a->cycle);
    c->store = sva_strdup(a->store);
    c->region = sva_strdup(a->region);
    c->employee = sva_strdup(a->employee);
    c->auditor = sva_strdup(a->auditor);
    c->date = sva_strdup(a->date);
    c->recorded_at = sva_strdup(a->recorded_at);
    c->void_reason = sva_strdup(a->void_reason);
    c->voided_at = sva_strdup(a->voided_at);
    c->voided_by = sva_strdup(a->voided_by);
    c->recorded_by = sva_strdup(a->recorded_by);
    c->revised_at = sva_strdup(a->revised_at);
    c->revised_by = sva_strdup(a->revised_by);
    c->revision_reason = sva_strdup(a->revision_reason);
    vec->n++;
    return 0;
}

sva_error sva_db_audit_list(sva_db *db, const sva_audit_filter *f, sva_audit **out, size_t *n,
                            sva_diag *d)
{
    *out = NULL;
    *n = 0;
    audit_vec vec = {0};
    sva_error rc = sva_db_audit_each(db, f, collect, &vec, d);
    if (rc) {
        sva_audits_free(vec.v, vec.n);
        return rc == SVA_ERR_IO ? SVA_ERR_NOMEM : rc;
    }
    *out = vec.v;
    *n = vec.n;
    return SVA_OK;
}

void sva_audit_detail_free(sva_audit_detail *a)
{
    if (!a)
        return;
    audit_clear(&a->audit);
    if (a->answers && a->cl)
        for (size_t i = 0; i < a->cl->n_items; i++) {
            free(a->answers[i].note);
            free(a->answers[i].evidence);
        }
    free(a->answers);
    sva_score_free(&a->score);
    sva_checklist_free(a->cl);
    free(a);
}

sva_error db_parse_stored(sql_stmt *q, int col, const char *id, long long version,
                          sva_checklist **out, sva_diag *d)
{
    char label[160];
    snprintf(label, sizeof label, "%s (version %lld, stored)", id ? id : "?", version);
    size_t n;
    const void *src = sql_blob(q, col, &n);
    return sva_checklist_parse(label, src ? src : "", src ? n : 0, out, d);
}

void db_bind_score(sql_stmt *q, int at, const sva_score *sc)
{
    sql_bind_int(q, at, sc->scorable);
    if (sc->scorable) {
        sql_bind_double(q, at + 1, sc->pct);
        sql_bind_double(q, at + 2, sc->raw_pct);
    } else {
        sql_bind_null(q, at + 1);
        sql_bind_null(q, at + 2);
    }
    sql_bind_int(q, at + 3, sc->failed);
    sql_bind_int(q, at + 4, (long long)sc->n_failed_critical);
    sql_bind_int(q, at + 5, (long long)sc->n_items);
    sql_bind_int(q, at + 6, (long long)sc->n_na);
    sql_bind_double(q, at + 7, sc->points);
    sql_bind_double(q, at + 8, sc->max);
}

sva_error sva_db_checklist_used(sva_db *db, const char *cycle, const char *id, long version,
                                const char *feeds, sva_checklist **out, sva_diag *d)
{
    *out = NULL;
    sql_stmt *q;
    if (db_prep(db,
                "SELECT v.checklist_id, v.version, v.source FROM checklist_version v"
                " WHERE v.hash = (SELECT a.checklist_hash FROM audit a"
                "  WHERE a.cycle_id = ?1 AND a.voided_at IS NULL"
                "  AND (?2 IS NULL OR a.checklist_id = ?2)"
                "  AND (?3 = 0 OR a.checklist_version = ?3) AND (?4 IS NULL OR a.feeds = ?4)"
                "  GROUP BY a.checklist_hash ORDER BY count(*) DESC, max(a.id) DESC LIMIT 1)",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    sql_bind_text(q, 2, id);
    sql_bind_int(q, 3, version);
    sql_bind_text(q, 4, feeds);
    int r = sql_step(q);
    if (r != SQL_ROW) {
        sql_finalize(q);
        return r == SQL_DONE ? SVA_ERR_NOT_FOUND : db_fail(db, d, "cannot read a checklist");
    }
    sva_error rc = db_parse_stored(q, 2, sql_text(q, 0),
                                sql_int(q, 1), out, d);
    sql_finalize(q);
    return rc;
}

sva_error sva_db_audit_get(sva_db *db, long long id, sva_audit_detail **out, sva_diag *d)
{
    *out = NULL;
    sva_audit_detail *a = calloc(1, sizeof *a);
    if (!a)
        return SVA_ERR_NOMEM;
    sql_stmt *q;
    sva_error rc = SVA_OK;
    if ((rc = db_prep(db,
                      "SELECT " AUDIT_COLS ", v.source FROM audit a"
                      " JOIN store s ON s.id = a.store_id"
                      " JOIN checklist_version v ON v.hash = a.checklist_hash WHERE a.id = ?1",
                      &q, d)))
        goto fail;
    sql_bind_int(q, 1, id);
    int r = sql_step(q);
    if (r != SQL_ROW) {
        sql_finalize(q);
        if (r == SQL_DONE) {
            sva_diag_add(d, NULL, 0, "no audit %lld (see 'svcaudit audit list')", id);
            rc = SVA_ERR_NOT_FOUND;
        } else {
            rc = db_fail(db, d, "cannot read the audit");
        }
        goto fail;
    }
    audit_from_row(q, &a->audit);
    rc = db_parse_stored(q, 28, a->audit.checklist, a->audit.version, &a->cl, d);
    sql_finalize(q);
    if (rc)
        goto fail;
    size_t ni = a->cl->n_items, ns = a->cl->n_sections;
    a->answers = calloc(ni ? ni : 1, sizeof *a->answers);
    a->score.items = calloc(ni ? ni : 1, sizeof *a->score.items);
    a->score.sections = calloc(ns ? ns : 1, sizeof *a->score.sections);
    if (!a->answers || !a->score.items || !a->score.sections) {
        rc = SVA_ERR_NOMEM;
        goto fail;
    }
    a->score.n_items = ni;
    a->score.n_sections = ns;
    a->score.scorable = a->audit.scorable;
    a->score.pct = a->audit.pct;
    a->score.raw_pct = a->audit.raw_pct;
    a->score.failed = a->audit.failed;
    a->score.n_failed_critical = (size_t)a->audit.n_failed_critical;
    a->score.n_na = (size_t)a->audit.n_na;
    if ((rc = db_prep(db,
                      "SELECT item_no, value, points, max_points, passed, note, evidence"
                      " FROM answer WHERE audit_id = ?1 ORDER BY item_no",
                      &q, d)))
        goto fail;
    sql_bind_int(q, 1, id);
    while ((r = sql_step(q)) == SQL_ROW) {
        long no = sql_int(q, 0);
        if (no < 0 || (size_t)no >= ni)
            continue;
        sva_answer *ans = &a->answers[no];
        sva_item_score *is = &a->score.items[no];
        ans->answered = true;
        ans->na = is->na = sql_is_null(q, 1);
        ans->value = sql_int(q, 1);
        is->points = sql_double(q, 2);
        is->max = sql_double(q, 3);
        is->passed = sql_int(q, 4);
        ans->note = db_col_text(q, 5);
        ans->evidence = db_col_text(q, 6);
        a->score.points += is->points;
        a->score.max += is->max;
    }
    sql_finalize(q);
    if (r != SQL_DONE) {
        rc = db_fail(db, d, "cannot read answers");
        goto fail;
    }
    if ((rc = db_prep(db,
                      "SELECT section_id, scorable, pct, points, max_points FROM section_score"
                      " WHERE audit_id = ?1",
                      &q, d)))
        goto fail;
    sql_bind_int(q, 1, id);
    while ((r = sql_step(q)) == SQL_ROW) {
        long s = sva_checklist_section_index(a->cl, sql_text(q, 0));
        if (s < 0)
            continue;
        sva_section_score *ss = &a->score.sections[s];
        ss->scorable = sql_int(q, 1);
        ss->pct = sql_double(q, 2);
        ss->points = sql_double(q, 3);
        ss->max = sql_double(q, 4);
    }
    sql_finalize(q);
    if (r != SQL_DONE) {
        rc = db_fail(db, d, "cannot read section scores");
        goto fail;
    }
    *out = a;
    return SVA_OK;
fail:
    sva_audit_detail_free(a);
    return rc;
}

sva_error sva_db_audit_void(sva_db *db, long long id, const char *reason, sva_diag *d)
{
    if (!reason || !*reason || !sva_text_ok(reason, 1000, false)) {
        sva_diag_add(d, NULL, 0, "--reason: give a reason (1-1000 bytes of UTF-8 text)");
        return SVA_ERR_INVALID;
    }
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sql_stmt *q;
    if ((rc = db_prep(db, "SELECT voided_at, cycle_id FROM audit WHERE id = ?1", &q, d))) {
        db_end(db, false, d);
        return rc;
    }
    sql_bind_int(q, 1, id);
    int r = sql_step(q);
    if (r == SQL_DONE) {
        sva_diag_add(d, NULL, 0, "no audit %lld (see 'svcaudit audit list')", id);
        rc = SVA_ERR_NOT_FOUND;
    } else if (r == SQL_ROW && !sql_is_null(q, 0)) {
        sva_diag_add(d, NULL, 0, "audit %lld is already void", id);
        rc = SVA_ERR_STATE;
    } else if (r != SQL_ROW) {
        rc = db_fail(db, d, "cannot read the audit");
    } else {
        char what[64];
        snprintf(what, sizeof what, "voiding audit %lld", id);
        rc = db_cycle_writable(db, sql_text(q, 1), what, NULL, 0, d);
    }
    sql_finalize(q);
    if (!rc) {
        char now[32];
        db_now(now);
        if ((rc = db_prep(db,
                          "UPDATE audit SET voided_at = ?2, void_reason = ?3, voided_by = ?4"
                          " WHERE id = ?1 RETURNING cycle_id",
                          &q, d)) == SVA_OK) {
            sql_bind_int(q, 1, id);
            sql_bind_text(q, 2, now);
            sql_bind_text(q, 3, reason);
            sql_bind_text(q, 4, sva_db_actor(db));
            char *cycle = NULL;
            int r2 = sql_step(q);
            if (r2 == SQL_ROW) {
                cycle = db_col_text(q, 0);
                r2 = sql_step(q);
            }
            if (r2 != SQL_DONE)
                rc = db_fail(db, d, "cannot void the audit");
            sql_finalize(q);
            char obj[48];
            snprintf(obj, sizeof obj, "audit %lld", id);
            if (!rc)
                rc = db_log(db, cycle, "void", obj, d, "%s", reason);
            free(cycle);
        }
    }
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

/* ---- corrections: unvoid, amend, revisions ------------------------------------------------ */

/* The audit's cycle and whether it is void, checked for a correction named
 * @p what: it exists and its cycle is not closed. *cycle is the caller's. */
static sva_error audit_for_change(sva_db *db, long long id, const char *what, char **cycle,
                                  bool *voided, sva_diag *d)
{
    *cycle = NULL;
    sql_stmt *q;
    if (db_prep(db, "SELECT cycle_id, voided_at IS NOT NULL FROM audit WHERE id = ?1", &q, d))
        return SVA_ERR_DB;
    sql_bind_int(q, 1, id);
    int r = sql_step(q);
    sva_error rc = SVA_OK;
    if (r == SQL_ROW) {
        *cycle = db_col_text(q, 0);
        *voided = sql_int(q, 1);
        if (!*cycle)
            rc = SVA_ERR_NOMEM;
    } else if (r == SQL_DONE) {
        sva_diag_add(d, NULL, 0, "no audit %lld (see 'svcaudit audit list --all')", id);
        rc = SVA_ERR_NOT_FOUND;
    } else {
        rc = db_fail(db, d, "cannot read the audit");
    }
    sql_finalize(q);
    if (!rc) {
        char w[96];
        snprintf(w, sizeof w, "%s audit %lld", what, id);
        rc = db_cycle_writable(db, *cycle, w, NULL, 0, d);
    }
    if (rc) {
        free(*cycle);
        *cycle = NULL;
    }
    return rc;
}

sva_error sva_db_audit_unvoid(sva_db *db, long long id, const char *reason, sva_diag *d)
{
    if (!sva_text_ok(reason, 1000, false) || sva_text_blank(reason)) {
        sva_diag_add(d, NULL, 0, "--reason: give a reason (1-1000 bytes of UTF-8 text)");
        return SVA_ERR_INVALID;
    }
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    char *cycle = NULL;
    bool voided = false;
    rc = audit_for_change(db, id, "unvoiding", &cycle, &voided, d);
    if (!rc && !voided) {
        sva_diag_add(d, NULL, 0, "audit %lld is not void", id);
        rc = SVA_ERR_STATE;
    }
    sql_stmt *q;
    if (!rc && (rc = db_prep(db,
                             "SELECT o.id FROM audit o JOIN audit a ON a.id = ?1"
                             " WHERE o.fingerprint = a.fingerprint AND o.id != a.id"
                             " AND o.voided_at IS NULL ORDER BY o.id LIMIT 1",
                             &q, d)) == SVA_OK) {
        sql_bind_int(q, 1, id);
        int r = sql_step(q);
        if (r == SQL_ROW) {
            sva_diag_add(d, NULL, 0,
                         "audit %lld is the same audit as audit %lld (same checklist, cycle, "
                         "store, employee, auditor, date and answers): it would count twice; "
                         "void that one first",
                         id, sql_int(q, 0));
            rc = SVA_ERR_STATE;
        } else if (r != SQL_DONE) {
            rc = db_fail(db, d, "cannot read audits");
        }
        sql_finalize(q);
    }
    if (!rc && (rc = db_prep(db,
                             "UPDATE audit SET voided_at = NULL, void_reason = NULL,"
                             " voided_by = NULL, unvoided_at = ?2, unvoided_by = ?3 WHERE id = ?1",
                             &q, d)) == SVA_OK) {
        char now[32];
        db_now(now);
        sql_bind_int(q, 1, id);
        sql_bind_text(q, 2, now);
        sql_bind_text(q, 3, sva_db_actor(db));
        if (sql_step(q) != SQL_DONE)
            rc = db_fail(db, d, "cannot unvoid the audit");
        sql_finalize(q);
    }
    if (!rc) {
        char obj[48];
        snprintf(obj, sizeof obj, "audit %lld", id);
        rc = db_log(db, cycle, "unvoid", obj, d, "%s", reason);
    }
    free(cycle);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

/* Run a one-off statement binding ?1 = id (and ?2 = rev when rev > 0). */
static sva_error exec_id(sva_db *db, const char *sql, long long id, long rev, const char *what,
                         sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db, sql, &q, d))
        return SVA_ERR_DB;
    sql_bind_int(q, 1, id);
    if (rev > 0)
        sql_bind_int(q, 2, rev);
    int r = sql_step(q);
    sql_finalize(q);
    return r == SQL_DONE ? SVA_OK : db_fail(db, d, what);
}

sva_error sva_db_audit_amend(sva_db *db, long long id, const sva_audit_ready *a,
                             const char *reason, long *revision, sva_diag *d)
{
    if (!sva_text_ok(reason, 1000, false) || sva_text_blank(reason)) {
        sva_diag_add(d, NULL, 0, "--reason: give the reason (1-1000 bytes of UTF-8 text)");
        return SVA_ERR_INVALID;
    }
    char fp[65];
    if (!db_audit_fingerprint(a, fp))
        return SVA_ERR_NOMEM;
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    char *cycle = NULL;
    bool voided = false;
    long rev = 0;
    double old_pct = 0;
    bool old_scorable = false;
    rc = audit_for_change(db, id, "amending", &cycle, &voided, d);
    if (!rc && voided) {
        sva_diag_add(d, NULL, 0,
                     "audit %lld is void: unvoid it first (svcaudit audit unvoid %lld --reason "
                     "TEXT)",
                     id, id);
        rc = SVA_ERR_STATE;
    }
    sql_stmt *q;
    if (!rc && (rc = db_prep(db,
                             "SELECT checklist_hash, cycle_id, store_id, auditor, fingerprint,"
                             " revision, scorable, pct FROM audit WHERE id = ?1",
                             &q, d)) == SVA_OK) {
        sql_bind_int(q, 1, id);
        if (sql_step(q) != SQL_ROW) {
            rc = db_fail(db, d, "cannot read the audit");
        } else {
            const sva_audit_header *h = &a->header;
            if (strcmp(sql_text(q, 0), a->cl->hash) != 0) {
                sva_diag_add(d, NULL, 0,
                             "audit %lld was recorded with another version of checklist '%s': "
                             "an amendment is scored with that one",
                             id, a->cl->id);
                rc = SVA_ERR_INVALID;
            }
            static const char *const keep[] = {"cycle", "store", "auditor"};
            const char *given[] = {h->cycle, h->store, h->auditor};
            for (int k = 0; k < 3; k++)
                if (given[k] && strcmp(given[k], sql_text(q, 1 + k)) != 0) {
                    sva_diag_add(d, h->sheet, 0,
                                 "audit %lld is of %s '%s', not '%s': an amendment keeps its %s "
                                 "(void it and record the audit again)",
                                 id, keep[k], sql_text(q, 1 + k), given[k], keep[k]);
                    rc = SVA_ERR_INVALID;
                }
            if (!rc && strcmp(sql_text(q, 4), fp) == 0) {
                sva_diag_add(d, h->sheet, 0,
                             "the amendment changes nothing in audit %lld (the same answers, "
                             "notes, evidence, employee and date)",
                             id);
                rc = SVA_ERR_INVALID;
            }
            rev = (long)sql_int(q, 5);
            old_scorable = sql_int(q, 6);
            old_pct = sql_double(q, 7);
        }
        sql_finalize(q);
    }
    if (!rc)
        rc = check_refs(db, &a->header, a->date, false, d);
    if (rc)
        goto out;
    /* the revision that stands, kept as it is */
    char now[32];
    db_now(now);
    if ((rc = db_prep(db,
                      "INSERT INTO audit_revision(audit_id, revision, made_at, made_by, reason,"
                      " employee_id, audit_date, scorable, pct, raw_pct, failed,"
                      " n_failed_critical, n_items, n_na, points, max_points, n_answered,"
                      " n_passed, fingerprint, replaced_at, replaced_by)"
                      " SELECT id, revision, coalesce(revised_at, recorded_at),"
                      " coalesce(revised_by, recorded_by), revision_reason, employee_id,"
                      " audit_date, scorable, pct, raw_pct, failed, n_failed_critical, n_items,"
                      " n_na, points, max_points, n_answered, n_passed, fingerprint, ?2, ?3"
                      " FROM audit WHERE id = ?1",
                      &q, d)))
        goto out;
    sql_bind_int(q, 1, id);
    sql_bind_text(q, 2, now);
    sql_bind_text(q, 3, sva_db_actor(db));
    if (sql_step(q) != SQL_DONE)
        rc = db_fail(db, d, "cannot keep the audit's revision");
    sql_finalize(q);
    if (rc ||
        (rc = exec_id(db,
                      "INSERT INTO answer_revision(audit_id, revision, item_no, value, points,"
                      " max_points, passed, note, evidence) SELECT audit_id, ?2, item_no, value,"
                      " points, max_points, passed, note, evidence FROM answer"
                      " WHERE audit_id = ?1",
                      id, rev, "cannot keep the audit's answers", d)) ||
        (rc = exec_id(db,
                      "INSERT INTO section_revision(audit_id, revision, section_id, scorable,"
                      " pct, points, max_points) SELECT audit_id, ?2, section_id, scorable, pct,"
                      " points, max_points FROM section_score WHERE audit_id = ?1",
                      id, rev, "cannot keep the audit's section scores", d)))
        goto out;
    /* the new revision */
    const sva_score *sc = &a->score;
    long long answered = 0, passed = 0;
    for (size_t i = 0; i < a->cl->n_items; i++)
        if (!sc->items[i].na) {
            answered++;
            passed += sc->items[i].passed;
        }
    if ((rc = db_prep(db,
                      "UPDATE audit SET employee_id = ?2, audit_date = ?3, scorable = ?4,"
                      " pct = ?5, raw_pct = ?6, failed = ?7, n_failed_critical = ?8,"
                      " n_items = ?9, n_na = ?10, points = ?11, max_points = ?12,"
                      " n_answered = ?13, n_passed = ?14, fingerprint = ?15,"
                      " revision = revision + 1, revised_at = ?16, revised_by = ?17,"
                      " revision_reason = ?18 WHERE id = ?1",
                      &q, d)))
        goto out;
    sql_bind_int(q, 1, id);
    sql_bind_text(q, 2, a->header.employee && *a->header.employee ? a->header.employee : NULL);
    sql_bind_text(q, 3, a->date);
    db_bind_score(q, 4, sc);
    sql_bind_int(q, 13, answered);
    sql_bind_int(q, 14, passed);
    sql_bind_text(q, 15, fp);
    sql_bind_text(q, 16, now);
    sql_bind_text(q, 17, sva_db_actor(db));
    sql_bind_text(q, 18, reason);
    if (sql_step(q) != SQL_DONE)
        rc = db_fail(db, d, "cannot amend the audit");
    sql_finalize(q);
    if (rc || (rc = db_prep(db,
                            "UPDATE answer SET value = ?3, points = ?4, max_points = ?5,"
                            " passed = ?6, note = ?7, evidence = ?8"
                            " WHERE audit_id = ?1 AND item_no = ?2",
                            &q, d)))
        goto out;
    for (size_t i = 0; i < a->cl->n_items && !rc; i++) {
        const sva_answer *an = &a->answers[i];
        const sva_item_score *is = &sc->items[i];
        sql_reset(q);
        sql_bind_int(q, 1, id);
        sql_bind_int(q, 2, (long long)i);
        if (is->na) {
            sql_bind_null(q, 3);
            sql_bind_null(q, 6);
        } else {
            sql_bind_int(q, 3, an->value);
            sql_bind_int(q, 6, is->passed);
        }
        sql_bind_double(q, 4, is->points);
        sql_bind_double(q, 5, is->max);
        sql_bind_text(q, 7, an->note ? an->note : "");
        sql_bind_text(q, 8, an->evidence ? an->evidence : "");
        if (sql_step(q) != SQL_DONE || sql_changes(db->c) != 1)
            rc = db_fail(db, d, "cannot amend an answer");
    }
    sql_finalize(q);
    if (!rc)
        rc = db_item_marks_record(db, id, sc, a->cl->n_items, d);
    if (rc || (rc = db_prep(db,
                            "UPDATE section_score SET scorable = ?3, pct = ?4, points = ?5,"
                            " max_points = ?6 WHERE audit_id = ?1 AND section_id = ?2",
                            &q, d)))
        goto out;
    for (size_t s = 0; s < a->cl->n_sections && !rc; s++) {
        const sva_section_score *ss = &sc->sections[s];
        sql_reset(q);
        sql_bind_int(q, 1, id);
        sql_bind_text(q, 2, a->cl->sections[s].id);
        sql_bind_int(q, 3, ss->scorable);
        if (ss->scorable)
            sql_bind_double(q, 4, ss->pct);
        else
            sql_bind_null(q, 4);
        sql_bind_double(q, 5, ss->points);
        sql_bind_double(q, 6, ss->max);
        if (sql_step(q) != SQL_DONE)
            rc = db_fail(db, d, "cannot amend a section score");
    }
    sql_finalize(q);
    if (!rc) {
        char obj[48], was[32] = "no score", now_pct[32] = "no score";
        snprintf(obj, sizeof obj, "audit %lld", id);
        if (old_scorable)
            snprintf(was, sizeof was, "%.1f %%", old_pct);
        if (sc->scorable)
            snprintf(now_pct, sizeof now_pct, "%.1f %%", sc->pct);
        rc = db_log(db, cycle, "amend", obj, d, "revision %ld: %s -> %s: %s", rev + 1, was,
                    now_pct, reason);
    }
out:
    free(cycle);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    if (!rc && !rc2 && revision)
        *revision = rev + 1;
    return rc ? rc : rc2;
}

static bool fill_revision(sql_stmt *q, void *e)
{
    sva_audit_revision *r = e;
    r->revision = (long)sql_int(q, 0);
    r->scorable = sql_int(q, 6);
    r->pct = sql_double(q, 7);
    r->failed = sql_int(q, 8);
    r->n_passed = (long)sql_int(q, 9);
    r->n_answered = (long)sql_int(q, 10);
    if (!sql_is_null(q, 3) && !(r->reason = db_col_text(q, 3)))
        return false;
    if (!sql_is_null(q, 5) && !(r->employee = db_col_text(q, 5)))
        return false;
    return (r->made_at = db_col_text(q, 1)) && (r->made_by = db_col_text(q, 2)) &&
           (r->date = db_col_text(q, 4));
}

static void clear_revision(void *e)
{
    sva_audit_revision *r = e;
    free(r->made_at);
    free(r->made_by);
    free(r->reason);
    free(r->date);
    free(r->employee);
}

void sva_audit_revisions_free(sva_audit_revision *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        clear_revision(&v[i]);
    free(v);
}

sva_error sva_db_audit_revisions(sva_db *db, long long id, sva_audit_revision **out, size_t *n,
                                 sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    if (db_prep(db,
                "SELECT revision, made_at, made_by, reason, audit_date, employee_id, scorable,"
                " pct, failed, n_passed, n_answered FROM audit_revision WHERE audit_id = ?1"
                " UNION ALL SELECT revision, coalesce(revised_at, recorded_at),"
                " coalesce(revised_by, recorded_by), revision_reason, audit_date, employee_id,"
                " scorable, pct, failed, n_passed, n_answered FROM audit WHERE id = ?1"
                " ORDER BY 1",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_int(q, 1, id);
    sva_error rc = db_collect(db, q, sizeof **out, fill_revision, clear_revision, (void **)out,
                              n, "cannot read the audit's revisions", d);
    if (!rc && !*n) {
        sva_diag_add(d, NULL, 0, "no audit %lld (see 'svcaudit audit list --all')", id);
        return SVA_ERR_NOT_FOUND;
    }
    return rc;
}

/* ---- appeals ------------------------------------------------------------------------------ */

const char *sva_appeal_outcome_name(sva_appeal_outcome o)
{
    return o == SVA_APPEAL_UPHELD ? "upheld" : o == SVA_APPEAL_REJECTED ? "rejected" : "open";
}

sva_error sva_db_audit_appeal(sva_db *db, long long id, const char *reason, sva_diag *d)
{
    if (!sva_text_ok(reason, 1000, false) || sva_text_blank(reason)) {
        sva_diag_add(d, NULL, 0, "--reason: give the store's reason (1-1000 bytes of text)");
        return SVA_ERR_INVALID;
    }
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    char *cycle = NULL;
    bool voided = false;
    rc = audit_for_change(db, id, "an appeal of", &cycle, &voided, d);
    if (!rc && voided) {
        sva_diag_add(d, NULL, 0, "audit %lld is void: it counts in no figure to dispute", id);
        rc = SVA_ERR_STATE;
    }
    sql_stmt *q;
    if (!rc && (rc = db_prep(db, "SELECT id FROM appeal WHERE audit_id = ?1 AND outcome IS NULL",
                             &q, d)) == SVA_OK) {
        sql_bind_int(q, 1, id);
        int r = sql_step(q);
        if (r == SQL_ROW) {
            sva_diag_add(d, NULL, 0,
                         "audit %lld has an open appeal already (resolve it first: svcaudit "
                         "audit resolve %lld --upheld|--rejected --note TEXT)",
                         id, id);
            rc = SVA_ERR_STATE;
        } else if (r != SQL_DONE) {
            rc = db_fail(db, d, "cannot read appeals");
        }
        sql_finalize(q);
    }
    if (!rc && (rc = db_prep(db,
                             "INSERT INTO appeal(audit_id, opened_at, opened_by, reason, revision,"
                             " voided) SELECT id, ?2, ?3, ?4, revision, 0 FROM audit WHERE id = ?1",
                             &q, d)) == SVA_OK) {
        char now[32];
        db_now(now);
        sql_bind_int(q, 1, id);
        sql_bind_text(q, 2, now);
        sql_bind_text(q, 3, sva_db_actor(db));
        sql_bind_text(q, 4, reason);
        if (sql_step(q) != SQL_DONE)
            rc = db_fail(db, d, "cannot open the appeal");
        sql_finalize(q);
    }
    if (!rc) {
        char obj[48];
        snprintf(obj, sizeof obj, "audit %lld", id);
        rc = db_log(db, cycle, "appeal", obj, d, "%s", reason);
    }
    free(cycle);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

sva_error sva_db_audit_resolve(sva_db *db, long long id, sva_appeal_outcome outcome,
                               const char *note, sva_diag *d)
{
    if (outcome != SVA_APPEAL_UPHELD && outcome != SVA_APPEAL_REJECTED) {
        sva_diag_add(d, NULL, 0, "give --upheld or --rejected");
        return SVA_ERR_INVALID;
    }
    if (!sva_text_ok(note, 2000, false) || sva_text_blank(note)) {
        sva_diag_add(d, NULL, 0, "--note: say how it was resolved (1-2000 bytes of text)");
        return SVA_ERR_INVALID;
    }
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    char *cycle = NULL;
    bool voided = false;
    rc = audit_for_change(db, id, "resolving an appeal of", &cycle, &voided, d);
    sql_stmt *q;
    if (!rc && (rc = db_prep(db,
                             /* (opened here and elsewhere: one decision settles both) */
                             "SELECT count(*), max(p.revision), a.revision FROM appeal p"
                             " JOIN audit a ON a.id = p.audit_id"
                             " WHERE p.audit_id = ?1 AND p.outcome IS NULL GROUP BY a.revision",
                             &q, d)) == SVA_OK) {
        sql_bind_int(q, 1, id);
        int r = sql_step(q);
        if (r == SQL_ROW) {
            bool amended = sql_int(q, 2) > sql_int(q, 1);
            if (outcome == SVA_APPEAL_UPHELD && !amended && !voided) {
                sva_diag_add(d, NULL, 0,
                             "an upheld appeal corrects the audit: amend audit %lld (svcaudit "
                             "audit amend %lld ... --reason TEXT) or void it first, then resolve",
                             id, id);
                rc = SVA_ERR_STATE;
            }
        } else if (r == SQL_DONE) {
            sva_diag_add(d, NULL, 0,
                         "audit %lld has no open appeal (see 'svcaudit audit list --appealed')",
                         id);
            rc = SVA_ERR_STATE;
        } else {
            rc = db_fail(db, d, "cannot read appeals");
        }
        sql_finalize(q);
    }
    if (!rc && (rc = db_prep(db,
                             "UPDATE appeal SET outcome = ?2, resolved_at = ?3, resolved_by = ?4,"
                             " note = ?5, voided = ?6 WHERE audit_id = ?1 AND outcome IS NULL",
                             &q, d)) == SVA_OK) {
        char now[32];
        db_now(now);
        sql_bind_int(q, 1, id);
        sql_bind_text(q, 2, sva_appeal_outcome_name(outcome));
        sql_bind_text(q, 3, now);
        sql_bind_text(q, 4, sva_db_actor(db));
        sql_bind_text(q, 5, note);
        sql_bind_int(q, 6, voided);
        if (sql_step(q) != SQL_DONE)
            rc = db_fail(db, d, "cannot resolve the appeal");
        sql_finalize(q);
    }
    if (!rc) {
        char obj[48];
        snprintf(obj, sizeof obj, "audit %lld", id);
        rc = db_log(db, cycle, "resolve", obj, d, "%s: %s",
                    sva_appeal_outcome_name(outcome), note);
    }
    free(cycle);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

static bool fill_appeal(sql_stmt *q, void *e)
{
    sva_appeal *p = e;
    p->id = sql_int(q, 0);
    p->audit = sql_int(q, 1);
    p->revision = (long)sql_int(q, 5);
    const char *o = sql_text(q, 6);
    p->outcome = !o ? SVA_APPEAL_OPEN
                 : strcmp(o, "upheld") == 0 ? SVA_APPEAL_UPHELD
                                            : SVA_APPEAL_REJECTED;
    if (o && (!(p->resolved_at = db_col_text(q, 7)) || !(p->resolved_by = db_col_text(q, 8)) ||
              !(p->note = db_col_text(q, 9))))
        return false;
    return (p->opened_at = db_col_text(q, 2)) && (p->opened_by = db_col_text(q, 3)) &&
           (p->reason = db_col_text(q, 4));
}

static void clear_appeal(void *e)
{
    sva_appeal *p = e;
    free(p->opened_at);
    free(p->opened_by);
    free(p->reason);
    free(p->resolved_at);
    free(p->resolved_by);
    free(p->note);
}

void sva_appeals_free(sva_appeal *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        clear_appeal(&v[i]);
    free(v);
}

sva_error sva_db_audit_appeals(sva_db *db, long long id, sva_appeal **out, size_t *n,
                               sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "SELECT id, audit_id, opened_at, opened_by, reason, revision, outcome,"
                " resolved_at, resolved_by, note FROM appeal WHERE audit_id = ?1 ORDER BY id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_int(q, 1, id);
    return db_collect(db, q, sizeof **out, fill_appeal, clear_appeal, (void **)out, n,
                      "cannot read appeals", d);
}
