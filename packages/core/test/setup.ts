// Registers and selects the CPU backend (from source) for core's tests.
import { cpu } from '@mg/backend-cpu';
import { registerBackend, setBackend } from '../src/index.js';

registerBackend(cpu());
await setBackend('cpu');
