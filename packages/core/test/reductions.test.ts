// Tests of the reductions: sum, mean, var, std, prod, max/min, cumsum/cumprod, argmax/argmin and any.
import { checkGradients } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import {
  AxisError,
  amax,
  amin,
  any,
  argmax,
  argmin,
  ConstantIntegerError,
  cumprod,
  cumsum,
  MgTypeError,
  MgValueError,
  max,
  mean,
  min,
  multiply,
  prod,
  ShapeError,
  std,
  sum,
  type Tensor,
  tensor,
  var as varAlias,
  variance,
} from '../src/index.js';

/** 0, 1, 2, … shaped, as float64 values scaled to be distinct and irregular. */
function ramp(shape: number[], scale = 0.37, offset = -1.1): { data: number[]; shape: number[] } {
  const size = shape.reduce((a, b) => a * b, 1);
  // A permutation-like spread so no two elements tie and extrema are not at the ends.
  const data = Array.from(
    { length: size },
    (_, i) => Math.round((((i * 7) % size) * scale + offset) * 1000) / 1000,
  );
  return { data, shape };
}

function fromInput(input: { data: number[]; shape: number[] }): Tensor {
  return tensor(Float64Array.from(input.data), { shape: input.shape });
}

function values(t: Tensor | null | undefined): number[] {
  return Array.from(t?.dataSync() ?? [], Number);
}

function expectClose(actual: readonly number[], expected: readonly number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    if (Number.isNaN(e)) expect(a).toBeNaN();
    else if (!Number.isFinite(e)) expect(a).toBe(e);
    else expect(Math.abs(a - e)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  });
}

const AXIS_CASES: { shape: number[]; axis: number | number[] | null; keepdims: boolean }[] = [
  { shape: [5], axis: null, keepdims: false },
  { shape: [3, 4], axis: 0, keepdims: false },
  { shape: [3, 4], axis: -1, keepdims: true },
  { shape: [2, 3, 4], axis: [0, 2], keepdims: false },
  { shape: [2, 3, 4], axis: [2, 0], keepdims: true },
  { shape: [2, 3, 4], axis: 1, keepdims: false },
  { shape: [2, 3, 4], axis: null, keepdims: true },
  { shape: [], axis: null, keepdims: false },
];

describe('sum', () => {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  it('reduces over all axes, one axis, negative axes and axis lists', () => {
    expect(sum(x).toArray()).toBe(21);
    expect(sum(x).shape).toEqual([]);
    expect(sum(x, { axis: 0 }).toArray()).toEqual([5, 7, 9]);
    expect(sum(x, { axis: -1 }).toArray()).toEqual([6, 15]);
    expect(sum(x, { axis: [0, 1] }).toArray()).toBe(21);
    expect(sum(x, { axis: [1, 0], keepdims: true }).toArray()).toEqual([[21]]);
    expect(sum(x, { axis: 1, keepdims: true }).toArray()).toEqual([[6], [15]]);
    expect(sum(x, { axis: [] }).toArray()).toEqual(x.toArray());
  });
  it('keeps float dtypes; bool and int32 sum to int32 constants', () => {
    expect(sum(x).dtype).toBe('float64');
    expect(sum(tensor([1.5, 2], { dtype: 'float32' })).dtype).toBe('float32');
    const b = sum(tensor([true, true, false]));
    expect([b.dtype, b.item(), b.constant]).toEqual(['int32', 2, true]);
    const i = sum(
      tensor(
        [
          [1, 2],
          [3, 4],
        ],
        { dtype: 'int32' },
      ),
      { axis: 0 },
    );
    expect([i.dtype, i.toArray(), i.constant]).toEqual(['int32', [4, 6], true]);
  });
  it('sums empty tensors and slices to 0, and 0-d tensors to themselves', () => {
    expect(sum(tensor([])).item()).toBe(0);
    expect(sum(tensor([]), { axis: 0 }).toArray()).toBe(0);
    const e = tensor(new Float64Array(0), { shape: [2, 0] });
    expect(sum(e, { axis: 1 }).toArray()).toEqual([0, 0]);
    expect(sum(e, { axis: 0 }).shape).toEqual([0]);
    expect(sum(tensor(3.5)).item()).toBe(3.5);
  });
  it('propagates constant-ness and honours `constant`', () => {
    expect(sum(x).constant).toBe(false);
    expect(sum(x, { constant: true }).constant).toBe(true);
    expect(sum(tensor([1, 2], { constant: true })).constant).toBe(true);
    expect(() => sum(tensor([1, 2], { dtype: 'int32' }), { constant: false })).toThrow(ConstantIntegerError);
  });
  it('has the gradient of finite differences for every axis form', () => {
    for (const { shape, axis, keepdims } of AXIS_CASES) {
      expect(checkGradients((t) => sum(t, { axis, keepdims }), [ramp(shape)]).mismatches).toEqual([]);
    }
  });
  it('spreads the upstream gradient over each slice', () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    sum(t, { axis: 0 }).backward(tensor([10, 20]));
    expect(t.grad?.toArray()).toEqual([
      [10, 20],
      [10, 20],
    ]);
    expect(t.grad?.dtype).toBe('float64');
    const f = tensor([1, 2], { dtype: 'float32' });
    sum(f).backward();
    expect(f.grad?.dtype).toBe('float32');
  });
  it('works as a method', () => {
    expect(x.sum({ axis: 1 }).toArray()).toEqual([6, 15]);
  });
});

