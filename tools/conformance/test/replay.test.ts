// replayCase on small hand-written cases: binding and decoding into the mg call, result/constant/grad
// comparison, and the judgement of errors.
import * as core from '@mg/core';
import { parseGolden } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { type CoreApi, replayCase } from '../src/replay.js';
import type { FunctionTable, ResolvedFunction, Unsupported } from '../src/resolve.js';
import { parseParams, signatureOf } from '../src/signatures.js';

const api = core as unknown as CoreApi;
const F64 = (shape: number[], data: number[], extra = '') =>
  `{"shape": ${JSON.stringify(shape)}, "dtype": "float64", "data": ${JSON.stringify(data.map((v) => (Number.isInteger(v) ? `${v}.0` : String(v)))).replaceAll('"', '')}${extra}}`;

function caseOf(fields: string) {
  return parseGolden(`[{"id": "t/0", ${fields}}]`)[0]!;
}

/** Tensors (also inside arrays and options) as plain descriptions. */
function snapshot(v: unknown): unknown {
  if (v instanceof core.Tensor)
    return { dtype: v.dtype, shape: v.shape, data: [...v.dataSync()], constant: v.constant };
  if (Array.isArray(v)) return v.map(snapshot);
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, snapshot(x)]));
  return v;
}

/** A table whose one function records the mg call and returns what `impl` returns. */
function recording(name: string, impl: (...args: unknown[]) => unknown = () => null, params?: string) {
  const calls: unknown[][] = [];
  const signature = params === undefined ? signatureOf(name)! : { name, params: parseParams(params) };
  const entry: ResolvedFunction = {
    name,
    signature,
    describe: name,
    invoke: (positional, options) => {
      const args = options ? [...positional, options] : [...positional];
      while (!options && args.length > 0 && args[args.length - 1] === undefined) args.pop();
      // Snapshot now: the replay disposes its tensors when it is done.
      calls.push(args.map(snapshot));
      return impl(...args);
    },
  };
  const table: FunctionTable = new Map<string, ResolvedFunction | Unsupported>([[name, entry]]);
  return { table, calls };
}

