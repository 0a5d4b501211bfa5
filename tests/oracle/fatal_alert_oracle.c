/*
 * fatal_alert_oracle: what libssl does to sessions when a handshake ends in a fatal alert, over an
 * in-memory BIO pair. TLS 1.2 without tickets (sessions resume by id), a client cache
 * (SSL_SESS_CACHE_CLIENT) and the server's default cache.
 *
 * First a good handshake: the client keeps C1 (cached on the client), the server S1. Then the
 * server's cache is flushed (so the server makes a new session) and the client offers C1 in:
 *   no-shared-cipher   the client's cipher list has nothing the server accepts: the server sends
 *                      handshake_failure before its ServerHello; the client's session is still C1.
 *   peer-abort         the client verifies the server's certificate against no trust anchor and
 *                      aborts with a fatal alert after the server's Certificate; by then the client
 *                      has replaced C1 with a new session C2 (the server did not resume).
 *
 * stdout: "<scenario> <key> <value>" lines, the same keys tests/fuzz/fatal_alert.test.mjs reads
 * from our module:
 *   offered-resumable      C1 after the failed handshake (SSL_SESSION_is_resumable)
 *   client-new-session     1 if the client's session at the alert is not C1
 *   client-session-resumable / client-session-id-len   the client's session at the alert
 *   server-session-resumable / server-session-id-len   the server's session at the alert
 *   client-cached / server-cached                     SSL_CTX_sess_number after both SSLs are freed
 *   offered-resumable-after-free                      C1 once both SSLs are freed
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what)
{
    fprintf(stderr, "fatal_alert_oracle: %s\n", what);
    ERR_print_errors_fp(stderr);
    exit(2);
}

static void make_cert(EVP_PKEY **key, X509 **crt)
{
    X509_NAME *name;

    *key = EVP_EC_gen("P-256");
    *crt = X509_new();
    if (*key == NULL || *crt == NULL)
        die("key");
    ASN1_INTEGER_set(X509_get_serialNumber(*crt), 1);
    X509_gmtime_adj(X509_getm_notBefore(*crt), 0);
    X509_gmtime_adj(X509_getm_notAfter(*crt), 86400);
    X509_set_pubkey(*crt, *key);
    name = X509_get_subject_name(*crt);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1, 0);
    X509_set_issuer_name(*crt, name);
    if (!X509_sign(*crt, *key, EVP_sha256()))
        die("X509_sign");
}

/*
 * Pumps both ends until each has finished or failed, so that the peer of the side that fails
 * reads its alert. Returns 1 when both finished. The SSLs stay alive.
 */
static int pump(SSL *c, SSL *s)
{
    int cstate = 0, sstate = 0, i; /* 0 running, 1 done, -1 failed */

    for (i = 0; i < 1000 && (cstate == 0 || sstate == 0); i++) {
        if (cstate == 0) {
            int r = SSL_do_handshake(c);

            if (r == 1)
                cstate = 1;
            else if (SSL_get_error(c, r) != SSL_ERROR_WANT_READ)
                cstate = -1;
        }
        if (sstate == 0) {
            int r = SSL_do_handshake(s);

            if (r == 1)
                sstate = 1;
            else if (SSL_get_error(s, r) != SSL_ERROR_WANT_READ)
                sstate = -1;
        }
    }
    return cstate == 1 && sstate == 1;
}

static void pair(SSL_CTX *cctx, SSL_CTX *sctx, SSL **c, SSL **s)
{
    BIO *bc, *bs;

    *c = SSL_new(cctx);
    *s = SSL_new(sctx);
    if (*c == NULL || *s == NULL || !BIO_new_bio_pair(&bc, 0, &bs, 0))
        die("SSL_new");
    SSL_set_bio(*c, bc, bc);
    SSL_set_bio(*s, bs, bs);
    SSL_set_connect_state(*c);
    SSL_set_accept_state(*s);
}

