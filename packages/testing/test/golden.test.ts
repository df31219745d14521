// Decoding of every value encoding of the golden fixture format, and the file/directory loaders.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type GoldenArray,
  GoldenFormatError,
  goldenFiles,
  goldenToNested,
  isGoldenArray,
  isPyInt,
  loadGoldenDir,
  loadGoldenFile,
  parseGolden,
} from '../src/index.js';

const one = (body: string) => parseGolden(`[{"id": "t/0", "fn": "mygrad.f", ${body}}]`)[0]!;

describe('parseGolden values', () => {
  it('keeps Python ints and floats apart', () => {
    const c = one('"args": [2, 2.0, 1e-05, -3, 1E+20], "kwargs": {"axis": 1, "eps": 0.5}');
    expect(c.args).toEqual([{ kind: 'int', value: 2 }, 2, 1e-5, { kind: 'int', value: -3 }, 1e20]);
    expect(c.kwargs).toEqual({ axis: { kind: 'int', value: 1 }, eps: 0.5 });
    expect(isPyInt(c.args[0])).toBe(true);
    expect(isPyInt(c.args[1])).toBe(false);
  });

  it('decodes strings, null, booleans and tuples', () => {
    const c = one('"args": ["ij->ji", null, true, [2, 3], [1.5, [2.5]]]');
    expect(c.args).toEqual([
      'ij->ji',
      null,
      true,
      [
        { kind: 'int', value: 2 },
        { kind: 'int', value: 3 },
      ],
      [1.5, [2.5]],
    ]);
  });

  it('decodes ARRAYs with non-finite values, float32 rounding and int64 as int32', () => {
    const c = one(`"args": [
      {"shape": [3], "dtype": "float64", "data": ["nan", "inf", "-inf"]},
      {"shape": [], "dtype": "float32", "data": [0.1]},
      {"shape": [2], "dtype": "int64", "data": [1, -2]},
      {"shape": [2, 0], "dtype": "float64", "data": []},
      {"shape": [1], "dtype": "float64", "data": [-0.0]}]`);
    const [nonFinite, f32, ints, empty, negZero] = c.args as GoldenArray[];
    expect(nonFinite!.data).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(nonFinite!.constant).toBe(false);
    expect(f32!.data[0]).toBe(Math.fround(0.1));
    expect(f32!.shape).toEqual([]);
    expect(ints).toMatchObject({ dtype: 'int32', sourceDtype: 'int64', data: [1, -2], constant: true });
    expect(empty).toMatchObject({ shape: [2, 0], data: [] });
    expect(Object.is(negZero!.data[0], -0)).toBe(true);
    expect(isGoldenArray(empty)).toBe(true);
  });

  it('marks constants: explicit, ndarray, and int/bool dtypes', () => {
    const c = one(`"args": [
      {"shape": [1], "dtype": "float64", "data": [1.0], "constant": true},
      {"shape": [1], "dtype": "bool", "data": [true], "kind": "ndarray"},
      {"shape": [1], "dtype": "bool", "data": [false]}]`);
    const [explicit, ndarray, bool] = c.args as GoldenArray[];
    expect(explicit).toMatchObject({ constant: true, ndarray: false });
    expect(ndarray).toMatchObject({ constant: true, ndarray: true, data: [1] });
    expect(bool).toMatchObject({ constant: true, dtype: 'bool', data: [0] });
  });

  it('decodes ref, list and index', () => {
    const c = one(`"args": [
      {"ref": 0},
      {"list": [{"shape": [1], "dtype": "float64", "data": [1.0]}, {"ref": 0}]},
      {"index": [1, null, "...", {"slice": [null, 4, -1]}, {"shape": [2], "dtype": "bool", "data": [true, false]}]}]`);
    expect(c.args[0]).toEqual({ kind: 'ref', index: 0 });
    expect(c.args[1]).toMatchObject({ kind: 'list', items: [{ kind: 'array' }, { kind: 'ref', index: 0 }] });
    expect(c.args[2]).toMatchObject({
      kind: 'index',
      components: [
        1,
        null,
        '...',
        { kind: 'slice', start: null, stop: 4, step: -1 },
        { kind: 'array', dtype: 'bool' },
      ],
    });
  });

  it('decodes results, grads, kwgrads and metadata', () => {
    const c = one(`"args": [{"shape": [1], "dtype": "float64", "data": [1.0]}, {"list": []}, 2.0],
      "kwargs": {"w": {"shape": [1], "dtype": "float64", "data": [2.0]}},
      "out": {"shape": [], "dtype": "float64", "data": [3.0]}, "out_constant": false,
      "upstream": {"shape": [], "dtype": "float64", "data": [1.0]},
      "grads": [{"shape": [1], "dtype": "float64", "data": [4.0]}, [null, {"shape": [1], "dtype": "float64", "data": [5.0]}], null],
      "kwgrads": {"w": {"shape": [1], "dtype": "float64", "data": [6.0]}},
      "tags": ["kink"], "note": "hello"`);
    expect(c.out).toMatchObject({ kind: 'array', data: [3] });
    expect(c.outConstant).toBe(false);
    expect(c.upstream).toMatchObject({ data: [1] });
    expect(c.grads[0]).toMatchObject({ data: [4] });
    expect(c.grads[1]).toEqual([null, expect.objectContaining({ data: [5] })]);
    expect(c.grads[2]).toBeNull();
    expect(c.kwgrads.w).toMatchObject({ data: [6] });
    expect(c.tags).toEqual(['kink']);
    expect(c.note).toBe('hello');
    expect(c.raises).toBeNull();
  });

  it('decodes error cases', () => {
    const c = one(
      '"args": [], "raises": "AxisError", "raises_bases": ["ValueError", "IndexError"], "message": "bad axis"',
    );
    expect(c).toMatchObject({
      raises: 'AxisError',
      raisesBases: ['ValueError', 'IndexError'],
      message: 'bad axis',
    });
    expect(c.out).toBeNull();
    expect(c.outConstant).toBeNull();
    expect(c.upstream).toBeNull();
    expect(c.grads).toEqual([]);
    expect(c.tags).toEqual([]);
  });

  it('nests ARRAY data by shape', () => {
    const c = one(
      '"args": [{"shape": [2, 1], "dtype": "int64", "data": [7, 8]}, {"shape": [], "dtype": "bool", "data": [true]}]',
    );
    expect(goldenToNested(c.args[0] as GoldenArray)).toEqual([[7], [8]]);
    expect(goldenToNested(c.args[1] as GoldenArray)).toBe(true);
  });
});

