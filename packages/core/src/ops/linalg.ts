// Matrix products: matmul (NumPy's semantics: 1-D promotion, broadcast batch dimensions) with graph-free
// gradients on the matmul kernel, multiMatmul (a chain of matmuls in the cheapest order) and einsum.
import type { DataId, PrimitiveKernels, TensorInfo } from '../backend.js';
import { type DType, isFloat, promoteTypes, resultType } from '../dtype.js';
import { asInput, executeOp } from '../engine.js';
import { describe, MgTypeError, MgValueError, ShapeError } from '../errors.js';
import { type OpAttrs, Operation } from '../operation.js';
import { getBackend, registerOp } from '../registry.js';
import { broadcastShapes, type Shape } from '../shape.js';
import { makeTensor, Tensor, type TensorLike } from '../tensor.js';
import type { OpOptions } from './define.js';
import { castTo, filled, runKernel } from './kernel.js';

declare module '../operation.js' {
  interface OpAttrs {
    'mg.matmul': {};
  }
}

/**
 * How a matmul lays its operands out for the kernel: both promoted to rank >= 2 (a 1-D `a` becomes a row,
 * a 1-D `b` a column) and padded with leading 1s to the same rank; `full` is the kernel's output shape and
 * `out` the result's (the promoted 1s removed again).
 */
interface MatmulPlan {
  readonly a: number[];
  readonly b: number[];
  readonly batch: number[];
  readonly full: number[];
  readonly out: number[];
}

const SIGNATURE = '(n?,k),(k,m?)->(n?,m?)';

function matmulPlan(sa: Shape, sb: Shape): MatmulPlan {
  [sa, sb].forEach((s, i) => {
    if (s.length === 0) {
      throw new MgValueError(
        `matmul: Input operand ${i} does not have enough dimensions (has 0, gufunc core with signature ${SIGNATURE} requires 1)`,
      );
    }
  });
  const a2 = sa.length === 1 ? [1, sa[0]!] : [...sa];
  const b2 = sb.length === 1 ? [sb[0]!, 1] : [...sb];
  const [m, k] = a2.slice(-2) as [number, number];
  const [k2, n] = b2.slice(-2) as [number, number];
  const shapes = `shapes (${sa.join(', ')}) and (${sb.join(', ')})`;
  if (k !== k2) {
    throw new ShapeError(
      `matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature ${SIGNATURE} ` +
        `(size ${k2} is different from ${k}): ${shapes}`,
    );
  }
  let batch: number[];
  try {
    batch = broadcastShapes('matmul', a2.slice(0, -2), b2.slice(0, -2));
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new ShapeError(`matmul: the batch dimensions of ${shapes} could not be broadcast together`);
  }
  const pad = (s: number[]): number[] => [...new Array<number>(batch.length + 2 - s.length).fill(1), ...s];
  const out = [...batch, ...(sa.length > 1 ? [m] : []), ...(sb.length > 1 ? [n] : [])];
  return { a: pad(a2), b: pad(b2), batch, full: [...batch, m, n], out };
}

/**
 * Runs the matmul kernel on `a` and `b` read as `aShape`/`bShape` (same data, other shapes) and wraps its
 * `rawShape` output as a tensor of `shape` (the same size): no reshape copies or shared storage.
 */
function matmulKernel(
  a: Tensor,
  aShape: Shape,
  b: Tensor,
  bShape: Shape,
  transpose: readonly [boolean, boolean],
  rawShape: Shape,
  dtype: DType,
  shape: Shape = rawShape,
): Tensor {
  return runKernel(
    shape,
    dtype,
    (k: PrimitiveKernels, info: (t: Tensor) => TensorInfo): DataId =>
      k.matmul({ ...info(a), shape: aShape }, { ...info(b), shape: bShape }, transpose[0], transpose[1], {
        shape: rawShape,
        dtype,
      }),
  );
}

