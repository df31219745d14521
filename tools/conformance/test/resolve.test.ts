// Names → mg packages and exports by rule, and resolution against fake modules (missing ones are unsupported).
import { describe, expect, it } from 'vitest';
import { type ModuleLoader, resolveAll, resolveFunction, targetOf } from '../src/resolve.js';

describe('targetOf', () => {
  it.each([
    ['mygrad.expand_dims', '@mg/core', [['expandDims']]],
    ['mygrad.atleast_1d', '@mg/core', [['atleast1d']]],
    ['mygrad.zeros_like', '@mg/core', [['zerosLike']]],
    ['mygrad.var', '@mg/core', [['var'], ['variance']]],
    ['mygrad.multi_matmul', '@mg/core', [['multiMatmul']]],
    ['mygrad.nnet.activations.leaky_relu', '@mg/activations', [['leakyRelu']]],
    ['mygrad.nnet.losses.softmax_crossentropy', '@mg/losses', [['softmaxCrossentropy']]],
    ['mygrad.nnet.layers.conv_nd', '@mg/layers', [['convNd']]],
    ['mygrad.nnet.initializers.glorot_normal', '@mg/layers', [['initializers', 'glorotNormal']]],
    ['mygrad.linalg.norm', '@mg/core', [['linalg', 'norm'], ['norm']]],
    ['mygrad.random.random_sample', '@mg/core', [['random', 'randomSample']]],
  ])('%s → %s %j', (name, module, paths) => {
    expect(targetOf(name)).toEqual({ kind: 'function', module, paths });
  });
  it('maps the Tensor class, its methods and dunders', () => {
    expect(targetOf('mygrad.Tensor')).toEqual({ kind: 'constructor' });
    expect(targetOf('mygrad.Tensor.null_grad')).toEqual({ kind: 'method', names: ['nullGrad'] });
    expect(targetOf('mygrad.Tensor.var')).toEqual({ kind: 'method', names: ['var', 'variance'] });
    expect(targetOf('mygrad.Tensor.__radd__')).toEqual({ kind: 'operator', fn: 'add', reflected: true });
    expect(targetOf('mygrad.Tensor.__getitem__')).toEqual({
      kind: 'operator',
      fn: 'getitem',
      reflected: false,
    });
    expect(targetOf('mygrad.Tensor.__iadd__')).toMatch(/no equivalent/);
    expect(targetOf('numpy.add')).toMatch(/no rule/);
    expect(targetOf('mygrad.computational_graph.build_graph')).toMatch(/no rule/);
  });
});

const fakeLoader =
  (modules: Record<string, Record<string, unknown>>): ModuleLoader =>
  async (specifier) =>
    modules[specifier] ?? `cannot import ${specifier}`;

describe('resolveFunction', () => {
  const calls: unknown[][] = [];
  const record =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push([name, ...args]);
      return name;
    };
  const load = fakeLoader({
    '@mg/core': { add: record('add'), linalg: { norm: record('linalg.norm') }, variance: record('variance') },
  });

  it('finds exports, namespaced ones first, and reserved-word aliases', async () => {
    const norm = await resolveFunction('mygrad.linalg.norm', load);
    expect('describe' in norm && norm.describe).toBe('@mg/core linalg.norm');
    const variance = await resolveFunction('mygrad.var', load);
    expect('describe' in variance && variance.describe).toBe('@mg/core variance');
  });

  it('reports missing packages, exports and signatures as unsupported', async () => {
    expect(await resolveFunction('mygrad.nnet.losses.focal_loss', load)).toEqual({
      unsupported: 'cannot import @mg/losses',
    });
    expect(await resolveFunction('mygrad.sum', load)).toEqual({ unsupported: '@mg/core exports no sum' });
    expect(await resolveFunction('mygrad.frobnicate', load)).toEqual({
      unsupported: 'the signature table has no mygrad.frobnicate',
    });
    expect(await resolveFunction('mygrad.Tensor.__iadd__', load)).toEqual({
      unsupported: 'mg has no equivalent of Tensor.__iadd__',
    });
  });

  it('swaps the operands of reflected dunders and passes options last', async () => {
    calls.length = 0;
    const radd = await resolveFunction('mygrad.Tensor.__radd__', load);
    const add = await resolveFunction('mygrad.add', load);
    if ('unsupported' in radd || 'unsupported' in add) throw new Error('expected both to resolve');
    radd.invoke(['self', 'other'], undefined);
    add.invoke(['a', 'b'], { constant: true });
    add.invoke(['a', undefined, undefined], undefined);
    expect(calls).toEqual([
      ['add', 'other', 'self'],
      ['add', 'a', 'b', { constant: true }],
      ['add', 'a'],
    ]);
  });

  it('calls methods on self and reports missing ones', async () => {
    const sum = await resolveFunction('mygrad.Tensor.sum', load);
    if ('unsupported' in sum) throw new Error('methods always resolve');
    const self = { sum: (o: unknown) => ['summed', o] };
    expect(sum.invoke([self], { axis: 0 })).toEqual(['summed', { axis: 0 }]);
    expect(() => sum.invoke([{}], undefined)).toThrow(/Tensor has no method sum/);
  });

  it('resolves each name once into a table', async () => {
    const table = await resolveAll(['mygrad.add', 'mygrad.add', 'mygrad.sum'], load);
    expect([...table.keys()]).toEqual(['mygrad.add', 'mygrad.sum']);
  });
});
