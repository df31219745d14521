// Layout kernels: transpose, slice, gather, scatterAdd, concat, pad and fill (data movement, no arithmetic).
import { allocate, type DType, type Shape, sizeOf, stridesOf, type TypedArray } from '@mg/core';
import { gatherStrided, scatterStrided } from './strided.js';
import type { CpuTensor } from './types.js';

/** Sizes before `axis`, at it, and after it: the (outer, axis, inner) view every single-axis kernel works in. */
export function splitAt(shape: Shape, axis: number): [outer: number, size: number, inner: number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis] ?? 1, sizeOf(shape.slice(axis + 1))];
}

/** Output axis i is input axis `perm[i]`. */
export function transpose(x: CpuTensor, perm: readonly number[]): TypedArray {
  const out = allocate(x.dtype, x.values.length);
  const strides = stridesOf(x.shape);
  gatherStrided(
    x.values,
    0,
    perm.map((p) => x.shape[p]),
    perm.map((p) => strides[p]),
    out,
  );
  return out;
}

/** Output element j is input element begin + j * step (per axis); steps may be negative. */
export function slice(
  x: CpuTensor,
  begin: readonly number[],
  step: readonly number[],
  outShape: Shape,
): TypedArray {
  const out = allocate(x.dtype, sizeOf(outShape));
  const strides = stridesOf(x.shape);
  let offset = 0;
  for (let i = 0; i < strides.length; i++) offset += begin[i] * strides[i];
  gatherStrided(
    x.values,
    offset,
    outShape,
    strides.map((s, i) => s * step[i]),
    out,
  );
  return out;
}

// Below this slice length a plain loop beats the native subarray/set round trip.
const NATIVE_COPY_MIN = 32;

/** Takes `indices` along `axis`: out = x[..., indices, ...]. */
export function gather(x: CpuTensor, indices: CpuTensor, axis: number, outShape: Shape): TypedArray {
  const out = allocate(x.dtype, sizeOf(outShape));
  const [outer, size, inner] = splitAt(x.shape, axis);
  const idx = indices.values;
  const src = x.values;
  let o = 0;
  for (let p = 0; p < outer; p++) {
    const base = p * size * inner;
    for (let t = 0; t < idx.length; t++, o += inner) {
      const s = base + idx[t] * inner;
      if (inner >= NATIVE_COPY_MIN) out.set(src.subarray(s, s + inner), o);
      else for (let j = 0; j < inner; j++) out[o + j] = src[s + j];
    }
  }
  return out;
}

/** Adds each slice of `updates` into a zero tensor at its index along `axis`; repeated indices accumulate. */
export function scatterAdd(
  updates: CpuTensor,
  indices: CpuTensor,
  axis: number,
  outShape: Shape,
): TypedArray {
  const out = allocate(updates.dtype, sizeOf(outShape));
  const [outer, size, inner] = splitAt(outShape, axis);
  const idx = indices.values;
  const src = updates.values;
  // Bool accumulates as `or`: `+` would store 2 into the 0/1 byte.
  const bool = updates.dtype === 'bool';
  let u = 0;
  for (let p = 0; p < outer; p++) {
    const base = p * size * inner;
    for (let t = 0; t < idx.length; t++, u += inner) {
      const d = base + idx[t] * inner;
      if (bool) for (let j = 0; j < inner; j++) out[d + j] |= src[u + j];
      else for (let j = 0; j < inner; j++) out[d + j] += src[u + j];
    }
  }
  return out;
}

/** Joins `xs` along `axis`: for each outer index, each input contributes one contiguous run. */
export function concat(xs: readonly CpuTensor[], axis: number, outShape: Shape, dtype: DType): TypedArray {
  const out = allocate(dtype, sizeOf(outShape));
  const [outer, , inner] = splitAt(outShape, axis);
  const runs = xs.map((x) => x.shape[axis] * inner);
  let o = 0;
  for (let p = 0; p < outer; p++) {
    for (let k = 0; k < xs.length; k++) {
      const run = runs[k];
      out.set(xs[k].values.subarray(p * run, (p + 1) * run), o);
      o += run;
    }
  }
  return out;
}

/** The value `value` becomes in a `dtype` store (bool: `value != 0`, so NaN is true). */
function storable(value: number, dtype: DType): number {
  return dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
}

/** Surrounds `x` with `value`: `paddings[i]` = [before, after] elements along axis i. */
export function pad(
  x: CpuTensor,
  paddings: readonly (readonly [number, number])[],
  value: number,
  outShape: Shape,
): TypedArray {
  const out = fill(value, outShape, x.dtype);
  const strides = stridesOf(outShape);
  let offset = 0;
  for (let i = 0; i < strides.length; i++) offset += paddings[i][0] * strides[i];
  scatterStrided(x.values, x.shape, out, offset, strides);
  return out;
}

/** A tensor of `shape` with every element `value` (cast to `dtype`). */
export function fill(value: number, shape: Shape, dtype: DType): TypedArray {
  const out = allocate(dtype, sizeOf(shape));
  const v = storable(value, dtype);
  // Object.is, not !==: a fill of -0 must not be skipped as "already zero".
  if (!Object.is(v, 0)) out.fill(v);
  return out;
}