describe('mean', () => {
  const x = tensor([
    [1, 2],
    [3, 4],
  ]);
  it('averages over axes', () => {
    expect(mean(x).item()).toBe(2.5);
    expect(mean(x, { axis: 0 }).toArray()).toEqual([2, 3]);
    expect(mean(x, { axis: -1, keepdims: true }).toArray()).toEqual([[1.5], [3.5]]);
    expect(
      mean(
        tensor(
          new Float64Array(24).map((_, i) => i),
          { shape: [2, 3, 4] },
        ),
        { axis: [0, 2] },
      ).toArray(),
    ).toEqual([7.5, 11.5, 15.5]);
    expect(x.mean({ axis: 1 }).toArray()).toEqual([1.5, 3.5]);
  });
  it('gives float64 constants for int and bool inputs, and keeps float32', () => {
    const i = mean(tensor([1, 2], { dtype: 'int32' }));
    expect([i.dtype, i.item(), i.constant]).toEqual(['float64', 1.5, true]);
    const b = mean(tensor([true, false, false, false]));
    expect([b.dtype, b.item()]).toEqual(['float64', 0.25]);
    const f = mean(tensor([1, 2], { dtype: 'float32' }));
    expect([f.dtype, f.item()]).toEqual(['float32', 1.5]);
  });
  it('is NaN over an empty slice', () => {
    expect(mean(tensor([])).item()).toBeNaN();
  });
  it('has the gradient of finite differences', () => {
    for (const { shape, axis, keepdims } of AXIS_CASES) {
      expect(checkGradients((t) => mean(t, { axis, keepdims }), [ramp(shape)]).mismatches).toEqual([]);
    }
  });
});

