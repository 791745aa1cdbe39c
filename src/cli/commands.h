/* svcaudit CLI: the commands, one file each (cmd_<name>.c): their
 * subcommands, options and what runs; main.c's table says what each needs. */
#ifndef SVA_COMMANDS_H
#define SVA_COMMANDS_H

#include "cli.h"
#include "opt.h"

extern const cli_command cmd_action;
extern const cli_command cmd_audit;
extern const cli_command cmd_auditors;
extern const cli_command cmd_checklist;
extern const cli_command cmd_copy;
extern const cli_command cmd_cycle;
extern const cli_command cmd_employee;
extern const cli_command cmd_export;
extern const cli_command cmd_info;
extern const cli_command cmd_init;
extern const cli_command cmd_log;
extern const cli_command cmd_merge;
extern const cli_command cmd_owner;
extern const cli_command cmd_pack;
extern const cli_command cmd_plan;
extern const cli_command cmd_record;
extern const cli_command cmd_repeats;
extern const cli_command cmd_report;
extern const cli_command cmd_store;
extern const cli_command cmd_survey;
extern const cli_command cmd_target;
extern const cli_command cmd_trend;

/* Coverage as cycle status shows it (cmd_plan.c): the stores' and network's
 * done/planned and the missed list, in a table or as a JSON object (of
 * @p store, or of the stores of @p region, when not NULL). */
void plan_coverage_print(const sva_coverage *c, const char *store, const char *region, FILE *f);
void plan_coverage_json(const sva_coverage *c, const char *store, const char *region,
                        cli_json *j);
/* The periods with audits due by @p upto, of @p who's plans (NULL: all), in
 * @p only_cycle or every cycle not closed, as rows of @p t (cycle, store,
 * employee, checklist, auditor, from, to, due); EXIT_OKAY or EXIT_DATA. */
int plan_due_rows(sva_db *db, const char *only_cycle, const char *who, const char *upto,
                  cli_table *t, sva_diag *d);

#endif
