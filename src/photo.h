/* svcaudit: what kind of picture a file holds, and its size, from its first
 * bytes (internal). Files named as evidence are hostile input: the probe reads
 * headers only, checks every length against the buffer, and accepts a JPEG
 * exactly when cairo's PDF writer can embed it as it is. */
#ifndef SVA_PHOTO_H
#define SVA_PHOTO_H

#include <stddef.h>

#include "svcaudit/report.h"

/** Largest PNG the reports decode (pixels); a JPEG is embedded without decoding. */
#define SVA_PHOTO_MAX_PNG_PIXELS (4096L * 4096L)

/**
 * @brief The kind of picture in @p data (@p n bytes) and its size in pixels:
 * a baseline or progressive JPEG of 8-bit samples with 1, 3 or 4 components,
 * or a PNG (its IHDR). SVA_PHOTO_NONE for anything else, a truncated header,
 * or a zero or over-large (> 32767) side.
 */
sva_photo_kind sva_photo_probe(const unsigned char *data, size_t n, int *width, int *height);

#endif