describe('binding and decoding', () => {
  it('puts required params positionally and optional ones in a camelCase options object', () => {
    const { table, calls } = recording('mygrad.nnet.activations.hard_tanh');
    replayCase(
      caseOf(
        `"fn": "mygrad.nnet.activations.hard_tanh", "args": [${F64([1], [0.5])}], "kwargs": {"lower_bound": -2.0, "constant": true}`,
      ),
      table,
      api,
    );
    expect(calls[0]).toEqual([
      { dtype: 'float64', shape: [1], data: [0.5], constant: false },
      { lowerBound: -2, constant: true },
    ]);
  });

  it('passes positional optionals in place, and `constant` even when the table lacks it', () => {
    const { table, calls } = recording('mygrad.sum', () => null, 'x: array, axis?: axis');
    replayCase(
      caseOf(`"fn": "mygrad.sum", "args": [${F64([2], [1, 2])}, 0], "kwargs": {"constant": false}`),
      table,
      api,
    );
    expect(calls[0]!.slice(1)).toEqual([{ axis: 0, constant: false }]);
  });

  it('turns required keyword-only params into positional ones, in order', () => {
    const { table, calls } = recording('mygrad.nnet.layers.batchnorm');
    replayCase(
      caseOf(
        `"fn": "mygrad.nnet.layers.batchnorm", "args": [${F64([2], [1, 2])}], "kwargs": {"eps": 1e-05, "gamma": ${F64([1], [2])}}`,
      ),
      table,
      api,
    );
    const [, eps, options] = calls[0]!;
    expect(eps).toBe(1e-5);
    expect(options).toMatchObject({ gamma: { data: [2] } });
  });

  it('keeps positional-only optionals positional (where) and trims missing trailing ones', () => {
    const { table, calls } = recording('mygrad.where');
    const cond = '{"shape": [1], "dtype": "bool", "data": [true], "kind": "ndarray"}';
    replayCase(caseOf(`"fn": "mygrad.where", "args": [${cond}], "kwargs": {}`), table, api);
    replayCase(caseOf(`"fn": "mygrad.where", "args": [${cond}], "kwargs": {"constant": true}`), table, api);
    expect(calls[0]).toHaveLength(1);
    expect(calls[0]![0]).toMatchObject({ dtype: 'bool', constant: true });
    expect(calls[1]!.slice(1)).toEqual([undefined, undefined, { constant: true }]);
  });

  it('spreads variadics as JS rest parameters', () => {
    const { table, calls } = recording('mygrad.Tensor.reshape');
    replayCase(
      caseOf(`"fn": "mygrad.Tensor.reshape", "args": [${F64([4], [1, 2, 3, 4])}, 2, 2], "kwargs": {}`),
      table,
      api,
    );
    replayCase(
      caseOf(`"fn": "mygrad.Tensor.reshape", "args": [${F64([4], [1, 2, 3, 4])}, [2, 2]], "kwargs": {}`),
      table,
      api,
    );
    expect(calls.map((c) => c.slice(1))).toEqual([[2, 2], [[2, 2]]]);
  });

  it('decodes Python ints, int lists, floats and nested float lists by kind', () => {
    const { table, calls } = recording('mygrad.add');
    replayCase(caseOf('"fn": "mygrad.add", "args": [2, [[1, 2]]], "kwargs": {}'), table, api);
    replayCase(caseOf('"fn": "mygrad.add", "args": [2.5, [[1.0, 2]]], "kwargs": {}'), table, api);
    replayCase(caseOf('"fn": "mygrad.add", "args": ["inf", []], "kwargs": {}'), table, api);
    expect(calls).toEqual([
      [
        { dtype: 'int32', shape: [], data: [2], constant: true },
        { dtype: 'int32', shape: [1, 2], data: [1, 2], constant: true },
      ],
      [2.5, [[1, 2]]],
      [Number.POSITIVE_INFINITY, []],
    ]);
  });

  it('decodes shapes, axes, dtypes, nan/inf numbers and index tuples', () => {
    const zeros = recording('mygrad.zeros');
    replayCase(
      caseOf('"fn": "mygrad.zeros", "args": [[2, 3]], "kwargs": {"dtype": "int64"}'),
      zeros.table,
      api,
    );
    expect(zeros.calls[0]).toEqual([[2, 3], { dtype: 'int64' }]);
    const norm = recording('mygrad.linalg.norm');
    replayCase(
      caseOf(
        `"fn": "mygrad.linalg.norm", "args": [${F64([2], [1, 2])}], "kwargs": {"ord": "-inf", "axis": null}`,
      ),
      norm.table,
      api,
    );
    expect(norm.calls[0]![1]).toEqual({ ord: Number.NEGATIVE_INFINITY, axis: null });
    const getitem = recording('mygrad.Tensor.__getitem__');
    const index =
      '{"index": [1, null, "...", {"slice": [null, 4, -1]}, {"shape": [2], "dtype": "int64", "data": [0, 1]}]}';
    replayCase(
      caseOf(`"fn": "mygrad.Tensor.__getitem__", "args": [${F64([2], [1, 2])}, ${index}], "kwargs": {}`),
      getitem.table,
      api,
    );
    const [one, newaxis, ellipsis, slice, ints] = getitem.calls[0]![1] as unknown[];
    expect([one, newaxis, ellipsis, slice]).toEqual([1, null, '...', { start: null, stop: 4, step: -1 }]);
    expect(ints).toMatchObject({ dtype: 'int32', data: [0, 1] });
  });

  it('shares one tensor for refs and decodes lists of tensors', () => {
    const { table, calls } = recording('mygrad.concatenate');
    replayCase(
      caseOf(
        `"fn": "mygrad.concatenate", "args": [{"list": [${F64([1], [1])}, ${F64([1], [2])}]}], "kwargs": {"axis": 0}`,
      ),
      table,
      api,
    );
    const [list, options] = calls[0]!;
    expect(list).toMatchObject([{ data: [1] }, { data: [2] }]);
    expect(options).toEqual({ axis: 0 });
    let same = false;
    const mul = recording('mygrad.multiply', (a, b) => {
      same = a === b;
    });
    replayCase(
      caseOf(`"fn": "mygrad.multiply", "args": [${F64([1], [3])}, {"ref": 0}], "kwargs": {}`),
      mul.table,
      api,
    );
    expect(same).toBe(true);
  });

  it('reports what JS cannot express as unsupported', () => {
    const { table } = recording('mygrad.nnet.activations.glu');
    const result = replayCase(
      caseOf(
        `"fn": "mygrad.nnet.activations.glu", "args": [${F64([2], [1, 2])}], "kwargs": {"axis": 1.0}, "raises": "TypeError"`,
      ),
      table,
      api,
    );
    expect(result.status).toBe('unsupported');
    expect(result.reasons[0]).toMatch(/Python float 1\.0/);
  });

  it('reports a self-referencing ref as unsupported', () => {
    const { table } = recording('mygrad.add');
    expect(
      replayCase(caseOf('"fn": "mygrad.add", "args": [{"ref": 0}, {"ref": 5}], "kwargs": {}'), table, api)
        .reasons[0],
    ).toMatch(/refers to itself/);
  });

  it('reports arguments that do not fit the signature as unsupported', () => {
    const { table } = recording('mygrad.negative');
    expect(
      replayCase(caseOf('"fn": "mygrad.negative", "args": [1.0, 2.0, 3.0], "kwargs": {}'), table, api),
    ).toMatchObject({ status: 'unsupported' });
    expect(
      replayCase(caseOf('"fn": "mygrad.negative", "args": [1.0], "kwargs": {"bogus": 1}'), table, api)
        .reasons[0],
    ).toMatch(/no parameter 'bogus'/);
  });
});

