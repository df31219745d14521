// Fused ELU and softmax kernels of @mg/activations for @mg/backend-wasm: they run in the backend's memory, so
// they only take pointers and lengths, never allocate, and use no static data (see the package's `asbuild`
// script: no runtime, no data segments, no math tables; the backend rejects a module that has any).
//
// Both dtypes are SIMD (f32x4, f64x2), with vector exps written here (AssemblyScript has none); lanes outside
// their range, and the scalar tails, use Math.exp. Softmax works on rows: `rows` consecutive slices of `len`
// elements (the last axis).

// Lanes of e^x are computed by the polynomial for x in [EXP_LO, 0] (every exponent of an ELU or softmax), by
// Math.exp otherwise: below EXP_LO the result would be subnormal, where the exponent-bit trick does not work.
const EXP_LO: f32 = -87.0;
const LOG2E: f32 = <f32>Math.LOG2E;
// ln 2 split in two (Cody-Waite): LN2_HI has few mantissa bits, so k·LN2_HI is exact for the k that occur.
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.1219444e-4;
// Adding 1.5·2^23 rounds a float to an integer (round-to-nearest) and leaves it in the low mantissa bits.
const ROUND: f32 = 12582912.0;

/**
 * The vector exp, as static methods: AssemblyScript inlines `@inline` methods at every call (and a function
 * called per vector that is not inlined cost 3-5x here; --shrinkLevel 1 keeps binaryen from inlining it).
 */
// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript's @inline works on methods, not on functions here
class Exp {
  /** e^x for lanes in [EXP_LO, 0]: x = k·ln2 + r, e^r as 1 + r + r²·P(r) with P of degree 5 (Cephes expf), 2^k into the exponent bits. */
  @inline static fast(x: v128): v128 {
    const shifted = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(ROUND));
    const k = f32x4.sub(shifted, f32x4.splat(ROUND));
    const r = f32x4.sub(f32x4.sub(x, f32x4.mul(k, f32x4.splat(LN2_HI))), f32x4.mul(k, f32x4.splat(LN2_LO)));
    let p = f32x4.splat(1.98756915e-4);
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.39819995e-3));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.33345191e-3));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.0416657959));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.166666655));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.500000012));
    const er = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1.0));
    const kBits = i32x4.sub(shifted, i32x4.splat(reinterpret<i32>(ROUND)));
    return i32x4.add(er, i32x4.shl(kBits, 23));
  }

  /** e^x on four lanes; a vector with a lane outside [EXP_LO, 0] (or NaN) is done lane by lane with Math.exp. */
  @inline static f32x4(x: v128): v128 {
    const inRange = v128.and(f32x4.ge(x, f32x4.splat(EXP_LO)), f32x4.le(x, f32x4.splat(0)));
    if (v128.all_true<i32>(inRange)) return Exp.fast(x);
    return Exp.lanes(x);
  }

  /** The rare slow path, kept out of line. */
  static lanes(x: v128): v128 {
    return f32x4(
      <f32>Math.exp(<f64>f32x4.extract_lane(x, 0)),
      <f32>Math.exp(<f64>f32x4.extract_lane(x, 1)),
      <f32>Math.exp(<f64>f32x4.extract_lane(x, 2)),
      <f32>Math.exp(<f64>f32x4.extract_lane(x, 3)),
    );
  }
}

// e^x on f64x2 lanes in [EXP64_LO, 0], as fdlibm's e_exp.c (under 1 ulp): x = k·ln2 + r with ln 2 split in two,
// a rational approximation of e^r, 2^k put into the exponent bits; 1.5·2^52 rounds to an integer.
const EXP64_LO: f64 = -708.0;
const INV_LN2: f64 = Math.LOG2E;
const LN2_HI64: f64 = 0.6931471803691238;
const LN2_LO64: f64 = 1.9082149292705877e-10;
const ROUND64: f64 = 6755399441055744.0;