static void scenario(const char *name, SSL_CTX *cctx, SSL_CTX *sctx, SSL_SESSION *c1)
{
    SSL *c, *s;
    SSL_SESSION *cs, *ss;
    unsigned int idlen;

    SSL_CTX_flush_sessions(sctx, 0);
    pair(cctx, sctx, &c, &s);
    if (strcmp(name, "no-shared-cipher") == 0) {
        if (!SSL_set_cipher_list(c, "ECDHE-ECDSA-AES256-SHA"))
            die("cipher list");
    } else {
        SSL_set_verify(c, SSL_VERIFY_PEER, NULL);
    }
    if (!SSL_set_session(c, c1))
        die("SSL_set_session");
    if (pump(c, s))
        die("the handshake did not fail");
    cs = SSL_get1_session(c);
    ss = SSL_get1_session(s);
    printf("%s offered-resumable %d\n", name, SSL_SESSION_is_resumable(c1));
    printf("%s client-new-session %d\n", name, cs != c1);
    printf("%s client-session-resumable %d\n", name, SSL_SESSION_is_resumable(cs));
    SSL_SESSION_get_id(cs, &idlen);
    printf("%s client-session-id-len %u\n", name, idlen);
    if (ss == NULL) {
        printf("%s server-session-resumable none\n", name);
        printf("%s server-session-id-len none\n", name);
    } else {
        printf("%s server-session-resumable %d\n", name, SSL_SESSION_is_resumable(ss));
        SSL_SESSION_get_id(ss, &idlen);
        printf("%s server-session-id-len %u\n", name, idlen);
    }
    SSL_free(c);
    SSL_free(s);
    printf("%s client-cached %ld\n", name, SSL_CTX_sess_number(cctx));
    printf("%s server-cached %ld\n", name, SSL_CTX_sess_number(sctx));
    printf("%s offered-resumable-after-free %d\n", name, SSL_SESSION_is_resumable(c1));
    SSL_SESSION_free(cs);
    SSL_SESSION_free(ss);
}

int main(void)
{
    EVP_PKEY *key;
    X509 *crt;
    SSL_CTX *sctx = SSL_CTX_new(TLS_server_method()), *cctx = SSL_CTX_new(TLS_client_method());
    const char *names[] = { "no-shared-cipher", "peer-abort" };
    int i;

    if (sctx == NULL || cctx == NULL)
        die("SSL_CTX_new");
    make_cert(&key, &crt);
    if (!SSL_CTX_use_certificate(sctx, crt) || !SSL_CTX_use_PrivateKey(sctx, key))
        die("cert");
    SSL_CTX_set_min_proto_version(sctx, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(sctx, TLS1_2_VERSION);
    SSL_CTX_set_min_proto_version(cctx, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(cctx, TLS1_2_VERSION);
    SSL_CTX_set_options(sctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_options(cctx, SSL_OP_NO_TICKET);
    if (!SSL_CTX_set_cipher_list(sctx, "ECDHE-ECDSA-AES128-GCM-SHA256"))
        die("server cipher list");
    SSL_CTX_set_session_id_context(sctx, (const unsigned char *)"fatal", 5);
    SSL_CTX_set_session_cache_mode(cctx, SSL_SESS_CACHE_CLIENT);

    for (i = 0; i < 2; i++) {
        SSL *c, *s;
        SSL_SESSION *c1;

        /* A good handshake first: C1 on the client (cached there), S1 on the server. */
        SSL_CTX_flush_sessions(cctx, 0);
        pair(cctx, sctx, &c, &s);
        if (!pump(c, s))
            die("first handshake");
        c1 = SSL_get1_session(c);
        SSL_shutdown(c);
        SSL_shutdown(s);
        SSL_free(c);
        SSL_free(s);
        printf("%s offered-resumable-before %d\n", names[i], SSL_SESSION_is_resumable(c1));
        printf("%s client-cached-before %ld\n", names[i], SSL_CTX_sess_number(cctx));
        scenario(names[i], cctx, sctx, c1);
        SSL_SESSION_free(c1);
    }
    {
        /*
         * not-resumable-cached: S1 stays in the server's cache but is marked not resumable (by
         * SSL_CTX_remove_session on another context, which finds nothing there); the client then
         * offers it.
         */
        SSL_CTX *other = SSL_CTX_new(TLS_server_method());
        SSL *c, *s;
        SSL_SESSION *c1, *s1;
        const char *n = "not-resumable-cached";

        SSL_CTX_flush_sessions(sctx, 0);
        SSL_CTX_flush_sessions(cctx, 0);
        pair(cctx, sctx, &c, &s);
        if (!pump(c, s))
            die("first handshake");
        c1 = SSL_get1_session(c);
        s1 = SSL_get1_session(s);
        SSL_shutdown(c);
        SSL_shutdown(s);
        SSL_free(c);
        SSL_free(s);
        printf("%s removed-elsewhere %d\n", n, SSL_CTX_remove_session(other, s1));
        printf("%s cached-resumable %d\n", n, SSL_SESSION_is_resumable(s1));
        printf("%s server-cached %ld\n", n, SSL_CTX_sess_number(sctx));
        pair(cctx, sctx, &c, &s);
        if (!SSL_set_session(c, c1))
            die("SSL_set_session");
        if (!pump(c, s))
            die("resumption handshake");
        printf("%s reused %d\n", n, SSL_session_reused(s));
        printf("%s hits %ld\n", n, SSL_CTX_sess_hits(sctx));
        SSL_free(c);
        SSL_free(s);
        SSL_SESSION_free(c1);
        SSL_SESSION_free(s1);
        SSL_CTX_free(other);
    }
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
    X509_free(crt);
    EVP_PKEY_free(key);
    return 0;
}
