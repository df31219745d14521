// Element-wise kernels: unary and binary functions, where, cast and broadcastTo, over one broadcasting helper.
import {
  allocate,
  type BinaryOp,
  type DType,
  expFloat32,
  type Shape,
  sizeOf,
  type TypedArray,
  type UnaryOp,
} from '@mg/core';
import { broadcastStrides, forEachBlock, gatherStrided, planLoops } from './strided.js';
import type { CpuTensor } from './types.js';

/**
 * Every scalar function of the element-wise kernels, numbered: the loops below switch on the number inside the
 * loop. One loop for all functions, with no per-function copies (those would need `new Function`, which a strict
 * Content Security Policy forbids) and no megamorphic call through a function value: a loop that calls
 * `f(a[i], b[i])` for many different `f` stops inlining them and runs ~6x slower, while the switch's branch is
 * predicted perfectly (the function is the same for the whole loop): measured 1.2-1.5x a hand-written loop.
 */
enum F {
  // unary
  Neg,
  Abs,
  Sign,
  Square,
  SquareInt,
  LogicalNot,
  IsNaN,
  IsInf,
  IsFinite,
  Floor,
  Ceil,
  Round,
  Trunc,
  Sqrt,
  Cbrt,
  Reciprocal,
  Exp,
  ExpFloat32,
  Exp2,
  Expm1,
  Log,
  Log2,
  Log10,
  Log1p,
  Sin,
  Cos,
  Tan,
  Asin,
  Acos,
  Atan,
  Sinh,
  Cosh,
  Tanh,
  Asinh,
  Acosh,
  Atanh,
  // binary
  Add,
  AddBool,
  Sub,
  SubBool,
  Mul,
  MulInt,
  MulBool,
  Div,
  Pow,
  PowInt,
  Maximum,
  MaximumInt,
  Minimum,
  MinimumInt,
  Atan2,
  Mod,
  ModInt,
  Equal,
  NotEqual,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  LogicalAnd,
  LogicalOr,
  LogicalXor,
}

/**
 * One function's scalar implementations. `float` is the reference; `int` (int32) and `bool` default to it.
 * Every bool result is stored as `x != 0`, the cast rule, so bool `add` is `or` and `mul` is `and`, as in NumPy.
 * `predicate` functions already return 0/1.
 */
interface ScalarDef {
  readonly float: F;
  /** A faster version whose results are only float32-accurate, used when the output is stored as float32. */
  readonly float32?: F;
  readonly int?: F;
  readonly bool?: F;
  readonly predicate?: true;
}

/** NumPy's round: half to even (Math.round rounds half up). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** C's pow: `pow(1, y)` and `pow(-1, ±inf)` are 1, where `**` gives NaN. */
function floatPow(a: number, b: number): number {
  if (a === 1 || (a === -1 && (b === Infinity || b === -Infinity))) return 1;
  return a ** b;
}

/**
 * Integer power by squaring; Math.imul keeps every step exact modulo 2^32, as int32 wraps. NumPy rejects
 * negative exponents before computing, so any result is acceptable there: this one is C's truncated 1/a^-b.
 */
function intPow(base: number, exp: number): number {
  if (exp < 0) return base === 1 ? 1 : base === -1 ? (exp & 1 ? -1 : 1) : 0;
  let result = 1;
  while (exp > 0) {
    if (exp & 1) result = Math.imul(result, base);
    exp >>>= 1;
    base = Math.imul(base, base);
  }
  return result;
}

/** NumPy's float remainder (npy_divmod): fmod, moved to the divisor's sign; a zero result takes b's sign. */
function floatMod(a: number, b: number): number {
  const m = a % b;
  if (m !== 0) return b < 0 !== m < 0 ? m + b : m;
  return b < 0 ? -0 : 0;
}

/** Python's integer `%`; `x % 0` is 0, as NumPy returns (JS gives NaN, which the int32 store turns into 0). */
function intMod(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && m < 0 !== b < 0 ? m + b : m;
}

