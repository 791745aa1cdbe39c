/* svcaudit: the store's Do (see pdca.h): 5W1H actions, their fields and
 * history, opened by hand or from an audit's failed items, carried over. */
#include "db_internal.h"
#include "svcaudit/plan.h"
#include "svcaudit/pdca.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- actions ------------------------------------------------------------------------- */

static const sva_field *form_field(const sva_form *form, const char *key)
{
    for (size_t i = 0; i < form->n_fields; i++)
        if (strcmp(form->fields[i].key, key) == 0)
            return &form->fields[i];
    return NULL;
}

/* The key of the form's first person field (the owner), or NULL. */
static const char *first_person_field(const sva_form *form)
{
    for (size_t i = 0; i < form->n_fields; i++)
        if (form->fields[i].type == SVA_FIELD_PERSON)
            return form->fields[i].key;
    return NULL;
}

static bool given(const sva_kv *kv, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(kv[i].key, key) == 0)
            return true;
    return false;
}

/* Check given fields against the form; with `all`, required fields must be there. */
static bool fields_ok(const sva_form *form, const sva_kv *set, size_t n, bool all, sva_diag *d)
{
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        const sva_field *f = form_field(form, set[i].key);
        if (!f) {
            char keys[512] = "";
            for (size_t k = 0; k < form->n_fields; k++) {
                strncat(keys, k ? ", " : "", sizeof keys - strlen(keys) - 1);
                strncat(keys, form->fields[k].key, sizeof keys - strlen(keys) - 1);
            }
            sva_diag_add(d, NULL, 0, "--set: unknown field '%s' (the form %s has: %s)",
                         set[i].key, form->id, keys);
            ok = false;
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(set[j].key, set[i].key) == 0) {
                sva_diag_add(d, NULL, 0, "--set: field '%s' given twice", set[i].key);
                ok = false;
            }
        if (!sva_field_check(f, set[i].value, d))
            ok = false;
        else if (set[i].value && strlen(set[i].value) > 2000) {
            sva_diag_add(d, NULL, 0, "field '%s': at most 2000 bytes", set[i].key);
            ok = false;
        }
    }
    for (size_t k = 0; all && k < form->n_fields; k++) {
        const sva_field *f = &form->fields[k];
        if (!f->required)
            continue;
        bool given = false;
        for (size_t i = 0; i < n; i++)
            given |= strcmp(set[i].key, f->key) == 0 && set[i].value && *set[i].value;
        if (!given) {
            sva_diag_add(d, NULL, 0, "field '%s' (%s) is required: --set %s=...", f->key,
                         sva_i18n_get(&f->label, NULL), f->key);
            ok = false;
        }
    }
    return ok;
}

static const char *first_of_type(const sva_form *form, sva_field_type t, const sva_kv *set,
                                 size_t n)
{
    for (size_t k = 0; k < form->n_fields; k++) {
        if (form->fields[k].type != t)
            continue;
        for (size_t i = 0; i < n; i++)
            if (strcmp(set[i].key, form->fields[k].key) == 0)
                return set[i].value;
        return NULL;
    }
    return NULL;
}

sva_error db_action_history(sva_db *db, long long id, const char *actor, const char *change,
                            sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db, "INSERT INTO action_history(action_id, at, actor, change) VALUES(?1, ?2, ?3, ?4)",
                &q, d))
        return SVA_ERR_DB;
    char now[32];
    db_now(now);
    sql_bind_int(q, 1, id);
    sql_bind_text(q, 2, now);
    sql_bind_text(q, 3, actor && *actor ? actor : sva_db_actor(db));
    sql_bind_text(q, 4, change);
    int r = sql_step(q);
    sql_finalize(q);
    return r == SQL_DONE ? SVA_OK : db_fail(db, d, "cannot write the action's history");
}

/* A change-log line about action @p id (in @p cycle). */
static sva_error action_log(sva_db *db, const char *cycle, long long id, const char *what,
                            const char *detail, sva_diag *d)
{
    char obj[48];
    snprintf(obj, sizeof obj, "action %lld", id);
    return db_log(db, cycle, what, obj, d, "%s", detail);
}

