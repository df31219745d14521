// GLU on the wasm backend: out = A·σ(B) where A and B are the halves of x along an axis, laid out as `outer`
// blocks of [A (h elements), B (h elements)]; backward writes both halves of dx: g·σ(B) and ((g·A)·σ)·(1 - σ).
import { Sigmoid32, sigmoid64 } from './lib/vmath';

export function gluF32(x: usize, out: usize, outer: i32, h: i32): void {
  const block = (<usize>h) << 2;
  for (let o = 0; o < outer; o++) {
    const a = x + <usize>o * 2 * block;
    const b = a + block;
    const y = out + <usize>o * block;
    let j = 0;
    for (; j + 4 <= h; j += 4) {
      const at = (<usize>j) << 2;
      v128.store(y + at, f32x4.mul(v128.load(a + at), Sigmoid32.of(v128.load(b + at))));
    }
    for (; j < h; j++) {
      const at = (<usize>j) << 2;
      store<f32>(y + at, load<f32>(a + at) * <f32>sigmoid64(<f64>load<f32>(b + at)));
    }
  }
}

export function gluGradF32(g: usize, x: usize, dx: usize, outer: i32, h: i32): void {
  const block = (<usize>h) << 2;
  const one = f32x4.splat(1);
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
      v128.store(da + at, f32x4.mul(gv, s));
      v128.store(db + at, f32x4.mul(f32x4.mul(f32x4.mul(gv, v128.load(a + at)), s), f32x4.sub(one, s)));
    }
    for (; j < h; j++) {
      const at = (<usize>j) << 2;
      const s = <f32>sigmoid64(<f64>load<f32>(b + at));
      const gv = load<f32>(gr + at);
      store<f32>(da + at, gv * s);
      store<f32>(db + at, gv * load<f32>(a + at) * s * (1 - s));
    }
  }
}

export function gluF64(x: usize, out: usize, outer: i32, h: i32): void {
  const block = (<usize>h) << 3;
  for (let o = 0; o < outer; o++) {
    const a = x + <usize>o * 2 * block;
    const b = a + block;
    const y = out + <usize>o * block;
    for (let j = 0; j < h; j++) {
      const at = (<usize>j) << 3;
      store<f64>(y + at, load<f64>(a + at) * sigmoid64(load<f64>(b + at)));
    }
  }
}

export function gluGradF64(g: usize, x: usize, dx: usize, outer: i32, h: i32): void {
  const block = (<usize>h) << 3;
  for (let o = 0; o < outer; o++) {
    const a = x + <usize>o * 2 * block;
    const b = a + block;
    const da = dx + <usize>o * 2 * block;
    const db = da + block;
    const gr = g + <usize>o * block;
    for (let j = 0; j < h; j++) {
      const at = (<usize>j) << 3;
      const s = sigmoid64(load<f64>(b + at));
      const gv = load<f64>(gr + at);
      store<f64>(da + at, gv * s);
      store<f64>(db + at, gv * load<f64>(a + at) * s * (1 - s));
    }
  }
}
