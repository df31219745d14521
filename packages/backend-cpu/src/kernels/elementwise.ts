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
import { specializer } from './specialize.js';
import { broadcastStrides, forEachBlock, gatherStrided, planLoops } from './strided.js';
import type { CpuTensor } from './types.js';

type Scalar1 = (x: number) => number;
type Scalar2 = (a: number, b: number) => number;

/**
 * One function's scalar implementations. `float` is the reference; `int` (int32) and `bool` default to it.
 * Every bool result is stored as `x != 0`, the cast rule, so bool `add` is `or` and `mul` is `and`, as in NumPy.
 * `predicate` functions already return 0/1.
 */
interface ScalarDef<F> {
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

const UNARY: Record<UnaryOp, ScalarDef<Scalar1>> = {
  neg: { float: (x) => -x },
  abs: { float: Math.abs },
  sign: { float: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : x) },
  square: { float: (x) => x * x, int: (x) => Math.imul(x, x) },
  logicalNot: { float: (x) => Number(x === 0), predicate: true },
  isnan: { float: (x) => Number(Number.isNaN(x)), predicate: true },
  isinf: { float: (x) => Number(Math.abs(x) === Infinity), predicate: true },
  isfinite: { float: (x) => Number(x - x === 0), predicate: true },
  floor: { float: Math.floor },
  ceil: { float: Math.ceil },
  round: { float: roundHalfEven },
  trunc: { float: Math.trunc },
  sqrt: { float: Math.sqrt },
  cbrt: { float: Math.cbrt },
  reciprocal: { float: (x) => 1 / x },
  exp: { float: Math.exp, float32: expFloat32 },
  exp2: { float: (x) => 2 ** x },
  expm1: { float: Math.expm1 },
  log: { float: Math.log },
  log2: { float: Math.log2 },
  log10: { float: Math.log10 },
  log1p: { float: Math.log1p },
  sin: { float: Math.sin },
  cos: { float: Math.cos },
  tan: { float: Math.tan },
  asin: { float: Math.asin },
  acos: { float: Math.acos },
  atan: { float: Math.atan },
  sinh: { float: Math.sinh },
  cosh: { float: Math.cosh },
  tanh: { float: Math.tanh },
  asinh: { float: Math.asinh },
  acosh: { float: Math.acosh },
  atanh: { float: Math.atanh },
};

// Distinct literals per dtype where the expression is shared: each scalar function gets its own loop copy,
// and keeping int and float apart keeps each copy's element kinds few.
// Predicates use Number(boolean), which compiles branch-free: `c ? 1 : 0` mispredicts on random data (5x slower).
const BINARY: Record<BinaryOp, ScalarDef<Scalar2>> = {
  add: { float: (a, b) => a + b, int: (a, b) => a + b, bool: (a, b) => a | b },
  sub: { float: (a, b) => a - b, int: (a, b) => a - b, bool: (a, b) => a ^ b },
  mul: { float: (a, b) => a * b, int: Math.imul, bool: (a, b) => a & b },
  div: { float: (a, b) => a / b },
  pow: { float: floatPow, int: intPow },
  // As NumPy 2 does: a NaN on either side wins, and ties go to the second operand (maximum(-0, 0) is 0).
  maximum: { float: (a, b) => (a > b || Number.isNaN(a) ? a : b), int: Math.max },
  minimum: { float: (a, b) => (a < b || Number.isNaN(a) ? a : b), int: Math.min },
  atan2: { float: Math.atan2 },
  mod: { float: floatMod, int: intMod },
  equal: { float: (a, b) => Number(a === b), predicate: true },
  notEqual: { float: (a, b) => Number(a !== b), predicate: true },
  less: { float: (a, b) => Number(a < b), predicate: true },
  lessEqual: { float: (a, b) => Number(a <= b), predicate: true },
  greater: { float: (a, b) => Number(a > b), predicate: true },
  greaterEqual: { float: (a, b) => Number(a >= b), predicate: true },
  logicalAnd: { float: (a, b) => Number(a !== 0) & Number(b !== 0), predicate: true },
  logicalOr: { float: (a, b) => Number(a !== 0) | Number(b !== 0), predicate: true },
  logicalXor: { float: (a, b) => Number(a !== 0) ^ Number(b !== 0), predicate: true },
};

