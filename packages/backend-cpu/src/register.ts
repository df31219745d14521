// Side-effect entry: `import '@mg/backend-cpu/register'` registers a cpu backend with @mg/core.
// @ts-expect-error registerBackend is not in the current @mg/core build yet; delete this line once it is.
import { registerBackend } from '@mg/core';
import { cpu } from './index.js';

registerBackend(cpu());
