// Loop planning on the JS side: the kernels get a collapsed loop nest (dims plus per-operand strides) in
// wasm memory and walk it with an odometer, so no kernel divides to find an index.
import type { Shape } from '@mg/core';

/** Row-major strides of `shape` aligned to `outShape`'s trailing axes, 0 where `shape` broadcasts (size 1). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = new Array<number>(outShape.length).fill(0);
  const offset = outShape.length - shape.length;
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1) strides[offset + i] = stride;
    stride *= shape[i]!;
  }
  return strides;
}

/**
 * The loop nest for an output of `shape` read with `strides` (one array per operand), flattened for the
 * kernels as [dims..., strides of operand 0..., strides of operand 1..., ...] with its rank `r` (>= 2). Size-1
 * axes are dropped and neighbouring axes merged whenever every operand walks them as one, so contiguous,
 * scalar, row- and column-broadcast cases collapse to a single block whose inner loops take the SIMD paths.
 */
export function planLoops(
  shape: Shape,
  strides: readonly (readonly number[])[],
): { meta: number[]; r: number } {
  const dims: number[] = [];
  const merged: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && strides.every((s, k) => merged[k]![last] === s[i]! * d)) {
      dims[last]! *= d;
      for (let k = 0; k < strides.length; k++) merged[k]![last] = strides[k]![i]!;
    } else {
      dims.push(d);
      for (let k = 0; k < strides.length; k++) merged[k]!.push(strides[k]![i]!);
    }
  }
  while (dims.length < 2) {
    dims.unshift(1);
    for (const s of merged) s.unshift(0);
  }
  return { meta: dims.concat(...merged), r: dims.length };
}

/** Sizes before `axis`, at it, and after it: the (outer, axis, inner) view every single-axis kernel works in. */
export function splitAt(shape: Shape, axis: number): [outer: number, size: number, inner: number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[axis] ?? 1, inner];
}
