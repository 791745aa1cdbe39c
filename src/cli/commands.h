/* svcaudit CLI: the command entry points, one file each (cmd_<name>.c). */
#ifndef SVA_COMMANDS_H
#define SVA_COMMANDS_H

int cmd_action(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_auditors(int argc, char **argv);
int cmd_checklist(int argc, char **argv);
int cmd_cycle(int argc, char **argv);
int cmd_employee(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_repeats(int argc, char **argv);
int cmd_store(int argc, char **argv);
int cmd_survey(int argc, char **argv);
int cmd_target(int argc, char **argv);
int cmd_trend(int argc, char **argv);

#endif
