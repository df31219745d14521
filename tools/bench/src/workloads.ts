// The benchmark workloads (from the peers' comparison), their seeded inputs and mg's speed targets.
import { type Inputs, oneHot, rng, uniform } from './inputs.js';

/** The contenders, in table order. */
export const CONTENDER_IDS = ['mg-cpu-f32', 'mg-cpu-f64', 'mg-wasm', 'tfjs-cpu', 'tfjs-wasm'] as const;
export type ContenderId = (typeof CONTENDER_IDS)[number];

/** A speed target: peer median / mg median must be at least `min` (mg-cpu f32 against tfjs-cpu, mg-wasm against tfjs-wasm). */
export interface Target {
  readonly peer: 'tfjs-cpu' | 'tfjs-wasm';
  readonly min: number;
}

/** The mg contender a peer is compared with: same dtype (float32), same kind of backend. */
export const MG_COUNTERPART: Readonly<Record<Target['peer'], ContenderId>> = {
  'tfjs-cpu': 'mg-cpu-f32',
  'tfjs-wasm': 'mg-wasm',
};

export const WORKLOAD_IDS = [
  'elu-fwd',
  'elu-fwd-bwd',
  'sum',
  'softmax',
  'matmul-128',
  'matmul-256',
  'matmul-512',
  'matmul-1024',
  'matmul-512-fwd-bwd',
  'broadcast-add-fwd-bwd',
  'mlp-step',
  'tiny-add-bwd',
] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

/** A workload: what it computes is implemented per contender (mg.ts, tfjs.ts) from these inputs. */
export interface WorkloadSpec {
  readonly id: WorkloadId;
  /** The table's row label. */
  readonly title: string;
  /** What one timed repetition does, for the README and --list. */
  readonly description: string;
  readonly targets: readonly Target[];
  /** Not run with --quick. */
  readonly skipInQuick?: boolean;
  /** Operations per repetition, when a per-op time is worth reporting (µs/op). */
  readonly opsPerRun?: number;
  /** Floating-point operations per repetition, when a throughput is worth reporting (GFLOP/s). */
  readonly flops?: number;
  /** Builds the seeded inputs. */
  readonly inputs: () => Inputs;
}

/** Matrix sizes of the matmul forward workloads. */
const MATMUL_SIZES = [128, 256, 512, 1024] as const;

/** MLP step shapes: batch 128, 784 → 256 (ELU) → 10 classes. */
export const MLP = { batch: 128, inputs: 784, hidden: 256, classes: 10, learningRate: 0.1 } as const;

/** Iterations of the tiny-add workload. */
export const TINY_ADDS = 10_000;

const ELU_SIZE = 1_000_000;

function matmulInputs(n: number, seed: number): Inputs {
  const random = rng(seed);
  return { a: uniform(random, [n, n], -1, 1), b: uniform(random, [n, n], -1, 1) };
}

function mlpInputs(): Inputs {
  const random = rng(7);
  const { batch, inputs, hidden, classes } = MLP;
  // Glorot-uniform weights keep the logits in a sensible range, so the loss and gradients are well scaled.
  const limit1 = Math.sqrt(6 / (inputs + hidden));
  const limit2 = Math.sqrt(6 / (hidden + classes));
  return {
    x: uniform(random, [batch, inputs], 0, 1),
    onehot: oneHot(random, batch, classes),
    w1: uniform(random, [inputs, hidden], -limit1, limit1),
    b1: uniform(random, [hidden], -0.1, 0.1),
    w2: uniform(random, [hidden, classes], -limit2, limit2),
    b2: uniform(random, [classes], -0.1, 0.1),
  };
}

const cpu = (min: number): Target => ({ peer: 'tfjs-cpu', min });
const wasm = (min: number): Target => ({ peer: 'tfjs-wasm', min });

