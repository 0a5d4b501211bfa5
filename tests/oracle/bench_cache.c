/*
 * bench_cache: native OpenSSL 3.0 SSL_CTX session cache timings for tests/bench/cache.mjs.
 *
 * Usage: bench_cache --n SESSIONS [--ms MILLISECONDS]   (time budget per figure, default 300)
 * stdin: one hex-encoded DER session (the template; each cached copy gets its own random id).
 * stdout: one line, "key value" pairs:
 *   add       ns per SSL_CTX_add_session into a cache growing from 0 to n (size unlimited)
 *   lookup    ns per SSL_has_matching_session_id hit (random order, cache holding n)
 *   remove    ns per SSL_CTX_remove_session (random order, cache holding n down to 0)
 *   flush     ns per SSL_CTX_flush_sessions(t) call that removes the earliest-expiring half
 *   flush_removed  sessions that call removed
 *   flush_none ns per SSL_CTX_flush_sessions(t) that removes nothing (cache holding n)
 *   evict     ns per SSL_CTX_add_session that evicts the tail (cache size n/2, full)
 *   worst     ns per SSL_CTX_add_session + SSL_CTX_remove_session of a session whose expiry ties
 *             with the tail's (n - 1 cached, distinct expiries): the add's walk from the head
 *             passes every cached session
 *   bytes     heap bytes per cached session (glibc mallinfo2 before and after making n sessions,
 *             adding them and dropping our references, so the cache holds the only one)
 *
 * Each figure runs whole rounds (a round is n operations) until the budget is spent, after one
 * warm-up round; time comes from CLOCK_MONOTONIC. The sessions are made before the timed loops.
 */
#include <malloc.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "harness.h"

#define ID_LEN 32

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_rand(void)
{
    /* xorshift64*: ids only need to be distinct and spread, not secret */
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dULL;
}

static void shuffle(long *a, long n)
{
    long i;

    for (i = 0; i < n; i++)
        a[i] = i;
    for (i = n - 1; i > 0; i--) {
        long j = (long)(next_rand() % (uint64_t)(i + 1)), t = a[i];

        a[i] = a[j];
        a[j] = t;
    }
}

static const unsigned char *tmpl;
static long tmpl_len;

static SSL_SESSION *make_session(unsigned char *id, long t)
{
    const unsigned char *p = tmpl;
    SSL_SESSION *s = d2i_SSL_SESSION(NULL, &p, tmpl_len);
    int k;

    if (s == NULL)
        return NULL;
    for (k = 0; k < ID_LEN; k += 8) {
        uint64_t r = next_rand();

        memcpy(id + k, &r, 8);
    }
    SSL_SESSION_set1_id(s, id, ID_LEN);
    SSL_SESSION_set_time(s, t);
    return s;
}

static SSL_CTX *new_ctx(long size)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

    SSL_CTX_sess_set_cache_size(ctx, size);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_AUTO_CLEAR);
    return ctx;
}

static volatile long sink;

