// Tests of the shape-manipulation ops: forward values (NumPy-derived), dtypes, constant flags, gradients
// against finite differences, and every error path.
import { checkGradients } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import {
  AxisError,
  atleast1d,
  atleast2d,
  atleast3d,
  broadcastTo,
  ConstantIntegerError,
  concatenate,
  expandDims,
  flatten,
  MgTypeError,
  MgValueError,
  add as mgAdd,
  ones as mgOnes,
  zeros as mgZeros,
  moveaxis,
  ravel,
  repeat,
  reshape,
  roll,
  ShapeError,
  squeeze,
  stack,
  swapaxes,
  type Tensor,
  tensor,
  tile,
  transpose,
} from '../src/index.js';

/** 0, 1, 2, … as a float64 tensor of `shape`. */
function arange(shape: readonly number[], options: { dtype?: string; constant?: boolean } = {}): Tensor {
  const size = shape.reduce((n, d) => n * d, 1);
  return tensor(
    Float64Array.from({ length: size }, (_, i) => i),
    { shape, ...options },
  );
}

/** Input data for gradient checks: distinct, non-round values. */
function input(shape: readonly number[]): { data: number[]; shape: readonly number[] } {
  const size = shape.reduce((n, d) => n * d, 1);
  return { data: Array.from({ length: size }, (_, i) => Math.sin(i + 1) * 2 + 0.1 * i), shape };
}

function expectGradOk(fn: (...xs: Tensor[]) => Tensor, ...shapes: (readonly number[])[]): void {
  expect(checkGradients(fn, shapes.map(input)).mismatches).toEqual([]);
}