describe('var and std', () => {
  const x = tensor([
    [1, 2],
    [3, 4],
  ]);
  it('compute the population variance and deviation by default', () => {
    expect(variance(x).item()).toBe(1.25);
    expect(variance(x, { axis: 0 }).toArray()).toEqual([1, 1]);
    expect(variance(x, { axis: 1, keepdims: true }).toArray()).toEqual([[0.25], [0.25]]);
    expectClose([std(x).item() as number], [Math.sqrt(1.25)]);
    expect(std(x, { axis: 1 }).toArray()).toEqual([0.5, 0.5]);
    expect(varAlias).toBe(variance);
    expect(x.var({ axis: 0 }).toArray()).toEqual([1, 1]);
    expect(x.std({ axis: 0 }).toArray()).toEqual([1, 1]);
  });
  it('divide by N - ddof', () => {
    expectClose([variance(tensor([1, 2, 3, 4]), { ddof: 1 }).item() as number], [5 / 3]);
    expectClose([std(tensor([1, 2, 4]), { ddof: 1 }).item() as number], [1.5275252316519465]);
    expectClose([variance(tensor([1, 2]), { ddof: -1 }).item() as number], [0.5 / 3]);
    expectClose([variance(tensor([1, 2]), { ddof: 1.5 }).item() as number], [1]);
  });
  it('give inf or NaN as NumPy when N - ddof <= 0', () => {
    expect(variance(tensor([1, 2]), { ddof: 2 }).item()).toBe(Number.POSITIVE_INFINITY);
    expect(variance(tensor([1, 2]), { ddof: 3 }).item()).toBe(Number.POSITIVE_INFINITY);
    expect(variance(tensor([1, 1]), { ddof: 2 }).item()).toBeNaN();
    expect(std(tensor([1, 2]), { ddof: 2 }).item()).toBe(Number.POSITIVE_INFINITY);
    expect(variance(tensor([])).item()).toBeNaN();
  });
  it('give float64 constants for int input, and keep float32', () => {
    const i = variance(tensor([1, 2, 4], { dtype: 'int32' }), { ddof: 1 });
    expect([i.dtype, i.constant]).toEqual(['float64', true]);
    expectClose([i.item() as number], [7 / 3]);
    expect(std(tensor([true, false])).dtype).toBe('float64');
    expect(std(tensor([true, false])).item()).toBe(0.5);
    expect(variance(tensor([1, 2], { dtype: 'float32' })).dtype).toBe('float32');
    expect(std(tensor([1, 2], { dtype: 'float32' })).dtype).toBe('float32');
  });
  it('have the gradients of finite differences, with and without ddof', () => {
    for (const { shape, axis, keepdims } of AXIS_CASES.filter((c) => c.shape.length > 0)) {
      for (const ddof of [0, 1]) {
        const input = [ramp(shape)];
        expect(checkGradients((t) => variance(t, { axis, keepdims, ddof }), input).mismatches).toEqual([]);
        expect(checkGradients((t) => std(t, { axis, keepdims, ddof }), input).mismatches).toEqual([]);
      }
    }
  });
  it('follow MyGrad at degenerate points', () => {
    // A 0-d variance is 0 with gradient 0; std there has the NaN gradient 0/0 (MyGrad too).
    const s = tensor(3);
    variance(s).backward();
    expect(s.grad?.item()).toBe(0);
    const c = tensor([2, 2]);
    std(c).backward();
    expect(values(c.grad).every(Number.isNaN)).toBe(true);
    // An explicit empty axis list reduces nothing: zeros, whatever ddof is.
    const e = tensor([1, 5]);
    const v = variance(e, { axis: [], ddof: 1 });
    expect(values(v).every(Number.isNaN)).toBe(true);
    v.backward();
    expect(e.grad?.toArray()).toEqual([0, 0]);
  });
  it('reject a non-number ddof', () => {
    expect(() => variance(x, { ddof: '1' as unknown as number })).toThrow(MgTypeError);
    expect(() => std(x, { ddof: Number.NaN })).toThrow(MgTypeError);
  });
});

