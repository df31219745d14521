// Row passes shared by the softmax and log-softmax modules (each inlines its own copy: one module per op
// keeps each under the 4 KB that browsers compile synchronously).
import { Exp32, Exp64, exp1 } from './vmath';

/** The minimum of the row last passed to rowMaxF32 (a second result). */
export let rowMin: f32 = 0;

/**
 * The maximum of a float32 row, and its minimum into `rowMin` (NaN lanes are skipped here: they reach the sum
 * through e^(x - m)).
 */
export function rowMaxF32(x: usize, len: i32): f32 {
  let a = f32x4.splat(-Infinity);
  let b = a;
  let lo = f32x4.splat(Infinity);
  let j = 0;
  for (; j + 8 <= len; j += 8) {
    const v = v128.load(x + ((<usize>j) << 2));
    const w = v128.load(x + ((<usize>j) << 2) + 16);
    a = f32x4.pmax(a, v);
    b = f32x4.pmax(b, w);
    lo = f32x4.pmin(lo, f32x4.pmin(v, w));
  }
  a = f32x4.pmax(a, b);
  let m = max(
    max(f32x4.extract_lane(a, 0), f32x4.extract_lane(a, 1)),
    max(f32x4.extract_lane(a, 2), f32x4.extract_lane(a, 3)),
  );
  let n = min(
    min(f32x4.extract_lane(lo, 0), f32x4.extract_lane(lo, 1)),
    min(f32x4.extract_lane(lo, 2), f32x4.extract_lane(lo, 3)),
  );
  for (; j < len; j++) {
    const v = load<f32>(x + ((<usize>j) << 2));
    if (v > m) m = v;
    if (v < n) n = v;
  }
  rowMin = n;
  return m;
}

/**
 * Σ e^(x - m) over a float32 row (after rowMaxF32 on it), writing the terms into out. Sums 32 terms per lane in float32,
 * then adds each block in double. A NaN in the row, or m = ±∞, makes the sum NaN (as the composite's).
 */
export function expSumF32(x: usize, out: usize, len: i32, m: f32): f64 {
  // A row spanning less than 87 has no e^(x - m) below the normal range: the plain exp is exact there.
  if (m - rowMin < 87) return Rows.expSum(x, out, len, m, true, true);
  return Rows.expSum(x, out, len, m, true, false);
}

/** Σ e^(x - m) over a float32 row (after rowMaxF32 on it), writing nothing. */
export function expTotalF32(x: usize, len: i32, m: f32): f64 {
  if (m - rowMin < 87) return Rows.expSum(x, 0, len, m, false, true);
  return Rows.expSum(x, 0, len, m, false, false);
}

// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript's @inline works on methods, not on functions
class Rows {
  @inline static expSum(x: usize, out: usize, len: i32, m: f32, write: bool, normal: bool): f64 {
    const mv = f32x4.splat(m);
    let total: f64 = 0;
    let j = 0;
    while (j + 8 <= len) {
      // Two vectors in flight, 128 terms per block (four measured no faster here: the loop then spills).
      let s0 = f32x4.splat(0);
      let s1 = s0;
      const end = min(len, j + 128);
      for (; j + 8 <= end; j += 8) {
        const at = x + ((<usize>j) << 2);
        const z0 = f32x4.sub(v128.load(at), mv);
        const z1 = f32x4.sub(v128.load(at, 16), mv);
        const e0 = normal ? Exp32.normal(z0) : Exp32.neg(z0);
        const e1 = normal ? Exp32.normal(z1) : Exp32.neg(z1);
        if (write) {
          const to = out + ((<usize>j) << 2);
          v128.store(to, e0);
          v128.store(to, e1, 16);
        }
        s0 = f32x4.add(s0, e0);
        s1 = f32x4.add(s1, e1);
      }
      s0 = f32x4.add(s0, s1);
      total +=
        <f64>f32x4.extract_lane(s0, 0) +
        <f64>f32x4.extract_lane(s0, 1) +
        <f64>f32x4.extract_lane(s0, 2) +
        <f64>f32x4.extract_lane(s0, 3);
    }
    for (; j < len; j++) {
      const at = (<usize>j) << 2;
      const e = exp1(load<f32>(x + at) - m);
      if (write) store<f32>(out + at, e);
      total += <f64>e;
    }
    return total;
  }
}

/** Multiplies a float32 row by s in place. */
export function scaleRowF32(out: usize, len: i32, s: f32): void {
  const sv = f32x4.splat(s);
  let j = 0;
  for (; j + 4 <= len; j += 4) {
    const at = out + ((<usize>j) << 2);
    v128.store(at, f32x4.mul(v128.load(at), sv));
  }
  for (; j < len; j++) {
    const at = out + ((<usize>j) << 2);
    store<f32>(at, load<f32>(at) * s);
  }
}

/** Σ a·b over a float32 row (b = 0: Σ a), in double. */
export function dotF32(a: usize, b: usize, len: i32): f64 {
  let lo = f64x2.splat(0);
  let hi = lo;
  let j = 0;
  for (; j + 4 <= len; j += 4) {
    const at = (<usize>j) << 2;
    const va = v128.load(a + at);
    const p = b === 0 ? va : f32x4.mul(va, v128.load(b + at));
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(p));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(p, p, 2, 3, 0, 1)));
  }
  const both = f64x2.add(lo, hi);
  let total = f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
  for (; j < len; j++) {
    const at = (<usize>j) << 2;
    total += <f64>(b === 0 ? load<f32>(a + at) : load<f32>(a + at) * load<f32>(b + at));
  }
  return total;
}

/** The maximum of a float64 row, NaN if it holds one. */
export function rowMaxF64(x: usize, len: i32): f64 {
  let a = f64x2.splat(-Infinity);
  let nan = f64x2.splat(0);
  let j = 0;
  for (; j + 2 <= len; j += 2) {
    const v = v128.load(x + ((<usize>j) << 3));
    a = f64x2.pmax(a, v);
    nan = v128.or(nan, f64x2.ne(v, v));
  }
  if (v128.any_true(nan)) return NaN;
  let m = max(f64x2.extract_lane(a, 0), f64x2.extract_lane(a, 1));
  if (j < len) {
    const v = load<f64>(x + ((<usize>j) << 3));
    if (v > m) m = v;
    else if (Number.isNaN(v)) return v;
  }
  return m;
}

/** Σ e^(x - m) over a float64 row, writing the terms into out unless out is 0. */
export function expSumF64(x: usize, out: usize, len: i32, m: f64): f64 {
  const mv = f64x2.splat(m);
  let sum = f64x2.splat(0);
  let j = 0;
  for (; j + 2 <= len; j += 2) {
    const at = (<usize>j) << 3;
    const e = Exp64.negInline(f64x2.sub(v128.load(x + at), mv));
    if (out !== 0) v128.store(out + at, e);
    sum = f64x2.add(sum, e);
  }
  let total = f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1);
  for (; j < len; j++) {
    const at = (<usize>j) << 3;
    const e = Math.exp(load<f64>(x + at) - m);
    if (out !== 0) store<f64>(out + at, e);
    total += e;
  }
  return total;
}
