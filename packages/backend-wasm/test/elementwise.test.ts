// Element-wise kernels (unary, binary, where, cast, broadcastTo) against naive references, on random shapes and
// on long rows that run the SIMD loops (with IEEE specials in the vectors), plus NumPy's semantics at the edges.
import { BINARY_OPS, type BinaryOp, type DType, type Shape, sizeOf, UNARY_OPS, type UnaryOp } from '@mg/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Arr,
  arr,
  arrArb,
  broadcastArb,
  broadcastableTo,
  broadcastSource,
  DTYPES,
  expectValues,
  FLOATS,
  info,
  kernels,
  NUMERIC,
  propertyTable,
  read,
  SPECIALS,
  shapeArb,
  truthy,
  typed,
  ulps,
  unravel,
  valueArb,
  wrap32,
} from './helpers.js';

// ---- Reference scalar semantics, written independently of the kernels. ----

function halfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  if (d !== 0.5) return d < 0.5 ? f : f + 1;
  return f % 2 === 0 ? f : f + 1;
}

function cPow(a: number, b: number): number {
  if (b === 0 || a === 1) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return a ** b;
}

function pyMod(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b) || !Number.isFinite(a) || b === 0) return Number.NaN;
  if (!Number.isFinite(b)) return a === 0 || a > 0 === b > 0 ? a : b;
  const r = a - Math.floor(a / b) * b;
  return r === 0 ? (b < 0 ? -0 : 0) : r;
}

const isInt = (dtype: DType) => dtype === 'int32';
const FLOAT_FUNCTIONS = UNARY_OPS.slice(UNARY_OPS.indexOf('sqrt'));
const PREDICATES: readonly UnaryOp[] = ['logicalNot', 'isnan', 'isinf', 'isfinite'];
/** Functions whose last bit may differ from V8's Math (AssemblyScript's Math is musl's; exp/log f32 are SIMD). */
const INEXACT = new Set<UnaryOp>(FLOAT_FUNCTIONS.filter((op) => op !== 'sqrt' && op !== 'reciprocal'));

const REF_UNARY: Record<UnaryOp, (x: number, dtype: DType) => number> = {
  neg: (x, d) => (isInt(d) ? wrap32(-BigInt(x)) : -x),
  abs: (x, d) => (isInt(d) ? wrap32(BigInt(Math.abs(x))) : Math.abs(x)),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  square: (x, d) => (isInt(d) ? wrap32(BigInt(x) * BigInt(x)) : x * x),
  logicalNot: (x) => Number(!truthy(x)),
  isnan: (x) => Number(Number.isNaN(x)),
  isinf: (x) => Number(!Number.isFinite(x) && !Number.isNaN(x)),
  isfinite: (x) => Number(Number.isFinite(x)),
  floor: Math.floor,
  ceil: Math.ceil,
  round: halfEven,
  trunc: Math.trunc,
  sqrt: Math.sqrt,
  cbrt: Math.cbrt,
  reciprocal: (x) => 1 / x,
  exp: Math.exp,
  exp2: (x) => 2 ** x,
  expm1: Math.expm1,
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  log1p: Math.log1p,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
};

const big = BigInt;
const REF_BINARY: Record<BinaryOp, (a: number, b: number, dtype: DType) => number> = {
  add: (a, b, d) =>
    isInt(d) ? wrap32(big(a) + big(b)) : d === 'bool' ? Number(truthy(a) || truthy(b)) : a + b,
  sub: (a, b, d) => (isInt(d) ? wrap32(big(a) - big(b)) : a - b),
  mul: (a, b, d) =>
    isInt(d) ? wrap32(big(a) * big(b)) : d === 'bool' ? Number(truthy(a) && truthy(b)) : a * b,
  div: (a, b) => a / b,
  pow: (a, b, d) => (isInt(d) ? wrap32(big(a) ** big(b)) : cPow(a, b)),
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b)),
  atan2: Math.atan2,
  mod: (a, b, d) => {
    if (!isInt(d)) return pyMod(a, b);
    if (b === 0) return 0;
    return wrap32(((big(a) % big(b)) + big(b)) % big(b));
  },
  equal: (a, b) => Number(a === b),
  notEqual: (a, b) => Number(a !== b),
  less: (a, b) => Number(a < b),
  lessEqual: (a, b) => Number(a <= b),
  greater: (a, b) => Number(a > b),
  greaterEqual: (a, b) => Number(a >= b),
  logicalAnd: (a, b) => Number(truthy(a) && truthy(b)),
  logicalOr: (a, b) => Number(truthy(a) || truthy(b)),
  logicalXor: (a, b) => Number(truthy(a) !== truthy(b)),
};
const BOOL_OUTPUT = new Set<BinaryOp>(BINARY_OPS.slice(BINARY_OPS.indexOf('equal')));

