// as-pect: unit tests of the AssemblyScript code, compiled with as-pect's own runtime.
// The module under test imports WASI randomness and clock; supply them from node:crypto and Date.
import { randomFillSync } from "node:crypto";

export default {
  entries: ["tests/assembly/**/*.spec.ts"],
  include: ["node_modules/@as-pect/assembly/assembly/index.ts"],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    let exports;
    const mem = () => new Uint8Array((exports?.memory ?? memory).buffer);
    const wasi = {
      random_get(ptr, len) {
        randomFillSync(mem(), ptr, len);
        return 0;
      },
      clock_time_get(id, precision, out) {
        new DataView(mem().buffer).setBigUint64(out, BigInt(Date.now()) * 1000000n, true);
        return 0;
      },
    };
    const result = await instantiate(
      binary,
      createImports({ env: { memory }, wasi_snapshot_preview1: wasi }),
    );
    exports = result.instance?.exports ?? result.exports;
    return result;
  },
  outputBinary: false,
};
