/*
 * tls_session.wasm — the module's exports as C declarations, for hosts that bind them by hand.
 * All pointers are offsets into the module's linear memory (wasm32). See docs/ABI.md for the
 * contract: statuses, handles, the result buffer and ownership.
 *
 * !!! FAILURE IS NEGATIVE, NOT 0 !!!
 * Exports named after OpenSSL functions return OpenSSL's success values (1, a count, the old
 * value), but they report a fault (bad handle, wrong kind, bad argument, no memory) as a
 * NEGATIVE TLS_ERR_* status, where OpenSSL would return 0 or NULL. C code ported with
 * `if (!SSL_set_session(...))` must be written `if (SSL_set_session(...) <= 0)`.
 * Exports returning int64_t (times, timeouts, counters) return TLS_I64_FAULT (-2^63) on a fault;
 * tls_last_error_code() then says which. tls_abi_version() == TLS_ABI_VERSION for this contract.
 */
#ifndef TLS_SESSION_WASM_H
#define TLS_SESSION_WASM_H
#include <stdint.h>

typedef uint32_t tls_ptr;     /* offset in linear memory */
typedef int32_t  tls_status;  /* >= 0 success, < 0 TLS_ERR_* */
typedef uint32_t tls_handle;  /* positive, never 0 when valid */
#define TLS_I64_FAULT ((int64_t)INT64_MIN)
#define TLS_ABI_VERSION 2

enum {
  TLS_ERR_BAD_HANDLE = -1, TLS_ERR_WRONG_KIND = -2, TLS_ERR_INVALID_ARGUMENT = -3,
  TLS_ERR_NO_MEMORY = -4, TLS_ERR_ASN1 = -5, TLS_ERR_UNKNOWN_SSL_VERSION = -6,
  TLS_ERR_UNSUPPORTED_SSL_VERSION = -7, TLS_ERR_CIPHER_CODE_WRONG_LENGTH = -8,
  TLS_ERR_UNKNOWN_CIPHER = -9, TLS_ERR_FIELD_TOO_LONG = -10, TLS_ERR_BAD_LENGTH = -11,
  TLS_ERR_BAD_CERTIFICATE = -12, TLS_ERR_PEM = -13, TLS_ERR_NO_CIPHER = -14,
  TLS_ERR_BAD_STATE = -15, TLS_ERR_NO_RANDOM = -16, TLS_ABSENT = -17
};

/* Generated from assembly/abi/*_exports.ts by build/gen_header.mjs; see docs/ABI.md for each call. */
/* BEGIN GENERATED */
/* buffers and errors (abi/memory.ts, abi/status.ts) */
void     _initialize(void);
tls_ptr  buf_alloc(uint32_t len);
int32_t  buf_free(tls_ptr p);
tls_ptr  buf_scratch(uint32_t len);
void     buf_scratch_wipe(uint32_t len);
tls_ptr  result_ptr(void);
uint32_t result_len(void);
void     result_wipe(void);
int32_t  tls_last_error_code(void);
int32_t  tls_last_error_offset(void);

/* cache_exports.ts */
int32_t  SSL_CTX_new(void);
int32_t  SSL_CTX_up_ref(uint32_t h);
int32_t  tls_ctx_references(uint32_t h);
int32_t  SSL_CTX_free(uint32_t h);
int32_t  SSL_CTX_add_session(uint32_t h, uint32_t sh);
int32_t  SSL_CTX_remove_session(uint32_t h, uint32_t sh);
int32_t  SSL_CTX_flush_sessions(uint32_t h, int64_t t);
int64_t  SSL_CTX_sess_set_cache_size(uint32_t h, int64_t n);
int64_t  SSL_CTX_sess_get_cache_size(uint32_t h);
int32_t  SSL_CTX_set_session_cache_mode(uint32_t h, uint32_t mode);
int32_t  SSL_CTX_get_session_cache_mode(uint32_t h);
int64_t  SSL_CTX_set_timeout(uint32_t h, int64_t t);
int64_t  SSL_CTX_get_timeout(uint32_t h);
int64_t  tls_ctx_stat(uint32_t h, int32_t id);
int32_t  SSL_CTX_sess_number(uint32_t h);
int32_t  SSL_has_matching_session_id(uint32_t h, int32_t version, tls_ptr ptr, uint32_t len);
int32_t  tls_ctx_get_session(uint32_t h, int32_t version, tls_ptr ptr, uint32_t len);
int32_t  tls_ctx_set_callbacks(uint32_t h, int32_t flags);
int32_t  SSL_CTX_next_event(uint32_t h);
int32_t  tls_ctx_event_session(uint32_t h);
int32_t  tls_resume_lookup(uint32_t h, int32_t version, tls_ptr id, uint32_t idLen, tls_ptr sidCtx, uint32_t sidCtxLen, int32_t flags);
int32_t  tls_resume_external(uint32_t h, uint32_t sh, int32_t version, tls_ptr sidCtx, uint32_t sidCtxLen, int32_t flags);
int32_t  tls_resume_refusal(void);
int32_t  tls_ctx_count(uint32_t h, int32_t id);

