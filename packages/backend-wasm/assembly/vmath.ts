// Vectorised exp and log (f32x4 and f64x2) for the hot element-wise paths, with scalar fallbacks per vector.
//
// The f32 versions are Cephes-style (Cody-Waite reduction by ln 2, a short polynomial, exponent bits put in by
// integer arithmetic); the f64 versions follow fdlibm's e_exp.c / e_log.c formulas, which are accurate to
// under 1 ulp. Rounding uses the 1.5·2^p magic constant instead of floor or trunc_sat, which lower to long x64
// sequences. Each vector whose lanes leave the range the fast formula handles (overflow, subnormal results,
// zeros, negatives, infinities, NaN) is computed lane by lane with the scalar Math functions instead.

// ---- exp, f32x4 ----

const EXPF_LO: f32 = -87.0;
const EXPF_HI: f32 = 88.0;
const LOG2EF: f32 = 1.44269504088896341;
const EXPF_C1: f32 = 0.693359375;
const EXPF_C2: f32 = -2.12194440e-4;
const MAGIC_F32: f32 = 12582912.0; // 1.5 * 2^23

@inline function expf4Fast(x: v128): v128 {
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2EF)), f32x4.splat(MAGIC_F32));
  const k = f32x4.sub(t, f32x4.splat(MAGIC_F32));
  let r = f32x4.sub(x, f32x4.mul(k, f32x4.splat(EXPF_C1)));
  r = f32x4.sub(r, f32x4.mul(k, f32x4.splat(EXPF_C2)));
  let p = f32x4.add(f32x4.mul(f32x4.splat(1.9875691500e-4), r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1.0));
  // The rounded k sits in the low mantissa bits of t: shift it into the exponent field.
  const ki = i32x4.sub(t, i32x4.splat(reinterpret<i32>(MAGIC_F32)));
  return i32x4.add(y, i32x4.shl(ki, 23));
}

/** e^x on four f32 lanes. */
@inline export function expf4(x: v128): v128 {
  const outside = v128.or(f32x4.lt(x, f32x4.splat(EXPF_LO)), v128.not(f32x4.le(x, f32x4.splat(EXPF_HI))));
  if (!v128.any_true(outside)) return expf4Fast(x);
  return f32x4(
    <f32>Math.exp(<f64>f32x4.extract_lane(x, 0)),
    <f32>Math.exp(<f64>f32x4.extract_lane(x, 1)),
    <f32>Math.exp(<f64>f32x4.extract_lane(x, 2)),
    <f32>Math.exp(<f64>f32x4.extract_lane(x, 3)),
  );
}

// ---- log, f32x4 ----

const SQRTHF: f32 = 0.707106781186547524;