describe('prod', () => {
  it('multiplies over axes', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(prod(x).item()).toBe(24);
    expect(prod(x, { axis: 1 }).toArray()).toEqual([2, 12]);
    expect(prod(x, { axis: 0, keepdims: true }).toArray()).toEqual([[3, 8]]);
    expect(prod(tensor([])).item()).toBe(1);
    expect(x.prod({ axis: -1 }).toArray()).toEqual([2, 12]);
  });
  it('gives int32 for bool and int32 inputs', () => {
    const b = prod(tensor([true, false]));
    expect([b.dtype, b.item(), b.constant]).toEqual(['int32', 0, true]);
    expect(prod(tensor([2, 3], { dtype: 'int32' })).dtype).toBe('int32');
    expect(prod(tensor([2, 3], { dtype: 'float32' })).dtype).toBe('float32');
  });
  it('has the gradient of finite differences', () => {
    for (const { shape, axis, keepdims } of AXIS_CASES) {
      expect(checkGradients((t) => prod(t, { axis, keepdims }), [ramp(shape, 0.37, 0.3)]).mismatches).toEqual(
        [],
      );
    }
  });
  it('gives exact product-of-the-others gradients with zeros', () => {
    // Row 0 has no zero, row 1 one zero, row 2 two zeros.
    const x = tensor([
      [2, 3, 4],
      [2, 0, 5],
      [0, 3, 0],
    ]);
    prod(x, { axis: 1 }).backward();
    expect(x.grad?.toArray()).toEqual([
      [12, 8, 6],
      [0, 10, 0],
      [0, 0, 0],
    ]);
    const y = tensor([0, 3]);
    prod(y).backward();
    expect(y.grad?.toArray()).toEqual([3, 0]);
    // These also match finite differences, which are exact for this multilinear function.
    const zeros = { data: [2, 0, 5, 0, 3, 0, 1, 2, 3], shape: [3, 3] };
    expect(checkGradients((t) => prod(t, { axis: 1 }), [zeros]).mismatches).toEqual([]);
    expect(checkGradients((t) => prod(t, { axis: 0 }), [zeros]).mismatches).toEqual([]);
  });
  it('passes the gradient through a 0-d product', () => {
    const s = tensor(0);
    prod(s).backward(5);
    expect(s.grad?.item()).toBe(5);
  });
});

describe('max and min', () => {
  const x = tensor([
    [1, 7, 3],
    [9, 2, 9],
  ]);
  it('reduce over axes', () => {
    expect(max(x).item()).toBe(9);
    expect(min(x).item()).toBe(1);
    expect(max(x, { axis: 0 }).toArray()).toEqual([9, 7, 9]);
    expect(min(x, { axis: 1, keepdims: true }).toArray()).toEqual([[1], [2]]);
    expect(max(x, { axis: [0, 1] }).item()).toBe(9);
    expect(amax).toBe(max);
    expect(amin).toBe(min);
    expect(x.max({ axis: 1 }).toArray()).toEqual([7, 9]);
    expect(x.min({ axis: 0 }).toArray()).toEqual([1, 2, 3]);
  });
  it('keep the input dtype and propagate NaN', () => {
    const i = max(tensor([1, 5], { dtype: 'int32' }));
    expect([i.dtype, i.item(), i.constant]).toEqual(['int32', 5, true]);
    expect(min(tensor([true, false])).toArray()).toBe(false);
    expect(max(tensor([1, 2], { dtype: 'float32' })).dtype).toBe('float32');
    expect(max(tensor([1, Number.NaN, 3])).item()).toBeNaN();
    expect(min(tensor([1, Number.NaN, 3])).item()).toBeNaN();
  });
  it('have the gradient of finite differences away from ties', () => {
    for (const { shape, axis, keepdims } of AXIS_CASES) {
      const input = [ramp(shape)];
      expect(checkGradients((t) => max(t, { axis, keepdims }), input).mismatches).toEqual([]);
      expect(checkGradients((t) => min(t, { axis, keepdims }), input).mismatches).toEqual([]);
    }
  });
  it('give the whole gradient to the first extremum at ties (MyGrad)', () => {
    const t = tensor([
      [1, 7, 7],
      [9, 2, 9],
    ]);
    max(t).backward();
    expect(t.grad?.toArray()).toEqual([
      [0, 0, 0],
      [1, 0, 0],
    ]);
    max(t, { axis: 1 }).backward(tensor([2, 3]));
    expect(t.grad?.toArray()).toEqual([
      [0, 2, 0],
      [3, 0, 0],
    ]);
    const u = tensor([
      [4, 1],
      [1, 4],
      [1, 1],
    ]);
    min(u, { axis: 0, keepdims: true }).backward();
    expect(u.grad?.toArray()).toEqual([
      [0, 1],
      [1, 0],
      [0, 0],
    ]);
    // Over several axes "first" is in row-major order of the reduced axes.
    const w = tensor(Float64Array.from([0, 5, 5, 0, 0, 5, 5, 0]), { shape: [2, 2, 2] });
    max(w, { axis: [0, 2] }).backward();
    expect(values(w.grad)).toEqual([0, 1, 1, 0, 0, 0, 0, 0]);
  });
  it('give the gradient to the first NaN', () => {
    const t = tensor([1, Number.NaN, 3, Number.NaN]);
    max(t).backward();
    expect(t.grad?.toArray()).toEqual([0, 1, 0, 0]);
  });
  it('pass the gradient through a 0-d tensor', () => {
    const s = tensor(2);
    min(s).backward(3);
    expect(s.grad?.item()).toBe(3);
  });
  it('refuse empty reductions unless the result is empty too', () => {
    expect(() => max(tensor([]))).toThrow(MgValueError);
    expect(() => max(tensor([]))).toThrow(
      /zero-size array to reduction operation maximum which has no identity/,
    );
    expect(() => min(tensor(new Float64Array(0), { shape: [0, 3] }), { axis: 0 })).toThrow(/minimum/);
    expect(max(tensor(new Float64Array(0), { shape: [0, 3] }), { axis: 1 }).shape).toEqual([0]);
  });
});