/* crypto_exports.ts */
tls_ptr  crypto_io(void);
int32_t  crypto_io_size(void);
int32_t  ct_equal(tls_ptr a, tls_ptr b, tls_ptr len);
int32_t  hash_digest(int32_t alg, tls_ptr p, tls_ptr len, tls_ptr out);
int32_t  hash_new(int32_t alg);
int32_t  hmac_new(int32_t alg, tls_ptr key, tls_ptr keyLen);
int32_t  hmac_key_new(int32_t alg, tls_ptr key, tls_ptr keyLen);
int32_t  hmac_key_mac(uint32_t h, tls_ptr data, tls_ptr len, tls_ptr out);
int32_t  hash_update(uint32_t h, tls_ptr p, tls_ptr len);
int32_t  hash_final(uint32_t h, tls_ptr out);
int32_t  hash_clone(uint32_t h);
int32_t  hash_free(uint32_t h);
int32_t  hmac_compute(int32_t alg, tls_ptr key, tls_ptr keyLen, tls_ptr data, tls_ptr len, tls_ptr out);
int32_t  hmac_verify(int32_t alg, tls_ptr key, tls_ptr keyLen, tls_ptr data, tls_ptr len, tls_ptr tag, tls_ptr tagLen);
int32_t  hkdf_extract(int32_t alg, tls_ptr salt, tls_ptr saltLen, tls_ptr ikm, tls_ptr ikmLen, tls_ptr out);
int32_t  hkdf_expand(int32_t alg, tls_ptr prk, tls_ptr prkLen, tls_ptr info, tls_ptr infoLen, tls_ptr outLen);
int32_t  tls12_prf(int32_t alg, tls_ptr secret, tls_ptr secretLen, tls_ptr label, tls_ptr labelLen, tls_ptr seed, tls_ptr seedLen, tls_ptr outLen);
int32_t  tls12_master_secret(int32_t alg, tls_ptr pms, tls_ptr pmsLen, tls_ptr clientRandom, tls_ptr serverRandom);
int32_t  tls12_extended_master_secret(int32_t alg, tls_ptr pms, tls_ptr pmsLen, tls_ptr sessionHash, tls_ptr sessionHashLen);
int32_t  tls12_key_block(int32_t alg, tls_ptr master, tls_ptr masterLen, tls_ptr serverRandom, tls_ptr clientRandom, tls_ptr outLen);
int32_t  tls12_finished(int32_t alg, tls_ptr master, tls_ptr masterLen, int32_t fromServer, tls_ptr handshakeHash, tls_ptr hashLength);
int32_t  tls13_expand_label(int32_t alg, tls_ptr secret, tls_ptr secretLen, tls_ptr label, tls_ptr labelLen, tls_ptr context, tls_ptr contextLen, tls_ptr outLen);
int32_t  tls13_early_secret(int32_t alg, tls_ptr psk, tls_ptr pskLen);
int32_t  tls13_next_secret(int32_t alg, tls_ptr prev, tls_ptr ikm, tls_ptr ikmLen);
int32_t  tls13_finished(int32_t alg, tls_ptr baseKey, tls_ptr transcriptHash, int32_t verifyData);
int32_t  tls13_traffic_keys(int32_t alg, tls_ptr secret, tls_ptr keyLen);
int32_t  tls13_key_schedule(int32_t alg, tls_ptr psk, tls_ptr pskLen, int32_t external, tls_ptr dhe, tls_ptr dheLen, tls_ptr hashes);
int32_t  tls13_resumption_psk(int32_t alg, tls_ptr rms, tls_ptr nonce, tls_ptr nonceLen);
int32_t  tls13_binder_key(int32_t alg, tls_ptr psk, tls_ptr pskLen, int32_t external);
int32_t  tls13_binder(int32_t alg, tls_ptr psk, tls_ptr pskLen, int32_t external, tls_ptr prefix, tls_ptr prefixLen, tls_ptr truncated, tls_ptr truncatedLen);
int32_t  tls13_fill_binder(int32_t alg, tls_ptr psk, tls_ptr pskLen, int32_t external, tls_ptr prefix, tls_ptr prefixLen, tls_ptr ch, tls_ptr chLen, uint32_t index);
int32_t  tls13_verify_binder(int32_t alg, tls_ptr psk, tls_ptr pskLen, int32_t external, tls_ptr prefix, tls_ptr prefixLen, tls_ptr ch, tls_ptr chLen, uint32_t index);
int32_t  tls13_nst_parse(tls_ptr msg, tls_ptr len);
int32_t  tls13_nst_build(uint32_t lifetime, uint32_t ageAdd, tls_ptr nonce, tls_ptr nonceLen, tls_ptr ticket, tls_ptr ticketLen, int32_t withEarly, uint32_t maxEarly);
int32_t  tls13_psk_extension(tls_ptr identity, tls_ptr identityLen, uint32_t obfuscatedAge, tls_ptr binderLen);
int32_t  aes_cbc_encrypt(tls_ptr key, tls_ptr keyLen, tls_ptr iv, tls_ptr src, tls_ptr len);
int32_t  aes_cbc_decrypt(tls_ptr key, tls_ptr keyLen, tls_ptr iv, tls_ptr src, tls_ptr len);
int32_t  aes_gcm_seal(tls_ptr key, tls_ptr keyLen, tls_ptr iv, tls_ptr ivLen, tls_ptr src, tls_ptr len, tls_ptr aad, tls_ptr aadLen);
int32_t  aes_gcm_open(tls_ptr key, tls_ptr keyLen, tls_ptr iv, tls_ptr ivLen, tls_ptr src, tls_ptr len, tls_ptr aad, tls_ptr aadLen);
int32_t  x25519(tls_ptr scalar, tls_ptr u, tls_ptr out);
void     crypto_wipe_cache(void);

