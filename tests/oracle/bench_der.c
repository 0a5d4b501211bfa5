/*
 * bench_der: native OpenSSL 3.0 d2i_SSL_SESSION / i2d_SSL_SESSION timings for tests/bench/der.mjs.
 *
 * Usage: bench_der [--ms MILLISECONDS]      (time budget per measurement, default 300)
 * stdin: one hex-encoded DER session per line.
 * stdout: one line per session: "d2i <ns/op> i2d <ns/op> d2i_iters <n> i2d_iters <n>", or "ERR <reason>".
 *
 * d2i is timed with its SSL_SESSION_free (a decode that is not freed leaks); i2d writes into a buffer
 * allocated once, the cheapest way to call it. Each loop runs in batches until the budget is spent,
 * after a warm-up batch; time comes from CLOCK_MONOTONIC.
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "harness.h"

/* Volatile sink so the compiler cannot drop the work. */
static volatile size_t sink;

static int d2i_batch(const unsigned char *der, long len, long n)
{
    long i;

    for (i = 0; i < n; i++) {
        const unsigned char *p = der;
        SSL_SESSION *s = d2i_SSL_SESSION(NULL, &p, len);

        if (s == NULL)
            return 0;
        sink += (size_t)(p - der);
        SSL_SESSION_free(s);
    }
    return 1;
}

static int i2d_batch(SSL_SESSION *s, unsigned char *buf, long n)
{
    long i;

    for (i = 0; i < n; i++) {
        unsigned char *q = buf;
        int k = i2d_SSL_SESSION(s, &q);

        if (k <= 0)
            return 0;
        sink += (size_t)k;
    }
    return 1;
}

int main(int argc, char **argv)
{
    double budget_ns = 300e6;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;

    if (argc == 3 && strcmp(argv[1], "--ms") == 0)
        budget_ns = atof(argv[2]) * 1e6;

    while ((len = getline(&line, &cap, stdin)) >= 0) {
        long n, d2i_iters = 0, i2d_iters = 0, batch;
        const unsigned char *p;
        SSL_SESSION *s;
        unsigned char *buf;
        double t0, d2i_ns = 0, i2d_ns = 0;
        int enc_len;

        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        n = hex_decode(line, (size_t)len, (unsigned char *)line, (size_t)len);
        p = (const unsigned char *)line;
        if (n < 0 || (s = d2i_SSL_SESSION(NULL, &p, n)) == NULL) {
            unsigned long e = ERR_get_error();

            printf("ERR %s\n", e != 0 ? ERR_reason_error_string(e) : "bad input");
            ERR_clear_error();
            continue;
        }
        enc_len = i2d_SSL_SESSION(s, NULL);
        buf = malloc((size_t)enc_len);

        /* warm-up, then batches of growing size until the budget is spent */
        d2i_batch((const unsigned char *)line, n, 100);
        for (batch = 100; d2i_ns < budget_ns; batch *= 2) {
            t0 = now_ns();
            d2i_batch((const unsigned char *)line, n, batch);
            d2i_ns += now_ns() - t0;
            d2i_iters += batch;
        }
        i2d_batch(s, buf, 100);
        for (batch = 100; i2d_ns < budget_ns; batch *= 2) {
            t0 = now_ns();
            i2d_batch(s, buf, batch);
            i2d_ns += now_ns() - t0;
            i2d_iters += batch;
        }
        printf("d2i %.1f i2d %.1f d2i_iters %ld i2d_iters %ld\n", d2i_ns / (double)d2i_iters,
               i2d_ns / (double)i2d_iters, d2i_iters, i2d_iters);
        fflush(stdout);
        free(buf);
        SSL_SESSION_free(s);
    }
    free(line);
    return 0;
}
