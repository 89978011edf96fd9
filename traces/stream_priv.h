/* stream_priv.h: the stream's representation, shared by stream.c and the decoders (decode.c). */
#ifndef COHSIM_STREAM_PRIV_H
#define COHSIM_STREAM_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "traces/stream.h"

/* A decoder turns the file's bytes into content: plain, gzip, xz, zstd. */
typedef struct stream_decoder {
    const char *name;
    /* Whether the file's first bytes are this decoder's magic. */
    int (*match)(const uint8_t *magic, size_t len);
    int (*init)(stream_t *s);
    /* Up to len decoded bytes into dst: count, 0 at the end, -1 with s->error set. */
    ssize_t (*read)(stream_t *s, char *dst, size_t len);
    void (*fini)(stream_t *s);
} stream_decoder_t;

struct stream {
    int fd;
    const char *path;
    char *buf;
    size_t cap, pos, end;
    uint64_t consumed_before;
    uint64_t lineno;
    int eof;
    char error[256];
    const stream_decoder_t *decoder;
    void *decoder_state;
    /* The file's first bytes, read to choose the decoder (a pipe cannot be read twice, nor at
     * an offset): file reads take magic[magic_pos..magic_len) before reading the file on. */
    uint8_t magic[8];
    size_t magic_pos, magic_len;
    /* A compressed file is decoded by a reader thread of its own (decode.c); NULL for plain. */
    struct decode_thread *thread;
};

/* The decoder of uncompressed content. */
const stream_decoder_t *stream_decoder_plain(void);
/* Choose the decoder from the file's magic bytes and initialise it; a compressed stream's
 * decoding then runs on a thread of its own, ahead of the reader. */
int stream_decoder_select(stream_t *s, char *err, size_t errlen);
/* The decoded bytes that come next, as decoder->read: from the reader thread when there is one. */
ssize_t stream_decoded(stream_t *s, char *dst, size_t len);
/* Stop the reader thread (if any) and release the decoder. */
void stream_decoder_close(stream_t *s);

#endif
