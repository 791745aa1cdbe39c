/* svcaudit CLI: the commands, one file each (cmd_<name>.c): their
 * subcommands, options and what runs; main.c's table says what each needs. */
#ifndef SVA_COMMANDS_H
#define SVA_COMMANDS_H

#include "opt.h"

extern const cli_command cmd_action;
extern const cli_command cmd_audit;
extern const cli_command cmd_auditors;
extern const cli_command cmd_checklist;
extern const cli_command cmd_copy;
extern const cli_command cmd_cycle;
extern const cli_command cmd_employee;
extern const cli_command cmd_export;
extern const cli_command cmd_init;
extern const cli_command cmd_merge;
extern const cli_command cmd_record;
extern const cli_command cmd_repeats;
extern const cli_command cmd_report;
extern const cli_command cmd_store;
extern const cli_command cmd_survey;
extern const cli_command cmd_target;
extern const cli_command cmd_trend;

#endif