/** Disposes `t` when it is an intermediate made from `original` (a cast), not `original` itself. */
function release(t: Tensor, original: Tensor): void {
  if (t !== original) t.dispose();
}

class MatMul extends Operation<{}> {
  static readonly id = 'mg.matmul';
  private plan!: MatmulPlan;
  private dtype!: DType;

  forward([a, b]: readonly Tensor[]): Tensor {
    this.plan = matmulPlan(a!.shape, b!.shape);
    const outDtype = promoteTypes(a!.dtype, b!.dtype);
    // The kernel multiplies floats only: ints and bools go through float64 (exact below 2**53) and back.
    this.dtype = isFloat(outDtype) ? outDtype : 'float64';
    const ca = castTo(a!, this.dtype);
    const cb = castTo(b!, this.dtype);
    const { plan } = this;
    const product = matmulKernel(ca, plan.a, cb, plan.b, [false, false], plan.full, this.dtype, plan.out);
    release(ca, a!);
    release(cb, b!);
    if (outDtype === this.dtype) return product;
    const out = castTo(product, outDtype);
    product.dispose();
    return out;
  }

  backwardVar(grad: Tensor, index: number): Tensor {
    const { plan, dtype } = this;
    const input = this.variables[index]!;
    const other = this.variables[1 - index]!;
    const g = castTo(grad, dtype);
    const o = castTo(other, dtype);
    const padded = index === 0 ? plan.a : plan.b;
    const rank = padded.length;
    // ∂/∂a = grad @ bᵀ and ∂/∂b = aᵀ @ grad, read through the kernel's transpose flags (no transposed copy).
    const rawShape = [...plan.batch, padded[rank - 2]!, padded[rank - 1]!];
    const reduce: number[] = [];
    for (let i = 0; i < rank - 2; i++) if (padded[i] === 1 && plan.batch[i] !== 1) reduce.push(i);
    const target = reduce.length === 0 ? input.shape : rawShape;
    const raw =
      index === 0
        ? matmulKernel(g, plan.full, o, plan.b, [false, true], rawShape, dtype, target)
        : matmulKernel(o, plan.a, g, plan.full, [true, false], rawShape, dtype, target);
    release(g, grad);
    release(o, other);
    if (reduce.length === 0) return raw;
    // Sum over the batch dimensions this input was broadcast along, straight into the input's shape.
    const kept = rawShape.filter((_, i) => !reduce.includes(i));
    const summed = runKernel(input.shape, dtype, (k, info) =>
      k.reduce('sum', info(raw), reduce, { shape: kept, dtype }),
    );
    raw.dispose();
    return summed;
  }
}
registerOp(MatMul);

/**
 * The matrix product `x1 @ x2` with NumPy's semantics: 2-D operands multiply as matrices; a 1-D first operand
 * is a row vector and a 1-D second operand a column vector (the added dimension is removed afterwards, so
 * 1-D @ 1-D is a 0-d dot product); higher-rank operands are stacks of matrices whose leading (batch)
 * dimensions broadcast. Integer operands give an int32 result (bool @ bool gives bool).
 * @param x1 - The left operand (at least 1-D).
 * @param x2 - The right operand (at least 1-D).
 * @param options - `constant`.
 * @returns The product, of shape (...batch, M, N) minus the promoted dimensions.
 * @throws MgValueError for a 0-d operand; ShapeError when the last dimension of x1 differs from the
 *   second-to-last of x2, or when the batch dimensions do not broadcast.
 * @example
 * ```ts
 * matmul(tensor([[1, 0], [0, 1]]), tensor([[4, 1], [2, 2]])).toArray(); // [[4, 1], [2, 2]]
 * matmul(tensor([[1, 2], [3, 4]]), tensor([1, 1])).toArray(); // [3, 7]
 * const a = tensor([1, 2]);
 * const y = matmul(a, tensor([3, 4]));
 * y.item(); // 11
 * y.backward();
 * a.grad?.toArray(); // [3, 4]
 * ```
 */
