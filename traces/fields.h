/* fields.h: small parsers for the line formats (din, xdin, lackey): fields split on blanks, hex
 * and decimal numbers without a sign. Pure functions over the caller's line; no state. */
#ifndef COHSIM_FIELDS_H
#define COHSIM_FIELDS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Split line in place into at most max fields separated by blanks; the count, or max + 1 when
 * there are more. */
static inline int fields_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return n;
        if (n == max)
            return max + 1;
        f[n++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = '\0';
    }
}

/* 1 + the value of each hexadecimal digit, 0 for every other byte: one load per digit. */
static const uint8_t fields_hexval[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,
    ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14,
    ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15,
    ['F'] = 16,
};

static inline int fields_hexdigit(int c) { return (int)fields_hexval[(unsigned char)c] - 1; }

/* A hexadecimal number (an optional 0x prefix) of len bytes at s that fits 64 bits: 0, else -1. */
static inline int fields_hex(const char *s, size_t len, uint64_t *out)
{
    if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        len -= 2;
    }
    if (len == 0)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        int d = fields_hexdigit((unsigned char)s[i]);
        if (d < 0 || (v >> 60) != 0)
            return -1;
        v = (v << 4) | (uint64_t)d;
    }
    *out = v;
    return 0;
}

/* ---- eight bytes at a time, for the per-record fast paths ------------------------------------ */

#define FIELDS_ONES 0x0101010101010101ull

/* 0x80 in each byte of x (eight characters, the first in the low byte) that is a hex digit. */
static inline uint64_t fields_hexmask8(uint64_t x)
{
    const uint64_t high = FIELDS_ONES * 0x80;
    uint64_t y = x & ~high;              /* seven bits per byte: additions cannot carry out */
    uint64_t digit = (y + FIELDS_ONES * (0x80 - '0')) & ~(y + FIELDS_ONES * (0x7f - '9'));
    uint64_t z = y | FIELDS_ONES * 0x20; /* A-F to a-f */
    uint64_t letter = (z + FIELDS_ONES * (0x80 - 'a')) & ~(z + FIELDS_ONES * (0x7f - 'f'));
    return (digit | letter) & ~x & high;
}

/* The value of the first len (0..8) hex digits of x, the first the most significant. */
static inline uint64_t fields_hexvalue8(uint64_t x, unsigned len)
{
    uint64_t nib = (x & FIELDS_ONES * 0x0f) + ((x >> 6) & FIELDS_ONES) * 9; /* '0' 0 .. 'f' 15 */
    nib &= len == 8 ? ~0ull : (1ull << (8 * len)) - 1;
    uint64_t m = __builtin_bswap64(nib); /* byte j: the digit worth 16^j of an 8-digit number */
    m = (m | m >> 4) & 0x00FF00FF00FF00FFull;
    m = (m | m >> 8) & 0x0000FFFF0000FFFFull;
    m = (m | m >> 16) & 0x00000000FFFFFFFFull;
    return m >> (4 * (8 - len));
}

static inline unsigned fields_hexlen8(uint64_t x)
{
    uint64_t other = ~fields_hexmask8(x) & FIELDS_ONES * 0x80;
    return other ? (unsigned)__builtin_ctzll(other) / 8 : 8;
}

/* The run of hex digits at p, looking at 16 bytes (p must have 16 readable bytes; what follows
 * the run does not matter): its length, 16 meaning 16 or more, and in *out the value of a
 * shorter run. No branch depends on the length, so varying lengths cost no mispredictions. */
static inline unsigned fields_hexrun(const char *p, uint64_t *out)
{
    uint64_t lo, hi;
    memcpy(&lo, p, 8);
    memcpy(&hi, p + 8, 8);
    unsigned n1 = fields_hexlen8(lo), n2 = fields_hexlen8(hi);
    uint64_t v1 = fields_hexvalue8(lo, n1), v2 = fields_hexvalue8(hi, n2);
    *out = n1 == 8 ? (v1 << (4 * n2)) | v2 : v1;
    return n1 == 8 ? 8 + n2 : n1;
}

/* A decimal number of len bytes that fits 32 bits: 0, else -1. */
static inline int fields_dec(const char *s, size_t len, uint64_t *out)
{
    if (len == 0 || len > 10)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > UINT32_MAX)
        return -1;
    *out = v;
    return 0;
}

/* A probe of a line format: classify each complete line among the first ones of head (its
 * newline and \r stripped, copied so that the classifier may write into it); classify returns 1
 * for a line of the format, 0 for one to skip (blank, comment), -1 for one that is not. The
 * number of good lines among the first eight, or 0 as soon as a line is not of the format. */
static inline int fields_probe_lines(const uint8_t *head, size_t len, int (*classify)(char *line))
{
    char line[256];
    size_t pos = 0;
    int good = 0;
    while (pos < len && good < 8) {
        const uint8_t *nl = memchr(head + pos, '\n', len - pos);
        if (!nl)
            break; /* the last line may be cut short by the probe window */
        size_t n = (size_t)(nl - (head + pos));
        if (n >= sizeof line)
            return 0;
        memcpy(line, head + pos, n);
        line[n] = '\0';
        if (n && line[n - 1] == '\r')
            line[n - 1] = '\0';
        pos += n + 1;
        int c = classify(line);
        if (c < 0)
            return 0;
        good += c;
    }
    return good;
}

/* The first line of head that is not empty (for probes): its start and length, 0 when none. */
static inline size_t fields_first_line(const uint8_t *head, size_t len, size_t *start)
{
    size_t i = 0;
    while (i < len && (head[i] == '\n' || head[i] == '\r'))
        i++;
    size_t j = i;
    while (j < len && head[j] != '\n' && head[j] != '\r')
        j++;
    *start = i;
    return j - i;
}

/* The largest access size a line format accepts (accesses wider than a cache line are legal in
 * traces; the consumer decides what it can execute). */
#define FIELDS_MAX_SIZE 4096u

#endif
