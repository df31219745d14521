// Softmax of float64 rows on the wasm backend (see softmax.ts), with Exp64; divides by Σ, as the composite.
import { expSumF64, rowMaxF64 } from './lib/rows';

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

/** ∂softmax/∂x·g for float64 rows from the output p: p·g - p·(p·g summed over the row), f64x2. */
export function softmaxGradF64(p: usize, g: usize, out: usize, rows: i32, len: i32): void {
  const stride = (<usize>len) << 3;
  for (let r = 0; r < rows; r++) {
    const pr = p + <usize>r * stride;
    const gr = g + <usize>r * stride;
    const or = out + <usize>r * stride;
    let acc = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= len; j += 2) {
      const at = (<usize>j) << 3;
      acc = f64x2.add(acc, f64x2.mul(v128.load(pr + at), v128.load(gr + at)));
    }
    let dot = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    if (j < len) dot += load<f64>(pr + ((<usize>j) << 3)) * load<f64>(gr + ((<usize>j) << 3));
    const dv = f64x2.splat(dot);
    for (j = 0; j + 2 <= len; j += 2) {
      const at = (<usize>j) << 3;
      const pv = v128.load(pr + at);
      v128.store(or + at, f64x2.sub(f64x2.mul(pv, v128.load(gr + at)), f64x2.mul(pv, dv)));
    }
    if (j < len) {
      const at = (<usize>j) << 3;
      const pv = load<f64>(pr + at);
      store<f64>(or + at, pv * load<f64>(gr + at) - pv * dot);
    }
  }
}