/* runtime_exports.ts */
void     tls_random_reset(void);
int32_t  tls_abi_version(void);
void     tls_set_clock(int64_t seconds, int32_t fixed);
double   tls_memory_live_bytes(void);
double   tls_memory_live_blocks(void);
double   tls_memory_table_bytes(void);
int32_t  tls_set_memory_limit(double bytes);
double   tls_get_memory_limit(void);
double   tls_memory_trim(void);
int32_t  tls_handles_live(void);
int32_t  tls_last_error_message(void);

/* session_exports.ts */
int32_t  SSL_SESSION_new(void);
int32_t  SSL_SESSION_up_ref(uint32_t h);
int32_t  SSL_SESSION_free(uint32_t h);
int32_t  SSL_SESSION_dup(uint32_t h);
int32_t  d2i_SSL_SESSION(tls_ptr ptr, int32_t len);
int32_t  tls_last_consumed(void);
int32_t  i2d_SSL_SESSION(uint32_t h);
int32_t  PEM_read_SSL_SESSION(tls_ptr ptr, int32_t len);
int32_t  PEM_write_SSL_SESSION(uint32_t h);
int32_t  SSL_SESSION_get_id(uint32_t h);
int32_t  SSL_SESSION_set1_id(uint32_t h, tls_ptr ptr, uint32_t len);
int32_t  SSL_SESSION_get0_id_context(uint32_t h);
int32_t  SSL_SESSION_set1_id_context(uint32_t h, tls_ptr ptr, uint32_t len);
int32_t  SSL_SESSION_get_master_key(uint32_t h, uint32_t outlen);
int32_t  SSL_SESSION_set1_master_key(uint32_t h, tls_ptr ptr, uint32_t len);
int64_t  SSL_SESSION_get_time(uint32_t h);
int64_t  SSL_SESSION_set_time(uint32_t h, int64_t t);
int64_t  SSL_SESSION_get_timeout(uint32_t h);
int32_t  SSL_SESSION_set_timeout(uint32_t h, int64_t t);
int32_t  SSL_SESSION_get_protocol_version(uint32_t h);
int32_t  SSL_SESSION_set_protocol_version(uint32_t h, int32_t v);
int32_t  SSL_SESSION_get_cipher(uint32_t h);
int32_t  SSL_SESSION_set_cipher(uint32_t h, uint32_t code);
int32_t  tls_cipher_name(uint32_t code);
int32_t  SSL_SESSION_get0_hostname(uint32_t h);
int32_t  SSL_SESSION_set1_hostname(uint32_t h, tls_ptr ptr, uint32_t len, int32_t present);
int32_t  SSL_SESSION_get0_alpn_selected(uint32_t h);
int32_t  SSL_SESSION_set1_alpn_selected(uint32_t h, tls_ptr ptr, uint32_t len);
int32_t  SSL_SESSION_get0_ticket_appdata(uint32_t h);
int32_t  SSL_SESSION_set1_ticket_appdata(uint32_t h, tls_ptr ptr, uint32_t len);
int32_t  SSL_SESSION_get0_ticket(uint32_t h);
int32_t  SSL_SESSION_has_ticket(uint32_t h);
int64_t  SSL_SESSION_get_ticket_lifetime_hint(uint32_t h);
int64_t  SSL_SESSION_get_max_early_data(uint32_t h);
int32_t  SSL_SESSION_set_max_early_data(uint32_t h, uint32_t v);
int32_t  SSL_SESSION_get_max_fragment_length(uint32_t h);
int32_t  SSL_SESSION_get_compress_id(uint32_t h);
int32_t  SSL_SESSION_is_resumable(uint32_t h);
int32_t  SSL_SESSION_get0_peer(uint32_t h);
int32_t  tls_session_get_bytes(uint32_t h, int32_t field);
int32_t  tls_session_set_bytes(uint32_t h, int32_t field, tls_ptr ptr, uint32_t len, int32_t present);
int64_t  tls_session_get_int(uint32_t h, int32_t field);
int32_t  tls_session_set_int(uint32_t h, int32_t field, int64_t v);
int32_t  tls_session_valid(uint32_t h);

