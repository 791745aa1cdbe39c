/* svcaudit: audits in the store: recording (one transaction per submitted
 * audit, with the exact checklist version), listing, loading, voiding. */
#include "db_internal.h"
#include "util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A random (version 4) UUID from the kernel's generator. */
bool db_new_uuid(char out[37])
{
    unsigned char b[16];
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, b, sizeof b);
    close(fd);
    if (n != (ssize_t)sizeof b)
        return false;
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
    return true;
}

/* Checks that need the database: the cycle, store and employee; a field
 * that is missing is passed over (the audit module reports it). @p date is
 * the audit's date (NULL: today). The statements are cached: this runs once
 * per audit, also in large batches. */
static sva_error check_refs(sva_db *db, const sva_audit_header *h, const char *date,
                            sva_diag *d)
{
    sva_error rc = SVA_OK;
    int r;
    sql_stmt *q;
    if (h->cycle && *h->cycle) {
        if (db_cached(db, DB_SEL_CYCLE,
                      "SELECT state, date_from, date_to FROM cycle WHERE id = ?1", d))
            return SVA_ERR_DB;
        q = db->cache[DB_SEL_CYCLE];
        sql_bind_text(q, 1, h->cycle);
        r = sql_step(q);
        if (r == SQL_ROW) {
            const char *from = sql_text(q, 1);
            const char *to = sql_text(q, 2);
            char today[16];
            db_today(today);
            if (!date)
                date = today;
            if (strcmp(sql_text(q, 0), "closed") == 0) {
                sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_CYCLE,
                                     "cycle '%s' is closed: it takes no new audits", h->cycle);
                rc = SVA_ERR_STATE;
            } else if (sva_parse_date(date) && (strcmp(date, from) < 0 || strcmp(date, to) > 0)) {
                if (h->date)
                    sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_DATE,
                                         "date %s is outside cycle %s (%s .. %s)", date, h->cycle,
                                         from, to);
                else
                    sva_diag_add(d, NULL, 0,
                                 "today (%s) is outside cycle %s (%s .. %s); give the audit's "
                                 "date with --date",
                                 date, h->cycle, from, to);
                rc = SVA_ERR_INVALID;
            }
        } else if (r == SQL_DONE) {
            sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_CYCLE,
                                 "unknown cycle '%s' (see 'svcaudit cycle list')", h->cycle);
            rc = SVA_ERR_NOT_FOUND;
        } else {
            rc = db_fail(db, d, "cannot read cycles");
        }
        sql_reset(q);
        if (rc == SVA_ERR_DB)
            return rc;
    }
    if (h->store && *h->store) {
        if (db_cached(db, DB_HAS_STORE, "SELECT 1 FROM store WHERE id = ?1", d))
            return SVA_ERR_DB;
        sql_bind_text(db->cache[DB_HAS_STORE], 1, h->store);
        r = sql_step(db->cache[DB_HAS_STORE]);
        sql_reset(db->cache[DB_HAS_STORE]);
        if (r != SQL_ROW && r != SQL_DONE)
            return db_fail(db, d, "cannot read stores");
        if (r == SQL_DONE) {
            sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_STORE,
                                 "unknown store '%s' (see 'svcaudit store list')", h->store);
            rc = rc ? rc : SVA_ERR_NOT_FOUND;
        }
    }
    if (h->employee && *h->employee) {
        if (db_cached(db, DB_SEL_EMPLOYEE, "SELECT store_id FROM employee WHERE id = ?1", d))
            return SVA_ERR_DB;
        q = db->cache[DB_SEL_EMPLOYEE];
        sql_bind_text(q, 1, h->employee);
        r = sql_step(q);
        if (r == SQL_ROW) {
            /* also when the store is unknown: the employee is not at it either */
            const char *at = sql_text(q, 0);
            if (h->store && *h->store && strcmp(at, h->store) != 0) {
                sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_EMPLOYEE,
                                     "employee '%s' works at store '%s', not '%s'", h->employee,
                                     at, h->store);
                rc = rc ? rc : SVA_ERR_INVALID;
            }
        } else if (r == SQL_DONE) {
            sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_EMPLOYEE,
                                 "unknown employee '%s' (see 'svcaudit employee list')",
                                 h->employee);
            rc = rc ? rc : SVA_ERR_NOT_FOUND;
        } else {
            rc = db_fail(db, d, "cannot read employees");
        }
        sql_reset(q);
    }
    return rc;
}

sva_error sva_db_audit_check_header(sva_db *db, const sva_audit_header *h, sva_diag *d)
{
    return check_refs(db, h, h->date, d);
}

