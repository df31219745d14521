// Element-wise unary functions. SIMD loops for the arithmetic ones and for exp/log; the other transcendental
// functions call AssemblyScript's Math (computed in f64, then rounded for f32, as the cpu backend does).
import { F32, F64, I32, toInt32 } from './common';
import { exp2x, expf4, log2x, logf4, tanh2x, tanhf4 } from './vmath';

// Op codes: the index in core's UNARY_OPS.
const NEG = 0;
const ABS = 1;
const SIGN = 2;
const SQUARE = 3;
const LOGICAL_NOT = 4;
const ISNAN = 5;
const ISINF = 6;
const ISFINITE = 7;
const FLOOR = 8;
const CEIL = 9;
const ROUND = 10;
const TRUNC = 11;
const SQRT = 12;
const CBRT = 13;
const RECIPROCAL = 14;
const EXP = 15;
const EXP2 = 16;
const EXPM1 = 17;
const LOG = 18;
const LOG2 = 19;
const LOG10 = 20;
const LOG1P = 21;
const SIN = 22;
const COS = 23;
const TAN = 24;
const ASIN = 25;
const ACOS = 26;
const ATAN = 27;
const SINH = 28;
const COSH = 29;
const TANH = 30;
const ASINH = 31;
const ACOSH = 32;
const ATANH = 33;

/** The float functions, on f64 (the reference semantics every dtype derives from). */
function applyF64(op: i32, x: f64): f64 {
  switch (op) {
    case NEG:
      return -x;
    case ABS:
      return abs(x);
    case SIGN:
      return x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : x;
    case SQUARE:
      return x * x;
    case FLOOR:
      return floor(x);
    case CEIL:
      return ceil(x);
    case ROUND:
      return nearest(x);
    case TRUNC:
      return trunc(x);
    case SQRT:
      return sqrt(x);
    case CBRT:
      return Math.cbrt(x);
    case RECIPROCAL:
      return 1 / x;
    case EXP:
      return Math.exp(x);
    case EXP2:
      return Math.exp2(x);
    case EXPM1:
      return Math.expm1(x);
    case LOG:
      return Math.log(x);
    case LOG2:
      return Math.log2(x);
    case LOG10:
      return Math.log10(x);
    case LOG1P:
      return Math.log1p(x);
    case SIN:
      return Math.sin(x);
    case COS:
      return Math.cos(x);
    case TAN:
      return Math.tan(x);
    case ASIN:
      return Math.asin(x);
    case ACOS:
      return Math.acos(x);
    case ATAN:
      return Math.atan(x);
    case SINH:
      return Math.sinh(x);
    case COSH:
      return Math.cosh(x);
    case TANH:
      return Math.tanh(x);
    case ASINH:
      return Math.asinh(x);
    case ACOSH:
      return Math.acosh(x);
    case ATANH:
      return Math.atanh(x);
    default:
      return x;
  }
}

// ---- Vectorisable float ops: a scalar and a v128 form each (T is f32 or f64). ----

class Neg<T> {
  @inline scalar(x: T): T {
    return -x;
  }
  @inline vec(x: v128): v128 {
    return v128.neg<T>(x);
  }
}
class Abs<T> {
  @inline scalar(x: T): T {
    return abs<T>(x);
  }
  @inline vec(x: v128): v128 {
    return v128.abs<T>(x);
  }
}
class Sign<T> {
  @inline scalar(x: T): T {
    return x > 0 ? <T>1 : x < 0 ? <T>-1 : x == 0 ? <T>0 : x;
  }
  @inline vec(x: v128): v128 {
    const one = v128.splat<T>(<T>1);
    const pos = v128.and(v128.gt<T>(x, v128.splat<T>(<T>0)), one);
    const neg = v128.and(v128.lt<T>(x, v128.splat<T>(<T>0)), v128.neg<T>(one));
    // NaN lanes keep x; every other lane is +1, -1 or +0 (also for -0).
    return v128.bitselect(v128.or(pos, neg), x, v128.eq<T>(x, x));
  }
}
class Square<T> {
  @inline scalar(x: T): T {
    return x * x;
  }
  @inline vec(x: v128): v128 {
    return v128.mul<T>(x, x);
  }
}
class Floor<T> {
  @inline scalar(x: T): T {
    return floor<T>(x);
  }
  @inline vec(x: v128): v128 {
    return v128.floor<T>(x);
  }
}
class Ceil<T> {
  @inline scalar(x: T): T {
    return ceil<T>(x);
  }
  @inline vec(x: v128): v128 {
    return v128.ceil<T>(x);
  }
}
class Round<T> {
  @inline scalar(x: T): T {
    return nearest<T>(x);
  }
  @inline vec(x: v128): v128 {
    return v128.nearest<T>(x);
  }
}
class Trunc<T> {
  @inline scalar(x: T): T {
    return trunc<T>(x);
  }
  @inline vec(x: v128): v128 {
    return v128.trunc<T>(x);
  }
}
class Sqrt<T> {
  @inline scalar(x: T): T {
    return sqrt<T>(x);
  }
  @inline vec(x: v128): v128 {
    return v128.sqrt<T>(x);
  }
}
class Reciprocal<T> {
  @inline scalar(x: T): T {
    return <T>1 / x;
  }
  @inline vec(x: v128): v128 {
    return v128.div<T>(v128.splat<T>(<T>1), x);
  }
}
class Exp<T> {
  @inline scalar(x: T): T {
    return <T>Math.exp(<f64>x);
  }
  @inline vec(x: v128): v128 {
    if (sizeof<T>() == 4) return expf4(x);
    return exp2x(x);
  }
}
class Log<T> {
  @inline scalar(x: T): T {
    return <T>Math.log(<f64>x);
  }
  @inline vec(x: v128): v128 {
    if (sizeof<T>() == 4) return logf4(x);
    return log2x(x);
  }
}