/* ssl_exports.ts */
int32_t  SSL_new(uint32_t ctxHandle, int32_t isServer);
int32_t  SSL_free(uint32_t h);
int32_t  SSL_set_session(uint32_t h, uint32_t sh);
int32_t  SSL_get0_session(uint32_t h);
int32_t  SSL_get_session(uint32_t h);
int32_t  tls_ssl_fatal_alert(uint32_t h);
int32_t  SSL_get1_session(uint32_t h);
int32_t  SSL_session_reused(uint32_t h);
int32_t  SSL_set_shutdown(uint32_t h, uint32_t mode);
int32_t  SSL_get_shutdown(uint32_t h);
int32_t  SSL_clear(uint32_t h);
int32_t  SSL_copy_session_id(uint32_t to, uint32_t from);
int32_t  SSL_set_session_id_context(uint32_t h, tls_ptr ptr, uint32_t len);
int32_t  SSL_CTX_set_session_id_context(uint32_t h, tls_ptr ptr, uint32_t len);
int32_t  SSL_set_verify(uint32_t h, uint32_t mode);
int64_t  SSL_get_verify_result(uint32_t h);
int32_t  SSL_version(uint32_t h);
int32_t  SSL_has_matching_session_id_ssl(uint32_t h, tls_ptr ptr, uint32_t len);
int32_t  tls_ssl_handshake_start(uint32_t h, int32_t version);
int32_t  tls_ssl_new_session(uint32_t h, int32_t withId);
int32_t  tls_ssl_new_session_with_id(uint32_t h, tls_ptr ptr, uint32_t len);
int32_t  tls_ssl_server_resume(uint32_t h, tls_ptr ptr, uint32_t len, int32_t flags);
int32_t  tls_ssl_set_reused(uint32_t h, int32_t reused);
int32_t  tls_ssl_handshake_done(uint32_t h, int32_t tls13ServerStateful);

/* ticket_exports.ts */
int32_t  tls_ticket_keys_new(void);
int32_t  tls_ticket_keys_free(uint32_t h);
int32_t  tls_ticket_keys_set_policy(uint32_t h, int64_t period, int64_t lifetime, uint32_t layout);
int32_t  tls_ticket_keys_add(uint32_t h, tls_ptr ptr, uint32_t len, int64_t now, int32_t current);
int32_t  tls_ticket_keys_remove(uint32_t h, tls_ptr name);
int32_t  tls_ticket_keys_rotate(uint32_t h, int64_t now);
int32_t  tls_ticket_keys_set_secret(uint32_t h, tls_ptr ptr, uint32_t len);
int32_t  tls_ticket_keys_tick(uint32_t h, int64_t now);
int32_t  tls_ticket_keys_count(uint32_t h);
int32_t  tls_ticket_keys_export(uint32_t h, int32_t index);
int32_t  tls_ticket_keys_name(uint32_t h, int32_t index);
int64_t  tls_ticket_keys_stat(uint32_t h, int32_t id);
int32_t  tls_ticket_seal(uint32_t h, uint32_t sh, int64_t now, int32_t flags);
int32_t  tls_ticket_last_reason(void);
int32_t  tls_ticket_renew(void);
int32_t  tls_ticket_open(uint32_t h, tls_ptr ptr, uint32_t len, int64_t now, int32_t flags);
int32_t  tls_ticket_open_raw(uint32_t h, tls_ptr ptr, uint32_t len);
int32_t  tls_ticket_issue(uint32_t h, uint32_t sh, tls_ptr rms, uint32_t rmsLen, uint64_t counter, int32_t flags, uint32_t maxEarly, int64_t now);
int32_t  tls_ticket_issued(void);
int32_t  tls_ticket_issued_flags(void);
int32_t  tls_ticket_take(uint32_t ch, int32_t version, tls_ptr id, uint32_t idLen, tls_ptr sidCtx, uint32_t sidCtxLen, int32_t flags);
/* END GENERATED */

#endif