/** Every workload, in table order. */
export const WORKLOADS: readonly WorkloadSpec[] = [
  {
    id: 'elu-fwd',
    title: 'ELU forward, 1M',
    description: 'elu(x, alpha=1) of 1,000,000 float values in [-3, 3), result read back.',
    targets: [],
    inputs: () => ({ x: uniform(rng(1), [ELU_SIZE], -3, 3) }),
  },
  {
    id: 'elu-fwd-bwd',
    title: 'ELU forward+backward, 1M',
    description: 'y = elu(x, 1); y.backward() (upstream ones); x.grad read back.',
    targets: [cpu(2), wasm(2)],
    inputs: () => ({ x: uniform(rng(1), [ELU_SIZE], -3, 3) }),
  },
  {
    id: 'sum',
    title: 'sum of 1M',
    description: 'sum of 1,000,000 values in [0, 1) to a scalar, read back.',
    targets: [],
    inputs: () => ({ x: uniform(rng(2), [ELU_SIZE], 0, 1) }),
  },
  {
    id: 'softmax',
    title: 'softmax 1000×1000, last axis',
    description: 'softmax over the last axis of a 1000×1000 matrix of values in [-3, 3), result read back.',
    targets: [cpu(10), wasm(1)],
    inputs: () => ({ x: uniform(rng(3), [1000, 1000], -3, 3) }),
  },
  ...MATMUL_SIZES.map(
    (n): WorkloadSpec => ({
      id: `matmul-${n}` as WorkloadId,
      title: `matmul ${n}×${n} forward`,
      description: `a @ b of two ${n}×${n} matrices of values in [-1, 1), result read back.`,
      targets: n === 512 ? [cpu(3), wasm(1)] : [],
      skipInQuick: n === 1024,
      flops: 2 * n ** 3,
      inputs: () => matmulInputs(n, 10 + n),
    }),
  ),
  {
    id: 'matmul-512-fwd-bwd',
    title: 'matmul 512 forward+backward',
    description: 'c = a @ b (512×512); c.backward() (upstream ones); a.grad and b.grad read back.',
    targets: [wasm(8)],
    flops: 3 * 2 * 512 ** 3,
    inputs: () => matmulInputs(512, 20),
  },
  {
    id: 'broadcast-add-fwd-bwd',
    title: '(1000,1000)+(1000,) add, fwd+bwd',
    description: 'c = a + b with b broadcast along rows; c.backward(); a.grad and b.grad read back.',
    targets: [],
    inputs: () => {
      const random = rng(4);
      return { a: uniform(random, [1000, 1000], -1, 1), b: uniform(random, [1000], -1, 1) };
    },
  },
  {
    id: 'mlp-step',
    title: 'MLP training step (128, 784→256→10)',
    description:
      'h = elu(x @ W1 + b1); logits = h @ W2 + b2; loss = -mean(sum(onehot * logSoftmax(logits), axis 1)); ' +
      'backward; p - 0.1 * p.grad for the 4 parameters without recording; loss read back (updated parameters ' +
      'are checked, untimed).',
    targets: [cpu(2.5), wasm(4)],
    inputs: mlpInputs,
  },
  {
    id: 'tiny-add-bwd',
    title: '10,000 × (size-4 add + backward)',
    description:
      '10,000 times: z = x + y of two size-4 tensors; z.backward(). The last z, x.grad and y.grad read back.',
    targets: [cpu(3.5)],
    opsPerRun: TINY_ADDS,
    inputs: () => {
      const random = rng(5);
      return { x: uniform(random, [4], -1, 1), y: uniform(random, [4], -1, 1) };
    },
  },
];

/**
 * The workloads matching one of `filters` (case-insensitive; a filter may list several, comma separated): a
 * filter equal to an id selects that workload only, otherwise every workload whose id or title contains it.
 * No filters: every workload.
 */
export function selectWorkloads(all: readonly WorkloadSpec[], filters: readonly string[]): WorkloadSpec[] {
  const needles = filters
    .flatMap((f) => f.split(','))
    .map((f) => f.trim().toLowerCase())
    .filter((f) => f !== '');
  if (needles.length === 0) return [...all];
  const matches = (w: WorkloadSpec, n: string): boolean =>
    all.some((x) => x.id === n) ? w.id === n : w.id.includes(n) || w.title.toLowerCase().includes(n);
  return all.filter((w) => needles.some((n) => matches(w, n)));
}
