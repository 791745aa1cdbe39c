/* svcaudit: what the merge files share (internal): the merge's context, the
 * checks of a received row, and the versioned records (db_merge_rec.c):
 * how a record's version here and there decide what stays, conflicts, and
 * writing a version (by merge, or when a person settles a conflict). */
#ifndef SVA_DB_SYNC_H
#define SVA_DB_SYNC_H

#include "db_internal.h"
#include "util.h"

/* ---- the merge ------------------------------------------------------------------------- */

typedef struct mg_version {
    char hash[65];
    sva_checklist *cl;
} mg_version;

typedef struct mg_employee {
    char *id, *store;
} mg_employee;

/* An id of the other file and the UUID of its record. */
typedef struct mg_ref {
    long long id;
    char uuid[37];
} mg_ref;

/* A merged action whose links (carried from, carried to) are set once every
 * action of the file is here. */
typedef struct mg_link {
    char uuid[37], from[37], to[37]; /* "" for none */
} mg_link;

enum { Q_FIND, Q_AUDIT, Q_ANSWER, Q_SECTION, Q_CYCLE, Q_EMPLOYEE, Q_PLAN_DO, Q_N };

/* What a laptop made by pack holds (meta 'pack_scope'): the stores of a
 * region, some stores, or every store (an auditor's laptop: the actions from
 * that auditor's audits); a cycle, or every cycle. Off: everything. A record
 * out of scope is not added; one that is here is always brought up to date. */
typedef struct mg_scope {
    bool on;
    char region[101];
    char **stores;
    size_t n_stores;
    char auditor[101];
    char cycle[41];
} mg_scope;

/* The scope as meta keeps it (lines region=, store=, auditor=, cycle=), and back. */
char *mg_scope_text(const mg_scope *s);
bool mg_scope_parse(const char *text, mg_scope *out);
void mg_scope_free(mg_scope *s);

/* The file's audit being merged, when it is here with other answers: what
 * its maker's amendment writes if its version is taken (db_merge.c). */
struct mg;
typedef struct mg_amend {
    sql_stmt *q;                 /* the file's audit row */
    const struct sva_audit_ready *r; /* scored again */
    const char *marks, *fp, *here_fp;
    long long here_id;
    char replaced_at[21], replaced_by[101]; /* of the revision here, as the file says */
    bool done;
    /* writes it when its version is taken: the revision here kept as history,
     * the file's (scored again) in its place (db_merge.c's audit_amend) */
    sva_error (*write)(struct mg *m);
} mg_amend;

typedef struct mg {
    sva_db *db;
    sql_conn *o;          /* the other file */
    const char *file;     /* its name, for messages */
    sva_diag *d;
    sva_diag conf;        /* the conflicts found, reported when the merge is done */
    sva_merge_stats *st;
    bool refused;         /* a problem was reported: nothing is written */
    char here[37];        /* this database's UUID */
    char there[37];       /* the other's */
    char there_name[101];
    mg_version *v;        /* the file's checklist versions, by hash */
    size_t n_v;
    sva_map vmap;
    mg_employee *emp;     /* the file's employees, by id */
    size_t n_emp;
    sva_map empmap;
    mg_ref *audits;       /* the file's audits, by id (read in id order) */
    size_t n_audits;
    mg_ref *actions;      /* the file's actions, by id */
    size_t n_actions;
    mg_link *links;
    size_t n_links;
    mg_scope scope;       /* what this database takes (a packed laptop's) */
    sva_map file_stores;  /* the file's stores (keys owned by store_ids) */
    char **store_ids;
    size_t n_store_ids;
    sva_map take_actions; /* scope on: the UUIDs of the file's actions to take */
    sva_map take_audits;  /* ... and of the audits they come from */
    char **taken;         /* the keys of both maps */
    size_t n_taken;
    bool trusted;         /* reading this process's own database (pack) */
    sql_stmt *c[Q_N];     /* statements kept prepared for the audits */
    mg_amend *amend;      /* while an audit here with other answers is merged */
    char **closed;        /* cycles closed here before the merge ... */
    size_t n_closed;
    sva_map closedmap;    /* ... and not reopened by the file's cycles: they take nothing */
    struct mg_here *here_audits; /* while audits are merged: what they need of this
                                    database, read once (db_merge.c) */
} mg;

