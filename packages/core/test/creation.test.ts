// Tests of the creation functions: values, dtypes and constant flags as MyGrad/NumPy give them, and errors.
import { describe, expect, it } from 'vitest';
import {
  AxisError,
  arange,
  astensor,
  astype,
  ConstantIntegerError,
  copy,
  DTypeError,
  empty,
  emptyLike,
  eye,
  full,
  fullLike,
  geomspace,
  identity,
  linspace,
  logspace,
  MgTypeError,
  MgValueError,
  ones,
  onesLike,
  ShapeError,
  tensor,
  zeros,
  zerosLike,
} from '../src/index.js';

function expectClose(actual: ArrayLike<number>, expected: readonly number[], rtol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (Number.isNaN(e)) expect(a).toBeNaN();
    else expect(Math.abs(a - e)).toBeLessThanOrEqual(rtol * Math.abs(e) + 1e-15);
  }
}

describe('tensor, astensor, astype, copy', () => {
  it('tensor infers dtype and constant', () => {
    expect(tensor([1, 2]).dtype).toBe('float64');
    expect(tensor([1, 2]).constant).toBe(false);
    expect(tensor(true).dtype).toBe('bool');
    expect(tensor(true).constant).toBe(true);
    expect(tensor(Int32Array.of(1, 2)).constant).toBe(true);
    expect(() => tensor(Int32Array.of(1), { constant: false })).toThrow(ConstantIntegerError);
  });

  it('astensor returns the same tensor when nothing changes', () => {
    const x = tensor([1, 2]);
    expect(astensor(x)).toBe(x);
    expect(astensor(x, { dtype: 'float32' })).not.toBe(x);
    expect(astensor(x, { dtype: 'float32' }).dtype).toBe('float32');
  });

  it('astype casts to a new graph-free tensor', () => {
    const x = tensor([1.7, -1.7]);
    const y = astype(x, 'int32');
    expect(y.toArray()).toEqual([1, -1]);
    expect(y.constant).toBe(true);
    expect(astype(x, 'float64')).not.toBe(x);
  });

  it('copy copies data and grad', () => {
    const x = tensor([1, 2]);
    x.mul(2).backward();
    const y = copy(x);
    expect(y).not.toBe(x);
    expect(y.toArray()).toEqual([1, 2]);
    expect(y.grad?.toArray()).toEqual([2, 2]);
  });
});

describe('zeros, ones, empty', () => {
  it.each([
    ['zeros', zeros, 0],
    ['ones', ones, 1],
    ['empty', empty, 0],
  ] as const)('%s defaults to float32, not constant', (_name, fn, value) => {
    const x = fn([2, 3]);
    expect(x.dtype).toBe('float32');
    expect(x.shape).toEqual([2, 3]);
    expect(x.constant).toBe(false);
    expect(x.dataSync()).toBeInstanceOf(Float32Array);
    if (fn !== empty) expect([...x.dataSync()]).toEqual(new Array(6).fill(value));
  });

  it('takes a size or a list, a dtype and constant', () => {
    expect(zeros(3).shape).toEqual([3]);
    expect(zeros([]).shape).toEqual([]);
    expect(zeros([0, 2]).shape).toEqual([0, 2]);
    expect(ones([2], { dtype: 'float64' }).dtype).toBe('float64');
    const ints = ones(2, { dtype: 'int64' });
    expect(ints.dtype).toBe('int32');
    expect(ints.constant).toBe(true);
    expect(ints.toArray()).toEqual([1, 1]);
    expect(ones(2, { dtype: 'bool' }).toArray()).toEqual([true, true]);
    expect(zeros(2, { constant: true }).constant).toBe(true);
  });

  it('validates shape, dtype and constant', () => {
    expect(() => zeros(-1)).toThrow(ShapeError);
    expect(() => ones([2, -3])).toThrow(ShapeError);
    expect(() => zeros(2.5)).toThrow(MgTypeError);
    expect(() => empty(['a' as unknown as number])).toThrow(MgTypeError);
    expect(() => zeros(2, { dtype: 'complex' })).toThrow(DTypeError);
    expect(() => zeros(2, { dtype: 'int32', constant: false })).toThrow(ConstantIntegerError);
    expect(() => ones(2, { constant: 1 as unknown as boolean })).toThrow(MgTypeError);
  });
});

