// Element-wise kernels (unary, binary, where, cast, broadcastTo) against naive references and NumPy goldens.
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
  unravel,
  valueArb,
  wrap32,
} from './helpers.js';

// ---- Reference scalar semantics, written independently of the kernels. ----

/** Half to even via the fractional part (the kernels go through Math.round). */
function halfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  if (d !== 0.5) return d < 0.5 ? f : f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** C99 pow, whose special cases differ from `**`. */
function cPow(a: number, b: number): number {
  if (b === 0 || a === 1) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return a ** b;
}

/** Python's float `%` by the floor definition (exact on the dyadic test values), with its special cases. */
function pyMod(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b) || !Number.isFinite(a) || b === 0) return Number.NaN;
  if (!Number.isFinite(b)) return a === 0 || a > 0 === b > 0 ? a : b;
  const r = a - Math.floor(a / b) * b;
  return r === 0 ? (b < 0 ? -0 : 0) : r;
}

const isInt = (dtype: DType) => dtype === 'int32';
const FLOAT_FUNCTIONS = UNARY_OPS.slice(UNARY_OPS.indexOf('sqrt'));
const PREDICATES: readonly UnaryOp[] = ['logicalNot', 'isnan', 'isinf', 'isfinite'];

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

/** Naive broadcasting map: output element i = f(a at its source, b at its source). */
function refBroadcast(xs: readonly Arr[], outShape: Shape, f: (...values: number[]) => number): number[] {
  return Array.from({ length: sizeOf(outShape) }, (_, i) => {
    const idx = unravel(i, outShape);
    return f(...xs.map((x) => x.values[broadcastSource(idx, x.shape)]));
  });
}

// ---- Unary. ----

function unaryDtypes(op: UnaryOp): DType[] {
  if (FLOAT_FUNCTIONS.includes(op)) return [...FLOATS];
  if (op === 'neg' || op === 'sign') return [...NUMERIC];
  return [...DTYPES];
}

describe('unary', () => {
  propertyTable(
    UNARY_OPS.flatMap((op) => unaryDtypes(op).map((dtype) => ({ op, dtype }))),
    {
      name: ({ op, dtype }) => `${op} ${dtype}`,
      arb: ({ dtype }) => shapeArb().chain((shape) => arrArb(shape, dtype)),
      check: ({ op, dtype }, x) => {
        const outDtype: DType = PREDICATES.includes(op) ? 'bool' : dtype;
        const out = kernels.unary(op, info(x), { shape: x.shape, dtype: outDtype });
        const expected = typed(
          Array.from(x.values, (v) => REF_UNARY[op](v, dtype)),
          outDtype,
        );
        expectValues(read(out), expected, outDtype);
      },
    },
  );
});

// ---- Binary. ----

function binaryDtypes(op: BinaryOp): DType[] {
  if (op === 'div' || op === 'atan2') return [...FLOATS];
  if (op === 'sub' || op === 'pow' || op === 'mod') return [...NUMERIC];
  return [...DTYPES];
}

/** Operand values per (op, dtype): exact-arithmetic inputs where the reference needs them. */
function operandArbs(op: BinaryOp, dtype: DType): [fc.Arbitrary<number>, fc.Arbitrary<number>] {
  const base = valueArb(dtype);
  if (op === 'pow' && dtype === 'int32') return [base, fc.integer({ min: 0, max: 40 })];
  if (op === 'mod' && dtype !== 'int32') {
    // Dyadic fractions and small integers: the floor definition is exact on them, so the comparison can be.
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
  expectValues(read(out), expected, outDtype);
}

describe('binary', () => {
  propertyTable(
    BINARY_OPS.flatMap((op) => binaryDtypes(op).map((dtype) => ({ op, dtype }))),
    {
      name: ({ op, dtype }) => `${op} ${dtype}`,
      arb: ({ op, dtype }) => {
        const [va, vb] = operandArbs(op, dtype);
        return broadcastArb(2).chain(({ shapes: [sa, sb], out }) =>
          fc.record({ a: arrArb(sa, dtype, va), b: arrArb(sb, dtype, vb), out: fc.constant(out) }),
        );
      },
      check: ({ op, dtype }, { a, b, out }) => binaryCase(op, dtype, a, b, out),
    },
  );

  // The planner's fast paths, on shapes big enough to take them; sub, mod and less are not symmetric, so a
  // swapped operand order fails.
  const FAST_PATHS: [string, Shape, Shape][] = [
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
  propertyTable(
    FAST_PATHS.flatMap((row) =>
      (['sub', 'mod', 'less'] as const).flatMap((op) => NUMERIC.map((dtype) => ({ row, op, dtype }))),
    ),
    {
      name: ({ row: [name], op, dtype }) => `${name}: ${op} ${dtype}`,
      arb: ({ row: [, sa, sb], op, dtype }) => {
        const [va, vb] = operandArbs(op, dtype);
        return fc.tuple(arrArb(sa, dtype, va), arrArb(sb, dtype, vb));
      },
      check: ({ row: [, sa, sb], op, dtype }, [a, b]) =>
        binaryCase(op, dtype, a, b, [...broadcastArbShape(sa, sb)]),
      runs: 3,
      shrink: false,
    },
  );
});

function broadcastArbShape(a: Shape, b: Shape): Shape {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[i - (n - a.length)] ?? 1;
    const y = b[i - (n - b.length)] ?? 1;
    return x === 1 ? y : x;
  });
}

// ---- where, cast, broadcastTo. ----

