/* decode.c: the decoders a stream may use, chosen by magic bytes: plain files only so far. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "traces/stream_priv.h"

static int plain_match(const uint8_t *magic, size_t len) { return (void)magic, (void)len, 1; }
static int plain_init(stream_t *s) { return (void)s, 0; }

static ssize_t plain_read(stream_t *s, char *dst, size_t len)
{
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

static const stream_decoder_t decoder_plain = {"none", plain_match, plain_init, plain_read, NULL};

static const stream_decoder_t *const decoders[] = {&decoder_plain};

int stream_decoder_select(stream_t *s, char *err, size_t errlen)
{
    uint8_t magic[8];
    ssize_t n = pread(s->fd, magic, sizeof magic, 0);
    if (n < 0) {
        snprintf(err, errlen, "%s: cannot read: %s", s->path, strerror(errno));
        return -1;
    }
    for (unsigned i = 0; i < sizeof decoders / sizeof decoders[0]; i++) {
        if (decoders[i]->match(magic, (size_t)n)) {
            s->decoder = decoders[i];
            if (decoders[i]->init(s) != 0) {
                snprintf(err, errlen, "%s: %s", s->path, s->error);
                return -1;
            }
            return 0;
        }
    }
    snprintf(err, errlen, "%s: no decoder", s->path);
    return -1;
}