export function matmul(x1: TensorLike, x2: TensorLike, options: OpOptions = {}): Tensor {
  const a = asInput(x1);
  const b = asInput(x2);
  matmulPlan(a.shape, b.shape);
  return executeOp(MatMul, [a, b], { constant: options.constant });
}

/** The rows and columns of each operand of a chain, with a 1-D first as a row and a 1-D last as a column. */
function chainDims(xs: readonly Tensor[]): number[] {
  const last = xs[xs.length - 1]!;
  const rows = xs.map((x, i) => (x.ndim === 2 ? x.shape[0]! : i === 0 ? 1 : x.shape[0]!));
  return [...rows, last.ndim === 2 ? last.shape[1]! : 1];
}

/** The optimal split points of the chain (Cormen, "Introduction to Algorithms", 15.2): split[i][j] = k. */
function chainOrder(p: readonly number[]): number[][] {
  const n = p.length - 1;
  const cost = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const split = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let length = 1; length < n; length++) {
    for (let i = 0; i < n - length; i++) {
      const j = i + length;
      cost[i]![j] = Number.POSITIVE_INFINITY;
      for (let k = i; k < j; k++) {
        const q = cost[i]![k]! + cost[k + 1]![j]! + p[i]! * p[k + 1]! * p[j + 1]!;
        if (q < cost[i]![j]!) {
          cost[i]![j] = q;
          split[i]![j] = k;
        }
      }
    }
  }
  return split;
}

/**
 * The matrix product of two or more tensors, multiplied in the order that needs the fewest scalar
 * multiplications (like `np.linalg.multi_dot`). A 1-D first tensor is a row vector and a 1-D last tensor a
 * column vector; the others must be 2-D. Gradients flow through the chain of `matmul`s.
 * @param tensors - The tensors, in order (each 1-D or 2-D).
 * @param options - `constant`, passed to every `matmul` of the chain.
 * @returns The product.
 * @throws MgValueError for fewer than two tensors, or a tensor that is not 1-D or 2-D (or a 1-D one in the
 *   middle); ShapeError when neighbouring dimensions do not match.
 * @example
 * ```ts
 * const a = tensor([[1, 2]]);
 * const b = tensor([[1, 0], [0, 1]]);
 * const c = tensor([[3], [4]]);
 * multiMatmul([a, b, c]).toArray(); // [[11]]
 * multiMatmul([tensor([1, 2]), b, tensor([3, 4])]).item(); // 11
 * ```
 */
export function multiMatmul(tensors: readonly TensorLike[], options: OpOptions = {}): Tensor {
  if (!Array.isArray(tensors)) throw new MgTypeError('multiMatmul', 'a list of tensors', tensors);
  const xs = tensors.map(asInput);
  for (const x of xs) {
    if (x.ndim < 1 || x.ndim > 2) {
      throw new MgValueError(
        `multiMatmul: ${x.ndim}-dimensional tensor given. Tensor must be one or two-dimensional`,
      );
    }
  }
  if (xs.length < 2)
    throw new MgValueError(`multiMatmul: Expecting at least two arrays, got ${describe(xs.length)}`);
  if (xs.length === 2) return matmul(xs[0]!, xs[1]!, options);
  xs.slice(1, -1).forEach((x, i) => {
    if (x.ndim !== 2) {
      throw new MgValueError(
        `multiMatmul: tensor ${i + 1} is 1-dimensional; only the first and last may be 1-D`,
      );
    }
  });
  const p = chainDims(xs);
  const mul = (l: Tensor, r: Tensor): Tensor => matmul(l, r, options);
  if (xs.length === 3) {
    const [a0, a1b0, b1c0, c1] = p as [number, number, number, number];
    const [a, b, c] = xs as [Tensor, Tensor, Tensor];
    return a0 * b1c0 * (a1b0 + c1) < a1b0 * c1 * (a0 + b1c0) ? mul(mul(a, b), c) : mul(a, mul(b, c));
  }
  const split = chainOrder(p);
  // matmul's own 1-D promotion gives the same result shapes as NumPy's row/column reshaping.
  const chain = (i: number, j: number): Tensor => {
    if (i === j) return xs[i]!;
    const k = split[i]![j]!;
    return mul(chain(i, k), chain(k + 1, j));
  };
  return chain(0, xs.length - 1);
}

