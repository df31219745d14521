// Element-wise binary functions with broadcasting, plus where: an odometer over a JS-planned loop nest whose
// innermost block gets SIMD loops for the contiguous, scalar-left and scalar-right stride patterns.
import {
  advance,
  dim,
  F32,
  F64,
  floatMod,
  floatPow,
  I32,
  intMod,
  intPow,
  offsetOf,
  startBlocks,
  strideOf,
  toInt32,
} from './common';

// Op codes: the index in core's BINARY_OPS.
const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const POW = 4;
const MAXIMUM = 5;
const MINIMUM = 6;
const ATAN2 = 7;
const MOD = 8;
const EQUAL = 9;
const NOT_EQUAL = 10;
const LESS = 11;
const LESS_EQUAL = 12;
const GREATER = 13;
const GREATER_EQUAL = 14;
const LOGICAL_AND = 15;
const LOGICAL_OR = 16;
const LOGICAL_XOR = 17;

// ---- Ops. T is f64, f32, i32 or u8 (bool, 0/1); bool results of int-derived ops are `result != 0`. ----

class Add<T> {
  @inline scalar(a: T, b: T): T {
    if (sizeof<T>() == 1) return a | b;
    return a + b;
  }
  @inline vec(a: v128, b: v128): v128 {
    if (sizeof<T>() == 1) return v128.or(a, b);
    return v128.add<T>(a, b);
  }
}
class Sub<T> {
  @inline scalar(a: T, b: T): T {
    if (sizeof<T>() == 1) return a ^ b;
    return a - b;
  }
  @inline vec(a: v128, b: v128): v128 {
    if (sizeof<T>() == 1) return v128.xor(a, b);
    return v128.sub<T>(a, b);
  }
}
class Mul<T> {
  @inline scalar(a: T, b: T): T {
    if (sizeof<T>() == 1) return a & b;
    return a * b;
  }
  @inline vec(a: v128, b: v128): v128 {
    if (sizeof<T>() == 1) return v128.and(a, b);
    return v128.mul<T>(a, b);
  }
}
class Div<T> {
  @inline simd(): bool {
    return isFloat<T>();
  }
  @inline scalar(a: T, b: T): T {
    if (isFloat<T>()) return a / b;
    const q = <f64>a / <f64>b;
    if (sizeof<T>() == 1) return <T>(q != 0);
    return <T>toInt32(q);
  }
  @inline vec(a: v128, b: v128): v128 {
    if (isFloat<T>()) return v128.div<T>(a, b);
    return a;
  }
}
class Pow<T> {
  @inline scalar(a: T, b: T): T {
    if (isFloat<T>()) return <T>floatPow(<f64>a, <f64>b);
    if (sizeof<T>() == 1) return <T>(intPow(<i32>a, <i32>b) != 0);
    return <T>intPow(<i32>a, <i32>b);
  }
}
/** NumPy 2: a NaN on either side wins; ties go to the second operand (maximum(-0, 0) is 0). */
class Maximum<T> {
  @inline scalar(a: T, b: T): T {
    if (sizeof<T>() == 1) return a | b;
    if (isFloat<T>()) return a > b || isNaN<T>(a) ? a : b;
    return a > b ? a : b;
  }
  @inline vec(a: v128, b: v128): v128 {
    if (sizeof<T>() == 1) return v128.or(a, b);
    if (isFloat<T>()) return v128.bitselect(a, b, v128.or(v128.gt<T>(a, b), v128.ne<T>(a, a)));
    return v128.max<T>(a, b);
  }
}
class Minimum<T> {
  @inline scalar(a: T, b: T): T {
    if (sizeof<T>() == 1) return a & b;
    if (isFloat<T>()) return a < b || isNaN<T>(a) ? a : b;
    return a < b ? a : b;
  }
  @inline vec(a: v128, b: v128): v128 {
    if (sizeof<T>() == 1) return v128.and(a, b);
    if (isFloat<T>()) return v128.bitselect(a, b, v128.or(v128.lt<T>(a, b), v128.ne<T>(a, a)));
    return v128.min<T>(a, b);
  }
}
class Atan2<T> {
  @inline scalar(a: T, b: T): T {
    const r = Math.atan2(<f64>a, <f64>b);
    if (isFloat<T>()) return <T>r;
    if (sizeof<T>() == 1) return <T>(r != 0);
    return <T>toInt32(r);
  }
}
class Mod<T> {
  @inline scalar(a: T, b: T): T {
    if (isFloat<T>()) return <T>floatMod(<f64>a, <f64>b);
    // On bool the integer remainder is NaN (true) for a zero divisor and 0 otherwise.
    if (sizeof<T>() == 1) return <T>(b == 0);
    return <T>intMod(<i32>a, <i32>b);
  }
}

