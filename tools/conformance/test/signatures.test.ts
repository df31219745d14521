// The signature table: its mini-language, camelCase, and coverage of MyGrad's public API.
import { loadGoldenDir } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { camelCase, DUNDERS, parseParams, SIGNATURES, signatureOf } from '../src/signatures.js';

describe('parseParams', () => {
  it('reads required, optional, keyword-only and variadic parameters', () => {
    expect(parseParams('x: array, axis?: axis, *, constant?: bool')).toEqual([
      { name: 'x', kind: 'array', required: true, keywordOnly: false, positional: false, variadic: false },
      { name: 'axis', kind: 'axis', required: false, keywordOnly: false, positional: false, variadic: false },
      {
        name: 'constant',
        kind: 'bool',
        required: false,
        keywordOnly: true,
        positional: false,
        variadic: false,
      },
    ]);
    const [a, axes, constant] = parseParams('a: array, *axes: axis, constant?: bool');
    expect(axes).toMatchObject({ variadic: true, positional: true, keywordOnly: false });
    expect(constant).toMatchObject({ keywordOnly: true });
    expect(a).toMatchObject({ required: true });
  });
  it('marks the parameters before / as positional', () => {
    const params = parseParams('condition: array, x?: array, y?: array, /, *, constant?: bool');
    expect(params.map((p) => p.positional)).toEqual([true, true, true, false]);
  });
  it('rejects malformed specs', () => {
    expect(() => parseParams('x array')).toThrow(/bad parameter spec/);
    expect(() => parseParams('x: tensorish')).toThrow(/bad parameter spec/);
  });
  it('accepts an empty list', () => {
    expect(parseParams('')).toEqual([]);
  });
});

describe('camelCase', () => {
  it.each([
    ['keepdims', 'keepdims'],
    ['lower_bound', 'lowerBound'],
    ['nan_to_num', 'nanToNum'],
    ['expand_dims', 'expandDims'],
    ['atleast_1d', 'atleast1d'],
    ['zeros_like', 'zerosLike'],
    ['var', 'var'],
    ['multi_matmul', 'multiMatmul'],
    ['softmax_crossentropy', 'softmaxCrossentropy'],
    ['y_true', 'yTrue'],
  ])('%s → %s', (python, js) => {
    expect(camelCase(python)).toBe(js);
  });
});

describe('coverage', () => {
  it('has a signature for every function of the committed fixtures', () => {
    const fixtures = new URL('../fixtures', import.meta.url).pathname;
    const missing = [...new Set(loadGoldenDir(fixtures).map((c) => c.fn))].filter((fn) => !signatureOf(fn));
    expect(missing).toEqual([]);
  });

  const count = (prefix: string) =>
    [...SIGNATURES.keys()].filter(
      (name) => name.startsWith(prefix) && !name.slice(prefix.length).includes('.'),
    ).length;
  it('covers each group of the MyGrad API inventory', () => {
    expect(count('mygrad.nnet.activations.')).toBe(11);
    expect(count('mygrad.nnet.losses.')).toBe(6);
    expect(count('mygrad.nnet.layers.')).toBe(4);
    expect(count('mygrad.nnet.initializers.')).toBe(9);
    expect(count('mygrad.random.')).toBe(8);
    expect(count('mygrad.linalg.')).toBe(2);
    const methods = [...SIGNATURES.keys()].filter((n) => /^mygrad\.Tensor\.[a-z]/.test(n));
    expect(methods).toHaveLength(27);
    for (const name of [
      'tensor',
      'arange',
      'full_like',
      'add_sequence',
      'arccsch',
      'cumprod',
      'argmin',
      'repeat',
      'where',
      'einsum',
    ]) {
      expect(signatureOf(`mygrad.${name}`), name).toBeDefined();
    }
  });

  it('gives every mapped dunder a signature', () => {
    for (const dunder of Object.keys(DUNDERS))
      expect(signatureOf(`mygrad.Tensor.${dunder}`), dunder).toBeDefined();
  });

  it('describes Tensor methods with self first', () => {
    for (const [name, signature] of SIGNATURES) {
      if (/^mygrad\.Tensor\.\w+$/.test(name)) expect(signature.params[0]?.name, name).toBe('self');
    }
  });
});
