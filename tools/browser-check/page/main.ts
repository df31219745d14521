// The page's entry: selects the wasm backend (bytes inlined in the package, no loader config) and publishes
// the forward+backward result, or the error, on <body> for the test to read.
import '@mg/backend-wasm/register';
import { setBackend } from '@mg/core';
import { forwardBackward } from './compute.js';

// Attempts to compile strings that a strict CSP blocks (a caught EvalError logs nothing by itself).
const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (event) => {
  violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
  document.body.dataset.violations = JSON.stringify(violations);
});

try {
  await setBackend('wasm');
  document.body.dataset.result = JSON.stringify(forwardBackward());
} catch (error) {
  console.error(error);
  document.body.dataset.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