const UNARY: Record<UnaryOp, ScalarDef> = {
  neg: { float: F.Neg },
  abs: { float: F.Abs },
  sign: { float: F.Sign },
  square: { float: F.Square, int: F.SquareInt },
  logicalNot: { float: F.LogicalNot, predicate: true },
  isnan: { float: F.IsNaN, predicate: true },
  isinf: { float: F.IsInf, predicate: true },
  isfinite: { float: F.IsFinite, predicate: true },
  floor: { float: F.Floor },
  ceil: { float: F.Ceil },
  round: { float: F.Round },
  trunc: { float: F.Trunc },
  sqrt: { float: F.Sqrt },
  cbrt: { float: F.Cbrt },
  reciprocal: { float: F.Reciprocal },
  exp: { float: F.Exp, float32: F.ExpFloat32 },
  exp2: { float: F.Exp2 },
  expm1: { float: F.Expm1 },
  log: { float: F.Log },
  log2: { float: F.Log2 },
  log10: { float: F.Log10 },
  log1p: { float: F.Log1p },
  sin: { float: F.Sin },
  cos: { float: F.Cos },
  tan: { float: F.Tan },
  asin: { float: F.Asin },
  acos: { float: F.Acos },
  atan: { float: F.Atan },
  sinh: { float: F.Sinh },
  cosh: { float: F.Cosh },
  tanh: { float: F.Tanh },
  asinh: { float: F.Asinh },
  acosh: { float: F.Acosh },
  atanh: { float: F.Atanh },
};

// Predicates use Number(boolean), which compiles branch-free: `c ? 1 : 0` mispredicts on random data (5x slower).
const BINARY: Record<BinaryOp, ScalarDef> = {
  add: { float: F.Add, bool: F.AddBool },
  sub: { float: F.Sub, bool: F.SubBool },
  mul: { float: F.Mul, int: F.MulInt, bool: F.MulBool },
  div: { float: F.Div },
  pow: { float: F.Pow, int: F.PowInt },
  maximum: { float: F.Maximum, int: F.MaximumInt },
  minimum: { float: F.Minimum, int: F.MinimumInt },
  atan2: { float: F.Atan2 },
  mod: { float: F.Mod, int: F.ModInt },
  equal: { float: F.Equal, predicate: true },
  notEqual: { float: F.NotEqual, predicate: true },
  less: { float: F.Less, predicate: true },
  lessEqual: { float: F.LessEqual, predicate: true },
  greater: { float: F.Greater, predicate: true },
  greaterEqual: { float: F.GreaterEqual, predicate: true },
  logicalAnd: { float: F.LogicalAnd, predicate: true },
  logicalOr: { float: F.LogicalOr, predicate: true },
  logicalXor: { float: F.LogicalXor, predicate: true },
};

/**
 * The scalar function for `dtype`, and whether its result must still be turned into bool (`!= 0`): int32 and
 * bool inputs use the int variant where there is one, bool falls back to it (then the result is made 0/1).
 */
function pick(def: ScalarDef, dtype: DType): { code: F; toBool: boolean } {
  if (dtype === 'float32' && def.float32 !== undefined) return { code: def.float32, toBool: false };
  if (dtype === 'float64' || dtype === 'float32' || def.predicate) return { code: def.float, toBool: false };
  if (dtype === 'int32') return { code: def.int ?? def.float, toBool: false };
  if (def.bool !== undefined) return { code: def.bool, toBool: false };
  return { code: def.int ?? def.float, toBool: true };
}