/* pos: the field's place in the form, so fields come back in the form's order */
static sva_error put_field(sva_db *db, const sva_form *form, long long id, const char *key,
                           const char *value, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "INSERT INTO action_field(action_id, key, value, pos) VALUES(?1, ?2, ?3, ?4)"
                " ON CONFLICT(action_id, key) DO UPDATE SET value = excluded.value,"
                " pos = excluded.pos",
                &q, d))
        return SVA_ERR_DB;
    long pos = 0;
    for (size_t k = 0; k < form->n_fields; k++)
        if (strcmp(form->fields[k].key, key) == 0)
            pos = (long)k;
    sql_bind_int(q, 1, id);
    sql_bind_text(q, 2, key);
    sql_bind_text(q, 3, value ? value : "");
    sql_bind_int(q, 4, pos);
    int r = sql_step(q);
    sql_finalize(q);
    return r == SQL_DONE ? SVA_OK : db_fail(db, d, "cannot store an action field");
}

/* Insert the action row and its fields (inside a transaction). */
static sva_error insert_action(sva_db *db, const sva_form *form, const sva_action_input *in,
                               const char *metric, const char *status, long long carried_from,
                               long long *id, sva_diag *d)
{
    char uuid[37], now[32];
    if (!db_new_uuid(uuid)) {
        sva_diag_add(d, NULL, 0, "cannot get random bytes from the kernel for the action's UUID");
        return SVA_ERR_IO;
    }
    db_now(now);
    sql_stmt *q;
    if (db_prep(db,
                "INSERT INTO action(uuid, cycle_id, store_id, metric, checklist_id, item_id,"
                " section_id, status, owner, due, source_audit, carried_from, created_at,"
                " updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)"
                " RETURNING id",
                &q, d))
        return SVA_ERR_DB;
    const char *owner = first_of_type(form, SVA_FIELD_PERSON, in->set, in->n_set);
    const char *due = first_of_type(form, SVA_FIELD_DATE, in->set, in->n_set);
    sql_bind_text(q, 1, uuid);
    sql_bind_text(q, 2, in->cycle);
    sql_bind_text(q, 3, in->store);
    sql_bind_text(q, 4, metric);
    sql_bind_text(q, 5, in->checklist);
    sql_bind_text(q, 6, in->item);
    sql_bind_text(q, 7, in->section);
    sql_bind_text(q, 8, status);
    sql_bind_text(q, 9, owner ? owner : "");
    sql_bind_text(q, 10, due && *due ? due : NULL);
    if (in->source_audit > 0)
        sql_bind_int(q, 11, in->source_audit);
    else
        sql_bind_null(q, 11);
    if (carried_from > 0)
        sql_bind_int(q, 12, carried_from);
    else
        sql_bind_null(q, 12);
    sql_bind_text(q, 13, now);
    int r = sql_step(q);
    if (r == SQL_ROW) {
        *id = sql_int(q, 0);
        r = sql_step(q);
    }
    sql_finalize(q);
    if (r != SQL_DONE)
        return db_fail(db, d, "cannot store the action");
    for (size_t i = 0; i < in->n_set; i++)
        if (in->set[i].value && *in->set[i].value &&
            put_field(db, form, *id, in->set[i].key, in->set[i].value, d))
            return SVA_ERR_DB;
    return SVA_OK;
}

