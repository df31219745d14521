// Registers and selects the backend the suite runs on, as a user of the plugin would: cpu, or wasm with
// MG_BACKEND=wasm (the `test` script runs the suite once per backend). cpu is registered in both runs, for
// the tests that switch backends.
import { cpu } from '@mg/backend-cpu';
import { registerBackend, setBackend } from '@mg/core';

registerBackend(cpu());
if (process.env.MG_BACKEND === 'wasm') {
  await import('@mg/backend-wasm/register');
  await setBackend('wasm');
} else await setBackend('cpu');