static sva_error store_version(sva_db *db, const sva_checklist *cl, sva_diag *d)
{
    if (db_cached(db, DB_HAS_VERSION, "SELECT 1 FROM checklist_version WHERE hash = ?1", d))
        return SVA_ERR_DB;
    sql_bind_text(db->cache[DB_HAS_VERSION], 1, cl->hash);
    int r = sql_step(db->cache[DB_HAS_VERSION]);
    sql_reset(db->cache[DB_HAS_VERSION]);
    if (r == SQL_ROW)
        return SVA_OK;
    if (r != SQL_DONE)
        return db_fail(db, d, "cannot read checklist versions");
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
    return r == SQL_DONE ? SVA_OK : db_fail(db, d, "cannot store the checklist version");
}

/* What makes two recordings the same audit: checklist version, cycle, store,
 * employee, auditor, date and every answer with its note and evidence. */
static bool fingerprint(const sva_audit_ready *a, char out[65])
{
    const sva_audit_header *h = &a->header;
    sva_buf b = {0};
    sva_buf_printf(&b, "%s\n%s\n%s\n%s\n%s\n%s\n", a->cl->hash, h->cycle, h->store,
                   h->employee ? h->employee : "", h->auditor, a->date);
    for (size_t i = 0; i < a->cl->n_items; i++) {
        const sva_answer *an = &a->answers[i];
        sva_buf_printf(&b, "%d|%d|%zu:%s|%zu:%s\n", an->na, an->na ? 0 : an->value,
                       an->note ? strlen(an->note) : 0, an->note ? an->note : "",
                       an->evidence ? strlen(an->evidence) : 0, an->evidence ? an->evidence : "");
    }
    if (b.failed) {
        sva_buf_free(&b);
        return false;
    }
    sva_sha256_hex(b.data, b.len, out);
    sva_buf_free(&b);
    return true;
}

static sva_error insert_audit(sva_db *db, const sva_audit_ready *in, bool allow_duplicate,
                              long long *id, sva_diag *d)
{
    const sva_score *sc = &in->score;
    char uuid[37], now[32];
    if (!db_new_uuid(uuid)) {
        sva_diag_add(d, NULL, 0, "cannot read /dev/urandom for the audit's UUID");
        return SVA_ERR_IO;
    }
    db_now(now);
    char fp[65];
    if (!fingerprint(in, fp))
        return SVA_ERR_NOMEM;
    if (!allow_duplicate) {
        if (db_cached(db, DB_HAS_FINGERPRINT, "SELECT id FROM audit WHERE fingerprint = ?1 AND voided_at IS NULL", d))
            return SVA_ERR_DB;
        sql_bind_text(db->cache[DB_HAS_FINGERPRINT], 1, fp);
        int r = sql_step(db->cache[DB_HAS_FINGERPRINT]);
        long long dup = r == SQL_ROW ? sql_int(db->cache[DB_HAS_FINGERPRINT], 0) : 0;
        sql_reset(db->cache[DB_HAS_FINGERPRINT]);
        if (r != SQL_ROW && r != SQL_DONE)
            return db_fail(db, d, "cannot read audits");
        if (dup) {
            sva_diag_add(d, in->header.sheet, 0,
                         "this audit is recorded already as audit %lld (same checklist, cycle, "
                         "store, employee, auditor, date and answers); --duplicate records it "
                         "again",
                         dup);
            return SVA_ERR_CONFLICT;
        }
    }
    if (db_cached(db, DB_INS_AUDIT, "INSERT INTO audit(uuid, checklist_hash, checklist_id, checklist_version,"
               " cycle_id, store_id, employee_id, auditor, audit_date, scorable, pct, raw_pct,"
               " failed, n_failed_critical, n_items, n_na, points, max_points, recorded_at,"
               " feeds, fingerprint, n_answered, n_passed) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7,"
               " ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)"
               " RETURNING id",
               d))
        return SVA_ERR_DB;
    sql_stmt *q = db->cache[DB_INS_AUDIT];
    sql_bind_text(q, 1, uuid);
    sql_bind_text(q, 2, in->cl->hash);
    sql_bind_text(q, 3, in->cl->id);
    sql_bind_int(q, 4, in->cl->version);
    sql_bind_text(q, 5, in->header.cycle);
    sql_bind_text(q, 6, in->header.store);
    sql_bind_text(q, 7, in->header.employee && *in->header.employee ? in->header.employee : NULL);
    sql_bind_text(q, 8, in->header.auditor);
    sql_bind_text(q, 9, in->date);
    sql_bind_int(q, 10, sc->scorable);
    if (sc->scorable) {
        sql_bind_double(q, 11, sc->pct);
        sql_bind_double(q, 12, sc->raw_pct);
    } else {
        sql_bind_null(q, 11);
        sql_bind_null(q, 12);
    }
    sql_bind_int(q, 13, sc->failed);
    sql_bind_int(q, 14, (long long)sc->n_failed_critical);
    sql_bind_int(q, 15, (long long)sc->n_items);
    sql_bind_int(q, 16, (long long)sc->n_na);
    sql_bind_double(q, 17, sc->points);
    sql_bind_double(q, 18, sc->max);
    sql_bind_text(q, 19, now);
    sql_bind_text(q, 20, sva_index_name(in->cl->index));
    sql_bind_text(q, 21, fp);
    long long answered = 0, passed = 0;
    for (size_t i = 0; i < in->cl->n_items; i++)
        if (!sc->items[i].na) {
            answered++;
            passed += sc->items[i].passed;
        }
    sql_bind_int(q, 22, answered);
    sql_bind_int(q, 23, passed);
    int r = sql_step(q);
    if (r == SQL_ROW) {
        *id = sql_int(q, 0);
        r = sql_step(q);
    }
    sql_reset(q);
    if (r != SQL_DONE)
        return db_fail(db, d, "cannot store the audit");
    /* the first audit of a cycle in plan moves it to do (never backward) */
    if (db_cached(db, DB_UPD_CYCLE, "UPDATE cycle SET state = 'do' WHERE id = ?1 AND state = 'plan'",
               d))
        return SVA_ERR_DB;
    sql_bind_text(db->cache[DB_UPD_CYCLE], 1, in->header.cycle);
    r = sql_step(db->cache[DB_UPD_CYCLE]);
    sql_reset(db->cache[DB_UPD_CYCLE]);
    if (r != SQL_DONE)
        return db_fail(db, d, "cannot update the cycle's state");

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
    /* the item marks that item compliance and repeats read (db_history.c) */
    return db_item_marks_record(db, *id, sc, in->cl->n_items, d);
}

