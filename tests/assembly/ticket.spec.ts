// Unit tests of assembly/ticket/: the format's limits, sealing and opening on raw memory with a known
// 80-byte key, each refusal reason in its order, and the derived ring's epoch window.
import { MAX_TICKET_LEN, MIN_TICKET_LEN, Reason, ticketLen } from "../../assembly/ticket/format";
import {
  Keyring,
  ringNew,
  ringFree,
  ringAdd,
  ringTick,
  ringSetSecret,
  keyAt,
} from "../../assembly/ticket/keyring";
import { OpenedTicket, sealInPlace, openPlain, wipePlain } from "../../assembly/ticket/seal";

const KEY = memory.data(80);
const BUF = memory.data(512);
const MSG = memory.data(200);
const opened = changetype<OpenedTicket>(memory.data(offsetof<OpenedTicket>()));

function known(): Keyring {
  for (let i = 0; i < 80; i++) store<u8>(KEY + i, <u8>i);
  const r = ringNew()!;
  ringAdd(r, KEY, 80, 0, true);
  return r;
}

describe("ticket format", () => {
  it("limits follow OpenSSL's 0xFF00-byte session cap", () => {
    expect(MAX_TICKET_LEN).toBe(<usize>65360);
    expect(MIN_TICKET_LEN).toBe(<usize>80);
    expect(ticketLen(0)).toBe(<usize>80);
    expect(ticketLen(15)).toBe(<usize>80);
    expect(ticketLen(16)).toBe(<usize>96);
  });
});

describe("seal and open", () => {
  it("round-trips every length from 0 to 150 bytes", () => {
    const r = known();
    for (let n: usize = 0; n <= 150; n++) {
      for (let i: usize = 0; i < n; i++) store<u8>(MSG + i, <u8>(i * 7 + n));
      memory.copy(BUF + 32, MSG, n);
      const len = sealInPlace(keyAt(r, 0), BUF, n);
      expect(len).toBe(ticketLen(n));
      expect(memory.compare(BUF, KEY, 16)).toBe(0);
      expect(openPlain(opened, r, BUF, len)).toBe(Reason.OK);
      expect(opened.key).toBe(0);
      expect(opened.plainLen).toBe(n);
      expect(memory.compare(opened.plainPtr, MSG, n)).toBe(0);
      wipePlain(opened);
      expect(opened.plainLen).toBe(<usize>0);
      if (n > 0) expect(load<u8>(opened.plainPtr + n - 1)).toBe(<u8>0, "the plaintext is wiped");
    }
    ringFree(r);
  });

  it("refuses in order: length, name, MAC", () => {
    const r = known();
    memory.fill(BUF + 32, 0x41, 40);
    const len = sealInPlace(keyAt(r, 0), BUF, 40);
    expect(openPlain(opened, r, BUF, MAX_TICKET_LEN + 1)).toBe(Reason.TOO_LONG);
    expect(openPlain(opened, r, BUF, len - 1)).toBe(Reason.BAD_LENGTH);
    expect(openPlain(opened, r, BUF, 79)).toBe(Reason.BAD_LENGTH);
    store<u8>(BUF + 40, load<u8>(BUF + 40) ^ 1);
    expect(openPlain(opened, r, BUF, len)).toBe(Reason.BAD_MAC);
    store<u8>(BUF + 40, load<u8>(BUF + 40) ^ 1);
    store<u8>(BUF, load<u8>(BUF) ^ 1);
    expect(openPlain(opened, r, BUF, len)).toBe(Reason.UNKNOWN_KEY);
    store<u8>(BUF, load<u8>(BUF) ^ 1);
    expect(openPlain(opened, r, BUF, len)).toBe(Reason.OK);
    wipePlain(opened);
    ringFree(r);
  });
});

describe("derived ring", () => {
  it("holds e+1, e and the epochs still within the lifetime", () => {
    const r = ringNew()!;
    r.period = 100;
    r.lifetime = 250;
    ringSetSecret(r, KEY, 32);
    r.derived = true;
    expect(ringTick(r, 1000050)).toBe(4); // e+1, e, e-1, e-2
    expect(ringTick(r, 1000099)).toBe(4);
    expect(ringTick(r, 1000150)).toBe(4);
    r.lifetime = 100;
    expect(ringTick(r, 1000150)).toBe(3); // e+1, e, e-1
    ringFree(r);
  });
});
