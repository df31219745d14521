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
