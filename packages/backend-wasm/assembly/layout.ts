// Data movement: strided gather (transpose, slice, broadcastTo) and scatter (pad), gather, scatterAdd, concat,
// fill. Kernels that only move bytes are instantiated by element size (u8, u32, u64), not by dtype.
import { advance, dim, F32, F64, I32, offsetOf, startBlocks, strideOf } from './common';

// Side of the square tiles a transposing copy walks, so both the lines read and the lines written stay in L1.
const TILE = 32;

/** Fills n elements at p with x. */
@inline function fillRun<T>(p: usize, n: i32, x: T): void {
  if (sizeof<T>() == 1) {
    memory.fill(p, <u8>x, <usize>n);
    return;
  }
  const v = v128.splat<T>(x);
  const lanes = 16 / sizeof<T>();
  let j = 0;
  for (; j + lanes <= n; j += lanes) v128.store(p + <usize>j * sizeof<T>(), v);
  for (; j < n; j++) store<T>(p + <usize>j * sizeof<T>(), x);
}

/** Copies the n0 x n1 block read at (s0, s1) element strides into contiguous `out`, tile by tile. */
function copyTiled<T>(x: usize, s0: isize, s1: isize, out: usize, n0: i32, n1: i32): void {
  const S = <isize>sizeof<T>();
  for (let i0 = 0; i0 < n0; i0 += TILE) {
    const i1 = min(i0 + TILE, n0);
    for (let j0 = 0; j0 < n1; j0 += TILE) {
      const j1 = min(j0 + TILE, n1);
      for (let i = i0; i < i1; i++) {
        let q = x + <usize>((<isize>i * s0 + <isize>j0 * s1) * S);
        let w = out + (<usize>i * <usize>n1 + <usize>j0) * sizeof<T>();
        for (let j = j0; j < j1; j++, q += <usize>(s1 * S), w += sizeof<T>()) store<T>(w, load<T>(q));
      }
    }
  }
}

function gatherLoop<T>(x: usize, base: i32, out: usize, meta: usize, r: i32): void {
  const n0 = dim(meta, r - 2);
  const n1 = dim(meta, r - 1);
  const s0 = strideOf(meta, r, 0, r - 2);
  const s1 = strideOf(meta, r, 0, r - 1);
  const S = <isize>sizeof<T>();
  const row = <usize>n1 * sizeof<T>();
  const blocks = startBlocks(meta, r, 1, base, 0, 0);
  for (let n = 0; n < blocks; n++) {
    const p = x + <usize>(offsetOf(0) * S);
    const o = out + <usize>n * <usize>n0 * row;
    if (s1 == 1) {
      for (let i = 0; i < n0; i++) memory.copy(o + <usize>i * row, p + <usize>(<isize>i * s0 * S), row);
    } else if (s1 == 0) {
      for (let i = 0; i < n0; i++) fillRun<T>(o + <usize>i * row, n1, load<T>(p + <usize>(<isize>i * s0 * S)));
    } else if (n0 >= TILE / 4 && n1 >= TILE / 4) {
      copyTiled<T>(p, s0, s1, o, n0, n1);
    } else {
      let w = o;
      for (let i = 0; i < n0; i++) {
        let q = p + <usize>(<isize>i * s0 * S);
        for (let j = 0; j < n1; j++, q += <usize>(s1 * S), w += sizeof<T>()) store<T>(w, load<T>(q));
      }
    }
    advance(meta, r, 1);
  }
}

/**
 * Copies the strided view of x (element base + sum(j_i * strides_i), plan in `meta`) into the contiguous out:
 * transpose, slice and broadcastTo. `size` is bytes per element.
 */
export function gatherStrided(size: i32, x: usize, base: i32, out: usize, meta: usize, r: i32): void {
  if (size == 8) gatherLoop<u64>(x, base, out, meta, r);
  else if (size == 4) gatherLoop<u32>(x, base, out, meta, r);
  else gatherLoop<u8>(x, base, out, meta, r);
}

function scatterLoop<T>(x: usize, out: usize, base: i32, meta: usize, r: i32): void {
  const n0 = dim(meta, r - 2);
  const n1 = dim(meta, r - 1);
  const s0 = strideOf(meta, r, 0, r - 2);
  const s1 = strideOf(meta, r, 0, r - 1);
  const S = <isize>sizeof<T>();
  const row = <usize>n1 * sizeof<T>();
  const blocks = startBlocks(meta, r, 1, base, 0, 0);
  let i = x;
  for (let n = 0; n < blocks; n++) {
    const q = out + <usize>(offsetOf(0) * S);
    for (let k = 0; k < n0; k++, i += row) {
      const w = q + <usize>(<isize>k * s0 * S);
      if (s1 == 1) memory.copy(w, i, row);
      else for (let j = 0; j < n1; j++) store<T>(w + <usize>(<isize>j * s1 * S), load<T>(i + <usize>j * sizeof<T>()));
    }
    advance(meta, r, 1);
  }
}