// Comparisons and logical functions: bool (u8) results. `mask` gives the comparison as lane masks of T, which
// the loops narrow to bytes 16 results at a time.

/** Lanes of x (as T) that are nonzero; NaN counts as nonzero. */
@inline function nonzero<T>(x: v128): v128 {
  return v128.ne<T>(x, v128.splat<T>(<T>0));
}
class Equal<T> {
  @inline scalar(a: T, b: T): u8 {
    return <u8>(a == b);
  }
  @inline mask(a: v128, b: v128): v128 {
    return v128.eq<T>(a, b);
  }
}
class NotEqual<T> {
  @inline scalar(a: T, b: T): u8 {
    return <u8>(a != b);
  }
  @inline mask(a: v128, b: v128): v128 {
    return v128.ne<T>(a, b);
  }
}
class Less<T> {
  @inline scalar(a: T, b: T): u8 {
    return <u8>(a < b);
  }
  @inline mask(a: v128, b: v128): v128 {
    return v128.lt<T>(a, b);
  }
}
class LessEqual<T> {
  @inline scalar(a: T, b: T): u8 {
    return <u8>(a <= b);
  }
  @inline mask(a: v128, b: v128): v128 {
    return v128.le<T>(a, b);
  }
}
class Greater<T> {
  @inline scalar(a: T, b: T): u8 {
    return <u8>(a > b);
  }
  @inline mask(a: v128, b: v128): v128 {
    return v128.gt<T>(a, b);
  }
}
class GreaterEqual<T> {
  @inline scalar(a: T, b: T): u8 {
    return <u8>(a >= b);
  }
  @inline mask(a: v128, b: v128): v128 {
    return v128.ge<T>(a, b);
  }
}
class LogicalAnd<T> {
  @inline scalar(a: T, b: T): u8 {
    return <u8>(a != 0) & <u8>(b != 0);
  }
  @inline mask(a: v128, b: v128): v128 {
    return v128.and(nonzero<T>(a), nonzero<T>(b));
  }
}
class LogicalOr<T> {
  @inline scalar(a: T, b: T): u8 {
    return <u8>(a != 0) | <u8>(b != 0);
  }
  @inline mask(a: v128, b: v128): v128 {
    return v128.or(nonzero<T>(a), nonzero<T>(b));
  }
}
class LogicalXor<T> {
  @inline scalar(a: T, b: T): u8 {
    return <u8>(a != 0) ^ <u8>(b != 0);
  }
  @inline mask(a: v128, b: v128): v128 {
    return v128.xor(nonzero<T>(a), nonzero<T>(b));
  }
}
// ---- The loops. ----

/** The next vector of an operand: loaded at p, or the splatted scalar when the operand is fixed along the row. */
@inline function operand(fixed: bool, splat: v128, p: usize, offset: usize): v128 {
  return fixed ? splat : v128.load(p + offset);
}

/**
 * 16 comparison results as bytes (0/1): 16 / lanes masks of T narrowed to one i8x16 (f64 masks are first
 * compacted to their low halves, which are all ones or all zeros like the whole lane).
 */