@inline function logf4Fast(x: v128): v128 {
  // x = m * 2^e with m in [0.5, 1), then m moved to [sqrt(1/2), sqrt(2)) so that the polynomial argument is small.
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(126)));
  let m = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const small = f32x4.lt(m, f32x4.splat(SQRTHF));
  e = f32x4.sub(e, v128.and(small, f32x4.splat(1.0)));
  const f = f32x4.sub(f32x4.add(m, v128.and(small, m)), f32x4.splat(1.0));
  const z = f32x4.mul(f, f);
  let y = f32x4.add(f32x4.mul(f32x4.splat(7.0376836292e-2), f), f32x4.splat(-1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(1.1676998740e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, f), z);
  y = f32x4.add(y, f32x4.mul(e, f32x4.splat(-2.12194440e-4)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  m = f32x4.add(f, y);
  return f32x4.add(m, f32x4.mul(e, f32x4.splat(0.693359375)));
}

/** ln x on four f32 lanes. */
@inline export function logf4(x: v128): v128 {
  // Normal, positive, finite: bits in [0x00800000, 0x7f800000).
  const inside = i32x4.lt_u(i32x4.sub(x, i32x4.splat(0x00800000)), i32x4.splat(0x7f000000));
  if (i32x4.all_true(inside)) return logf4Fast(x);
  return f32x4(
    <f32>Math.log(<f64>f32x4.extract_lane(x, 0)),
    <f32>Math.log(<f64>f32x4.extract_lane(x, 1)),
    <f32>Math.log(<f64>f32x4.extract_lane(x, 2)),
    <f32>Math.log(<f64>f32x4.extract_lane(x, 3)),
  );
}

// ---- exp, f64x2 (fdlibm e_exp.c) ----

const EXP_LO: f64 = -707.0;
const EXP_HI: f64 = 709.0;
const INVLN2: f64 = 1.44269504088896338700e0;
const LN2HI: f64 = 6.93147180369123816490e-1;
const LN2LO: f64 = 1.90821492927058770002e-10;
const MAGIC_F64: f64 = 6755399441055744.0; // 1.5 * 2^52

@inline function exp2Fast(x: v128): v128 {
  const t = f64x2.add(f64x2.mul(x, f64x2.splat(INVLN2)), f64x2.splat(MAGIC_F64));
  const k = f64x2.sub(t, f64x2.splat(MAGIC_F64));
  const hi = f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2HI)));
  const lo = f64x2.mul(k, f64x2.splat(LN2LO));
  const r = f64x2.sub(hi, lo);
  const rr = f64x2.mul(r, r);
  let p = f64x2.add(f64x2.mul(rr, f64x2.splat(4.13813679705723846039e-8)), f64x2.splat(-1.65339022054652515390e-6));
  p = f64x2.add(f64x2.mul(rr, p), f64x2.splat(6.61375632143793436117e-5));
  p = f64x2.add(f64x2.mul(rr, p), f64x2.splat(-2.77777777770155933842e-3));
  p = f64x2.add(f64x2.mul(rr, p), f64x2.splat(1.66666666666666019037e-1));
  const c = f64x2.sub(r, f64x2.mul(rr, p));
  const rc = f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2.0), c));
  const y = f64x2.sub(f64x2.splat(1.0), f64x2.sub(f64x2.sub(lo, rc), hi));
  const ki = i64x2.sub(t, i64x2.splat(reinterpret<i64>(MAGIC_F64)));
  return i64x2.add(y, i64x2.shl(ki, 52));
}

/** e^x on two f64 lanes. */
@inline export function exp2x(x: v128): v128 {
  const outside = v128.or(f64x2.lt(x, f64x2.splat(EXP_LO)), v128.not(f64x2.le(x, f64x2.splat(EXP_HI))));
  if (!v128.any_true(outside)) return exp2Fast(x);
  return f64x2(Math.exp(f64x2.extract_lane(x, 0)), Math.exp(f64x2.extract_lane(x, 1)));
}

// ---- log, f64x2 (fdlibm e_log.c) ----

const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;

