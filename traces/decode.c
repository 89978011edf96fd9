/* decode.c: the decoders a stream may use, chosen by the file's magic bytes: plain, gzip (zlib),
 * xz (liblzma), zstd (libzstd).
 *
 * Representation: a compressed stream keeps one fixed input buffer (DECODE_INBUF bytes of the file)
 * and its library's state; nothing grows with the file. in_offset counts the file bytes handed to
 * the library, so corrupt or truncated data is reported at a compressed byte offset. Concatenated
 * members (gzip), streams (xz) and frames (zstd) are decoded one after another, as their tools do.
 *
 * A compressed stream is decoded on a reader thread of its own, so that decompression overlaps
 * simulation on a second core: the thread owns a shadow stream (the file, the decoder's state,
 * its own error) and fills a ring of DECODE_BLOCKS blocks that the reader copies out in order.
 * Invariants: only the thread touches the shadow until it has been joined; blocks leave the ring
 * in the order they were decoded; an error is handed over after every block decoded before it,
 * so the reader sees the same bytes and the same message as without the thread.
 */
#include <errno.h>
#include <lzma.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "traces/stream_priv.h"

#define DECODE_INBUF (64u * 1024u)

/* Read up to len file bytes; 0 at end of file, -1 with s->error set. */
static ssize_t file_read(stream_t *s, void *dst, size_t len)
{
    if (s->magic_pos < s->magic_len && len > 0) {
        size_t n = s->magic_len - s->magic_pos;
        if (n > len)
            n = len;
        memcpy(dst, s->magic + s->magic_pos, n);
        s->magic_pos += n;
        return (ssize_t)n;
    }
    for (;;) {
        ssize_t n = read(s->fd, dst, len);
        if (n >= 0)
            return n;
        if (errno != EINTR) {
            snprintf(s->error, sizeof s->error, "read error: %s", strerror(errno));
            return -1;
        }
    }
}

/* ---- plain ---------------------------------------------------------------------------------- */

static int plain_match(const uint8_t *magic, size_t len) { return (void)magic, (void)len, 1; }
static int plain_init(stream_t *s) { return (void)s, 0; }
static ssize_t plain_read(stream_t *s, char *dst, size_t len) { return file_read(s, dst, len); }

/* ---- shared input buffer for the compressed decoders ---------------------------------------- */

typedef struct decode_in {
    uint8_t buf[DECODE_INBUF];
    size_t pos, end;
    uint64_t file_offset; /* file offset of buf[0] */
    int eof;
} decode_in_t;

/* Make sure some input is available unless the file has ended. 0, or -1 on a read error. */
static int in_refill(stream_t *s, decode_in_t *in)
{
    if (in->pos < in->end || in->eof)
        return 0;
    in->file_offset += in->end;
    in->pos = in->end = 0;
    ssize_t n = file_read(s, in->buf, sizeof in->buf);
    if (n < 0)
        return -1;
    if (n == 0)
        in->eof = 1;
    in->end = (size_t)n;
    return 0;
}

static uint64_t in_offset(const decode_in_t *in) { return in->file_offset + in->pos; }

/* ---- gzip ----------------------------------------------------------------------------------- */

typedef struct gz_state {
    decode_in_t in;
    z_stream z;
    int member_done; /* the last member ended: more input starts a new member */
} gz_state_t;

static int gz_match(const uint8_t *m, size_t len) { return len >= 2 && m[0] == 0x1f && m[1] == 0x8b; }

static int gz_init(stream_t *s)
{
    gz_state_t *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(s->error, sizeof s->error, "out of memory");
        return -1;
    }
    s->decoder_state = g;
    if (inflateInit2(&g->z, 16 + MAX_WBITS) != Z_OK) {
        snprintf(s->error, sizeof s->error, "cannot start the gzip decoder");
        return -1;
    }
    return 0;
}

