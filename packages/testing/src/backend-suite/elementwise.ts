// The suite's element-wise tests (unary, binary, where, cast, broadcastTo): naive references on random shapes,
// on long rows (vector bodies plus scalar tails) and on every broadcasting pattern, plus NumPy's semantics at
// the edges as golden values.
import { BINARY_OPS, type BinaryOp, type DType, type Shape, UNARY_OPS, type UnaryOp } from '@mg/core';
import * as fc from 'fast-check';
import { expect } from 'vitest';
import { arrArb, broadcastArb, broadcastableTo, SPECIALS, shapeArb, valueArb } from './arbitraries.js';
import { expectValues } from './expect.js';
import type { SuiteContext, SuiteGroup, TranscendentalOp } from './harness.js';
import {
  arr,
  BOOL_OUTPUT,
  DTYPES,
  FLOAT_FUNCTIONS,
  FLOATS,
  NUMERIC,
  PREDICATES,
  REFERENCE_BINARY,
  REFERENCE_UNARY,
  refBroadcast,
  refCast,
  type TestArray,
  truthy,
  typed,
  ulps,
} from './reference.js';

const TRANSCENDENTAL = new Set<UnaryOp | BinaryOp>([
  ...FLOAT_FUNCTIONS.filter((op) => op !== 'sqrt' && op !== 'reciprocal'),
  'pow',
  'atan2',
]);

/** Random shapes, and long rows (a vector body plus a scalar tail) a quarter of the time. */
function elementShapes(): fc.Arbitrary<number[]> {
  return fc.oneof(
    { arbitrary: shapeArb(), weight: 3 },
    { arbitrary: fc.integer({ min: 1, max: 80 }).map((n) => [n]), weight: 1 },
  );
}

function unaryDtypes(op: UnaryOp): readonly DType[] {
  if (FLOAT_FUNCTIONS.includes(op)) return FLOATS;
  if (op === 'neg' || op === 'sign') return NUMERIC;
  return DTYPES;
}

function binaryDtypes(op: BinaryOp): readonly DType[] {
  if (op === 'div' || op === 'atan2') return FLOATS;
  if (op === 'sub' || op === 'pow' || op === 'mod') return NUMERIC;
  return DTYPES;
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

function broadcastShape(a: Shape, b: Shape): Shape {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[i - (n - a.length)] ?? 1;
    const y = b[i - (n - b.length)] ?? 1;
    return x === 1 ? y : x;
  });
}

const unaryOut = (op: UnaryOp, dtype: DType): DType => (PREDICATES.includes(op) ? 'bool' : dtype);
const binaryOut = (op: BinaryOp, dtype: DType): DType => (BOOL_OUTPUT.has(op) ? 'bool' : dtype);

/** The element-wise kernels run through the harness, checked against the references. */
function checks({ h, tolerance }: SuiteContext) {
  /** The ulps a function's result may be off by in `dtype` (0 unless it is transcendental and float). */
  const allowed = (op: UnaryOp | BinaryOp, dtype: DType) =>
    TRANSCENDENTAL.has(op) && (dtype === 'float32' || dtype === 'float64')
      ? tolerance.ulps(op as TranscendentalOp, dtype)
      : 0;

  const unary = (op: UnaryOp, dtype: DType, x: TestArray, signedZero = false): void => {
    const outDtype = unaryOut(op, dtype);
    const out = h.kernels.unary(op, h.info(x), { shape: x.shape, dtype: outDtype });
    const expected = typed(
      Array.from(x.values, (v) => REFERENCE_UNARY[op](v, dtype)),
      outDtype,
    );
    expectValues(h.read(out), expected, outDtype, {
      abs: ulps(expected, outDtype, allowed(op, dtype)),
      signedZero,
    });
  };

  const binary = (op: BinaryOp, dtype: DType, a: TestArray, b: TestArray, signedZero = false): void => {
    const outShape = broadcastShape(a.shape, b.shape);
    const outDtype = binaryOut(op, dtype);
    const out = h.kernels.binary(op, h.info(a), h.info(b), { shape: outShape, dtype: outDtype });
    const expected = typed(
      refBroadcast([a, b], outShape, (x, y) => REFERENCE_BINARY[op](x, y, dtype)),
      outDtype,
    );
    expectValues(h.read(out), expected, outDtype, {
      abs: ulps(expected, outDtype, allowed(op, dtype)),
      signedZero,
    });
  };

  return { allowed, unary, binary };
}

