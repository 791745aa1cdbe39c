/* svcaudit: databases that exchange the record. Each database has an
 * identity (a UUID and a name) and every record knows where it was made;
 * merge brings another database's records in, trusting nothing in the file;
 * a change to a record made elsewhere is a conflict that a person settles. */
#ifndef SVCAUDIT_SYNC_H
#define SVCAUDIT_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "svcaudit/db.h"
#include "svcaudit/error.h"

/* ---- identity ---------------------------------------------------------------------- */

/** What a database is called: its UUID (made when it was created, or when an
 *  older one was brought to schema 6) and the name a person gave it. */
typedef struct sva_identity {
    char uuid[37];
    char name[101]; /**< "" when none was given */
} sva_identity;

/** @brief This database's identity. @return SVA_OK, SVA_ERR_DB. */
sva_error sva_db_identity(sva_db *db, sva_identity *out, sva_diag *d);

/** @brief Name this database ("laptop Zhang", "East office"): 1-100 bytes of
 *  text, not blank. @return SVA_OK, SVA_ERR_INVALID, SVA_ERR_DB. */
sva_error sva_db_set_name(sva_db *db, const char *name, sva_diag *d);

/** A database this one merged, or heard of through a merge. */
typedef struct sva_peer {
    char uuid[37];
    char *name;
    long merges;            /**< merges of its file here that brought something (0: only
                                 heard of) */
    char *last_merged_at;   /**< the last of them; NULL when none */
    long audits, actions;   /**< records here that were made there */
} sva_peer;

/** What `svcaudit info` shows. */
typedef struct sva_db_info {
    sva_identity id;
    long schema;
    long stores, employees, cycles, checklist_versions;
    long audits, audits_void, actions;
    long audits_here, actions_here; /**< made in this database */
    long appeals, appeals_open, appeals_here; /**< appeals: all, open, opened here */
    long conflicts_open;
    long closes, closes_reopened;   /**< cycles' closes, those reopened since */
    long action_checks, action_carries;
    long events;                    /**< dated store and employee changes */
    sva_peer *peers;        /**< by name, then UUID */
    size_t n_peers;
} sva_db_info;

/** @brief Fill @p out; free with sva_db_info_clear. Reads only.
 *  @return SVA_OK, SVA_ERR_DB, SVA_ERR_NOMEM. */
sva_error sva_db_info_get(sva_db *db, sva_db_info *out, sva_diag *d);
void sva_db_info_clear(sva_db_info *info);

/* ---- merge ------------------------------------------------------------------------ */

typedef struct sva_merge_stats {
    sva_identity from;      /**< the other database */
    size_t audits_added, audits_same;
    size_t stores_added, employees_added, cycles_added, checklists_added;
    size_t actions_added, history_added, targets_added, surveys_added, reasons_added;
    size_t plans_added;     /**< plans and reasons for missed planned audits */
    size_t owners_added;    /**< owners of a checklist section or item at a store */
    size_t master_changed;  /**< stores and employees changed (the later change won) */
    size_t appeals_added;   /**< appeals (schema 7) */
    size_t voids;           /**< voids (and their undoing) taken */
    size_t amendments;      /**< audits amended by their maker, the new revision taken */
    size_t closes_added;    /**< closes of cycles (their reopens are changes) */
    size_t checks_added;    /**< checks of actions by a later cycle (schema 7) */
    size_t carries_added;   /**< carries of actions into the next cycle (schema 7) */
    size_t events_added;    /**< dated store and employee events (schema 8) */
    size_t closed_skipped;  /**< records of cycles closed here, not taken (each reported) */
    size_t updated;         /**< other records changed by the database that made them */
    size_t conflicts;       /**< open conflicts over records of the file (see merge --conflicts) */
    size_t conflicts_new;   /**< ... found by this merge, each reported in the diag */
} sva_merge_stats;

/**
 * @brief Bring the records of the database at @p other into this one. The
 * file is opened untrusted (sql.h), its schema compared object by object,
 * every row checked as if typed, every audit validated and scored again from
 * its answers and stored checklist text. The first problem refuses the file:
 * one message in @p d naming it, nothing written (one transaction).
 * Idempotent: records carry UUIDs (or natural keys) and merging twice adds
 * nothing.
 * @return SVA_OK (conflicts counted in @p st and reported in @p d);
 *         SVA_ERR_USAGE (the database itself); SVA_ERR_NOT_FOUND;
 *         SVA_ERR_DB (refused, unreadable); SVA_ERR_NOMEM.
 */
