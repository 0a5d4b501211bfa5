/*
 * ticket_mint: OpenSSL 3 mints session tickets under known 80-byte keys
 * (SSL_CTX_set_tlsext_ticket_keys), over an in-memory BIO pair (no sockets).
 *
 *   ticket_mint KEYHEX VERSION [ALPN]     KEYHEX: 160 hex digits (80 bytes); VERSION: 12 or 13
 *
 * Prints "TICKET <hex>", "CLIENT <hex of the client's session DER>" and "SERVER <hex of the server's
 * session DER>" for the last ticket the client received. With "RESUME <hex of a client session DER>"
 * on stdin it instead connects once with that session and prints "REUSED 0|1".
 */
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static void die(const char *what) { fprintf(stderr, "ticket_mint: %s\n", what); ERR_print_errors_fp(stderr); exit(2); }

static void hexline(const char *tag, const unsigned char *p, size_t n) {
  printf("%s ", tag);
  for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
  printf("\n");
}

static void cert(EVP_PKEY **key, X509 **crt) {
  *key = EVP_EC_gen("P-256");
  if (!*key) die("EVP_EC_gen");
  *crt = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(*crt), 1);
  X509_gmtime_adj(X509_getm_notBefore(*crt), 0);
  X509_gmtime_adj(X509_getm_notAfter(*crt), 86400);
  X509_set_pubkey(*crt, *key);
  X509_NAME *name = X509_get_subject_name(*crt);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1, 0);
  X509_set_issuer_name(*crt, name);
  if (!X509_sign(*crt, *key, EVP_sha256())) die("X509_sign");
}

static int alpn_cb(SSL *s, const unsigned char **out, unsigned char *outlen, const unsigned char *in, unsigned inlen, void *arg) {
  (void)s; (void)arg;
  if (inlen < 1) return SSL_TLSEXT_ERR_NOACK;
  *out = in + 1; *outlen = in[0];
  return SSL_TLSEXT_ERR_OK;
}

/* One connection; pumps both ends until the client has read the server's one byte. */
static SSL_SESSION *connect_once(SSL_CTX *sctx, SSL_CTX *cctx, SSL_SESSION *resume, const char *alpn, int *reused, SSL_SESSION **server_sess) {
  SSL *c = SSL_new(cctx), *s = SSL_new(sctx);
  BIO *bc, *bs;
  if (!BIO_new_bio_pair(&bc, 0, &bs, 0)) die("BIO pair");
  SSL_set_bio(c, bc, bc);
  SSL_set_bio(s, bs, bs);
  SSL_set_connect_state(c);
  SSL_set_accept_state(s);
  SSL_set_tlsext_host_name(c, "localhost");
  if (alpn) {
    unsigned char buf[64]; size_t n = strlen(alpn);
    buf[0] = (unsigned char)n; memcpy(buf + 1, alpn, n);
    SSL_set_alpn_protos(c, buf, (unsigned)(n + 1));
  }
  if (resume) SSL_set_session(c, resume);
  int cdone = 0, sdone = 0, wrote = 0, got = 0;
  for (int i = 0; i < 1000 && !got; i++) {
    if (!cdone) { int r = SSL_do_handshake(c); if (r == 1) cdone = 1; else if (SSL_get_error(c, r) != SSL_ERROR_WANT_READ) die("client handshake"); }
    if (!sdone) { int r = SSL_do_handshake(s); if (r == 1) sdone = 1; else if (SSL_get_error(s, r) != SSL_ERROR_WANT_READ) die("server handshake"); }
    if (sdone && !wrote) { if (SSL_write(s, "x", 1) == 1) wrote = 1; }
    if (cdone && wrote) { char b; if (SSL_read(c, &b, 1) == 1) got = 1; }
  }
  if (!got) die("no data");
  *reused = SSL_session_reused(c);
  if (server_sess) *server_sess = SSL_get1_session(s);
  SSL_SESSION *sess = SSL_get1_session(c);
  SSL_free(c); SSL_free(s);
  return sess;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: ticket_mint KEYHEX 12|13 [ALPN]\n"); return 2; }
  unsigned char keys[80];
  if (hex_decode(argv[1], strlen(argv[1]), keys, 80) != 80) die("KEYHEX must be 160 hex digits");
  int v = atoi(argv[2]) == 13 ? TLS1_3_VERSION : TLS1_2_VERSION;
  const char *alpn = argc > 3 ? argv[3] : NULL;
  EVP_PKEY *key; X509 *crt;
  cert(&key, &crt);
  SSL_CTX *sctx = SSL_CTX_new(TLS_server_method()), *cctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(sctx, v); SSL_CTX_set_max_proto_version(sctx, v);
  SSL_CTX_set_min_proto_version(cctx, v); SSL_CTX_set_max_proto_version(cctx, v);
  if (!SSL_CTX_use_certificate(sctx, crt) || !SSL_CTX_use_PrivateKey(sctx, key)) die("cert");
  if (SSL_CTX_set_tlsext_ticket_keys(sctx, keys, 80) != 1) die("set_tlsext_ticket_keys");
  SSL_CTX_set_session_id_context(sctx, (const unsigned char *)"mint", 4);
  if (alpn) SSL_CTX_set_alpn_select_cb(sctx, alpn_cb, NULL);
  SSL_CTX_set_session_cache_mode(cctx, SSL_SESS_CACHE_OFF);

  char line[1 << 16];
  if (fgets(line, sizeof line, stdin) && strncmp(line, "RESUME ", 7) == 0) {
    line[strcspn(line, "\r\n")] = 0;
    static unsigned char der[1 << 15];
    int n = (int)hex_decode(line + 7, strlen(line + 7), der, sizeof der);
    if (n < 0) die("bad RESUME hex");
    const unsigned char *p = der;
    SSL_SESSION *sess = d2i_SSL_SESSION(NULL, &p, n);
    if (!sess) die("d2i_SSL_SESSION");
    int reused = 0;
    SSL_SESSION *after = connect_once(sctx, cctx, sess, alpn, &reused, NULL);
    printf("REUSED %d\n", reused);
    SSL_SESSION_free(after); SSL_SESSION_free(sess);
    return 0;
  }
  int reused = 0;
  SSL_SESSION *server = NULL;
  SSL_SESSION *sess = connect_once(sctx, cctx, NULL, alpn, &reused, &server);
  const unsigned char *tick; size_t tlen;
  SSL_SESSION_get0_ticket(sess, &tick, &tlen);
  if (!tlen) die("no ticket");
  hexline("TICKET", tick, tlen);
  unsigned char *der = NULL;
  int n = i2d_SSL_SESSION(sess, &der);
  hexline("CLIENT", der, (size_t)n);
  OPENSSL_free(der); der = NULL;
  n = i2d_SSL_SESSION(server, &der);
  hexline("SERVER", der, (size_t)n);
  OPENSSL_free(der);
  SSL_SESSION_free(sess); SSL_SESSION_free(server);
  SSL_CTX_free(sctx); SSL_CTX_free(cctx); X509_free(crt); EVP_PKEY_free(key);
  return 0;
}