function refBroadcast(xs: readonly Arr[], outShape: Shape, f: (...values: number[]) => number): number[] {
  return Array.from({ length: sizeOf(outShape) }, (_, i) => {
    const idx = unravel(i, outShape);
    return f(...xs.map((x) => x.values[broadcastSource(idx, x.shape)]!));
  });
}

/** Random shapes, and long rows (a SIMD body plus a scalar tail) a quarter of the time. */
function elementShapes(): fc.Arbitrary<number[]> {
  return fc.oneof(
    { arbitrary: shapeArb(), weight: 3 },
    { arbitrary: fc.integer({ min: 1, max: 80 }).map((n) => [n]), weight: 1 },
  );
}

// ---- Unary. ----

function unaryDtypes(op: UnaryOp): DType[] {
  if (FLOAT_FUNCTIONS.includes(op)) return [...FLOATS];
  if (op === 'neg' || op === 'sign') return [...NUMERIC];
  return [...DTYPES];
}

function checkUnary(op: UnaryOp, dtype: DType, x: Arr): void {
  const outDtype: DType = PREDICATES.includes(op) ? 'bool' : dtype;
  const out = kernels.unary(op, info(x), { shape: x.shape, dtype: outDtype });
  const expected = typed(
    Array.from(x.values, (v) => REF_UNARY[op](v, dtype)),
    outDtype,
  );
  // Two libms (musl's, V8's fdlibm) each within about 1-2 ulps; the f32 exp/log polynomials stay within four.
  const n = !INEXACT.has(op) ? 0 : dtype === 'float32' && (op === 'exp' || op === 'log') ? 4 : 3;
  expectValues(read(out), expected, outDtype, { abs: ulps(expected, outDtype, n) });
}

describe('unary', () => {
  propertyTable(
    UNARY_OPS.flatMap((op) => unaryDtypes(op).map((dtype) => ({ op, dtype }))),
    {
      name: ({ op, dtype }) => `${op} ${dtype}`,
      arb: ({ dtype }) => elementShapes().chain((shape) => arrArb(shape, dtype)),
      check: ({ op, dtype }, x) => checkUnary(op, dtype, x),
    },
  );

  // Lanes the fast polynomials do not handle (overflow, underflow to subnormals, zeros, negatives, infinities,
  // NaN) go through the scalar functions one vector at a time; ordinary lanes in the same run stay fast.
  const EDGES: Partial<Record<UnaryOp, number[]>> = {
    exp: [
      -1000,
      -745,
      -104,
      -87.5,
      -87.3,
      -50,
      -1e-10,
      -0,
      0,
      1e-10,
      1,
      50,
      88,
      88.5,
      88.8,
      709,
      710,
      Infinity,
      -Infinity,
      Number.NaN,
    ],
    log: [
      0,
      -0,
      -1,
      1e-310,
      1e-40,
      1e-30,
      0.5,
      0.99999,
      1,
      1.00001,
      2,
      1e30,
      1e300,
      Infinity,
      -Infinity,
      Number.NaN,
    ],
    tanh: [
      0,
      -0,
      1e-300,
      -1e-10,
      0.6249,
      0.625,
      0.6251,
      -0.6251,
      9,
      19.5,
      20,
      22,
      30,
      -30,
      400,
      Infinity,
      -Infinity,
      Number.NaN,
    ],
    sign: [0, -0, Number.NaN, Infinity, -Infinity, -3, 2, 1e-300],
    round: [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 1e16 + 1, 4503599627370497, -0],
    reciprocal: [0, -0, Infinity, -Infinity, Number.NaN, 3, 1e-310],
  };
  propertyTable(
    Object.entries(EDGES).flatMap(([op, values]) =>
      FLOATS.map((dtype) => ({ op: op as UnaryOp, dtype, values })),
    ),
    {
      name: ({ op, dtype }) => `${op} ${dtype}: special values inside SIMD vectors`,
      arb: ({ dtype, values }) =>
        fc
          .array(fc.oneof(fc.constantFrom(...values), valueArb(dtype)), { minLength: 40, maxLength: 90 })
          .map((v) => arr(v, [v.length], dtype)),
      check: ({ op, dtype }, x) => checkUnary(op, dtype, x),
      runs: 20,
    },
  );

  it('exp, log and tanh stay within a few ulps over wide ranges (f32x4 and f64x2 polynomials)', () => {
    for (const dtype of FLOATS) {
      const n = 20001;
      const xs = Array.from({ length: n }, (_, i) => -87 + (175 * i) / (n - 1));
      checkUnary('exp', dtype, arr(xs, [n], dtype));
      checkUnary(
        'tanh',
        dtype,
        arr(
          xs.map((x) => x / 8),
          [n],
          dtype,
        ),
      );
      const ys = Array.from({ length: n }, (_, i) => 2 ** (-120 + (240 * i) / (n - 1)));
      checkUnary('log', dtype, arr(ys, [n], dtype));
    }
  });
});

