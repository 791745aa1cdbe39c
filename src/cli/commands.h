/* svcaudit CLI: the command entry points, one file each (cmd_<name>.c). */
#ifndef SVA_COMMANDS_H
#define SVA_COMMANDS_H

int cmd_checklist(int argc, char **argv);

#endif
