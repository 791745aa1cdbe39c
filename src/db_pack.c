/* svcaudit: packing a laptop's database (sva_db_pack): a new database with its
 * own identity, filled by the merge from this one with a scope, written to a
 * temporary file and linked into place. */
#include "db_sync.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The scope checked against this database: at most one of region, stores,
 * auditor; each store, region and cycle known here. */
static sva_error check_scope(sva_db *db, const sva_pack_scope *s, mg_scope *out, sva_diag *d)
{
    memset(out, 0, sizeof *out);
    int kinds = (s->region != NULL) + (s->n_stores > 0) + (s->auditor != NULL);
    if (kinds > 1) {
        sva_diag_add(d, NULL, 0, "give one of --region, --store, --auditor");
        return SVA_ERR_USAGE;
    }
    sva_error rc = SVA_OK;
    if (s->region) {
        int ex = db_exists(db, "SELECT 1 FROM store WHERE region = ?1 AND region != ''", s->region,
                           d);
        if (ex < 0)
            return SVA_ERR_DB;
        if (!ex || strlen(s->region) >= sizeof out->region) {
            char hint[600]; /* the region meant */
            db_ref_hint(db, SVA_REF_REGION, s->region, hint, sizeof hint);
            sva_diag_add(d, NULL, 0, "--region: no store is in region '%s' %s", s->region, hint);
            return SVA_ERR_USAGE;
        }
        snprintf(out->region, sizeof out->region, "%s", s->region);
    }
    if (s->auditor) {
        if (!sva_text_ok(s->auditor, 100, false) || sva_text_blank(s->auditor)) {
            sva_diag_add(d, NULL, 0, "--auditor: a name (1-100 bytes of text)");
            return SVA_ERR_USAGE;
        }
        snprintf(out->auditor, sizeof out->auditor, "%s", s->auditor);
    }
    if (s->cycle) {
        int ex = db_exists(db, "SELECT 1 FROM cycle WHERE id = ?1", s->cycle, d);
        if (ex < 0)
            return SVA_ERR_DB;
        if (!ex || strlen(s->cycle) >= sizeof out->cycle) {
            db_unknown(db, SVA_REF_CYCLE, s->cycle, "--cycle", NULL, 0, d); /* the one meant */
            return SVA_ERR_USAGE;
        }
        snprintf(out->cycle, sizeof out->cycle, "%s", s->cycle);
    }
    if (s->n_stores && !(out->stores = calloc(s->n_stores, sizeof *out->stores)))
        return SVA_ERR_NOMEM;
    for (size_t i = 0; !rc && i < s->n_stores; i++) {
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->stores[i], s->stores[j]) == 0) {
                sva_diag_add(d, NULL, 0, "--store: '%s' given twice", s->stores[i]);
                rc = SVA_ERR_USAGE;
            }
        int ex = rc ? 1 : db_exists(db, "SELECT 1 FROM store WHERE id = ?1", s->stores[i], d);
        if (ex < 0)
            rc = SVA_ERR_DB;
        else if (!ex) {
            db_unknown(db, SVA_REF_STORE, s->stores[i], "--store", NULL, 0, d); /* the one meant */
            rc = SVA_ERR_USAGE;
        }
        if (!rc && !(out->stores[out->n_stores++] = sva_strdup(s->stores[i])))
            rc = SVA_ERR_NOMEM;
    }
    out->on = true;
    if (rc)
        mg_scope_free(out);
    return rc;
}

static void remove_db(const char *path)
{
    char side[4200];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-journal", path);
    unlink(side);
}

/* Name the new database, keep its scope and where it was packed from. */
static sva_error set_meta(sva_db *dst, const char *name, const char *scope, const char *from,
                          sva_diag *d)
{
    sva_error rc = sva_db_set_name(dst, name, d);
    if (rc)
        return rc;
    sql_stmt *q;
    if (db_prep(dst, "INSERT INTO meta VALUES('pack_scope', ?1), ('packed_from', ?2)", &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, scope);
    sql_bind_text(q, 2, from);
    int r = sql_step(q);
    sql_finalize(q);
    return r == SQL_DONE ? SVA_OK : db_fail(dst, d, "cannot write the laptop's scope");
}

sva_error sva_db_pack(sva_db *db, const char *out, const char *name,
                      const sva_pack_scope *scope, sva_merge_stats *st, sva_diag *d)
{
    sva_merge_stats local;
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    static const sva_pack_scope none = {0};
    if (!scope)
        scope = &none;
    struct stat sb;
    if (lstat(out, &sb) == 0) {
        sva_diag_add(d, out, 0, "exists already: a database is never packed over another (choose "
                                "another name, or remove it)");
        return SVA_ERR_USAGE;
    }
    if (name && (!sva_text_ok(name, 100, false) || sva_text_blank(name))) {
        sva_diag_add(d, NULL, 0, "--name: the laptop's name (1-100 bytes of text, not blank)");
        return SVA_ERR_USAGE;
    }
    mg_scope sc;
    sva_identity me;
    sva_error rc = sva_db_identity(db, &me, d);
    if (!rc)
        rc = check_scope(db, scope, &sc, d);
    if (rc)
        return rc;
    char *text = mg_scope_text(&sc);
    char *tmp = sva_asprintf("%s.tmp-%ld", out, (long)getpid());
    char *label = name ? NULL
                       : sva_asprintf("packed from %s", *me.name ? me.name : "an office");
    sva_db *dst = NULL;
    if (!text || !tmp || (!name && !label)) {
        rc = SVA_ERR_NOMEM;
        goto out;
    }
    remove_db(tmp);
    if ((rc = sva_db_open(tmp, SVA_DB_CREATE, &dst, d)))
        goto out;
    if ((rc = set_meta(dst, name ? name : label, text, me.uuid, d)))
        goto out;
    rc = mg_pack_run(dst, db->c, db->path, me.uuid, me.name, &sc, st, d);
    sva_db_close(dst); /* checkpointed: one file */
    dst = NULL;
    if (rc)
        goto out;
    if (link(tmp, out) != 0) {
        sva_diag_add(d, out, 0, "cannot write it: %s", strerror(errno));
        rc = errno == EEXIST ? SVA_ERR_USAGE : SVA_ERR_IO;
        goto out;
    }
out:
    sva_db_close(dst);
    if (tmp)
        remove_db(tmp);
    free(tmp);
    free(text);
    free(label);
    mg_scope_free(&sc);
    if (rc)
        memset(st, 0, sizeof *st);
    return rc;
}
