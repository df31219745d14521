// Reduction kernels: reduce (sum, prod, max, min, any, all), argReduce and cumulative.
import { allocate, type DType, type ReduceOp, type Shape, sizeOf, type TypedArray } from '@mg/core';
import { splitAt, transpose } from './layout.js';
import type { CpuTensor } from './types.js';

// NumPy's pairwise-summation block: below it, 8 interleaved accumulators; above it, split in two.
const PAIRWISE_BLOCK = 128;

/**
 * NumPy's pairwise sum (numpy/_core/src/umath/loops_utils.h.src), step for step: float64 sums of contiguous runs
 * round exactly as NumPy's do, the error grows like log(n) rather than n, and the 8 independent accumulators
 * run faster than one. float32 runs are summed in double, more accurate than NumPy's float32 accumulators.
 */
export function pairwiseSum(x: TypedArray, start: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = start; i < start + n; i++) s += x[i];
    return s;
  }
  if (n <= PAIRWISE_BLOCK) {
    let r0 = x[start];
    let r1 = x[start + 1];
    let r2 = x[start + 2];
    let r3 = x[start + 3];
    let r4 = x[start + 4];
    let r5 = x[start + 5];
    let r6 = x[start + 6];
    let r7 = x[start + 7];
    const end = start + n;
    const blockEnd = end - (n % 8);
    let i = start + 8;
    for (; i < blockEnd; i += 8) {
      r0 += x[i];
      r1 += x[i + 1];
      r2 += x[i + 2];
      r3 += x[i + 3];
      r4 += x[i + 4];
      r5 += x[i + 5];
      r6 += x[i + 6];
      r7 += x[i + 7];
    }
    let s = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < end; i++) s += x[i];
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(x, start, half) + pairwiseSum(x, start + half, n - half);
}

/** The value of an empty reduction (max/min are never empty). */
const IDENTITY: Record<ReduceOp, number> = {
  sum: 0,
  prod: 1,
  max: Number.NaN,
  min: Number.NaN,
  any: 0,
  all: 1,
};

/** Reduces the contiguous run x[start, start + n), n >= 1. */
function reduceRun(op: ReduceOp, x: TypedArray, start: number, n: number, int: boolean): number {
  const end = start + n;
  switch (op) {
    case 'sum':
      // NumPy starts from the identity, so an all -0 sum is +0.
      return 0 + pairwiseSum(x, start, n);
    case 'prod': {
      let p = 1;
      if (int) for (let i = start; i < end; i++) p = Math.imul(p, x[i]);
      else for (let i = start; i < end; i++) p *= x[i];
      return p;
    }
    // Folded like the binary maximum/minimum: ties take the later element (only visible as the sign of a zero),
    // and the first NaN ends the scan.
    case 'max': {
      let m = x[start];
      for (let i = start + 1; i < end && !Number.isNaN(m); i++) if (!(m > x[i])) m = x[i];
      return m;
    }
    case 'min': {
      let m = x[start];
      for (let i = start + 1; i < end && !Number.isNaN(m); i++) if (!(m < x[i])) m = x[i];
      return m;
    }
    case 'any':
      for (let i = start; i < end; i++) if (x[i] !== 0) return 1;
      return 0;
    case 'all':
      for (let i = start; i < end; i++) if (x[i] === 0) return 0;
      return 1;
  }
}

/**
 * Folds `rows` rows of length `n` (x[start + r*n + j]) into acc[o, o + n), which holds the identity (or, for
 * max/min, row 0, and then `rows` excludes it). The inner loop runs along contiguous memory: this is what makes
 * reducing over a leading axis as fast as over the last one.
 */
function reduceRows(
  op: ReduceOp,
  x: TypedArray,
  start: number,
  rows: number,
  n: number,
  acc: TypedArray,
  o: number,
  int: boolean,
): void {
  const end = start + rows * n;
  for (let row = start; row < end; row += n) {
    switch (op) {
      case 'sum':
        for (let j = 0; j < n; j++) acc[o + j] += x[row + j];
        break;
      case 'prod':
        if (int) for (let j = 0; j < n; j++) acc[o + j] = Math.imul(acc[o + j], x[row + j]);
        else for (let j = 0; j < n; j++) acc[o + j] *= x[row + j];
        break;
      case 'max':
        for (let j = 0; j < n; j++) {
          const m = acc[o + j];
          if (!(m > x[row + j]) && !Number.isNaN(m)) acc[o + j] = x[row + j];
        }
        break;
      case 'min':
        for (let j = 0; j < n; j++) {
          const m = acc[o + j];
          if (!(m < x[row + j]) && !Number.isNaN(m)) acc[o + j] = x[row + j];
        }
        break;
      case 'any':
        for (let j = 0; j < n; j++) if (x[row + j] !== 0) acc[o + j] = 1;
        break;
      case 'all':
        for (let j = 0; j < n; j++) if (x[row + j] === 0) acc[o + j] = 0;
        break;
    }
  }
}

/**
 * The input as (outer, reduced, inner) sizes. Size-1 axes are dropped and neighbouring axes of the same kind
 * merged; when the reduced axes are then not one block, the kept axes are transposed to the front first.
 */