@inline function compare16<T, O>(op: O, a: usize, fa: bool, va: v128, b: usize, fb: bool, vb: v128): v128 {
  let m: v128;
  if (sizeof<T>() == 1) {
    m = op.mask(operand(fa, va, a, 0), operand(fb, vb, b, 0));
  } else {
    let q0: v128, q1: v128, q2: v128, q3: v128;
    if (sizeof<T>() == 4) {
      q0 = op.mask(operand(fa, va, a, 0), operand(fb, vb, b, 0));
      q1 = op.mask(operand(fa, va, a, 16), operand(fb, vb, b, 16));
      q2 = op.mask(operand(fa, va, a, 32), operand(fb, vb, b, 32));
      q3 = op.mask(operand(fa, va, a, 48), operand(fb, vb, b, 48));
    } else {
      q0 = i32x4.shuffle(
        op.mask(operand(fa, va, a, 0), operand(fb, vb, b, 0)),
        op.mask(operand(fa, va, a, 16), operand(fb, vb, b, 16)),
        0, 2, 4, 6,
      );
      q1 = i32x4.shuffle(
        op.mask(operand(fa, va, a, 32), operand(fb, vb, b, 32)),
        op.mask(operand(fa, va, a, 48), operand(fb, vb, b, 48)),
        0, 2, 4, 6,
      );
      q2 = i32x4.shuffle(
        op.mask(operand(fa, va, a, 64), operand(fb, vb, b, 64)),
        op.mask(operand(fa, va, a, 80), operand(fb, vb, b, 80)),
        0, 2, 4, 6,
      );
      q3 = i32x4.shuffle(
        op.mask(operand(fa, va, a, 96), operand(fb, vb, b, 96)),
        op.mask(operand(fa, va, a, 112), operand(fb, vb, b, 112)),
        0, 2, 4, 6,
      );
    }
    m = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(q0, q1), i16x8.narrow_i32x4_s(q2, q3));
  }
  return v128.and(m, i8x16.splat(1));
}

/**
 * The SIMD part of one output row of n elements; returns where the scalar tail starts. `fa`/`fb` say that an
 * operand is fixed along the row (stride 0): callers pass them as literals, so each combination inlines into
 * its own loop and a fixed operand is never loaded past its one element.
 */
@inline function vectorRow<T, R, O>(op: O, a: usize, fa: bool, b: usize, fb: bool, o: usize, n: i32): i32 {
  const lanes = 16 / <i32>sizeof<T>();
  const va = v128.splat<T>(load<T>(a));
  const vb = v128.splat<T>(load<T>(b));
  let j = 0;
  // An op class has `vec` where it has a SIMD form (`simd()` false for the T it lacks one), and `mask` where it
  // is a comparison; the checks are made at compile time, and each class states only what it has.
  if (isDefined(op.vec) && (!isDefined(op.simd) || op.simd())) {
    for (; j + 2 * lanes <= n; j += 2 * lanes) {
      const at = <usize>j * sizeof<T>();
      const x0 = op.vec(operand(fa, va, a, at), operand(fb, vb, b, at));
      const x1 = op.vec(operand(fa, va, a, at + 16), operand(fb, vb, b, at + 16));
      v128.store(o + at, x0);
      v128.store(o + at, x1, 16);
    }
  } else if (isDefined(op.mask) && (!isDefined(op.maskSimd) || op.maskSimd())) {
    for (; j + 16 <= n; j += 16) {
      const at = <usize>j * sizeof<T>();
      v128.store(o + <usize>j, compare16<T, O>(op, a + at, fa, va, b + at, fb, vb));
    }
  }
  return j;
}

/**
 * One n0 x n1 block: row i of the output (contiguous) reads a at pa + i*as0 + j*as1 and b likewise (strides in
 * elements). Rows whose operands are each contiguous or fixed run as SIMD loops (two vectors at a time, or 16
 * comparison results at a time); strided rows and the tails run scalar.
 */
