// Reductions (sum, prod, max, min, any, all), argmax/argmin and cumulative sums/products. The input arrives as
// (outer, size, inner): `runs` reduce contiguous runs (inner == 1), `rows` fold whole rows into an accumulator
// row so the inner loop stays contiguous, which makes reducing a leading axis as fast as the last one.
import { F32, F64, I32 } from './common';

const SUM = 0;
const PROD = 1;
const MAX = 2;
const MIN = 3;
const ANY = 4;
const ALL = 5;

// NumPy's pairwise-summation block: below it, 8 interleaved accumulators; above it, split in two.
const PAIRWISE_BLOCK = 128;

/**
 * NumPy's pairwise sum, step for step, in f64 (f32 input is widened first): the 8 accumulators are four f64x2
 * vectors holding (r0, r1), (r2, r3), (r4, r5), (r6, r7), so every lane adds exactly what NumPy's scalar
 * accumulator adds and float64 sums round identically.
 */
function pairwise<T>(x: usize, n: i32): f64 {
  const S = sizeof<T>();
  if (n < 8) {
    let s = 0.0;
    for (let i = 0; i < n; i++) s += <f64>load<T>(x + <usize>i * S);
    return s;
  }
  if (n <= PAIRWISE_BLOCK) {
    let r01: v128, r23: v128, r45: v128, r67: v128;
    if (S == 8) {
      r01 = v128.load(x);
      r23 = v128.load(x, 16);
      r45 = v128.load(x, 32);
      r67 = v128.load(x, 48);
    } else {
      r01 = f64x2.promote_low_f32x4(v128.load64_zero(x));
      r23 = f64x2.promote_low_f32x4(v128.load64_zero(x, 8));
      r45 = f64x2.promote_low_f32x4(v128.load64_zero(x, 16));
      r67 = f64x2.promote_low_f32x4(v128.load64_zero(x, 24));
    }
    const blockEnd = n - (n & 7);
    let i = 8;
    for (; i < blockEnd; i += 8) {
      const p = x + <usize>i * S;
      if (S == 8) {
        r01 = f64x2.add(r01, v128.load(p));
        r23 = f64x2.add(r23, v128.load(p, 16));
        r45 = f64x2.add(r45, v128.load(p, 32));
        r67 = f64x2.add(r67, v128.load(p, 48));
      } else {
        r01 = f64x2.add(r01, f64x2.promote_low_f32x4(v128.load64_zero(p)));
        r23 = f64x2.add(r23, f64x2.promote_low_f32x4(v128.load64_zero(p, 8)));
        r45 = f64x2.add(r45, f64x2.promote_low_f32x4(v128.load64_zero(p, 16)));
        r67 = f64x2.add(r67, f64x2.promote_low_f32x4(v128.load64_zero(p, 24)));
      }
    }
    let s =
      f64x2.extract_lane(r01, 0) +
      f64x2.extract_lane(r01, 1) +
      (f64x2.extract_lane(r23, 0) + f64x2.extract_lane(r23, 1)) +
      (f64x2.extract_lane(r45, 0) + f64x2.extract_lane(r45, 1) + (f64x2.extract_lane(r67, 0) + f64x2.extract_lane(r67, 1)));
    for (; i < n; i++) s += <f64>load<T>(x + <usize>i * S);
    return s;
  }
  let half = n >> 1;
  half -= half & 7;
  return pairwise<T>(x, half) + pairwise<T>(x + <usize>half * S, n - half);
}

/** Wrapping int32 sum of n elements. */
function intSum(x: usize, n: i32): i32 {
  let acc = i32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) acc = i32x4.add(acc, v128.load(x + (<usize>i << 2)));
  let s =
    i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  for (; i < n; i++) s += load<i32>(x + (<usize>i << 2));
  return s;
}

@inline function foldLane<T>(m: T, e: T, max: bool): T {
  return (max ? m > e : m < e) ? m : e;
}

/** Whether every lane of a comparison mask on T lanes is set. */
@inline function allLanes<T>(mask: v128): bool {
  if (sizeof<T>() == 8) return i64x2.all_true(mask);
  if (sizeof<T>() == 4) return i32x4.all_true(mask);
  return i8x16.all_true(mask);
}

/**
 * max (or min) of n >= 1 elements, folded like the binary maximum: NaN anywhere gives NaN, and of tied zeros the
 * last one wins. Lanes fold with pmax(x, m) (= m > x ? m : x); a zero result's sign is then taken from the last
 * zero, the only tie a value can show.
 */