// The bool variants derived from `x != 0` are built once per function (not per call) so the loop-copy cache
// keyed on the scalar function stays small.
const boolOf1 = new Map<Scalar1, Scalar1>();
const boolOf2 = new Map<Scalar2, Scalar2>();

function pick<F extends Scalar1 | Scalar2>(def: ScalarDef<F>, dtype: DType, derived: Map<F, F>): F {
  if (dtype === 'float32' && def.float32) return def.float32;
  if (dtype === 'float64' || dtype === 'float32' || def.predicate) return def.float;
  if (dtype === 'int32') return def.int ?? def.float;
  if (def.bool) return def.bool;
  const base = def.int ?? def.float;
  let f = derived.get(base);
  if (f === undefined) {
    const g = base as (...args: number[]) => number;
    f = ((...args: number[]) => (g(...args) !== 0 ? 1 : 0)) as F;
    derived.set(base, f);
  }
  return f;
}

function mapTemplate(f: Scalar1, x: TypedArray, out: TypedArray, n: number): void {
  for (let i = 0; i < n; i++) out[i] = f(x[i]);
}
const mapLoop = specializer(mapTemplate);

/** Element-wise unary function; the output dtype is decided by core (the input's, or bool for predicates). */
export function unary(op: UnaryOp, x: CpuTensor, outDtype: DType): TypedArray {
  const out = allocate(outDtype, x.values.length);
  const f = pick(UNARY[op], x.dtype, boolOf1);
  mapLoop(f)(f, x.values, out, out.length);
  return out;
}

/**
 * The inner loops of every binary function: an n0 x n1 block of a contiguous output, each operand read at
 * (row stride, column stride). The column-stride patterns that broadcasting produces get their own loops:
 * both contiguous (same shape, row broadcast), a stays put (scalar a), b stays put (scalar b, column
 * broadcast). Self-contained, as a specializer template must be.
 */
function binaryTemplate(
  f: Scalar2,
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
      while (o < end) out[o++] = f(a[p++], b[q++]);
    }
  } else if (as1 === 0) {
    for (let i = 0; i < n0; i++) {
      const x = a[ap + i * as0];
      let q = bp + i * bs0;
      const end = o + n1;
      for (; o < end; q += bs1) out[o++] = f(x, b[q]);
    }
  } else if (bs1 === 0) {
    for (let i = 0; i < n0; i++) {
      let p = ap + i * as0;
      const y = b[bp + i * bs0];
      const end = o + n1;
      for (; o < end; p += as1) out[o++] = f(a[p], y);
    }
  } else {
    for (let i = 0; i < n0; i++) {
      let p = ap + i * as0;
      let q = bp + i * bs0;
      const end = o + n1;
      for (; o < end; p += as1, q += bs1) out[o++] = f(a[p], b[q]);
    }
  }
}
const binaryLoop = specializer(binaryTemplate);

/**
 * Applies the scalar function `f` element-wise with NumPy broadcasting: the one helper behind every binary
 * function. Same-size and size-1 operands skip planning; everything else is planned into blocks.
 */
export function broadcastBinary(
  f: Scalar2,
  a: CpuTensor,
  b: CpuTensor,
  outShape: Shape,
  out: TypedArray,
): void {
  const size = out.length;
  if (size === 0) return;
  const loop = binaryLoop(f);
  const na = a.values.length;
  const nb = b.values.length;
  if (na === size && nb === size) loop(f, a.values, 0, 0, 1, b.values, 0, 0, 1, out, 0, 1, size);
  else if (na === 1 && nb === size) loop(f, a.values, 0, 0, 0, b.values, 0, 0, 1, out, 0, 1, size);
  else if (nb === 1 && na === size) loop(f, a.values, 0, 0, 1, b.values, 0, 0, 0, out, 0, 1, size);
  else {
    const plan = planLoops(outShape, [
      broadcastStrides(a.shape, outShape),
      broadcastStrides(b.shape, outShape),
    ]);
    const r = plan.dims.length;
    const [sa, sb] = plan.strides as [number[], number[]];
    const n0 = plan.dims[r - 2];
    const n1 = plan.dims[r - 1];
    forEachBlock(plan, [0, 0], (offsets, o) => {
      loop(
        f,
        a.values,
        offsets[0],
        sa[r - 2],
        sa[r - 1],
        b.values,
        offsets[1],
        sb[r - 2],
        sb[r - 1],
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
  broadcastBinary(pick(BINARY[op], a.dtype, boolOf2), a, b, outShape, out);
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