describe('reshape', () => {
  it('reshapes in C order, inferring one -1', () => {
    const x = arange([2, 3]);
    expect(reshape(x, [3, 2]).toArray()).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(reshape(x, [-1, 3, 1]).shape).toEqual([2, 3, 1]);
    expect(reshape(x, 6).toArray()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(reshape(x, -1).shape).toEqual([6]);
    expect(reshape(tensor(7), [1, 1]).toArray()).toEqual([[7]]);
    expect(reshape(tensor([7]), []).toArray()).toBe(7);
  });

  it('handles size 0', () => {
    const x = tensor(new Float64Array(0), { shape: [0, 3] });
    expect(reshape(x, [3, 0]).shape).toEqual([3, 0]);
    expect(reshape(x, [-1, 3]).shape).toEqual([0, 3]);
    expect(() => reshape(x, [-1, 0])).toThrow(ShapeError);
  });

  it('keeps dtype; follows constant rules', () => {
    const i = tensor(Int32Array.from([1, 2, 3, 4]));
    const r = reshape(i, [2, 2]);
    expect(r.dtype).toBe('int32');
    expect(r.constant).toBe(true);
    const b = reshape([true, false], [2, 1]);
    expect(b.dtype).toBe('bool');
    expect(b.toArray()).toEqual([[true], [false]]);
    const x = arange([4]);
    expect(reshape(x, [2, 2]).constant).toBe(false);
    expect(reshape(x, [2, 2], { constant: true }).constant).toBe(true);
    expect(reshape([1, 2], [2, 1]).constant).toBe(true);
    expect(() => reshape(i, [4], { constant: false })).toThrow(ConstantIntegerError);
  });

  it('returns a new tensor, even for the same shape, and shares data safely', () => {
    const x = arange([2, 2]);
    const y = reshape(x, [2, 2]);
    expect(y).not.toBe(x);
    y.backward();
    expect(x.grad?.toArray()).toEqual([
      [1, 1],
      [1, 1],
    ]);
    const z = reshape(x, [4]);
    x.dispose();
    expect(z.toArray()).toEqual([0, 1, 2, 3]);
  });

  it('Tensor.reshape takes sizes or a list', () => {
    const x = arange([2, 6]);
    expect(x.reshape(3, 4).shape).toEqual([3, 4]);
    expect(x.reshape([4, -1]).shape).toEqual([4, 3]);
  });

  it('back-propagates the reshaped gradient', () => {
    expectGradOk((x) => reshape(x, [3, -1]), [2, 3]);
    expectGradOk((x) => reshape(x, [2, 3]).mul(reshape(x, [2, 3])), [6]);
  });

  it('rejects bad shapes', () => {
    const x = arange([2, 3]);
    expect(() => reshape(x, [4, 2])).toThrow(ShapeError);
    expect(() => reshape(x, [4, 2])).toThrow(/\[2, 3\].*\[4, 2\]/);
    expect(() => reshape(x, [-1, -1])).toThrow(MgValueError);
    expect(() => reshape(x, [-2, -3])).toThrow(MgValueError);
    expect(() => reshape(x, [1.5, 4])).toThrow(MgTypeError);
    expect(() => reshape(x, [4, -1])).toThrow(ShapeError);
  });
});

describe('ravel and flatten', () => {
  it('flatten to 1-D in C order', () => {
    const x = arange([2, 3, 2]);
    for (const fn of [ravel, flatten]) {
      const y = fn(x);
      expect(y.shape).toEqual([12]);
      expect(y.toArray()).toEqual(Array.from({ length: 12 }, (_, i) => i));
    }
    expect(ravel(tensor(3)).shape).toEqual([1]);
    expect(flatten(tensor(new Float64Array(0), { shape: [2, 0] })).shape).toEqual([0]);
    expect(x.flatten().shape).toEqual([12]);
    expect(x.ravel({ constant: true }).constant).toBe(true);
  });

  it('back-propagate', () => {
    expectGradOk((x) => ravel(x), [2, 3]);
    expectGradOk((x) => flatten(x), [3, 1, 2]);
  });
});

describe('squeeze', () => {
  const x = arange([1, 3, 1]);
  it('removes size-1 axes', () => {
    expect(squeeze(x).shape).toEqual([3]);
    expect(squeeze(x, { axis: 0 }).shape).toEqual([3, 1]);
    expect(squeeze(x, { axis: -1 }).shape).toEqual([1, 3]);
    expect(squeeze(x, { axis: [0, 2] }).toArray()).toEqual([0, 1, 2]);
    expect(squeeze(arange([2, 1]), { axis: [1] }).shape).toEqual([2]);
    expect(squeeze(tensor([[5]])).toArray()).toBe(5);
    expect(squeeze(arange([2, 3])).shape).toEqual([2, 3]);
    expect(x.squeeze({ axis: null }).shape).toEqual([3]);
  });

  it('back-propagates', () => {
    expectGradOk((t) => squeeze(t), [1, 3, 1]);
    expectGradOk((t) => squeeze(t, { axis: 2 }), [2, 1, 1]);
  });

  it('rejects axes that are not size 1, out of range or repeated', () => {
    expect(() => squeeze(arange([2, 3]), { axis: 0 })).toThrow(MgValueError);
    expect(() => squeeze(arange([2, 3]), { axis: 0 })).toThrow(/size not equal to one/);
    expect(() => squeeze(x, { axis: 3 })).toThrow(AxisError);
    expect(() => squeeze(x, { axis: [0, 0] })).toThrow(ShapeError);
  });
});

describe('expandDims', () => {
  it('inserts size-1 axes at the given positions of the result', () => {
    const x = arange([2, 3]);
    expect(expandDims(x, 0).shape).toEqual([1, 2, 3]);
    expect(expandDims(x, 1).shape).toEqual([2, 1, 3]);
    expect(expandDims(x, -1).shape).toEqual([2, 3, 1]);
    expect(expandDims(x, [0, 3]).shape).toEqual([1, 2, 3, 1]);
    expect(expandDims(x, [-1, 0]).shape).toEqual([1, 2, 3, 1]);
    expect(expandDims(tensor(2), 0).toArray()).toEqual([2]);
  });

  it('back-propagates', () => {
    expectGradOk((t) => expandDims(t, [0, -1]), [2, 3]);
  });

  it('rejects out-of-range and repeated axes', () => {
    expect(() => expandDims(arange([2]), 2)).toThrow(AxisError);
    expect(() => expandDims(arange([2]), -3)).toThrow(AxisError);
    expect(() => expandDims(arange([2]), [0, 0])).toThrow(MgValueError);
    expect(() => expandDims(arange([2]), [1, -2])).toThrow(MgValueError);
  });
});

describe('atleast1d / atleast2d / atleast3d', () => {
  it('grow the rank as NumPy does', () => {
    const s = tensor(3);
    const v = arange([3]);
    const m = arange([2, 3]);
    expect(atleast1d(s).shape).toEqual([1]);
    expect(atleast2d(s).shape).toEqual([1, 1]);
    expect(atleast2d(v).toArray()).toEqual([[0, 1, 2]]);
    expect(atleast3d(s).shape).toEqual([1, 1, 1]);
    expect(atleast3d(v).shape).toEqual([1, 3, 1]);
    expect(atleast3d(m).shape).toEqual([2, 3, 1]);
    expect(atleast3d([[1, 2]]).shape).toEqual([1, 2, 1]);
  });

  it('return a tensor that already has the rank unchanged', () => {
    const m = arange([2, 3]);
    expect(atleast1d(m)).toBe(m);
    expect(atleast2d(m)).toBe(m);
    expect(atleast2d(m, { constant: false })).toBe(m);
    const c = atleast2d(m, { constant: true });
    expect(c).not.toBe(m);
    expect(c.constant).toBe(true);
    expect(c.shape).toEqual([2, 3]);
  });

  it('take several tensors and a trailing options object', () => {
    const out = atleast1d(tensor(1), tensor([3, 4]));
    expect(out.map((t) => t.shape)).toEqual([[1], [2]]);
    const withOptions = atleast2d(tensor(1), [1, 2], { constant: true });
    expect(withOptions.map((t) => t.shape)).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(withOptions.every((t) => t.constant)).toBe(true);
    const lists = atleast1d(5, [true]);
    expect(lists[0]!.dtype).toBe('float64');
    expect(lists[1]!.dtype).toBe('bool');
  });

  it('back-propagate', () => {
    expectGradOk((t) => atleast3d(t), [4]);
    expectGradOk((t) => atleast2d(t), []);
  });
});

describe('broadcastTo', () => {
  it('broadcasts like NumPy', () => {
    expect(broadcastTo(tensor([1, 2, 3]), [2, 3]).toArray()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(broadcastTo(tensor([[1], [2]]), [2, 4]).toArray()).toEqual([
      [1, 1, 1, 1],
      [2, 2, 2, 2],
    ]);
    expect(broadcastTo(tensor(4), 3).toArray()).toEqual([4, 4, 4]);
    expect(broadcastTo(tensor([1]), [0]).shape).toEqual([0]);
    expect(broadcastTo(arange([2]), [2]).shape).toEqual([2]);
    expect(broadcastTo(tensor(Int32Array.from([1, 2])), [2, 2]).dtype).toBe('int32');
  });

  it('sums the gradient back over the broadcast axes', () => {
    const x = tensor([[1], [2]]);
    const y = broadcastTo(x, [3, 2, 4]);
    y.backward();
    expect(x.grad?.toArray()).toEqual([[12], [12]]);
    expectGradOk((t) => broadcastTo(t, [2, 3, 4]), [3, 1]);
    expectGradOk((t) => broadcastTo(t, [2, 3]), []);
    expectGradOk((t) => broadcastTo(t, [2, 3]), [2, 3]);
  });

  it('rejects incompatible shapes', () => {
    expect(() => broadcastTo(arange([2, 3]), [3, 3])).toThrow(ShapeError);
    expect(() => broadcastTo(arange([2, 3]), [3])).toThrow(ShapeError);
    expect(() => broadcastTo(arange([3]), [-1, 3])).toThrow(ShapeError);
    expect(() => broadcastTo(arange([3]), [0.5])).toThrow(MgTypeError);
  });
});

describe('transpose', () => {
  const x = arange([2, 3, 4]);
  it('reverses the axes by default and permutes as given', () => {
    expect(transpose(arange([2, 3])).toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(transpose(x).shape).toEqual([4, 3, 2]);
    expect(transpose(x, [1, 0, 2]).shape).toEqual([3, 2, 4]);
    const p = transpose(x, [2, 0, -2]);
    expect(p.shape).toEqual([4, 2, 3]);
    // p[i, j, k] = x[j, k, i] = 12j + 4k + i
    expect((p.toArray() as number[][][])[3]![1]![2]).toBe(12 + 8 + 3);
    expect(transpose(tensor(5)).toArray()).toBe(5);
    expect(transpose(arange([3])).toArray()).toEqual([0, 1, 2]);
    // Tensor.T is installed at run time but not declared on the Tensor type (reported to core).
    expect((arange([2, 3]) as unknown as { T: Tensor }).T.shape).toEqual([3, 2]);
    expect(x.transpose(2, 1, 0).shape).toEqual([4, 3, 2]);
    expect(x.transpose([0, 2, 1]).shape).toEqual([2, 4, 3]);
    expect(transpose(tensor(Int32Array.from([1, 2, 3, 4]), { shape: [2, 2] })).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it('back-propagates the inverse permutation', () => {
    expectGradOk((t) => transpose(t), [2, 3]);
    expectGradOk((t) => transpose(t, [2, 0, 1]), [2, 3, 4]);
    expectGradOk((t) => transpose(t, [0, 1]), [2, 3]);
  });

  it('rejects axes that are not a permutation', () => {
    expect(() => transpose(arange([2, 3]), [0, 0])).toThrow(MgValueError);
    expect(() => transpose(arange([2, 3]), [0])).toThrow(MgValueError);
    expect(() => transpose(arange([2, 3]), [0, 2])).toThrow(AxisError);
  });
});

describe('moveaxis', () => {
  const x = arange([2, 3, 4, 5]);
  it('moves axes, keeping the others in order', () => {
    expect(moveaxis(x, 0, -1).shape).toEqual([3, 4, 5, 2]);
    expect(moveaxis(x, -1, 0).shape).toEqual([5, 2, 3, 4]);
    expect(moveaxis(x, [0, 1], [-1, -2]).shape).toEqual([4, 5, 3, 2]);
    expect(moveaxis(x, [0, 1], [2, 0]).shape).toEqual([3, 4, 2, 5]);
    expect(moveaxis(arange([2, 3]), 0, 1).toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(arange([2, 3, 4]).moveaxis(0, 2).shape).toEqual([3, 4, 2]);
  });

  it('back-propagates', () => {
    expectGradOk((t) => moveaxis(t, [0, 1], [2, 0]), [2, 3, 4]);
  });

  it('rejects bad axes', () => {
    expect(() => moveaxis(x, 4, 0)).toThrow(AxisError);
    expect(() => moveaxis(x, 0, -5)).toThrow(AxisError);
    expect(() => moveaxis(x, [0, 0], [1, 2])).toThrow(MgValueError);
    expect(() => moveaxis(x, [0, 1], [2])).toThrow(MgValueError);
  });
});

describe('swapaxes', () => {
  it('interchanges two axes', () => {
    expect(swapaxes(arange([2, 3]), 0, 1).toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(swapaxes(arange([2, 3, 4]), 0, -1).shape).toEqual([4, 3, 2]);
    expect(swapaxes(arange([2, 3]), 1, 1).shape).toEqual([2, 3]);
    expect(arange([2, 3]).swapaxes(0, 1).shape).toEqual([3, 2]);
  });

  it('back-propagates', () => {
    expectGradOk((t) => swapaxes(t, 0, 2), [2, 3, 4]);
  });

  it('rejects out-of-range axes', () => {
    expect(() => swapaxes(arange([2, 3]), 0, 2)).toThrow(AxisError);
    expect(() => swapaxes(arange([2, 3]), 1.5, 0)).toThrow(MgTypeError);
  });
});

describe('roll', () => {
  const x = arange([2, 5]);
  it('rolls like numpy.roll', () => {
    expect(roll(arange([5]), 2).toArray()).toEqual([3, 4, 0, 1, 2]);
    expect(roll(arange([5]), -7).toArray()).toEqual([2, 3, 4, 0, 1]);
    expect(roll(x, 1).toArray()).toEqual([
      [9, 0, 1, 2, 3],
      [4, 5, 6, 7, 8],
    ]);
    expect(roll(x, 1, { axis: 1 }).toArray()).toEqual([
      [4, 0, 1, 2, 3],
      [9, 5, 6, 7, 8],
    ]);
    expect(roll(x, [1, 2], { axis: [0, 1] }).toArray()).toEqual([
      [8, 9, 5, 6, 7],
      [3, 4, 0, 1, 2],
    ]);
    // Shifts on a repeated axis add up; a shift list pairs with a single axis.
    expect(roll(x, 1, { axis: [1, 1] }).toArray()).toEqual([
      [3, 4, 0, 1, 2],
      [8, 9, 5, 6, 7],
    ]);
    expect(roll(x, [1, 2], { axis: 1 }).toArray()).toEqual([
      [2, 3, 4, 0, 1],
      [7, 8, 9, 5, 6],
    ]);
    expect(roll(arange([5]), [1, 2]).toArray()).toEqual([2, 3, 4, 0, 1]);
    expect(roll(x, 0, { axis: -1 }).toArray()).toEqual(x.toArray());
    expect(roll(tensor(3), 4).toArray()).toBe(3);
    expect(roll(tensor(new Float64Array(0), { shape: [0, 2] }), 1, { axis: 0 }).shape).toEqual([0, 2]);
    const ints = roll(tensor(Int32Array.from([1, 2, 3])), 1);
    expect(ints.dtype).toBe('int32');
    expect(ints.toArray()).toEqual([3, 1, 2]);
  });

  it('back-propagates the gradient rolled back', () => {
    expectGradOk((t) => roll(t, 3), [2, 4]);
    expectGradOk((t) => roll(t, [1, -2], { axis: [0, 1] }), [3, 4]);
    expectGradOk((t) => roll(t, 2, { axis: [-1, -1] }), [2, 3]);
  });

  it('rejects bad shifts and axes', () => {
    expect(() => roll(x, [1, 2, 3], { axis: [0, 1] })).toThrow(ShapeError);
    expect(() => roll(x, 1, { axis: 2 })).toThrow(AxisError);
    expect(() => roll(x, 1.5)).toThrow(MgTypeError);
    expect(() => roll(tensor(1), 1, { axis: 0 })).toThrow(AxisError);
  });
});

describe('repeat', () => {
  const x = tensor([
    [1, 2],
    [3, 4],
  ]);
  it('repeats like numpy.repeat', () => {
    expect(repeat(x, 2).toArray()).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(repeat(x, 2, { axis: -1 }).toArray()).toEqual([
      [1, 1, 2, 2],
      [3, 3, 4, 4],
    ]);
    expect(repeat(x, [1, 2], { axis: 0 }).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [3, 4],
    ]);
    expect(repeat(x, [2], { axis: 0 }).shape).toEqual([4, 2]);
    expect(repeat(x, [0, 0], { axis: 0 }).shape).toEqual([0, 2]);
    expect(repeat(x, 0).shape).toEqual([0]);
    expect(repeat(tensor(5), 3).toArray()).toEqual([5, 5, 5]);
    expect(repeat(tensor(5), 2, { axis: 0 }).toArray()).toEqual([5, 5]);
    expect(repeat(tensor([true, false]), 2).toArray()).toEqual([true, true, false, false]);
    expect(repeat(tensor(Int32Array.from([1, 2])), 2).dtype).toBe('int32');
  });

  it('sums the gradient over the copies', () => {
    const t = tensor([1, 2, 3]);
    repeat(t, [2, 0, 3]).backward();
    expect(t.grad?.toArray()).toEqual([2, 0, 3]);
    expectGradOk((a) => repeat(a, 3), [2, 2]);
    expectGradOk((a) => repeat(a, [1, 0, 2], { axis: 1 }), [2, 3]);
    expectGradOk((a) => repeat(a, 2, { axis: 0 }), []);
    expectGradOk((a) => repeat(a, 0, { axis: 0 }), [2, 3]);
  });

  it('rejects bad repeats and axes', () => {
    expect(() => repeat(x, [1, 2, 3], { axis: 0 })).toThrow(ShapeError);
    expect(() => repeat(x, [1, 2])).toThrow(ShapeError);
    expect(() => repeat(x, -1)).toThrow(MgValueError);
    expect(() => repeat(x, 1.5)).toThrow(MgTypeError);
    expect(() => repeat(x, 2, { axis: 2 })).toThrow(AxisError);
  });
});

describe('tile', () => {
  it('tiles like numpy.tile', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(tile(x, 2).toArray()).toEqual([
      [1, 2, 1, 2],
      [3, 4, 3, 4],
    ]);
    expect(tile(x, [2, 1]).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [1, 2],
      [3, 4],
    ]);
    expect(tile(tensor([1, 2]), [2, 1, 2]).toArray()).toEqual([[[1, 2, 1, 2]], [[1, 2, 1, 2]]]);
    expect(tile(x, [0, 3]).shape).toEqual([0, 6]);
    expect(tile(tensor(3), 2).toArray()).toEqual([3, 3]);
    expect(tile(tensor(3), []).toArray()).toBe(3);
    expect(tile(tensor(Int32Array.from([1, 2])), 2).dtype).toBe('int32');
  });

  it('sums the gradient over the copies', () => {
    const t = tensor([1, 2]);
    tile(t, [3, 2]).backward();
    expect(t.grad?.toArray()).toEqual([6, 6]);
    expectGradOk((a) => tile(a, [2, 3]), [2, 2]);
    expectGradOk((a) => tile(a, [2, 1, 2]), [3]);
    expectGradOk((a) => tile(a, 2), [2, 1, 3]);
  });

  it('rejects bad reps', () => {
    expect(() => tile(tensor([1, 2]), -1)).toThrow(MgValueError);
    expect(() => tile(tensor([1, 2]), [1.5])).toThrow(MgTypeError);
  });
});

describe('concatenate', () => {
  it('joins along an existing axis, or flattened with axis null', () => {
    const a = arange([2, 3]);
    const b = tensor([[9, 9, 9]]);
    expect(concatenate([a, b]).toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [9, 9, 9],
    ]);
    expect(concatenate([a, a], { axis: -1 }).shape).toEqual([2, 6]);
    expect(concatenate([a, [[7], [8]]], { axis: 1 }).toArray()).toEqual([
      [0, 1, 2, 7],
      [3, 4, 5, 8],
    ]);
    expect(concatenate([a, b, 5], { axis: null }).toArray()).toEqual([0, 1, 2, 3, 4, 5, 9, 9, 9, 5]);
    expect(concatenate([a]).shape).toEqual([2, 3]);
    expect(concatenate([a, tensor(new Float64Array(0), { shape: [0, 3] })]).shape).toEqual([2, 3]);
  });

  it('promotes dtypes as NumPy', () => {
    const i = tensor(Int32Array.from([1, 2]));
    const f32 = tensor([1, 2], { dtype: 'float32' });
    const bool = tensor([true]);
    expect(concatenate([i, tensor([0.5])]).dtype).toBe('float64');
    expect(concatenate([i, bool]).dtype).toBe('int32');
    expect(concatenate([i, bool]).toArray()).toEqual([1, 2, 1]);
    expect(concatenate([f32, f32]).dtype).toBe('float32');
    expect(concatenate([f32, i]).dtype).toBe('float64');
    expect(concatenate([f32, tensor([1])]).dtype).toBe('float64');
    // 0-d inputs (axis null only) act as scalars in NumPy's value-based promotion.
    expect(concatenate([f32, tensor(1)], { axis: null }).dtype).toBe('float32');
    expect(concatenate([i, i]).constant).toBe(true);
  });

  it('gives each input its slice of the gradient', () => {
    const a = arange([2, 1]);
    const b = arange([2, 2]);
    const c = arange([2, 3], { constant: true });
    const out = concatenate([a, b, c], { axis: 1 });
    expect(out.constant).toBe(false);
    out.backward(arange([2, 6]));
    expect(a.grad?.toArray()).toEqual([[0], [6]]);
    expect(b.grad?.toArray()).toEqual([
      [1, 2],
      [7, 8],
    ]);
    expect(c.grad).toBeNull();
    const f32 = tensor([1, 2], { dtype: 'float32' });
    concatenate([f32, tensor([3])]).backward();
    expect(f32.grad?.dtype).toBe('float32');
    expectGradOk((p, q) => concatenate([p, q]), [2, 3], [1, 3]);
    expectGradOk((p, q) => concatenate([p, q, p], { axis: -1 }), [2, 2], [2, 1]);
    expectGradOk((p, q) => concatenate([p, q], { axis: null }), [2, 2], [3]);
  });

  it('rejects bad inputs', () => {
    expect(() => concatenate([])).toThrow(MgValueError);
    expect(() => concatenate([arange([2, 3]), arange([2, 2])])).toThrow(ShapeError);
    expect(() => concatenate([arange([2, 3]), arange([2, 2])])).toThrow(/\[2, 3\] and \[2, 2\]/);
    expect(() => concatenate([arange([2, 3]), arange([3])])).toThrow(MgValueError);
    expect(() => concatenate([tensor(1), tensor(2)])).toThrow(MgValueError);
    expect(() => concatenate([arange([2]), arange([2])], { axis: 1 })).toThrow(AxisError);
  });
});

describe('stack', () => {
  it('joins along a new axis', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    expect(stack([a, b]).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(stack([a, b], { axis: 1 }).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(stack([a, b], { axis: -1 }).shape).toEqual([2, 2]);
    expect(stack([arange([2, 3]), arange([2, 3]), arange([2, 3])], { axis: 1 }).shape).toEqual([2, 3, 3]);
    expect(stack([tensor(1), tensor(2), 3]).toArray()).toEqual([1, 2, 3]);
  });

  it('promotes dtypes without value-based casting', () => {
    const f32 = tensor(1, { dtype: 'float32' });
    expect(stack([f32, tensor(2)]).dtype).toBe('float64');
    expect(stack([tensor(Int32Array.from([1])), tensor([true])]).dtype).toBe('int32');
  });

  it('gives each input its slice of the gradient', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    stack([a, b], { axis: 1 }).backward(
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(a.grad?.toArray()).toEqual([1, 3]);
    expect(b.grad?.toArray()).toEqual([2, 4]);
    expectGradOk((p, q) => stack([p, q, p], { axis: 2 }), [2, 3], [2, 3]);
    expectGradOk((p, q) => stack([p, q]), [], []);
  });

  it('rejects bad inputs', () => {
    expect(() => stack([])).toThrow(MgValueError);
    expect(() => stack([arange([2]), arange([3])])).toThrow(ShapeError);
    expect(() => stack([arange([2]), arange([2])], { axis: 2 })).toThrow(AxisError);
  });
});

describe('constant flags and graph', () => {
  it('constant inputs give constant outputs; constant: true cuts the graph', () => {
    const x = arange([2, 3]);
    const fns: ((t: Tensor, constant?: boolean) => Tensor)[] = [
      (t, constant) => reshape(t, [3, 2], { constant }),
      (t, constant) => squeeze(t, { constant }),
      (t, constant) => expandDims(t, 0, { constant }),
      (t, constant) => broadcastTo(t, [2, 2, 3], { constant }),
      (t, constant) => transpose(t, null, { constant }),
      (t, constant) => moveaxis(t, 0, 1, { constant }),
      (t, constant) => swapaxes(t, 0, 1, { constant }),
      (t, constant) => roll(t, 1, { constant }),
      (t, constant) => repeat(t, 2, { constant }),
      (t, constant) => tile(t, 2, { constant }),
      (t, constant) => concatenate([t, t], { constant }),
      (t, constant) => stack([t, t], { constant }),
    ];
    for (const fn of fns) {
      expect(fn(x).constant).toBe(false);
      const cut = fn(x, true);
      expect(cut.constant).toBe(true);
      expect(cut.creator).toBeNull();
      expect(fn(arange([2, 3], { constant: true })).constant).toBe(true);
    }
  });

  it('chains of shape ops back-propagate', () => {
    expectGradOk(
      (t) =>
        stack([roll(t, 1, { axis: 0 }), transpose(tile(swapaxes(t, 0, 1), [1, 1]))]).mul(
          repeat(expandDims(t, 0), 1, { axis: 0 }),
        ),
      [2, 3],
    );
  });
});

describe('absurd shapes', () => {
  it('fail with a ShapeError before anything is allocated', () => {
    expect(() => mgZeros([1e6, 1e6])).toThrow(/array is too big/);
    expect(() => mgZeros([1e6, 1e6])).toThrow(ShapeError);
    const column = mgOnes([100000, 1]);
    const row = mgOnes([1, 100000]);
    expect(() => mgAdd(column, row)).toThrow(ShapeError);
  });
});