function extremeRun<T>(x: usize, n: i32, max: bool): T {
  const S = sizeof<T>();
  const lanes = 16 / <i32>S;
  let m = load<T>(x);
  if (isNaN<T>(m)) return m;
  let i = 0;
  if (n >= 2 * lanes) {
    let v = v128.load(x);
    let nan = v128.ne<T>(v, v);
    for (i = lanes; i + lanes <= n; i += lanes) {
      const e = v128.load(x + <usize>i * S);
      nan = v128.or(nan, v128.ne<T>(e, e));
      v = max ? v128.pmax<T>(e, v) : v128.pmin<T>(e, v);
    }
    if (v128.any_true(nan)) return <T>NaN;
    m = v128.extract_lane<T>(v, 0);
    m = foldLane<T>(m, v128.extract_lane<T>(v, 1), max);
    if (lanes == 4) {
      m = foldLane<T>(m, v128.extract_lane<T>(v, 2), max);
      m = foldLane<T>(m, v128.extract_lane<T>(v, 3), max);
    }
  } else {
    i = 1;
  }
  for (; i < n; i++) {
    const e = load<T>(x + <usize>i * S);
    if (isNaN<T>(e)) return e;
    m = (max ? m > e : m < e) ? m : e;
  }
  if (m == 0) {
    for (let j = n - 1; j >= 0; j--) {
      const e = load<T>(x + <usize>j * S);
      if (e == 0) return e;
    }
  }
  return m;
}

function intExtremeRun(x: usize, n: i32, isMax: bool): i32 {
  let m = load<i32>(x);
  let acc = i32x4.splat(m);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const e = v128.load(x + (<usize>i << 2));
    acc = isMax ? i32x4.max_s(acc, e) : i32x4.min_s(acc, e);
  }
  const l0 = i32x4.extract_lane(acc, 0);
  const l1 = i32x4.extract_lane(acc, 1);
  const l2 = i32x4.extract_lane(acc, 2);
  const l3 = i32x4.extract_lane(acc, 3);
  m = isMax ? max<i32>(max<i32>(l0, l1), max<i32>(l2, l3)) : min<i32>(min<i32>(l0, l1), min<i32>(l2, l3));
  for (; i < n; i++) {
    const e = load<i32>(x + (<usize>i << 2));
    m = isMax ? (e > m ? e : m) : e < m ? e : m;
  }
  return m;
}

/** Whether any (or, for `all`, every) element is nonzero; NaN counts as nonzero. */
function truthRun<T>(x: usize, n: i32, all: bool): bool {
  const S = sizeof<T>();
  const lanes = 16 / <i32>S;
  let i = 0;
  for (; i + lanes <= n; i += lanes) {
    const nz = v128.ne<T>(v128.load(x + <usize>i * S), v128.splat<T>(<T>0));
    if (all ? !allLanes<T>(nz) : v128.any_true(nz)) return !all;
  }
  for (; i < n; i++) {
    const nz = load<T>(x + <usize>i * S) != 0;
    if (all ? !nz : nz) return !all;
  }
  return all;
}

function runs<T>(op: i32, x: usize, out: usize, outer: i32, size: i32): void {
  const S = sizeof<T>();
  for (let o = 0; o < outer; o++) {
    const p = x + <usize>o * <usize>size * S;
    if (op == ANY || op == ALL) {
      store<u8>(out + <usize>o, <u8>truthRun<T>(p, size, op == ALL));
    } else if (sizeof<T>() == 1) {
      // bool: sum and max are `any`, prod and min are `all`.
      store<u8>(out + <usize>o, <u8>truthRun<T>(p, size, op == PROD || op == MIN));
    } else if (isFloat<T>()) {
      let r: T;
      if (op == SUM) r = <T>(0.0 + pairwise<T>(p, size));
      else if (op == PROD) {
        let q = 1.0;
        for (let i = 0; i < size; i++) q *= <f64>load<T>(p + <usize>i * S);
        r = <T>q;
      } else r = extremeRun<T>(p, size, op == MAX);
      store<T>(out + <usize>o * S, r);
    } else {
      let r: i32;
      if (op == SUM) r = intSum(p, size);
      else if (op == PROD) {
        r = 1;
        for (let i = 0; i < size; i++) r *= load<i32>(p + (<usize>i << 2));
      } else r = intExtremeRun(p, size, op == MAX);
      store<i32>(out + <usize>o * S, r);
    }
  }
}

/** Reduces contiguous runs: out[o] = op(x[o*size .. (o+1)*size)), size >= 1. */
export function reduceRuns(op: i32, dt: i32, x: usize, out: usize, outer: i32, size: i32): void {
  if (dt == F64) runs<f64>(op, x, out, outer, size);
  else if (dt == F32) runs<f32>(op, x, out, outer, size);
  else if (dt == I32) runs<i32>(op, x, out, outer, size);
  else runs<u8>(op, x, out, outer, size);
}