describe('results and gradients', () => {
  const multiply = recording('mygrad.multiply', (a, b, o) =>
    core.multiply(a as core.Tensor, b as core.Tensor, o as core.OpOptions),
  );
  const base = `"fn": "mygrad.multiply", "args": [${F64([2], [1, 2])}, ${F64([2], [3, 4])}], "kwargs": {}`;
  const grads = `"grads": [${F64([2], [3, 4])}, ${F64([2], [1, 2])}]`;
  const up = `"upstream": ${F64([2], [1, 1])}`;

  it('passes when value, dtype, shape, constant and grads agree', () => {
    const result = replayCase(
      caseOf(`${base}, "out": ${F64([2], [3, 8])}, "out_constant": false, ${up}, ${grads}`),
      multiply.table,
      api,
    );
    expect(result).toEqual({ id: 't/0', fn: 'mygrad.multiply', status: 'pass', reasons: [] });
  });

  it.each([
    ['a value', `"out": ${F64([2], [3, 9])}, "out_constant": false`, /out: 1 of 2 elements differ/],
    [
      'the shape',
      `"out": ${F64([1, 2], [3, 8])}, "out_constant": false`,
      /out: shape \[2\], expected \[1, 2\]/,
    ],
    [
      'the dtype',
      '"out": {"shape": [2], "dtype": "float32", "data": [3.0, 8.0]}, "out_constant": false',
      /dtype float64, expected float32/,
    ],
    [
      'the constant flag',
      `"out": ${F64([2], [3, 8])}, "out_constant": true`,
      /out.constant is false, expected true/,
    ],
  ])('fails on %s', (_, fields, reason) => {
    const result = replayCase(
      caseOf(`${base}, ${fields}, "upstream": null, "grads": [null, null]`),
      multiply.table,
      api,
    );
    expect(result.status).toBe('fail');
    expect(result.reasons.join('; ')).toMatch(reason);
  });

  it('judges a float64 result of float32 data at float32 tolerance, and of float64 data at float64', () => {
    const mean = recording('mygrad.mean', (x, o) => core.mean(x as core.Tensor, o as core.OpOptions));
    // The recorded mean is 1e-7 (relative) off: float32 rounding, which float64's tolerance (1e-9) refuses.
    const recorded = (dtype: string) =>
      caseOf(
        `"fn": "mygrad.mean", "args": [{"shape": [2], "dtype": "${dtype}", "data": [1.0, 2.0]}], "kwargs": {}, "out": {"shape": [], "dtype": "float64", "data": [1.50000015]}, "out_constant": false, "upstream": null, "grads": [null]`,
      );
    const asFloat64 = (x: unknown, o: unknown) =>
      core.mean(core.astype(x as core.Tensor, 'float64'), o as core.OpOptions);
    const widened = recording('mygrad.mean', asFloat64);
    expect(replayCase(recorded('float32'), widened.table, api).reasons.join('; ')).not.toMatch(/differ/);
    expect(replayCase(recorded('float64'), mean.table, api).reasons.join('; ')).toMatch(
      /out: 1 of 1 elements differ/,
    );
  });

  it('fails on a wrong gradient', () => {
    const result = replayCase(
      caseOf(
        `${base}, "out": ${F64([2], [3, 8])}, "out_constant": false, ${up}, "grads": [${F64([2], [3, 4])}, ${F64([2], [1, 5])}]`,
      ),
      multiply.table,
      api,
    );
    expect(result).toMatchObject({
      status: 'fail',
      reasons: [expect.stringMatching(/^args\[1\]\.grad: 1 of 2 elements differ/)],
    });
  });

  it('accumulates grads through refs and checks null grads of constants', () => {
    const result = replayCase(
      caseOf(
        `"fn": "mygrad.multiply", "args": [${F64([2], [1, 2])}, {"ref": 0}], "kwargs": {}, "out": ${F64([2], [1, 4])}, "out_constant": false, ${up}, "grads": [${F64([2], [2, 4])}, ${F64([2], [2, 4])}]`,
      ),
      multiply.table,
      api,
    );
    expect(result.status).toBe('pass');
    const constant = replayCase(
      caseOf(
        `"fn": "mygrad.multiply", "args": [${F64([2], [1, 2])}, ${F64([2], [3, 4], ', "constant": true')}], "kwargs": {}, "out": ${F64([2], [3, 8])}, "out_constant": false, ${up}, "grads": [${F64([2], [3, 4])}, ${F64([2], [1, 2])}]`,
      ),
      multiply.table,
      api,
    );
    expect(constant).toMatchObject({
      status: 'fail',
      reasons: ['args[1].grad is null, expected a gradient'],
    });
  });

  it('compares list arguments and keyword tensors', () => {
    const sum2 = recording('mygrad.add_sequence', (...xs) =>
      core.add(xs[0] as core.Tensor, xs[1] as core.Tensor),
    );
    const pass = replayCase(
      caseOf(
        `"fn": "mygrad.add_sequence", "args": [${F64([1], [1])}, ${F64([1], [2])}], "kwargs": {}, "out": ${F64([1], [3])}, "out_constant": false, "upstream": ${F64([1], [5])}, "grads": [${F64([1], [5])}, ${F64([1], [5])}]`,
      ),
      sum2.table,
      api,
    );
    expect(pass.status).toBe('pass');
    const stack = recording('mygrad.stack', (xs) =>
      core.add((xs as core.Tensor[])[0]!, (xs as core.Tensor[])[1]!),
    );
    const listed = replayCase(
      caseOf(
        `"fn": "mygrad.stack", "args": [{"list": [${F64([1], [1])}, ${F64([1], [2])}]}], "kwargs": {}, "out": ${F64([1], [3])}, "out_constant": false, "upstream": ${F64([1], [5])}, "grads": [[${F64([1], [5])}, ${F64([1], [6])}]]`,
      ),
      stack.table,
      api,
    );
    expect(listed).toMatchObject({
      status: 'fail',
      reasons: ['args[0][1].grad: 1 of 1 elements differ: [0] got 5, expected 6'],
    });
    const nll = recording('mygrad.nnet.losses.negative_log_likelihood', (x, _y, o) =>
      core.multiply(x as core.Tensor, (o as { weights: core.Tensor }).weights),
    );
    const kw = replayCase(
      caseOf(
        `"fn": "mygrad.nnet.losses.negative_log_likelihood", "args": [${F64([1], [2])}, {"shape": [1], "dtype": "int64", "data": [0]}], "kwargs": {"weights": ${F64([1], [3])}}, "out": ${F64([1], [6])}, "out_constant": false, "upstream": ${F64([1], [1])}, "grads": [${F64([1], [3])}, null], "kwgrads": {"weights": ${F64([1], [2])}}`,
      ),
      nll.table,
      api,
    );
    expect(kw.status).toBe('pass');
  });

  it('compares multi-output results element-wise', () => {
    const pair = recording('mygrad.atleast_1d', (a, b) => [a, b]);
    const result = replayCase(
      caseOf(
        `"fn": "mygrad.atleast_1d", "args": [${F64([1], [1])}, ${F64([1], [2])}], "kwargs": {}, "out": [${F64([1], [1])}, ${F64([1], [7])}], "out_constant": [false, false], "upstream": null, "grads": [null, null]`,
      ),
      pair.table,
      api,
    );
    expect(result).toMatchObject({
      status: 'fail',
      reasons: ['out[1]: 1 of 1 elements differ: [0] got 2, expected 7'],
    });
  });
});

