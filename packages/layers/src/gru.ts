// gru: MyGrad's nnet.layers.gru (without truncated back-propagation or dropout), composed through time of public
// mg functions; its gradients are those of the composition, which MyGrad's hand-written backward computes too.
import { sigmoid } from '@mg/activations';
import {
  add,
  asInput,
  MgNotImplementedError,
  MgValueError,
  matmul,
  multiply,
  type OpOptions,
  resultType,
  stack,
  subtract,
  type Tensor,
  type TensorLike,
  tanh,
  zeros,
} from '@mg/core';

/** Options of `gru`. */
export interface GruOptions extends OpOptions {
  /** The initial hidden state, shape (N, D) (default zeros); a constant (MyGrad refuses a non-constant tensor). */
  readonly s0?: TensorLike | null;
  /** MyGrad's truncated back-propagation limit: only the full limit (T - 1) or none is supported. */
  readonly bpLim?: number | null;
  /** MyGrad's dropout probability: only 0 is supported. */
  readonly dropout?: number;
}

/**
 * A gated recurrent unit over a sequence: for t = 1…T,
 * `z = σ(X_t Uz + s Wz + bz)`, `r = σ(X_t Ur + s Wr + br)`, `h = tanh(X_t Uh + (r·s) Wh + bh)`,
 * `s ← (1 - z)·h + z·s`. Gradients reach X and every weight and bias.
 *
 * @param X - The sequence, shape (T, N, C).
 * @param Uz - Shape (C, D). (Uz, Wz, bz: the update gate; Ur, Wr, br: the reset gate; Uh, Wh, bh: the candidate.)
 * @param Wz - Shape (D, D).
 * @param bz - Shape (D,).
 * @param Ur - Shape (C, D).
 * @param Wr - Shape (D, D).
 * @param br - Shape (D,).
 * @param Uh - Shape (C, D).
 * @param Wh - Shape (D, D).
 * @param bh - Shape (D,).
 * @param options - `s0`, `bpLim`, `dropout` (see GruOptions); `constant`: force the output's constant flag.
 * @returns The hidden states, shape (T + 1, N, D): s0 first.
 * @throws MgValueError for a non-constant `s0` tensor; MgNotImplementedError for `dropout` > 0 or a `bpLim`
 *   below T - 1.
 * @example
 * ```ts
 * const X = tensor([[[1]], [[0]]]); // T = 2, N = 1, C = 1
 * const w = tensor([[0.5]]);
 * const b = tensor([0]);
 * const s = gru(X, w, w, b, w, w, b, w, w, b);
 * s.shape; // [3, 1, 1]
 * s.toArray(); // [[[0]], [[0.17446802061504182]], [[0.1127885305761506]]]
 * ```
 */
export function gru(
  X: TensorLike,
  Uz: TensorLike,
  Wz: TensorLike,
  bz: TensorLike,
  Ur: TensorLike,
  Wr: TensorLike,
  br: TensorLike,
  Uh: TensorLike,
  Wh: TensorLike,
  bh: TensorLike,
  options: GruOptions = {},
): Tensor {
  const op = 'gru';
  const { s0, bpLim, dropout = 0, constant } = options;
  const seq = asInput(X);
  const [T, N] = seq.shape as [number, number, number];
  if (dropout !== 0) throw new MgNotImplementedError(`${op}: dropout is not implemented (got ${dropout})`);
  if (bpLim !== null && bpLim !== undefined && bpLim < T - 1) {
    throw new MgNotImplementedError(
      `${op}: truncated back-propagation (bpLim ${bpLim} < T - 1) is not implemented`,
    );
  }
  const params = [Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh].map(asInput);
  const [uz, wz, bzT, ur, wr, brT, uh, wh, bhT] = params as [
    Tensor,
    Tensor,
    Tensor,
    Tensor,
    Tensor,
    Tensor,
    Tensor,
    Tensor,
    Tensor,
  ];
  const D = bzT.shape[0]!;
  const dtype = resultType([seq, ...params].map((t) => ({ dtype: t.dtype, scalar: false })));
  let s: Tensor;
  if (s0 === null || s0 === undefined) s = zeros([N, D], { dtype });
  else {
    const given = asInput(s0);
    if (!given.constant && constant !== true) {
      throw new MgValueError(
        `${op}: GRU does not support non-constant tensors for the initial hidden state value, \`s0\``,
      );
    }
    s = given;
  }
  const states = [s];
  for (let t = 0; t < T; t++) {
    const x = seq.getitem(t);
    const z = sigmoid(add(add(matmul(x, uz), matmul(s, wz)), bzT));
    const r = sigmoid(add(add(matmul(x, ur), matmul(s, wr)), brT));
    const h = tanh(add(add(matmul(x, uh), matmul(multiply(r, s), wh)), bhT));
    s = add(multiply(subtract(1, z), h), multiply(z, s));
    states.push(s);
  }
  return stack(states, { axis: 0, constant });
}
