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

/** ∂logSoftmax/∂x·g for float64 rows from the output y: g - e^y·Σg; a row whose y holds a NaN is all NaN (see log-softmax.ts). */
export function logSoftmaxGradF64(y: usize, g: usize, out: usize, rows: i32, len: i32): void {
  const stride = (<usize>len) << 3;
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * stride;
    const gr = g + <usize>r * stride;
    const or = out + <usize>r * stride;
    let s: f64 = 0;
    for (let j = 0; j < len; j++) s += load<f64>(gr + ((<usize>j) << 3));
    const sv = f64x2.splat(s);
    let nan = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= len; j += 2) {
      const at = (<usize>j) << 3;
      const yv = v128.load(yr + at);
      nan = v128.or(nan, f64x2.ne(yv, yv));
      v128.store(or + at, f64x2.sub(v128.load(gr + at), f64x2.mul(Exp64.negInline(yv), sv)));
    }
    let bad = v128.any_true(nan);
    if (j < len) {
      const at = (<usize>j) << 3;
      const yi = load<f64>(yr + at);
      bad = bad || Number.isNaN(yi);
      store<f64>(or + at, load<f64>(gr + at) - Math.exp(yi) * s);
    }
    if (bad) for (j = 0; j < len; j++) store<f64>(or + ((<usize>j) << 3), NaN);
  }
}