/** The unary scalar function number `f` at x. */
function unaryScalar(f: F, x: number): number {
  switch (f) {
    case F.Neg:
      return -x;
    case F.Abs:
      return Math.abs(x);
    case F.Sign:
      return x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : x;
    case F.Square:
      return x * x;
    case F.SquareInt:
      return Math.imul(x, x);
    case F.LogicalNot:
      return Number(x === 0);
    case F.IsNaN:
      return Number(Number.isNaN(x));
    case F.IsInf:
      return Number(Math.abs(x) === Infinity);
    case F.IsFinite:
      return Number(x - x === 0);
    case F.Floor:
      return Math.floor(x);
    case F.Ceil:
      return Math.ceil(x);
    case F.Round:
      return roundHalfEven(x);
    case F.Trunc:
      return Math.trunc(x);
    case F.Sqrt:
      return Math.sqrt(x);
    case F.Cbrt:
      return Math.cbrt(x);
    case F.Reciprocal:
      return 1 / x;
    case F.Exp:
      return Math.exp(x);
    case F.ExpFloat32:
      return expFloat32(x);
    case F.Exp2:
      return 2 ** x;
    case F.Expm1:
      return Math.expm1(x);
    case F.Log:
      return Math.log(x);
    case F.Log2:
      return Math.log2(x);
    case F.Log10:
      return Math.log10(x);
    case F.Log1p:
      return Math.log1p(x);
    case F.Sin:
      return Math.sin(x);
    case F.Cos:
      return Math.cos(x);
    case F.Tan:
      return Math.tan(x);
    case F.Asin:
      return Math.asin(x);
    case F.Acos:
      return Math.acos(x);
    case F.Atan:
      return Math.atan(x);
    case F.Sinh:
      return Math.sinh(x);
    case F.Cosh:
      return Math.cosh(x);
    case F.Tanh:
      return Math.tanh(x);
    case F.Asinh:
      return Math.asinh(x);
    case F.Acosh:
      return Math.acosh(x);
    default:
      return Math.atanh(x);
  }
}

/** The binary scalar function number `f` at (a, b). */
function binaryScalar(f: F, a: number, b: number): number {
  switch (f) {
    case F.Add:
      return a + b;
    case F.AddBool:
      return a | b;
    case F.Sub:
      return a - b;
    case F.SubBool:
      return a ^ b;
    case F.Mul:
      return a * b;
    case F.MulInt:
      return Math.imul(a, b);
    case F.MulBool:
      return a & b;
    case F.Div:
      return a / b;
    case F.Pow:
      return floatPow(a, b);
    case F.PowInt:
      return intPow(a, b);
    case F.Maximum:
      return a > b || Number.isNaN(a) ? a : b;
    case F.MaximumInt:
      return Math.max(a, b);
    case F.Minimum:
      return a < b || Number.isNaN(a) ? a : b;
    case F.MinimumInt:
      return Math.min(a, b);
    case F.Atan2:
      return Math.atan2(a, b);
    case F.Mod:
      return floatMod(a, b);
    case F.ModInt:
      return intMod(a, b);
    case F.Equal:
      return Number(a === b);
    case F.NotEqual:
      return Number(a !== b);
    case F.Less:
      return Number(a < b);
    case F.LessEqual:
      return Number(a <= b);
    case F.Greater:
      return Number(a > b);
    case F.GreaterEqual:
      return Number(a >= b);
    case F.LogicalAnd:
      return Number(a !== 0) & Number(b !== 0);
    case F.LogicalOr:
      return Number(a !== 0) | Number(b !== 0);
    default:
      return Number(a !== 0) ^ Number(b !== 0);
  }
}

/** Element-wise unary function; the output dtype is decided by core (the input's, or bool for predicates). */
export function unary(op: UnaryOp, x: CpuTensor, outDtype: DType): TypedArray {
  const out = allocate(outDtype, x.values.length);
  const { code, toBool } = pick(UNARY[op], x.dtype);
  const v = x.values;
  const n = out.length;
  if (toBool) for (let i = 0; i < n; i++) out[i] = Number(unaryScalar(code, v[i]!) !== 0);
  else for (let i = 0; i < n; i++) out[i] = unaryScalar(code, v[i]!);
  return out;
}

/**
 * The inner loops of every binary function: an n0 x n1 block of a contiguous output, each operand read at
 * (row stride, column stride). The column-stride patterns that broadcasting produces get their own loops:
 * both contiguous (same shape, row broadcast), a stays put (scalar a), b stays put (scalar b, column
 * broadcast).
 */