describe('full', () => {
  it('takes its dtype from the fill value', () => {
    const f = full([2, 2], 3.5);
    expect(f.dtype).toBe('float64');
    expect(f.constant).toBe(false);
    expect(f.toArray()).toEqual([
      [3.5, 3.5],
      [3.5, 3.5],
    ]);
    const b = full(2, true);
    expect(b.dtype).toBe('bool');
    expect(b.constant).toBe(true);
    expect(b.toArray()).toEqual([true, true]);
    const i = full([2], tensor(Int32Array.of(3), { shape: [] }));
    expect(i.dtype).toBe('int32');
    expect(i.constant).toBe(true);
    expect(i.toArray()).toEqual([3, 3]);
  });

  it('casts to an explicit dtype as NumPy does', () => {
    expect(full(2, 2.7, { dtype: 'int32' }).toArray()).toEqual([2, 2]);
    expect(full(2, -2.7, { dtype: 'int32' }).toArray()).toEqual([-2, -2]);
    expect(full(1, Number.NaN, { dtype: 'bool' }).toArray()).toEqual([true]);
    expect(full(1, 0, { dtype: 'bool' }).toArray()).toEqual([false]);
    expect(full(1, 0.1, { dtype: 'float32' }).dataSync()[0]).toBe(Math.fround(0.1));
  });

  it('broadcasts an array fill value', () => {
    expect(full([2, 2], [1, 2]).toArray()).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(full([2, 3], [[1], [2]]).toArray()).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(() => full([2, 2], [1, 2, 3])).toThrow(ShapeError);
    expect(() => full([2], [[1, 2]])).toThrow(ShapeError);
  });

  it('is graph-free even when filled from a tensor', () => {
    const v = tensor(2);
    const f = full([2], v);
    expect(f.creator).toBeNull();
    expect(f).not.toBe(v);
    expect(v.constant).toBe(false);
  });

  it('validates shape and constant', () => {
    expect(() => full(-1, 1)).toThrow(ShapeError);
    expect(() => full(2, 1, { dtype: 'int32', constant: false })).toThrow(ConstantIntegerError);
  });
});

describe('*Like', () => {
  it('mirror the shape and dtype of other', () => {
    const x = tensor([[1, 2, 3]], { dtype: 'float32' });
    const z = zerosLike(x);
    expect(z.shape).toEqual([1, 3]);
    expect(z.dtype).toBe('float32');
    expect(z.toArray()).toEqual([[0, 0, 0]]);
    expect(onesLike(x).toArray()).toEqual([[1, 1, 1]]);
    expect(emptyLike(x).shape).toEqual([1, 3]);
    expect(fullLike(x, 7).toArray()).toEqual([[7, 7, 7]]);
  });

  it('follow MyGrad for constant: given, else from a non-constant tensor’s dtype, else true', () => {
    expect(zerosLike(tensor([1, 2])).constant).toBe(false);
    expect(zerosLike(tensor([1, 2], { constant: true })).constant).toBe(true);
    expect(onesLike([1, 2]).constant).toBe(true);
    expect(onesLike([1, 2], { constant: false }).constant).toBe(false);
    expect(zerosLike(tensor([1, 2]), { dtype: 'int32' }).constant).toBe(true);
    expect(fullLike(tensor([1, 2], { constant: true }), 3, { constant: false }).constant).toBe(false);
    expect(() => zerosLike(tensor(Int32Array.of(1)), { constant: false })).toThrow(ConstantIntegerError);
  });

  it('take dtype and shape overrides', () => {
    const x = tensor([1, 2]);
    expect(onesLike(x, { shape: [2, 1] }).toArray()).toEqual([[1], [1]]);
    expect(onesLike(x, { shape: 3 }).shape).toEqual([3]);
    expect(zerosLike(x, { dtype: 'bool' }).toArray()).toEqual([false, false]);
    expect(() => zerosLike(x, { shape: [-1] })).toThrow(ShapeError);
  });

  it('fullLike casts the fill value to other’s dtype', () => {
    const ints = tensor(Int32Array.of(1, 2, 3));
    expect(fullLike(ints, 0.1).toArray()).toEqual([0, 0, 0]);
    expect(fullLike(ints, 0.1).dtype).toBe('int32');
    expect(fullLike(ints, 0.1, { dtype: 'float64' }).toArray()).toEqual([0.1, 0.1, 0.1]);
    expect(fullLike(ints, Number.NaN, { dtype: 'float64' }).toArray()).toEqual([
      Number.NaN,
      Number.NaN,
      Number.NaN,
    ]);
    expect(
      fullLike(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        [5, 6],
      ).toArray(),
    ).toEqual([
      [5, 6],
      [5, 6],
    ]);
  });
});