class Tanh<T> {
  @inline scalar(x: T): T {
    return <T>Math.tanh(<f64>x);
  }
  @inline vec(x: v128): v128 {
    if (sizeof<T>() == 4) return tanhf4(x);
    return tanh2x(x);
  }
}

/** out[i] = op(x[i]) over n elements: two vectors per step, then single vectors, then a scalar tail. */
function mapVec<T, O>(x: usize, out: usize, n: i32): void {
  const op = changetype<O>(0);
  const lanes = 16 / sizeof<T>();
  let i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    const at = <usize>i * sizeof<T>();
    const a = v128.load(x + at);
    const b = v128.load(x + at, 16);
    v128.store(out + at, op.vec(a));
    v128.store(out + at, op.vec(b), 16);
  }
  for (; i < n; i++) {
    const at = <usize>i * sizeof<T>();
    store<T>(out + at, op.scalar(load<T>(x + at)));
  }
}

/** The non-vectorised float functions: computed in f64 by applyF64 and rounded to T. */
function mapViaF64<T>(op: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const at = <usize>i * sizeof<T>();
    store<T>(out + at, <T>applyF64(op, <f64>load<T>(x + at)));
  }
}

/** The predicates (bool output) on any input type. */
function predicate<T>(op: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const v = load<T>(x + <usize>i * sizeof<T>());
    let r: bool;
    if (op == LOGICAL_NOT) r = v == 0;
    else if (!isFloat<T>()) r = op == ISFINITE;
    else if (op == ISNAN) r = isNaN<T>(v);
    else if (op == ISINF) r = !isFinite<T>(v) && !isNaN<T>(v);
    else r = isFinite<T>(v);
    store<u8>(out + <usize>i, <u8>r);
  }
}

function unaryFloat<T>(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case NEG:
      mapVec<T, Neg<T>>(x, out, n);
      break;
    case ABS:
      mapVec<T, Abs<T>>(x, out, n);
      break;
    case SIGN:
      mapVec<T, Sign<T>>(x, out, n);
      break;
    case SQUARE:
      mapVec<T, Square<T>>(x, out, n);
      break;
    case FLOOR:
      mapVec<T, Floor<T>>(x, out, n);
      break;
    case CEIL:
      mapVec<T, Ceil<T>>(x, out, n);
      break;
    case ROUND:
      mapVec<T, Round<T>>(x, out, n);
      break;
    case TRUNC:
      mapVec<T, Trunc<T>>(x, out, n);
      break;
    case SQRT:
      mapVec<T, Sqrt<T>>(x, out, n);
      break;
    case RECIPROCAL:
      mapVec<T, Reciprocal<T>>(x, out, n);
      break;
    case EXP:
      mapVec<T, Exp<T>>(x, out, n);
      break;
    case LOG:
      mapVec<T, Log<T>>(x, out, n);
      break;
    case TANH:
      mapVec<T, Tanh<T>>(x, out, n);
      break;
    default:
      mapViaF64<T>(op, x, out, n);
  }
}

/**
 * int32 and bool: the integer functions directly (int32 wraps; on bool every one of them is the identity), the
 * float functions through f64, stored back the way an Int32Array store does (ToInt32) or as `x != 0` for bool.
 */
function unaryInt<T>(op: i32, x: usize, out: usize, n: i32): void {
  const bool = sizeof<T>() == 1;
  for (let i = 0; i < n; i++) {
    const at = <usize>i * sizeof<T>();
    const v = load<T>(x + at);
    let r: T;
    if (bool && op <= TRUNC) r = v;
    else if (op == NEG) r = -v;
    else if (op == ABS) r = v < 0 ? -v : v;
    else if (op == SIGN) r = v > 0 ? <T>1 : v < 0 ? <T>-1 : <T>0;
    else if (op == SQUARE) r = v * v;
    else if (op >= FLOOR && op <= TRUNC) r = v;
    else {
      const f = applyF64(op, <f64>v);
      r = bool ? <T>(f != 0) : <T>toInt32(f);
    }
    store<T>(out + at, r);
  }
}

/** Element-wise unary function `op` (core's UNARY_OPS index) over n elements of dtype `dt`. */
export function unary(op: i32, dt: i32, x: usize, out: usize, n: i32): void {
  if (op >= LOGICAL_NOT && op <= ISFINITE) {
    if (dt == F64) predicate<f64>(op, x, out, n);
    else if (dt == F32) predicate<f32>(op, x, out, n);
    else if (dt == I32) predicate<i32>(op, x, out, n);
    else predicate<u8>(op, x, out, n);
  } else if (dt == F64) unaryFloat<f64>(op, x, out, n);
  else if (dt == F32) unaryFloat<f32>(op, x, out, n);
  else if (dt == I32) unaryInt<i32>(op, x, out, n);
  else unaryInt<u8>(op, x, out, n);
}
