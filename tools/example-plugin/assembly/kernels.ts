// Fused GELU and SiLU kernels of @mg/example-plugin for @mg/backend-wasm. They run in the backend's memory,
// so they take byte addresses and element counts only, never allocate, and use no static data (see the
// package's `asbuild` script: no runtime, no data segments, no math tables; the backend rejects a module that
// has any). Constants are literals: one computed with Math (e.g. `2 * Math.sqrt(2 / Math.PI)`) would become a
// global set by a start function, which the backend rejects too.
//
// Both ops are x·σ(z): SiLU with z = x, GELU (tanh approximation) with z = 2·√(2/π)·(x + 0.044715·x³),
// because x/2·(1 + tanh(u)) = x·σ(2u). σ is computed from e = e^-|z|, which never overflows: 1/(1 + e) on the
// side of z >= 0, e/(1 + e) on the other, and σ(z)·(1 - σ(z)) = e/(1 + e)² on both. Forward writes y and e;
// backward rebuilds σ and 1 - σ from e with one division (no exp) and computes
//   ∂y/∂x = σ + x·σ·(1 - σ)·q,   q = 1 (SiLU),   q = ∂z/∂x = 2·√(2/π)·(1 + 3·0.044715·x²) (GELU),
// multiplying σ·(1 - σ) into q before x, as the composites do, so that 0·(large) stays 0 for finite x. The
// sign of z is the sign of x for both ops.
//
// float32 runs four lanes at a time with a vector e^w of its own (AssemblyScript has none), the last n % 4
// elements and every float64 one element at a time with Math.exp in double precision.

/** 2·√(2/π), and 2·√(2/π)·0.044715: z = x·(Z1 + Z3·x²) for GELU. */
const Z1: f64 = 1.5957691216057308;
const Z3: f64 = 0.07135481627260025;
/** 3·Z3: q = Z1 + Q2·x² for GELU. */
const Q2: f64 = 0.21406444881780076;
/**
 * x² is capped here in q: beyond |x| = 1000, e^-|z| is 0, so σ·(1 - σ) = 0 and q only has to stay finite (an
 * overflowing x² would make 0·∞ = NaN where ∂y/∂x is 0 or 1; the composite gives NaN there).
 */
const X2_MAX: f64 = 1e6;

// ---- e^w on four float32 lanes, for w <= 0 ----
// w = k·ln 2 + r with |r| <= ln2/2 (Cody-Waite: ln 2 split so that k·LN2_HI is exact), e^r by Cephes'
// expf polynomial, then 2^k put into the exponent bits. The result is built as e^r·2^(k+64), always a normal
// float, and scaled by 2^-64 in one multiplication, which rounds results below 2^-126 to subnormals
// correctly.
// Lanes are clamped to [-104, 0] first (e^-104 rounds to 0 in float32); pmax also turns NaN into -104, so NaN
// lanes give 0 (their y and ∂y/∂x are NaN through the factor x anyway).
const W_MIN: f32 = -104.0;
const LOG2E: f32 = <f32>Math.LOG2E;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.1219444e-4;
/** 1.5·2^23: adding it rounds |v| < 2^22 to an integer and leaves that integer in the low mantissa bits. */
const ROUND: f32 = 12582912.0;
/** 2^-64. */
const TWO_M64: f32 = 5.421010862427522e-20;

// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript's @inline applies to methods here
class V {
  /** e^w for lanes w <= 0 (or NaN, giving 0). */
  @inline static exp(w: v128): v128 {
    const c = f32x4.pmax(f32x4.splat(W_MIN), w);
    const shifted = f32x4.add(f32x4.mul(c, f32x4.splat(LOG2E)), f32x4.splat(ROUND));
    const k = f32x4.sub(shifted, f32x4.splat(ROUND));
    const r = f32x4.sub(f32x4.sub(c, f32x4.mul(k, f32x4.splat(LN2_HI))), f32x4.mul(k, f32x4.splat(LN2_LO)));
    let p = f32x4.splat(1.98756915e-4);
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
    const er = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1.0));
    // The bits of `shifted` are ROUND's plus k: subtracting ROUND's minus 64 leaves k + 64.
    const k64 = i32x4.sub(shifted, i32x4.splat(reinterpret<i32>(ROUND) - 64));
    return f32x4.mul(i32x4.add(er, i32x4.shl(k64, 23)), f32x4.splat(TWO_M64));
  }

  /** z for four lanes of x. */
  @inline static z(x: v128, gelu: bool): v128 {
    if (!gelu) return x;
    return f32x4.mul(x, f32x4.add(f32x4.splat(<f32>Z1), f32x4.mul(f32x4.mul(x, x), f32x4.splat(<f32>Z3))));
  }
}

// ---- one element, in double precision (float64, and the float32 tails) ----