/* Checks of an action's references that need only the catalog. */
static bool action_target_ok(const sva_catalog *cat, const sva_action_input *in,
                             const char **metric, sva_diag *d)
{
    bool ok = true;
    const sva_checklist *cl = NULL;
    *metric = in->metric;
    if ((in->item || in->section) && !in->checklist) {
        sva_diag_add(d, NULL, 0, "--%s needs --checklist", in->item ? "item" : "section");
        return false;
    }
    if (in->item && in->section) {
        sva_diag_add(d, NULL, 0, "give --item or --section, not both");
        return false;
    }
    if (in->checklist) {
        cl = sva_catalog_find(cat, in->checklist);
        if (!cl) {
            char near[600];
            sva_catalog_near(cat, in->checklist, false, near, sizeof near);
            sva_diag_add(d, NULL, 0, "--checklist: unknown checklist '%s'%s", in->checklist,
                         near);
            return false;
        }
        if (in->item && sva_checklist_item_index(cl, in->item) < 0) {
            char near[600];
            sva_checklist_near_items(cl, in->item, near, sizeof near);
            sva_diag_add(d, NULL, 0, "--item: checklist '%s' has no item '%s'%s", cl->id,
                         in->item, near);
            ok = false;
        }
        if (in->section && sva_checklist_section_index(cl, in->section) < 0) {
            sva_diag_add(d, NULL, 0, "--section: checklist '%s' has no section '%s'", cl->id,
                         in->section);
            ok = false;
        }
        if (!*metric)
            *metric = cl->index != SVA_INDEX_NONE ? sva_index_name(cl->index) : cl->id;
    }
    if (*metric && !sva_metric_check(*metric, cat, NULL, 0, d))
        ok = false;
    return ok;
}

static sva_error action_refs(sva_db *db, const sva_action_input *in, sva_diag *d)
{
    sva_error rc = SVA_OK;
    int ex = db_exists(db, "SELECT 1 FROM cycle WHERE id = ?1", in->cycle, d);
    if (ex < 0)
        return SVA_ERR_DB;
    if (!ex) {
        db_unknown(db, SVA_REF_CYCLE, in->cycle, "--cycle", NULL, 0, d); /* did you mean */
        rc = SVA_ERR_NOT_FOUND;
    } else if (db_exists(db, "SELECT 1 FROM cycle WHERE id = ?1 AND state = 'closed'",
                         in->cycle, d) > 0) {
        sva_diag_add(d, NULL, 0,
                     "cycle '%s' is closed: open actions in the next cycle (or reopen it: "
                     "svcaudit cycle reopen %s --reason TEXT)",
                     in->cycle, in->cycle);
        rc = SVA_ERR_STATE;
    }
    ex = db_exists(db, "SELECT 1 FROM store WHERE id = ?1", in->store, d);
    if (ex < 0)
        return SVA_ERR_DB;
    if (!ex) {
        db_unknown(db, SVA_REF_STORE, in->store, "--store", NULL, 0, d);
        rc = rc ? rc : SVA_ERR_NOT_FOUND;
    }
    return rc;
}

sva_error sva_db_action_add(sva_db *db, const sva_form *form, const sva_catalog *cat,
                            const sva_action_input *in, long long *id, sva_diag *d)
{
    const char *metric;
    bool ok = action_target_ok(cat, in, &metric, d);
    ok = fields_ok(form, in->set, in->n_set, true, d) && ok;
    if (!ok)
        return SVA_ERR_INVALID;
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    long long local = 0;
    rc = action_refs(db, in, d);
    if (!rc)
        rc = insert_action(db, form, in, metric, "open", 0, &local, d);
    if (!rc)
        rc = db_action_history(db, local, in->actor, "opened", d);
    if (!rc) {
        char *what = sva_asprintf("opened at %s%s%s%s%s", in->store, metric ? " on " : "",
                                  metric ? metric : "", in->item || in->section ? ", " : "",
                                  in->item ? in->item : in->section ? in->section : "");
        rc = what ? action_log(db, in->cycle, local, "action add", what, d) : SVA_ERR_NOMEM;
        free(what);
    }
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    if (!rc && !rc2 && id)
        *id = local;
    return rc ? rc : rc2;
}

static sva_error load_fields(sva_db *db, sva_action *a, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db, "SELECT key, value FROM action_field WHERE action_id = ?1 ORDER BY pos, key",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_int(q, 1, a->id);
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        sva_kv *nv = realloc(a->fields, (a->n_fields + 1) * sizeof *nv);
        if (!nv) {
            sql_finalize(q);
            return SVA_ERR_NOMEM;
        }
        a->fields = nv;
        a->fields[a->n_fields].key = db_col_text(q, 0);
        a->fields[a->n_fields].value = db_col_text(q, 1);
        a->n_fields++;
    }
    sql_finalize(q);
    return r == SQL_DONE ? SVA_OK : db_fail(db, d, "cannot read action fields");
}

