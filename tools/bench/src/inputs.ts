// Seeded inputs: every contender gets bit-identical float32 values (the float64 contender gets them widened).

/** A named input array and its shape. */
export interface Input {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

/** A workload's inputs by name. */
export type Inputs = Readonly<Record<string, Input>>;

/** mulberry32: a small, fast, seedable PRNG; returns floats in [0, 1). */
export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [low, high), rounded to float32, of the given shape. */
export function uniform(random: () => number, shape: readonly number[], low: number, high: number): Input {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = low + (high - low) * random();
  return { values, shape };
}

/** A one-hot matrix (rows × classes) of uniformly drawn labels. */
export function oneHot(random: () => number, rows: number, classes: number): Input {
  const values = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) values[r * classes + Math.floor(random() * classes)] = 1;
  return { values, shape: [rows, classes] };
}

/** The input called `name`, or an error naming the workload's inputs. */
export function need(inputs: Inputs, name: string): Input {
  const input = inputs[name];
  if (!input) throw new Error(`workload input '${name}' missing (have ${Object.keys(inputs).join(', ')})`);
  return input;
}
