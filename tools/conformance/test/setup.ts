// Activates the CPU backend from the built packages, as the CLI does.
import * as core from '@mg/core';
import { importLoader } from '../src/resolve.js';
import { activateBackend, type CoreModule } from '../src/run.js';

const problem = await activateBackend('cpu', core as unknown as CoreModule, importLoader());
if (problem !== null) throw new Error(`conformance tests need the cpu backend: ${problem}`);
