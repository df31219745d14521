// Piecewise-linear activations on the wasm backend: relu, leakyRelu and hardTanh, forward and backward, float32
// (f32x4 over the body, scalar over the tail) and float64. Each follows its composite's arithmetic exactly:
// @mg/core's maximum/minimum (NaN wins; a tie gives the second operand), MyGrad's relu product x·(x > 0), and
// gradients that are selections (no gradient at a tie) so that NaN and infinite upstream gradients behave alike.

// ---- relu: y = x·(x > 0 ? 1 : 0) (negatives give -0, NaN stays NaN); ∂ = g·(x > 0 ? 1 : 0) ----

export function reluF32(x: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const v = v128.load(x + at);
    v128.store(out + at, f32x4.mul(v, v128.and(f32x4.gt(v, zero), one)));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const v = load<f32>(x + at);
    store<f32>(out + at, v * <f32>(v > 0 ? 1 : 0));
  }
}

export function reluGradF32(g: usize, x: usize, dx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    v128.store(dx + at, f32x4.mul(v128.load(g + at), v128.and(f32x4.gt(v128.load(x + at), zero), one)));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    store<f32>(dx + at, load<f32>(g + at) * <f32>(load<f32>(x + at) > 0 ? 1 : 0));
  }
}

export function reluF64(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 3;
    const v = load<f64>(x + at);
    store<f64>(out + at, v * (v > 0 ? 1 : 0));
  }
}

export function reluGradF64(g: usize, x: usize, dx: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 3;
    store<f64>(dx + at, load<f64>(g + at) * (load<f64>(x + at) > 0 ? 1 : 0));
  }
}

// ---- leakyRelu: y = maximum(x, 0) + s·minimum(x, 0); ∂ = (x > 0 ? g : 0) + (x < 0 ? g·s : 0) ----
// wasm's max(x, 0) is maximum(x, 0) exactly; its min(-0, 0) is -0 where minimum gives 0, but s·(-0) + 0 and
// s·0 + 0 are both 0 (or both NaN for an infinite s), so the sums agree.

export function leakyReluF32(x: usize, out: usize, n: i32, s: f32): void {
  const zero = f32x4.splat(0);
  const sv = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const v = v128.load(x + at);
    v128.store(out + at, f32x4.add(f32x4.max(v, zero), f32x4.mul(sv, f32x4.min(v, zero))));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const v = load<f32>(x + at);
    store<f32>(out + at, max(v, <f32>0) + s * min(v, <f32>0));
  }
}

export function leakyReluGradF32(g: usize, x: usize, dx: usize, n: i32, s: f32): void {
  const zero = f32x4.splat(0);
  const sv = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const v = v128.load(x + at);
    const gv = v128.load(g + at);
    const viaMax = v128.and(gv, f32x4.gt(v, zero));
    v128.store(dx + at, f32x4.add(viaMax, v128.and(f32x4.mul(gv, sv), f32x4.lt(v, zero))));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const v = load<f32>(x + at);
    const gv = load<f32>(g + at);
    store<f32>(dx + at, (v > 0 ? gv : <f32>0) + (v < 0 ? gv * s : <f32>0));
  }
}

export function leakyReluF64(x: usize, out: usize, n: i32, s: f64): void {
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 3;
    const v = load<f64>(x + at);
    store<f64>(out + at, max(v, 0) + s * min(v, 0));
  }
}

export function leakyReluGradF64(g: usize, x: usize, dx: usize, n: i32, s: f64): void {
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 3;
    const v = load<f64>(x + at);
    const gv = load<f64>(g + at);
    store<f64>(dx + at, (v > 0 ? gv : 0) + (v < 0 ? gv * s : 0));
  }
}

// ---- hardTanh: y = maximum(lo, minimum(x, hi)) with ties to the second operand; ∂ = g where lo < x < hi ----

export function hardTanhF32(x: usize, out: usize, n: i32, lo: f32, hi: f32): void {
  const lov = f32x4.splat(lo);
  const hiv = f32x4.splat(hi);
  // maximum(lo, c) is lo only where lo > c or lo is NaN.
  const loNaN = f32x4.ne(lov, lov);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const v = v128.load(x + at);
    const clipped = v128.bitselect(v, hiv, v128.or(f32x4.lt(v, hiv), f32x4.ne(v, v)));
    v128.store(out + at, v128.bitselect(lov, clipped, v128.or(f32x4.gt(lov, clipped), loNaN)));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const v = load<f32>(x + at);
    const clipped = v < hi || Number.isNaN(v) ? v : hi;
    store<f32>(out + at, lo > clipped || Number.isNaN(lo) ? lo : clipped);
  }
}

export function hardTanhGradF32(g: usize, x: usize, dx: usize, n: i32, lo: f32, hi: f32): void {
  const lov = f32x4.splat(lo);
  const hiv = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const v = v128.load(x + at);
    v128.store(dx + at, v128.and(v128.load(g + at), v128.and(f32x4.lt(v, hiv), f32x4.gt(v, lov))));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const v = load<f32>(x + at);
    store<f32>(dx + at, v < hi && v > lo ? load<f32>(g + at) : 0);
  }
}

export function hardTanhF64(x: usize, out: usize, n: i32, lo: f64, hi: f64): void {
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 3;
    const v = load<f64>(x + at);
    const clipped = v < hi || Number.isNaN(v) ? v : hi;
    store<f64>(out + at, lo > clipped || Number.isNaN(lo) ? lo : clipped);
  }
}

export function hardTanhGradF64(g: usize, x: usize, dx: usize, n: i32, lo: f64, hi: f64): void {
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 3;
    const v = load<f64>(x + at);
    store<f64>(dx + at, v < hi && v > lo ? load<f64>(g + at) : 0);
  }
}
