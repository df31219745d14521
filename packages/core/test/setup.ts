// Registers the backend core's tests run on (from source): cpu, or wasm with MG_BACKEND=wasm, so the same
// suite checks both (the package's test script runs it once per backend).
import { cpu } from '@mg/backend-cpu';
import { type Backend, registerBackend, setBackend } from '../src/index.js';

registerBackend(cpu());
if (process.env.MG_BACKEND === 'wasm') {
  // Resolved by vitest's alias to the wasm backend's sources; kept out of core's type-check (its sources import
  // .wasm files and DOM types that core's tsconfig does not have).
  const specifier = '@mg/backend-wasm';
  const { wasm } = (await import(/* @vite-ignore */ specifier)) as { wasm(): Backend };
  registerBackend(wasm());
  await setBackend('wasm');
} else await setBackend('cpu');