describe('axis validation', () => {
  const x = tensor([
    [1, 2],
    [3, 4],
  ]);
  const reductions = [sum, mean, prod, max, min, variance, std];
  it('raises AxisError for out-of-range axes', () => {
    for (const f of reductions) {
      expect(() => f(x, { axis: 2 })).toThrow(AxisError);
      expect(() => f(x, { axis: [0, -3] })).toThrow(AxisError);
    }
    expect(() => sum(tensor(1), { axis: 0 })).toThrow(AxisError);
    expect(() => any(x, { axis: 5 })).toThrow(AxisError);
  });
  it('raises ShapeError (a ValueError) for repeated axes', () => {
    for (const f of reductions) {
      expect(() => f(x, { axis: [0, 0] })).toThrow(ShapeError);
      expect(() => f(x, { axis: [1, -1] })).toThrow(MgValueError);
    }
  });
  it('raises MgTypeError for non-integer axes and non-boolean keepdims', () => {
    expect(() => sum(x, { axis: 0.5 })).toThrow(MgTypeError);
    expect(() => mean(x, { axis: '0' as unknown as number })).toThrow(MgTypeError);
    expect(() => sum(x, { keepdims: 1 as unknown as boolean })).toThrow(MgTypeError);
    expect(() => any(x, { keepdims: 'yes' as unknown as boolean })).toThrow(MgTypeError);
  });
});

