/* compress_out.c: a FILE (glibc's fopencookie) that compresses with zlib (gzip), liblzma (xz) or
 * libzstd onto another FILE (see compress_out.h).
 *
 * State: one encoder and the raw FILE; failed records any error, so that fclose reports it even
 * when it came from a write stdio buffered earlier.
 */
#define _GNU_SOURCE
#include "traces/compress_out.h"

#include <lzma.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

typedef enum { KIND_GZIP, KIND_XZ, KIND_ZSTD } kind_t;

typedef struct compress_out {
    kind_t kind;
    FILE *raw;
    z_stream z;
    lzma_stream x;
    ZSTD_CStream *zs;
    bool failed;
    unsigned char buf[1 << 16];
} compress_out_t;

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

const char *compress_out_kind(const char *path)
{
    return ends_with(path, ".gz") ? "gzip" : ends_with(path, ".xz") ? "xz"
                                          : ends_with(path, ".zst") ? "zstd"
                                                                    : NULL;
}

static void put(compress_out_t *c, size_t n)
{
    if (n && fwrite(c->buf, 1, n, c->raw) != n)
        c->failed = true;
}

/* Feed in[0..len) (finish: end the stream). */
static void encode(compress_out_t *c, const unsigned char *in, size_t len, bool finish)
{
    switch (c->kind) {
    case KIND_GZIP:
        c->z.next_in = (Bytef *)in;
        c->z.avail_in = (uInt)len;
        for (;;) {
            c->z.next_out = c->buf;
            c->z.avail_out = sizeof c->buf;
            int rc = deflate(&c->z, finish ? Z_FINISH : Z_NO_FLUSH);
            if (rc == Z_STREAM_ERROR) {
                c->failed = true;
                return;
            }
            put(c, sizeof c->buf - c->z.avail_out);
            if (finish ? rc == Z_STREAM_END : c->z.avail_in == 0 && c->z.avail_out != 0)
                return;
        }
    case KIND_XZ:
        c->x.next_in = in;
        c->x.avail_in = len;
        for (;;) {
            c->x.next_out = c->buf;
            c->x.avail_out = sizeof c->buf;
            lzma_ret rc = lzma_code(&c->x, finish ? LZMA_FINISH : LZMA_RUN);
            if (rc != LZMA_OK && rc != LZMA_STREAM_END) {
                c->failed = true;
                return;
            }
            put(c, sizeof c->buf - c->x.avail_out);
            if (finish ? rc == LZMA_STREAM_END : c->x.avail_in == 0 && c->x.avail_out != 0)
                return;
        }
    case KIND_ZSTD: {
        ZSTD_inBuffer ib = {in, len, 0};
        for (;;) {
            ZSTD_outBuffer ob = {c->buf, sizeof c->buf, 0};
            size_t left = ZSTD_compressStream2(c->zs, &ob, &ib, finish ? ZSTD_e_end : ZSTD_e_continue);
            if (ZSTD_isError(left)) {
                c->failed = true;
                return;
            }
            put(c, ob.pos);
            if (finish ? left == 0 : ib.pos == ib.size && ob.pos < ob.size)
                return;
        }
    }
    }
}

static ssize_t cookie_write(void *opaque, const char *data, size_t len)
{
    compress_out_t *c = opaque;
    encode(c, (const unsigned char *)data, len, false);
    return c->failed ? -1 : (ssize_t)len;
}

static int cookie_close(void *opaque)
{
    compress_out_t *c = opaque;
    encode(c, NULL, 0, true);
    if (fflush(c->raw) != 0)
        c->failed = true;
    bool failed = c->failed;
    deflateEnd(&c->z);
    lzma_end(&c->x);
    ZSTD_freeCStream(c->zs);
    free(c);
    return failed ? -1 : 0;
}

FILE *compress_out_open(FILE *raw, const char *kind, char *err, size_t errlen)
{
    compress_out_t *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->raw = raw;
    c->x = (lzma_stream)LZMA_STREAM_INIT;
    bool ok;
    if (strcmp(kind, "gzip") == 0) {
        c->kind = KIND_GZIP;
        ok = deflateInit2(&c->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    } else if (strcmp(kind, "xz") == 0) {
        c->kind = KIND_XZ;
        ok = lzma_easy_encoder(&c->x, 3, LZMA_CHECK_CRC64) == LZMA_OK;
    } else {
        c->kind = KIND_ZSTD;
        c->zs = ZSTD_createCStream();
        ok = c->zs && !ZSTD_isError(ZSTD_CCtx_setParameter(c->zs, ZSTD_c_compressionLevel, 3));
    }
    cookie_io_functions_t io = {.write = cookie_write, .close = cookie_close};
    FILE *f = ok ? fopencookie(c, "w", io) : NULL;
    if (!f) {
        snprintf(err, errlen, "cannot start the %s encoder", kind);
        if (c->kind == KIND_GZIP && ok)
            deflateEnd(&c->z);
        lzma_end(&c->x);
        ZSTD_freeCStream(c->zs);
        free(c);
    }
    return f;
}
