// Loop planning shared by every kernel family: strided views, dimension collapsing and the outer odometer.
import type { Shape, TypedArray } from '@mg/core';

/** Row-major strides of `shape` aligned to `outShape`'s trailing axes, 0 where `shape` broadcasts (size 1). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = new Array<number>(outShape.length).fill(0);
  const offset = outShape.length - shape.length;
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1) strides[offset + i] = stride;
    stride *= shape[i];
  }
  return strides;
}

/**
 * A loop nest over a contiguous output: `dims` (at least two, the last two being the "block" that inner loops
 * run over) and, per operand, the element stride along each dim.
 */
export interface LoopPlan {
  readonly dims: number[];
  readonly strides: number[][];
}

/**
 * Plans the loops for an output of `shape` read from operands with `strides` (one array per operand, aligned
 * with `shape`). Size-1 axes are dropped and neighbouring axes merged whenever every operand walks them as one
 * (outer stride = inner stride x inner size), so contiguous, scalar, row- and column-broadcast cases all
 * collapse to at most two dims and run as a single block.
 */
export function planLoops(shape: Shape, strides: readonly (readonly number[])[]): LoopPlan {
  const dims: number[] = [];
  const merged: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && strides.every((s, k) => merged[k][last] === s[i] * d)) {
      dims[last] *= d;
      for (let k = 0; k < strides.length; k++) merged[k][last] = strides[k][i];
    } else {
      dims.push(d);
      for (let k = 0; k < strides.length; k++) merged[k].push(strides[k][i]);
    }
  }
  while (dims.length < 2) {
    dims.unshift(1);
    for (const s of merged) s.unshift(0);
  }
  return { dims, strides: merged };
}

/**
 * Calls `visit` once per block (the last two dims of `plan`) with every operand's offset and the output offset,
 * walking the outer dims with an odometer: offsets are updated by adding strides, never by division.
 */
export function forEachBlock(
  plan: LoopPlan,
  base: readonly number[],
  visit: (offsets: readonly number[], out: number) => void,
): void {
  const { dims, strides } = plan;
  const outer = dims.length - 2;
  const blockSize = dims[outer] * dims[outer + 1];
  const offsets = base.slice();
  if (outer === 0) {
    visit(offsets, 0);
    return;
  }
  let blocks = 1;
  for (let i = 0; i < outer; i++) blocks *= dims[i];
  const counter = new Array<number>(outer).fill(0);
  for (let n = 0, out = 0; n < blocks; n++, out += blockSize) {
    visit(offsets, out);
    for (let axis = outer - 1; axis >= 0; axis--) {
      counter[axis]++;
      for (let k = 0; k < offsets.length; k++) offsets[k] += strides[k][axis];
      if (counter[axis] < dims[axis]) break;
      counter[axis] = 0;
      for (let k = 0; k < offsets.length; k++) offsets[k] -= strides[k][axis] * dims[axis];
    }
  }
}

// Below this row length a plain loop beats the native subarray/set round trip.
const NATIVE_COPY_MIN = 32;
// Side of the square tiles a transposing copy walks, so the source lines it touches stay in L1.
const TILE = 32;

/**
 * Copies the strided view of `x` (element `offset + sum(j_i * strides_i)` for each output index `j` of
 * `shape`) into the contiguous `out`. Serves transpose, slice and broadcastTo; transposing blocks go tile by
 * tile so both the reads and the writes stay cache-friendly.
 */
export function gatherStrided(
  x: TypedArray,
  offset: number,
  shape: Shape,
  strides: readonly number[],
  out: TypedArray,
): void {
  if (out.length === 0) return;
  const plan = planLoops(shape, [strides]);
  const r = plan.dims.length;
  const n0 = plan.dims[r - 2];
  const n1 = plan.dims[r - 1];
  const s0 = plan.strides[0][r - 2];
  const s1 = plan.strides[0][r - 1];
  forEachBlock(plan, [offset], (offsets, o) => {
    const p = offsets[0];
    if (s1 === 1) copyRows(x, p, s0, out, o, n0, n1);
    else if (s1 === 0) for (let i = 0; i < n0; i++) out.fill(x[p + i * s0], o + i * n1, o + (i + 1) * n1);
    else if (n0 >= TILE / 4 && n1 >= TILE / 4) copyTiled(x, p, s0, s1, out, o, n0, n1);
    else {
      for (let i = 0; i < n0; i++) {
        let q = p + i * s0;
        for (let j = 0; j < n1; j++, q += s1) out[o++] = x[q];
      }
    }
  });
}

function copyRows(
  x: TypedArray,
  p: number,
  s0: number,
  out: TypedArray,
  o: number,
  n0: number,
  n1: number,
): void {
  for (let i = 0; i < n0; i++, p += s0, o += n1) {
    if (n1 >= NATIVE_COPY_MIN) out.set(x.subarray(p, p + n1), o);
    else for (let j = 0; j < n1; j++) out[o + j] = x[p + j];
  }
}

function copyTiled(
  x: TypedArray,
  p: number,
  s0: number,
  s1: number,
  out: TypedArray,
  o: number,
  n0: number,
  n1: number,
): void {
  for (let i0 = 0; i0 < n0; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, n0);
    for (let j0 = 0; j0 < n1; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, n1);
      for (let i = i0; i < i1; i++) {
        let q = p + i * s0 + j0 * s1;
        let w = o + i * n1 + j0;
        for (let j = j0; j < j1; j++, q += s1) out[w++] = x[q];
      }
    }
  }
}

/**
 * The inverse of gatherStrided for a view whose innermost axis is contiguous: writes the contiguous `x` (of
 * `shape`) into `out` at `offset + sum(j_i * strides_i)`. Used by pad to place its input inside the border.
 */
export function scatterStrided(
  x: TypedArray,
  shape: Shape,
  out: TypedArray,
  offset: number,
  strides: readonly number[],
): void {
  if (x.length === 0) return;
  const plan = planLoops(shape, [strides]);
  const r = plan.dims.length;
  const n0 = plan.dims[r - 2];
  const n1 = plan.dims[r - 1];
  const s0 = plan.strides[0][r - 2];
  const s1 = plan.strides[0][r - 1];
  forEachBlock(plan, [offset], (offsets, i) => {
    for (let row = 0; row < n0; row++) {
      const q = offsets[0] + row * s0;
      if (s1 === 1 && n1 >= NATIVE_COPY_MIN) out.set(x.subarray(i, i + n1), q);
      else for (let j = 0; j < n1; j++) out[q + j * s1] = x[i + j];
      i += n1;
    }
  });
}