// biome-ignore lint/complexity/noStaticOnlyClass: as for Exp
class Exp64 {
  @inline static fast(x: v128): v128 {
    const shifted = f64x2.add(f64x2.mul(x, f64x2.splat(INV_LN2)), f64x2.splat(ROUND64));
    const k = f64x2.sub(shifted, f64x2.splat(ROUND64));
    const hi = f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI64)));
    const lo = f64x2.mul(k, f64x2.splat(LN2_LO64));
    const r = f64x2.sub(hi, lo);
    const rr = f64x2.mul(r, r);
    let p = f64x2.splat(4.1381367970572385e-8);
    p = f64x2.add(f64x2.mul(p, rr), f64x2.splat(-1.6533902205465252e-6));
    p = f64x2.add(f64x2.mul(p, rr), f64x2.splat(0.00006613756321437934));
    p = f64x2.add(f64x2.mul(p, rr), f64x2.splat(-0.0027777777777015593));
    p = f64x2.add(f64x2.mul(p, rr), f64x2.splat(0.16666666666666602));
    const c = f64x2.sub(r, f64x2.mul(rr, p));
    const rc = f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2.0), c));
    const er = f64x2.sub(f64x2.splat(1.0), f64x2.sub(f64x2.sub(lo, rc), hi));
    const kBits = i64x2.sub(shifted, i64x2.splat(reinterpret<i64>(ROUND64)));
    return i64x2.add(er, i64x2.shl(kBits, 52));
  }

  /**
   * e^x on two lanes; a vector with a lane outside [EXP64_LO, 0] (or NaN) is done lane by lane. Not inlined:
   * two inlined copies would take the module past the 4 KB that browsers compile synchronously.
   */
  static f64x2(x: v128): v128 {
    const inRange = v128.and(f64x2.ge(x, f64x2.splat(EXP64_LO)), f64x2.le(x, f64x2.splat(0)));
    if (v128.all_true<i64>(inRange)) return Exp64.fast(x);
    return Exp64.lanes(x);
  }

  static lanes(x: v128): v128 {
    return f64x2(Math.exp(f64x2.extract_lane(x, 0)), Math.exp(f64x2.extract_lane(x, 1)));
  }
}

/** e^x of one float32, as the vector path computes it for in-range values (rounded once from double). */
function exp1(x: f32): f32 {
  return <f32>Math.exp(<f64>x);
}

// ---- ELU: α·(e^x - 1) where x < 0, x elsewhere (NaN stays NaN) ----
// Forward also writes the slope ∂ELU/∂x, α·(e^x - 1) + α where x < 0 and 1 elsewhere (the composite's
// arithmetic), so that backward is one multiplication with no exp.

/** ELU of n float32s at x into out, and its slope into slope. */
export function eluF32(x: usize, out: usize, slope: usize, n: i32, alpha: f32): void {
  const a = f32x4.splat(alpha);
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const v = v128.load(x + at);
    // pmin(0, v) is v where v < 0, else 0 (also for NaN): exp only ever sees the negative side.
    const term = f32x4.mul(f32x4.sub(Exp.f32x4(f32x4.pmin(zero, v)), one), a);
    const negative = f32x4.lt(v, zero);
    v128.store(out + at, v128.bitselect(term, v, negative));
    v128.store(slope + at, v128.bitselect(f32x4.add(term, a), one, negative));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const v = load<f32>(x + at);
    const term = (exp1(v) - 1) * alpha;
    store<f32>(out + at, v < 0 ? term : v);
    store<f32>(slope + at, v < 0 ? term + alpha : 1);
  }
}

/** ELU of n float64s, and its slope. */
export function eluF64(x: usize, out: usize, slope: usize, n: i32, alpha: f64): void {
  const a = f64x2.splat(alpha);
  const zero = f64x2.splat(0);
  const one = f64x2.splat(1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = (<usize>i) << 3;
    const v = v128.load(x + at);
    const term = f64x2.mul(f64x2.sub(Exp64.f64x2(f64x2.pmin(zero, v)), one), a);
    const negative = f64x2.lt(v, zero);
    v128.store(out + at, v128.bitselect(term, v, negative));
    v128.store(slope + at, v128.bitselect(f64x2.add(term, a), one, negative));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 3;
    const v = load<f64>(x + at);
    const negative = v < 0;
    const term = negative ? (Math.exp(v) - 1) * alpha : 0;
    store<f64>(out + at, negative ? term : v);
    store<f64>(slope + at, negative ? term + alpha : 1);
  }
}

// ---- softmax over rows: p = e^(x - max) / Σ e^(x - max) ----

/** The maximum of a float32 row, NaN if it holds one (as the composite's max). */
function rowMaxF32(x: usize, len: i32): f32 {
  let acc = f32x4.splat(-Infinity);
  let nan = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= len; j += 4) {
    const v = v128.load(x + ((<usize>j) << 2));
    acc = f32x4.pmax(acc, v);
    nan = v128.or(nan, f32x4.ne(v, v));
  }
  if (v128.any_true(nan)) return NaN;
  let m = max(
    max(f32x4.extract_lane(acc, 0), f32x4.extract_lane(acc, 1)),
    max(f32x4.extract_lane(acc, 2), f32x4.extract_lane(acc, 3)),
  );
  for (; j < len; j++) {
    const v = load<f32>(x + ((<usize>j) << 2));
    if (Number.isNaN(v)) return NaN;
    if (v > m) m = v;
  }
  return m;
}

/** Writes e^(x - m) of a float32 row into out and returns their sum, accumulated in double. */
function expRowF32(x: usize, out: usize, len: i32, m: f32): f64 {
  const mv = f32x4.splat(m);
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= len; j += 4) {
    const at = (<usize>j) << 2;
    const e = Exp.f32x4(f32x4.sub(v128.load(x + at), mv));
    v128.store(out + at, e);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(e));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1)));
  }
  const both = f64x2.add(lo, hi);
  let total = f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
  for (; j < len; j++) {
    const at = (<usize>j) << 2;
    const e = exp1(load<f32>(x + at) - m);
    store<f32>(out + at, e);
    total += <f64>e;
  }
  return total;
}

