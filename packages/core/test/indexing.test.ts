// Tests of getitem: NumPy's basic and advanced indexing, its scatter-add gradient, dtypes and errors.
import { checkGradients, checkNoLeaks } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import {
  getitem,
  type Index,
  MgIndexError,
  MgTypeError,
  MgValueError,
  multiply,
  sum,
  type Tensor,
  tensor,
} from '../src/index.js';

/** 0, 1, 2, … as float64 of `shape` (so every value names its row-major position). */
function arange(shape: number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Float64Array.from({ length: size }, (_, i) => i),
    { shape },
  );
}

function ramp(shape: number[]): { data: number[]; shape: number[] } {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    data: Array.from({ length: size }, (_, i) => Math.round((((i * 7) % size) * 0.37 - 1.1) * 1000) / 1000),
    shape,
  };
}

const X = [2, 3, 4];
const m = tensor([
  [true, false, true],
  [false, true, false],
]);

// Expected shapes and values: NumPy's results for np.arange(24.).reshape(2, 3, 4)[index].
// `data` omitted: only the shape is checked (the values are checked by the next test).
const CASES: { name: string; index: Index; shape: number[]; data?: number[] }[] = [
  { name: 'x[1]', index: 1, shape: [3, 4], data: [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23] },
  { name: 'x[-1, -1, -1]', index: [-1, -1, -1], shape: [], data: [23] },
  { name: 'x[1, :, ::-2]', index: [1, {}, { step: -2 }], shape: [3, 2], data: [15, 13, 19, 17, 23, 21] },
  { name: 'x[..., 1]', index: ['...', 1], shape: [2, 3], data: [1, 5, 9, 13, 17, 21] },
  {
    name: 'x[:, None, 1:3, -1]',
    index: [{}, null, { start: 1, stop: 3 }, -1],
    shape: [2, 1, 2],
    data: [7, 11, 19, 23],
  },
  {
    name: 'x[-1:-10:-1, 2]',
    index: [{ start: -1, stop: -10, step: -1 }, 2],
    shape: [2, 4],
    data: [20, 21, 22, 23, 8, 9, 10, 11],
  },
  { name: 'x[5:, 0]', index: [{ start: 5 }, 0], shape: [0, 4], data: [] },
  { name: 'x[0, 1, 4:1:-1]', index: [0, 1, { start: 4, stop: 1, step: -1 }], shape: [2], data: [7, 6] },
  { name: 'x[0, 1, 1:3:5]', index: [0, 1, { start: 1, stop: 3, step: 5 }], shape: [1], data: [5] },
  { name: 'x[[1, 0], :, [3, 0]]', index: [[1, 0], {}, [3, 0]], shape: [2, 3], data: [15, 19, 23, 0, 4, 8] },
  { name: 'x[:, [2, 0], [1, 1]]', index: [{}, [2, 0], [1, 1]], shape: [2, 2], data: [9, 1, 21, 13] },
  {
    name: 'x[:, [[0], [2]], [1, 3]]',
    index: [{}, [[0], [2]], [1, 3]],
    shape: [2, 2, 2],
    data: [1, 3, 9, 11, 13, 15, 21, 23],
  },
  // An integer among advanced indices is one of them: separated by a slice, the advanced dims go first.
  { name: 'x[0, :, [1, 2]]', index: [0, {}, [1, 2]], shape: [2, 3], data: [1, 5, 9, 2, 6, 10] },
  { name: 'x[:, 0, [1, 2]]', index: [{}, 0, [1, 2]], shape: [2, 2], data: [1, 2, 13, 14] },
  { name: 'x[[1], None, [0]]', index: [[1], null, [0]], shape: [1, 1, 4], data: [12, 13, 14, 15] },
  {
    name: 'x[None, [1, 0], None, [2, 2]]',
    index: [null, [1, 0], null, [2, 2]],
    shape: [2, 1, 1, 4],
    data: [20, 21, 22, 23, 8, 9, 10, 11],
  },
  {
    name: 'x[[0, 0, 1], ..., [3]]',
    index: [[0, 0, 1], '...', [3]],
    shape: [3, 3],
    data: [3, 7, 11, 3, 7, 11, 15, 19, 23],
  },
  { name: 'x[mask]', index: m, shape: [3, 4], data: [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19] },
  { name: 'x[mask, 1:3]', index: [m, { start: 1, stop: 3 }], shape: [3, 2], data: [1, 2, 9, 10, 17, 18] },
  {
    name: 'x[:, [True, False, True]]',
    index: [{}, [true, false, true]],
    shape: [2, 2, 4],
    data: [0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 20, 21, 22, 23],
  },
  {
    name: 'x[1, True]',
    index: [1, true],
    shape: [1, 3, 4],
    data: [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  { name: 'x[False]', index: false, shape: [0, 2, 3, 4], data: [] },
  { name: 'x[[]]', index: [[]], shape: [0, 3, 4], data: [] },
  { name: 'x[int32 tensor]', index: tensor([1, -2], { dtype: 'int32' }), shape: [2, 3, 4] },
  { name: 'x[Int32Array]', index: Int32Array.of(1), shape: [1, 3, 4] },
  { name: 'x[0-d int32 tensor]', index: [tensor(1, { dtype: 'int32' }), 2, 3], shape: [], data: [23] },
];

describe('getitem forward', () => {
  it.each(CASES)('$name', ({ index, shape, data }) => {
    const out = getitem(arange(X), index);
    expect(out.shape).toEqual(shape);
    if (data) expect(Array.from(out.dataSync())).toEqual(data);
  });

  it('selects whole sub-tensors with an integer tensor or Int32Array', () => {
    const rows = getitem(arange(X), tensor([1, -2], { dtype: 'int32' }));
    expect(Array.from(rows.dataSync())).toEqual([
      ...Array.from({ length: 12 }, (_, i) => 12 + i),
      ...Array.from({ length: 12 }, (_, i) => i),
    ]);
    expect(getitem(arange([3]), Int32Array.of(2, 2)).toArray()).toEqual([2, 2]);
  });

  it('returns a copy for the empty index, ellipsis and newaxis', () => {
    const x = arange([2, 2]);
    expect(getitem(x, []).toArray()).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(getitem(x, '...').shape).toEqual([2, 2]);
    expect(getitem(x, null).shape).toEqual([1, 2, 2]);
    expect(getitem(x, [{}, null]).toArray()).toEqual([[[0, 1]], [[2, 3]]]);
  });

  it('indexes 0-d tensors with (), ... and newaxis only', () => {
    const s = tensor(7);
    expect(getitem(s, []).shape).toEqual([]);
    expect(getitem(s, '...').item()).toBe(7);
    expect(getitem(s, null).toArray()).toEqual([7]);
    expect(getitem(s, true).toArray()).toEqual([7]);
    expect(() => getitem(s, 0)).toThrow(MgIndexError);
  });

  it('clamps slices like Python and handles size-0 axes', () => {
    const v = arange([5]);
    expect(getitem(v, { start: -100, stop: 100 }).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(getitem(v, { start: 100, stop: -100, step: -2 }).toArray()).toEqual([4, 2, 0]);
    expect(getitem(v, { start: 3, stop: 1 }).shape).toEqual([0]);
    expect(getitem(v, { stop: -6, step: -1 }).toArray()).toEqual([4, 3, 2, 1, 0]);
    const empty = tensor(new Float64Array(0), { shape: [0, 3] });
    expect(getitem(empty, [{}, 1]).shape).toEqual([0]);
    expect(getitem(empty, [[]]).shape).toEqual([0, 3]);
  });

  it('keeps the dtype and constant flag of the input', () => {
    const ints = tensor([1, 2, 3], { dtype: 'int32' });
    const a = getitem(ints, [[2, 0]]);
    expect(a.dtype).toBe('int32');
    expect(a.constant).toBe(true);
    expect(a.toArray()).toEqual([3, 1]);
    const bools = getitem(tensor([true, false]), 1);
    expect(bools.dtype).toBe('bool');
    expect(bools.item()).toBe(false);
    const f32 = getitem(tensor([1.5, 2.5], { dtype: 'float32' }), { step: -1 });
    expect(f32.dtype).toBe('float32');
    expect(f32.constant).toBe(false);
    expect(getitem(tensor([1, 2]), 0, { constant: true }).constant).toBe(true);
    expect(getitem(tensor([1, 2], { constant: true }), 0).constant).toBe(true);
  });
});

describe('getitem memory', () => {
  it.each<[string, Index]>([
    ['basic', [1, { step: -1 }]],
    ['full slice', '...'],
    ['separated arrays', [[1, 0], {}, [3, 0]]],
    [
      'nested mask',
      [
        [
          [true, false, true],
          [false, true, false],
        ],
      ],
    ],
  ])('frees its intermediates: %s', (_name, index) => {
    const x = arange(X);
    const { bytes, buffers } = checkNoLeaks(() => getitem(x, index), { disposeResult: true });
    expect([bytes, buffers]).toEqual([0, 0]);
  });
});

describe('getitem gradient', () => {
  const INDICES: { name: string; shape: number[]; index: Index }[] = [
    { name: 'integer', shape: [5], index: 2 },
    { name: 'strided slices', shape: [3, 4], index: [{ start: 2, stop: 0, step: -1 }, { step: 2 }] },
    { name: 'newaxis and ellipsis', shape: [2, 3, 4], index: [null, '...', { start: 1 }, -1] },
    { name: 'integer array', shape: [3, 4], index: [[2, 0, -1]] },
    { name: 'arrays separated by a slice', shape: [2, 3, 2], index: [[1, 0], {}, [0, 1]] },
    {
      name: 'broadcast arrays',
      shape: [3, 4],
      index: [
        [[0], [2]],
        [1, 3, 3],
      ],
    },
    {
      name: 'mask',
      shape: [2, 3],
      index: [
        [
          [true, false, true],
          [false, false, true],
        ],
      ],
    },
    { name: 'mask then slice', shape: [3, 2, 2], index: [[true, false, true], { step: -1 }] },
  ];

  it.each(INDICES)('matches finite differences: $name', ({ shape, index }) => {
    const { mismatches } = checkGradients((x) => getitem(x, index), [ramp(shape)]);
    expect(mismatches).toEqual([]);
  });

  it('accumulates repeated indices', () => {
    const x = tensor([1, 2, 3, 4]);
    getitem(x, [[1, 1, 3, 1]]).backward(tensor([1, 10, 100, 1000]));
    expect(x.grad?.toArray()).toEqual([0, 1011, 0, 100]);
    const y = tensor([
      [1, 2],
      [3, 4],
    ]);
    sum(
      multiply(
        getitem(y, [
          [0, 0],
          [1, 1],
        ]),
        3,
      ),
    ).backward();
    expect(y.grad?.toArray()).toEqual([
      [0, 6],
      [0, 0],
    ]);
    const { mismatches } = checkGradients(
      (t) =>
        getitem(t, [
          [0, 2, 0],
          [[1], [1]],
        ]),
      [ramp([3, 2])],
    );
    expect(mismatches).toEqual([]);
  });

  it('scatters back into the right places for basic indexing (MyGrad golden getitem_basic/4)', () => {
    const x = arange([6]);
    getitem(x, { start: 4, stop: 0, step: -2 }).backward(tensor([1.5, -2]));
    expect(x.grad?.toArray()).toEqual([0, 0, -2, 0, 1.5, 0]);
    const s = tensor(3);
    getitem(s, null).backward();
    expect(s.grad?.item()).toBe(1);
  });

  it('gives a zero gradient for an empty selection', () => {
    const x = arange([2, 2]);
    getitem(x, false).backward();
    expect(x.grad?.toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });
});

describe('getitem errors', () => {
  const x = arange([2, 3]);
  it.each<[string, Index, new (...args: never[]) => Error]>([
    ['an integer out of range', [0, 3], MgIndexError],
    ['a negative integer out of range', -3, MgIndexError],
    ['an index array out of range', [[0, 2]], MgIndexError],
    ['too many indices', [0, 0, 0], MgIndexError],
    ['too many indices with a mask', [0, [true, false, true], 0], MgIndexError],
    ['a float index', 1.5, MgIndexError],
    ['a float array', [[0.5]], MgIndexError],
    ['a float tensor', tensor([0, 1]), MgIndexError],
    ['a Float64Array', Float64Array.of(0) as unknown as Index, MgIndexError],
    ['a mask of the wrong shape', [[true, false, true]], MgIndexError],
    [
      'arrays that do not broadcast',
      [
        [0, 1],
        [0, 1, 2],
      ],
      MgIndexError,
    ],
    ['two ellipses', ['...', '...'], MgIndexError],
    ['a string', 'a' as unknown as Index, MgIndexError],
    ['an object that is not a slice', { begin: 1 } as unknown as Index, MgIndexError],
    ['a slice step of 0', { step: 0 }, MgValueError],
    ['a non-integer slice bound', { start: 0.5 }, MgTypeError],
  ])('rejects %s', (_name, index, error) => {
    expect(() => getitem(x, index)).toThrow(error);
  });

  it('names NumPy’s reasons', () => {
    expect(() => getitem(arange([3]), 3)).toThrow('index 3 is out of bounds for axis 0 with size 3');
    expect(() => getitem(x, [0, 0, 0])).toThrow(
      'too many indices for array: array is 2-dimensional, but 3 were indexed',
    );
    expect(() => getitem(arange([3]), [[true, false]])).toThrow(
      'boolean index did not match indexed array along dimension 0; dimension is 3 but corresponding boolean dimension is 2',
    );
  });

  it('skips bounds checks of index arrays that select nothing, as NumPy', () => {
    expect(getitem(x, [false, [9]]).shape).toEqual([0, 3]);
    expect(() => getitem(x, [[], 7])).toThrow(MgIndexError);
  });
});