function binaryBlock(
  f: F,
  a: TypedArray,
  ap: number,
  as0: number,
  as1: number,
  b: TypedArray,
  bp: number,
  bs0: number,
  bs1: number,
  out: TypedArray,
  o: number,
  n0: number,
  n1: number,
): void {
  if (as1 === 1 && bs1 === 1) {
    for (let i = 0; i < n0; i++) {
      let p = ap + i * as0;
      let q = bp + i * bs0;
      const end = o + n1;
      while (o < end) out[o++] = binaryScalar(f, a[p++]!, b[q++]!);
    }
  } else if (as1 === 0) {
    for (let i = 0; i < n0; i++) {
      const x = a[ap + i * as0]!;
      let q = bp + i * bs0;
      const end = o + n1;
      for (; o < end; q += bs1) out[o++] = binaryScalar(f, x, b[q]!);
    }
  } else if (bs1 === 0) {
    for (let i = 0; i < n0; i++) {
      let p = ap + i * as0;
      const y = b[bp + i * bs0]!;
      const end = o + n1;
      for (; o < end; p += as1) out[o++] = binaryScalar(f, a[p]!, y);
    }
  } else {
    for (let i = 0; i < n0; i++) {
      let p = ap + i * as0;
      let q = bp + i * bs0;
      const end = o + n1;
      for (; o < end; p += as1, q += bs1) out[o++] = binaryScalar(f, a[p]!, b[q]!);
    }
  }
}

/**
 * The four arithmetic functions on same-size operands or a scalar on either side, in loops of their own (the
 * bulk of a training step's element-wise work: the switch in `binaryBlock` costs them ~20%). Returns false for
 * any other function.
 */
function arithmetic(f: F, a: TypedArray, b: TypedArray, out: TypedArray, n: number): boolean {
  const sa = a.length === 1 && n !== 1;
  const sb = b.length === 1 && n !== 1;
  if (sa && sb) return false;
  const x = a[0]!;
  const y = b[0]!;
  switch (f) {
    case F.Add:
      if (sa) for (let i = 0; i < n; i++) out[i] = x + b[i]!;
      else if (sb) for (let i = 0; i < n; i++) out[i] = a[i]! + y;
      else for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
      return true;
    case F.Sub:
      if (sa) for (let i = 0; i < n; i++) out[i] = x - b[i]!;
      else if (sb) for (let i = 0; i < n; i++) out[i] = a[i]! - y;
      else for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
      return true;
    case F.Mul:
      if (sa) for (let i = 0; i < n; i++) out[i] = x * b[i]!;
      else if (sb) for (let i = 0; i < n; i++) out[i] = a[i]! * y;
      else for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
      return true;
    case F.Div:
      if (sa) for (let i = 0; i < n; i++) out[i] = x / b[i]!;
      else if (sb) for (let i = 0; i < n; i++) out[i] = a[i]! / y;
      else for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!;
      return true;
    default:
      return false;
  }
}

/**
 * Applies the binary scalar function `f` element-wise with NumPy broadcasting: the one helper behind every
 * binary function. Same-size and size-1 operands skip planning; everything else is planned into blocks.
 */
function broadcastBinary(f: F, a: CpuTensor, b: CpuTensor, outShape: Shape, out: TypedArray): void {
  const size = out.length;
  if (size === 0) return;
  const na = a.values.length;
  const nb = b.values.length;
  if ((na === size || na === 1) && (nb === size || nb === 1) && arithmetic(f, a.values, b.values, out, size))
    return;
  if (na === size && nb === size) binaryBlock(f, a.values, 0, 0, 1, b.values, 0, 0, 1, out, 0, 1, size);
  else if (na === 1 && nb === size) binaryBlock(f, a.values, 0, 0, 0, b.values, 0, 0, 1, out, 0, 1, size);
  else if (nb === 1 && na === size) binaryBlock(f, a.values, 0, 0, 1, b.values, 0, 0, 0, out, 0, 1, size);
  else {
    const plan = planLoops(outShape, [
      broadcastStrides(a.shape, outShape),
      broadcastStrides(b.shape, outShape),
    ]);
    const r = plan.dims.length;
    const [sa, sb] = plan.strides as [number[], number[]];
    const n0 = plan.dims[r - 2]!;
    const n1 = plan.dims[r - 1]!;
    forEachBlock(plan, [0, 0], (offsets, o) => {
      binaryBlock(
        f,
        a.values,
        offsets[0]!,
        sa[r - 2]!,
        sa[r - 1]!,
        b.values,
        offsets[1]!,
        sb[r - 2]!,
        sb[r - 1]!,
        out,
        o,
        n0,
        n1,
      );
    });
  }
}