describe('cumsum and cumprod', () => {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  it('scan the flattened input by default and along one axis otherwise', () => {
    expect(cumsum(x).toArray()).toEqual([1, 3, 6, 10, 15, 21]);
    expect(cumsum(x, { axis: 0 }).toArray()).toEqual([
      [1, 2, 3],
      [5, 7, 9],
    ]);
    expect(cumsum(x, { axis: -1 }).toArray()).toEqual([
      [1, 3, 6],
      [4, 9, 15],
    ]);
    expect(cumprod(x).toArray()).toEqual([1, 2, 6, 24, 120, 720]);
    expect(cumprod(x, { axis: 1 }).toArray()).toEqual([
      [1, 2, 6],
      [4, 20, 120],
    ]);
    expect(x.cumsum({ axis: 0 }).shape).toEqual([2, 3]);
    expect(x.cumprod().shape).toEqual([6]);
  });
  it('treat a 0-d input as 1-d, like NumPy', () => {
    expect(cumsum(tensor(5)).toArray()).toEqual([5]);
    expect(cumprod(tensor(5), { axis: 0 }).toArray()).toEqual([5]);
    expect(cumsum(tensor(5), { axis: -1 }).toArray()).toEqual([5]);
    expect(() => cumsum(tensor(5), { axis: 1 })).toThrow(AxisError);
  });
  it('give int32 for bool input and keep other dtypes', () => {
    const b = cumsum(tensor([true, true, false]));
    expect([b.dtype, b.toArray(), b.constant]).toEqual(['int32', [1, 2, 2], true]);
    expect(cumprod(tensor([true, true])).dtype).toBe('int32');
    expect(cumsum(tensor([1, 2], { dtype: 'int32' })).dtype).toBe('int32');
    expect(cumprod(tensor([1, 2], { dtype: 'float32' })).dtype).toBe('float32');
    expect(cumsum(x).constant).toBe(false);
    expect(cumsum(x, { constant: true }).constant).toBe(true);
  });
  it('handle empty inputs', () => {
    expect(cumsum(tensor([])).shape).toEqual([0]);
    expect(cumprod(tensor(new Float64Array(0), { shape: [2, 0] }), { axis: 1 }).shape).toEqual([2, 0]);
  });
  it('take exactly one integer axis or null', () => {
    expect(() => cumsum(x, { axis: [0] as unknown as number })).toThrow(MgTypeError);
    expect(() => cumprod(x, { axis: 0.5 })).toThrow(MgTypeError);
    expect(() => cumsum(x, { axis: 2 })).toThrow(AxisError);
    expect(() => cumprod(x, { axis: -3 })).toThrow(AxisError);
  });
  it('have the gradients of finite differences', () => {
    for (const axis of [null, 0, 1, -1]) {
      const input = [ramp([3, 4], 0.37, 0.2)];
      expect(checkGradients((t) => cumsum(t, { axis }), input).mismatches).toEqual([]);
      expect(checkGradients((t) => cumprod(t, { axis }), input).mismatches).toEqual([]);
    }
    expect(checkGradients((t) => cumprod(t, { axis: 1 }), [ramp([2, 3, 2], 0.41, -1.3)]).mismatches).toEqual(
      [],
    );
  });
  it('give exact cumprod gradients when the input holds zeros', () => {
    // One zero, two zeros, a zero first, and none, along each row.
    const input = { data: [2, 0, 3, 4, 2, 0, 3, 0, 0, 5, 2, 1, 2, 3, 1, 2], shape: [4, 4] };
    const t = fromInput(input);
    cumprod(t, { axis: 1 }).backward();
    // d/dx_i of Σ_j Π_{k<=j} x_k, by hand.
    expect(t.grad?.toArray()).toEqual([
      [1, 2 + 6 + 24, 0, 0],
      [1, 2 + 6, 0, 0],
      [1 + 5 + 10 + 10, 0, 0, 0],
      [1 + 3 + 3 + 6, 2 + 2 + 4, 6 + 12, 6],
    ]);
    // The cumulative product is multilinear, so finite differences agree exactly at zeros.
    expect(checkGradients((u) => cumprod(u, { axis: 1 }), [input]).mismatches).toEqual([]);
    expect(checkGradients((u) => cumprod(u, { axis: 0 }), [input]).mismatches).toEqual([]);
    expect(checkGradients((u) => cumprod(u), [input]).mismatches).toEqual([]);
  });
  it('pass gradients through a flattened 0-d scan', () => {
    const s = tensor(4);
    cumprod(s).backward(tensor([2]));
    expect(s.grad?.shape).toEqual([]);
    expect(s.grad?.item()).toBe(2);
  });
});