function binaryBlock<T, R, O>(
  pa: usize,
  as0: isize,
  as1: isize,
  pb: usize,
  bs0: isize,
  bs1: isize,
  po: usize,
  n0: i32,
  n1: i32,
): void {
  const op = changetype<O>(0);
  const S = <isize>sizeof<T>();
  const SR = <usize>sizeof<R>();
  const da = <usize>(as1 * S);
  const db = <usize>(bs1 * S);
  for (let i = 0; i < n0; i++) {
    const a = pa + <usize>(<isize>i * as0 * S);
    const b = pb + <usize>(<isize>i * bs0 * S);
    const o = po + <usize>i * <usize>n1 * SR;
    let j = 0;
    if (as1 == 1 && bs1 == 1) j = vectorRow<T, R, O>(op, a, false, b, false, o, n1);
    else if (as1 == 0 && bs1 == 1) j = vectorRow<T, R, O>(op, a, true, b, false, o, n1);
    else if (as1 == 1 && bs1 == 0) j = vectorRow<T, R, O>(op, a, false, b, true, o, n1);
    let p = a + <usize>j * da;
    let q = b + <usize>j * db;
    for (; j < n1; j++, p += da, q += db) store<R>(o + <usize>j * SR, op.scalar(load<T>(p), load<T>(q)));
  }
}

/** Walks the outer dims of the plan in `meta` (dims, strides of a, strides of b) and runs each block. */
function binaryLoop<T, R, O>(a: usize, b: usize, out: usize, meta: usize, r: i32): void {
  const n0 = dim(meta, r - 2);
  const n1 = dim(meta, r - 1);
  const as0 = strideOf(meta, r, 0, r - 2);
  const as1 = strideOf(meta, r, 0, r - 1);
  const bs0 = strideOf(meta, r, 1, r - 2);
  const bs1 = strideOf(meta, r, 1, r - 1);
  const block = <usize>n0 * <usize>n1 * sizeof<R>();
  const blocks = startBlocks(meta, r, 2, 0, 0, 0);
  const S = <isize>sizeof<T>();
  for (let n = 0; n < blocks; n++) {
    binaryBlock<T, R, O>(
      a + <usize>(offsetOf(0) * S),
      as0,
      as1,
      b + <usize>(offsetOf(1) * S),
      bs0,
      bs1,
      out + <usize>n * block,
      n0,
      n1,
    );
    advance(meta, r, 2);
  }
}

function binaryTyped<T>(op: i32, a: usize, b: usize, out: usize, meta: usize, r: i32): void {
  switch (op) {
    case ADD:
      binaryLoop<T, T, Add<T>>(a, b, out, meta, r);
      break;
    case SUB:
      binaryLoop<T, T, Sub<T>>(a, b, out, meta, r);
      break;
    case MUL:
      binaryLoop<T, T, Mul<T>>(a, b, out, meta, r);
      break;
    case DIV:
      binaryLoop<T, T, Div<T>>(a, b, out, meta, r);
      break;
    case POW:
      binaryLoop<T, T, Pow<T>>(a, b, out, meta, r);
      break;
    case MAXIMUM:
      binaryLoop<T, T, Maximum<T>>(a, b, out, meta, r);
      break;
    case MINIMUM:
      binaryLoop<T, T, Minimum<T>>(a, b, out, meta, r);
      break;
    case ATAN2:
      binaryLoop<T, T, Atan2<T>>(a, b, out, meta, r);
      break;
    case MOD:
      binaryLoop<T, T, Mod<T>>(a, b, out, meta, r);
      break;
    case EQUAL:
      binaryLoop<T, u8, Equal<T>>(a, b, out, meta, r);
      break;
    case NOT_EQUAL:
      binaryLoop<T, u8, NotEqual<T>>(a, b, out, meta, r);
      break;
    case LESS:
      binaryLoop<T, u8, Less<T>>(a, b, out, meta, r);
      break;
    case LESS_EQUAL:
      binaryLoop<T, u8, LessEqual<T>>(a, b, out, meta, r);
      break;
    case GREATER:
      binaryLoop<T, u8, Greater<T>>(a, b, out, meta, r);
      break;
    case GREATER_EQUAL:
      binaryLoop<T, u8, GreaterEqual<T>>(a, b, out, meta, r);
      break;
    case LOGICAL_AND:
      binaryLoop<T, u8, LogicalAnd<T>>(a, b, out, meta, r);
      break;
    case LOGICAL_OR:
      binaryLoop<T, u8, LogicalOr<T>>(a, b, out, meta, r);
      break;
    case LOGICAL_XOR:
      binaryLoop<T, u8, LogicalXor<T>>(a, b, out, meta, r);
      break;
  }
}

