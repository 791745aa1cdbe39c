/* svcaudit: the library's records as plain data: the names of their states
 * and scopes, and how lists of them are freed. At the bottom of the library:
 * the store fills these records and everything above reads them, so nothing
 * here depends on either. */
#include "svcaudit/analysis.h"
#include "svcaudit/db.h"
#include "svcaudit/pdca.h"

#include <stdlib.h>
#include <string.h>

const char *sva_scope_name(sva_scope s)
{
    return s == SVA_SCOPE_STORE ? "store" : s == SVA_SCOPE_REGION ? "region" : "network";
}

void sva_targets_free(sva_target *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].cycle);
        free(v[i].scope_id);
        free(v[i].metric);
    }
    free(v);
}

const char *sva_action_status_name(sva_action_status s)
{
    static const char *names[] = {"open", "in_progress", "done", "verified", "reopened"};
    return names[s];
}

bool sva_action_status_parse(const char *s, sva_action_status *out)
{
    for (int i = 0; i <= SVA_ACTION_REOPENED; i++)
        if (strcmp(s, sva_action_status_name((sva_action_status)i)) == 0) {
            *out = (sva_action_status)i;
            return true;
        }
    return false;
}

bool sva_action_transition_ok(sva_action_status from, sva_action_status to)
{
    switch (from) {
    case SVA_ACTION_OPEN: return to == SVA_ACTION_IN_PROGRESS || to == SVA_ACTION_DONE;
    case SVA_ACTION_IN_PROGRESS: return to == SVA_ACTION_DONE;
    case SVA_ACTION_DONE: return to == SVA_ACTION_VERIFIED || to == SVA_ACTION_REOPENED;
    case SVA_ACTION_REOPENED: return to == SVA_ACTION_IN_PROGRESS || to == SVA_ACTION_DONE;
    case SVA_ACTION_VERIFIED: return false;
    }
    return false;
}

void sva_actions_free(sva_action *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        sva_action *a = &v[i];
        free(a->cycle);
        free(a->store);
        free(a->region);
        free(a->metric);
        free(a->checklist);
        free(a->item);
        free(a->section);
        free(a->owner);
        free(a->due);
        free(a->created_at);
        free(a->updated_at);
        free(a->carried_from_cycle);
        free(a->carried_to_cycle);
        for (size_t k = 0; k < a->n_fields; k++) {
            free(a->fields[k].key);
            free(a->fields[k].value);
        }
        free(a->fields);
    }
    free(v);
}

void sva_history_free(sva_history *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].at);
        free(v[i].actor);
        free(v[i].change);
    }
    free(v);
}

void sva_verifications_free(sva_verification *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].store);
        free(v[i].what);
    }
    free(v);
}

void sva_stores_free(sva_store *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].id);
        free(v[i].name);
        free(v[i].region);
    }
    free(v);
}

void sva_employees_free(sva_employee *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].id);
        free(v[i].name);
        free(v[i].store);
        free(v[i].role);
    }
    free(v);
}

const char *sva_cycle_state_name(sva_cycle_state s)
{
    static const char *names[] = {"plan", "do", "check", "act", "closed"};
    return names[s];
}

void sva_cycles_free(sva_cycle *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].id);
        free(v[i].from);
        free(v[i].to);
    }
    free(v);
}