/** The inverse of gatherStrided: writes the contiguous x into out at base + sum(j_i * strides_i) (pad). */
export function scatterStrided(size: i32, x: usize, out: usize, base: i32, meta: usize, r: i32): void {
  if (size == 8) scatterLoop<u64>(x, out, base, meta, r);
  else if (size == 4) scatterLoop<u32>(x, out, base, meta, r);
  else scatterLoop<u8>(x, out, base, meta, r);
}

function gatherAxisLoop<T>(x: usize, idx: usize, count: i32, out: usize, outer: i32, axis: i32, inner: i32): void {
  const run = <usize>inner * sizeof<T>();
  let o = out;
  for (let p = 0; p < outer; p++) {
    const base = x + <usize>p * <usize>axis * run;
    for (let t = 0; t < count; t++, o += run) {
      const s = base + <usize>load<i32>(idx + (<usize>t << 2)) * run;
      if (inner >= 8) memory.copy(o, s, run);
      else for (let j = 0; j < inner; j++) store<T>(o + <usize>j * sizeof<T>(), load<T>(s + <usize>j * sizeof<T>()));
    }
  }
}

/** out = x[..., idx, ...] along an axis, x seen as (outer, axis, inner); `count` indices (int32). */
export function gatherAxis(
  size: i32,
  x: usize,
  idx: usize,
  count: i32,
  out: usize,
  outer: i32,
  axis: i32,
  inner: i32,
): void {
  if (size == 8) gatherAxisLoop<u64>(x, idx, count, out, outer, axis, inner);
  else if (size == 4) gatherAxisLoop<u32>(x, idx, count, out, outer, axis, inner);
  else gatherAxisLoop<u8>(x, idx, count, out, outer, axis, inner);
}

function scatterAddLoop<T>(u: usize, idx: usize, count: i32, out: usize, outer: i32, axis: i32, inner: i32): void {
  const run = <usize>inner * sizeof<T>();
  memory.fill(out, 0, <usize>outer * <usize>axis * run);
  let src = u;
  for (let p = 0; p < outer; p++) {
    const base = out + <usize>p * <usize>axis * run;
    for (let t = 0; t < count; t++, src += run) {
      const d = base + <usize>load<i32>(idx + (<usize>t << 2)) * run;
      for (let j = 0; j < inner; j++) {
        const at = <usize>j * sizeof<T>();
        // Bool accumulates as `or`; the others add in their own arithmetic (float32 rounds, int32 wraps).
        if (sizeof<T>() == 1) store<T>(d + at, load<T>(d + at) | load<T>(src + at));
        else store<T>(d + at, load<T>(d + at) + load<T>(src + at));
      }
    }
  }
}

/** Zeroes out (outer, axis, inner) and adds each slice of u at its index along the axis. */
export function scatterAdd(
  dt: i32,
  u: usize,
  idx: usize,
  count: i32,
  out: usize,
  outer: i32,
  axis: i32,
  inner: i32,
): void {
  if (dt == F64) scatterAddLoop<f64>(u, idx, count, out, outer, axis, inner);
  else if (dt == F32) scatterAddLoop<f32>(u, idx, count, out, outer, axis, inner);
  else if (dt == I32) scatterAddLoop<i32>(u, idx, count, out, outer, axis, inner);
  else scatterAddLoop<u8>(u, idx, count, out, outer, axis, inner);
}

/**
 * Joins `count` inputs along an axis: `list` holds (pointer, run bytes) pairs (i32), and for each of the `outer`
 * indices every input contributes one contiguous run.
 */
export function concat(list: usize, count: i32, out: usize, outer: i32): void {
  let o = out;
  for (let p = 0; p < outer; p++) {
    for (let k = 0; k < count; k++) {
      const entry = list + (<usize>k << 3);
      const run = <usize>load<i32>(entry, 4);
      memory.copy(o, <usize>load<i32>(entry) + <usize>p * run, run);
      o += run;
    }
  }
}

/** n elements of value `x`, stored as the dtype (the JS side has already made it the dtype's value). */
export function fill(dt: i32, out: usize, n: i32, x: f64): void {
  if (dt == F64) fillRun<f64>(out, n, x);
  else if (dt == F32) fillRun<f32>(out, n, <f32>x);
  else if (dt == I32) fillRun<i32>(out, n, <i32>x);
  else fillRun<u8>(out, n, <u8>x);
}
