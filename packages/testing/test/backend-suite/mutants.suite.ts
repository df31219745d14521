// The backend suite run against cpu backends with one planted bug each, and with options that do or do not
// excuse it; backend-suite.test.ts checks that exactly the tests that should catch each bug fail.
import { type CpuBackend, createCpuBackend } from '@mg/backend-cpu';
import type { Backend, PrimitiveKernels } from '@mg/core';
import { describeBackendKernels } from '../../src/backend-suite/index.js';

/** A cpu backend with some kernels replaced (each replacement builds on the original backend). */
function mutant(name: string, replace: (base: CpuBackend) => Partial<PrimitiveKernels>): () => Backend {
  return () => {
    const base = createCpuBackend();
    return { ...base, name, kernels: { ...base.kernels, ...replace(base) } };
  };
}

/** Skips every test but the ones at these paths. */
const only = (...paths: string[]) => {
  const escaped = paths.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return [new RegExp(`^(?!(${escaped.join('|')})$)`)];
};

// float64 exp one ulp above Math.exp (the cpu backend's readSync hands out its own array to nudge).
const ulpOff = mutant('exp one ulp off', (base) => ({
  unary: (op, x, out) => {
    const id = base.kernels.unary(op, x, out);
    if (op === 'exp' && out.dtype === 'float64') {
      // The next double up: one more in the bits of a positive finite value.
      const bits = new BigInt64Array(base.readSync(id).buffer);
      for (let i = 0; i < bits.length; i++) if (bits[i] > 0n && bits[i] < 0x7ff0000000000000n) bits[i]++;
    }
    return id;
  },
}));

// transpose allocates a scratch buffer it never frees.
const leaky = mutant('leaky transpose', ({ kernels }) => ({
  transpose: (x, perm, out) => {
    kernels.fill(0, { shape: [1], dtype: 'float64' });
    return kernels.transpose(x, perm, out);
  },
}));

// cast to the same dtype hands back its input.
const aliasing = mutant('aliasing cast', ({ kernels }) => ({
  cast: (x, out) => (x.dtype === out.dtype ? x.dataId : kernels.cast(x, out)),
}));

describeBackendKernels('exp one ulp off', ulpOff, { skip: only('unary > exp float64') });
describeBackendKernels('exp one ulp off, one ulp allowed', ulpOff, {
  tolerance: { transcendentalUlps: 1 },
  skip: only('unary > exp float64'),
});
describeBackendKernels('leaky transpose', leaky, { skip: only('transpose > float64', 'slice > float64') });
describeBackendKernels('aliasing cast', aliasing, {
  skip: only(
    'kernel outputs > cast to the same dtype returns a new buffer',
    'kernel outputs > full slice returns a new buffer',
  ),
});
describeBackendKernels('skip typo', () => createCpuBackend(), {
  skip: ['unray', ...only('backend > has a name and every primitive kernel')],
});
