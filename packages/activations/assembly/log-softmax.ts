// Log-softmax over rows on the wasm backend: x - (m + log Σe^(x - m)) per row of `len` elements; backward
// g - e^y·Σg from the output y.
import { dotF32, expSumF64, expTotalF32, rowMaxF32, rowMaxF64 } from './lib/rows';
import { Exp32, exp1 } from './lib/vmath';

/**
 * Log-softmax of `rows` float32 rows: x - (m + log Σe^(x - m)). A row whose maximum is not finite is shifted by 0,
 * as MyGrad's logsumexp does, and computed in double.
 */
export function logSoftmaxF32(x: usize, out: usize, rows: i32, len: i32): void {
  const stride = (<usize>len) << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * stride;
    const or = out + <usize>r * stride;
    const m = rowMaxF32(xr, len);
    let lse: f32;
    if (m - m === 0) lse = <f32>(<f64>m + Math.log(expTotalF32(xr, len, m)));
    else {
      let total: f64 = 0;
      for (let j = 0; j < len; j++) total += Math.exp(<f64>load<f32>(xr + ((<usize>j) << 2)));
      lse = <f32>Math.log(total);
    }
    const lv = f32x4.splat(lse);
    let j = 0;
    for (; j + 4 <= len; j += 4) {
      const at = (<usize>j) << 2;
      v128.store(or + at, f32x4.sub(v128.load(xr + at), lv));
    }
    for (; j < len; j++) {
      const at = (<usize>j) << 2;
      store<f32>(or + at, load<f32>(xr + at) - lse);
    }
  }
}

/** ∂logSoftmax/∂x·g for float32 rows from the output y: g - e^y·Σg. */
export function logSoftmaxGradF32(y: usize, g: usize, out: usize, rows: i32, len: i32): void {
  const stride = (<usize>len) << 2;
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * stride;
    const gr = g + <usize>r * stride;
    const or = out + <usize>r * stride;
    const sv = f32x4.splat(<f32>dotF32(gr, 0, len));
    let j = 0;
    for (; j + 4 <= len; j += 4) {
      const at = (<usize>j) << 2;
      const p = Exp32.neg(v128.load(yr + at));
      v128.store(or + at, f32x4.sub(v128.load(gr + at), f32x4.mul(p, sv)));
    }
    const s = f32x4.extract_lane(sv, 0);
    for (; j < len; j++) {
      const at = (<usize>j) << 2;
      store<f32>(or + at, load<f32>(gr + at) - exp1(load<f32>(yr + at)) * s);
    }
  }
}

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
    for (let j = 0; j < len; j++) {
      const at = (<usize>j) << 3;
      store<f64>(or + at, load<f64>(gr + at) - Math.exp(load<f64>(yr + at)) * s);
    }
  }
}