// ---- Binary. ----

function binaryDtypes(op: BinaryOp): DType[] {
  if (op === 'div' || op === 'atan2') return [...FLOATS];
  if (op === 'sub' || op === 'pow' || op === 'mod') return [...NUMERIC];
  return [...DTYPES];
}

function operandArbs(op: BinaryOp, dtype: DType): [fc.Arbitrary<number>, fc.Arbitrary<number>] {
  const base = valueArb(dtype);
  if (op === 'pow' && dtype === 'int32') return [base, fc.integer({ min: 0, max: 40 })];
  if (op === 'mod' && dtype !== 'int32') {
    const exact = fc.oneof(
      { arbitrary: fc.integer({ min: -640, max: 640 }).map((v) => v / 16), weight: 5 },
      { arbitrary: fc.constantFrom(...SPECIALS, 0), weight: 1 },
    );
    return [exact, exact];
  }
  return [base, base];
}

function binaryCase(op: BinaryOp, dtype: DType, a: Arr, b: Arr, outShape: Shape): void {
  const outDtype: DType = BOOL_OUTPUT.has(op) ? 'bool' : dtype;
  const out = kernels.binary(op, info(a), info(b), { shape: outShape, dtype: outDtype });
  const expected = typed(
    refBroadcast([a, b], outShape, (x, y) => REF_BINARY[op](x, y, dtype)),
    outDtype,
  );
  const inexact = (op === 'pow' || op === 'atan2') && dtype !== 'int32';
  expectValues(read(out), expected, outDtype, { abs: ulps(expected, outDtype, inexact ? 2 : 0) });
}

function broadcastShape(a: Shape, b: Shape): Shape {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[i - (n - a.length)] ?? 1;
    const y = b[i - (n - b.length)] ?? 1;
    return x === 1 ? y : x;
  });
}

describe('binary', () => {
  propertyTable(
    BINARY_OPS.flatMap((op) => binaryDtypes(op).map((dtype) => ({ op, dtype }))),
    {
      name: ({ op, dtype }) => `${op} ${dtype}`,
      arb: ({ op, dtype }) => {
        const [va, vb] = operandArbs(op, dtype);
        return broadcastArb(2).chain(({ shapes: [sa, sb], out }) =>
          fc.record({ a: arrArb(sa!, dtype, va), b: arrArb(sb!, dtype, vb), out: fc.constant(out) }),
        );
      },
      check: ({ op, dtype }, { a, b, out }) => binaryCase(op, dtype, a, b, out),
    },
  );

  // Each stride pattern of the inner block (contiguous, scalar on either side, strided), on rows long enough
  // for the SIMD loops; sub, mod and less are not symmetric, so a swapped operand order fails.
  const PATHS: [string, Shape, Shape][] = [
    ['same shape', [33, 70], [33, 70]],
    ['scalar on the left', [], [33, 70]],
    ['scalar on the right', [33, 70], []],
    ['size-1 of higher rank', [1, 1, 1], [33, 70]],
    ['row broadcast (N,)', [33, 70], [70]],
    ['row broadcast (1, N) on the left', [1, 70], [33, 70]],
    ['column broadcast', [33, 70], [33, 1]],
    ['column broadcast on the left', [33, 1], [33, 70]],
    ['outer (M, 1) with (1, N)', [33, 1], [1, 70]],
    ['middle axis broadcast', [3, 33, 70], [3, 1, 70]],
    ['leading and trailing broadcast', [2, 3, 33, 5], [33, 1]],
    ['both operands broadcast on different axes', [2, 1, 4, 1], [1, 3, 1, 5]],
  ];
  const PATH_OPS = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'mod', 'less', 'logicalXor'] as const;
  propertyTable(
    PATHS.flatMap((row) => PATH_OPS.flatMap((op) => binaryDtypes(op).map((dtype) => ({ row, op, dtype })))),
    {
      name: ({ row: [name], op, dtype }) => `${name}: ${op} ${dtype}`,
      arb: ({ row: [, sa, sb], op, dtype }) => {
        const [va, vb] = operandArbs(op, dtype);
        return fc.tuple(arrArb(sa, dtype, va), arrArb(sb, dtype, vb));
      },
      check: ({ row: [, sa, sb], op, dtype }, [a, b]) => binaryCase(op, dtype, a, b, broadcastShape(sa, sb)),
      runs: 2,
      shrink: false,
    },
  );
});

