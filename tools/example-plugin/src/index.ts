// @mg/example-plugin: a third-party op plugin for mg — gelu and silu as ops with composites and fused cpu and
// wasm kernels, built only on @mg/core's public API.
export { Gelu, gelu } from './gelu.js';
export { Silu, silu } from './silu.js';