static ssize_t gz_read(stream_t *s, char *dst, size_t len)
{
    gz_state_t *g = s->decoder_state;
    for (;;) {
        if (in_refill(s, &g->in) < 0)
            return -1;
        if (g->member_done) {
            if (g->in.pos == g->in.end)
                return 0;
            inflateReset(&g->z);
            g->member_done = 0;
        }
        g->z.next_in = g->in.buf + g->in.pos;
        g->z.avail_in = (uInt)(g->in.end - g->in.pos);
        g->z.next_out = (Bytef *)dst;
        g->z.avail_out = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
        int rc = inflate(&g->z, Z_NO_FLUSH);
        size_t used = (size_t)(g->z.next_in - (g->in.buf + g->in.pos));
        size_t produced = (size_t)((char *)g->z.next_out - dst);
        if (rc == Z_STREAM_END) {
            g->in.pos += used;
            g->member_done = 1;
        } else if (rc == Z_OK || (rc == Z_BUF_ERROR && g->z.avail_in == 0 && !g->in.eof)) {
            g->in.pos += used;
        } else if (rc == Z_BUF_ERROR && g->in.eof) {
            snprintf(s->error, sizeof s->error,
                     "truncated gzip data: the file ends inside a member at compressed byte %llu",
                     (unsigned long long)in_offset(&g->in) + used);
            return -1;
        } else {
            snprintf(s->error, sizeof s->error, "corrupt gzip data near compressed byte %llu: %s",
                     (unsigned long long)in_offset(&g->in) + used,
                     g->z.msg ? g->z.msg : "inflate failed");
            return -1;
        }
        if (produced > 0)
            return (ssize_t)produced;
        if (g->in.eof && g->in.pos == g->in.end && !g->member_done) {
            snprintf(s->error, sizeof s->error,
                     "truncated gzip data: the file ends inside a member at compressed byte %llu",
                     (unsigned long long)in_offset(&g->in));
            return -1;
        }
    }
}

static void gz_fini(stream_t *s)
{
    gz_state_t *g = s->decoder_state;
    if (g)
        inflateEnd(&g->z);
    free(g);
    s->decoder_state = NULL;
}

/* ---- xz ------------------------------------------------------------------------------------- */

typedef struct xz_state {
    decode_in_t in;
    lzma_stream z;
    int ended;
} xz_state_t;

static int xz_match(const uint8_t *m, size_t len)
{
    static const uint8_t magic[6] = {0xfd, '7', 'z', 'X', 'Z', 0x00};
    return len >= 6 && memcmp(m, magic, 6) == 0;
}

static int xz_init(stream_t *s)
{
    xz_state_t *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(s->error, sizeof s->error, "out of memory");
        return -1;
    }
    s->decoder_state = x;
    lzma_stream init = LZMA_STREAM_INIT;
    x->z = init;
    if (lzma_stream_decoder(&x->z, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
        snprintf(s->error, sizeof s->error, "cannot start the xz decoder");
        return -1;
    }
    return 0;
}

static const char *xz_reason(lzma_ret rc)
{
    switch (rc) {
    case LZMA_FORMAT_ERROR: return "not xz data";
    case LZMA_OPTIONS_ERROR: return "unsupported xz options";
    case LZMA_DATA_ERROR: return "corrupt compressed data";
    case LZMA_BUF_ERROR: return "the file ends inside the compressed data";
    case LZMA_MEM_ERROR: return "out of memory";
    default: return "decoder error";
    }
}

static ssize_t xz_read(stream_t *s, char *dst, size_t len)
{
    xz_state_t *x = s->decoder_state;
    if (x->ended)
        return 0;
    for (;;) {
        if (in_refill(s, &x->in) < 0)
            return -1;
        x->z.next_in = x->in.buf + x->in.pos;
        x->z.avail_in = x->in.end - x->in.pos;
        x->z.next_out = (uint8_t *)dst;
        x->z.avail_out = len;
        lzma_ret rc = lzma_code(&x->z, x->in.eof ? LZMA_FINISH : LZMA_RUN);
        size_t used = (size_t)(x->z.next_in - (x->in.buf + x->in.pos));
        size_t produced = len - x->z.avail_out;
        x->in.pos += used;
        if (rc == LZMA_STREAM_END) {
            x->ended = 1;
            return (ssize_t)produced;
        }
        if (rc != LZMA_OK) {
            snprintf(s->error, sizeof s->error, "%s xz data at compressed byte %llu: %s",
                     rc == LZMA_BUF_ERROR ? "truncated" : "corrupt",
                     (unsigned long long)in_offset(&x->in), xz_reason(rc));
            return -1;
        }
        if (produced > 0)
            return (ssize_t)produced;
    }
}

static void xz_fini(stream_t *s)
{
    xz_state_t *x = s->decoder_state;
    if (x)
        lzma_end(&x->z);
    free(x);
    s->decoder_state = NULL;
}

/* ---- zstd ----------------------------------------------------------------------------------- */

typedef struct zstd_state {
    decode_in_t in;
    ZSTD_DStream *z;
    size_t hint; /* ZSTD_decompressStream's last return: 0 when a frame has just ended */
} zstd_state_t;

static int zstd_match(const uint8_t *m, size_t len)
{
    return len >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd;
}

