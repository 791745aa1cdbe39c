/* svcaudit: the store's look-ups for the one-page reports (see db_report.h):
 * prepared statements through the statement layer, rows copied out. */
#include "db_internal.h"
#include "db_report.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static bool fill_store(sql_stmt *q, void *e)
{
    sva_store *s = e;
    return (s->id = db_col_text(q, 0)) && (s->name = db_col_text(q, 1)) &&
           (s->region = db_col_text(q, 2));
}

static void clear_store(void *e)
{
    sva_store *s = e;
    free(s->id);
    free(s->name);
    free(s->region);
}

sva_error sva_db_store_get(sva_db *db, const char *id, sva_store **out, sva_diag *d)
{
    *out = NULL;
    sql_stmt *q;
    if (db_prep(db, "SELECT id, name, region FROM store WHERE id = ?1", &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, id);
    size_t n = 0;
    sva_error rc = db_collect(db, q, sizeof **out, fill_store, clear_store, (void **)out, &n,
                              "cannot read the store", d);
    if (!rc && n == 0) {
        db_unknown(db, SVA_REF_STORE, id, NULL, NULL, 0, d);
        return SVA_ERR_NOT_FOUND;
    }
    return rc;
}

static bool fill_employee(sql_stmt *q, void *e)
{
    sva_employee *x = e;
    return (x->id = db_col_text(q, 0)) && (x->name = db_col_text(q, 1)) &&
           (x->store = db_col_text(q, 2)) && (x->role = db_col_text(q, 3));
}

static void clear_employee(void *e)
{
    sva_employee *x = e;
    free(x->id);
    free(x->name);
    free(x->store);
    free(x->role);
}

sva_error sva_db_employee_get(sva_db *db, const char *id, sva_employee **out, sva_diag *d)
{
    *out = NULL;
    sql_stmt *q;
    if (db_prep(db, "SELECT id, name, store_id, coalesce(role, '') FROM employee WHERE id = ?1",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, id);
    size_t n = 0;
    sva_error rc = db_collect(db, q, sizeof **out, fill_employee, clear_employee, (void **)out,
                              &n, "cannot read the employee", d);
    if (!rc && n == 0) {
        db_unknown(db, SVA_REF_EMPLOYEE, id, NULL, NULL, 0, d);
        return SVA_ERR_NOT_FOUND;
    }
    return rc;
}

/* One row per (checklist, item, version, section), in that order: the rows of
 * one item are adjacent, its section taken from the latest version. */
sva_error sva_db_report_item_facts(sva_db *db, const char *cycle, const char *store,
                                   const char *employee, sva_item_fact **out, size_t *n,
                                   sva_diag *d)
{
    *out = NULL;
    *n = 0;
    if ((store == NULL) == (employee == NULL)) {
        sva_diag_add(d, NULL, 0, "item facts: give a store or an employee");
        return SVA_ERR_USAGE;
    }
    sql_stmt *q;
    if (db_prep(db,
                "SELECT a.checklist_id, an.item_id, a.checklist_version, an.section_id,"
                " count(*), sum(an.passed)"
                " FROM audit a JOIN answer an ON an.audit_id = a.id"
                " WHERE a.cycle_id = ?1 AND a.voided_at IS NULL AND an.passed IS NOT NULL"
                " AND (?2 IS NULL OR a.store_id = ?2) AND (?3 IS NULL OR a.employee_id = ?3)"
                " GROUP BY a.checklist_id, an.item_id, a.checklist_version, an.section_id"
                " ORDER BY a.checklist_id, an.item_id, a.checklist_version",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    sql_bind_text(q, 2, store);
    sql_bind_text(q, 3, employee);
    sva_item_fact *v = NULL;
    size_t cnt = 0, cap = 0;
    sva_error rc = SVA_OK;
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        const char *cl = sql_text(q, 0), *item = sql_text(q, 1), *sec = sql_text(q, 3);
        if (!cl || !item || !sec) {
            rc = SVA_ERR_NOMEM;
            break;
        }
        sva_item_fact *f = cnt ? &v[cnt - 1] : NULL;
        if (!f || strcmp(f->checklist, cl) != 0 || strcmp(f->item, item) != 0) {
            if (cnt == cap) {
                size_t nc = cap ? 2 * cap : 32;
                sva_item_fact *nv = realloc(v, nc * sizeof *nv);
                if (!nv) {
                    rc = SVA_ERR_NOMEM;
                    break;
                }
                v = nv;
                cap = nc;
            }
            f = &v[cnt++];
            memset(f, 0, sizeof *f);
            if (!(f->checklist = sva_strdup(cl)) || !(f->item = sva_strdup(item))) {
                rc = SVA_ERR_NOMEM;
                break;
            }
        }
        char *s = sva_strdup(sec);
        if (!s) {
            rc = SVA_ERR_NOMEM;
            break;
        }
        free(f->section); /* versions ascend: the last one's section stays */
        f->section = s;
        f->version = (long)sql_int(q, 2);
        long answered = (long)sql_int(q, 4), passed = (long)sql_int(q, 5);
        f->answered += answered;
        f->passed += passed;
        f->stores = 1;
        f->stores_failing = f->passed < f->answered;
    }
    sql_finalize(q);
    if (!rc && r != SQL_DONE)
        rc = db_fail(db, d, "cannot count the items");
    else if (rc == SVA_ERR_NOMEM)
        sva_diag_add(d, NULL, 0, "out of memory");
    if (rc) {
        sva_item_facts_free(v, cnt);
        return rc;
    }
    *out = v;
    *n = cnt;
    return SVA_OK;
}
