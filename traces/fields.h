/* fields.h: small parsers for the line formats (din, xdin, lackey): fields split on blanks, hex
 * and decimal numbers without a sign, and for the batch readers a hex run read 16 bytes at once
 * and the newlines of a buffer found 64 bytes at once. Pure functions over the caller's bytes;
 * the one iterator (fields_lines_t) lives in the caller's memory. */
#ifndef COHSIM_FIELDS_H
#define COHSIM_FIELDS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/* ---- sixteen bytes at a time, for the per-record fast paths -------------------------------- */

/* GCC's and Clang's generic vectors: one code path that each target lowers to its own SIMD
 * instructions (SSE2 on x86-64) or to scalar code. */
typedef signed char fields_i8x16 __attribute__((vector_size(16)));
typedef uint8_t fields_u8x16 __attribute__((vector_size(16)));
typedef uint16_t fields_u16x8 __attribute__((vector_size(16)));
typedef uint64_t fields_u64x2 __attribute__((vector_size(16)));

/* The 0x80 bit of each byte of x as one bit each, byte i to bit i: the multiplier's terms put
 * bit 8i at 56 + i, and no two terms meet, so nothing carries. */
static inline uint64_t fields_bits8(uint64_t x)
{
    return (((x >> 7) & 0x0101010101010101ull) * 0x0102040810204080ull) >> 56;
}

/* Bit i set for each byte i of m (a comparison's result: 0 or -1 per byte) that is -1: one
 * instruction (pmovmskb) where SSE2 is there, fields_bits8 twice elsewhere. */
static inline uint64_t fields_mask16(fields_i8x16 m)
{
#ifdef __SSE2__
    return (uint64_t)(unsigned)_mm_movemask_epi8((__m128i)m); /* 0 .. 0xffff */
#else
    uint64_t w[2];
    memcpy(w, &m, 16);
    return fields_bits8(w[0]) | fields_bits8(w[1]) << 8;
#endif
}

/* The run of hex digits at p, looking at 16 bytes (p must have 16 readable bytes; what follows
 * the run does not matter): its length, 16 meaning 16 or more, and in *out the value of a run
 * of 1 to 15. All sixteen bytes are converted as if they were digits and the ones after the run
 * shifted out, so no branch depends on the length: varying lengths cost no mispredictions.
 * Each range test is one signed comparison, the range moved (with wrap-around) to end at 127, so
 * that pcmpgtb, which overwrites what it compares, needs no copy of a constant;
 * pairs of digits are joined in 16-bit lanes and packed to bytes, which read as one 64-bit word
 * are the value with its bytes reversed. */
static inline __attribute__((always_inline)) unsigned fields_hexrun(const char *p, uint64_t *out)
{
    fields_u8x16 v;
    memcpy(&v, p, 16);
    fields_i8x16 digit = (fields_i8x16)(v + (uint8_t)(0x7f - '9')) > 127 - 10;
    fields_i8x16 letter = (fields_i8x16)((v | 0x20) + (uint8_t)(0x7f - 'f')) > 127 - 6;
    /* Bits 16 and up of the complement are set: a run of 16 or more reads as 16. */
    unsigned n = (unsigned)__builtin_ctz(~(unsigned)fields_mask16(digit | letter));
    /* Each byte's digit value, '0' 0 .. 'f' 15 (any byte stays within 0..15); a 16-bit lane's
     * first byte is the more significant digit. */
    fields_u16x8 x = (fields_u16x8)((v & 0x0f) + ((fields_u8x16)letter & 9));
    x = (fields_u16x8)(x * 0x1001) >> 8; /* (a + 256 b) * 4097 mod 65536 = 256 (16 a + b) + a */
#ifdef __SSE2__
    uint64_t pairs = ((fields_u64x2)_mm_packus_epi16((__m128i)x, (__m128i)x))[0];
#else
    uint64_t pairs = 0;
    for (unsigned i = 0; i < 8; i++)
        pairs |= (uint64_t)x[i] << 8 * i;
#endif
    *out = __builtin_bswap64(pairs) >> ((0u - 4 * n) & 63); /* 64 - 4n; n = 16 shifts by 0 */
    return n;
}

/* Bit i set for each of the 64 bytes at p that is a newline. */
static inline uint64_t fields_newlines64(const char *p)
{
    /* Written out, not as a loop: GCC at -O2 keeps the loop, with a shift by a variable. */
    fields_i8x16 v0, v1, v2, v3;
    memcpy(&v0, p, 16);
    memcpy(&v1, p + 16, 16);
    memcpy(&v2, p + 32, 16);
    memcpy(&v3, p + 48, 16);
    return fields_mask16(v0 == '\n') | fields_mask16(v1 == '\n') << 16 |
           fields_mask16(v2 == '\n') << 32 | fields_mask16(v3 == '\n') << 48;
}

/* The newlines of a buffer, one after another, found 64 bytes at a time: a line's end is then
 * known before its parse, so consecutive lines are parsed independently (the next line's start
 * does not wait for this one's digits). Only whole 64-byte blocks of [block, end) are looked at. */
typedef struct fields_lines {
    const char *block, *end;
    uint64_t mask; /* the newlines of block not yet handed out */
} fields_lines_t;

static inline void fields_lines_start(fields_lines_t *it, const char *p, size_t len)
{
    it->block = p;
    it->end = p + (len & ~(size_t)63);
    it->mask = len >= 64 ? fields_newlines64(p) : 0;
}

/* The next newline in *nl: 1, or 0 when the whole blocks are used up. (A flag rather than NULL
 * for the end, so that the caller's test folds away where a newline is found.) */
static inline int fields_lines_next(fields_lines_t *it, const char **nl)
{
    while (it->mask == 0) {
        if (it->end - it->block <= 64)
            return 0;
        it->block += 64;
        it->mask = fields_newlines64(it->block);
    }
    *nl = it->block + (unsigned)__builtin_ctzll(it->mask);
    it->mask &= it->mask - 1;
    return 1;
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