sva_error sva_db_merge(sva_db *db, const char *other, sva_merge_stats *st, sva_diag *d);

/* ---- pack: a laptop's database for a scope ----------------------------------------------- */

/** What a laptop takes: the stores of one region, some stores, or every
 *  store for one auditor (at most one of the three; none: every store), and
 *  one cycle or all. */
typedef struct sva_pack_scope {
    const char *region;
    const char *const *stores;
    size_t n_stores;
    const char *auditor;     /**< the actions opened from this auditor's audits */
    const char *cycle;
} sva_pack_scope;

/**
 * @brief Write a new database at @p out for a laptop: its own identity (named
 * @p name, or after this one), the stores and employees of the scope with
 * their history, every cycle, the targets, survey results and reasons of the
 * scope, the checklist versions, and the open actions of the scope (not
 * verified, not carried on; for an auditor, those from their audits) with
 * their fields, history, linked actions and the audits they come from; every
 * record keeps where it was made. The laptop keeps its scope: merging this
 * database's file into it later brings what is in it up to date and adds what
 * is new in its scope. Written to a temporary file, then linked into place:
 * never a partial file, never over an existing one.
 * @return SVA_OK; SVA_ERR_USAGE (a bad scope: two of region, stores, auditor;
 *         an unknown store, region or cycle; @p out exists); SVA_ERR_IO;
 *         SVA_ERR_DB; SVA_ERR_NOMEM.
 */
sva_error sva_db_pack(sva_db *db, const char *out, const char *name,
                      const sva_pack_scope *scope, sva_merge_stats *st, sva_diag *d);

/* ---- conflicts -------------------------------------------------------------------- */

/** One field in which the two versions of a conflict differ. */
typedef struct sva_conflict_field {
    char *name;
    char *here, *there;  /**< NULL: none (NULL, or absent) */
} sva_conflict_field;

/** A version of a record that a merge did not take: a change made elsewhere
 *  to a record this database has, kept until a person settles it. */
typedef struct sva_conflict {
    long long id;
    char *kind;          /**< "audit", "action", "target", "survey", "reason", "cycle",
                              "plan", "plan reason", "owner" */
    char *key;           /**< the record: a UUID, or its key fields joined by '/' */
    char *sender;        /**< the UUID of the database where that version was made */
    char *sender_name;   /**< its name ("" when unknown) */
    char *found_at;
    char *resolved_at, *resolved_by, *kept; /**< NULL while open; kept "here" or "there" */
    bool here_missing;   /**< the record is not (or no longer) here */
    sva_conflict_field *fields; /**< where the versions differ */
    size_t n_fields;
} sva_conflict;

/** @brief The conflicts, open ones only unless @p all, oldest first; with
 *  what differs between the version here now and the one kept. Reads only.
 *  Free with sva_conflicts_free. @return SVA_OK, SVA_ERR_DB, SVA_ERR_NOMEM. */
sva_error sva_db_conflicts(sva_db *db, bool all, sva_conflict **out, size_t *n, sva_diag *d);
void sva_conflicts_free(sva_conflict *v, size_t n);

/**
 * @brief Settle conflict @p id: keep the version here, or the one there.
 * Who (@p by, 1-100 bytes of text) and when are kept with it. Keeping a
 * version of a record made here counts as a change of it (it reaches the
 * other databases at their next merge); of a record made elsewhere, as a
 * change made here (the database that made it sees a conflict in turn). An
 * audit is never replaced by another with other answers: only its void is
 * taken. A cycle closed here takes nothing, as in a merge: keeping there an
 * action's version that puts it into one is refused (SVA_ERR_STATE, named in
 * @p d); a check or carry kept with the action that belongs to one is not
 * added, and each is a line in @p d though the conflict is settled (SVA_OK
 * with lines in @p d: something was left out). One transaction.
 * @return SVA_OK, SVA_ERR_NOT_FOUND, SVA_ERR_STATE (settled already; the other
 *         audit; a cycle closed here), SVA_ERR_INVALID (@p by), SVA_ERR_DB.
 */
sva_error sva_db_conflict_resolve(sva_db *db, long long id, bool keep_there, const char *by,
                                  sva_diag *d);

#endif
