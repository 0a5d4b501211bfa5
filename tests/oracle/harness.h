/*
 * Helpers shared by the C harnesses over libssl (oracles and benches): hex decoding and a
 * monotonic clock. Header-only, static, so each harness stays one translation unit.
 */
#ifndef TLS_SESSION_HARNESS_H
#define TLS_SESSION_HARNESS_H

#include <stddef.h>
#include <time.h>

__attribute__((unused)) static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * Decodes n hex digits at s into out (room for cap bytes; out may equal s: decoding in place is
 * safe). Returns the byte count, or -1 for an odd count, a non-hex digit or too little room.
 */
__attribute__((unused)) static long hex_decode(const char *s, size_t n, unsigned char *out, size_t cap)
{
    size_t i;

    if (n % 2 != 0 || n / 2 > cap)
        return -1;
    for (i = 0; i < n; i += 2) {
        int hi = hex_digit((unsigned char)s[i]), lo = hex_digit((unsigned char)s[i + 1]);

        if (hi < 0 || lo < 0)
            return -1;
        out[i / 2] = (unsigned char)(hi << 4 | lo);
    }
    return (long)(n / 2);
}

/* Nanoseconds on the monotonic clock, for the benches. */
__attribute__((unused)) static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

#endif