/** Element-wise binary function with broadcasting; `a` and `b` share a dtype, the output dtype is core's. */
export function binary(
  op: BinaryOp,
  a: CpuTensor,
  b: CpuTensor,
  outShape: Shape,
  outDtype: DType,
): TypedArray {
  const out = allocate(outDtype, sizeOf(outShape));
  const { code, toBool } = pick(BINARY[op], a.dtype);
  if (!toBool) {
    broadcastBinary(code, a, b, outShape, out);
    return out;
  }
  // Computed in double first: the result must become 0/1 before any narrower store could truncate it.
  const wide = new Float64Array(out.length);
  broadcastBinary(code, a, b, outShape, wide);
  for (let i = 0; i < out.length; i++) out[i] = Number(wide[i] !== 0);
  return out;
}

/** `cond ? a : b` with all three broadcast to `outShape`. */
export function where(
  cond: CpuTensor,
  a: CpuTensor,
  b: CpuTensor,
  outShape: Shape,
  dtype: DType,
): TypedArray {
  const size = sizeOf(outShape);
  const out = allocate(dtype, size);
  if (size === 0) return out;
  const c = cond.values;
  const x = a.values;
  const y = b.values;
  if (c.length === size && x.length === size && y.length === size) {
    for (let i = 0; i < size; i++) out[i] = c[i] ? x[i] : y[i];
    return out;
  }
  const plan = planLoops(
    outShape,
    [cond.shape, a.shape, b.shape].map((s) => broadcastStrides(s, outShape)),
  );
  const r = plan.dims.length;
  const n0 = plan.dims[r - 2];
  const n1 = plan.dims[r - 1];
  const [sc, sx, sy] = plan.strides as [number[], number[], number[]];
  const c0 = sc[r - 2];
  const c1 = sc[r - 1];
  const x0 = sx[r - 2];
  const x1 = sx[r - 1];
  const y0 = sy[r - 2];
  const y1 = sy[r - 1];
  forEachBlock(plan, [0, 0, 0], (offsets, o) => {
    for (let i = 0; i < n0; i++) {
      let p = offsets[0] + i * c0;
      let q = offsets[1] + i * x0;
      let s = offsets[2] + i * y0;
      for (let j = 0; j < n1; j++, p += c1, q += x1, s += y1) out[o++] = c[p] ? x[q] : y[s];
    }
  });
  return out;
}

/** Converts to `dtype`: to bool is `x != 0` (NaN is true); the native conversions do the rest (float to int32 truncates). */
export function cast(x: CpuTensor, dtype: DType): TypedArray {
  const out = allocate(dtype, x.values.length);
  if (dtype === 'bool' && x.dtype !== 'bool') {
    const v = x.values;
    for (let i = 0; i < v.length; i++) out[i] = v[i] !== 0 ? 1 : 0;
  } else {
    out.set(x.values);
  }
  return out;
}

/** Repeats `x` along its size-1 and missing leading axes to `outShape`. */
export function broadcastTo(x: CpuTensor, outShape: Shape): TypedArray {
  const out = allocate(x.dtype, sizeOf(outShape));
  gatherStrided(x.values, 0, outShape, broadcastStrides(x.shape, outShape), out);
  return out;
}
