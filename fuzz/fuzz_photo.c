/* svcaudit fuzzing: the picture probe of the PDF reports (sva_photo_probe):
 * evidence files are anyone's bytes. Every input: the kind and the size agree
 * (no picture, 0 x 0; a JPEG or PNG, 1..32767 on each side, a JPEG only when
 * its frame header says 8-bit samples and 1, 3 or 4 components). */
#include "fuzz_common.h"
#include "photo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int w = -1, h = -1;
    sva_photo_kind k = sva_photo_probe(data, size, &w, &h);
    if (k == SVA_PHOTO_NONE) {
        FUZZ_CHECK(w == 0 && h == 0);
    } else {
        FUZZ_CHECK(k == SVA_PHOTO_JPEG || k == SVA_PHOTO_PNG);
        FUZZ_CHECK(w >= 1 && w <= 32767 && h >= 1 && h <= 32767);
        FUZZ_CHECK(size >= 8 && (k != SVA_PHOTO_JPEG || data[0] == 0xFF));
    }
    return 0;
}
