// Tolerances per dtype, element comparison edge cases (NaN, infinities, -0) and expectClose.
import { tensor } from '@mg/core';
import { describe, expect, it } from 'vitest';
import { compareArrays, expectClose, isClose, TOLERANCES, toleranceFor } from '../src/index.js';

describe('toleranceFor', () => {
  it('gives the documented tolerances', () => {
    expect(toleranceFor('float64')).toEqual({ rtol: 1e-9, atol: 1e-12 });
    expect(toleranceFor('float32')).toEqual({ rtol: 1e-4, atol: 1e-6 });
    expect(toleranceFor('int32')).toEqual({ rtol: 0, atol: 0 });
    expect(toleranceFor('int64')).toEqual({ rtol: 0, atol: 0 });
    expect(toleranceFor('bool')).toEqual(TOLERANCES.bool);
  });
});

describe('isClose', () => {
  const exact = { rtol: 0, atol: 0 };
  it('treats NaN as equal to NaN only', () => {
    expect(isClose(Number.NaN, Number.NaN, exact)).toBe(true);
    expect(isClose(Number.NaN, 1, TOLERANCES.float64)).toBe(false);
    expect(isClose(1, Number.NaN, TOLERANCES.float64)).toBe(false);
  });
  it('treats an infinity as equal only to the same infinity', () => {
    expect(isClose(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, exact)).toBe(true);
    expect(isClose(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, { rtol: 1, atol: 1 })).toBe(false);
    expect(isClose(1e308, Number.POSITIVE_INFINITY, { rtol: 1, atol: 1 })).toBe(false);
    expect(isClose(Number.POSITIVE_INFINITY, 1e308, { rtol: 1, atol: 1 })).toBe(false);
  });
  it('treats -0 as 0', () => {
    expect(isClose(-0, 0, exact)).toBe(true);
    expect(isClose(0, -0, exact)).toBe(true);
  });
  it('applies rtol relative to the expected value, plus atol', () => {
    expect(isClose(1 + 5e-10, 1, TOLERANCES.float64)).toBe(true);
    expect(isClose(1 + 5e-9, 1, TOLERANCES.float64)).toBe(false);
    expect(isClose(5e-13, 0, TOLERANCES.float64)).toBe(true);
    expect(isClose(1.00005, 1, TOLERANCES.float32)).toBe(true);
  });
});

describe('compareArrays', () => {
  it('returns null for equal arrays', () => {
    expect(
      compareArrays(
        [1, Number.NaN, -0, Number.NEGATIVE_INFINITY],
        [1, Number.NaN, 0, Number.NEGATIVE_INFINITY],
        'float64',
      ),
    ).toBeNull();
    expect(compareArrays(new Uint8Array([1, 0]), [true, false], 'bool')).toBeNull();
    expect(compareArrays(Float32Array.of(0.1), [Math.fround(0.1)], 'float32')).toBeNull();
  });
  it('describes mismatches and length differences', () => {
    expect(compareArrays([1, 2], [1, 3], 'int32')).toBe('1 of 2 elements differ: [1] got 2, expected 3');
    expect(compareArrays([1, 2, 3], [1, 2], 'float64')).toBe('length 3, expected 2');
    expect(compareArrays([0, 0, 0, 0], [1, 1, 1, 1], 'int32')).toMatch(/^4 of 4 elements differ: .*; …$/);
  });
  it('accepts an explicit tolerance', () => {
    expect(compareArrays([1.1], [1], 'float64', { rtol: 0.2, atol: 0 })).toBeNull();
  });
});

describe('expectClose', () => {
  it('passes for close values and throws otherwise', () => {
    expect(() => expectClose(tensor([0.1 + 0.2]), [0.3])).not.toThrow();
    expect(() => expectClose([1, 2], [1, 2.5])).toThrow(/1 of 2 elements differ/);
    expect(() => expectClose(1, 1.05, { rtol: 0.1 })).not.toThrow();
  });
  it('compares shapes of tensors', () => {
    expect(() => expectClose(tensor([1, 2]), tensor([[1, 2]]))).toThrow(/shape \[2\], expected \[1, 2\]/);
  });
  it("uses the tensor's dtype for the tolerance", () => {
    const x = tensor([1], { dtype: 'float32' });
    expect(() => expectClose(x, [1.00005])).not.toThrow();
    expect(() => expectClose(tensor([1]), [1.00005])).toThrow();
  });
});