/** Element-wise binary function `op` (core's BINARY_OPS index) of two `dt` tensors, planned by `meta`. */
export function binary(op: i32, dt: i32, a: usize, b: usize, out: usize, meta: usize, r: i32): void {
  if (dt == F64) binaryTyped<f64>(op, a, b, out, meta, r);
  else if (dt == F32) binaryTyped<f32>(op, a, b, out, meta, r);
  else if (dt == I32) binaryTyped<i32>(op, a, b, out, meta, r);
  else binaryTyped<u8>(op, a, b, out, meta, r);
}

// ---- where ----

/** A lane mask (all ones where the bool byte is nonzero) for the first 16 / sizeof<T>() bytes at c. */
@inline function condMask<T>(c: usize): v128 {
  if (sizeof<T>() == 1) return v128.not(i8x16.eq(v128.load(c), i8x16.splat(0)));
  if (sizeof<T>() == 4) {
    const w = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(c)));
    return v128.not(i32x4.eq(w, i32x4.splat(0)));
  }
  const w = i64x2.extend_low_i32x4_u(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load16_splat(c))));
  return v128.not(i64x2.eq(w, i64x2.splat(0)));
}

/** `cond ? a : b` on one block; T only sets the element size (u8, u32, u64). */
function whereBlock<T>(
  pc: usize,
  c0: isize,
  c1: isize,
  pa: usize,
  a0: isize,
  a1: isize,
  pb: usize,
  b0: isize,
  b1: isize,
  po: usize,
  n0: i32,
  n1: i32,
): void {
  const S = <isize>sizeof<T>();
  const lanes = 16 / sizeof<T>();
  for (let i = 0; i < n0; i++) {
    const c = pc + <usize>(<isize>i * c0);
    const a = pa + <usize>(<isize>i * a0 * S);
    const b = pb + <usize>(<isize>i * b0 * S);
    const o = po + <usize>i * <usize>n1 * sizeof<T>();
    let j = 0;
    if (c1 == 1 && (a1 == 1 || a1 == 0) && (b1 == 1 || b1 == 0)) {
      const av = v128.splat<T>(load<T>(a));
      const bv = v128.splat<T>(load<T>(b));
      for (; j + lanes <= n1; j += lanes) {
        const at = <usize>j * sizeof<T>();
        const x = a1 == 1 ? v128.load(a + at) : av;
        const y = b1 == 1 ? v128.load(b + at) : bv;
        v128.store(o + at, v128.bitselect(x, y, condMask<T>(c + <usize>j)));
      }
    }
    let p = c + <usize>(<isize>j * c1);
    let q = a + <usize>(<isize>j * a1 * S);
    let s = b + <usize>(<isize>j * b1 * S);
    for (; j < n1; j++, p += <usize>c1, q += <usize>(a1 * S), s += <usize>(b1 * S)) {
      store<T>(o + <usize>j * sizeof<T>(), load<u8>(p) ? load<T>(q) : load<T>(s));
    }
  }
}