static int zstd_init(stream_t *s)
{
    zstd_state_t *z = calloc(1, sizeof *z);
    if (!z) {
        snprintf(s->error, sizeof s->error, "out of memory");
        return -1;
    }
    s->decoder_state = z;
    z->z = ZSTD_createDStream();
    if (!z->z || ZSTD_isError(ZSTD_initDStream(z->z))) {
        snprintf(s->error, sizeof s->error, "cannot start the zstd decoder");
        return -1;
    }
    return 0;
}

static ssize_t zstd_read(stream_t *s, char *dst, size_t len)
{
    zstd_state_t *z = s->decoder_state;
    for (;;) {
        if (in_refill(s, &z->in) < 0)
            return -1;
        if (z->in.pos == z->in.end && z->in.eof) {
            if (z->hint != 0) {
                snprintf(s->error, sizeof s->error,
                         "truncated zstd data: the file ends inside a frame at compressed byte %llu",
                         (unsigned long long)in_offset(&z->in));
                return -1;
            }
            return 0;
        }
        ZSTD_inBuffer ib = {z->in.buf, z->in.end, z->in.pos};
        ZSTD_outBuffer ob = {dst, len, 0};
        size_t rc = ZSTD_decompressStream(z->z, &ob, &ib);
        if (ZSTD_isError(rc)) {
            /* zstd does not say where in the input it found the fault (a checksum fails only at
             * a frame's end): name the span it was given. */
            snprintf(s->error, sizeof s->error,
                     "corrupt zstd data in compressed bytes %llu to %llu: %s",
                     (unsigned long long)in_offset(&z->in),
                     (unsigned long long)(z->in.file_offset + z->in.end), ZSTD_getErrorName(rc));
            return -1;
        }
        z->in.pos = ib.pos;
        z->hint = rc;
        if (ob.pos > 0)
            return (ssize_t)ob.pos;
    }
}

static void zstd_fini(stream_t *s)
{
    zstd_state_t *z = s->decoder_state;
    if (z)
        ZSTD_freeDStream(z->z);
    free(z);
    s->decoder_state = NULL;
}

/* ---- the reader thread ---------------------------------------------------------------------- */

#define DECODE_BLOCKS 8u
#define DECODE_BLOCK (256u * 1024u)

typedef struct decode_thread {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t changed;  /* a block was filled or freed, or the thread ended or must stop */
    stream_t shadow;         /* the decoder's own view of the stream: fd, state, error */
    char *block[DECODE_BLOCKS];
    size_t len[DECODE_BLOCKS];
    unsigned head, count;    /* the filled blocks are head .. head + count - 1 (mod DECODE_BLOCKS) */
    size_t taken;            /* bytes of the head block already copied out */
    int ended;               /* the thread has decoded everything it will (end or error) */
    int failed;              /* ... and ended with shadow.error */
    int stop;                /* the reader closes: end early */
} decode_thread_t;

