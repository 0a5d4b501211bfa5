#!/usr/bin/env python3
"""A non-JavaScript host for tls_session.wasm: Python + wasmtime, the raw ABI only (docs/ABI.md).

Decodes a session blob (PEM or DER), puts it in a session cache (SSL_CTX), reads it back by its
id and re-encodes it; then plays a client that offers the session to a server that does not
resume it (the calls a client host makes, in order, docs/ABI.md); prints what it saw as JSON.

    python3 -m venv .venv && .venv/bin/pip install wasmtime
    .venv/bin/python examples/python/host.py dist/tls_session.wasm session.pem [--now SECONDS]
"""
import argparse
import json
import os
import struct
import sys

from wasmtime import Engine, Func, FuncType, Linker, Module, Store, ValType

# The ABI's numbers, generated from assembly/abi/abi.json (beside this file).
from tls_session_abi import ABI_VERSION, STATUS_NAMES, CacheMode, SessionInt, Shutdown, Status

ABSENT = Status.ABSENT


class TlsSessionWasm:
    """The module instantiated with the two WASI imports it needs, supplied by this host."""

    def __init__(self, wasm_path, now=None):
        self.store = Store(Engine())
        self.now = now
        linker = Linker(self.store.engine)
        i32, i64 = ValType.i32(), ValType.i64()
        linker.define(self.store, "wasi_snapshot_preview1", "random_get",
                      Func(self.store, FuncType([i32, i32], [i32]), self._random_get, access_caller=True))
        linker.define(self.store, "wasi_snapshot_preview1", "clock_time_get",
                      Func(self.store, FuncType([i32, i64, i32], [i32]), self._clock_time_get, access_caller=True))
        module = Module.from_file(self.store.engine, wasm_path)
        self.imports = sorted(f"{i.module}.{i.name}" for i in module.imports)
        self.instance = linker.instantiate(self.store, module)
        self.exports = self.instance.exports(self.store)
        self.memory = self.exports["memory"]
        self.call("_initialize")
        if self.call("tls_abi_version") != ABI_VERSION:
            raise RuntimeError(f"{wasm_path}: ABI version {self.call('tls_abi_version')}, this host speaks {ABI_VERSION}")
        if now is not None:
            self.call("tls_set_clock", now, 1)

    # WASI preview1 imports: randomness from the OS, the clock from the OS (or pinned with --now).
    def _random_get(self, caller, ptr, length):
        caller["memory"].write(caller, os.urandom(length), ptr)
        return 0

    def _clock_time_get(self, caller, clock_id, precision, out):
        import time
        ns = time.time_ns() if self.now is None else self.now * 1_000_000_000
        caller["memory"].write(caller, struct.pack("<Q", ns), out)
        return 0

    def call(self, name, *args):
        return self.exports[name](self.store, *args)

    def check(self, status, what):
        """Raises with the module's last error when `status` is negative."""
        if status >= 0:
            return status
        n = self.call("tls_last_error_message")
        msg = self.read(self.call("result_ptr"), n).decode("ascii", "replace")
        offset = self.call("tls_last_error_offset")
        raise RuntimeError(f"{what}: {STATUS_NAMES.get(status, status)}: {msg} (offset {offset})")

    def read(self, ptr, length):
        return bytes(self.memory.read(self.store, ptr, ptr + length))

    def result(self, length):
        """Copies `length` bytes out of the module's result buffer."""
        return self.read(self.call("result_ptr"), length)

    def put(self, data):
        """Copies `data` into a fresh module buffer; free it with buf_free."""
        ptr = self.call("buf_alloc", len(data))
        if ptr == 0 and data:
            raise MemoryError("buf_alloc failed")
        self.memory.write(self.store, data, ptr)
        return ptr

    def get_bytes(self, handle, name, *args):
        n = self.call(name, handle, *args)
        if n == ABSENT:
            return None
        return self.result(self.check(n, name))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("wasm")
    ap.add_argument("session", help="a session blob: PEM (SSL SESSION PARAMETERS) or DER")
    ap.add_argument("--now", type=int, help="pin the module's clock (seconds since the epoch)")
    a = ap.parse_args()

    m = TlsSessionWasm(a.wasm, a.now)
    blob = open(a.session, "rb").read()

    # Decode: PEM_read_SSL_SESSION or d2i_SSL_SESSION; the caller owns one reference.
    pem = b"-----BEGIN " in blob
    p = m.put(blob)
    try:
        s = m.check(m.call("PEM_read_SSL_SESSION" if pem else "d2i_SSL_SESSION", p, len(blob)), "decode")
    finally:
        m.call("buf_free", p)

    session_id = m.get_bytes(s, "SSL_SESSION_get_id")
    version = m.check(m.call("SSL_SESSION_get_protocol_version", s), "version")
    cipher = m.call("SSL_SESSION_get_cipher", s)
    cipher_name = None
    if cipher != ABSENT:
        cipher_name = m.get_bytes(cipher, "tls_cipher_name").decode("ascii")
    hostname = m.get_bytes(s, "SSL_SESSION_get0_hostname")
    alpn = m.get_bytes(s, "SSL_SESSION_get0_alpn_selected")
    start, timeout = m.call("SSL_SESSION_get_time", s), m.call("SSL_SESSION_get_timeout", s)
    fresh = m.check(m.call("SSL_SESSION_new"), "SSL_SESSION_new")
    fresh_time = m.call("SSL_SESSION_get_time", fresh)  # the host's clock (pinned with --now)
    m.check(m.call("SSL_SESSION_free", fresh), "free")
    n = m.check(m.call("i2d_SSL_SESSION", s), "i2d")
    der = m.result(n)
    m.call("result_wipe")  # the DER holds the master key

    # The cache: SSL_CTX_new, add, has, get (a new reference), remove.
    ctx = m.check(m.call("SSL_CTX_new"), "SSL_CTX_new")
    added = m.check(m.call("SSL_CTX_add_session", ctx, s), "add")
    idp = m.put(session_id)
    has = m.check(m.call("SSL_has_matching_session_id", ctx, version, idp, len(session_id)), "has")
    got = m.check(m.call("tls_ctx_get_session", ctx, version, idp, len(session_id)), "get")
    number = m.check(m.call("SSL_CTX_sess_number", ctx), "number")
    got_der = m.result(m.check(m.call("i2d_SSL_SESSION", got), "i2d"))
    m.call("result_wipe")
    same_object = got == s
    m.check(m.call("SSL_SESSION_free", got), "free")
    removed = m.check(m.call("SSL_CTX_remove_session", ctx, s), "remove")
    has_after = m.check(m.call("SSL_has_matching_session_id", ctx, version, idp, len(session_id)), "has")
    m.call("buf_free", idp)
    m.check(m.call("SSL_CTX_free", ctx), "SSL_CTX_free")

    # The client's side of SSL_set_session. The host offers the session; the connection holds a
    # reference to it until the handshake decides. The server's answer does not resume it (its
    # ServerHello names another id), so the host calls tls_ssl_new_session, which replaces and
    # releases the offered session, as SSL_connect does inside libssl; then it fills the new
    # session from the handshake and calls tls_ssl_handshake_done, which caches it client side.
    refs = lambda h: m.call("tls_session_get_int", h, SessionInt.REFERENCES)
    cctx = m.check(m.call("SSL_CTX_new"), "SSL_CTX_new")
    m.check(m.call("SSL_CTX_set_session_cache_mode", cctx, CacheMode.CLIENT), "mode")
    ssl = m.check(m.call("SSL_new", cctx, 0), "SSL_new")
    m.check(m.call("SSL_set_session", ssl, s), "SSL_set_session")
    refs_offered = refs(s)
    m.check(m.call("tls_ssl_handshake_start", ssl, version), "handshake_start")
    m.check(m.call("tls_ssl_set_reused", ssl, 0), "set_reused")  # ServerHello: not resumed
    new = m.check(m.call("tls_ssl_new_session", ssl, 0), "new_session")
    refs_after_new = refs(s)
    server_id = bytes(range(1, 33))  # the id the ServerHello carried
    sp = m.put(server_id)
    m.check(m.call("SSL_SESSION_set1_id", new, sp, len(server_id)), "set1_id")
    m.call("buf_free", sp)
    m.check(m.call("SSL_SESSION_set_protocol_version", new, version), "set_protocol_version")
    if cipher != ABSENT:
        m.check(m.call("SSL_SESSION_set_cipher", new, cipher & 0xffff), "set_cipher")
    mk = os.urandom(48)  # the master secret the handshake derived
    kp = m.put(mk)
    m.check(m.call("SSL_SESSION_set1_master_key", new, kp, len(mk)), "set1_master_key")
    m.call("buf_free", kp)
    m.check(m.call("tls_ssl_handshake_done", ssl, 0), "handshake_done")
    client = {
        "offeredReferencesWhileOffered": refs_offered,
        "offeredReferencesAfterNewSession": refs_after_new,
        "sessionIsNew": m.call("SSL_get_session", ssl) == new and new != s,
        "reused": m.check(m.call("SSL_session_reused", ssl), "reused"),
        "newSessionResumable": m.check(m.call("SSL_SESSION_is_resumable", new), "is_resumable"),
        "clientCacheNumber": m.check(m.call("SSL_CTX_sess_number", cctx), "number"),
    }
    m.check(m.call("SSL_set_shutdown", ssl, Shutdown.SENT), "set_shutdown")  # closed cleanly
    m.check(m.call("SSL_free", ssl), "SSL_free")
    m.check(m.call("SSL_CTX_free", cctx), "SSL_CTX_free")
    left = m.check(m.call("SSL_SESSION_free", s), "free")

    print(json.dumps({
        "imports": m.imports,
        "session": {
            "protocolVersion": version,
            "cipher": cipher_name,
            "cipherId": None if cipher == ABSENT else f"{cipher & 0xffff:04X}",
            "sessionId": session_id.hex(),
            "hostname": None if hostname is None else hostname.decode(),
            "alpn": None if alpn is None else alpn.hex(),
            "time": start,
            "timeout": timeout,
            "der": der.hex(),
        },
        "cache": {
            "added": added, "hasAfterAdd": has, "number": number, "sameObject": same_object,
            "roundTripIdentical": got_der == der, "removed": removed, "hasAfterRemove": has_after,
        },
        "client": client,
        "newSessionTime": fresh_time,
        "referencesLeft": left,
        "handlesLive": m.call("tls_handles_live"),
    }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
