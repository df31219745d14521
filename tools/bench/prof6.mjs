import { tensor } from '@mg/core';
import '@mg/backend-cpu/register';
import { elu } from '@mg/activations';
const n = 1_000_000;
const v = new Float32Array(n); for (let i = 0; i < n; i++) v[i] = Math.random() * 6 - 3;
const xc = tensor(v, { dtype: 'float32', constant: true });
const x = tensor(v, { dtype: 'float32' });
const fns = {
  'elu fwd': () => { elu(xc, 1).dispose(); },
  'elu fwd+bwd': () => { const y = elu(x, 1); y.backward(); y.dispose(); x.grad.dispose(); x.nullGrad(); },
};
const ts = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
for (let r = 0; r < 30; r++) for (const [k, f] of Object.entries(fns)) { await new Promise((res) => setImmediate(res)); const t0 = performance.now(); f(); ts[k].push(performance.now() - t0); }
for (const [k, t] of Object.entries(ts)) { t.sort((a, b) => a - b); console.log(k.padEnd(20), t[15].toFixed(3), t[2].toFixed(3)); }
