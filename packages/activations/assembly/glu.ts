// GLU on the wasm backend: out = (A + 0)·σ(B) where A and B are the halves of x along an axis, laid out as
// `outer` blocks of [A (h elements), B (h elements)]; backward recomputes σ(B) and writes both halves of dx,
// g·σ + 0 and ((g·(A + 0))·σ)·(1 - σ) + 0. The `+ 0`s are the composite's: it takes each half by summing it with
// the other half's zeros (so -0 becomes 0), and each half's gradient lands beside the other's zeros. One generic
// loop per direction for float32 (f32x4) and float64 (f64x2).
import { Sigmoid32, Sigmoid64, sigmoid64 } from './lib/vmath';

// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript's @inline works on methods, not on functions
class Lanes {
  /** σ on a vector of T (a compile-time choice of Sigmoid32 or Sigmoid64). */
  @inline static sigmoid<T>(v: v128): v128 {
    return sizeof<T>() === 4 ? Sigmoid32.of(v) : Sigmoid64.of(v);
  }
}

function glu<T>(x: usize, out: usize, outer: i32, h: i32): void {
  const block = <usize>h * sizeof<T>();
  const zero = v128.splat<T>(<T>0);
  const step = 16 / sizeof<T>();
  for (let o = 0; o < outer; o++) {
    const a = x + <usize>o * 2 * block;
    const b = a + block;
    const y = out + <usize>o * block;
    let j = 0;
    for (; j + step <= h; j += step) {
      const at = <usize>j * sizeof<T>();
      v128.store(
        y + at,
        v128.mul<T>(v128.add<T>(v128.load(a + at), zero), Lanes.sigmoid<T>(v128.load(b + at))),
      );
    }
    for (; j < h; j++) {
      const at = <usize>j * sizeof<T>();
      store<T>(y + at, (load<T>(a + at) + <T>0) * <T>sigmoid64(<f64>load<T>(b + at)));
    }
  }
}

function gluGrad<T>(g: usize, x: usize, dx: usize, outer: i32, h: i32): void {
  const block = <usize>h * sizeof<T>();
  const one = v128.splat<T>(<T>1);
  const zero = v128.splat<T>(<T>0);
  const step = 16 / sizeof<T>();
  for (let o = 0; o < outer; o++) {
    const a = x + <usize>o * 2 * block;
    const b = a + block;
    const da = dx + <usize>o * 2 * block;
    const db = da + block;
    const gr = g + <usize>o * block;
    let j = 0;
    for (; j + step <= h; j += step) {
      const at = <usize>j * sizeof<T>();
      const s = Lanes.sigmoid<T>(v128.load(b + at));
      const gv = v128.load(gr + at);
      const av = v128.add<T>(v128.load(a + at), zero);
      v128.store(da + at, v128.add<T>(v128.mul<T>(gv, s), zero));
      v128.store(
        db + at,
        v128.add<T>(v128.mul<T>(v128.mul<T>(v128.mul<T>(gv, av), s), v128.sub<T>(one, s)), zero),
      );
    }
    for (; j < h; j++) {
      const at = <usize>j * sizeof<T>();
      const s = <T>sigmoid64(<f64>load<T>(b + at));
      const gv = load<T>(gr + at);
      store<T>(da + at, gv * s + <T>0);
      store<T>(db + at, gv * (load<T>(a + at) + <T>0) * s * (<T>1 - s) + <T>0);
    }
  }
}

export function gluF32(x: usize, out: usize, outer: i32, h: i32): void {
  glu<f32>(x, out, outer, h);
}
export function gluF64(x: usize, out: usize, outer: i32, h: i32): void {
  glu<f64>(x, out, outer, h);
}
export function gluGradF32(g: usize, x: usize, dx: usize, outer: i32, h: i32): void {
  gluGrad<f32>(g, x, dx, outer, h);
}
export function gluGradF64(g: usize, x: usize, dx: usize, outer: i32, h: i32): void {
  gluGrad<f64>(g, x, dx, outer, h);
}
