// Element-wise activations on the wasm backend: sigmoid, softSign, relu, leakyRelu and hardTanh, forward and
// backward, float32 (SIMD) and float64. Every loop is "f32x4 over the body, scalar over the tail", written once
// per op through the Lanes helpers below. Backward recomputes what it needs from x (or the output y).
import { Sigmoid32, sigmoid64 } from './lib/vmath';

// ---- sigmoid: y = σ(x); ∂ = (g·y)·(1 - y) ----

export function sigmoidF32(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4)
    v128.store(out + ((<usize>i) << 2), Sigmoid32.of(v128.load(x + ((<usize>i) << 2))));
  for (; i < n; i++)
    store<f32>(out + ((<usize>i) << 2), <f32>sigmoid64(<f64>load<f32>(x + ((<usize>i) << 2))));
}

export function sigmoidGradF32(g: usize, y: usize, dx: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const s = v128.load(y + at);
    v128.store(dx + at, f32x4.mul(f32x4.mul(v128.load(g + at), s), f32x4.sub(one, s)));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const s = load<f32>(y + at);
    store<f32>(dx + at, load<f32>(g + at) * s * (1 - s));
  }
}

export function sigmoidF64(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++)
    store<f64>(out + ((<usize>i) << 3), sigmoid64(load<f64>(x + ((<usize>i) << 3))));
}

export function sigmoidGradF64(g: usize, y: usize, dx: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 3;
    const s = load<f64>(y + at);
    store<f64>(dx + at, load<f64>(g + at) * s * (1 - s));
  }
}

// ---- softSign: y = x / (1 + |x|); ∂ = g/b - g·|x|/b² with b = 1 + |x| (the composite's: NaN at ±∞) ----

export function softSignF32(x: usize, out: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const v = v128.load(x + at);
    v128.store(out + at, f32x4.div(v, f32x4.add(one, f32x4.abs(v))));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const v = load<f32>(x + at);
    store<f32>(out + at, v / (<f32>1 + Mathf.abs(v)));
  }
}

export function softSignGradF32(g: usize, x: usize, dx: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const a = f32x4.abs(v128.load(x + at));
    const b = f32x4.add(one, a);
    const gv = v128.load(g + at);
    v128.store(dx + at, f32x4.sub(f32x4.div(gv, b), f32x4.div(f32x4.mul(gv, a), f32x4.mul(b, b))));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const a = Mathf.abs(load<f32>(x + at));
    const b: f32 = 1 + a;
    const gv = load<f32>(g + at);
    store<f32>(dx + at, gv / b - (gv * a) / (b * b));
  }
}

export function softSignF64(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 3;
    const v = load<f64>(x + at);
    store<f64>(out + at, v / (1 + Math.abs(v)));
  }
}

export function softSignGradF64(g: usize, x: usize, dx: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 3;
    const a = Math.abs(load<f64>(x + at));
    const b = 1 + a;
    const gv = load<f64>(g + at);
    store<f64>(dx + at, gv / b - (gv * a) / (b * b));
  }
}

// ---- piecewise linear: y = clip(x·(p where x > 0, q elsewhere), lo, hi) ----
// relu is (p, q) = (1, 0) unclipped (a product, as MyGrad's x·(x > 0): negatives give -0, NaN stays NaN);
// leakyRelu (1, slope); hardTanh (1, 1) clipped to [lower, upper] (NaN propagates, as NumPy's maximum/minimum).
// ∂ = g·(p where x > 0, q where x < 0, 0 at 0), and 0 where x ≥ hi or x ≤ lo (no gradient at a clip, as
// maximum/minimum give none at ties).

export function linearF32(x: usize, out: usize, n: i32, p: f32, q: f32, lo: f32, hi: f32): void {
  const zero = f32x4.splat(0);
  const pv = f32x4.splat(p);
  const qv = f32x4.splat(q);
  const lov = f32x4.splat(lo);
  const hiv = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const v = v128.load(x + at);
    const y = f32x4.mul(v, v128.bitselect(pv, qv, f32x4.gt(v, zero)));
    v128.store(out + at, f32x4.max(lov, f32x4.min(y, hiv)));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const v = load<f32>(x + at);
    store<f32>(out + at, max(lo, min(v * (v > 0 ? p : q), hi)));
  }
}

export function linearGradF32(g: usize, x: usize, dx: usize, n: i32, p: f32, q: f32, lo: f32, hi: f32): void {
  const zero = f32x4.splat(0);
  const pv = f32x4.splat(p);
  const qv = f32x4.splat(q);
  const lov = f32x4.splat(lo);
  const hiv = f32x4.splat(hi);
  // An infinite bound is no clip: x = ±∞ still has a slope there.
  const noLo = i32x4.splat(lo === -Infinity ? -1 : 0);
  const noHi = i32x4.splat(hi === Infinity ? -1 : 0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const v = v128.load(x + at);
    const slope = v128.or(v128.and(f32x4.gt(v, zero), pv), v128.and(f32x4.lt(v, zero), qv));
    const inside = v128.and(v128.or(f32x4.lt(v, hiv), noHi), v128.or(f32x4.gt(v, lov), noLo));
    v128.store(dx + at, f32x4.mul(v128.load(g + at), v128.and(slope, inside)));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const v = load<f32>(x + at);
    const slope: f32 = v > 0 ? p : v < 0 ? q : 0;
    const inside = (v < hi || hi === Infinity) && (v > lo || lo === -Infinity);
    store<f32>(dx + at, load<f32>(g + at) * (inside ? slope : 0));
  }
}

export function linearF64(x: usize, out: usize, n: i32, p: f64, q: f64, lo: f64, hi: f64): void {
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 3;
    const v = load<f64>(x + at);
    store<f64>(out + at, max(lo, min(v * (v > 0 ? p : q), hi)));
  }
}

export function linearGradF64(g: usize, x: usize, dx: usize, n: i32, p: f64, q: f64, lo: f64, hi: f64): void {
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 3;
    const v = load<f64>(x + at);
    const slope: f64 = v > 0 ? p : v < 0 ? q : 0;
    const inside = (v < hi || hi === Infinity) && (v > lo || lo === -Infinity);
    store<f64>(dx + at, load<f64>(g + at) * (inside ? slope : 0));
  }
}
