// Smooth element-wise activations on the wasm backend: sigmoid and softSign, forward and backward, float32
// (f32x4 over the body, scalar over the tail) and float64. Backward recomputes what it needs from x (softSign)
// or reads the output y (sigmoid).
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
