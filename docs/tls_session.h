/*
 * tls_session.wasm — the module's exports as C declarations, for hosts that bind them by hand.
 * All pointers are offsets into the module's linear memory (wasm32). See docs/ABI.md for the
 * contract: statuses (< 0 = error code), handles, the result buffer and ownership.
 */
#ifndef TLS_SESSION_WASM_H
#define TLS_SESSION_WASM_H
#include <stdint.h>

typedef uint32_t tls_ptr;     /* offset in linear memory */
typedef int32_t  tls_status;  /* >= 0 success, < 0 TLS_ERR_* */
typedef uint32_t tls_handle;  /* positive, never 0 when valid */

enum {
  TLS_ERR_BAD_HANDLE = -1, TLS_ERR_WRONG_KIND = -2, TLS_ERR_INVALID_ARGUMENT = -3,
  TLS_ERR_NO_MEMORY = -4, TLS_ERR_ASN1 = -5, TLS_ERR_UNKNOWN_SSL_VERSION = -6,
  TLS_ERR_UNSUPPORTED_SSL_VERSION = -7, TLS_ERR_CIPHER_CODE_WRONG_LENGTH = -8,
  TLS_ERR_UNKNOWN_CIPHER = -9, TLS_ERR_FIELD_TOO_LONG = -10, TLS_ERR_BAD_LENGTH = -11,
  TLS_ERR_BAD_CERTIFICATE = -12, TLS_ERR_PEM = -13, TLS_ERR_NO_CIPHER = -14,
  TLS_ERR_BAD_STATE = -15, TLS_ERR_NO_RANDOM = -16, TLS_ABSENT = -17
};

/* module */
void       _initialize(void);
int32_t    tls_abi_version(void);
void       tls_set_clock(int64_t seconds, int32_t fixed);
double     tls_memory_live_bytes(void);
double     tls_memory_live_blocks(void);
void       tls_set_memory_limit(double bytes);
int32_t    tls_handles_live(void);
tls_status tls_last_error_code(void);
int32_t    tls_last_error_offset(void);
int32_t    tls_last_error_message(void);          /* ASCII into the result buffer */

/* buffers */
tls_ptr    buf_alloc(uint32_t len);
void       buf_free(tls_ptr p);
tls_ptr    buf_scratch(uint32_t len);
void       buf_scratch_wipe(uint32_t len);
tls_ptr    result_ptr(void);
uint32_t   result_len(void);
void       result_wipe(void);

/* sessions */
tls_status SSL_SESSION_new(void);
tls_status SSL_SESSION_up_ref(tls_handle h);
tls_status SSL_SESSION_free(tls_handle h);
tls_status SSL_SESSION_dup(tls_handle h);
tls_status d2i_SSL_SESSION(tls_ptr p, int32_t len);
int32_t    tls_last_consumed(void);
tls_status i2d_SSL_SESSION(tls_handle h);
tls_status PEM_read_SSL_SESSION(tls_ptr p, int32_t len);
tls_status PEM_write_SSL_SESSION(tls_handle h);
tls_status SSL_SESSION_get_id(tls_handle h);
tls_status SSL_SESSION_set1_id(tls_handle h, tls_ptr p, uint32_t len);
tls_status SSL_SESSION_get0_id_context(tls_handle h);
tls_status SSL_SESSION_set1_id_context(tls_handle h, tls_ptr p, uint32_t len);
tls_status SSL_SESSION_get_master_key(tls_handle h, uint32_t outlen);
tls_status SSL_SESSION_set1_master_key(tls_handle h, tls_ptr p, uint32_t len);
int64_t    SSL_SESSION_get_time(tls_handle h);
int64_t    SSL_SESSION_set_time(tls_handle h, int64_t t);
int64_t    SSL_SESSION_get_timeout(tls_handle h);
tls_status SSL_SESSION_set_timeout(tls_handle h, int64_t t);
tls_status SSL_SESSION_get_protocol_version(tls_handle h);
tls_status SSL_SESSION_set_protocol_version(tls_handle h, int32_t v);
tls_status SSL_SESSION_get_cipher(tls_handle h);
tls_status SSL_SESSION_set_cipher(tls_handle h, uint32_t code);
tls_status tls_cipher_name(uint32_t code);
tls_status SSL_SESSION_get0_hostname(tls_handle h);
tls_status SSL_SESSION_set1_hostname(tls_handle h, tls_ptr p, uint32_t len, int32_t present);
tls_status SSL_SESSION_get0_alpn_selected(tls_handle h);
tls_status SSL_SESSION_set1_alpn_selected(tls_handle h, tls_ptr p, uint32_t len);
tls_status SSL_SESSION_get0_ticket_appdata(tls_handle h);
tls_status SSL_SESSION_set1_ticket_appdata(tls_handle h, tls_ptr p, uint32_t len);
tls_status SSL_SESSION_get0_ticket(tls_handle h);
tls_status SSL_SESSION_has_ticket(tls_handle h);
int64_t    SSL_SESSION_get_ticket_lifetime_hint(tls_handle h);
int64_t    SSL_SESSION_get_max_early_data(tls_handle h);
tls_status SSL_SESSION_set_max_early_data(tls_handle h, uint32_t v);
tls_status SSL_SESSION_get_max_fragment_length(tls_handle h);
tls_status SSL_SESSION_get_compress_id(tls_handle h);
tls_status SSL_SESSION_is_resumable(tls_handle h);
tls_status SSL_SESSION_get0_peer(tls_handle h);
tls_status tls_session_get_bytes(tls_handle h, int32_t field);
tls_status tls_session_set_bytes(tls_handle h, int32_t field, tls_ptr p, uint32_t len, int32_t present);
int64_t    tls_session_get_int(tls_handle h, int32_t field);
tls_status tls_session_set_int(tls_handle h, int32_t field, int64_t v);
tls_status tls_session_valid(tls_handle h);

#endif
