/* svcaudit: the change log in the store (see db.h): who changed what and
 * when, written by every write (db_log, db.c) and listed here. */
#include "db_internal.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static bool fill_change(sql_stmt *q, void *e)
{
    sva_change *c = e;
    c->id = sql_int(q, 0);
    if (!sql_is_null(q, 3) && !(c->cycle = db_col_text(q, 3)))
        return false;
    return (c->at = db_col_text(q, 1)) && (c->actor = db_col_text(q, 2)) &&
           (c->what = db_col_text(q, 4)) && (c->object = db_col_text(q, 5)) &&
           (c->detail = db_col_text(q, 6));
}

static void clear_change(void *e)
{
    sva_change *c = e;
    free(c->at);
    free(c->actor);
    free(c->cycle);
    free(c->what);
    free(c->object);
    free(c->detail);
}

void sva_changes_free(sva_change *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        clear_change(&v[i]);
    free(v);
}

sva_error sva_db_log_list(sva_db *db, const sva_change_filter *f, sva_change **out, size_t *n,
                          sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sva_change_filter none = {0};
    if (!f)
        f = &none;
    sql_stmt *q;
    if (db_prep(db,
                "SELECT id, at, actor, cycle_id, what, object, detail FROM change_log"
                " WHERE (?1 IS NULL OR cycle_id = ?1) AND (?2 IS NULL OR at >= ?2)"
                " AND (?3 IS NULL OR object = ?3) ORDER BY id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, f->cycle);
    sql_bind_text(q, 2, f->since);
    sql_bind_text(q, 3, f->object);
    return db_collect(db, q, sizeof **out, fill_change, clear_change, (void **)out, n,
                      "cannot read the change log", d);
}
