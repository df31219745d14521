// Registers and activates the CPU backend (from source) for the kit's tests.
import { cpu } from '@mg/backend-cpu';
import { registerBackend, setBackend } from '@mg/core';

registerBackend(cpu());
await setBackend('cpu');
