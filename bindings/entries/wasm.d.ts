// A `.wasm` import in Workers (and bundlers configured for it) yields a compiled module.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
