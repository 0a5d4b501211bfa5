/*
 * d2i_oracle: OpenSSL 3.0's own d2i_SSL_SESSION / i2d_SSL_SESSION as a line-oriented oracle for the
 * differential tests (tests/fuzz/der_differential.test.mjs).
 *
 * Usage: d2i_oracle [--now SECONDS] [--text] [--getters]
 *
 * stdin: one blob per line.
 *   <hex>      DER: d2i_SSL_SESSION over exactly these bytes.
 *   P <hex>    PEM: the hex-encoded text goes through PEM_read_bio_SSL_SESSION.
 *   S <ops>    SSL_SESSION_new, then the setters named by the space-separated ops (see run_setters).
 * An empty line is an empty blob.
 *
 * stdout: one line per blob.
 *   OK <bytesConsumed> <hex of i2d_SSL_SESSION>     (bytesConsumed is -1 for PEM input, -2 for S;
 *                                                     "-" instead of hex when i2d writes nothing)
 *   ERR <reason>                                     (reason of the first error OpenSSL queued, or
 *                                                     "(none)" when it failed without queueing one)
 * With --text, each OK line is followed by SSL_SESSION_print's dump and a line "." closes the record.
 * With --getters, each OK line is followed by two lines:
 *   G key=value ...    every public SSL_SESSION getter (byte strings in hex, "~" for NULL), and for
 *                      S lines ret=... with each setter's return value
 *   T <hex>            SSL_SESSION_print's whole text, hex-encoded (it may hold any byte)
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

static void print_hex_or_null(const char *key, const unsigned char *p, size_t n)
{
    printf(" %s=", key);
    if (p == NULL)
        putchar('~');
    else
        print_hex(p, n);
}

/* The G line: each public getter of OpenSSL 3.0, in a fixed order. */
static void print_getters(SSL_SESSION *s, const char *rets)
{
    const SSL_CIPHER *c = SSL_SESSION_get0_cipher(s);
    const unsigned char *p;
    unsigned int ulen;
    size_t len;
    unsigned char mk[512]; /* TLS13_MAX_RESUMPTION_PSK_LENGTH (libssl-internal) */
    const char *host = SSL_SESSION_get0_hostname(s);
    void *appdata = NULL;
    X509 *peer = SSL_SESSION_get0_peer(s);

    printf("G ver=%d", SSL_SESSION_get_protocol_version(s));
    if (c == NULL)
        printf(" cipher=~ cname=~");
    else
        printf(" cipher=%04x cname=%s", SSL_CIPHER_get_protocol_id(c), SSL_CIPHER_get_name(c));
    p = SSL_SESSION_get_id(s, &ulen);
    print_hex_or_null("id", p, ulen);
    p = SSL_SESSION_get0_id_context(s, &ulen);
    print_hex_or_null("sidctx", p, ulen);
    len = SSL_SESSION_get_master_key(s, NULL, 0);
    printf(" mklen=%zu", len);
    len = SSL_SESSION_get_master_key(s, mk, sizeof(mk));
    print_hex_or_null("mk", mk, len);
    printf(" time=%ld timeout=%ld", SSL_SESSION_get_time(s), SSL_SESSION_get_timeout(s));
    print_hex_or_null("host", (const unsigned char *)host, host != NULL ? strlen(host) : 0);
    p = NULL;
    len = 0;
    SSL_SESSION_get0_alpn_selected(s, &p, &len);
    print_hex_or_null("alpn", p, len);
    p = NULL;
    len = 0;
    SSL_SESSION_get0_ticket(s, &p, &len);
    print_hex_or_null("ticket", p, len);
    printf(" hasticket=%d hint=%lu med=%u mfl=%u comp=%u", SSL_SESSION_has_ticket(s),
           SSL_SESSION_get_ticket_lifetime_hint(s), SSL_SESSION_get_max_early_data(s),
           (unsigned)SSL_SESSION_get_max_fragment_length(s), SSL_SESSION_get_compress_id(s));
    if (peer == NULL) {
        printf(" peer=~");
    } else {
        unsigned char *der = NULL;
        int n = i2d_X509(peer, &der);

        print_hex_or_null("peer", n > 0 ? der : (const unsigned char *)"", n > 0 ? (size_t)n : 0);
        OPENSSL_free(der);
    }
    len = 0;
    SSL_SESSION_get0_ticket_appdata(s, &appdata, &len);
    print_hex_or_null("appdata", appdata, len);
    printf(" resumable=%d", SSL_SESSION_is_resumable(s));
    if (rets != NULL)
        printf(" ret=%s", rets);
    putchar('\n');

    {
        BIO *mem = BIO_new(BIO_s_mem());
        char *text = NULL;
        long n;

        SSL_SESSION_print(mem, s);
        n = BIO_get_mem_data(mem, &text);
        printf("T ");
        print_hex((const unsigned char *)text, n > 0 ? (size_t)n : 0);
        putchar('\n');
        BIO_free(mem);
    }
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

static SSL *cipher_lookup;

/*
 * S lines: ops separated by spaces, applied in order to a fresh SSL_SESSION_new. key=HEX gives
 * bytes, key=DEC an integer, a bare key NULL:
 *   id sidctx mk host alpn appdata   set1_id / set1_id_context / set1_master_key /
 *                                    set1_hostname (bytes up to a NUL) / set1_alpn_selected /
 *                                    set1_ticket_appdata
 *   time timeout ver med             set_time / set_timeout / set_protocol_version /
 *                                    set_max_early_data
 *   cipher=XXXX                      set_cipher with the suite of that code ("nf" if unknown)
 *   dup                              the session is replaced by its SSL_SESSION_dup
 * Each op's return value is appended to rets, comma-separated.
 */
static SSL_SESSION *run_setters(char *ops, char *rets, size_t cap)
{
    SSL_SESSION *s = SSL_SESSION_new();
    char *tok, *save = NULL;
    size_t used = 0;

    rets[0] = '\0';
    for (tok = strtok_r(ops, " ", &save); tok != NULL && s != NULL; tok = strtok_r(NULL, " ", &save)) {
        char *val = strchr(tok, '=');
        unsigned char buf[4096];
        long n = -1, r = 0;
        long long num = 0;

        if (val != NULL) {
            *val++ = '\0';
            num = strtoll(val, NULL, 10);
            n = hex_decode(val, strlen(val), buf, sizeof(buf) - 1);
            if (n >= 0)
                buf[n] = '\0';
        }
        if (strcmp(tok, "id") == 0)
            r = SSL_SESSION_set1_id(s, buf, (unsigned)n);
        else if (strcmp(tok, "sidctx") == 0)
            r = SSL_SESSION_set1_id_context(s, buf, (unsigned)n);
        else if (strcmp(tok, "mk") == 0)
            r = SSL_SESSION_set1_master_key(s, buf, (size_t)n);
        else if (strcmp(tok, "host") == 0)
            r = SSL_SESSION_set1_hostname(s, val != NULL ? (char *)buf : NULL);
        else if (strcmp(tok, "alpn") == 0)
            r = SSL_SESSION_set1_alpn_selected(s, val != NULL ? buf : NULL, val != NULL ? (size_t)n : 0);
        else if (strcmp(tok, "appdata") == 0)
            r = SSL_SESSION_set1_ticket_appdata(s, val != NULL ? buf : NULL, val != NULL ? (size_t)n : 0);
        else if (strcmp(tok, "time") == 0)
            r = SSL_SESSION_set_time(s, (long)num);
        else if (strcmp(tok, "timeout") == 0)
            r = SSL_SESSION_set_timeout(s, (long)num);
        else if (strcmp(tok, "ver") == 0)
            r = SSL_SESSION_set_protocol_version(s, (int)num);
        else if (strcmp(tok, "med") == 0)
            r = SSL_SESSION_set_max_early_data(s, (uint32_t)num);
        else if (strcmp(tok, "cipher") == 0) {
            const SSL_CIPHER *c = n == 2 ? SSL_CIPHER_find(cipher_lookup, buf) : NULL;

            if (c == NULL) {
                used += (size_t)snprintf(rets + used, cap - used, "%snf", used ? "," : "");
                continue;
            }
            r = SSL_SESSION_set_cipher(s, c);
        } else if (strcmp(tok, "dup") == 0) {
            SSL_SESSION *d = SSL_SESSION_dup(s);

            SSL_SESSION_free(s);
            s = d;
            r = d != NULL;
        } else {
            r = -999;
        }
        used += (size_t)snprintf(rets + used, cap - used, "%s%ld", used ? "," : "", r);
        if (used >= cap)
            used = cap - 1;
    }
    return s;
}

int main(int argc, char **argv)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int text = 0, getters = 0, i;
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());

    /* SSL_CIPHER_find wants an SSL; its cipher list is every suite libssl knows. */
    cipher_lookup = SSL_new(ctx);

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--now") == 0 && i + 1 < argc) {
            fixed_now = (time_t)strtoll(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--text") == 0) {
            text = 1;
        } else if (strcmp(argv[i], "--getters") == 0) {
            getters = 1;
        } else {
            fprintf(stderr, "usage: %s [--now SECONDS] [--text] [--getters] < lines\n", argv[0]);
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
        if (len >= 1 && line[0] == 'S' && (len == 1 || line[1] == ' ')) {
            char rets[4096];

            ERR_clear_error();
            s = run_setters(line + 1, rets, sizeof(rets));
            if (s == NULL) {
                print_error();
            } else {
                print_ok(s, -2, text);
                if (getters)
                    print_getters(s, rets);
            }
            SSL_SESSION_free(s);
            ERR_clear_error();
            continue;
        }
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
            if (s != NULL) {
                print_ok(s, -1, text);
                if (getters)
                    print_getters(s, NULL);
            } else {
                print_error();
            }
        } else {
            const unsigned char *p = (const unsigned char *)hex;

            s = d2i_SSL_SESSION(NULL, &p, n);
            if (s != NULL) {
                print_ok(s, (long)(p - (const unsigned char *)hex), text);
                if (getters)
                    print_getters(s, NULL);
            } else {
                print_error();
            }
        }
        SSL_SESSION_free(s);
        ERR_clear_error();
    }
    free(line);
    SSL_free(cipher_lookup);
    SSL_CTX_free(ctx);
    fflush(stdout);
    return 0;
}
