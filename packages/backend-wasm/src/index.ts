export const placeholder = 'backend-wasm';