// ---- where, cast, broadcastTo. ----

describe('where', () => {
  propertyTable(
    DTYPES.map((dtype) => ({ dtype })),
    {
      name: ({ dtype }) => dtype,
      arb: ({ dtype }) =>
        fc
          .oneof(
            broadcastArb(3),
            fc.constantFrom(
              { shapes: [[40, 37], [40, 37], []], out: [40, 37] },
              { shapes: [[67], [], [67]], out: [67] },
              {
                shapes: [
                  [5, 40],
                  [5, 40],
                  [5, 40],
                ],
                out: [5, 40],
              },
            ),
          )
          .chain(({ shapes: [sc, sa, sb], out }) =>
            fc.record({
              c: arrArb(sc!, 'bool'),
              a: arrArb(sa!, dtype),
              b: arrArb(sb!, dtype),
              out: fc.constant(out),
            }),
          ),
      check: ({ dtype }, { c, a, b, out }) => {
        const id = kernels.where(info(c), info(a), info(b), { shape: out, dtype });
        expectValues(
          read(id),
          typed(
            refBroadcast([c, a, b], out, (x, y, z) => (x ? y : z)),
            dtype,
          ),
          dtype,
          { signedZero: true },
        );
      },
    },
  );
});

function refCast(x: number, to: DType): number {
  if (to === 'bool') return Number(truthy(x));
  if (to === 'int32') return Number.isFinite(x) ? wrap32(BigInt(Math.trunc(x))) : 0;
  if (to === 'float32') return Math.fround(x);
  return x;
}

describe('cast', () => {
  propertyTable(
    DTYPES.flatMap((from) => DTYPES.map((to) => ({ from, to }))),
    {
      name: ({ from, to }) => `${from} -> ${to}`,
      arb: ({ from }) => elementShapes().chain((shape) => arrArb(shape, from)),
      check: ({ to }, x) => {
        const out = kernels.cast(info(x), { shape: x.shape, dtype: to });
        expectValues(
          read(out),
          Array.from(x.values, (v) => refCast(v, to)),
          to,
        );
      },
    },
  );

  it('converts out-of-range floats to int32 as an Int32Array store does (wrapping, NaN and infinities to 0)', () => {
    const values = [
      2 ** 31,
      -(2 ** 31) - 1,
      3e9,
      -3e9,
      2 ** 53 + 2,
      1e20,
      -1e300,
      Number.NaN,
      Infinity,
      -Infinity,
      2.9,
      -2.9,
    ];
    const out = read(
      kernels.cast(info(arr(values, [values.length], 'float64')), { shape: [values.length], dtype: 'int32' }),
    );
    expect(Array.from(out)).toEqual(Array.from(Int32Array.from(values)));
  });
});

describe('broadcastTo', () => {
  propertyTable(
    DTYPES.map((dtype) => ({ dtype })),
    {
      name: ({ dtype }) => dtype,
      arb: ({ dtype }) =>
        fc
          .oneof(shapeArb({ maxDim: 5 }), fc.constantFrom([3, 40], [40, 50], [2, 33, 17]))
          .chain((out) =>
            broadcastableTo(out).chain((shape) =>
              fc.record({ x: arrArb(shape, dtype), out: fc.constant(out) }),
            ),
          ),
      check: ({ dtype }, { x, out }) => {
        const id = kernels.broadcastTo(info(x), { shape: out, dtype });
        expectValues(
          read(id),
          typed(
            refBroadcast([x], out, (v) => v),
            dtype,
          ),
          dtype,
        );
      },
    },
  );
});

