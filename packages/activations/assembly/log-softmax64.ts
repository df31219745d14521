// Log-softmax of float64 rows on the wasm backend (see log-softmax.ts), with Exp64: a row whose maximum is not
// finite is shifted by 0, as MyGrad's logsumexp does.
import { expSumF64, rowMaxF64 } from './lib/rows';
import { Exp64 } from './lib/vmath';

/** Log-softmax of `rows` float64 rows (a non-finite row maximum shifts by 0, as MyGrad's logsumexp). */
export function logSoftmaxF64(x: usize, out: usize, rows: i32, len: i32): void {
  const stride = (<usize>len) << 3;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * stride;
    const or = out + <usize>r * stride;
    const m = rowMaxF64(xr, len);
    const shift = m - m === 0 ? m : 0;
    const lse = Math.log(expSumF64(xr, 0, len, shift)) + shift;
    for (let j = 0; j < len; j++) {
      const at = (<usize>j) << 3;
      store<f64>(or + at, load<f64>(xr + at) - lse);
    }
  }
}

/** ∂logSoftmax/∂x·g for float64 rows from the output y: g - e^y·Σg. */
export function logSoftmaxGradF64(y: usize, g: usize, out: usize, rows: i32, len: i32): void {
  const stride = (<usize>len) << 3;
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * stride;
    const gr = g + <usize>r * stride;
    const or = out + <usize>r * stride;
    let s: f64 = 0;
    for (let j = 0; j < len; j++) s += load<f64>(gr + ((<usize>j) << 3));
    const sv = f64x2.splat(s);
    let j = 0;
    for (; j + 2 <= len; j += 2) {
      const at = (<usize>j) << 3;
      v128.store(or + at, f64x2.sub(v128.load(gr + at), f64x2.mul(Exp64.neg(v128.load(yr + at)), sv)));
    }
    for (; j < len; j++) {
      const at = (<usize>j) << 3;
      store<f64>(or + at, load<f64>(gr + at) - Math.exp(load<f64>(yr + at)) * s);
    }
  }
}