static void *decode_thread_main(void *arg)
{
    decode_thread_t *t = arg;
    pthread_mutex_lock(&t->mu);
    for (;;) {
        while (t->count == DECODE_BLOCKS && !t->stop)
            pthread_cond_wait(&t->changed, &t->mu);
        if (t->stop)
            break;
        unsigned slot = (t->head + t->count) % DECODE_BLOCKS;
        pthread_mutex_unlock(&t->mu);
        /* Fill the block whole (fewer hand-overs), or up to the end of the data. */
        size_t got = 0;
        ssize_t n = 1;
        while (got < DECODE_BLOCK && n > 0) {
            n = t->shadow.decoder->read(&t->shadow, t->block[slot] + got, DECODE_BLOCK - got);
            if (n > 0)
                got += (size_t)n;
        }
        pthread_mutex_lock(&t->mu);
        if (got > 0) {
            t->len[slot] = got;
            t->count++;
        }
        if (n <= 0) {
            t->ended = 1;
            t->failed = n < 0;
            pthread_cond_broadcast(&t->changed);
            break;
        }
        pthread_cond_broadcast(&t->changed);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

static void decode_thread_free(decode_thread_t *t)
{
    for (unsigned i = 0; i < DECODE_BLOCKS; i++)
        free(t->block[i]);
    free(t);
}

/* Hand s's decoder over to a new reader thread. 0, or -1 with s->error set. */
static int decode_thread_start(stream_t *s)
{
    decode_thread_t *t = calloc(1, sizeof *t);
    for (unsigned i = 0; t && i < DECODE_BLOCKS; i++)
        if (!(t->block[i] = malloc(DECODE_BLOCK))) {
            decode_thread_free(t);
            t = NULL;
        }
    if (!t) {
        snprintf(s->error, sizeof s->error, "out of memory");
        return -1;
    }
    t->shadow.fd = s->fd;
    memcpy(t->shadow.magic, s->magic, sizeof s->magic);
    t->shadow.magic_pos = s->magic_pos;
    t->shadow.magic_len = s->magic_len;
    t->shadow.path = s->path;
    t->shadow.decoder = s->decoder;
    t->shadow.decoder_state = s->decoder_state;
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->changed, NULL);
    if (pthread_create(&t->thread, NULL, decode_thread_main, t) != 0) {
        pthread_mutex_destroy(&t->mu);
        pthread_cond_destroy(&t->changed);
        decode_thread_free(t);
        snprintf(s->error, sizeof s->error, "cannot start the reader thread");
        return -1;
    }
    s->decoder_state = NULL; /* the shadow owns it now */
    s->thread = t;
    return 0;
}

ssize_t stream_decoded(stream_t *s, char *dst, size_t len)
{
    decode_thread_t *t = s->thread;
    if (!t)
        return s->decoder->read(s, dst, len);
    size_t got = 0;
    pthread_mutex_lock(&t->mu);
    while (t->count == 0 && !t->ended)
        pthread_cond_wait(&t->changed, &t->mu);
    while (got < len && t->count > 0) {
        size_t n = t->len[t->head] - t->taken;
        if (n > len - got)
            n = len - got;
        memcpy(dst + got, t->block[t->head] + t->taken, n);
        got += n;
        t->taken += n;
        if (t->taken == t->len[t->head]) {
            t->head = (t->head + 1) % DECODE_BLOCKS;
            t->count--;
            t->taken = 0;
            pthread_cond_broadcast(&t->changed);
        }
    }
    int failed = got == 0 && t->failed;
    pthread_mutex_unlock(&t->mu);
    if (failed) {
        memcpy(s->error, t->shadow.error, sizeof s->error);
        return -1;
    }
    return (ssize_t)got;
}

void stream_decoder_close(stream_t *s)
{
    decode_thread_t *t = s->thread;
    if (t) {
        pthread_mutex_lock(&t->mu);
        t->stop = 1;
        pthread_cond_broadcast(&t->changed);
        pthread_mutex_unlock(&t->mu);
        pthread_join(t->thread, NULL);
        pthread_mutex_destroy(&t->mu);
        pthread_cond_destroy(&t->changed);
        if (t->shadow.decoder->fini)
            t->shadow.decoder->fini(&t->shadow);
        decode_thread_free(t);
        s->thread = NULL;
        return;
    }
    if (s->decoder && s->decoder->fini)
        s->decoder->fini(s);
}

/* ---- selection ------------------------------------------------------------------------------ */

static const stream_decoder_t decoder_plain = {"none", plain_match, plain_init, plain_read, NULL};
static const stream_decoder_t decoder_gzip = {"gzip", gz_match, gz_init, gz_read, gz_fini};
static const stream_decoder_t decoder_xz = {"xz", xz_match, xz_init, xz_read, xz_fini};
static const stream_decoder_t decoder_zstd = {"zstd", zstd_match, zstd_init, zstd_read, zstd_fini};

/* The plain decoder matches anything, so it comes last. */
static const stream_decoder_t *const decoders[] = {&decoder_gzip, &decoder_xz, &decoder_zstd,
                                                   &decoder_plain};

const stream_decoder_t *stream_decoder_plain(void) { return &decoder_plain; }

int stream_decoder_select(stream_t *s, char *err, size_t errlen)
{
    /* Read (not pread) the magic, and keep it for the decoder: pipes and FIFOs cannot seek. */
    while (s->magic_len < sizeof s->magic) {
        ssize_t n = read(s->fd, s->magic + s->magic_len, sizeof s->magic - s->magic_len);
        if (n == 0)
            break;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errlen, "%s: cannot read: %s", s->path, strerror(errno));
            return -1;
        }
        s->magic_len += (size_t)n;
    }
    for (unsigned i = 0; i < sizeof decoders / sizeof decoders[0]; i++) {
        if (decoders[i]->match(s->magic, s->magic_len)) {
            s->decoder = decoders[i];
            if (decoders[i]->init(s) != 0 ||
                (decoders[i] != &decoder_plain && decode_thread_start(s) != 0)) {
                snprintf(err, errlen, "%s: %s", s->path, s->error);
                return -1;
            }
            return 0;
        }
    }
    snprintf(err, errlen, "%s: no decoder", s->path);
    return -1;
}
