// Registers and selects the cpu backend for the plugin's tests, as a user of the plugin would.
import { cpu } from '@mg/backend-cpu';
import { registerBackend, setBackend } from '@mg/core';

registerBackend(cpu());
await setBackend('cpu');
