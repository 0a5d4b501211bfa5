// Unit tests of the SHA-2 / HMAC / HKDF / X25519 cores called directly (no ABI): FIPS 180-4
// examples, a streamed input split at every position, RFC 4231 case 2, RFC 5869 case 1, RFC 7748 §5.2.
import { sha256Init, sha256Update, sha256FinalN, SHA256_CTX_SIZE } from "../../assembly/crypto/sha256";
import { HASH_SHA256, HASH_SHA384, hashOnce } from "../../assembly/crypto/hash";
import { hmac } from "../../assembly/crypto/hmac";
import { hkdfExtract, hkdfExpand } from "../../assembly/crypto/hkdf";
import { x25519 } from "../../assembly/crypto/x25519";

/** Hash id 3 of the ABI (crypto/hash.ts): SHA-512. */
const HASH_SHA512: i32 = 3;

const ABC = memory.data<u8>([0x61, 0x62, 0x63]);
const OUT = memory.data(64);
const OUT2 = memory.data(64);
const CTX = memory.data(<i32>SHA256_CTX_SIZE);
const MSG = memory.data(300);

function hexOf(p: usize, n: usize): string {
  let s = "";
  for (let i: usize = 0; i < n; i++) {
    const b = load<u8>(p + i);
    s += (b < 16 ? "0" : "") + b.toString(16);
  }
  return s;
}

function fromHex(p: usize, h: string): usize {
  for (let i = 0; i < h.length; i += 2) store<u8>(p + usize(i >> 1), <u8>I32.parseInt(h.substr(i, 2), 16));
  return <usize>(h.length >> 1);
}

describe("SHA-2", () => {
  it('FIPS 180-4 "abc"', () => {
    hashOnce(HASH_SHA256, ABC, 3, OUT);
    expect<string>(hexOf(OUT, 32)).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    hashOnce(HASH_SHA384, ABC, 3, OUT);
    expect<string>(hexOf(OUT, 48)).toBe(
      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
    );
    hashOnce(HASH_SHA512, ABC, 3, OUT);
    expect<string>(hexOf(OUT, 64)).toBe(
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    );
  });
  it("streaming equals one-shot at every split of 300 bytes", () => {
    for (let i: usize = 0; i < 300; i++) store<u8>(MSG + i, <u8>(i * 7));
    hashOnce(HASH_SHA256, MSG, 300, OUT);
    for (let cut: usize = 0; cut <= 300; cut++) {
      sha256Init(CTX);
      sha256Update(CTX, MSG, cut);
      sha256Update(CTX, MSG + cut, 300 - cut);
      sha256FinalN(CTX, OUT2, 8);
      expect<i32>(memory.compare(OUT, OUT2, 32)).toBe(0);
    }
  });
});

const KEY = memory.data(64);
const DATA = memory.data(64);

describe("HMAC and HKDF", () => {
  it("RFC 4231 case 2 (HMAC-SHA-256)", () => {
    const kl = fromHex(KEY, "4a656665");
    const dl = fromHex(DATA, "7768617420646f2079612077616e7420666f72206e6f7468696e673f");
    hmac(1, KEY, kl, DATA, dl, OUT);
    expect<string>(hexOf(OUT, 32)).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });
  it("RFC 5869 case 1", () => {
    const il = fromHex(KEY, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    const sl = fromHex(DATA, "000102030405060708090a0b0c");
    hkdfExtract(1, DATA, sl, KEY, il, OUT);
    expect<string>(hexOf(OUT, 32)).toBe("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    const nl = fromHex(DATA, "f0f1f2f3f4f5f6f7f8f9");
    expect<bool>(hkdfExpand(1, OUT, 32, DATA, nl, MSG, 42)).toBe(true);
    expect<string>(hexOf(MSG, 42)).toBe(
      "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
    );
    expect<bool>(hkdfExpand(1, OUT, 32, DATA, nl, MSG, 255 * 32 + 1)).toBe(false);
  });
});

describe("X25519", () => {
  it("RFC 7748 §5.2 vector 1", () => {
    fromHex(KEY, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
    fromHex(DATA, "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
    expect<bool>(x25519(OUT, KEY, DATA)).toBe(true);
    expect<string>(hexOf(OUT, 32)).toBe("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
  });
  it("an all-zero result (u = 0) is reported", () => {
    memory.fill(DATA, 0, 32);
    expect<bool>(x25519(OUT, KEY, DATA)).toBe(false);
  });
});
