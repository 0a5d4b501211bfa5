/*
 * d2i_oracle: OpenSSL 3.0's own d2i_SSL_SESSION / i2d_SSL_SESSION as a line-oriented oracle for the
 * differential tests (tests/fuzz/der_differential.test.mjs).
 *
 * Usage: d2i_oracle [--now SECONDS] [--text]
 *
 * stdin: one blob per line.
 *   <hex>      DER: d2i_SSL_SESSION over exactly these bytes.
 *   P <hex>    PEM: the hex-encoded text goes through PEM_read_bio_SSL_SESSION.
 * An empty line is an empty blob.
 *
 * stdout: one line per blob.
 *   OK <bytesConsumed> <hex of i2d_SSL_SESSION>     (bytesConsumed is -1 for PEM input)
 *   ERR <reason>                                     (reason of the first error OpenSSL queued, or
 *                                                     "(none)" when it failed without queueing one)
 * With --text, each OK line is followed by SSL_SESSION_print's dump and a line "." closes the record.
 *
 * The clock is deterministic: this file defines time() itself, and the build links with -rdynamic
 * so that libssl's calls to time(NULL) (d2i fills a missing [1] start time with "now") resolve here.
 */
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "harness.h"

static time_t fixed_now = 1700000000;

time_t time(time_t *t)
{
    if (t != NULL)
        *t = fixed_now;
    return fixed_now;
}

/* Encrypted PEM must not prompt (the default callback would read the terminal or our stdin). */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf; (void)size; (void)rwflag; (void)u;
    return -1;
}

static void print_hex(const unsigned char *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        putchar(digits[p[i] >> 4]);
        putchar(digits[p[i] & 15]);
    }
}

static void print_error(void)
{
    unsigned long e = ERR_get_error();
    const char *reason = e != 0 ? ERR_reason_error_string(e) : NULL;

    if (e == 0)
        printf("ERR (none)\n");
    else if (reason == NULL)
        printf("ERR reason(%d)\n", ERR_GET_REASON(e));
    else
        printf("ERR %s\n", reason);
    ERR_clear_error();
}

static void print_ok(SSL_SESSION *s, long consumed, int text)
{
    unsigned char *der = NULL, *q;
    int n = i2d_SSL_SESSION(s, NULL);

    printf("OK %ld ", consumed);
    if (n > 0 && (der = malloc((size_t)n)) != NULL) {
        q = der;
        n = i2d_SSL_SESSION(s, &q);
        print_hex(der, (size_t)n);
    } else {
        putchar('-');
    }
    putchar('\n');
    free(der);
    if (text) {
        BIO *out = BIO_new_fp(stdout, BIO_NOCLOSE);

        fflush(stdout);
        SSL_SESSION_print(out, s);
        BIO_free(out);
        printf(".\n");
    }
}

int main(int argc, char **argv)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int text = 0, i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--now") == 0 && i + 1 < argc) {
            fixed_now = (time_t)strtoll(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--text") == 0) {
            text = 1;
        } else {
            fprintf(stderr, "usage: %s [--now SECONDS] [--text] < hex-lines\n", argv[0]);
            return 2;
        }
    }

    while ((len = getline(&line, &cap, stdin)) >= 0) {
        int pem = 0;
        char *hex = line;
        long n;
        SSL_SESSION *s;

        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len >= 2 && line[0] == 'P' && line[1] == ' ') {
            pem = 1;
            hex += 2;
            len -= 2;
        }
        n = hex_decode(hex, (size_t)len, (unsigned char *)hex, (size_t)len);
        if (n < 0) {
            printf("BADLINE\n");
            fflush(stdout);
            continue;
        }
        ERR_clear_error();
        if (pem) {
            BIO *bio = BIO_new_mem_buf(hex, (int)n);

            s = bio != NULL ? PEM_read_bio_SSL_SESSION(bio, NULL, no_passphrase, NULL) : NULL;
            BIO_free(bio);
            if (s != NULL)
                print_ok(s, -1, text);
            else
                print_error();
        } else {
            const unsigned char *p = (const unsigned char *)hex;

            s = d2i_SSL_SESSION(NULL, &p, n);
            if (s != NULL)
                print_ok(s, (long)(p - (const unsigned char *)hex), text);
            else
                print_error();
        }
        SSL_SESSION_free(s);
        ERR_clear_error();
    }
    free(line);
    fflush(stdout);
    return 0;
}
