// Smooth element-wise activations on the wasm backend: sigmoid and softSign, forward and backward, float32
// (f32x4 over the body, scalar over the tail) and float64. Backward recomputes what it needs from x (softSign)
// or reads the output y (sigmoid).
import { Sigmoid32, Sigmoid64, sigmoid64 } from './lib/vmath';

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
  let i = 0;
  for (; i + 2 <= n; i += 2)
    v128.store(out + ((<usize>i) << 3), Sigmoid64.of(v128.load(x + ((<usize>i) << 3))));
  for (; i < n; i++) store<f64>(out + ((<usize>i) << 3), sigmoid64(load<f64>(x + ((<usize>i) << 3))));
}

export function sigmoidGradF64(g: usize, y: usize, dx: usize, n: i32): void {
  const one = f64x2.splat(1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = (<usize>i) << 3;
    const s = v128.load(y + at);
    v128.store(dx + at, f64x2.mul(f64x2.mul(v128.load(g + at), s), f64x2.sub(one, s)));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 3;
    const s = load<f64>(y + at);
    store<f64>(dx + at, load<f64>(g + at) * s * (1 - s));
  }
}

// ---- softSign: y = x / (1 + |x|); ∂ = g/b - g·|x|/b² with b = 1 + |x| (the composite's: NaN at ±∞) ----

function softSign<T>(x: usize, out: usize, n: i32): void {
  const one = v128.splat<T>(<T>1);
  const step = 16 / sizeof<T>();
  let i = 0;
  for (; i + step <= n; i += step) {
    const at = <usize>i * sizeof<T>();
    const v = v128.load(x + at);
    v128.store(out + at, v128.div<T>(v, v128.add<T>(one, v128.abs<T>(v))));
  }
  for (; i < n; i++) {
    const at = <usize>i * sizeof<T>();
    const v = load<T>(x + at);
    store<T>(out + at, v / (<T>1 + abs<T>(v)));
  }
}

function softSignGrad<T>(g: usize, x: usize, dx: usize, n: i32): void {
  const one = v128.splat<T>(<T>1);
  const step = 16 / sizeof<T>();
  let i = 0;
  for (; i + step <= n; i += step) {
    const at = <usize>i * sizeof<T>();
    const a = v128.abs<T>(v128.load(x + at));
    const b = v128.add<T>(one, a);
    const gv = v128.load(g + at);
    v128.store(dx + at, v128.sub<T>(v128.div<T>(gv, b), v128.div<T>(v128.mul<T>(gv, a), v128.mul<T>(b, b))));
  }
  for (; i < n; i++) {
    const at = <usize>i * sizeof<T>();
    const a = abs<T>(load<T>(x + at));
    const b: T = <T>1 + a;
    const gv = load<T>(g + at);
    store<T>(dx + at, gv / b - (gv * a) / (b * b));
  }
}

export function softSignF32(x: usize, out: usize, n: i32): void {
  softSign<f32>(x, out, n);
}
export function softSignF64(x: usize, out: usize, n: i32): void {
  softSign<f64>(x, out, n);
}
export function softSignGradF32(g: usize, x: usize, dx: usize, n: i32): void {
  softSignGrad<f32>(g, x, dx, n);
}
export function softSignGradF64(g: usize, x: usize, dx: usize, n: i32): void {
  softSignGrad<f64>(g, x, dx, n);
}
