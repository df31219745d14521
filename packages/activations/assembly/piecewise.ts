// Piecewise-linear activations on the wasm backend: relu, leakyRelu and hardTanh, forward and backward, one
// generic loop per op for float32 (f32x4) and float64 (f64x2), vector body and scalar tail. Each follows its
// composite's arithmetic exactly: @mg/core's maximum/minimum (NaN wins; a tie gives the second operand),
// MyGrad's relu product x·(x > 0), and gradients that are selections (no gradient at a tie), so that NaN and
// infinite upstream gradients behave alike.

// ---- relu: y = x·(x > 0 ? 1 : 0) (negatives give -0, NaN stays NaN); ∂ = g·(x > 0 ? 1 : 0) ----

function relu<T>(x: usize, out: usize, n: i32): void {
  const zero = v128.splat<T>(<T>0);
  const one = v128.splat<T>(<T>1);
  const step = 16 / sizeof<T>();
  let i = 0;
  for (; i + step <= n; i += step) {
    const at = <usize>i * sizeof<T>();
    const v = v128.load(x + at);
    v128.store(out + at, v128.mul<T>(v, v128.and(v128.gt<T>(v, zero), one)));
  }
  for (; i < n; i++) {
    const at = <usize>i * sizeof<T>();
    const v = load<T>(x + at);
    store<T>(out + at, v * <T>(v > 0 ? 1 : 0));
  }
}

function reluGrad<T>(g: usize, x: usize, dx: usize, n: i32): void {
  const zero = v128.splat<T>(<T>0);
  const one = v128.splat<T>(<T>1);
  const step = 16 / sizeof<T>();
  let i = 0;
  for (; i + step <= n; i += step) {
    const at = <usize>i * sizeof<T>();
    v128.store(dx + at, v128.mul<T>(v128.load(g + at), v128.and(v128.gt<T>(v128.load(x + at), zero), one)));
  }
  for (; i < n; i++) {
    const at = <usize>i * sizeof<T>();
    store<T>(dx + at, load<T>(g + at) * <T>(load<T>(x + at) > 0 ? 1 : 0));
  }
}

export function reluF32(x: usize, out: usize, n: i32): void {
  relu<f32>(x, out, n);
}
export function reluF64(x: usize, out: usize, n: i32): void {
  relu<f64>(x, out, n);
}
export function reluGradF32(g: usize, x: usize, dx: usize, n: i32): void {
  reluGrad<f32>(g, x, dx, n);
}
export function reluGradF64(g: usize, x: usize, dx: usize, n: i32): void {
  reluGrad<f64>(g, x, dx, n);
}

// ---- leakyRelu: y = maximum(x, 0) + s·minimum(x, 0); ∂ = (x > 0 ? g : 0) + (x < 0 ? g·s : 0) ----
// wasm's max(x, 0) is maximum(x, 0) exactly; its min(-0, 0) is -0 where minimum gives 0, but s·(-0) + 0 and
// s·0 + 0 are both 0 (or both NaN for an infinite s), so the sums agree.

function leakyRelu<T>(x: usize, out: usize, n: i32, s: T): void {
  const zero = v128.splat<T>(<T>0);
  const sv = v128.splat<T>(s);
  const step = 16 / sizeof<T>();
  let i = 0;
  for (; i + step <= n; i += step) {
    const at = <usize>i * sizeof<T>();
    const v = v128.load(x + at);
    v128.store(out + at, v128.add<T>(v128.max<T>(v, zero), v128.mul<T>(sv, v128.min<T>(v, zero))));
  }
  for (; i < n; i++) {
    const at = <usize>i * sizeof<T>();
    const v = load<T>(x + at);
    store<T>(out + at, max<T>(v, <T>0) + s * min<T>(v, <T>0));
  }
}

