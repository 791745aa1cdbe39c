/* svcaudit: merging a laptop's database into this one (see sva_db_merge).
 * Audits are matched by UUID, everything else by id; conflicts are reported
 * and the local record kept; the whole merge is one transaction. */
#include "db_internal.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Report rows of a conflict query: each row is (id, here, there). */
static sva_error report(sva_db *db, const char *sql, const char *what, sva_merge_stats *st,
                        sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db, sql, &q, d))
        return SVA_ERR_DB;
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        sva_diag_add(d, NULL, 0, "conflict: %s '%s' differs (here: %s; there: %s); kept this one",
                     what, sql_text(q, 0),
                     sql_text(q, 1),
                     sql_text(q, 2));
        st->conflicts++;
    }
    sql_finalize(q);
    return r == SQL_DONE ? SVA_OK : db_fail(db, d, "merge failed");
}

/* Run an INSERT ... SELECT and add the number of rows it wrote to *count. */
static sva_error insert(sva_db *db, const char *sql, size_t *count, sva_diag *d)
{
    if (db_exec(db, sql, d))
        return SVA_ERR_DB;
    if (count)
        *count += (size_t)sql_changes(db->c);
    return SVA_OK;
}

/* Is @p path an svcaudit database of this schema? Opened read-only. */
static sva_error check_other(const char *path, sva_diag *d)
{
    sql_conn *h = NULL;
    bool empty = false;
    sva_error rc = sql_open(path, SQL_OPEN_READONLY, &h, &empty, d);
    if (rc)
        return SVA_ERR_DB;
    sql_stmt *q;
    long v = empty ? -1 : sql_schema_version(h);
    int app = 0;
    if (v >= 1 && sql_prepare(h, "SELECT value FROM meta WHERE key = 'application'", &q,
                              NULL) == SVA_OK) {
        app = sql_step(q) == SQL_ROW && sql_text(q, 0) && strcmp(sql_text(q, 0), "svcaudit") == 0;
        sql_finalize(q);
    }
    if (v < 0 || !app) {
        sva_diag_add(d, path, 0, "not an svcaudit database");
        rc = SVA_ERR_DB;
    } else if (v > SVA_SCHEMA_VERSION) {
        sva_diag_add(d, path, 0, "made by a newer svcaudit (schema %ld; this one knows up to %d): "
                                 "upgrade svcaudit to merge it", v, SVA_SCHEMA_VERSION);
        rc = SVA_ERR_DB;
    } else if (v != SVA_SCHEMA_VERSION) {
        sva_diag_add(d, path, 0,
                     "an older schema (%ld): open it once with this svcaudit (e.g. 'svcaudit "
                     "--db %s audit list') to bring it up to date",
                     v, path);
        rc = SVA_ERR_DB;
    } else if (sql_prepare(h, "PRAGMA quick_check", &q, NULL) == SVA_OK) {
        bool fine = sql_step(q) == SQL_ROW && sql_text(q, 0) && strcmp(sql_text(q, 0), "ok") == 0;
        sql_finalize(q);
        if (!fine) {
            sva_diag_add(d, path, 0, "damaged database (its quick check fails): nothing merged");
            rc = SVA_ERR_DB;
        }
    } else {
        sva_diag_add(d, path, 0, "damaged database: %s", sql_errmsg(h));
        rc = SVA_ERR_DB;
    }
    sql_close(h);
    return rc;
}

