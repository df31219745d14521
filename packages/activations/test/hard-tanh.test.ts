// hardTanh: maximum(lower, minimum(x, upper)) with zero gradient at the bounds, bound validation, dtypes.

import './mode.js';

import { MgTypeError, tensor } from '@mg/core';
import { checkBackward } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { hardTanh } from '../src/index.js';
import { awayFrom } from './helpers.js';

describe('hardTanh', () => {
  it('clips to [-1, 1] by default and to the given bounds otherwise', () => {
    expect(hardTanh(tensor([-3, -1, -0.25, 0, 0.5, 1, 7])).toArray()).toEqual([-1, -1, -0.25, 0, 0.5, 1, 1]);
    const y = hardTanh(tensor([-5, -4, -3, -2, 0, 2, 3, 4]), { lowerBound: -3, upperBound: 3 });
    expect(y.toArray()).toEqual([-3, -3, -3, -2, 0, 2, 3, 3]);
    expect(hardTanh(tensor([-1, 0.1, 5]), { lowerBound: 0 }).toArray()).toEqual([0, 0.1, 1]);
  });

  it('has gradient 1 strictly inside the bounds and 0 outside and exactly at them (ties)', () => {
    const x = tensor([-2, -1, 0, 1, 3]);
    hardTanh(x).backward();
    expect(x.grad?.toArray()).toEqual([0, 0, 1, 0, 0]);
  });

  it('agrees with finite differences away from the bounds', () => {
    checkBackward((x) => hardTanh(x), { inputs: awayFrom([-1, 1]) });
    checkBackward((x) => hardTanh(x, { lowerBound: -0.5, upperBound: 2 }), { inputs: awayFrom([-0.5, 2]) });
  });

  it('accepts bounds as 0-d tensors and one-element typed arrays', () => {
    const y = hardTanh(tensor([-3, 3]), { lowerBound: tensor(-2), upperBound: Float64Array.of(2) });
    expect(y.toArray()).toEqual([-2, 2]);
  });

  it('rejects bounds that are not real scalars with a TypeError naming the bound, value and type', () => {
    expect(() => hardTanh([1], { upperBound: 'b' as unknown as number })).toThrow(MgTypeError);
    expect(() => hardTanh([1], { upperBound: 'b' as unknown as number })).toThrow(/upperBound.*b.*string/);
    expect(() => hardTanh([1], { lowerBound: null as unknown as number })).toThrow(/lowerBound.*null/);
    expect(() => hardTanh([1], { lowerBound: [1, 2] })).toThrow(MgTypeError);
    expect(() => hardTanh([1], { lowerBound: tensor([1, 2]) })).toThrow(MgTypeError);
  });

  it('keeps float32, gives float64 for ints (the bounds are float64 scalars), and propagates constant', () => {
    expect(hardTanh(tensor([-3, 3], { dtype: 'float32' })).dtype).toBe('float32');
    const i = hardTanh(tensor([-3, 0, 3], { dtype: 'int32' }));
    expect([i.dtype, i.constant]).toEqual(['float64', true]);
    expect(i.toArray()).toEqual([-1, 0, 1]);
    const x = tensor([0.5]);
    expect(hardTanh(x).constant).toBe(false);
    expect(hardTanh(x, { constant: true }).constant).toBe(true);
    expect(hardTanh([0.5], { constant: false }).constant).toBe(false);
  });
});
