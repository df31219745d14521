// Tests of norm / linalg.norm: vector norms, MyGrad's gradient conventions at zeros, dtypes and errors.
import { checkGradients, checkNoLeaks } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import {
  AxisError,
  linalg,
  MgNotImplementedError,
  MgTypeError,
  MgValueError,
  type NormOptions,
  norm,
  type Tensor,
  tensor,
} from '../src/index.js';

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

const SQRT14 = 3.7416573867739413;

describe('norm forward', () => {
  const x = () =>
    tensor([
      [1, 2, 3],
      [1, 0, 0],
    ]);

  it('computes the 2-norm along an axis, keeping it on request', () => {
    expectClose(values(norm(x(), { axis: 1 })), [SQRT14, 1]);
    const kept = norm(x(), { axis: -1, keepdims: true });
    expect(kept.shape).toEqual([2, 1]);
    expectClose(values(kept), [SQRT14, 1]);
    expect(norm(x(), { axis: [0] }).toArray()).toEqual([Math.SQRT2, 2, 3]);
  });

  it('flattens for the default order with axis null (Frobenius for matrices), like NumPy', () => {
    expect(
      norm(
        tensor([
          [3, 4],
          [0, 0],
        ]),
      ).item(),
    ).toBe(5);
    const big = tensor(
      Float64Array.from({ length: 24 }, (_, i) => i),
      { shape: [2, 3, 4] },
    );
    expectClose([norm(big).item() as number], [65.75712889109438]);
    expect(norm(big, { keepdims: true }).shape).toEqual([1, 1, 1]);
    expect(norm(tensor(-3)).item()).toBe(3);
    expect(norm(tensor([3, 4]), { ord: 2 }).item()).toBe(5);
  });

  it('computes the 1-norm, p-norms and ±inf norms', () => {
    expect(norm(x(), { axis: 0, ord: 1 }).toArray()).toEqual([2, 2, 3]);
    expectClose([norm(tensor([1, -2]), { ord: 3 }).item() as number], [2.080083823051904]);
    expectClose([norm(tensor([1, 4]), { ord: 0.5 }).item() as number], [9]);
    expectClose([norm(tensor([2, -2]), { ord: -1 }).item() as number], [1]);
    expect(norm(tensor([1, 0]), { ord: -1 }).item()).toBe(0);
    const y = tensor([
      [-3, 1],
      [2, -2],
    ]);
    expect(norm(y, { ord: Infinity, axis: 1 }).toArray()).toEqual([3, 2]);
    expect(norm(y, { ord: -Infinity, axis: 0 }).toArray()).toEqual([2, 1]);
    expect(norm(tensor([-5, 1]), { ord: Infinity }).item()).toBe(5);
    expect(norm(tensor([[[-5, 1]]]), { ord: -Infinity, keepdims: true }).toArray()).toEqual([[[1]]]);
  });

  it('gives float results for int input (constant), keeps float32, and honours constant', () => {
    const ints = norm(tensor([3, 4], { dtype: 'int32' }));
    expect(ints.dtype).toBe('float64');
    expect(ints.constant).toBe(true);
    expect(ints.item()).toBe(5);
    // The inf norms are max/min of |x|, so they keep an integer dtype (NumPy's abs(x).max()).
    expect(norm(tensor([3, -4], { dtype: 'int32' }), { ord: Infinity }).dtype).toBe('int32');
    const f32 = norm(tensor([1, -2, 0.5], { dtype: 'float32' }), { ord: 3 });
    expect(f32.dtype).toBe('float32');
    expectClose([f32.item() as number], [2.0896697], 1e-6);
    expect(norm(tensor([3, 4])).constant).toBe(false);
    expect(norm(tensor([3, 4]), { constant: true }).constant).toBe(true);
    expect(norm(tensor([3, 4]), { ord: Infinity, constant: true }).constant).toBe(true);
  });

  it.each<[string, NormOptions]>([
    ['2-norm', {}],
    ['1-norm', { ord: 1 }],
    ['3-norm', { ord: 3 }],
  ])('frees its intermediates: %s', (_name, options) => {
    for (const x of [tensor([1, -2, 3]), tensor([1, -2, 3], { dtype: 'int32' })]) {
      const { bytes, buffers } = checkNoLeaks(() => norm(x, options), { disposeResult: true });
      expect([bytes, buffers]).toEqual([0, 0]);
    }
  });

  it('is exported as linalg.norm', () => {
    expect(linalg.norm).toBe(norm);
  });
});

