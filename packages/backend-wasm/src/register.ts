// Side-effect entry: `import '@mg/backend-wasm/register'` registers the wasm backend with @mg/core; select it
// with `await setBackend('wasm')` (its module is instantiated asynchronously).
import { registerBackend } from '@mg/core';
import { wasm } from './index.js';

registerBackend(wasm());