function unaryTests(g: SuiteGroup, ctx: SuiteContext): void {
  const check = checks(ctx);
  g.table(
    UNARY_OPS.flatMap((op) => unaryDtypes(op).map((dtype) => ({ op, dtype }))),
    {
      name: ({ op, dtype }) => `${op} ${dtype}`,
      arb: ({ dtype }) => elementShapes().chain((shape) => arrArb(shape, dtype)),
      check: ({ op, dtype }, x) => check.unary(op, dtype, x),
    },
  );

  // Lanes a vectorised polynomial may not handle (overflow, underflow to subnormals, zeros, negatives,
  // infinities, NaN), mixed into long rows of ordinary values.
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
      ...SPECIALS,
    ],
    log: [0, -0, -1, 1e-310, 1e-40, 1e-30, 0.5, 0.99999, 1, 1.00001, 2, 1e30, 1e300, ...SPECIALS],
    tanh: [0, -0, 1e-300, -1e-10, 0.6249, 0.625, 0.6251, -0.6251, 9, 19.5, 20, 22, 30, -30, 400, ...SPECIALS],
    sign: [0, -0, Number.NaN, Infinity, -Infinity, -3, 2, 1e-300],
    round: [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 1e16 + 1, 4503599627370497, -0],
    reciprocal: [0, -0, Infinity, -Infinity, Number.NaN, 3, 1e-310],
  };
  g.table(
    Object.entries(EDGES).flatMap(([op, values]) =>
      FLOATS.map((dtype) => ({ op: op as UnaryOp, dtype, values })),
    ),
    {
      name: ({ op, dtype }) => `${op} ${dtype}: special values inside long rows`,
      arb: ({ dtype, values }) =>
        fc
          .array(fc.oneof(fc.constantFrom(...values), valueArb(dtype)), { minLength: 40, maxLength: 90 })
          .map((v) => arr(v, [v.length], dtype)),
      check: ({ op, dtype }, x) => check.unary(op, dtype, x),
      runs: 20,
    },
  );

  g.test('exp, log and tanh stay within tolerance over wide ranges', () => {
    for (const dtype of FLOATS) {
      const n = 20001;
      const xs = Array.from({ length: n }, (_, i) => -87 + (175 * i) / (n - 1));
      check.unary('exp', dtype, arr(xs, [n], dtype));
      check.unary(
        'tanh',
        dtype,
        arr(
          xs.map((x) => x / 8),
          [n],
          dtype,
        ),
      );
      const ys = Array.from({ length: n }, (_, i) => 2 ** (-120 + (240 * i) / (n - 1)));
      check.unary('log', dtype, arr(ys, [n], dtype));
    }
  });
}

function binaryTests(g: SuiteGroup, ctx: SuiteContext): void {
  const check = checks(ctx);
  g.table(
    BINARY_OPS.flatMap((op) => binaryDtypes(op).map((dtype) => ({ op, dtype }))),
    {
      name: ({ op, dtype }) => `${op} ${dtype}`,
      arb: ({ op, dtype }) => {
        const [va, vb] = operandArbs(op, dtype);
        return broadcastArb(2).chain(({ shapes: [sa, sb] }) =>
          fc.tuple(arrArb(sa, dtype, va), arrArb(sb, dtype, vb)),
        );
      },
      check: ({ op, dtype }, [a, b]) => check.binary(op, dtype, a, b),
    },
  );

  // Each broadcasting pattern a planner may special-case (same shape, a scalar on either side, row and column
  // broadcasts, ...), on rows long enough for vector loops; sub, mod and less are not symmetric, so a swapped
  // operand order fails.
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
  g.table(
    PATHS.flatMap((row) => PATH_OPS.flatMap((op) => binaryDtypes(op).map((dtype) => ({ row, op, dtype })))),
    {
      name: ({ row: [name], op, dtype }) => `${name}: ${op} ${dtype}`,
      arb: ({ row: [, sa, sb], op, dtype }) => {
        const [va, vb] = operandArbs(op, dtype);
        return fc.tuple(arrArb(sa, dtype, va), arrArb(sb, dtype, vb));
      },
      check: ({ op, dtype }, [a, b]) => check.binary(op, dtype, a, b),
      runs: 3,
      shrink: false,
    },
  );
}