describe('norm gradient', () => {
  const data = { data: [0.5, -1.25, 2, -0.75, 1.5, 0.25], shape: [2, 3] };
  it.each<[string, NormOptions]>([
    ['2-norm over all', {}],
    ['2-norm along axis 1', { axis: 1 }],
    ['2-norm along axis 0, keepdims', { axis: 0, keepdims: true }],
    ['1-norm', { ord: 1, axis: -1 }],
    ['3-norm', { ord: 3, axis: 1 }],
    ['0.5-norm', { ord: 0.5, axis: 0 }],
    ['-2-norm', { ord: -2, axis: 1 }],
    ['inf-norm', { ord: Infinity, axis: 1 }],
    ['-inf-norm', { ord: -Infinity, axis: 0, keepdims: true }],
  ])('matches finite differences: %s', (_name, options) => {
    const { mismatches } = checkGradients((x) => norm(x, options), [data]);
    expect(mismatches).toEqual([]);
  });

  it('follows MyGrad at zeros: 0 for ord 1 and 2 (NaN with nanToNum false)', () => {
    const x = tensor([
      [1, 2, 3],
      [1, 0, 0],
    ]);
    norm(x, { axis: 1 }).backward();
    expectClose(values(x.grad), [0.2672612419124244, 0.5345224838248488, 0.8017837257372732, 1, 0, 0]);
    norm(x, { axis: 1, nanToNum: false }).backward();
    expectClose(values(x.grad), [0.2672612419124244, 0.5345224838248488, 0.8017837257372732, 1, NaN, NaN]);
    norm(x, { axis: 0, ord: 1 }).backward();
    expect(values(x.grad)).toEqual([1, 1, 1, 1, 0, 0]);
    norm(x, { axis: 0, ord: 1, nanToNum: false }).backward();
    expectClose(values(x.grad), [1, 1, 1, 1, NaN, NaN]);
  });

  it('gives NaN for the 2-norm of a zero vector even with nanToNum (as MyGrad)', () => {
    const x = tensor([
      [0, 0],
      [3, 4],
    ]);
    norm(x, { axis: 1 }).backward();
    expectClose(values(x.grad), [NaN, NaN, 0.6, 0.8]);
  });

  it('gives NaN at zeros for p < 1 (|x|^(p-1) is infinite there)', () => {
    const x = tensor([0, 2]);
    norm(x, { ord: 0.5 }).backward();
    expect(values(x.grad)[0]).toBeNaN();
  });

  it('sends an inf-norm’s gradient to the first extremum only (ties), with |x|’(0) = 0', () => {
    const x = tensor([
      [-3, 1],
      [2, -2],
    ]);
    norm(x, { ord: Infinity, axis: 1 }).backward();
    // -0 where a negative x gets no gradient (0 · sign(x)), as MyGrad's own -0.0: compare as numbers.
    expectClose(values(x.grad), [-1, 0, 1, 0]);
    const z = tensor([0, 5]);
    norm(z, { ord: -Infinity }).backward();
    expect(values(z.grad)).toEqual([0, 0]);
  });

  it('scales by the upstream gradient (MyGrad golden norm/2)', () => {
    const x = tensor([
      [0.5837057799974543, 0.21864829107155334, 0.9537786781608424],
      [-0.9097717229273529, -0.15848563469736035, -0.5357055323320371],
    ]);
    const y = norm(x, { ord: 1, axis: 1 });
    expectClose(values(y), [1.7561327492298502, 1.6039628899567502]);
    y.backward(tensor([-0.6202985915794712, -0.8184916774900226]));
    expectClose(
      values(x.grad),
      [
        -0.6202985915794712, -0.6202985915794712, -0.6202985915794712, 0.8184916774900226, 0.8184916774900226,
        0.8184916774900226,
      ],
    );
  });
});

describe('norm errors', () => {
  const matrix = tensor([
    [1, 2],
    [3, 4],
  ]);
  const cube = tensor(new Float64Array(8), { shape: [2, 2, 2] });
  it.each<[string, Tensor, NormOptions, new (...args: never[]) => Error]>([
    ['a matrix norm over two axes', matrix, { axis: [0, 1] }, MgNotImplementedError],
    ['a matrix norm over two axes (inf)', matrix, { axis: [1, 0], ord: Infinity }, MgNotImplementedError],
    ['an order on a 2-d tensor with axis null', matrix, { ord: 1 }, MgNotImplementedError],
    ['an inf order on a 2-d tensor with axis null', matrix, { ord: -Infinity }, MgNotImplementedError],
    ['the Frobenius order', matrix, { ord: 'fro' }, MgNotImplementedError],
    ['the nuclear order over two axes', matrix, { ord: 'nuc', axis: [0, 1] }, MgNotImplementedError],
    ['ord 0', tensor([1, 0]), { ord: 0 }, MgNotImplementedError],
    ['an invalid matrix order', matrix, { ord: 3 }, MgValueError],
    ['duplicate axes', matrix, { axis: [1, 1] }, MgValueError],
    ['three axes', cube, { axis: [0, 1, 2] }, MgValueError],
    ['an order on a 3-d tensor with axis null', cube, { ord: 1 }, MgValueError],
    ['an order on a 0-d tensor with axis null', tensor(2), { ord: 1 }, MgValueError],
    ['a string order for vectors', tensor([1, 2]), { ord: 'fro' }, MgValueError],
    ['an axis out of range', matrix, { axis: 2 }, AxisError],
    ['an axis out of range (inf)', matrix, { axis: -3, ord: Infinity }, AxisError],
    ['a non-integer axis', matrix, { axis: 0.5 }, MgTypeError],
    ['a non-boolean keepdims', matrix, { axis: 0, keepdims: 1 as unknown as boolean }, MgTypeError],
    ['a non-boolean nanToNum', matrix, { axis: 0, nanToNum: 'no' as unknown as boolean }, MgTypeError],
    ['an order of the wrong type', matrix, { axis: 0, ord: [2] as unknown as number }, MgTypeError],
  ])('rejects %s', (_name, x, options, error) => {
    expect(() => norm(x, options)).toThrow(error);
  });
});