// ---------------------------------------------------------------------------------------------------------
// einsum

/** The labels NumPy's einsum accepts, in its order (integer sublist labels index into it). */
const EINSUM_SYMBOLS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** One operand of a contraction: a tensor whose axis i carries label `labels[i]`. */
interface Term {
  readonly t: Tensor;
  readonly labels: readonly number[];
}

/** Options of `einsum`. */
export interface EinsumOptions extends OpOptions {
  /** Accepted for MyGrad compatibility; mg always contracts pairwise from left to right. */
  optimize?: boolean | string;
}

/** Tensors made during one contraction, disposed together at the end (all but the result). */
class Scratch {
  private readonly made: Tensor[] = [];
  keep(t: Tensor, source?: Tensor): Tensor {
    if (t !== source) this.made.push(t);
    return t;
  }
  release(except: Tensor): void {
    for (const t of this.made) if (t !== except) t.dispose();
  }
}

function transposeTo(scratch: Scratch, t: Tensor, perm: readonly number[]): Tensor {
  if (perm.every((p, i) => p === i)) return t;
  const shape = perm.map((p) => t.shape[p]!);
  return scratch.keep(
    runKernel(shape, t.dtype, (k, info) => k.transpose(info(t), perm, { shape, dtype: t.dtype })),
  );
}

/** Sums `term` over the axes whose label `drop` accepts; `keepdims` leaves them as size 1. */
function sumLabels(
  scratch: Scratch,
  term: Term,
  drop: (label: number, axis: number) => boolean,
  keepdims = false,
): Term {
  const axes = term.labels.flatMap((l, i) => (drop(l, i) ? [i] : []));
  if (axes.length === 0) return term;
  const { t } = term;
  const kept = t.shape.filter((_, i) => !axes.includes(i));
  const shape = keepdims ? t.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : kept;
  const summed = runKernel(shape, t.dtype, (k, info) =>
    k.reduce('sum', info(t), axes, { shape: kept, dtype: t.dtype }),
  );
  return {
    t: scratch.keep(summed),
    labels: keepdims ? term.labels : term.labels.filter((_, i) => !axes.includes(i)),
  };
}

/** Replaces each label repeated within `term` by one axis: the diagonal along its repeats. */
function diagonals(scratch: Scratch, term: Term): Term {
  let current = term;
  for (;;) {
    const { labels, t } = current;
    const label = labels.find((l, i) => labels.indexOf(l) !== i);
    if (label === undefined) return current;
    const repeats = labels.flatMap((l, i) => (l === label ? [i] : []));
    const others = labels.flatMap((l, i) => (l === label ? [] : [i]));
    const moved = transposeTo(scratch, t, [...others, ...repeats]);
    const n = t.shape[repeats[0]!]!;
    // In the flattened block of the repeated axes, element (j, j, …, j) sits at j·(1 + n + n² + …).
    let stride = 0;
    for (let q = 0; q < repeats.length; q++) stride += n ** q;
    const indices = makeIndexTensor(Int32Array.from({ length: n }, (_, j) => j * stride));
    const outer = others.map((i) => t.shape[i]!);
    const block = [...outer, n ** repeats.length];
    const shape = [...outer, n];
    const diagonal = runKernel(shape, t.dtype, (k, info) =>
      k.gather({ ...info(moved), shape: block }, info(indices), outer.length, { shape, dtype: t.dtype }),
    );
    indices.dispose();
    current = { t: scratch.keep(diagonal), labels: [...others.map((i) => labels[i]!), label] };
  }
}

