/* svcaudit: files as every part of svcaudit reads and replaces them: one
 * whole-file reader (with the input size cap) and one way to replace a file
 * so that a failure or a kill never leaves a half-written one in its place. */
#ifndef SVCAUDIT_FILE_H
#define SVCAUDIT_FILE_H

#include <stddef.h>

#include "svcaudit/error.h"

/** Largest input file svcaudit reads whole (checklists, answer sheets, CSVs). */
#define SVA_MAX_INPUT_BYTES (64u * 1024u * 1024u)

/**
 * @brief Read the whole of @p path ("-" is standard input) into a
 * NUL-terminated buffer. Only a regular file is read: a folder, a FIFO or a
 * device is refused at once (a FIFO would wait for a writer for ever).
 * Messages name @p path. Caller frees *out.
 * @return SVA_OK; SVA_ERR_IO (cannot open or read, not a regular file);
 *         SVA_ERR_INVALID (larger than SVA_MAX_INPUT_BYTES); SVA_ERR_NOMEM.
 */
sva_error sva_file_read(const char *path, char **out, size_t *len, sva_diag *d);

/**
 * @brief The temporary file that will replace @p path: "PATH.tmp-HOST-PID"
 * followed by @p suffix (may be ""), beside it so the rename stays on one
 * file system. Also removes what killed processes of this machine left in
 * that folder (their temporary files and folders, whatever their target:
 * their PID is gone); other machines' files are left alone.
 * @return a malloc'd name, or NULL when out of memory.
 */
char *sva_replace_begin(const char *path, const char *suffix);

/**
 * @brief Put the complete file @p tmp in the place of @p path: fsync it,
 * rename it over @p path, fsync the folder. On failure @p tmp is removed and
 * @p path is as it was. @return SVA_OK or SVA_ERR_IO (message names @p path).
 */
sva_error sva_replace_commit(const char *tmp, const char *path, sva_diag *d);

/**
 * @brief A folder of this process's own beside @p path
 * (".svcaudit-tmp-HOST-PID", mode 0700) for a library's temporary files, so
 * that what a killed process leaves there is found and removed by the next
 * sva_replace_begin in that folder. NULL when it cannot be made (then the
 * caller uses the folder of @p path). Remove it with sva_temp_dir_end.
 */
char *sva_temp_dir_begin(const char *path);
void sva_temp_dir_end(const char *dir);

/** @brief Write @p len bytes to @p path by way of sva_replace_begin/commit. */
sva_error sva_file_replace(const char *path, const void *data, size_t len, sva_diag *d);

#endif