function whereTests(g: SuiteGroup, { h }: SuiteContext): void {
  g.table(
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
              c: arrArb(sc, 'bool'),
              a: arrArb(sa, dtype),
              b: arrArb(sb, dtype),
              out: fc.constant(out),
            }),
          ),
      check: ({ dtype }, { c, a, b, out }) => {
        const id = h.kernels.where(h.info(c), h.info(a), h.info(b), { shape: out, dtype });
        const expected = typed(
          refBroadcast([c, a, b], out, (x, y, z) => (x ? y : z)),
          dtype,
        );
        expectValues(h.read(id), expected, dtype, { signedZero: true });
      },
    },
  );

  g.test('takes the contiguous path for same-shape operands', () => {
    const c = arr([1, 0, 1, 0], [4], 'bool');
    const a = arr([1, 2, 3, 4], [4], 'int32');
    const b = arr([-1, -2, -3, -4], [4], 'int32');
    expectValues(
      h.read(h.kernels.where(h.info(c), h.info(a), h.info(b), { shape: [4], dtype: 'int32' })),
      [1, -2, 3, -4],
      'int32',
    );
  });
}

function castCheck({ h }: SuiteContext, x: TestArray, to: DType): void {
  const out = h.kernels.cast(h.info(x), { shape: x.shape, dtype: to });
  expectValues(
    h.read(out),
    Array.from(x.values, (v) => refCast(v, to)),
    to,
  );
}

function castTests(g: SuiteGroup, ctx: SuiteContext): void {
  g.table(
    DTYPES.flatMap((from) => DTYPES.map((to) => ({ from, to }))),
    {
      name: ({ from, to }) => `${from} -> ${to}`,
      // The contract gives NaN and the infinities no int32 value (NumPy leaves them undefined): "beyond the
      // contract" tests them.
      arb: ({ from, to }) =>
        elementShapes().chain((shape) => arrArb(shape, from, valueArb(from, { specials: to !== 'int32' }))),
      check: ({ to }, x) => castCheck(ctx, x, to),
    },
  );
}