function makeIndexTensor(values: Int32Array): Tensor {
  const backend = getBackend();
  return makeTensor(backend.write(values, [values.length], 'int32'), [values.length], 'int32', backend);
}

/** Contracts two terms with one batched matmul; labels in `keep` survive, shared labels not in it are summed. */
function contractPair(scratch: Scratch, x: Term, y: Term, keep: ReadonlySet<number>): Term {
  const inY = new Set(y.labels);
  const inX = new Set(x.labels);
  const batch = x.labels.filter((l) => inY.has(l) && keep.has(l));
  const summed = x.labels.filter((l) => inY.has(l) && !keep.has(l));
  const xFree = x.labels.filter((l) => !inY.has(l));
  const yFree = y.labels.filter((l) => !inX.has(l));
  const size = (term: Term, l: number): number => term.t.shape[term.labels.indexOf(l)]!;
  // A summed label of size 1 on one side broadcasts: Σₖ x·yₖ = x·Σₖ yₖ, so sum the other side first.
  x = sumLabels(scratch, x, (l) => summed.includes(l) && size(x, l) !== size(y, l) && size(y, l) === 1, true);
  y = sumLabels(scratch, y, (l) => summed.includes(l) && size(x, l) !== size(y, l) && size(x, l) === 1, true);
  const axes = (term: Term, ls: readonly number[]): number[] => ls.map((l) => term.labels.indexOf(l));
  const xt = transposeTo(scratch, x.t, axes(x, [...batch, ...xFree, ...summed]));
  const yt = transposeTo(scratch, y.t, axes(y, [...batch, ...summed, ...yFree]));
  const product = (ls: readonly number[], term: Term): number =>
    ls.reduce((acc, l) => acc * size(term, l), 1);
  const m = product(xFree, x);
  const k = product(summed, x);
  const n = product(yFree, y);
  const xBatch = batch.map((l) => size(x, l));
  const yBatch = batch.map((l) => size(y, l));
  const outBatch = xBatch.map((d, i) => Math.max(d, yBatch[i]!));
  const shape = [...outBatch, ...xFree.map((l) => size(x, l)), ...yFree.map((l) => size(y, l))];
  const out = matmulKernel(
    xt,
    [...xBatch, m, k],
    yt,
    [...yBatch, k, n],
    [false, false],
    [...outBatch, m, n],
    xt.dtype,
    shape,
  );
  return { t: scratch.keep(out), labels: [...batch, ...xFree, ...yFree] };
}

/**
 * Σ over every label not in `output` of the product of the terms, as a tensor whose axes carry `output`
 * (each label once, every one present in some term). Computed in `dtype` (a float dtype) with transpose,
 * gather, reduce and batched-matmul kernels, pairwise from left to right.
 */
function contract(terms: readonly Term[], output: readonly number[], dtype: DType): Tensor {
  const scratch = new Scratch();
  const prepared = terms.map((term) =>
    diagonals(scratch, { t: scratch.keep(castTo(term.t, dtype), term.t), labels: term.labels }),
  );
  const needed = (from: number): Set<number> =>
    new Set([...output, ...prepared.slice(from).flatMap((t) => t.labels)]);
  let acc = prepared[0]!;
  for (let j = 1; j < prepared.length; j++) {
    const later = needed(j + 1);
    const right = prepared[j]!;
    const accLabels = new Set(acc.labels);
    const rightLabels = new Set(right.labels);
    // Labels no later term or the output needs, and the other side lacks, are summed out alone first.
    acc = sumLabels(scratch, acc, (l) => !later.has(l) && !rightLabels.has(l));
    const r = sumLabels(scratch, right, (l) => !later.has(l) && !accLabels.has(l));
    acc = contractPair(scratch, acc, r, later);
  }
  acc = sumLabels(scratch, acc, (l) => !output.includes(l));
  let result = transposeTo(
    scratch,
    acc.t,
    output.map((l) => acc.labels.indexOf(l)),
  );
  if (result === terms[0]!.t) {
    // A single term contracted to itself: hand out a copy, never the input.
    result = runKernel(result.shape, dtype, (k, info) =>
      k.broadcastTo(info(terms[0]!.t), { shape: result.shape, dtype }),
    );
  }
  scratch.release(result);
  return result;
}

