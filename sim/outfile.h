/* outfile.h: output files written whole or not at all, safely in a shared directory.
 *
 * The data goes to a temporary file that mkstemp creates (O_EXCL: never an existing file, never
 * through a symbolic link) in the output's own directory, so the final rename is atomic and
 * replaces a link at the output's name rather than following it. On any error the temporary is
 * removed; "-" is standard output, and an existing device or FIFO is written in place. Every
 * message names the output file (a full disk is the output's fault, never the input's).
 */
#ifndef COHSIM_OUTFILE_H
#define COHSIM_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct outfile {
    const char *path; /* where the output goes; "-" is standard output */
    char *tmp;        /* the temporary beside it; NULL for standard output, a device, a FIFO */
    FILE *f;
} outfile_t;

/* Create the temporary for path. 0, or -1 (printed). A caller that writes for long must catch
 * interrupts (sim/interrupt.h) and call outfile_discard when one comes. */
int outfile_open(outfile_t *o, const char *path);
/* Flush and close the data, then rename it to the output's name. 0, or -1 (printed, and the
 * temporary removed). */
int outfile_commit(outfile_t *o);
/* Remove the temporary (an error, an interrupt): nothing is left at the output's name. */
void outfile_discard(outfile_t *o);
/* Write data to path whole or not at all, with SIGINT and SIGTERM held until the file is in place
 * or gone (a signal cannot leave the temporary behind). 0, or -1 (printed). */
int outfile_write(const char *path, const void *data, size_t len);

/* Text built in memory (an open_memstream in f), then written whole by outfile_write. */
typedef struct outfile_text {
    char *buf;
    size_t len;
    FILE *f;
} outfile_text_t;
/* Open t. 0, or -1 (printed). */
int outfile_text_open(outfile_text_t *t);
/* Close t and write it to path whole (when path is set; NULL only frees it); frees t. 0 or -1
 * (printed). */
int outfile_text_commit(outfile_text_t *t, const char *path);

#endif
