// ELU and SELU on the wasm backend: y = λ·α·(e^x - 1) where x < 0, λ·x elsewhere (ELU: λ = 1; NaN stays NaN).
// Backward needs no exp and no saved slope: ∂y/∂x = y + λ·α where x < 0, λ elsewhere (with α = 1, from y alone).
import { Exp32, Exp64 } from './lib/vmath';

/**
 * ELU(x)·λ of n float32s at x into out; four vectors per iteration (each exp is a long dependency chain: four
 * in flight measured 0.65 ms per 1M against 0.73 with two). The last block overlaps the one before (out is never
 * x, so its elements are written twice with the same value); fewer than 16 elements run the scalar loop.
 */
export function eluF32(x: usize, out: usize, n: i32, alpha: f32, scale: f32): void {
  const a = f32x4.splat(alpha * scale);
  const l = f32x4.splat(scale);
  const zero = f32x4.splat(0);
  if (n < 16) {
    for (let i = 0; i < n; i++) {
      const at = (<usize>i) << 2;
      const v = load<f32>(x + at);
      store<f32>(out + at, v < 0 ? <f32>((Math.exp(<f64>v) - 1) * <f64>alpha * <f64>scale) : v * scale);
    }
    return;
  }
  for (let i = 0; i < n; i += 16) {
    const from = (<usize>min(i, n - 16)) << 2;
    const at = x + from;
    const to = out + from;
    const v0 = v128.load(at);
    const v1 = v128.load(at, 16);
    const v2 = v128.load(at, 32);
    const v3 = v128.load(at, 48);
    // pmin(0, v) is v where v < 0, else 0 (also for NaN): the exp only ever sees the negative side.
    const t0 = f32x4.mul(Exp32.m1(f32x4.pmin(zero, v0)), a);
    const t1 = f32x4.mul(Exp32.m1(f32x4.pmin(zero, v1)), a);
    const t2 = f32x4.mul(Exp32.m1(f32x4.pmin(zero, v2)), a);
    const t3 = f32x4.mul(Exp32.m1(f32x4.pmin(zero, v3)), a);
    v128.store(to, v128.bitselect(t0, f32x4.mul(v0, l), f32x4.lt(v0, zero)));
    v128.store(to, v128.bitselect(t1, f32x4.mul(v1, l), f32x4.lt(v1, zero)), 16);
    v128.store(to, v128.bitselect(t2, f32x4.mul(v2, l), f32x4.lt(v2, zero)), 32);
    v128.store(to, v128.bitselect(t3, f32x4.mul(v3, l), f32x4.lt(v3, zero)), 48);
  }
}

/** ELU(x)·λ of n float64s, in the composite's order of operations: ((e^x - 1)·α)·λ. */
export function eluF64(x: usize, out: usize, n: i32, alpha: f64, scale: f64): void {
  const a = f64x2.splat(alpha);
  const l = f64x2.splat(scale);
  const zero = f64x2.splat(0);
  const one = f64x2.splat(1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = (<usize>i) << 3;
    const v = v128.load(x + at);
    const term = f64x2.mul(f64x2.sub(Exp64.neg(f64x2.pmin(zero, v)), one), a);
    v128.store(out + at, f64x2.mul(v128.bitselect(term, v, f64x2.lt(v, zero)), l));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 3;
    const v = load<f64>(x + at);
    store<f64>(out + at, (v < 0 ? (Math.exp(v) - 1) * alpha : v) * scale);
  }
}

/** ∂ℒ/∂x of ELU·λ: g·(y + λα) where x < 0, g·λ elsewhere, for float32 (f32x4) or float64 (f64x2). */
function eluGrad<T>(g: usize, x: usize, y: usize, dx: usize, n: i32, alpha: T, scale: T): void {
  const a = v128.splat<T>(alpha * scale);
  const l = v128.splat<T>(scale);
  const zero = v128.splat<T>(<T>0);
  const step = 16 / sizeof<T>();
  let i = 0;
  for (; i + step <= n; i += step) {
    const at = <usize>i * sizeof<T>();
    const slope = v128.bitselect(v128.add<T>(v128.load(y + at), a), l, v128.lt<T>(v128.load(x + at), zero));
    v128.store(dx + at, v128.mul<T>(v128.load(g + at), slope));
  }
  for (; i < n; i++) {
    const at = <usize>i * sizeof<T>();
    const slope = load<T>(x + at) < 0 ? load<T>(y + at) + alpha * scale : scale;
    store<T>(dx + at, load<T>(g + at) * slope);
  }
}

export function eluGradF32(g: usize, x: usize, y: usize, dx: usize, n: i32, alpha: f32, scale: f32): void {
  eluGrad<f32>(g, x, y, dx, n, alpha, scale);
}
export function eluGradF64(g: usize, x: usize, y: usize, dx: usize, n: i32, alpha: f64, scale: f64): void {
  eluGrad<f64>(g, x, y, dx, n, alpha, scale);
}

/**
 * ∂ℒ/∂x of ELU·λ with α = 1 from the output alone: g·(y + λ) where y < 0, g·λ elsewhere, for float32 (f32x4)
 * or float64 (f64x2). With α = 1 and λ > 0, y = λ·(e^x - 1) < 0 exactly where x < 0, except where x < 0 is so
 * close to 0 that y rounds to ±0 — and there both slopes are λ. (Reading y instead of x and y: 0.42 → 0.28 ms
 * per 1M float32 with the data not in cache.)
 */
function eluGradY<T>(g: usize, y: usize, dx: usize, n: i32, scale: T): void {
  const l = v128.splat<T>(scale);
  const zero = v128.splat<T>(<T>0);
  const step = 16 / sizeof<T>();
  let i = 0;
  for (; i + step <= n; i += step) {
    const at = <usize>i * sizeof<T>();
    const yv = v128.load(y + at);
    const slope = v128.bitselect(v128.add<T>(yv, l), l, v128.lt<T>(yv, zero));
    v128.store(dx + at, v128.mul<T>(v128.load(g + at), slope));
  }
  for (; i < n; i++) {
    const at = <usize>i * sizeof<T>();
    const yi = load<T>(y + at);
    store<T>(dx + at, load<T>(g + at) * (yi < 0 ? yi + scale : scale));
  }
}

export function eluGradYF32(g: usize, y: usize, dx: usize, n: i32, scale: f32): void {
  eluGradY<f32>(g, y, dx, n, scale);
}
export function eluGradYF64(g: usize, y: usize, dx: usize, n: i32, scale: f64): void {
  eluGradY<f64>(g, y, dx, n, scale);
}
