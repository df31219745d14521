// The kernel module, inlined into the bundle as bytes (tsup's binary loader; a vite plugin in the tests).
declare module '*.wasm' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