/** e^-|z| of one element. */
function termOf(x: f64, gelu: bool): f64 {
  const z = gelu ? x * (Z1 + x * x * Z3) : x;
  return Math.exp(-Math.abs(z));
}

/** y = x·σ(z) from x and e = e^-|z|. */
function outputOf(x: f64, e: f64): f64 {
  const d = 1 / (1 + e);
  return x * (x < 0 ? e * d : d);
}

/** g·∂y/∂x from x and e = e^-|z|. */
function gradOf(x: f64, e: f64, g: f64, gelu: bool): f64 {
  const d = 1 / (1 + e);
  const q = gelu ? Z1 + min(x * x, X2_MAX) * Q2 : 1;
  return g * ((x < 0 ? e * d : d) + x * (e * d * d * q));
}

// ---- the loops ----

/** y and e of n float32s at x into out and term. */
function forwardF32(x: usize, out: usize, term: usize, n: i32, gelu: bool): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const v = v128.load(x + at);
    const e = V.exp(f32x4.neg(f32x4.abs(V.z(v, gelu))));
    const d = f32x4.div(one, f32x4.add(one, e));
    const s = v128.bitselect(f32x4.mul(e, d), d, f32x4.lt(v, zero));
    v128.store(out + at, f32x4.mul(v, s));
    v128.store(term + at, e);
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const v = <f64>load<f32>(x + at);
    const e = termOf(v, gelu);
    store<f32>(out + at, <f32>outputOf(v, e));
    store<f32>(term + at, <f32>e);
  }
}

/** ∂ℒ/∂x of n float32s from x, the term forward wrote and the upstream gradient g, into out. */
function backwardF32(x: usize, term: usize, g: usize, out: usize, n: i32, gelu: bool): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const v = v128.load(x + at);
    const e = v128.load(term + at);
    const d = f32x4.div(one, f32x4.add(one, e));
    const ed = f32x4.mul(e, d);
    const s = v128.bitselect(ed, d, f32x4.lt(v, zero));
    let p = f32x4.mul(ed, d);
    if (gelu) {
      const x2 = f32x4.min(f32x4.mul(v, v), f32x4.splat(<f32>X2_MAX));
      p = f32x4.mul(p, f32x4.add(f32x4.splat(<f32>Z1), f32x4.mul(x2, f32x4.splat(<f32>Q2))));
    }
    v128.store(out + at, f32x4.mul(v128.load(g + at), f32x4.add(s, f32x4.mul(v, p))));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const v = <f64>load<f32>(x + at);
    store<f32>(out + at, <f32>gradOf(v, <f64>load<f32>(term + at), <f64>load<f32>(g + at), gelu));
  }
}

/** y and e of n float64s. */
function forwardF64(x: usize, out: usize, term: usize, n: i32, gelu: bool): void {
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 3;
    const v = load<f64>(x + at);
    const e = termOf(v, gelu);
    store<f64>(out + at, outputOf(v, e));
    store<f64>(term + at, e);
  }
}

/** ∂ℒ/∂x of n float64s. */
function backwardF64(x: usize, term: usize, g: usize, out: usize, n: i32, gelu: bool): void {
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 3;
    store<f64>(out + at, gradOf(load<f64>(x + at), load<f64>(term + at), load<f64>(g + at), gelu));
  }
}

// ---- exports: (inputs…, outputs…, n) ----

/** GELU of n float32s at x into out, and e^-|z| into term (for backward). */
export function geluF32(x: usize, out: usize, term: usize, n: i32): void {
  forwardF32(x, out, term, n, true);
}
/** ∂ℒ/∂x of GELU for n float32s. */
export function geluGradF32(x: usize, term: usize, g: usize, out: usize, n: i32): void {
  backwardF32(x, term, g, out, n, true);
}
/** SiLU of n float32s at x into out, and e^-|x| into term. */
export function siluF32(x: usize, out: usize, term: usize, n: i32): void {
  forwardF32(x, out, term, n, false);
}
/** ∂ℒ/∂x of SiLU for n float32s. */
export function siluGradF32(x: usize, term: usize, g: usize, out: usize, n: i32): void {
  backwardF32(x, term, g, out, n, false);
}
/** GELU of n float64s. */
export function geluF64(x: usize, out: usize, term: usize, n: i32): void {
  forwardF64(x, out, term, n, true);
}
/** ∂ℒ/∂x of GELU for n float64s. */
export function geluGradF64(x: usize, term: usize, g: usize, out: usize, n: i32): void {
  backwardF64(x, term, g, out, n, true);
}
/** SiLU of n float64s. */
export function siluF64(x: usize, out: usize, term: usize, n: i32): void {
  forwardF64(x, out, term, n, false);
}
/** ∂ℒ/∂x of SiLU for n float64s. */
export function siluGradF64(x: usize, term: usize, g: usize, out: usize, n: i32): void {
  backwardF64(x, term, g, out, n, false);
}