describe('errors', () => {
  const throwing = (error: unknown) =>
    recording('mygrad.sum', () => {
      throw error;
    });
  const errorCase = (raises: string, bases: string[] = []) =>
    caseOf(
      `"fn": "mygrad.sum", "args": [${F64([2], [1, 2])}], "kwargs": {"axis": 2}, "raises": "${raises}", "raises_bases": ${JSON.stringify(bases)}`,
    );

  it('passes when the typed error lists the class or one of its bases', () => {
    expect(
      replayCase(
        errorCase('AxisError', ['ValueError', 'IndexError']),
        throwing(new core.AxisError('sum', 2, 1)).table,
        api,
      ).status,
    ).toBe('pass');
    expect(
      replayCase(errorCase('AxisError', ['ValueError']), throwing(new core.MgValueError('bad')).table, api)
        .status,
    ).toBe('pass');
  });

  it('fails on the wrong class, an untyped error, or no error', () => {
    const wrong = replayCase(
      errorCase('ValueError'),
      throwing(new core.MgTypeError('sum', 'x', 1)).table,
      api,
    );
    expect(wrong).toMatchObject({
      status: 'fail',
      reasons: [expect.stringMatching(/expected ValueError, got MgTypeError.*\[TypeError\]/)],
    });
    const native = replayCase(errorCase('ValueError'), throwing(new RangeError('oops')).table, api);
    expect(native).toMatchObject({
      status: 'fail',
      reasons: ['expected ValueError, got an untyped RangeError: oops'],
    });
    const none = replayCase(errorCase('ValueError'), recording('mygrad.sum', () => 1).table, api);
    expect(none).toMatchObject({ status: 'fail', reasons: ['expected ValueError, but the call returned 1'] });
  });

  it('counts not-implemented functions as unsupported, unless NotImplementedError is expected', () => {
    const todo = throwing(new core.MgNotImplementedError('sum')).table;
    expect(replayCase(errorCase('ValueError'), todo, api).status).toBe('unsupported');
    expect(replayCase(errorCase('NotImplementedError'), todo, api).status).toBe('pass');
    const ok = caseOf(
      `"fn": "mygrad.sum", "args": [${F64([2], [1, 2])}], "kwargs": {}, "out": ${F64([], [3])}`,
    );
    expect(replayCase(ok, todo, api)).toMatchObject({
      status: 'unsupported',
      reasons: [expect.stringMatching(/not implemented/)],
    });
  });

  it('fails when a call that should succeed throws', () => {
    const ok = caseOf(
      `"fn": "mygrad.sum", "args": [${F64([2], [1, 2])}], "kwargs": {}, "out": ${F64([], [3])}`,
    );
    expect(replayCase(ok, throwing(new TypeError('x.map is not a function')).table, api)).toMatchObject({
      status: 'fail',
      reasons: ['the call threw TypeError: x.map is not a function'],
    });
  });

  it('treats unresolved functions and missing methods as unsupported', () => {
    const table: FunctionTable = new Map([['mygrad.sum', { unsupported: '@mg/core exports no sum' }]]);
    expect(replayCase(errorCase('ValueError'), table, api)).toMatchObject({
      status: 'unsupported',
      reasons: ['@mg/core exports no sum'],
    });
    expect(replayCase(caseOf('"fn": "mygrad.nope", "args": []'), table, api).status).toBe('unsupported');
  });
});