function whereLoop<T>(c: usize, a: usize, b: usize, out: usize, meta: usize, r: i32): void {
  const n0 = dim(meta, r - 2);
  const n1 = dim(meta, r - 1);
  const block = <usize>n0 * <usize>n1 * sizeof<T>();
  const blocks = startBlocks(meta, r, 3, 0, 0, 0);
  const S = <isize>sizeof<T>();
  for (let n = 0; n < blocks; n++) {
    whereBlock<T>(
      c + <usize>offsetOf(0),
      strideOf(meta, r, 0, r - 2),
      strideOf(meta, r, 0, r - 1),
      a + <usize>(offsetOf(1) * S),
      strideOf(meta, r, 1, r - 2),
      strideOf(meta, r, 1, r - 1),
      b + <usize>(offsetOf(2) * S),
      strideOf(meta, r, 2, r - 2),
      strideOf(meta, r, 2, r - 1),
      out + <usize>n * block,
      n0,
      n1,
    );
    advance(meta, r, 3);
  }
}

/** `cond ? a : b` with broadcasting (plan in `meta`: dims, then strides of cond, a, b); `size` is bytes/element. */
export function where(size: i32, c: usize, a: usize, b: usize, out: usize, meta: usize, r: i32): void {
  if (size == 8) whereLoop<u64>(c, a, b, out, meta, r);
  else if (size == 4) whereLoop<u32>(c, a, b, out, meta, r);
  else whereLoop<u8>(c, a, b, out, meta, r);
}

// ---- cast ----

@inline function convert<S, D>(x: S): D {
  if (sizeof<D>() == 1 && !isFloat<D>()) return <D>(x != 0);
  if (isFloat<S>() && !isFloat<D>()) return <D>toInt32(<f64>x);
  return <D>x;
}

function castLoop<S, D>(x: usize, out: usize, n: i32): void {
  let i = 0;
  // SIMD for the conversions with a vector instruction; the others (to bool, to int32) run scalar.
  if (isFloat<S>() && isFloat<D>() && sizeof<S>() == 8) {
    for (; i + 4 <= n; i += 4) {
      const p = x + (<usize>i << 3);
      const lo = f32x4.demote_f64x2_zero(v128.load(p));
      const hi = f32x4.demote_f64x2_zero(v128.load(p, 16));
      v128.store(out + (<usize>i << 2), i32x4.shuffle(lo, hi, 0, 1, 4, 5));
    }
  } else if (isFloat<S>() && isFloat<D>() && sizeof<D>() == 8) {
    for (; i + 2 <= n; i += 2) v128.store(out + (<usize>i << 3), f64x2.promote_low_f32x4(v128.load64_zero(x + (<usize>i << 2))));
  } else if (isInteger<S>() && sizeof<S>() == 4 && isFloat<D>() && sizeof<D>() == 4) {
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.convert_i32x4_s(v128.load(x + (<usize>i << 2))));
  } else if (isInteger<S>() && sizeof<S>() == 4 && isFloat<D>()) {
    for (; i + 2 <= n; i += 2) v128.store(out + (<usize>i << 3), f64x2.convert_low_i32x4_s(v128.load64_zero(x + (<usize>i << 2))));
  }
  for (; i < n; i++) {
    store<D>(out + <usize>i * sizeof<D>(), convert<S, D>(load<S>(x + <usize>i * sizeof<S>())));
  }
}

function castFrom<S>(to: i32, x: usize, out: usize, n: i32): void {
  if (to == F64) castLoop<S, f64>(x, out, n);
  else if (to == F32) castLoop<S, f32>(x, out, n);
  else if (to == I32) castLoop<S, i32>(x, out, n);
  else castLoop<S, u8>(x, out, n);
}

/** Converts n elements from dtype `from` to `to`: to bool is x != 0 (NaN true), float to int32 is ToInt32. */
export function cast(from: i32, to: i32, x: usize, out: usize, n: i32): void {
  if (from == to) memory.copy(out, x, <usize>n * (from == F64 ? 8 : from == I32 || from == F32 ? 4 : 1));
  else if (from == F64) castFrom<f64>(to, x, out, n);
  else if (from == F32) castFrom<f32>(to, x, out, n);
  else if (from == I32) castFrom<i32>(to, x, out, n);
  else castFrom<u8>(to, x, out, n);
}