/** The softmax of one float32 row into out. */
function softmaxRowF32(x: usize, out: usize, len: i32): void {
  const total = <f32>expRowF32(x, out, len, rowMaxF32(x, len));
  const tv = f32x4.splat(total);
  let j = 0;
  for (; j + 4 <= len; j += 4) {
    const at = out + ((<usize>j) << 2);
    v128.store(at, f32x4.div(v128.load(at), tv));
  }
  for (; j < len; j++) {
    const at = out + ((<usize>j) << 2);
    store<f32>(at, load<f32>(at) / total);
  }
}

/** Softmax of `rows` float32 rows of `len` elements. */
export function softmaxF32(x: usize, out: usize, rows: i32, len: i32): void {
  const stride = (<usize>len) << 2;
  for (let r = 0; r < rows; r++) softmaxRowF32(x + <usize>r * stride, out + <usize>r * stride, len);
}

/** ∂softmax/∂x·g for float32 rows from the output p: p·g - p·Σ(p·g), MyGrad's formula. */
export function softmaxGradF32(p: usize, g: usize, out: usize, rows: i32, len: i32): void {
  const stride = (<usize>len) << 2;
  for (let r = 0; r < rows; r++) {
    const pr = p + <usize>r * stride;
    const gr = g + <usize>r * stride;
    const or = out + <usize>r * stride;
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    let j = 0;
    for (; j + 4 <= len; j += 4) {
      const at = (<usize>j) << 2;
      const pg = f32x4.mul(v128.load(pr + at), v128.load(gr + at));
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(pg));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(pg, pg, 2, 3, 0, 1)));
    }
    const both = f64x2.add(lo, hi);
    let dot = f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
    for (; j < len; j++) {
      const at = (<usize>j) << 2;
      dot += <f64>(load<f32>(pr + at) * load<f32>(gr + at));
    }
    const d = <f32>dot;
    const dv = f32x4.splat(d);
    j = 0;
    for (; j + 4 <= len; j += 4) {
      const at = (<usize>j) << 2;
      const pv = v128.load(pr + at);
      v128.store(or + at, f32x4.sub(f32x4.mul(pv, v128.load(gr + at)), f32x4.mul(pv, dv)));
    }
    for (; j < len; j++) {
      const at = (<usize>j) << 2;
      const pv = load<f32>(pr + at);
      store<f32>(or + at, pv * load<f32>(gr + at) - pv * d);
    }
  }
}

/** The softmax of one float64 row into out. */
function softmaxRowF64(x: usize, out: usize, len: i32): void {
  let m: f64 = -Infinity;
  for (let j = 0; j < len; j++) {
    const v = load<f64>(x + ((<usize>j) << 3));
    if (v > m) m = v;
    else if (Number.isNaN(v)) {
      m = v;
      break;
    }
  }
  const mv = f64x2.splat(m);
  let sum = f64x2.splat(0);
  let j = 0;
  for (; j + 2 <= len; j += 2) {
    const at = (<usize>j) << 3;
    const e = Exp64.f64x2(f64x2.sub(v128.load(x + at), mv));
    v128.store(out + at, e);
    sum = f64x2.add(sum, e);
  }
  let total = f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1);
  for (; j < len; j++) {
    const at = (<usize>j) << 3;
    const e = Math.exp(load<f64>(x + at) - m);
    store<f64>(out + at, e);
    total += e;
  }
  const tv = f64x2.splat(total);
  j = 0;
  for (; j + 2 <= len; j += 2) {
    const at = out + ((<usize>j) << 3);
    v128.store(at, f64x2.div(v128.load(at), tv));
  }
  for (; j < len; j++) {
    const at = out + ((<usize>j) << 3);
    store<f64>(at, load<f64>(at) / total);
  }
}

/** Softmax of `rows` float64 rows of `len` elements. */
export function softmaxF64(x: usize, out: usize, rows: i32, len: i32): void {
  const stride = (<usize>len) << 3;
  for (let r = 0; r < rows; r++) softmaxRowF64(x + <usize>r * stride, out + <usize>r * stride, len);
}

/** ∂softmax/∂x·g for float64 rows from the output p. */
export function softmaxGradF64(p: usize, g: usize, out: usize, rows: i32, len: i32): void {
  const stride = (<usize>len) << 3;
  for (let r = 0; r < rows; r++) {
    const pr = p + <usize>r * stride;
    const gr = g + <usize>r * stride;
    const or = out + <usize>r * stride;
    let dot: f64 = 0;
    for (let j = 0; j < len; j++) {
      const at = (<usize>j) << 3;
      dot += load<f64>(pr + at) * load<f64>(gr + at);
    }
    for (let j = 0; j < len; j++) {
      const at = (<usize>j) << 3;
      const pv = load<f64>(pr + at);
      store<f64>(or + at, pv * load<f64>(gr + at) - pv * dot);
    }
  }
}