#define ACTION_COLS                                                                           \
    "a.id, a.cycle_id, a.store_id, s.region, a.metric, a.checklist_id, a.item_id,"           \
    " a.section_id, a.status, a.owner, a.due, coalesce(a.source_audit, 0),"                 \
    " coalesce(a.carried_from, 0), coalesce(a.carried_to, 0), a.created_at, a.updated_at,"  \
    " CASE WHEN a.due IS NOT NULL AND a.due < ?1 AND a.carried_to IS NULL"                    \
    "  AND a.status IN ('open', 'in_progress', 'reopened') THEN 1 ELSE 0 END,"               \
    " (SELECT k.from_cycle FROM action_carry k WHERE k.action_id = a.id"                    \
    "  AND k.to_cycle = a.cycle_id), NULL"

/* The same columns for an action listed under cycle k.from_cycle, which it
 * was carried out of: as it stood then. */
#define CARRIED_COLS                                                                          \
    "a.id, k.from_cycle, a.store_id, s.region, a.metric, a.checklist_id, a.item_id,"         \
    " a.section_id, k.status, a.owner, k.due_before, coalesce(a.source_audit, 0), 0, a.id,"  \
    " a.created_at, k.at, 0,"                                                                 \
    " (SELECT j.from_cycle FROM action_carry j WHERE j.action_id = a.id"                    \
    "  AND j.to_cycle = k.from_cycle), k.to_cycle"

static void action_from_row(sql_stmt *q, sva_action *a)
{
    memset(a, 0, sizeof *a);
    a->id = sql_int(q, 0);
    a->cycle = db_col_text(q, 1);
    a->store = db_col_text(q, 2);
    a->region = db_col_text(q, 3);
    a->metric = db_col_text(q, 4);
    a->checklist = db_col_text(q, 5);
    a->item = db_col_text(q, 6);
    a->section = db_col_text(q, 7);
    sva_action_status_parse(sql_text(q, 8), &a->status);
    a->owner = db_col_text(q, 9);
    a->due = db_col_text(q, 10);
    a->source_audit = sql_int(q, 11);
    a->carried_from = sql_int(q, 12);
    a->carried_to = sql_int(q, 13);
    a->created_at = db_col_text(q, 14);
    a->updated_at = db_col_text(q, 15);
    a->overdue = sql_int(q, 16);
    a->carried_from_cycle = db_col_text(q, 17);
    a->carried_to_cycle = db_col_text(q, 18);
}

sva_error sva_db_action_list(sva_db *db, const sva_action_filter *f, sva_action **out,
                             size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sva_action_filter none = {0};
    if (!f)
        f = &none;
    char today[16];
    if (f->today)
        snprintf(today, sizeof today, "%s", f->today);
    else
        db_today(today);
    sql_stmt *q;
    if (db_prep(db,
                "SELECT " ACTION_COLS " FROM action a JOIN store s ON s.id = a.store_id"
                " WHERE (?2 IS NULL OR a.cycle_id = ?2) AND (?3 IS NULL OR a.store_id = ?3)"
                " AND (?4 IS NULL OR a.status = ?4) AND (?5 IS NULL OR a.owner = ?5)"
                " AND (NOT ?6 OR (a.due IS NOT NULL AND a.due < ?1 AND a.carried_to IS NULL"
                " AND a.status IN ('open', 'in_progress', 'reopened')))"
                " UNION ALL SELECT " CARRIED_COLS " FROM action_carry k"
                " JOIN action a ON a.id = k.action_id JOIN store s ON s.id = a.store_id"
                " WHERE ?2 IS NOT NULL AND k.from_cycle = ?2 AND (?3 IS NULL OR a.store_id = ?3)"
                " AND (?4 IS NULL OR k.status = ?4) AND (?5 IS NULL OR a.owner = ?5) AND NOT ?6"
                " ORDER BY 1",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, today);
    sql_bind_text(q, 2, f->cycle);
    sql_bind_text(q, 3, f->store);
    sql_bind_text(q, 4, f->status);
    sql_bind_text(q, 5, f->owner);
    sql_bind_int(q, 6, f->overdue_only);
    sva_action *v = NULL;
    size_t cnt = 0, cap = 0;
    int r;
    sva_error rc = SVA_OK;
    while ((r = sql_step(q)) == SQL_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 16;
            sva_action *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                rc = SVA_ERR_NOMEM;
                break;
            }
            v = nv;
        }
        action_from_row(q, &v[cnt++]);
    }
    sql_finalize(q);
    if (!rc && r != SQL_DONE)
        rc = db_fail(db, d, "cannot list actions");
    for (size_t i = 0; !rc && i < cnt; i++)
        rc = load_fields(db, &v[i], d);
    if (rc) {
        sva_actions_free(v, cnt);
        return rc;
    }
    *out = v;
    *n = cnt;
    return SVA_OK;
}