// ---- NumPy's semantics at the edges (the cpu backend's golden cases). ----

interface Golden {
  readonly name: string;
  readonly op: UnaryOp | BinaryOp;
  readonly dtype: DType;
  readonly a: number[];
  readonly b?: number[];
  readonly expected: number[];
  readonly signedZero?: boolean;
}

const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;
/** Repeats a short case to 40 elements, so it runs through the SIMD loops as well as the scalar tail. */
const long = (xs: number[]) => Array.from({ length: 40 }, (_, i) => xs[i % xs.length]!);
const GOLDEN: Golden[] = [
  {
    name: 'round half to even',
    op: 'round',
    dtype: 'float64',
    a: [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6],
    expected: [0, 2, 2, -0, -2, -2, 2, 3, -3],
    signedZero: true,
  },
  {
    name: 'round float32',
    op: 'round',
    dtype: 'float32',
    a: [3.5, 4.5, -3.5, 1e7 + 0.5],
    expected: [4, 4, -4, 1e7],
  },
  {
    name: 'sign of 0, -0, NaN, ±inf',
    op: 'sign',
    dtype: 'float64',
    a: [0, -0, Number.NaN, -Infinity, Infinity, -3, 0.1],
    expected: [0, 0, Number.NaN, -1, 1, -1, 1],
    signedZero: true,
  },
  {
    name: 'cbrt of negatives is negative',
    op: 'cbrt',
    dtype: 'float64',
    a: [-8, -27, 8],
    expected: [-2, -3, 2],
  },
  {
    name: 'sqrt(-0) is -0, sqrt(-1) NaN',
    op: 'sqrt',
    dtype: 'float64',
    a: [-0, -1, 4],
    expected: [-0, Number.NaN, 2],
    signedZero: true,
  },
  {
    name: 'log of 0 and -1',
    op: 'log',
    dtype: 'float64',
    a: [0, -1, 1],
    expected: [-Infinity, Number.NaN, 0],
  },
  {
    name: 'log float32 of 0 and -1',
    op: 'log',
    dtype: 'float32',
    a: [0, -1, 1, Infinity],
    expected: [-Infinity, Number.NaN, 0, Infinity],
  },
  {
    name: 'exp of ±inf and NaN',
    op: 'exp',
    dtype: 'float32',
    a: [Infinity, -Infinity, Number.NaN, 0],
    expected: [Infinity, 0, Number.NaN, 1],
  },
  {
    name: 'reciprocal of ±0',
    op: 'reciprocal',
    dtype: 'float32',
    a: [0, -0, 4],
    expected: [Infinity, -Infinity, 0.25],
  },
  {
    name: 'logicalNot: NaN is truthy',
    op: 'logicalNot',
    dtype: 'float64',
    a: [Number.NaN, 0, -0, 2],
    expected: [0, 1, 1, 0],
  },
  { name: 'isnan', op: 'isnan', dtype: 'float32', a: [Number.NaN, Infinity, 0], expected: [1, 0, 0] },
  {
    name: 'isinf',
    op: 'isinf',
    dtype: 'float64',
    a: [Number.NaN, Infinity, -Infinity, 1e308],
    expected: [0, 1, 1, 0],
  },
  {
    name: 'isfinite',
    op: 'isfinite',
    dtype: 'float64',
    a: [Number.NaN, Infinity, -Infinity, 1e308],
    expected: [0, 0, 0, 1],
  },
  { name: 'isfinite on int32', op: 'isfinite', dtype: 'int32', a: [I32_MIN, 0], expected: [1, 1] },
  { name: 'int32 neg wraps', op: 'neg', dtype: 'int32', a: [I32_MIN, 5], expected: [I32_MIN, -5] },
  { name: 'int32 abs wraps', op: 'abs', dtype: 'int32', a: [I32_MIN, -5], expected: [I32_MIN, 5] },
  {
    name: 'int32 square wraps',
    op: 'square',
    dtype: 'int32',
    a: [65536, 46341, -3],
    expected: [0, -2147479015, 9],
  },
  {
    name: 'float mod takes the divisor sign',
    op: 'mod',
    dtype: 'float64',
    a: [-1, 1, 5.5, -5.5, 7, -7],
    b: [3, -3, 2, 2, -2.5, -2.5],
    expected: [2, -2, 1.5, 0.5, -0.5, -2],
  },
  {
    name: 'float mod zero results take the divisor sign',
    op: 'mod',
    dtype: 'float64',
    a: [-0, 0, 6, -6],
    b: [3, -3, 3, -3],
    expected: [0, -0, 0, -0],
    signedZero: true,
  },
  {
    name: 'float mod special cases',
    op: 'mod',
    dtype: 'float64',
    a: [1, -1, 1, Infinity, Number.NaN, 1],
    b: [0, Infinity, Infinity, 2, 2, Number.NaN],
    expected: [Number.NaN, Infinity, 1, Number.NaN, Number.NaN, Number.NaN],
  },
  {
    name: 'int mod is Python %; x % 0 is 0',
    op: 'mod',
    dtype: 'int32',
    a: [-7, 7, 7, -7, I32_MIN, 5],
    b: [3, -3, 0, -3, -1, 5],
    expected: [2, -2, 0, -1, 0, 0],
  },
  {
    name: 'C pow special cases',
    op: 'pow',
    dtype: 'float64',
    a: [1, -1, -1, Number.NaN, 2, -8, 0],
    b: [Number.NaN, Infinity, -Infinity, 0, -1, 1 / 3, -1],
    expected: [1, 1, 1, 1, 0.5, Number.NaN, Infinity],
  },
  {
    name: 'int pow is integer power, wrapping',
    op: 'pow',
    dtype: 'int32',
    a: [2, 2, 3, -3, 0, 7],
    b: [31, 32, 20, 3, 0, 1],
    expected: [I32_MIN, 0, -808182895, -27, 1, 7],
  },
  {
    name: 'maximum propagates NaN',
    op: 'maximum',
    dtype: 'float64',
    a: [Number.NaN, 1, 2],
    b: [1, Number.NaN, 3],
    expected: [Number.NaN, Number.NaN, 3],
  },
  {
    name: 'minimum propagates NaN',
    op: 'minimum',
    dtype: 'float32',
    a: [Number.NaN, 1, 2],
    b: [1, Number.NaN, 3],
    expected: [Number.NaN, Number.NaN, 2],
  },
  {
    name: 'maximum of ±0 takes the second (NumPy 2)',
    op: 'maximum',
    dtype: 'float64',
    a: [-0, 0],
    b: [0, -0],
    expected: [0, -0],
    signedZero: true,
  },
  {
    name: 'minimum of ±0 takes the second (NumPy 2)',
    op: 'minimum',
    dtype: 'float32',
    a: [-0, 0],
    b: [0, -0],
    expected: [0, -0],
    signedZero: true,
  },
  {
    name: 'int32 add wraps',
    op: 'add',
    dtype: 'int32',
    a: [I32_MAX, I32_MIN],
    b: [1, -1],
    expected: [I32_MIN, I32_MAX],
  },
  {
    name: 'int32 mul wraps exactly',
    op: 'mul',
    dtype: 'int32',
    a: [65536, 123456789, -46341],
    b: [65536, 987654321, 46341],
    expected: [0, -67153019, 2147479015],
  },
  {
    name: 'bool add is or',
    op: 'add',
    dtype: 'bool',
    a: [1, 1, 0, 0],
    b: [1, 0, 1, 0],
    expected: [1, 1, 1, 0],
  },
  {
    name: 'bool mul is and',
    op: 'mul',
    dtype: 'bool',
    a: [1, 1, 0, 0],
    b: [1, 0, 1, 0],
    expected: [1, 0, 0, 0],
  },
  {
    name: 'float32 add rounds to float32',
    op: 'add',
    dtype: 'float32',
    a: [0.1, 16777216],
    b: [0.2, 1],
    expected: [Math.fround(Math.fround(0.1) + Math.fround(0.2)), 16777216],
  },
  {
    name: 'NaN comparisons',
    op: 'equal',
    dtype: 'float64',
    a: [Number.NaN, 1, 0],
    b: [Number.NaN, 1, -0],
    expected: [0, 1, 1],
  },
  {
    name: 'NaN notEqual',
    op: 'notEqual',
    dtype: 'float64',
    a: [Number.NaN, 1],
    b: [Number.NaN, 1],
    expected: [1, 0],
  },
  {
    name: 'NaN ordering',
    op: 'lessEqual',
    dtype: 'float64',
    a: [Number.NaN, 1, -Infinity],
    b: [1, Number.NaN, -Infinity],
    expected: [0, 0, 1],
  },
  {
    name: 'logicalAnd: NaN is truthy',
    op: 'logicalAnd',
    dtype: 'float64',
    a: [Number.NaN, 0, 2],
    b: [1, 1, -0],
    expected: [1, 0, 0],
  },
  {
    name: 'logicalXor',
    op: 'logicalXor',
    dtype: 'int32',
    a: [0, 0, 3, -1],
    b: [0, 5, 0, 7],
    expected: [0, 1, 1, 0],
  },
  {
    name: 'atan2 quadrants',
    op: 'atan2',
    dtype: 'float64',
    a: [1, 1, -1, 0],
    b: [1, -1, -1, -1],
    expected: [Math.PI / 4, (3 * Math.PI) / 4, (-3 * Math.PI) / 4, Math.PI],
  },
];