sva_error sva_db_audit_record(sva_db *db, const sva_audit_ready *a, bool allow_duplicate,
                              long long *id, sva_diag *d)
{
    long long local_id = 0;
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    rc = check_refs(db, &a->header, a->date, d);
    if (!rc)
        rc = store_version(db, a->cl, d);
    if (!rc)
        rc = insert_audit(db, a, allow_duplicate, &local_id, d);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    if (!rc && !rc2 && id)
        *id = local_id;
    return rc ? rc : rc2;
}

/* ---- reading --------------------------------------------------------------------- */

#define AUDIT_COLS                                                                            \
    "a.id, a.uuid, a.checklist_id, a.checklist_version, a.checklist_hash, a.cycle_id,"       \
    " a.store_id, s.region, a.employee_id, a.auditor, a.audit_date, a.recorded_at,"          \
    " a.scorable, a.pct, a.raw_pct, a.failed, a.n_failed_critical, a.n_items, a.n_na,"      \
    " a.voided_at, a.void_reason"

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
    a->void_reason = db_col_text(q, 20);
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
                " AND (?7 OR a.voided_at IS NULL)"
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

/* The checklist text stored in column @p col of @p q, parsed; named in
 * messages as "ID (version V, stored)". */
static sva_error parse_stored(sql_stmt *q, int col, const char *id, long long version,
                              sva_checklist **out, sva_diag *d)
{
    char label[160];
    snprintf(label, sizeof label, "%s (version %lld, stored)", id ? id : "?", version);
    size_t n;
    const void *src = sql_blob(q, col, &n);
    return sva_checklist_parse(label, src ? src : "", n, out, d);
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
    sva_error rc = parse_stored(q, 2, sql_text(q, 0),
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
    rc = parse_stored(q, 21, a->audit.checklist, a->audit.version, &a->cl, d);
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
    if ((rc = db_prep(db, "SELECT voided_at FROM audit WHERE id = ?1", &q, d))) {
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
    }
    sql_finalize(q);
    if (!rc) {
        char now[32];
        db_now(now);
        if ((rc = db_prep(db, "UPDATE audit SET voided_at = ?2, void_reason = ?3 WHERE id = ?1",
                          &q, d)) == SVA_OK) {
            sql_bind_int(q, 1, id);
            sql_bind_text(q, 2, now);
            sql_bind_text(q, 3, reason);
            if (sql_step(q) != SQL_DONE)
                rc = db_fail(db, d, "cannot void the audit");
            sql_finalize(q);
        }
    }
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}