/** Subscripts parsed against the operands' ranks, as NumPy does (ellipses become unused letters). */
interface EinsumSpec {
  readonly inputs: number[][];
  readonly output: number[];
}

function einsumError(message: string): MgValueError {
  return new MgValueError(`einsum: ${message}`);
}

function parseSubscripts(subscripts: string, shapes: readonly Shape[]): EinsumSpec {
  const text = subscripts.replace(/\s/g, '');
  for (const c of text) {
    if (!EINSUM_SYMBOLS.includes(c) && !',.->'.includes(c))
      throw einsumError(`Character ${c} is not a valid symbol.`);
  }
  const arrows = text.split('->');
  if (arrows.length > 2 || (arrows.length === 1 && (text.includes('-') || text.includes('>')))) {
    throw einsumError("Subscripts can only contain one '->'.");
  }
  const [lhs, rhs] = arrows as [string, string | undefined];
  const terms = lhs.split(',');
  if (terms.length !== shapes.length) {
    throw einsumError(
      `${terms.length > shapes.length ? 'fewer' : 'more'} operands provided to einstein sum function than specified in the subscripts string`,
    );
  }
  const used = new Set(text);
  // NumPy fills ellipses with the last unused letters, in sorted (ASCII) order.
  const unused = [...EINSUM_SYMBOLS].filter((c) => !used.has(c)).sort();
  let longest = 0;
  const checkEllipsis = (sub: string): void => {
    if (sub.includes('.') && (sub.split('.').length !== 4 || sub.split('...').length !== 2)) {
      throw einsumError('Invalid Ellipses.');
    }
  };
  const inputs = terms.map((sub, i) => {
    checkEllipsis(sub);
    if (!sub.includes('.')) return sub;
    const ndim = shapes[i]!.length;
    const count = ndim === 0 ? 0 : Math.max(ndim, 1) - (sub.length - 3);
    if (count < 0) throw einsumError('Ellipses lengths do not match.');
    longest = Math.max(longest, count);
    return sub.replace('...', count === 0 ? '' : unused.slice(-count).join(''));
  });
  const outEllipsis = longest === 0 ? '' : unused.slice(-longest).join('');
  let output: string;
  if (rhs !== undefined) {
    checkEllipsis(rhs);
    output = rhs.replace('...', outEllipsis);
  } else {
    const all = inputs.join('');
    const once = [...new Set(all)]
      .sort()
      .filter((c) => all.split(c).length === 2 && !outEllipsis.includes(c));
    output = outEllipsis + once.join('');
  }
  inputs.forEach((sub, i) => {
    const ndim = shapes[i]!.length;
    if (sub.length > ndim)
      throw einsumError(`einstein sum subscripts string contains too many subscripts for operand ${i}`);
    if (sub.length < ndim) {
      throw einsumError(
        `operand ${i} has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided to broadcast the extra dimensions.`,
      );
    }
  });
  for (const [i, c] of [...output].entries()) {
    if (output.indexOf(c) !== i)
      throw einsumError(`einstein sum subscripts string includes output subscript '${c}' multiple times`);
    if (!inputs.some((sub) => sub.includes(c))) {
      throw einsumError(
        `einstein sum subscripts string included output subscript '${c}' which never appeared in an input`,
      );
    }
  }
  const ids = (sub: string): number[] => [...sub].map((c) => EINSUM_SYMBOLS.indexOf(c));
  return { inputs: inputs.map(ids), output: ids(output) };
}