describe('where', () => {
  propertyTable(
    DTYPES.map((dtype) => ({ dtype })),
    {
      name: ({ dtype }) => dtype,
      arb: ({ dtype }) =>
        broadcastArb(3).chain(({ shapes: [sc, sa, sb], out }) =>
          fc.record({
            c: arrArb(sc, 'bool'),
            a: arrArb(sa, dtype),
            b: arrArb(sb, dtype),
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
        );
      },
    },
  );

  it('takes the contiguous path for same-shape operands', () => {
    const c = arr([1, 0, 1, 0], [4], 'bool');
    const a = arr([1, 2, 3, 4], [4], 'int32');
    const b = arr([-1, -2, -3, -4], [4], 'int32');
    expectValues(
      read(kernels.where(info(c), info(a), info(b), { shape: [4], dtype: 'int32' })),
      [1, -2, 3, -4],
      'int32',
    );
  });
});

/** The contract's conversions: to bool x != 0 (NaN true), float to int32 truncates, float32 rounds. */
function refCast(x: number, to: DType): number {
  if (to === 'bool') return Number(truthy(x));
  if (to === 'int32') return wrap32(BigInt(Math.trunc(x)));
  if (to === 'float32') return Math.fround(x);
  return x;
}

describe('cast', () => {
  propertyTable(
    DTYPES.flatMap((from) => DTYPES.map((to) => ({ from, to }))),
    {
      name: ({ from, to }) => `${from} -> ${to}`,
      // NaN and infinities have no int32 value (NumPy leaves them undefined), so they are left out there.
      arb: ({ from, to }) =>
        shapeArb().chain((shape) => arrArb(shape, from, valueArb(from, { specials: to !== 'int32' }))),
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
});

describe('broadcastTo', () => {
  propertyTable(
    DTYPES.map((dtype) => ({ dtype })),
    {
      name: ({ dtype }) => dtype,
      arb: ({ dtype }) =>
        shapeArb({ maxDim: 5 }).chain((out) =>
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

  it('repeats long rows and columns (native-copy and fill paths)', () => {
    const row = arr(
      Array.from({ length: 40 }, (_, i) => i),
      [1, 40],
      'float32',
    );
    const col = arr(
      Array.from({ length: 40 }, (_, i) => -i),
      [40, 1],
      'int32',
    );
    const rows = read(kernels.broadcastTo(info(row), { shape: [3, 40], dtype: 'float32' }));
    const cols = read(kernels.broadcastTo(info(col), { shape: [40, 50], dtype: 'int32' }));
    expectValues(
      rows,
      refBroadcast([row], [3, 40], (v) => v),
      'float32',
    );
    expectValues(
      cols,
      refBroadcast([col], [40, 50], (v) => v),
      'int32',
    );
  });
});

// ---- Golden values: NumPy's results, checked by hand, for the semantics the contract pins down. ----

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
  it.each(GOLDEN)('$name', ({ op, dtype, a, b, expected, signedZero }) => {
    const x = arr(a, [a.length], dtype);
    if (b === undefined) {
      const outDtype: DType = PREDICATES.includes(op as UnaryOp) ? 'bool' : dtype;
      const out = kernels.unary(op as UnaryOp, info(x), { shape: x.shape, dtype: outDtype });
      expectValues(read(out), typed(expected, outDtype), outDtype, { signedZero });
    } else {
      const outDtype: DType = BOOL_OUTPUT.has(op as BinaryOp) ? 'bool' : dtype;
      const y = arr(b, [b.length], dtype);
      const out = kernels.binary(op as BinaryOp, info(x), info(y), { shape: x.shape, dtype: outDtype });
      expectValues(read(out), typed(expected, outDtype), outDtype, { signedZero });
    }
  });

  it('casts: float to int32 truncates toward zero, to bool is x != 0, int32 to float32 rounds', () => {
    const f = arr([2.7, -2.7, 0.5, -0.5], [4], 'float64');
    expectValues(read(kernels.cast(info(f), { shape: [4], dtype: 'int32' })), [2, -2, 0, 0], 'int32');
    const g = arr([0, -0, Number.NaN, 0.1, -Infinity], [5], 'float32');
    expectValues(read(kernels.cast(info(g), { shape: [5], dtype: 'bool' })), [0, 0, 1, 1, 1], 'bool');
    const i = arr([16777217, -3], [2], 'int32');
    expectValues(read(kernels.cast(info(i), { shape: [2], dtype: 'float32' })), [16777216, -3], 'float32');
  });
});

describe('dtypes of outputs', () => {
  it('keeps bool outputs 0/1 even for functions NumPy rejects on bool', () => {
    const a = arr([0, 1, 1, 0], [4], 'bool');
    const b = arr([0, 0, 1, 1], [4], 'bool');
    for (const op of ['neg', 'sign', 'exp'] as const) {
      expectValues(
        read(kernels.unary(op, info(a), { shape: [4], dtype: 'bool' })),
        [op === 'exp' ? 1 : 0, 1, 1, op === 'exp' ? 1 : 0],
        'bool',
      );
    }
    // sub is the xor of the 0/1 difference; div and mod go through NaN for 0/0, which is truthy.
    expectValues(
      read(kernels.binary('sub', info(a), info(b), { shape: [4], dtype: 'bool' })),
      [0, 1, 0, 1],
      'bool',
    );
    for (const op of ['div', 'mod', 'pow'] as const) {
      const out = read(kernels.binary(op, info(a), info(b), { shape: [4], dtype: 'bool' }));
      expect(Array.from(out).every((v) => v === 0 || v === 1)).toBe(true);
    }
  });

  it('stores predicates and comparisons as bool whatever the input dtype', () => {
    const x = arr([1, 2], [2], 'int32');
    expect(read(kernels.unary('isnan', info(x), { shape: [2], dtype: 'bool' }))).toBeInstanceOf(Uint8Array);
    expect(read(kernels.binary('less', info(x), info(x), { shape: [2], dtype: 'bool' }))).toBeInstanceOf(
      Uint8Array,
    );
  });
});