describe('eye, identity', () => {
  it('default to float64 with ones on the diagonal', () => {
    const e = eye(3);
    expect(e.dtype).toBe('float64');
    expect(e.constant).toBe(false);
    expect(e.toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(identity(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('take M, k, dtype and constant', () => {
    expect(eye(2, { M: 3, k: 1 }).toArray()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(eye(3, { k: -1 }).toArray()).toEqual([
      [0, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(eye(3, { M: 2, k: -2 }).toArray()).toEqual([
      [0, 0],
      [0, 0],
      [1, 0],
    ]);
    expect(eye(2, { k: 5 }).toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(eye(0).shape).toEqual([0, 0]);
    const ints = eye(2, { dtype: 'int32' });
    expect(ints.dtype).toBe('int32');
    expect(ints.constant).toBe(true);
    expect(identity(2, { dtype: 'bool' }).toArray()).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(identity(2, { constant: true }).constant).toBe(true);
  });

  it('validate their arguments', () => {
    expect(() => eye(-1)).toThrow(ShapeError);
    expect(() => eye(2, { M: -1 })).toThrow(ShapeError);
    expect(() => eye(1.5)).toThrow(MgTypeError);
    expect(() => eye(2, { k: 0.5 })).toThrow(MgTypeError);
    expect(() => identity(-2)).toThrow(ShapeError);
    expect(() => eye(2, { dtype: 'int32', constant: false })).toThrow(ConstantIntegerError);
  });
});

describe('arange', () => {
  it('gives int32 constants for integer arguments', () => {
    const a = arange(5);
    expect(a.dtype).toBe('int32');
    expect(a.constant).toBe(true);
    expect(a.toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(3, 7).toArray()).toEqual([3, 4, 5, 6]);
    expect(arange(3, 7, 2).toArray()).toEqual([3, 5]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(arange(5, null).toArray()).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives float64 for fractional arguments, with NumPy’s values', () => {
    const a = arange(0, 1, 0.25);
    expect(a.dtype).toBe('float64');
    expect(a.constant).toBe(false);
    expect(a.toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(0.5, 3).toArray()).toEqual([0.5, 1.5, 2.5]);
    // NumPy fills start + i·((start + step) - start): np.arange(1, 2, 0.1)[-1] == 1.9000000000000008.
    const tenths = arange(1, 2, 0.1).dataSync();
    expect(tenths.length).toBe(10);
    expect(tenths[9]).toBe(1.9000000000000008);
    expect(arange(0, 1, 0.1).dataSync()[3]).toBe(0.30000000000000004);
  });

  it('has length ceil((stop - start) / step), empty when negative', () => {
    expect(arange(0, 1.01, 0.5).toArray()).toEqual([0, 0.5, 1]);
    expect(arange(5, 2).shape).toEqual([0]);
    expect(arange(0).shape).toEqual([0]);
    expect(arange(0, 5, -1).shape).toEqual([0]);
  });

  it('takes dtype and constant', () => {
    const f = arange(3, { dtype: 'float64' });
    expect(f.dtype).toBe('float64');
    expect(f.constant).toBe(false);
    expect(arange(3, { dtype: 'float64', constant: true }).constant).toBe(true);
    expect(arange(1, 3, { dtype: 'float32' }).toArray()).toEqual([1, 2]);
    // NumPy computes in the result dtype: delta = int(0.5) - int(0) = 0.
    expect(arange(0, 2.5, 0.5, { dtype: 'int32' }).toArray()).toEqual([0, 0, 0, 0, 0]);
    expect(arange(2, { dtype: 'bool' }).toArray()).toEqual([false, true]);
    // float32 results are computed in float32, as NumPy's fill does.
    expect(arange(0, 1, 0.1, { dtype: 'float32' }).dataSync()[3]).toBe(Math.fround(3 * Math.fround(0.1)));
  });

  it('validates its arguments', () => {
    expect(() => arange(0, 5, 0)).toThrow(MgValueError);
    expect(() => arange(Number.NaN)).toThrow(MgValueError);
    expect(() => arange(0, Number.POSITIVE_INFINITY)).toThrow(MgValueError);
    expect(() => arange(3, { dtype: 'bool' })).toThrow(MgTypeError);
    expect(() => arange('3' as unknown as number)).toThrow(MgTypeError);
    expect(() => arange(null as unknown as number)).toThrow(MgTypeError);
    expect(() => arange(3, { dtype: 'int32', constant: false })).toThrow(ConstantIntegerError);
  });
});

describe('linspace', () => {
  it('matches NumPy, with an exact last sample', () => {
    expect(linspace(0, 1, { num: 5 }).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(0, 1, { num: 4, endpoint: false }).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(linspace(2, 3, { num: 5, endpoint: false }).toArray()).toEqual([2, 2.2, 2.4, 2.6, 2.8]);
    const thirds = linspace(0, 0.3, { num: 4 }).dataSync();
    expect(thirds[3]).toBe(0.3);
    expect(thirds[1]).toBe(1 * (0.3 / 3));
    const d = linspace(0, 1);
    expect(d.shape).toEqual([50]);
    expect(d.dtype).toBe('float64');
    expect(d.constant).toBe(false);
  });

  it('handles num 0 and 1', () => {
    expect(linspace(2, 3, { num: 1 }).toArray()).toEqual([2]);
    expect(linspace(2, 3, { num: 1, endpoint: false }).toArray()).toEqual([2]);
    expect(linspace(2, 3, { num: 0 }).shape).toEqual([0]);
  });

  it('samples a constant range, and switches to (i / div)·delta when a step underflows, as NumPy', () => {
    expect(linspace(1, 1, { num: 3 }).toArray()).toEqual([1, 1, 1]);
    expect(linspace(0, 0.3, { num: 8 }).dataSync()[1]).toBe(0.3 / 7);
    // The second column's step (5e-324 / 7) is 0, so every column scales i / 7 instead.
    expect(linspace([0, 0], [0.3, 5e-324], { num: 8 }).dataSync()[2]).toBe((1 / 7) * 0.3);
    expect((1 / 7) * 0.3).not.toBe(0.3 / 7);
  });

  it('floors samples for integer dtypes', () => {
    const x = linspace(-1, 1, { num: 5, dtype: 'int32' });
    expect(x.dtype).toBe('int32');
    expect(x.constant).toBe(true);
    expect(x.toArray()).toEqual([-1, -1, 0, 0, 1]);
    expect(linspace(0, 1, { num: 3, dtype: 'bool' }).toArray()).toEqual([false, true, true]);
  });

  it('broadcasts tensor-valued endpoints along axis', () => {
    const x = linspace([0, 10], [1, 20], { num: 3 });
    expect(x.shape).toEqual([3, 2]);
    expect(x.toArray()).toEqual([
      [0, 10],
      [0.5, 15],
      [1, 20],
    ]);
    expect(linspace([0, 10], [1, 20], { num: 3, axis: 1 }).toArray()).toEqual([
      [0, 0.5, 1],
      [10, 15, 20],
    ]);
    expect(linspace([0, 10], [1, 20], { num: 3, axis: -1 }).shape).toEqual([2, 3]);
    expect(linspace([[0], [10]], [1, 2], { num: 2, axis: 1 }).shape).toEqual([2, 2, 2]);
    expect(linspace([[0], [10]], [1, 2], { num: 2, axis: 1 }).toArray()).toEqual([
      [
        [0, 0],
        [1, 2],
      ],
      [
        [10, 10],
        [1, 2],
      ],
    ]);
  });

  it('keeps float32 endpoints in float32', () => {
    const x = linspace(tensor([0, 1], { dtype: 'float32' }), 2, { num: 3 });
    expect(x.dtype).toBe('float32');
    expect(linspace(tensor(0, { dtype: 'float32' }), 2, { num: 3 }).dtype).toBe('float64');
    expect(linspace(0, 1, { num: 3, dtype: 'float32' }).dtype).toBe('float32');
  });

  it('validates num, endpoint, axis and shapes', () => {
    expect(() => linspace(0, 1, { num: -1 })).toThrow(MgValueError);
    expect(() => linspace(0, 1, { num: 2.5 })).toThrow(MgTypeError);
    expect(() => linspace(0, 1, { axis: 1 })).toThrow(AxisError);
    expect(() => linspace([0, 1], [1, 2, 3])).toThrow(ShapeError);
    expect(() => linspace(0, 1, { endpoint: 1 as unknown as boolean })).toThrow(MgTypeError);
    expect(() => linspace(0, 1, { dtype: 'int32', constant: false })).toThrow(ConstantIntegerError);
  });
});

describe('logspace', () => {
  it('matches NumPy', () => {
    expect(logspace(0, 2, { num: 3 }).toArray()).toEqual([1, 10, 100]);
    expect(logspace(0, 3, { num: 4, base: 2 }).toArray()).toEqual([1, 2, 4, 8]);
    expectClose(logspace(2, 3, { num: 4 }).dataSync(), [100, 215.44346900318845, 464.15888336127773, 1000]);
    expectClose(
      logspace(2, 3, { num: 4, endpoint: false }).dataSync(),
      [100, 177.82794100389228, 316.22776601683796, 562.341325190349],
    );
    expect(logspace(0, 1).shape).toEqual([50]);
  });

  it('takes dtype and axis', () => {
    expect(logspace(0, 2, { num: 3, dtype: 'int32' }).toArray()).toEqual([1, 10, 100]);
    expect(logspace([0, 1], [1, 2], { num: 2, axis: 1 }).toArray()).toEqual([
      [1, 10],
      [10, 100],
    ]);
    expect(() => logspace(0, 1, { base: '2' as unknown as number })).toThrow(MgTypeError);
  });
});

describe('geomspace', () => {
  it('matches NumPy with exact endpoints', () => {
    expectClose(geomspace(1, 8, { num: 4 }).dataSync(), [1, 2, 4, 8]);
    expect(geomspace(1, 1000, { num: 4 }).toArray()).toEqual([1, 10, 100, 1000]);
    const x = geomspace(3, 7, { num: 5 }).dataSync();
    expect(x[0]).toBe(3);
    expect(x[4]).toBe(7);
    expectClose(geomspace(1, 16, { num: 4, endpoint: false }).dataSync(), [1, 2, 4, 8]);
    expect(geomspace(2, 5, { num: 1 }).toArray()).toEqual([2]);
  });

  it('handles negative endpoints and mixed signs as NumPy', () => {
    expect(geomspace(-1, -100, { num: 3 }).toArray()).toEqual([-1, -10, -100]);
    const mixed = geomspace(-1, 4, { num: 3 }).dataSync();
    expect(mixed[0]).toBe(-1);
    expect(mixed[1]).toBeNaN();
    expect(mixed[2]).toBe(4);
  });

  it('broadcasts along axis', () => {
    const x = geomspace([1, 2], [100, 200], { num: 3, axis: 1 });
    expect(x.shape).toEqual([2, 3]);
    expectClose(x.dataSync(), [1, 10, 100, 2, 20, 200]);
  });

  it('rejects zero endpoints', () => {
    expect(() => geomspace(0, 1)).toThrow(MgValueError);
    expect(() => geomspace(1, [2, 0])).toThrow(/cannot include zero/);
  });
});