function broadcastToTests(g: SuiteGroup, { h }: SuiteContext): void {
  const check = (x: TestArray, out: Shape) => {
    const id = h.kernels.broadcastTo(h.info(x), { shape: out, dtype: x.dtype });
    expectValues(
      h.read(id),
      typed(
        refBroadcast([x], out, (v) => v),
        x.dtype,
      ),
      x.dtype,
    );
  };
  g.table(
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
      check: (_, { x, out }) => check(x, out),
    },
  );

  g.test('repeats long rows and columns', () => {
    check(
      arr(
        Array.from({ length: 40 }, (_, i) => i),
        [1, 40],
        'float32',
      ),
      [3, 40],
    );
    check(
      arr(
        Array.from({ length: 40 }, (_, i) => -i),
        [40, 1],
        'int32',
      ),
      [40, 50],
    );
  });
}

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
const NAN = Number.NaN;
const GOLDEN: Golden[] = [
  {
    name: 'round half to even',
    op: 'round',
    dtype: 'float64',
    signedZero: true,
    a: [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6],
    expected: [0, 2, 2, -0, -2, -2, 2, 3, -3],
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
    signedZero: true,
    a: [0, -0, NAN, -Infinity, Infinity, -3, 0.1],
    expected: [0, 0, NAN, -1, 1, -1, 1],
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
    signedZero: true,
    a: [-0, -1, 4],
    expected: [-0, NAN, 2],
  },
  { name: 'log of 0 and -1', op: 'log', dtype: 'float64', a: [0, -1, 1], expected: [-Infinity, NAN, 0] },
  {
    name: 'log float32 of 0 and -1',
    op: 'log',
    dtype: 'float32',
    a: [0, -1, 1, Infinity],
    expected: [-Infinity, NAN, 0, Infinity],
  },
  {
    name: 'exp of ±inf and NaN',
    op: 'exp',
    dtype: 'float32',
    a: [Infinity, -Infinity, NAN, 0],
    expected: [Infinity, 0, NAN, 1],
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
    a: [NAN, 0, -0, 2],
    expected: [0, 1, 1, 0],
  },
  { name: 'isnan', op: 'isnan', dtype: 'float32', a: [NAN, Infinity, 0], expected: [1, 0, 0] },
  {
    name: 'isinf',
    op: 'isinf',
    dtype: 'float64',
    a: [NAN, Infinity, -Infinity, 1e308],
    expected: [0, 1, 1, 0],
  },
  {
    name: 'isfinite',
    op: 'isfinite',
    dtype: 'float64',
    a: [NAN, Infinity, -Infinity, 1e308],
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
    signedZero: true,
    a: [-0, 0, 6, -6],
    b: [3, -3, 3, -3],
    expected: [0, -0, 0, -0],
  },
  {
    name: 'float mod special cases',
    op: 'mod',
    dtype: 'float64',
    a: [1, -1, 1, Infinity, NAN, 1],
    b: [0, Infinity, Infinity, 2, 2, NAN],
    expected: [NAN, Infinity, 1, NAN, NAN, NAN],
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
    a: [1, -1, -1, NAN, 2, -8, 0],
    b: [NAN, Infinity, -Infinity, 0, -1, 1 / 3, -1],
    expected: [1, 1, 1, 1, 0.5, NAN, Infinity],
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
    a: [NAN, 1, 2],
    b: [1, NAN, 3],
    expected: [NAN, NAN, 3],
  },
  {
    name: 'minimum propagates NaN',
    op: 'minimum',
    dtype: 'float32',
    a: [NAN, 1, 2],
    b: [1, NAN, 3],
    expected: [NAN, NAN, 2],
  },
  {
    name: 'maximum of ±0 takes the second (NumPy 2)',
    op: 'maximum',
    dtype: 'float64',
    signedZero: true,
    a: [-0, 0],
    b: [0, -0],
    expected: [0, -0],
  },
  {
    name: 'minimum of ±0 takes the second (NumPy 2)',
    op: 'minimum',
    dtype: 'float32',
    signedZero: true,
    a: [-0, 0],
    b: [0, -0],
    expected: [0, -0],
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
    a: [NAN, 1, 0],
    b: [NAN, 1, -0],
    expected: [0, 1, 1],
  },
  { name: 'NaN notEqual', op: 'notEqual', dtype: 'float64', a: [NAN, 1], b: [NAN, 1], expected: [1, 0] },
  {
    name: 'NaN ordering',
    op: 'lessEqual',
    dtype: 'float64',
    a: [NAN, 1, -Infinity],
    b: [1, NAN, -Infinity],
    expected: [0, 0, 1],
  },
  {
    name: 'logicalAnd: NaN is truthy',
    op: 'logicalAnd',
    dtype: 'float64',
    a: [NAN, 0, 2],
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

/** Repeats a short case to 40 elements, so it runs through vector loops as well as a scalar tail. */
const long = (xs: number[]) => Array.from({ length: 40 }, (_, i) => xs[i % xs.length]);

function goldenTests(g: SuiteGroup, ctx: SuiteContext): void {
  const { h } = ctx;
  const { allowed } = checks(ctx);
  const cases = GOLDEN.flatMap((c) => [
    c,
    { ...c, name: `${c.name} (long row)`, a: long(c.a), b: c.b && long(c.b), expected: long(c.expected) },
  ]);
  for (const { name, op, dtype, a, b, expected, signedZero } of cases) {
    g.test(name, () => {
      const x = h.info(arr(a, [a.length], dtype));
      const unary = b === undefined;
      const outDtype = unary ? unaryOut(op as UnaryOp, dtype) : binaryOut(op as BinaryOp, dtype);
      const out = unary
        ? h.kernels.unary(op as UnaryOp, x, { shape: [a.length], dtype: outDtype })
        : h.kernels.binary(op as BinaryOp, x, h.info(arr(b, [b.length], dtype)), {
            shape: [a.length],
            dtype: outDtype,
          });
      const want = typed(expected, outDtype);
      expectValues(h.read(out), want, outDtype, {
        signedZero,
        abs: ulps(want, outDtype, allowed(op, dtype)),
      });
    });
  }

  g.test('casts: float to int32 truncates toward zero, to bool is x != 0, int32 to float32 rounds', () => {
    const cast = (x: TestArray, to: DType) =>
      h.read(h.kernels.cast(h.info(x), { shape: x.shape, dtype: to }));
    expectValues(cast(arr([2.7, -2.7, 0.5, -0.5], [4], 'float64'), 'int32'), [2, -2, 0, 0], 'int32');
    expectValues(cast(arr([0, -0, NAN, 0.1, -Infinity], [5], 'float32'), 'bool'), [0, 0, 1, 1, 1], 'bool');
    expectValues(cast(arr([16777217, -3], [2], 'int32'), 'float32'), [16777216, -3], 'float32');
  });

  g.test('stores predicates and comparisons as bool whatever the input dtype', () => {
    const x = h.info(arr([1, 2], [2], 'int32'));
    expect(h.read(h.kernels.unary('isnan', x, { shape: [2], dtype: 'bool' }))).toBeInstanceOf(Uint8Array);
    expect(h.read(h.kernels.binary('less', x, x, { shape: [2], dtype: 'bool' }))).toBeInstanceOf(Uint8Array);
  });
}

/** Registers the element-wise groups. */
export function elementwiseTests(ctx: SuiteContext): void {
  ctx.root.group('unary', (g) => unaryTests(g, ctx));
  ctx.root.group('binary', (g) => binaryTests(g, ctx));
  ctx.root.group('where', (g) => whereTests(g, ctx));
  ctx.root.group('cast', (g) => castTests(g, ctx));
  ctx.root.group('broadcastTo', (g) => broadcastToTests(g, ctx));
  ctx.root.group('golden values', (g) => goldenTests(g, ctx));
}

/** Element-wise behaviour the contract leaves open, which the first-party backends agree on. */
export function elementwiseBeyondTests(g: SuiteGroup, ctx: SuiteContext): void {
  const { h } = ctx;
  g.test('keeps bool outputs 0/1 for functions NumPy rejects on bool', () => {
    const a = h.info(arr([0, 1, 1, 0], [4], 'bool'));
    const b = h.info(arr([0, 0, 1, 1], [4], 'bool'));
    const spec = { shape: [4], dtype: 'bool' } as const;
    for (const op of ['neg', 'sign', 'exp', 'log', 'sqrt'] as const) {
      const expected = [0, 1, 1, 0].map((v) => Number(truthy(REFERENCE_UNARY[op](v, 'float64'))));
      expectValues(h.read(h.kernels.unary(op, a, spec)), expected, 'bool');
    }
    // sub is the xor of the 0/1 difference; div, pow and mod go through 0/0 = NaN, which is truthy.
    const EXPECTED: [BinaryOp, number[]][] = [
      ['sub', [0, 1, 0, 1]],
      ['div', [1, 1, 1, 0]],
      ['pow', [1, 1, 1, 0]],
      ['mod', [1, 1, 0, 0]],
      ['atan2', [0, 1, 1, 0]],
    ];
    for (const [op, expected] of EXPECTED)
      expectValues(h.read(h.kernels.binary(op, a, b, spec)), expected, 'bool');
  });

  g.test('applies float functions to int32 through float64, stored as an Int32Array stores', () => {
    const spec = { shape: [4], dtype: 'int32' } as const;
    const x = h.info(arr([4, -1, 0, 9], [4], 'int32'));
    expectValues(h.read(h.kernels.unary('sqrt', x, spec)), [2, 0, 0, 3], 'int32');
    expectValues(h.read(h.kernels.unary('exp', x, spec)), Int32Array.from([4, -1, 0, 9], Math.exp), 'int32');
    const y = h.info(arr([7, -7, 1, 0], [4], 'int32'));
    const z = h.info(arr([2, 2, 0, 0], [4], 'int32'));
    expectValues(h.read(h.kernels.binary('div', y, z, spec)), [3, -3, 0, 0], 'int32');
  });

  g.table(
    FLOATS.map((from) => ({ from })),
    {
      name: ({ from }) => `casts ${from} with NaN and infinities to int32 as 0`,
      arb: ({ from }) => elementShapes().chain((shape) => arrArb(shape, from)),
      check: (_, x) => castCheck(ctx, x, 'int32'),
    },
  );

  g.test('converts out-of-range values to int32 as an Int32Array store does (cast and fill)', () => {
    const values = [
      2 ** 31,
      -(2 ** 31) - 1,
      3e9,
      -3e9,
      2 ** 53 + 2,
      1e20,
      -1e300,
      NAN,
      Infinity,
      -Infinity,
      2.9,
      -2.9,
    ];
    const x = h.info(arr(values, [values.length], 'float64'));
    const out = h.read(h.kernels.cast(x, { shape: [values.length], dtype: 'int32' }));
    expect(Array.from(out)).toEqual(Array.from(Int32Array.from(values)));
    expectValues(h.read(h.kernels.fill(2 ** 32 + 5.7, { shape: [1], dtype: 'int32' })), [5], 'int32');
  });
}
