// Side-effect entry: `import '@mg/backend-cpu/register'` registers a cpu backend with @mg/core.
import { registerBackend } from '@mg/core';
import { cpu } from './index.js';

registerBackend(cpu());