/* Refuse the file: one message naming it and what is wrong (the first
 * problem only). @return SVA_ERR_INVALID. */
sva_error mg_refuse(mg *m, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A read of the other file failed: refused with the engine's reason. */
sva_error mg_unreadable(mg *m, const char *what);
/* @p n lower-case hex digits; an 8-4-4-4-12 lower-case UUID. */
bool mg_hex_ok(const char *s, size_t n);
bool mg_uuid_ok(const char *s);

enum mg_kind {
    K_TEXT,   /* free text: UTF-8, no control characters but tab (F_LINES: and newline) */
    K_REF,    /* a store, employee or cycle id (sva_ref_id_valid) */
    K_CHK,    /* a checklist, section, item or field id (lower case, dots) */
    K_UUID,   /* 8-4-4-4-12 lower-case hex */
    K_HASH,   /* 64 lower-case hex digits */
    K_DATE,   /* YYYY-MM-DD */
    K_TIME,   /* YYYY-MM-DDTHH:MM:SSZ */
    K_INT,    /* 0 .. max when max > 0 */
    K_REAL,   /* finite */
    K_BLOB
};
enum { F_NULL = 1, F_EMPTY = 2, F_LINES = 4, F_NOTBLANK = 8 };

typedef struct mg_col {
    const char *name;
    enum mg_kind kind;
    size_t max;      /* text and blobs: bytes; K_INT: the largest value (0: any) */
    unsigned fl;
} mg_col;

#define MG_NCOLS(a) (sizeof(a) / sizeof *(a))

/* The columns every versioned record ends with. */
#define MG_SYNC_COLS                                                                          \
    {"origin", K_UUID, 36, F_EMPTY}, {"sync_rev", K_INT, 1LL << 40, 0},                       \
        {"changed_in", K_UUID, 36, F_EMPTY | F_NULL}

/* Check every column of the current row of @p q against @p cols; refuse
 * with "LABEL: column why". */
sva_error mg_check_row(mg *m, sql_stmt *q, const mg_col *cols, size_t n, const char *label);
/* WHAT 'KEY' (a short readable first column), WHAT N (an integer), else WHAT
 * in row N. */
void mg_row_label(sql_stmt *q, const char *what, long row, char *buf, size_t size);
/* "SELECT cols FROM table ORDER BY order" on the other file (constant names). */
sva_error mg_select(mg *m, const char *table, const mg_col *cols, size_t n, const char *order,
                    sql_stmt **q);
/* Where a record was made, in this database's terms: '' (the other file
 * itself) is the other's UUID, this database's UUID is ''. NULL stays NULL. */
const char *mg_map(const mg *m, const char *uuid);
/* The UUID of the other file's audit or action @p id; NULL if it has none. */
const char *mg_audit_uuid(const mg *m, long long id);
const char *mg_action_uuid(const mg *m, long long id);

/* Scope tests (db_merge.c): is a store of this id and region in scope; is a
 * record of this cycle; is the store here and in scope (a record of a store
 * out of scope is not added; a laptop's store that only its employees' moves
 * name is out of scope); is the region one of a store here in scope (-1: a
 * read failed). */
bool mg_in_scope_store(const mg *m, const char *id, const char *region);
bool mg_in_scope_cycle(const mg *m, const char *cycle);
int mg_store_here(mg *m, const char *id);
int mg_region_here(mg *m, const char *region);
/* Which of the file's actions (and the audits they come from) a scoped
 * database takes: those in its scope that are not closed (verified, or
 * carried on), their links, and those here already. Before the audits. */
sva_error mg_plan_actions(mg *m);

/* The versioned records, after the audits: cycles come first (db_merge_rec.c). */
sva_error mg_cycles(mg *m);
/* An audit of the file that is here already: its void and revision travel
 * as a version. @p col: the columns of @p q holding its uuid, voided_at,
 * void_reason and origin (then sync_rev, changed_in), voided_by, unvoided_at,
 * unvoided_by, revision, revised_at, revised_by, revision_reason; @p fp its
 * fingerprint, @p here_fp the one here (another: a conflict, never taken,
 * unless @p amendable: a later revision of the one here, m->amend set). */
enum { MG_AUDIT_VCOLS = 11 };
sva_error mg_audit_void(mg *m, sql_stmt *q, const int col[MG_AUDIT_VCOLS], const char *fp,
                        const char *here_fp, bool amendable);
/* Appeals (schema 7), after the audits and their revisions. */
sva_error mg_appeals(mg *m);
/* Closes and reopens of cycles (schema 7), after the cycles. */
sva_error mg_closes(mg *m);
/* Is @p cycle closed here (closed before this merge, and still after the
 * file's cycles): a record of it that would be added or changed is not taken,
 * reported by mg_not_taken (one line, counted; the merge exits 1). */
bool mg_closed(const mg *m, const char *cycle);
void mg_not_taken(mg *m, const char *what, const char *key, const char *cycle);
/* Dated store and employee events (schema 8), after the closes: the ones
 * missing here added, then the employees' rows worked out again from them
 * (db_merge_event.c). */
sva_error mg_events(mg *m);
sva_error mg_actions(mg *m);
/* An action's checks and carries (schema 7), after the actions: changes of
 * the action, taken from the database that made it. */
sva_error mg_action_checks(mg *m);
sva_error mg_action_carries(mg *m);
sva_error mg_targets(mg *m);
sva_error mg_surveys(mg *m);
sva_error mg_reasons(mg *m);
/* Plans and the reasons for missed planned audits; owners (schema 4). */
sva_error mg_plans(mg *m);
sva_error mg_owners(mg *m);
/* The revisions an amendment replaced, of the file's audits that are here as
 * the file has them now (schema 5); after the audits. */
sva_error mg_revisions(mg *m);

/* Merge the database open on @p src (this process's own, trusted: its schema
 * is this build's) into @p dst, a new database, taking what @p scope holds
 * (copied by the merge). @p src_uuid and @p src_label: its identity. One
 * transaction on @p dst, one read snapshot of @p src. */
sva_error mg_pack_run(sva_db *dst, sql_conn *src, const char *src_name, const char *src_uuid,
                      const char *src_label, const mg_scope *scope, sva_merge_stats *st,
                      sva_diag *d);

/* ---- versions and conflicts (db_merge_rec.c, also used by db_sync.c) ------------------ */

/* A version written down: lines "name=value" (value escaped: \\ and \n) or
 * "name~" (NULL), in a fixed order per kind. */
void ser_put(sva_buf *b, const char *name, const char *value);
void ser_int(sva_buf *b, const char *name, long long v);
void ser_real(sva_buf *b, const char *name, double v);

typedef struct ser_kv {
    char *name, *value; /* value NULL for NULL */
} ser_kv;
typedef struct ser_rec {
    ser_kv *v;
    size_t n;
} ser_rec;

/* Parse a written version; false when out of memory or malformed. */
bool ser_parse(const char *s, ser_rec *out);
void ser_free(ser_rec *r);
/* The value of @p name (NULL when NULL or absent: *present says which). */
const char *ser_get(const ser_rec *r, const char *name, bool *present);

/* The version here of the record a conflict's version @p there is of, written
 * down; NULL when the record is not here. Caller frees. */
sva_error sync_here_version(sva_db *db, const char *kind, const char *there, char **out,
                            sva_diag *d);
/* Settle a conflict: keep the version @p there, or the one here, as a person
 * decided (see sva_db_conflict_resolve). Inside the caller's transaction.
 * A row kept with the conflict that is not added (of a cycle closed here) is
 * a line in @p d, with SVA_OK. */
sva_error sync_keep(sva_db *db, const char *kind, const char *there, bool keep_there,
                    sva_diag *d);

#endif
