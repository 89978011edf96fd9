/* compress_out.h: trace output compressed by its file name (.gz, .xz, .zst), as the readers
 * decompress input by its magic bytes. */
#ifndef COHSIM_COMPRESS_OUT_H
#define COHSIM_COMPRESS_OUT_H

#include <stddef.h>
#include <stdio.h>

/* "gzip", "xz" or "zstd" when path ends in .gz, .xz or .zst, else NULL. */
const char *compress_out_kind(const char *path);
/* A FILE whose bytes reach raw compressed as kind; fclose on it ends the compressed stream and
 * flushes raw (which the caller still closes), returning EOF when any write failed. NULL with the
 * reason in err. */
FILE *compress_out_open(FILE *raw, const char *kind, char *err, size_t errlen);

#endif
