/* svcaudit: a finished workbook's worksheets are complete (see zipcheck.h).
 * Reads the zip's central directory (zip64 sizes included) and inflates each
 * worksheet part with zlib, keeping only its last bytes: bounded memory. */
#include "zipcheck.h"

#include <zlib.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint16_t u16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t u64(const unsigned char *p)
{
    return (uint64_t)u32(p) | (uint64_t)u32(p + 4) << 32;
}

/* Inflate one entry; true if it yields exactly `size` bytes ending in `tail`. */
static bool entry_ok(FILE *f, uint64_t local, uint64_t csize, uint64_t size, int method,
                     const char *tail)
{
    unsigned char h[30];
    if (fseeko(f, (off_t)local, SEEK_SET) != 0 || fread(h, 1, 30, f) != 30 ||
        u32(h) != 0x04034b50)
        return false;
    if (fseeko(f, (off_t)(local + 30 + u16(h + 26) + u16(h + 28)), SEEK_SET) != 0)
        return false;
    size_t tl = strlen(tail);
    char last[64] = "";
    size_t have = 0;
    uint64_t total = 0, left = csize;
    unsigned char in[65536], out[65536];
    z_stream z;
    memset(&z, 0, sizeof z);
    if (method == 8 && inflateInit2(&z, -MAX_WBITS) != Z_OK)
        return false;
    bool ok = true, done = false;
    while (ok && !done && left > 0) {
        size_t n = left < sizeof in ? (size_t)left : sizeof in;
        if (fread(in, 1, n, f) != n) {
            ok = false;
            break;
        }
        left -= n;
        const unsigned char *chunk = in;
        size_t clen = n;
        z.next_in = in;
        z.avail_in = (uInt)n;
        do {
            if (method == 8) {
                z.next_out = out;
                z.avail_out = sizeof out;
                int r = inflate(&z, Z_NO_FLUSH);
                if (r != Z_OK && r != Z_STREAM_END) {
                    ok = false;
                    break;
                }
                chunk = out;
                clen = sizeof out - z.avail_out;
                done = r == Z_STREAM_END;
            }
            total += clen;
            /* keep the last bytes seen */
            if (clen >= tl) {
                memcpy(last, chunk + clen - tl, tl);
                have = tl;
            } else if (clen) {
                size_t keep = have + clen > tl ? tl - clen : have;
                memmove(last, last + have - keep, keep);
                memcpy(last + keep, chunk, clen);
                have = keep + clen;
            }
        } while (method == 8 && ok && !done && (z.avail_in > 0 || z.avail_out == 0));
        if (method != 8 && left == 0)
            done = true;
    }
    if (method == 8)
        inflateEnd(&z);
    return ok && done && total == size && have == tl && memcmp(last, tail, tl) == 0;
}

sva_error sva_xlsx_check(const char *path, const char *label, sva_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        sva_diag_add(d, label, 0, "cannot read the workbook back to check it");
        return SVA_ERR_IO;
    }
    sva_error rc = SVA_ERR_IO;
    unsigned char *tailbuf = NULL, *cd = NULL;
    if (fseeko(f, 0, SEEK_END) != 0)
        goto out;
    off_t fsize = ftello(f);
    size_t tn = fsize < 65557 ? (size_t)fsize : 65557;
    tailbuf = malloc(tn ? tn : 1);
    if (!tailbuf || fseeko(f, fsize - (off_t)tn, SEEK_SET) != 0 || fread(tailbuf, 1, tn, f) != tn)
        goto out;
    long e = -1;
    for (long i = (long)tn - 22; i >= 0; i--)
        if (u32(tailbuf + i) == 0x06054b50) {
            e = i;
            break;
        }
    if (e < 0)
        goto out;
    uint64_t entries = u16(tailbuf + e + 10), cd_size = u32(tailbuf + e + 12),
             cd_off = u32(tailbuf + e + 16);
    if (e >= 20 && u32(tailbuf + e - 20) == 0x07064b50) { /* zip64 end locator */
        unsigned char z64[56];
        uint64_t z64off = u64(tailbuf + e - 20 + 8);
        if (fseeko(f, (off_t)z64off, SEEK_SET) != 0 || fread(z64, 1, 56, f) != 56 ||
            u32(z64) != 0x06064b50)
            goto out;
        entries = u64(z64 + 32);
        cd_size = u64(z64 + 40);
        cd_off = u64(z64 + 48);
    }
    if (cd_size > 64u * 1024 * 1024 || !(cd = malloc(cd_size ? cd_size : 1)) ||
        fseeko(f, (off_t)cd_off, SEEK_SET) != 0 || fread(cd, 1, cd_size, f) != cd_size)
        goto out;
    size_t p = 0, sheets = 0;
    for (uint64_t k = 0; k < entries; k++) {
        if (p + 46 > cd_size || u32(cd + p) != 0x02014b50)
            goto out;
        int method = u16(cd + p + 10);
        uint64_t csize = u32(cd + p + 20), size = u32(cd + p + 24), local = u32(cd + p + 42);
        size_t nl = u16(cd + p + 28), xl = u16(cd + p + 30), cl = u16(cd + p + 32);
        if (p + 46 + nl + xl + cl > cd_size)
            goto out;
        const char *name = (const char *)cd + p + 46;
        /* zip64 extra field: the sizes and offset that did not fit */
        for (size_t x = 0; x + 4 <= xl;) {
            const unsigned char *ef = cd + p + 46 + nl + x;
            size_t len = u16(ef + 2), at = 4;
            if (u16(ef) == 0x0001) {
                if (size == 0xFFFFFFFFu && at + 8 <= 4 + len) {
                    size = u64(ef + at);
                    at += 8;
                }
                if (csize == 0xFFFFFFFFu && at + 8 <= 4 + len) {
                    csize = u64(ef + at);
                    at += 8;
                }
                if (local == 0xFFFFFFFFu && at + 8 <= 4 + len)
                    local = u64(ef + at);
            }
            x += 4 + len;
        }
        if (nl > 14 && memcmp(name, "xl/worksheets/", 14) == 0 && nl > 4 &&
            memcmp(name + nl - 4, ".xml", 4) == 0) {
            sheets++;
            if ((method != 8 && method != 0) ||
                !entry_ok(f, local, csize, size, method, "</worksheet>"))
                goto out;
        }
        p += 46 + nl + xl + cl;
    }
    if (sheets)
        rc = SVA_OK;
out:
    if (rc)
        sva_diag_add(d, label, 0,
                     "the workbook came out incomplete (a full disk or a file-size limit?); "
                     "the previous file is left as it was");
    free(cd);
    free(tailbuf);
    fclose(f);
    return rc;
}