int main(int argc, char **argv)
{
    double budget_ns = 300e6, t0, ns;
    long n = 0, i, rounds, removed = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    SSL_SESSION **ss;
    unsigned char *ids;
    long *perm;
    SSL_CTX *ctx;
    SSL *ssl;
    long base = (long)time(NULL), timeout;
    double add_ns, lookup_ns, remove_ns, flush_ns, flush_none_ns, evict_ns, worst_ns, bytes;
    struct mallinfo2 m0, m1;

    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--ms") == 0)
            budget_ns = atof(argv[i + 1]) * 1e6;
        else if (strcmp(argv[i], "--n") == 0)
            n = atol(argv[i + 1]);
    }
    if (n < 2 || (len = getline(&line, &cap, stdin)) < 0) {
        fprintf(stderr, "usage: bench_cache --n SESSIONS [--ms MS] < template.hex\n");
        return 2;
    }
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    tmpl_len = hex_decode(line, (size_t)len, (unsigned char *)line, (size_t)len);
    tmpl = (const unsigned char *)line;

    ss = calloc((size_t)n, sizeof(*ss));
    ids = malloc((size_t)n * ID_LEN);
    perm = malloc((size_t)n * sizeof(*perm));
    for (i = 0; i < n; i++) {
        if ((ss[i] = make_session(ids + i * ID_LEN, base)) == NULL) {
            printf("ERR template does not decode\n");
            return 1;
        }
    }
    timeout = SSL_SESSION_get_timeout(ss[0]);

    /* add, lookup, remove: one round each per pass, the cache growing to n and back to 0 */
    ctx = new_ctx(0);
    ssl = SSL_new(ctx); /* a fresh TLS_method SSL reports TLS 1.3, the template's version */
    add_ns = lookup_ns = remove_ns = 0;
    for (rounds = -1; rounds < 1 || add_ns < budget_ns || lookup_ns < budget_ns || remove_ns < budget_ns; rounds++) {
        double a, l, r;

        t0 = now_ns();
        for (i = 0; i < n; i++)
            sink += SSL_CTX_add_session(ctx, ss[i]);
        a = now_ns() - t0;
        shuffle(perm, n);
        t0 = now_ns();
        for (i = 0; i < n; i++)
            sink += SSL_has_matching_session_id(ssl, ids + perm[i] * ID_LEN, ID_LEN);
        l = now_ns() - t0;
        shuffle(perm, n);
        t0 = now_ns();
        for (i = 0; i < n; i++)
            sink += SSL_CTX_remove_session(ctx, ss[perm[i]]);
        r = now_ns() - t0;
        if (rounds >= 0) {
            add_ns += a;
            lookup_ns += l;
            remove_ns += r;
        }
    }
    add_ns /= (double)(rounds * n);
    lookup_ns /= (double)(rounds * n);
    remove_ns /= (double)(rounds * n);

    /* flush: session i expires at base + i + timeout; flushing at base + n/2 + timeout takes i < n/2 */
    for (i = 0; i < n; i++)
        SSL_SESSION_set_time(ss[i], base + i);
    flush_ns = flush_none_ns = 0;
    for (rounds = -1; rounds < 1 || flush_ns < budget_ns; rounds++) {
        double f, z;

        for (i = 0; i < n; i++)
            SSL_CTX_add_session(ctx, ss[i]);
        t0 = now_ns();
        SSL_CTX_flush_sessions(ctx, base + timeout + 1);
        z = now_ns() - t0; /* removes nothing: everything expires later */
        t0 = now_ns();
        SSL_CTX_flush_sessions(ctx, base + n / 2 + timeout);
        f = now_ns() - t0;
        removed = n - SSL_CTX_sess_number(ctx);
        SSL_CTX_flush_sessions(ctx, 0);
        if (rounds >= 0) {
            flush_ns += f;
            flush_none_ns += z;
        }
    }
    flush_ns /= (double)rounds;
    flush_none_ns /= (double)rounds;

    /* worst-case insertion: n - 1 sessions expiring at base + 1 ... base + n - 1 are cached */
    for (i = 1; i < n; i++)
        SSL_CTX_add_session(ctx, ss[i]);
    SSL_SESSION_set_time(ss[0], base + 1);
    worst_ns = 0;
    for (rounds = -1; rounds < 1 || worst_ns < budget_ns; rounds++) {
        long k, reps = 16;

        t0 = now_ns();
        for (k = 0; k < reps; k++) {
            sink += SSL_CTX_add_session(ctx, ss[0]);
            sink += SSL_CTX_remove_session(ctx, ss[0]);
        }
        ns = now_ns() - t0;
        if (rounds >= 0)
            worst_ns += ns / (double)reps;
    }
    worst_ns /= (double)rounds;
    SSL_CTX_flush_sessions(ctx, 0);
    SSL_SESSION_set_time(ss[0], base);
    SSL_free(ssl);
    SSL_CTX_free(ctx);

    /* eviction: cache size n/2, already full; each timed add evicts the tail */
    for (i = 0; i < n; i++)
        SSL_SESSION_set_time(ss[i], base);
    evict_ns = 0;
    for (rounds = -1; rounds < 1 || evict_ns < budget_ns; rounds++) {
        long half = n / 2;

        ctx = new_ctx(half);
        for (i = 0; i < half; i++)
            SSL_CTX_add_session(ctx, ss[i]);
        t0 = now_ns();
        for (i = half; i < n; i++)
            sink += SSL_CTX_add_session(ctx, ss[i]);
        ns = now_ns() - t0;
        if (SSL_CTX_sess_number(ctx) != half - 1) {
            printf("ERR eviction kept %ld sessions\n", SSL_CTX_sess_number(ctx));
            return 1;
        }
        SSL_CTX_free(ctx);
        if (rounds >= 0)
            evict_ns += ns;
    }
    evict_ns /= (double)(rounds * (n - n / 2));

    for (i = 0; i < n; i++)
        SSL_SESSION_free(ss[i]);

    /* bytes per cached session: the cache holds the only reference */
    ctx = new_ctx(0);
    m0 = mallinfo2();
    for (i = 0; i < n; i++) {
        SSL_SESSION *s = make_session(ids + i * ID_LEN, base);

        SSL_CTX_add_session(ctx, s);
        SSL_SESSION_free(s);
    }
    m1 = mallinfo2();
    bytes = ((double)m1.uordblks - (double)m0.uordblks) / (double)n;
    SSL_CTX_free(ctx);

    printf("add %.1f lookup %.1f remove %.1f flush %.1f flush_removed %ld flush_none %.1f evict %.1f worst %.1f "
           "bytes %.1f\n",
           add_ns, lookup_ns, remove_ns, flush_ns, removed, flush_none_ns, evict_ns, worst_ns, bytes);
    free(ss);
    free(ids);
    free(perm);
    free(line);
    return 0;
}
