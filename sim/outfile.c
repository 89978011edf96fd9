/* outfile.c: output files through mkstemp in the output's directory, renamed on success.
 *
 * Invariant: when a function here returns, either the output is complete at its name or no
 * temporary of ours remains; the output's previous contents are untouched until the rename.
 */
#include "sim/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>
#include <unistd.h>

#include "sim/cli.h"

static bool is_stdout(const char *path) { return strcmp(path, "-") == 0; }

int outfile_open(outfile_t *o, const char *path)
{
    o->path = path;
    o->tmp = NULL;
    o->f = NULL;
    if (is_stdout(path)) {
        o->f = stdout;
        return 0;
    }
    /* A device or FIFO (/dev/null, a FIFO with a reader) is written in place: a temporary
     * renamed over it would replace the device with a file. A link is followed to one only when
     * it is ours or root's (/dev/stdout), as the kernel's protected_symlinks rule does in shared
     * directories; any other link at the output's name is replaced, never written through. */
    struct stat st;
    bool exists = lstat(path, &st) == 0, link = exists && S_ISLNK(st.st_mode);
    bool trusted_link = link && (st.st_uid == geteuid() || st.st_uid == 0);
    if (trusted_link)
        exists = stat(path, &st) == 0;
    else if (link)
        exists = false; /* replaced by the rename */
    if (exists && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            cli_error("%s: cannot write: is a directory: expected a file name", path);
            return -1;
        }
        int fd = open(path, O_WRONLY | O_NOCTTY | (trusted_link ? 0 : O_NOFOLLOW));
        if (fd < 0 || !(o->f = fdopen(fd, "wb"))) {
            cli_error("%s: cannot write: %s", path, strerror(errno));
            if (fd >= 0)
                close(fd);
            return -1;
        }
        return 0;
    }
    /* DIR/.NAME.XXXXXX: the same directory (rename stays atomic), hidden, unpredictable. */
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    if (!*base) {
        cli_error("%s: cannot write: expected a file name, not a directory", path);
        return -1;
    }
    size_t n = dirlen + strlen(base) + 16;
    o->tmp = malloc(n);
    if (!o->tmp) {
        cli_error("%s: cannot write: out of memory", path);
        return -1;
    }
    snprintf(o->tmp, n, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        cli_error("%s: cannot write: %s", path, strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    /* mkstemp makes the file 0600; the output gets the mode a plain creation would give it. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(o->f = fdopen(fd, "wb"))) {
        cli_error("%s: cannot write: %s", path, strerror(errno));
        close(fd);
        outfile_discard(o);
        return -1;
    }
    return 0;
}

int outfile_commit(outfile_t *o)
{
    if (!o->tmp) {
        int failed = fflush(o->f) != 0 || ferror(o->f);
        int saved = errno;
        if (o->f != stdout && fclose(o->f) != 0 && !failed) {
            failed = 1;
            saved = errno;
        }
        o->f = NULL;
        if (failed)
            cli_error("%s: cannot write: %s", o->path, strerror(saved ? saved : EIO));
        return failed ? -1 : 0;
    }
    int failed = ferror(o->f);
    int saved = errno;
    if (fclose(o->f) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    o->f = NULL;
    if (!failed && rename(o->tmp, o->path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        cli_error("%s: cannot write: %s", o->path, strerror(saved ? saved : EIO));
        outfile_discard(o);
        return -1;
    }
    free(o->tmp);
    o->tmp = NULL;
    return 0;
}

void outfile_discard(outfile_t *o)
{
    if (o->f && o->f != stdout)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
}

int outfile_write(const char *path, const void *data, size_t len)
{
    sigset_t hold, old;
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigaddset(&hold, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &hold, &old);
    outfile_t o;
    int rc = outfile_open(&o, path);
    if (rc == 0) {
        if (len && fwrite(data, 1, len, o.f) != len) {
            cli_error("%s: cannot write: %s", path, strerror(errno));
            outfile_discard(&o);
            rc = -1;
        } else {
            rc = outfile_commit(&o);
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

int outfile_text_open(outfile_text_t *t)
{
    t->buf = NULL;
    t->len = 0;
    t->f = open_memstream(&t->buf, &t->len);
    if (!t->f)
        cli_error("out of memory");
    return t->f ? 0 : -1;
}

int outfile_text_commit(outfile_text_t *t, const char *path)
{
    int rc = fclose(t->f) == 0 && t->buf ? 0 : -1;
    if (rc != 0)
        cli_error("%s: out of memory", path ? path : "output");
    else if (path)
        rc = outfile_write(path, t->buf, t->len);
    free(t->buf);
    return rc;
}
