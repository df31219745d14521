// Log-softmax of float32 rows on the wasm backend: x - (m + log Σe^(x - m)) per row of `len` elements (the
// trailing axes), SIMD with Exp32.neg; backward g - e^y·Σg from the output y. (float64 is in log-softmax64.ts:
// one module each keeps both under the 4 KB that browsers compile synchronously.)
import { dotF32, expTotalF32, rowMaxF32 } from './lib/rows';
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

/**
 * ∂logSoftmax/∂x·g for float32 rows from the output y: g - e^y·Σg. A row whose y holds a NaN (its x had a NaN or
 * no finite maximum) is all NaN, as MyGrad's, which recomputes softmax from x there: e^(x - max) is NaN somewhere
 * and its sum NaN.
 */
export function logSoftmaxGradF32(y: usize, g: usize, out: usize, rows: i32, len: i32): void {
  const stride = (<usize>len) << 2;
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * stride;
    const gr = g + <usize>r * stride;
    const or = out + <usize>r * stride;
    const sv = f32x4.splat(<f32>dotF32(gr, 0, len));
    let nan = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= len; j += 4) {
      const at = (<usize>j) << 2;
      const yv = v128.load(yr + at);
      nan = v128.or(nan, f32x4.ne(yv, yv));
      v128.store(or + at, f32x4.sub(v128.load(gr + at), f32x4.mul(Exp32.neg(yv), sv)));
    }
    const s = f32x4.extract_lane(sv, 0);
    let bad = v128.any_true(nan);
    for (; j < len; j++) {
      const at = (<usize>j) << 2;
      const yi = load<f32>(yr + at);
      bad = bad || Number.isNaN(yi);
      store<f32>(or + at, load<f32>(gr + at) - exp1(yi) * s);
    }
    if (bad) for (j = 0; j < len; j++) store<f32>(or + ((<usize>j) << 2), NaN);
  }
}