sva_error sva_db_action_get(sva_db *db, long long id, const char *today, sva_action **out,
                            sva_diag *d)
{
    *out = NULL;
    char td[16];
    if (today)
        snprintf(td, sizeof td, "%s", today);
    else
        db_today(td);
    sql_stmt *q;
    if (db_prep(db, "SELECT " ACTION_COLS " FROM action a JOIN store s ON s.id = a.store_id"
                    " WHERE a.id = ?2",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, td);
    sql_bind_int(q, 2, id);
    int r = sql_step(q);
    if (r != SQL_ROW) {
        sql_finalize(q);
        if (r == SQL_DONE) {
            sva_diag_add(d, NULL, 0, "no action %lld (see 'svcaudit action list')", id);
            return SVA_ERR_NOT_FOUND;
        }
        return db_fail(db, d, "cannot read the action");
    }
    sva_action *a = calloc(1, sizeof *a);
    if (!a) {
        sql_finalize(q);
        return SVA_ERR_NOMEM;
    }
    action_from_row(q, a);
    sql_finalize(q);
    sva_error rc = load_fields(db, a, d);
    if (rc) {
        sva_actions_free(a, 1);
        return rc;
    }
    *out = a;
    return SVA_OK;
}

sva_error sva_db_action_history(sva_db *db, long long id, sva_history **out, size_t *n,
                                sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    if (db_prep(db, "SELECT at, actor, change FROM action_history WHERE action_id = ?1 ORDER BY id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_int(q, 1, id);
    sva_history *v = NULL;
    size_t cnt = 0;
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        sva_history *nv = realloc(v, (cnt + 1) * sizeof *nv);
        if (!nv) {
            sql_finalize(q);
            sva_history_free(v, cnt);
            return SVA_ERR_NOMEM;
        }
        v = nv;
        v[cnt].at = db_col_text(q, 0);
        v[cnt].actor = db_col_text(q, 1);
        v[cnt].change = db_col_text(q, 2);
        cnt++;
    }
    sql_finalize(q);
    if (r != SQL_DONE) {
        sva_history_free(v, cnt);
        return db_fail(db, d, "cannot read the history");
    }
    *out = v;
    *n = cnt;
    return SVA_OK;
}

static sva_error set_status(sva_db *db, long long id, sva_action_status to, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db, "UPDATE action SET status = ?2, updated_at = ?3 WHERE id = ?1", &q, d))
        return SVA_ERR_DB;
    char now[32];
    db_now(now);
    sql_bind_int(q, 1, id);
    sql_bind_text(q, 2, sva_action_status_name(to));
    sql_bind_text(q, 3, now);
    int r = sql_step(q);
    sql_finalize(q);
    return r == SQL_DONE ? SVA_OK : db_fail(db, d, "cannot update the action");
}

