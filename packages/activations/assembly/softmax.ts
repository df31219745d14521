// Softmax of float32 rows on the wasm backend: `rows` consecutive slices of `len` elements (the trailing axes),
// SIMD with a reciprocal scale; backward p·g - p·Σ(p·g) from the output p. (float64 is in softmax64.ts: one
// module each keeps both under the 4 KB that browsers compile synchronously.)
import { dotF32, expSumF32, rowMaxF32, scaleRowF32 } from './lib/rows';

/** Softmax of `rows` float32 rows: e^(x - m)·(1/Σ). */
export function softmaxF32(x: usize, out: usize, rows: i32, len: i32): void {
  const stride = (<usize>len) << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * stride;
    const or = out + <usize>r * stride;
    const total = expSumF32(xr, or, len, rowMaxF32(xr, len));
    scaleRowF32(or, len, <f32>(1 / total));
  }
}

/** ∂softmax/∂x·g for float32 rows from the output p: p·g - p·Σ(p·g), MyGrad's formula. */
export function softmaxGradF32(p: usize, g: usize, out: usize, rows: i32, len: i32): void {
  const stride = (<usize>len) << 2;
  for (let r = 0; r < rows; r++) {
    const pr = p + <usize>r * stride;
    const gr = g + <usize>r * stride;
    const or = out + <usize>r * stride;
    const d = f32x4.splat(<f32>dotF32(pr, gr, len));
    let j = 0;
    for (; j + 4 <= len; j += 4) {
      const at = (<usize>j) << 2;
      const pv = v128.load(pr + at);
      v128.store(or + at, f32x4.sub(f32x4.mul(pv, v128.load(gr + at)), f32x4.mul(pv, d)));
    }
    const ds = f32x4.extract_lane(d, 0);
    for (; j < len; j++) {
      const at = (<usize>j) << 2;
      const pv = load<f32>(pr + at);
      store<f32>(or + at, pv * load<f32>(gr + at) - pv * ds);
    }
  }
}
