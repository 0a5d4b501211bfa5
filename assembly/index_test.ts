// The test build: the shipped module's exports plus hooks that only tests use
// (build/out/tls_session_test.wasm).
export * from "./index";
export * from "./abi/test_hooks";