/** Checks that every label has one size (or 1, which broadcasts), and returns the sizes. */
function labelSizes(spec: EinsumSpec, shapes: readonly Shape[]): Map<number, number> {
  const sizes = new Map<number, number>();
  spec.inputs.forEach((labels, i) => {
    const own = new Map<number, number>();
    labels.forEach((l, axis) => {
      const d = shapes[i]![axis]!;
      const seen = own.get(l);
      if (seen !== undefined && seen !== d) {
        throw new ShapeError(
          `einsum: dimensions in operand ${i} for collapsing index '${EINSUM_SYMBOLS[l] ?? l}' don't match (${seen} != ${d})`,
        );
      }
      own.set(l, d);
      const global = sizes.get(l);
      if (global === undefined || global === 1) sizes.set(l, d);
      else if (d !== 1 && d !== global) {
        const list = shapes.map((s) => `(${s.join(',')})`).join(' ');
        throw new ShapeError(`einsum: operands could not be broadcast together with shapes ${list}`);
      }
    });
  });
  return sizes;
}

declare module '../operation.js' {
  interface OpAttrs {
    'mg.einsum': { inputs: number[][]; output: number[] };
  }
}

class EinSum extends Operation<OpAttrs['mg.einsum']> {
  static readonly id = 'mg.einsum';
  private dtype!: DType;

  forward(xs: readonly Tensor[], attrs: OpAttrs['mg.einsum']): Tensor {
    const outDtype = resultType(xs.map((x) => ({ dtype: x.dtype, scalar: x.ndim === 0 })));
    this.dtype = isFloat(outDtype) ? outDtype : 'float64';
    const out = contract(
      xs.map((t, i) => ({ t, labels: attrs.inputs[i]! })),
      attrs.output,
      this.dtype,
    );
    if (outDtype === this.dtype) return out;
    const cast = castTo(out, outDtype);
    out.dispose();
    return cast;
  }

  backwardVar(grad: Tensor, index: number): Tensor {
    // ∂/∂x of einsum('…,x,…->out') is einsum('out,…->x') of the grad and the other operands, with a
    // ones vector for each label only x has (the forward summed over it) and, for a label x repeats, a
    // delta tensor that puts the result on that diagonal.
    const { inputs, output } = this.attrs;
    const x = this.variables[index]!;
    const labels = inputs[index]!;
    const terms: Term[] = [{ t: grad, labels: output }];
    this.variables.forEach((t, i) => {
      if (i !== index) terms.push({ t, labels: inputs[i]! });
    });
    const present = new Set(terms.flatMap((t) => t.labels));
    let fresh = EINSUM_SYMBOLS.length + Math.max(0, ...inputs.flat(), ...output);
    const target: number[] = [];
    const made: Tensor[] = [];
    labels.forEach((l, axis) => {
      const n = x.shape[axis]!;
      const first = labels.indexOf(l) === axis;
      if (first && !present.has(l)) {
        const ones = filled([n], 1, this.dtype);
        made.push(ones);
        terms.push({ t: ones, labels: [l] });
      }
      if (first) {
        target.push(l);
        return;
      }
      const f = ++fresh;
      target.push(f);
      const eye = deltaTensor(n, this.dtype);
      made.push(eye);
      terms.push({ t: eye, labels: [l, f] });
    });
    let result = contract(terms, target, this.dtype);
    for (const t of made) t.dispose();
    // A size-1 axis of another operand leaves size 1 where x has more: broadcast back (the engine sums the
    // opposite case, x's size-1 axes).
    const shape = result.shape.map((d, i) => Math.max(d, x.shape[i]!));
    if (!shape.every((d, i) => d === result.shape[i])) {
      const source = result;
      result = runKernel(shape, this.dtype, (k, info) =>
        k.broadcastTo(info(source), { shape, dtype: this.dtype }),
      );
      source.dispose();
    }
    return result;
  }
}
registerOp(EinSum);