// ---- Rows: acc[j] = op(acc[j], x[row, j]) for every row, vectorised over j. ----

/** Folds one row of n elements at x into the accumulator row at acc (A is T, or f64 for f32 sums/products). */
@inline function foldRow<T, A>(op: i32, x: usize, acc: usize, n: i32): void {
  const S = sizeof<T>();
  const SA = sizeof<A>();
  const lanes = 16 / <i32>SA;
  let j = 0;
  if (sizeof<T>() == 1) {
    // bool: sum/max/any are `or`, prod/min/all are `and` (inputs and accumulator are 0/1).
    const isOr = op == SUM || op == MAX || op == ANY;
    for (; j + 16 <= n; j += 16) {
      const at = <usize>j;
      const e = v128.load(x + at);
      const a = v128.load(acc + at);
      v128.store(acc + at, isOr ? v128.or(a, e) : v128.and(a, e));
    }
    for (; j < n; j++) {
      const e = load<u8>(x + <usize>j);
      const a = load<u8>(acc + <usize>j);
      store<u8>(acc + <usize>j, isOr ? a | e : a & e);
    }
    return;
  }
  for (; j + lanes <= n; j += lanes) {
    const pa = acc + <usize>j * SA;
    let e: v128;
    if (sizeof<A>() == sizeof<T>()) e = v128.load(x + <usize>j * S);
    else e = f64x2.promote_low_f32x4(v128.load64_zero(x + <usize>j * S));
    const a = v128.load(pa);
    let r: v128;
    if (op == SUM) r = v128.add<A>(a, e);
    else if (op == PROD) r = v128.mul<A>(a, e);
    else if (isFloat<A>()) {
      const m = op == MAX ? v128.pmax<A>(e, a) : v128.pmin<A>(e, a);
      // A NaN already in the accumulator sticks; a NaN in e wins through pmax/pmin.
      r = v128.bitselect(m, a, v128.eq<A>(a, a));
    } else r = op == MAX ? v128.max<A>(a, e) : v128.min<A>(a, e);
    v128.store(pa, r);
  }
  for (; j < n; j++) {
    const pa = acc + <usize>j * SA;
    const e = <A>load<T>(x + <usize>j * S);
    const a = load<A>(pa);
    let r: A;
    if (op == SUM) r = a + e;
    else if (op == PROD) r = a * e;
    else if (isFloat<A>() && isNaN<A>(a)) r = a;
    else if (op == MAX) r = a > e ? a : e;
    else r = a < e ? a : e;
    store<A>(pa, r);
  }
}

/** any/all rows for any input type: acc (u8) |= x != 0, or &= . */
@inline function truthRow<T>(all: bool, x: usize, acc: usize, n: i32): void {
  for (let j = 0; j < n; j++) {
    const nz = <u8>(load<T>(x + <usize>j * sizeof<T>()) != 0);
    const at = acc + <usize>j;
    store<u8>(at, all ? load<u8>(at) & nz : load<u8>(at) | nz);
  }
}

function rowsWith<T, A>(op: i32, x: usize, out: usize, outer: i32, size: i32, inner: i32, tmp: usize): void {
  const S = sizeof<T>();
  const direct = sizeof<A>() == sizeof<T>() || op == ANY || op == ALL;
  for (let o = 0; o < outer; o++) {
    const start = x + <usize>o * <usize>size * <usize>inner * S;
    const dst = op == ANY || op == ALL ? out + <usize>o * <usize>inner : out + <usize>o * <usize>inner * S;
    const acc = direct ? dst : tmp;
    let first = 0;
    if (op == ANY || op == ALL) {
      memory.fill(acc, op == ALL ? 1 : 0, <usize>inner);
      for (let row = 0; row < size; row++) truthRow<T>(op == ALL, start + <usize>row * <usize>inner * S, acc, inner);
      continue;
    }
    if (op == MAX || op == MIN || sizeof<T>() == 1) {
      // Start from row 0 (bool sums and products too: or/and of 0/1 rows).
      for (let j = 0; j < inner; j++) store<A>(acc + <usize>j * sizeof<A>(), <A>load<T>(start + <usize>j * S));
      first = 1;
    } else {
      const one = <A>(op == PROD ? 1 : 0);
      for (let j = 0; j < inner; j++) store<A>(acc + <usize>j * sizeof<A>(), one);
    }
    for (let row = first; row < size; row++) foldRow<T, A>(op, start + <usize>row * <usize>inner * S, acc, inner);
    if (!direct) for (let j = 0; j < inner; j++) store<T>(dst + <usize>j * S, <T>load<A>(acc + <usize>j * sizeof<A>()));
  }
}