describe('argmax and argmin', () => {
  const x = tensor([
    [1, 7, 7],
    [9, 2, 9],
  ]);
  it('return constant int32 indices, flat by default, first occurrence at ties', () => {
    const a = argmax(x);
    expect([a.dtype, a.shape, a.item(), a.constant]).toEqual(['int32', [], 3, true]);
    expect(argmin(x).item()).toBe(0);
    expect(argmax(x, { axis: 1 }).toArray()).toEqual([1, 0]);
    expect(argmax(x, { axis: 0 }).toArray()).toEqual([1, 0, 1]);
    expect(argmin(x, { axis: -1 }).toArray()).toEqual([0, 1]);
    expect(x.argmax({ axis: 1 }).toArray()).toEqual([1, 0]);
    expect(x.argmin().item()).toBe(0);
  });
  it('point at the first NaN', () => {
    expect(argmax(tensor([1, Number.NaN, 3, Number.NaN])).item()).toBe(1);
    expect(
      argmin(
        tensor([
          [1, 2],
          [Number.NaN, 0],
        ]),
        { axis: 0 },
      ).toArray(),
    ).toEqual([1, 1]);
  });
  it('work on int, bool and 0-d inputs', () => {
    expect(argmax(tensor([3, 9, 2], { dtype: 'int32' })).item()).toBe(1);
    expect(argmax(tensor([false, true, true])).item()).toBe(1);
    expect(argmax(tensor(5)).item()).toBe(0);
    expect(argmin(tensor(5), { axis: 0 }).item()).toBe(0);
  });
  it('raise for empty searches and bad axes', () => {
    expect(() => argmax(tensor([]))).toThrow(MgValueError);
    expect(() => argmin(tensor(new Float64Array(0), { shape: [3, 0] }), { axis: 1 })).toThrow(
      /empty sequence/,
    );
    expect(argmax(tensor(new Float64Array(0), { shape: [0, 3] }), { axis: 1 }).shape).toEqual([0]);
    expect(() => argmax(x, { axis: 2 })).toThrow(AxisError);
    expect(() => argmax(x, { axis: [0] as unknown as number })).toThrow(MgTypeError);
    expect(() => argmin(tensor(5), { axis: 1 })).toThrow(AxisError);
  });
});

describe('any', () => {
  const x = tensor([
    [0, 0],
    [0, 3],
  ]);
  it('tests for truthy elements over axes as a constant bool tensor', () => {
    const a = any(x);
    expect([a.dtype, a.item(), a.constant]).toEqual(['bool', true, true]);
    expect(any(x, { axis: 1 }).toArray()).toEqual([false, true]);
    expect(any(x, { axis: 0, keepdims: true }).toArray()).toEqual([[false, true]]);
    expect(any(x, { axis: [0, 1] }).toArray()).toBe(true);
    expect(x.any({ axis: -1 }).toArray()).toEqual([false, true]);
  });
  it('counts NaN as true and an empty slice as false', () => {
    expect(any(tensor([0, Number.NaN])).item()).toBe(true);
    expect(any(tensor([])).item()).toBe(false);
    expect(any(tensor([false, false])).item()).toBe(false);
    expect(any(tensor([0, 2], { dtype: 'int32' })).item()).toBe(true);
  });
  it('accepts axis 0 or -1 on a 0-d tensor, as NumPy', () => {
    expect(any(tensor(2), { axis: 0 }).toArray()).toBe(true);
    expect(any(tensor(0), { axis: -1 }).toArray()).toBe(false);
    expect(() => any(tensor(0), { axis: [0] })).toThrow(AxisError);
  });
});

describe('composition', () => {
  it('chains reductions with other ops', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const y = sum(multiply(mean(x, { axis: 0, keepdims: true }), x));
    y.backward();
    // y = Σ_ij m_j x_ij with m_j = (x_0j + x_1j)/2, so dy/dx_ij = m_j + Σ_i x_ij / 2.
    expect(x.grad?.toArray()).toEqual([
      [4, 6],
      [4, 6],
    ]);
  });
});