/** n×n with ones on the diagonal: δ(i, j). A label repeated r times gets r - 1 of these, chained. */
function deltaTensor(n: number, dtype: DType): Tensor {
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) values[i * n + i] = 1;
  const typed = dtype === 'float32' ? Float32Array.from(values) : values;
  const backend = getBackend();
  return makeTensor(backend.write(typed, [n, n], dtype), [n, n], dtype, backend);
}

function isOptions(value: unknown): value is EinsumOptions {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof Tensor)
  );
}

/** NumPy's `einsum(op0, sublist0, op1, sublist1, ..., [sublistout])` form, as a subscripts string. */
function sublistsToSubscripts(args: readonly unknown[]): { subscripts: string; operands: TensorLike[] } {
  const letter = (v: unknown): string => {
    if (v === '...') return '...';
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new MgTypeError('einsum', 'sublists of integers (or "...")', v);
    }
    if (v < 0 || v >= EINSUM_SYMBOLS.length) {
      throw einsumError(`subscript is not within the valid range [0, ${EINSUM_SYMBOLS.length})`);
    }
    return EINSUM_SYMBOLS[v]!;
  };
  const sublist = (v: unknown): string => {
    if (!Array.isArray(v)) throw new MgTypeError('einsum', 'a sublist (an array of integers)', v);
    return v.map(letter).join('');
  };
  const operands: TensorLike[] = [];
  const subs: string[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) {
    operands.push(args[i] as TensorLike);
    subs.push(sublist(args[i + 1]));
  }
  const out = args.length % 2 === 1 ? `->${sublist(args[args.length - 1])}` : '';
  return { subscripts: subs.join(',') + out, operands };
}

/**
 * Einstein summation, as `numpy.einsum`, with gradients for every tensor operand. Labels repeated across
 * operands are multiplied together; labels absent from the output are summed; a label repeated within an
 * operand takes its diagonal; `...` stands for the remaining (broadcast) dimensions. Without `->` the output
 * is every label used once, in alphabetical order. Also takes NumPy's interleaved form
 * `einsum(op0, sublist0, op1, sublist1, …, [sublistOut])` with integer labels. Integer operands give an
 * int32 result.
 * @param subscripts - The subscripts, e.g. `'ij,jk->ik'` (or the first operand in the interleaved form).
 * @param operands - The tensors, then optionally `{ constant }`.
 * @returns The contraction.
 * @throws MgValueError for malformed subscripts or a subscript count that does not match an operand's rank;
 *   ShapeError when a label's sizes disagree.
 * @example
 * ```ts
 * einsum('ij,jk->ik', tensor([[1, 2]]), tensor([[3], [4]])).toArray(); // [[11]]
 * einsum('ii->i', tensor([[1, 2], [3, 4]])).toArray(); // [1, 4]
 * einsum('ij->ji', tensor([[1, 2]])).toArray(); // [[1], [2]]
 * const x = tensor([1, 2, 3]);
 * const y = einsum('i,i', x, x);
 * y.item(); // 14
 * y.backward();
 * x.grad?.toArray(); // [2, 4, 6]
 * ```
 */
export function einsum(subscripts: string, ...operands: readonly (TensorLike | EinsumOptions)[]): Tensor;
export function einsum(...args: readonly unknown[]): Tensor;
export function einsum(...args: readonly unknown[]): Tensor {
  const last = args[args.length - 1];
  const options: EinsumOptions = args.length > 1 && isOptions(last) ? last : {};
  const rest = args.length > 1 && isOptions(last) ? args.slice(0, -1) : args;
  const parsed =
    typeof rest[0] === 'string'
      ? { subscripts: rest[0], operands: rest.slice(1) as TensorLike[] }
      : sublistsToSubscripts(rest);
  if (parsed.operands.length === 0) throw einsumError('No input operands');
  const tensors = parsed.operands.map(asInput);
  const shapes = tensors.map((t) => t.shape);
  const spec = parseSubscripts(parsed.subscripts, shapes);
  labelSizes(spec, shapes);
  return executeOp(EinSum, tensors, { attrs: spec, constant: options.constant });
}