@inline function log2Fast(x: v128): v128 {
  // Reduce x to 2^k (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)), working on the high words as fdlibm does.
  let hx = i64x2.shr_u(x, 32);
  hx = i64x2.add(hx, i64x2.splat(0x3ff00000 - 0x3fe6a09e));
  const k = i64x2.sub(i64x2.shr_s(hx, 20), i64x2.splat(0x3ff));
  hx = i64x2.add(v128.and(hx, i64x2.splat(0x000fffff)), i64x2.splat(0x3fe6a09e));
  const m = v128.or(i64x2.shl(hx, 32), v128.and(x, i64x2.splat(0xffffffff)));
  const f = f64x2.sub(m, f64x2.splat(1.0));
  const hfsq = f64x2.mul(f64x2.mul(f, f), f64x2.splat(0.5));
  const s = f64x2.div(f, f64x2.add(f64x2.splat(2.0), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  let t1 = f64x2.add(f64x2.mul(w, f64x2.splat(1.531383769920937332e-1)), f64x2.splat(2.222219843214978396e-1));
  t1 = f64x2.add(f64x2.mul(w, t1), f64x2.splat(3.999999999940941908e-1));
  t1 = f64x2.mul(w, t1);
  let t2 = f64x2.add(f64x2.mul(w, f64x2.splat(1.479819860511658591e-1)), f64x2.splat(1.818357216161805012e-1));
  t2 = f64x2.add(f64x2.mul(w, t2), f64x2.splat(2.857142874366239149e-1));
  t2 = f64x2.add(f64x2.mul(w, t2), f64x2.splat(6.666666666666735130e-1));
  t2 = f64x2.mul(z, t2);
  const r = f64x2.add(t2, t1);
  // k (small) as a double: add it to the bits of 1.5 * 2^52 and subtract that constant.
  const dk = f64x2.sub(i64x2.add(k, i64x2.splat(reinterpret<i64>(MAGIC_F64))), f64x2.splat(MAGIC_F64));
  let y = f64x2.mul(s, f64x2.add(hfsq, r));
  y = f64x2.add(y, f64x2.mul(dk, f64x2.splat(LN2_LO)));
  y = f64x2.sub(y, hfsq);
  y = f64x2.add(y, f);
  return f64x2.add(y, f64x2.mul(dk, f64x2.splat(LN2_HI)));
}

/** ln x on two f64 lanes. */
@inline export function log2x(x: v128): v128 {
  const inside = v128.and(
    i64x2.ge_s(x, i64x2.splat(0x0010000000000000)),
    i64x2.lt_s(x, i64x2.splat(0x7ff0000000000000)),
  );
  if (i64x2.all_true(inside)) return log2Fast(x);
  return f64x2(Math.log(f64x2.extract_lane(x, 0)), Math.log(f64x2.extract_lane(x, 1)));
}

// ---- tanh (Cephes tanhf / tanh): a polynomial (rational for f64) below |x| = 0.625, 1 - 2/(e^2|x| + 1) above ----

/** tanh on four f32 lanes. */
@inline export function tanhf4(x: v128): v128 {
  const sign = v128.and(x, i32x4.splat(0x80000000));
  // |x| clamped to 20, where tanh is 1 in f32, so e^2|x| never overflows (NaN passes through pmin).
  const ax = f32x4.pmin(v128.andnot(x, i32x4.splat(0x80000000)), f32x4.splat(20.0));
  const e = expf4(f32x4.add(ax, ax));
  const big = f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(e, f32x4.splat(1.0))));
  const z = f32x4.mul(x, x);
  let p = f32x4.add(f32x4.mul(f32x4.splat(-5.70498872745e-3), z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  // x + x*(z*p) keeps the sign of -0.
  const small = f32x4.add(x, f32x4.mul(x, f32x4.mul(z, p)));
  return v128.bitselect(v128.or(big, sign), small, f32x4.gt(ax, f32x4.splat(0.625)));
}

/** tanh on two f64 lanes. */
@inline export function tanh2x(x: v128): v128 {
  const sign = v128.and(x, i64x2.splat(0x8000000000000000));
  // Past |x| = 22, tanh is 1 in f64.
  const ax = f64x2.pmin(v128.andnot(x, i64x2.splat(0x8000000000000000)), f64x2.splat(22.0));
  const e = exp2x(f64x2.add(ax, ax));
  const big = f64x2.sub(f64x2.splat(1.0), f64x2.div(f64x2.splat(2.0), f64x2.add(e, f64x2.splat(1.0))));
  const z = f64x2.mul(x, x);
  let p = f64x2.add(f64x2.mul(f64x2.splat(-9.64399179425052238628e-1), z), f64x2.splat(-9.92877231001918586564e1));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(-1.61468768441708447952e3));
  let q = f64x2.add(z, f64x2.splat(1.12811678491632931402e2));
  q = f64x2.add(f64x2.mul(q, z), f64x2.splat(2.23548839060100448583e3));
  q = f64x2.add(f64x2.mul(q, z), f64x2.splat(4.84406305325125486048e3));
  const small = f64x2.add(x, f64x2.mul(x, f64x2.div(f64x2.mul(z, p), q)));
  return v128.bitselect(v128.or(big, sign), small, f64x2.gt(ax, f64x2.splat(0.625)));
}