function leakyReluGrad<T>(g: usize, x: usize, dx: usize, n: i32, s: T): void {
  const zero = v128.splat<T>(<T>0);
  const sv = v128.splat<T>(s);
  const step = 16 / sizeof<T>();
  let i = 0;
  for (; i + step <= n; i += step) {
    const at = <usize>i * sizeof<T>();
    const v = v128.load(x + at);
    const gv = v128.load(g + at);
    const viaMax = v128.and(gv, v128.gt<T>(v, zero));
    v128.store(dx + at, v128.add<T>(viaMax, v128.and(v128.mul<T>(gv, sv), v128.lt<T>(v, zero))));
  }
  for (; i < n; i++) {
    const at = <usize>i * sizeof<T>();
    const v = load<T>(x + at);
    const gv = load<T>(g + at);
    store<T>(dx + at, (v > 0 ? gv : <T>0) + (v < 0 ? gv * s : <T>0));
  }
}

export function leakyReluF32(x: usize, out: usize, n: i32, s: f32): void {
  leakyRelu<f32>(x, out, n, s);
}
export function leakyReluF64(x: usize, out: usize, n: i32, s: f64): void {
  leakyRelu<f64>(x, out, n, s);
}
export function leakyReluGradF32(g: usize, x: usize, dx: usize, n: i32, s: f32): void {
  leakyReluGrad<f32>(g, x, dx, n, s);
}
export function leakyReluGradF64(g: usize, x: usize, dx: usize, n: i32, s: f64): void {
  leakyReluGrad<f64>(g, x, dx, n, s);
}

// ---- hardTanh: y = maximum(lo, minimum(x, hi)) with ties to the second operand; ∂ = g where lo < x < hi ----

function hardTanh<T>(x: usize, out: usize, n: i32, lo: T, hi: T): void {
  const lov = v128.splat<T>(lo);
  const hiv = v128.splat<T>(hi);
  // maximum(lo, c) is lo only where lo > c or lo is NaN.
  const loNaN = v128.ne<T>(lov, lov);
  const loNaN1 = Number.isNaN(<f64>lo);
  const step = 16 / sizeof<T>();
  let i = 0;
  for (; i + step <= n; i += step) {
    const at = <usize>i * sizeof<T>();
    const v = v128.load(x + at);
    const clipped = v128.bitselect(v, hiv, v128.or(v128.lt<T>(v, hiv), v128.ne<T>(v, v)));
    v128.store(out + at, v128.bitselect(lov, clipped, v128.or(v128.gt<T>(lov, clipped), loNaN)));
  }
  for (; i < n; i++) {
    const at = <usize>i * sizeof<T>();
    const v = load<T>(x + at);
    // NaN compares false, so a NaN x stays; a NaN lower bound wins.
    const clipped = v >= hi ? hi : v;
    store<T>(out + at, lo > clipped || loNaN1 ? lo : clipped);
  }
}

function hardTanhGrad<T>(g: usize, x: usize, dx: usize, n: i32, lo: T, hi: T): void {
  const lov = v128.splat<T>(lo);
  const hiv = v128.splat<T>(hi);
  const step = 16 / sizeof<T>();
  let i = 0;
  for (; i + step <= n; i += step) {
    const at = <usize>i * sizeof<T>();
    const v = v128.load(x + at);
    v128.store(dx + at, v128.and(v128.load(g + at), v128.and(v128.lt<T>(v, hiv), v128.gt<T>(v, lov))));
  }
  for (; i < n; i++) {
    const at = <usize>i * sizeof<T>();
    const v = load<T>(x + at);
    store<T>(dx + at, v < hi && v > lo ? load<T>(g + at) : <T>0);
  }
}

export function hardTanhF32(x: usize, out: usize, n: i32, lo: f32, hi: f32): void {
  hardTanh<f32>(x, out, n, lo, hi);
}
export function hardTanhF64(x: usize, out: usize, n: i32, lo: f64, hi: f64): void {
  hardTanh<f64>(x, out, n, lo, hi);
}
export function hardTanhGradF32(g: usize, x: usize, dx: usize, n: i32, lo: f32, hi: f32): void {
  hardTanhGrad<f32>(g, x, dx, n, lo, hi);
}
export function hardTanhGradF64(g: usize, x: usize, dx: usize, n: i32, lo: f64, hi: f64): void {
  hardTanhGrad<f64>(g, x, dx, n, lo, hi);
}