describe('golden values', () => {
  it.each(
    GOLDEN.flatMap((g) => [
      g,
      {
        ...g,
        name: `${g.name} (SIMD length)`,
        a: long(g.a),
        b: g.b && long(g.b),
        expected: long(g.expected),
      },
    ]),
  )('$name', ({ op, dtype, a, b, expected, signedZero }) => {
    const x = arr(a, [a.length], dtype);
    const unary = b === undefined;
    const outDtype: DType = unary
      ? PREDICATES.includes(op as UnaryOp)
        ? 'bool'
        : dtype
      : BOOL_OUTPUT.has(op as BinaryOp)
        ? 'bool'
        : dtype;
    const out = unary
      ? kernels.unary(op as UnaryOp, info(x), { shape: x.shape, dtype: outDtype })
      : kernels.binary(op as BinaryOp, info(x), info(arr(b, [b.length], dtype)), {
          shape: x.shape,
          dtype: outDtype,
        });
    const want = typed(expected, outDtype);
    expectValues(read(out), want, outDtype, { signedZero, abs: ulps(want, outDtype, 1) });
  });

  it('keeps bool outputs 0/1 for functions NumPy rejects on bool, as the cpu backend does', () => {
    const a = arr([0, 1, 1, 0], [4], 'bool');
    const b = arr([0, 0, 1, 1], [4], 'bool');
    for (const op of ['neg', 'sign', 'exp', 'log', 'sqrt'] as const) {
      const expected = [0, 1, 1, 0].map((v) => Number(truthy(REF_UNARY[op](v, 'float64'))));
      expectValues(read(kernels.unary(op, info(a), { shape: [4], dtype: 'bool' })), expected, 'bool');
    }
    expectValues(
      read(kernels.binary('sub', info(a), info(b), { shape: [4], dtype: 'bool' })),
      [0, 1, 0, 1],
      'bool',
    );
    // div, pow and mod go through 0/0 = NaN, which is truthy.
    expectValues(
      read(kernels.binary('div', info(a), info(b), { shape: [4], dtype: 'bool' })),
      [1, 1, 1, 0],
      'bool',
    );
    expectValues(
      read(kernels.binary('pow', info(a), info(b), { shape: [4], dtype: 'bool' })),
      [1, 1, 1, 0],
      'bool',
    );
    expectValues(
      read(kernels.binary('mod', info(a), info(b), { shape: [4], dtype: 'bool' })),
      [1, 1, 0, 0],
      'bool',
    );
    expectValues(
      read(kernels.binary('atan2', info(a), info(b), { shape: [4], dtype: 'bool' })),
      [0, 1, 1, 0],
      'bool',
    );
  });

  it('applies float functions to int32 through float64, stored as an Int32Array stores', () => {
    const x = arr([4, -1, 0, 9], [4], 'int32');
    expectValues(read(kernels.unary('sqrt', info(x), { shape: [4], dtype: 'int32' })), [2, 0, 0, 3], 'int32');
    expectValues(
      read(kernels.unary('exp', info(x), { shape: [4], dtype: 'int32' })),
      Int32Array.from([4, -1, 0, 9], Math.exp),
      'int32',
    );
    const y = arr([7, -7, 1, 0], [4], 'int32');
    expectValues(
      read(
        kernels.binary('div', info(y), info(arr([2, 2, 0, 0], [4], 'int32')), { shape: [4], dtype: 'int32' }),
      ),
      [3, -3, 0, 0],
      'int32',
    );
  });
});