function decompose(
  x: CpuTensor,
  axes: readonly number[],
): { values: TypedArray; dims: [number, number, number] } {
  const groups: { size: number; reduced: boolean }[] = [];
  for (let i = 0; i < x.shape.length; i++) {
    const size = x.shape[i];
    if (size === 1) continue;
    const reduced = axes.includes(i);
    const last = groups[groups.length - 1];
    if (last !== undefined && last.reduced === reduced) last.size *= size;
    else groups.push({ size, reduced });
  }
  const blocks = groups.filter((g) => g.reduced).length;
  if (blocks <= 1) {
    const at = groups.findIndex((g) => g.reduced);
    if (at < 0) return { values: x.values, dims: [x.values.length, 1, 1] };
    const outer = groups.slice(0, at).reduce((p, g) => p * g.size, 1);
    const inner = groups.slice(at + 1).reduce((p, g) => p * g.size, 1);
    return { values: x.values, dims: [outer, groups[at].size, inner] };
  }
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const kSize = sizeOf(kept.map((i) => x.shape[i]));
  return {
    values: transpose(x, [...kept, ...axes]),
    dims: [kSize, kSize === 0 ? 0 : x.values.length / kSize, 1],
  };
}

/** Reduces `x` over the sorted, distinct `axes`; the output drops those axes. */
export function reduce(
  op: ReduceOp,
  x: CpuTensor,
  axes: readonly number[],
  outShape: Shape,
  outDtype: DType,
): TypedArray {
  // On bool data a sum is a logical or and a product a logical and (NumPy's add and multiply on bool).
  if (x.dtype === 'bool' && (op === 'sum' || op === 'prod')) op = op === 'sum' ? 'any' : 'all';
  const out = allocate(outDtype, sizeOf(outShape));
  if (out.length === 0) return out;
  const {
    values,
    dims: [outer, size, inner],
  } = decompose(x, axes);
  if (size === 0) return out.fill(IDENTITY[op]);
  const int = x.dtype === 'int32';
  if (inner === 1) {
    for (let o = 0; o < outer; o++) out[o] = reduceRun(op, values, o * size, size, int);
    return out;
  }
  // float32 sums and products accumulate in double, as the contiguous-run path does; other dtypes are exact in
  // their own storage (int32 wraps identically either way).
  const acc =
    out instanceof Float32Array && (op === 'sum' || op === 'prod') ? new Float64Array(out.length) : out;
  const fromFirst = op === 'max' || op === 'min';
  if (!fromFirst && IDENTITY[op] !== 0) acc.fill(IDENTITY[op]);
  for (let o = 0; o < outer; o++) {
    const start = o * size * inner;
    if (fromFirst) {
      acc.set(values.subarray(start, start + inner), o * inner);
      reduceRows(op, values, start + inner, size - 1, inner, acc, o * inner, int);
    } else {
      reduceRows(op, values, start, size, inner, acc, o * inner, int);
    }
  }
  if (acc !== out) out.set(acc);
  return out;
}

/** Index of the first max (argmax) or min (argmin) along `axis`, or of the first NaN when there is one. */
export function argReduce(op: 'argmax' | 'argmin', x: CpuTensor, axis: number, outShape: Shape): TypedArray {
  const out = allocate('int32', sizeOf(outShape));
  const [outer, size, inner] = splitAt(x.shape, axis);
  if (out.length === 0 || size === 0) return out;
  const v = x.values;
  const max = op === 'argmax';
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const start = o * size;
      let best = v[start];
      let at = 0;
      if (!Number.isNaN(best)) {
        for (let i = 1; i < size; i++) {
          const e = v[start + i];
          if (max ? e > best : e < best) {
            best = e;
            at = i;
          } else if (Number.isNaN(e)) {
            at = i;
            break;
          }
        }
      }
      out[o] = at;
    }
    return out;
  }
  // Row by row, keeping the best value seen per column, so the inner loop stays contiguous.
  const best = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const start = o * size * inner;
    const w = o * inner;
    best.set(v.subarray(start, start + inner));
    for (let r = 1; r < size; r++) {
      const row = start + r * inner;
      for (let j = 0; j < inner; j++) {
        const e = v[row + j];
        const b = best[j];
        if ((max ? e > b : e < b) || (Number.isNaN(e) && !Number.isNaN(b))) {
          best[j] = e;
          out[w + j] = r;
        }
      }
    }
  }
  return out;
}

/**
 * Inclusive cumulative sum or product along `axis`. Each step reads its predecessor back from the output, so
 * float32 accumulates in float32 and int32 wraps, both as NumPy does.
 */
export function cumulative(op: 'cumsum' | 'cumprod', x: CpuTensor, axis: number): TypedArray {
  const v = x.values;
  const out = allocate(x.dtype, v.length);
  const [outer, size, inner] = splitAt(x.shape, axis);
  const block = size * inner;
  for (let o = 0; o < outer; o++) {
    const start = o * block;
    const end = start + block;
    for (let k = start; k < Math.min(start + inner, end); k++) out[k] = v[k];
    // Past the first row, element k's predecessor along the axis is always k - inner.
    if (x.dtype === 'bool') {
      // A running logical or (cumsum) or and (cumprod), as NumPy's add and multiply accumulate on bool.
      const or = op === 'cumsum';
      for (let k = start + inner; k < end; k++) out[k] = or ? out[k - inner] | v[k] : out[k - inner] & v[k];
    } else if (op === 'cumsum') for (let k = start + inner; k < end; k++) out[k] = out[k - inner] + v[k];
    else if (x.dtype === 'int32')
      for (let k = start + inner; k < end; k++) out[k] = Math.imul(out[k - inner], v[k]);
    else for (let k = start + inner; k < end; k++) out[k] = out[k - inner] * v[k];
  }
  return out;
}