sva_error sva_db_action_update(sva_db *db, const sva_form *form, long long id,
                               const char *status, const sva_kv *set, size_t n_set,
                               const char *actor, const char *today, sva_diag *d)
{
    sva_action_status to = SVA_ACTION_OPEN;
    if (status && !sva_action_status_parse(status, &to)) {
        sva_diag_add(d, NULL, 0,
                     "--status: unknown status '%s' (want in_progress, done, verified, reopened)",
                     status);
        return SVA_ERR_INVALID;
    }
    if (!status && !n_set) {
        sva_diag_add(d, NULL, 0, "nothing to change: give --status or --set FIELD=VALUE");
        return SVA_ERR_INVALID;
    }
    if (!fields_ok(form, set, n_set, false, d))
        return SVA_ERR_INVALID;
    for (size_t i = 0; i < n_set; i++) {
        const sva_field *f = form_field(form, set[i].key);
        if (f && f->required && (!set[i].value || !*set[i].value)) {
            sva_diag_add(d, NULL, 0, "field '%s' is required and cannot be emptied", f->key);
            return SVA_ERR_INVALID;
        }
    }
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sva_action *a = NULL;
    rc = sva_db_action_get(db, id, today, &a, d);
    if (!rc) {
        char what[64];
        snprintf(what, sizeof what, "a change to action %lld", id);
        rc = db_cycle_writable(db, a->cycle, what, NULL, 0, d);
    }
    if (!rc && status) {
        if (a->status == to) {
            sva_diag_add(d, NULL, 0, "action %lld is already %s", id, status);
            rc = SVA_ERR_STATE;
        } else if (!sva_action_transition_ok(a->status, to)) {
            sva_diag_add(d, NULL, 0, "action %lld cannot go from %s to %s", id,
                         sva_action_status_name(a->status), status);
            rc = SVA_ERR_STATE;
        } else {
            char change[96];
            snprintf(change, sizeof change, "status %s -> %s", sva_action_status_name(a->status),
                     status);
            rc = set_status(db, id, to, d);
            if (!rc)
                rc = db_action_history(db, id, actor, change, d);
            if (!rc)
                rc = action_log(db, a->cycle, id, "action update", change, d);
        }
    }
    for (size_t i = 0; !rc && i < n_set; i++) {
        const char *old = "";
        for (size_t k = 0; k < a->n_fields; k++)
            if (strcmp(a->fields[k].key, set[i].key) == 0)
                old = a->fields[k].value;
        if (strcmp(old, set[i].value ? set[i].value : "") == 0)
            continue;
        char *change = sva_asprintf("%s: '%s' -> '%s'", set[i].key, old,
                                    set[i].value ? set[i].value : "");
        if (!change) {
            rc = SVA_ERR_NOMEM;
            break;
        }
        rc = put_field(db, form, id, set[i].key, set[i].value, d);
        if (!rc)
            rc = db_action_history(db, id, actor, change, d);
        if (!rc)
            rc = action_log(db, a->cycle, id, "action update", change, d);
        free(change);
    }
    if (!rc && n_set) {
        /* owner and due follow the form's first person and date fields */
        sql_stmt *q;
        const sva_field *pf = NULL, *df = NULL;
        for (size_t k = 0; k < form->n_fields; k++) {
            if (!pf && form->fields[k].type == SVA_FIELD_PERSON)
                pf = &form->fields[k];
            if (!df && form->fields[k].type == SVA_FIELD_DATE)
                df = &form->fields[k];
        }
        if ((rc = db_prep(db,
                          "UPDATE action SET owner = coalesce((SELECT value FROM action_field"
                          " WHERE action_id = ?1 AND key = ?2), ''), due = (SELECT nullif(value,"
                          " '') FROM action_field WHERE action_id = ?1 AND key = ?3),"
                          " updated_at = ?4 WHERE id = ?1",
                          &q, d)) == SVA_OK) {
            char now[32];
            db_now(now);
            sql_bind_int(q, 1, id);
            sql_bind_text(q, 2, pf ? pf->key : "");
            sql_bind_text(q, 3, df ? df->key : "");
            sql_bind_text(q, 4, now);
            if (sql_step(q) != SQL_DONE)
                rc = db_fail(db, d, "cannot update the action");
            sql_finalize(q);
        }
    }
    sva_actions_free(a, a ? 1 : 0);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

sva_error sva_db_action_from_audit(sva_db *db, const sva_form *form, const sva_catalog *cat,
                                   long long audit_id, const sva_kv *set, size_t n_set,
                                   const char *actor, size_t *created, size_t *skipped,
                                   sva_diag *d)
{
    size_t made = 0, skip = 0;
    sva_audit_detail *ad = NULL;
    sva_error rc = sva_db_audit_get(db, audit_id, &ad, d);
    if (rc)
        return rc;
    if (ad->audit.voided) {
        sva_diag_add(d, NULL, 0, "audit %lld is void", audit_id);
        sva_audit_detail_free(ad);
        return SVA_ERR_STATE;
    }
    const sva_checklist *cl = ad->cl;
    if (!sva_catalog_find(cat, cl->id)) {
        sva_diag_add(d, NULL, 0, "checklist '%s' of audit %lld is not installed", cl->id,
                     audit_id);
        sva_audit_detail_free(ad);
        return SVA_ERR_NOT_FOUND;
    }
    if ((rc = db_begin(db, d))) {
        sva_audit_detail_free(ad);
        return rc;
    }
    for (size_t i = 0; i < cl->n_items && !rc; i++) {
        const sva_item *it = &cl->items[i];
        if (ad->answers[i].na || ad->score.items[i].passed)
            continue;
        /* already worked on? */
        sql_stmt *q;
        if ((rc = db_prep(db,
                          "SELECT 1 FROM action WHERE cycle_id = ?1 AND store_id = ?2"
                          " AND checklist_id = ?3 AND item_id = ?4 AND status != 'verified'",
                          &q, d)))
            break;
        sql_bind_text(q, 1, ad->audit.cycle);
        sql_bind_text(q, 2, ad->audit.store);
        sql_bind_text(q, 3, cl->id);
        sql_bind_text(q, 4, it->id);
        int r = sql_step(q);
        sql_finalize(q);
        if (r == SQL_ROW) {
            skip++;
            continue;
        }
        /* the given fields, plus why/what from the item where not given */
        sva_kv kv[64];
        size_t n = 0;
        bool has_why = false, has_what = false;
        for (size_t k = 0; k < n_set && n < 60; k++) {
            kv[n++] = set[k];
            has_why |= strcmp(set[k].key, "why") == 0;
            has_what |= strcmp(set[k].key, "what") == 0;
        }
        const char *note = ad->answers[i].note;
        char *why = sva_asprintf("Failed in audit %lld (%s): %s%s%s", audit_id, ad->audit.date,
                                 sva_i18n_get(&it->text, NULL), note && *note ? " - " : "",
                                 note && *note ? note : "");
        char *what = sva_asprintf("Correct: %s", sva_i18n_get(&it->text, NULL));
        if (!why || !what) {
            free(why);
            free(what);
            rc = SVA_ERR_NOMEM;
            break;
        }
        if (!has_why && form_field(form, "why"))
            kv[n++] = (sva_kv){"why", why};
        if (!has_what && form_field(form, "what"))
            kv[n++] = (sva_kv){"what", what};
        /* the owner of the item (else of its section) at the store, unless given */
        char *owner = NULL;
        const char *who = first_person_field(form);
        if (who && !given(kv, n, who) &&
            (rc = sva_db_owner_of(db, ad->audit.store, cl->id, cl->sections[it->section].id,
                                  it->id, &owner, d)) == SVA_OK &&
            owner)
            kv[n++] = (sva_kv){(char *)who, owner};
        sva_action_input in = {.cycle = ad->audit.cycle,
                               .store = ad->audit.store,
                               .checklist = cl->id,
                               .item = it->id,
                               .source_audit = audit_id,
                               .set = kv,
                               .n_set = n,
                               .actor = actor};
        long long id;
        const char *metric;
        if (!action_target_ok(cat, &in, &metric, d) || !fields_ok(form, kv, n, true, d))
            rc = SVA_ERR_INVALID;
        if (!rc)
            rc = action_refs(db, &in, d);
        if (!rc)
            rc = insert_action(db, form, &in, metric, "open", 0, &id, d);
        if (!rc)
            rc = db_action_history(db, id, actor, "opened from a failed item", d);
        if (!rc) {
            char *line = sva_asprintf("opened at %s from audit %lld, item %s", ad->audit.store,
                                      audit_id, it->id);
            rc = line ? action_log(db, ad->audit.cycle, id, "action add", line, d) : SVA_ERR_NOMEM;
            free(line);
        }
        free(why);
        free(what);
        free(owner);
        if (!rc)
            made++;
    }
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    sva_audit_detail_free(ad);
    if (!rc && !rc2) {
        if (created)
            *created = made;
        if (skipped)
            *skipped = skip;
    }
    return rc ? rc : rc2;
}

/* Carry action @p id into cycle @p next: the same action (its id, fields and
 * history) moves on; its status and due date as they were are kept with the
 * carry (action_carry), so the cycle it leaves shows them as they stood. A
 * due date before @p today moves to @p due_past; the form field it came from
 * (the first field holding that date) follows. */
sva_error db_carry_action(sva_db *db, long long id, const char *next, const char *today,
                          const char *due_past, sva_diag *d)
{
    char now[32];
    db_now(now);
    sql_stmt *q;
    if (db_prep(db, "SELECT cycle_id, status, due FROM action WHERE id = ?1", &q, d))
        return SVA_ERR_DB;
    sql_bind_int(q, 1, id);
    if (sql_step(q) != SQL_ROW) {
        sql_finalize(q);
        return db_fail(db, d, "cannot read an action to carry over");
    }
    char *from = db_col_text(q, 0), *status = db_col_text(q, 1), *due = db_col_text(q, 2);
    sql_finalize(q);
    sva_error rc = from && status ? SVA_OK : SVA_ERR_NOMEM;
    const char *new_due = due && strcmp(due, today) < 0 ? due_past : due;
    bool moved = due && new_due && strcmp(due, new_due) != 0;
    if (!rc && (rc = db_prep(db,
                             "INSERT INTO action_carry(action_id, from_cycle, to_cycle, status,"
                             " due_before, due_after, at, actor) VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
                             " ?7, ?8)",
                             &q, d)) == SVA_OK) {
        sql_bind_int(q, 1, id);
        sql_bind_text(q, 2, from);
        sql_bind_text(q, 3, next);
        sql_bind_text(q, 4, status);
        sql_bind_text(q, 5, due);
        sql_bind_text(q, 6, new_due);
        sql_bind_text(q, 7, now);
        sql_bind_text(q, 8, sva_db_actor(db));
        if (sql_step(q) != SQL_DONE)
            rc = db_fail(db, d, "cannot carry an action over");
        sql_finalize(q);
    }
    if (!rc && moved &&
        (rc = db_prep(db,
                      "UPDATE action_field SET value = ?3 WHERE action_id = ?1 AND key ="
                      " (SELECT key FROM action_field WHERE action_id = ?1 AND value = ?2"
                      "  ORDER BY pos, key LIMIT 1)",
                      &q, d)) == SVA_OK) {
        sql_bind_int(q, 1, id);
        sql_bind_text(q, 2, due);
        sql_bind_text(q, 3, new_due);
        if (sql_step(q) != SQL_DONE)
            rc = db_fail(db, d, "cannot carry an action over");
        sql_finalize(q);
    }
    if (!rc && (rc = db_prep(db,
                             "UPDATE action SET cycle_id = ?2, due = ?3, updated_at = ?4"
                             " WHERE id = ?1",
                             &q, d)) == SVA_OK) {
        sql_bind_int(q, 1, id);
        sql_bind_text(q, 2, next);
        sql_bind_text(q, 3, new_due);
        sql_bind_text(q, 4, now);
        if (sql_step(q) != SQL_DONE)
            rc = db_fail(db, d, "cannot carry an action over");
        sql_finalize(q);
    }
    char *note = NULL;
    if (!rc) {
        note = moved ? sva_asprintf("carried from %s to %s; due %s (passed) -> %s", from, next,
                                    due, new_due)
                     : sva_asprintf("carried from %s to %s", from, next);
        rc = note ? SVA_OK : SVA_ERR_NOMEM;
    }
    if (!rc)
        rc = db_action_history(db, id, NULL, note, d);
    if (!rc)
        rc = action_log(db, from, id, "action carry", note, d);
    free(note);
    free(from);
    free(status);
    free(due);
    return rc;
}