/**
 * Reduces the middle axis of (outer, size, inner), inner > 1, size >= 1. `tmp` holds `inner` f64 for f32
 * sums and products, which accumulate in f64 as the runs do.
 */
export function reduceRows(op: i32, dt: i32, x: usize, out: usize, outer: i32, size: i32, inner: i32, tmp: usize): void {
  if (dt == F64) rowsWith<f64, f64>(op, x, out, outer, size, inner, tmp);
  else if (dt == F32) {
    if (op == SUM || op == PROD) rowsWith<f32, f64>(op, x, out, outer, size, inner, tmp);
    else rowsWith<f32, f32>(op, x, out, outer, size, inner, tmp);
  } else if (dt == I32) rowsWith<i32, i32>(op, x, out, outer, size, inner, tmp);
  else rowsWith<u8, u8>(op, x, out, outer, size, inner, tmp);
}

// ---- argmax / argmin ----

function argWith<T>(max: bool, x: usize, out: usize, outer: i32, size: i32, inner: i32, best: usize): void {
  const S = sizeof<T>();
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      const p = x + <usize>o * <usize>size * S;
      let b = load<T>(p);
      let at = 0;
      if (!isFloat<T>() || !isNaN<T>(b)) {
        for (let i = 1; i < size; i++) {
          const e = load<T>(p + <usize>i * S);
          if (max ? e > b : e < b) {
            b = e;
            at = i;
          } else if (isFloat<T>() && isNaN<T>(e)) {
            at = i;
            break;
          }
        }
      }
      store<i32>(out + (<usize>o << 2), at);
    }
    return;
  }
  // Row by row, keeping the best value seen per column, so the inner loop stays contiguous.
  for (let o = 0; o < outer; o++) {
    const start = x + <usize>o * <usize>size * <usize>inner * S;
    const w = out + ((<usize>o * <usize>inner) << 2);
    memory.fill(w, 0, <usize>inner << 2);
    for (let j = 0; j < inner; j++) store<T>(best + <usize>j * S, load<T>(start + <usize>j * S));
    for (let r = 1; r < size; r++) {
      const row = start + <usize>r * <usize>inner * S;
      for (let j = 0; j < inner; j++) {
        const e = load<T>(row + <usize>j * S);
        const b = load<T>(best + <usize>j * S);
        if ((max ? e > b : e < b) || (isFloat<T>() && isNaN<T>(e) && !isNaN<T>(b))) {
          store<T>(best + <usize>j * S, e);
          store<i32>(w + (<usize>j << 2), r);
        }
      }
    }
  }
}

/** Index (int32) of the first max/min along the middle axis of (outer, size, inner), or of the first NaN. */
export function argReduce(max: bool, dt: i32, x: usize, out: usize, outer: i32, size: i32, inner: i32, best: usize): void {
  if (dt == F64) argWith<f64>(max, x, out, outer, size, inner, best);
  else if (dt == F32) argWith<f32>(max, x, out, outer, size, inner, best);
  else if (dt == I32) argWith<i32>(max, x, out, outer, size, inner, best);
  else argWith<u8>(max, x, out, outer, size, inner, best);
}

// ---- cumulative ----

function scan<T>(prod: bool, x: usize, out: usize, outer: i32, size: i32, inner: i32): void {
  const S = sizeof<T>();
  const block = <usize>size * <usize>inner * S;
  const step = <usize>inner * S;
  for (let o = 0; o < outer; o++) {
    const src = x + <usize>o * block;
    const dst = out + <usize>o * block;
    if (size > 0) memory.copy(dst, src, step);
    // Past the first row, element k's predecessor along the axis is k - inner: in the dtype's own arithmetic
    // (float32 rounds every step, int32 wraps, bool is or/and).
    for (let k = step; k < block; k += S) {
      const a = load<T>(dst + k - step);
      const e = load<T>(src + k);
      let r: T;
      if (sizeof<T>() == 1) r = prod ? a & e : a | e;
      else r = prod ? a * e : a + e;
      store<T>(dst + k, r);
    }
  }
}

/** Inclusive cumulative sum (or product) along the middle axis of (outer, size, inner). */
export function cumulative(prod: bool, dt: i32, x: usize, out: usize, outer: i32, size: i32, inner: i32): void {
  if (dt == F64) scan<f64>(prod, x, out, outer, size, inner);
  else if (dt == F32) scan<f32>(prod, x, out, outer, size, inner);
  else if (dt == I32) scan<i32>(prod, x, out, outer, size, inner);
  else scan<u8>(prod, x, out, outer, size, inner);
}