describe('parseGolden errors', () => {
  it.each([
    ['not JSON', '[{'],
    ['not a list', '{}'],
    ['no id', '[{"fn": "f"}]'],
    ['bad dtype', '[{"id": "a", "fn": "f", "args": [{"shape": [1], "dtype": "complex", "data": [1]}]}]'],
    [
      'size mismatch',
      '[{"id": "a", "fn": "f", "args": [{"shape": [2], "dtype": "float64", "data": [1.0]}]}]',
    ],
    [
      'float shape',
      '[{"id": "a", "fn": "f", "args": [{"shape": [2.0], "dtype": "float64", "data": [1.0, 2.0]}]}]',
    ],
    ['unknown object', '[{"id": "a", "fn": "f", "args": [{"what": 1}]}]'],
    ['bad slice', '[{"id": "a", "fn": "f", "args": [{"index": [{"slice": [1]}]}]}]'],
  ])('rejects %s', (_, text) => {
    expect(() => parseGolden(text, 'x.json')).toThrow(GoldenFormatError);
  });

  it('names the source and case', () => {
    expect(() => parseGolden('[{"id": "a/1", "fn": "f", "args": [{"what": 1}]}]', 'x.json')).toThrow(
      /x\.json case a\/1/,
    );
  });
});

describe('loaders', () => {
  it('loads a directory in file order, skipping MANIFEST.json and non-JSON files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-golden-'));
    writeFileSync(join(dir, 'b.json'), '[{"id": "b/0", "fn": "mygrad.b"}]');
    writeFileSync(join(dir, 'a.json'), '[{"id": "a/0", "fn": "mygrad.a"}, {"id": "a/1", "fn": "mygrad.a"}]');
    writeFileSync(join(dir, 'MANIFEST.json'), '{"files": {}}');
    writeFileSync(join(dir, 'README.md'), '# not a fixture');
    expect(goldenFiles(dir)).toEqual(['a.json', 'b.json']);
    const cases = loadGoldenDir(dir);
    expect(cases.map((c) => c.id)).toEqual(['a/0', 'a/1', 'b/0']);
    expect(cases[0]!.source).toBe(join(dir, 'a.json'));
    expect(loadGoldenFile(join(dir, 'b.json'))[0]!.fn).toBe('mygrad.b');
  });
});
