// GLU on the wasm backend: out = (A + 0)·σ(B) where A and B are the halves of x along an axis, laid out as
// `outer` blocks of [A (h elements), B (h elements)]; backward recomputes σ(B) and writes both halves of dx,
// g·σ + 0 and ((g·(A + 0))·σ)·(1 - σ) + 0. The `+ 0`s are the composite's: it takes each half by summing it with
// the other half's zeros (so -0 becomes 0), and each half's gradient lands beside the other's zeros.
import { Sigmoid32, Sigmoid64, sigmoid64 } from './lib/vmath';

export function gluF32(x: usize, out: usize, outer: i32, h: i32): void {
  const block = (<usize>h) << 2;
  const zero = f32x4.splat(0);
  for (let o = 0; o < outer; o++) {
    const a = x + <usize>o * 2 * block;
    const b = a + block;
    const y = out + <usize>o * block;
    let j = 0;
    for (; j + 4 <= h; j += 4) {
      const at = (<usize>j) << 2;
      v128.store(y + at, f32x4.mul(f32x4.add(v128.load(a + at), zero), Sigmoid32.of(v128.load(b + at))));
    }
    for (; j < h; j++) {
      const at = (<usize>j) << 2;
      store<f32>(y + at, (load<f32>(a + at) + 0) * <f32>sigmoid64(<f64>load<f32>(b + at)));
    }
  }
}

export function gluGradF32(g: usize, x: usize, dx: usize, outer: i32, h: i32): void {
  const block = (<usize>h) << 2;
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  for (let o = 0; o < outer; o++) {
    const a = x + <usize>o * 2 * block;
    const b = a + block;
    const da = dx + <usize>o * 2 * block;
    const db = da + block;
    const gr = g + <usize>o * block;
    let j = 0;
    for (; j + 4 <= h; j += 4) {
      const at = (<usize>j) << 2;
      const s = Sigmoid32.of(v128.load(b + at));
      const gv = v128.load(gr + at);
      const av = f32x4.add(v128.load(a + at), zero);
      v128.store(da + at, f32x4.add(f32x4.mul(gv, s), zero));
      v128.store(db + at, f32x4.add(f32x4.mul(f32x4.mul(f32x4.mul(gv, av), s), f32x4.sub(one, s)), zero));
    }
    for (; j < h; j++) {
      const at = (<usize>j) << 2;
      const s = <f32>sigmoid64(<f64>load<f32>(b + at));
      const gv = load<f32>(gr + at);
      store<f32>(da + at, gv * s + 0);
      store<f32>(db + at, gv * (load<f32>(a + at) + 0) * s * (1 - s) + 0);
    }
  }
}

export function gluF64(x: usize, out: usize, outer: i32, h: i32): void {
  const block = (<usize>h) << 3;
  const zero = f64x2.splat(0);
  for (let o = 0; o < outer; o++) {
    const a = x + <usize>o * 2 * block;
    const b = a + block;
    const y = out + <usize>o * block;
    let j = 0;
    for (; j + 2 <= h; j += 2) {
      const at = (<usize>j) << 3;
      v128.store(y + at, f64x2.mul(f64x2.add(v128.load(a + at), zero), Sigmoid64.of(v128.load(b + at))));
    }
    for (; j < h; j++) {
      const at = (<usize>j) << 3;
      store<f64>(y + at, (load<f64>(a + at) + 0) * sigmoid64(load<f64>(b + at)));
    }
  }
}

export function gluGradF64(g: usize, x: usize, dx: usize, outer: i32, h: i32): void {
  const block = (<usize>h) << 3;
  const one = f64x2.splat(1);
  const zero = f64x2.splat(0);
  for (let o = 0; o < outer; o++) {
    const a = x + <usize>o * 2 * block;
    const b = a + block;
    const da = dx + <usize>o * 2 * block;
    const db = da + block;
    const gr = g + <usize>o * block;
    let j = 0;
    for (; j + 2 <= h; j += 2) {
      const at = (<usize>j) << 3;
      const s = Sigmoid64.of(v128.load(b + at));
      const gv = v128.load(gr + at);
      const av = f64x2.add(v128.load(a + at), zero);
      v128.store(da + at, f64x2.add(f64x2.mul(gv, s), zero));
      v128.store(db + at, f64x2.add(f64x2.mul(f64x2.mul(f64x2.mul(gv, av), s), f64x2.sub(one, s)), zero));
    }
    for (; j < h; j++) {
      const at = (<usize>j) << 3;
      const s = sigmoid64(load<f64>(b + at));
      const gv = load<f64>(gr + at);
      store<f64>(da + at, gv * s + 0);
      store<f64>(db + at, gv * (load<f64>(a + at) + 0) * s * (1 - s) + 0);
    }
  }
}
