/* svcaudit: picture headers (see photo.h): JPEG markers up to the frame
 * header, PNG's IHDR. Nothing is decoded. */
#include "photo.h"

#include <string.h>

/* cairo's image surfaces are at most 32767 pixels on a side. */
#define MAX_SIDE 32767

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 |
           p[3];
}

static int side_ok(unsigned long v)
{
    return v >= 1 && v <= MAX_SIDE;
}

/* The frame headers: SOF0-3, 5-7, 9-11, 13-15 (C4 is DHT, C8 JPG, CC DAC). */
static int is_sof(unsigned m)
{
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/* Markers follow one another with nothing between (as cairo reads them), so a
 * file cairo would not embed is not taken for a JPEG. */
static sva_photo_kind jpeg(const unsigned char *p, size_t n, int *w, int *h)
{
    size_t i = 2;
    while (i + 1 < n) {
        if (p[i] != 0xFF)
            return SVA_PHOTO_NONE;
        unsigned m = p[i + 1];
        if (m == 0xFF) { /* a fill byte */
            i++;
            continue;
        }
        if (m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7)) { /* no length */
            i += 2;
            continue;
        }
        if (m == 0xD9 || m == 0xDA) /* the end or the scan before any frame header */
            return SVA_PHOTO_NONE;
        if (i + 4 > n)
            return SVA_PHOTO_NONE;
        size_t len = be16(p + i + 2);
        if (len < 2)
            return SVA_PHOTO_NONE;
        if (is_sof(m)) {
            if (len < 8 || i + 2 + 8 > n)
                return SVA_PHOTO_NONE;
            const unsigned char *f = p + i + 4;
            unsigned precision = f[0], height = be16(f + 1), width = be16(f + 3), comps = f[5];
            if (precision != 8 || !side_ok(width) || !side_ok(height) ||
                (comps != 1 && comps != 3 && comps != 4))
                return SVA_PHOTO_NONE;
            *w = (int)width;
            *h = (int)height;
            return SVA_PHOTO_JPEG;
        }
        i += 2 + len;
    }
    return SVA_PHOTO_NONE;
}

static sva_photo_kind png(const unsigned char *p, size_t n, int *w, int *h)
{
    /* the signature, then IHDR first: length 13, width, height, depth, colour type... */
    if (n < 8 + 8 + 13 || be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0)
        return SVA_PHOTO_NONE;
    unsigned long width = be32(p + 16), height = be32(p + 20);
    if (!side_ok(width) || !side_ok(height))
        return SVA_PHOTO_NONE;
    *w = (int)width;
    *h = (int)height;
    return SVA_PHOTO_PNG;
}

sva_photo_kind sva_photo_probe(const unsigned char *data, size_t n, int *width, int *height)
{
    static const unsigned char PNG_SIG[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    int w = 0, h = 0;
    sva_photo_kind k = SVA_PHOTO_NONE;
    if (n >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        k = jpeg(data, n, &w, &h);
    else if (n >= 8 && memcmp(data, PNG_SIG, 8) == 0)
        k = png(data, n, &w, &h);
    *width = k ? w : 0;
    *height = k ? h : 0;
    return k;
}
