// Softmax over rows on the wasm backend: `rows` consecutive slices of `len` elements (the trailing axes).
// float32 is SIMD with Exp32.neg and a reciprocal scale; float64 uses Exp64 and divides, as the composite.
import { dotF32, expSumF32, expSumF64, rowMaxF32, rowMaxF64, scaleRowF32 } from './lib/rows';

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

/** Softmax of `rows` float64 rows (divided by Σ, as the composite). */
export function softmaxF64(x: usize, out: usize, rows: i32, len: i32): void {
  const stride = (<usize>len) << 3;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * stride;
    const or = out + <usize>r * stride;
    const tv = f64x2.splat(expSumF64(xr, or, len, rowMaxF64(xr, len)));
    for (let j = 0; j < len; j += 2) {
      const at = or + ((<usize>j) << 3);
      if (j + 2 <= len) v128.store(at, f64x2.div(v128.load(at), tv));
      else store<f64>(at, load<f64>(at) / f64x2.extract_lane(tv, 0));
    }
  }
}

/** ∂softmax/∂x·g for float64 rows from the output p. */
export function softmaxGradF64(p: usize, g: usize, out: usize, rows: i32, len: i32): void {
  const stride = (<usize>len) << 3;
  for (let r = 0; r < rows; r++) {
    const pr = p + <usize>r * stride;
    const gr = g + <usize>r * stride;
    const or = out + <usize>r * stride;
    let dot: f64 = 0;
    for (let j = 0; j < len; j++)
      dot += load<f64>(pr + ((<usize>j) << 3)) * load<f64>(gr + ((<usize>j) << 3));
    for (let j = 0; j < len; j++) {
      const at = (<usize>j) << 3;
      const pv = load<f64>(pr + at);
      store<f64>(or + at, pv * load<f64>(gr + at) - pv * dot);
    }
  }
}