sva_error sva_db_merge(sva_db *db, const char *other, sva_merge_stats *st, sva_diag *d)
{
    sva_merge_stats local;
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    /* ATTACH below: SQLite files on both sides (a merge across engines is
     * the sync issue's; copy moves a whole database) */
    if (!sql_is_file(db->path) || !sql_is_file(other)) {
        sva_diag_add(d, sql_is_file(other) ? sql_target(db->c) : NULL, 0,
                     "merge works between SQLite files only for now ('svcaudit copy' moves a "
                     "whole database between SQLite and PostgreSQL)");
        return SVA_ERR_USAGE;
    }
    struct stat a, b;
    if (stat(other, &a) == 0 && stat(db->path, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino) {
        sva_diag_add(d, other, 0, "is this database itself: nothing to merge");
        return SVA_ERR_USAGE;
    }
    sva_error rc = check_other(other, d);
    if (rc)
        return rc;
    sql_stmt *q;
    if (db_prep(db, "ATTACH DATABASE ?1 AS other", &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, other);
    int r = sql_step(q);
    sql_finalize(q);
    if (r != SQL_DONE)
        return db_fail(db, d, "cannot attach the other database");
    if ((rc = db_begin(db, d)))
        goto detach;

    /* Reference data: report conflicts, add what is missing. */
    rc = report(db,
                "SELECT o.id, m.name || ' / ' || m.region, o.name || ' / ' || o.region"
                " FROM other.store o JOIN main.store m ON m.id = o.id"
                " WHERE m.name IS NOT o.name OR m.region IS NOT o.region",
                "store", st, d);
    if (!rc)
        rc = insert(db, "INSERT INTO main.store(id, name, region) SELECT id, name, region"
                        " FROM other.store WHERE id NOT IN (SELECT id FROM main.store)",
                    &st->stores_added, d);
    if (!rc)
        rc = report(db,
                    "SELECT o.id, m.name || ' @ ' || m.store_id || ' / ' || m.role,"
                    " o.name || ' @ ' || o.store_id || ' / ' || o.role"
                    " FROM other.employee o JOIN main.employee m ON m.id = o.id"
                    " WHERE m.name IS NOT o.name OR m.store_id IS NOT o.store_id"
                    " OR m.role IS NOT o.role",
                    "employee", st, d);
    if (!rc)
        rc = insert(db,
                    "INSERT INTO main.employee(id, name, store_id, role)"
                    " SELECT id, name, store_id, role FROM other.employee"
                    " WHERE id NOT IN (SELECT id FROM main.employee)",
                    &st->employees_added, d);
    if (!rc)
        rc = report(db,
                    "SELECT o.id, m.date_from || '..' || m.date_to, o.date_from || '..' || "
                    "o.date_to FROM other.cycle o JOIN main.cycle m ON m.id = o.id"
                    " WHERE m.date_from IS NOT o.date_from OR m.date_to IS NOT o.date_to",
                    "cycle", st, d);
    if (!rc)
        rc = insert(db,
                    "INSERT INTO main.cycle(id, date_from, date_to, state, created_at)"
                    " SELECT id, date_from, date_to, 'plan', created_at FROM other.cycle"
                    " WHERE id NOT IN (SELECT id FROM main.cycle)",
                    &st->cycles_added, d);
    if (!rc)
        rc = insert(db,
                    "INSERT INTO main.checklist_version(hash, checklist_id, version, source,"
                    " stored_at) SELECT hash, checklist_id, version, source, stored_at"
                    " FROM other.checklist_version"
                    " WHERE hash NOT IN (SELECT hash FROM main.checklist_version)",
                    &st->checklists_added, d);

    /* Audits: same UUID and same content = already here; differing = conflict. */
    if (!rc)
        rc = report(db,
                    "SELECT o.uuid, 'audit ' || m.id || ' ' || m.checklist_id || ' at ' ||"
                    " m.store_id || ' on ' || m.audit_date,"
                    " o.checklist_id || ' at ' || o.store_id || ' on ' || o.audit_date"
                    " FROM other.audit o JOIN main.audit m ON m.uuid = o.uuid"
                    " WHERE m.checklist_hash IS NOT o.checklist_hash OR m.cycle_id IS NOT"
                    " o.cycle_id OR m.store_id IS NOT o.store_id OR m.employee_id IS NOT"
                    " o.employee_id OR m.auditor IS NOT o.auditor OR m.audit_date IS NOT"
                    " o.audit_date OR m.pct IS NOT o.pct OR m.n_items IS NOT o.n_items",
                    "audit", st, d);
    if (!rc) {
        sql_stmt *c;
        if (db_prep(db, "SELECT count(*) FROM other.audit o JOIN main.audit m USING(uuid)", &c,
                    d) == SVA_OK) {
            if (sql_step(c) == SQL_ROW)
                st->audits_same = (size_t)sql_int(c, 0);
            sql_finalize(c);
        }
    }
    if (!rc)
        rc = db_exec(db,
                     "CREATE TEMP TABLE IF NOT EXISTS merge_new(uuid TEXT PRIMARY KEY);"
                     "DELETE FROM temp.merge_new;"
                     "INSERT INTO temp.merge_new SELECT uuid FROM other.audit"
                     " WHERE uuid NOT IN (SELECT uuid FROM main.audit)",
                     d);
    if (!rc)
        rc = insert(db,
                    "INSERT INTO main.audit(uuid, checklist_hash, checklist_id,"
                    " checklist_version, cycle_id, store_id, employee_id, auditor, audit_date,"
                    " scorable, pct, raw_pct, failed, n_failed_critical, n_items, n_na, points,"
                    " max_points, recorded_at, voided_at, void_reason, feeds, fingerprint,"
                    " recorded_by, voided_by, revision, revised_at, revised_by,"
                    " revision_reason)"
                    " SELECT uuid, checklist_hash, checklist_id, checklist_version, cycle_id,"
                    " store_id, employee_id, auditor, audit_date, scorable, pct, raw_pct,"
                    " failed, n_failed_critical, n_items, n_na, points, max_points,"
                    " recorded_at, voided_at, void_reason, feeds, fingerprint, recorded_by,"
                    " voided_by, revision, revised_at, revised_by, revision_reason"
                    " FROM other.audit"
                    " WHERE uuid IN (SELECT uuid FROM temp.merge_new) ORDER BY id",
                    &st->audits_added, d);
    if (!rc)
        rc = insert(db,
                    "INSERT INTO main.answer(audit_id, item_no, item_id, section_id, value,"
                    " points, max_points, passed, note, evidence)"
                    " SELECT m.id, a.item_no, a.item_id, a.section_id, a.value, a.points,"
                    " a.max_points, a.passed, a.note, a.evidence FROM other.answer a"
                    " JOIN other.audit o ON o.id = a.audit_id"
                    " JOIN main.audit m ON m.uuid = o.uuid"
                    " WHERE o.uuid IN (SELECT uuid FROM temp.merge_new)",
                    NULL, d);
    if (!rc)
        rc = insert(db,
                    "INSERT INTO main.section_score(audit_id, section_id, scorable, pct,"
                    " points, max_points) SELECT m.id, s.section_id, s.scorable, s.pct,"
                    " s.points, s.max_points FROM other.section_score s"
                    " JOIN other.audit o ON o.id = s.audit_id"
                    " JOIN main.audit m ON m.uuid = o.uuid"
                    " WHERE o.uuid IN (SELECT uuid FROM temp.merge_new)",
                    NULL, d);
    /* the revisions an amendment there replaced travel with the audit */
    if (!rc)
        rc = insert(db,
                    "INSERT INTO main.audit_revision SELECT m.id, r.revision, r.made_at,"
                    " r.made_by, r.reason, r.employee_id, r.audit_date, r.scorable, r.pct,"
                    " r.raw_pct, r.failed, r.n_failed_critical, r.n_items, r.n_na, r.points,"
                    " r.max_points, r.n_answered, r.n_passed, r.fingerprint, r.replaced_at,"
                    " r.replaced_by FROM other.audit_revision r"
                    " JOIN other.audit o ON o.id = r.audit_id JOIN main.audit m ON m.uuid = o.uuid"
                    " WHERE o.uuid IN (SELECT uuid FROM temp.merge_new)",
                    NULL, d);
    if (!rc)
        rc = insert(db,
                    "INSERT INTO main.answer_revision SELECT m.id, r.revision, r.item_no,"
                    " r.value, r.points, r.max_points, r.passed, r.note, r.evidence"
                    " FROM other.answer_revision r JOIN other.audit o ON o.id = r.audit_id"
                    " JOIN main.audit m ON m.uuid = o.uuid"
                    " WHERE o.uuid IN (SELECT uuid FROM temp.merge_new)",
                    NULL, d);
    if (!rc)
        rc = insert(db,
                    "INSERT INTO main.section_revision SELECT m.id, r.revision, r.section_id,"
                    " r.scorable, r.pct, r.points, r.max_points FROM other.section_revision r"
                    " JOIN other.audit o ON o.id = r.audit_id JOIN main.audit m ON m.uuid = o.uuid"
                    " WHERE o.uuid IN (SELECT uuid FROM temp.merge_new)",
                    NULL, d);
    /* counted here from the answers, whatever the other file's schema version */
    if (!rc)
        rc = db_exec(db,
                     "UPDATE main.audit SET"
                     " n_answered = (SELECT count(passed) FROM main.answer WHERE audit_id = id),"
                     " n_passed = (SELECT coalesce(sum(passed), 0) FROM main.answer"
                     "  WHERE audit_id = id), item_marks = " DB_ITEM_MARKS_SQL("id")
                     " WHERE uuid IN (SELECT uuid FROM temp.merge_new)",
                     d);
    /* A void made on the laptop after an earlier merge travels too (voids only add). */
    if (!rc)
        rc = db_exec(db,
                     "UPDATE main.audit SET voided_at = o.voided_at, void_reason = o.void_reason,"
                     " voided_by = o.voided_by"
                     " FROM other.audit o WHERE main.audit.uuid = o.uuid"
                     " AND main.audit.voided_at IS NULL AND o.voided_at IS NOT NULL",
                     d);
    if (!rc && (st->audits_added || st->stores_added || st->employees_added ||
                st->cycles_added || st->checklists_added))
        rc = db_log(db, NULL, "merge", other, d,
                    "%zu audits added (%zu there already), %zu stores, %zu employees, %zu cycles, "
                    "%zu checklist versions; %zu conflicts",
                    st->audits_added, st->audits_same, st->stores_added, st->employees_added,
                    st->cycles_added, st->checklists_added, st->conflicts);
    {
        sva_error rc2 = db_end(db, rc == SVA_OK, d);
        if (!rc)
            rc = rc2;
    }
detach:
    sql_exec(db->c, "DETACH DATABASE other", NULL);
    if (rc)
        memset(st, 0, sizeof *st);
    return rc;
}
