// Loader for golden fixtures: JSON cases recorded from the real MyGrad (format: the fixtures' README.md),
// decoded into typed values that keep Python's int/float distinction.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isInteger, parse } from 'lossless-json';

/** A dtype as written in the fixtures (`int64` is NumPy's default integer). */
export type GoldenDType = 'float64' | 'float32' | 'int64' | 'int32' | 'bool';

/** The mg dtype a fixture dtype stands for: NumPy's int64 is mg's int32; the others are the same. */
export type GoldenMgDType = 'float64' | 'float32' | 'int32' | 'bool';

/**
 * A decoded ARRAY: flat row-major values with their shape. float32 values are rounded with `Math.fround`,
 * `"nan"`/`"inf"`/`"-inf"` are numbers again, bools are 0/1.
 */
export interface GoldenArray {
  readonly kind: 'array';
  readonly shape: readonly number[];
  /** The mg dtype (`int64` in the file becomes `int32`). */
  readonly dtype: GoldenMgDType;
  /** The dtype as written in the file. */
  readonly sourceDtype: GoldenDType;
  readonly data: readonly number[];
  /** True when the fixture marks it constant, it is a plain NumPy array, or its dtype is int/bool. */
  readonly constant: boolean;
  /** True for `"kind": "ndarray"`: a plain NumPy array in MyGrad, a constant in a port. */
  readonly ndarray: boolean;
}

/** A Python `int` (JSON numbers without `.` or exponent); Python floats decode to plain JS numbers. */
export interface PyInt {
  readonly kind: 'int';
  readonly value: number;
}

/** `{"ref": i}`: the very tensor object passed as positional argument `i`. */
export interface GoldenRef {
  readonly kind: 'ref';
  readonly index: number;
}

/** `{"list": [...]}`: a Python list of tensors (for `concatenate`, `stack`, `multi_matmul`). */
export interface GoldenList {
  readonly kind: 'list';
  readonly items: readonly GoldenValue[];
}

/** A slice `start:stop:step` of an index tuple; null entries were omitted in Python. */
export interface GoldenSlice {
  readonly kind: 'slice';
  readonly start: number | null;
  readonly stop: number | null;
  readonly step: number | null;
}

/** One component of an index tuple: an int, `null` (np.newaxis), `'...'`, a slice or an int/bool array. */
export type GoldenIndexComponent = number | null | '...' | GoldenSlice | GoldenArray;

/** `{"index": [...]}`: the index tuple of a `__getitem__` call. */
export interface GoldenIndex {
  readonly kind: 'index';
  readonly components: readonly GoldenIndexComponent[];
}

/**
 * Any decoded value. JSON arrays that are not ARRAYs are Python tuples/lists (shapes, axes, nested data);
 * strings are dtype names or einsum specs; null is None.
 */
export type GoldenValue =
  | GoldenArray
  | PyInt
  | GoldenRef
  | GoldenList
  | GoldenIndex
  | number
  | string
  | boolean
  | null
  | readonly GoldenValue[];

/** An expected gradient: an ARRAY, null (no grad), or a list of them for a `{list}` argument. */
export type GoldenGrad = GoldenArray | null | readonly GoldenGrad[];

/** One recorded call of a MyGrad function with its result, gradients or error. */
export interface GoldenCase {
  /** Unique id, e.g. `elu/1`. */
  readonly id: string;
  /** MyGrad's dotted name, e.g. `mygrad.nnet.activations.elu` or `mygrad.Tensor.__radd__`. */
  readonly fn: string;
  readonly args: readonly GoldenValue[];
  readonly kwargs: Readonly<Record<string, GoldenValue>>;
  /** The result (an ARRAY, a list of ARRAYs for multi-output functions, or a plain value); null for errors. */
  readonly out: GoldenValue;
  /** The result's `constant` flag (a list for multi-output results); null for errors. */
  readonly outConstant: boolean | readonly boolean[] | null;
  /** The gradient fed to `out.backward()`, or null when the result is constant (or for errors). */
  readonly upstream: GoldenValue;
  /** Per positional argument, its expected `.grad`. */
  readonly grads: readonly GoldenGrad[];
  /** Per tensor-valued keyword argument, its expected `.grad`. */
  readonly kwgrads: Readonly<Record<string, GoldenGrad>>;
  /** The Python exception class MyGrad raised, or null. */
  readonly raises: string | null;
  /** The built-in base classes of `raises` (any of them is an acceptable match). */
  readonly raisesBases: readonly string[];
  /** The first line of the Python error message (informative only). */
  readonly message: string | null;
  /** e.g. `['kink']` for non-differentiable points, where grads follow MyGrad's conventions. */
  readonly tags: readonly string[];
  readonly note: string | null;
  /** Where the case came from (file path or the `source` given to `parseGolden`). */
  readonly source: string;
}

/**
 * A fixture that does not follow the format; the message names the source and case.
 *
 * @example
 * ```ts
 * let error = null;
 * try {
 *   parseGolden('[{"id": "a/0", "fn": "f", "args": [{"what": 1}]}]', 'x.json');
 * } catch (e) {
 *   error = e;
 * }
 * error instanceof GoldenFormatError; // true
 * error.message; // "x.json case a/0: unknown encoded value with keys what"
 * ```
 */
export class GoldenFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoldenFormatError';
  }
}

/** Integer JSON numbers, kept apart from floats until decoding. */
class RawInt {
  constructor(readonly text: string) {}
}

type Json = RawInt | number | string | boolean | null | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RawInt);
}

const DTYPES: Record<string, GoldenMgDType> = {
  float64: 'float64',
  float32: 'float32',
  int64: 'int32',
  int32: 'int32',
  bool: 'bool',
};

const NON_FINITE: Record<string, number> = {
  nan: Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
};

class Decoder {
  constructor(private where: string) {}

  fail(what: string): never {
    throw new GoldenFormatError(`${this.where}: ${what}`);
  }

  int(value: Json | undefined, what: string): number {
    if (value instanceof RawInt) return Number(value.text);
    return this.fail(`${what} must be an integer, got ${JSON.stringify(value)}`);
  }

  number(value: Json | undefined, what: string): number {
    if (value instanceof RawInt) return Number(value.text);
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && Object.hasOwn(NON_FINITE, value)) return NON_FINITE[value]!;
    if (typeof value === 'boolean') return value ? 1 : 0;
    return this.fail(`${what} must be a number, got ${JSON.stringify(value)}`);
  }

  array(value: { [key: string]: Json }): GoldenArray {
    const { shape, dtype, data } = value;
    if (!Array.isArray(shape)) this.fail('ARRAY without a shape list');
    if (typeof dtype !== 'string' || !Object.hasOwn(DTYPES, dtype))
      this.fail(`unknown ARRAY dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(data)) this.fail('ARRAY without a data list');
    const dims = shape.map((d, i) => this.int(d, `shape[${i}]`));
    const size = dims.reduce((a, b) => a * b, 1);
    if (data.length !== size)
      this.fail(`ARRAY data has ${data.length} values for shape [${dims.join(', ')}]`);
    const mgDtype = DTYPES[dtype]!;
    const values = data.map((v, i) => this.number(v, `data[${i}]`));
    const rounded = mgDtype === 'float32' ? values.map(Math.fround) : values;
    const ndarray = value.kind === 'ndarray';
    return {
      kind: 'array',
      shape: dims,
      dtype: mgDtype,
      sourceDtype: dtype as GoldenDType,
      data: rounded,
      constant: value.constant === true || ndarray || mgDtype === 'int32' || mgDtype === 'bool',
      ndarray,
    };
  }

  slice(value: Json | undefined): GoldenSlice {
    if (!Array.isArray(value) || value.length !== 3) this.fail('slice must be [start, stop, step]');
    const [start, stop, step] = value.map((v, i) => (v === null ? null : this.int(v, `slice[${i}]`)));
    return { kind: 'slice', start: start!, stop: stop!, step: step! };
  }

  indexComponent(value: Json): GoldenIndexComponent {
    if (value === null) return null;
    if (value === '...') return '...';
    if (value instanceof RawInt) return Number(value.text);
    if (isObject(value)) {
      if ('slice' in value) return this.slice(value.slice);
      if ('shape' in value) return this.array(value);
    }
    return this.fail(`bad index component ${JSON.stringify(value)}`);
  }

  value(value: Json): GoldenValue {
    if (value instanceof RawInt) return { kind: 'int', value: Number(value.text) };
    if (Array.isArray(value)) return value.map((v) => this.value(v));
    if (!isObject(value)) return value;
    if ('shape' in value && 'data' in value) return this.array(value);
    if ('ref' in value) return { kind: 'ref', index: this.int(value.ref, 'ref') };
    if ('list' in value) {
      if (!Array.isArray(value.list)) this.fail('list must hold a JSON array');
      return { kind: 'list', items: value.list.map((v) => this.value(v)) };
    }
    if ('index' in value) {
      if (!Array.isArray(value.index)) this.fail('index must hold a JSON array');
      return { kind: 'index', components: value.index.map((v) => this.indexComponent(v)) };
    }
    return this.fail(`unknown encoded value with keys ${Object.keys(value).join(', ')}`);
  }

  grad(value: Json | undefined): GoldenGrad {
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) return value.map((v) => this.grad(v));
    if (isObject(value)) return this.array(value);
    return this.fail(`bad gradient ${JSON.stringify(value)}`);
  }

  strings(value: Json | undefined, what: string): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
      this.fail(`${what} must be a list of strings`);
    return value as string[];
  }

  optionalString(value: Json | undefined, what: string): string | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') this.fail(`${what} must be a string`);
    return value;
  }
}

function decodeCase(raw: Json, source: string, position: number): GoldenCase {
  const top: Decoder = new Decoder(`${source} case #${position}`);
  if (!isObject(raw)) top.fail('a case must be a JSON object');
  const id = raw.id;
  const fn = raw.fn;
  if (typeof id !== 'string' || typeof fn !== 'string') top.fail('a case needs string "id" and "fn"');
  const d: Decoder = new Decoder(`${source} case ${id}`);
  const args = raw.args ?? [];
  if (!Array.isArray(args)) d.fail('"args" must be a list');
  const kwargs = raw.kwargs ?? {};
  if (!isObject(kwargs)) d.fail('"kwargs" must be an object');
  const kwgrads = raw.kwgrads ?? {};
  if (!isObject(kwgrads)) d.fail('"kwgrads" must be an object');
  const grads = raw.grads ?? [];
  if (!Array.isArray(grads)) d.fail('"grads" must be a list');
  const outConstant = raw.out_constant;
  let constantFlag: boolean | boolean[] | null = null;
  if (typeof outConstant === 'boolean') constantFlag = outConstant;
  else if (Array.isArray(outConstant) && outConstant.every((v) => typeof v === 'boolean'))
    constantFlag = outConstant as boolean[];
  else if (outConstant !== undefined && outConstant !== null) d.fail('"out_constant" must be a boolean');
  return {
    id,
    fn,
    args: args.map((a) => d.value(a)),
    kwargs: Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, d.value(v)])),
    out: raw.out === undefined ? null : d.value(raw.out),
    outConstant: constantFlag,
    upstream: raw.upstream === undefined ? null : d.value(raw.upstream),
    grads: grads.map((g) => d.grad(g)),
    kwgrads: Object.fromEntries(Object.entries(kwgrads).map(([k, v]) => [k, d.grad(v)])),
    raises: d.optionalString(raw.raises, '"raises"'),
    raisesBases: d.strings(raw.raises_bases, '"raises_bases"'),
    message: d.optionalString(raw.message, '"message"'),
    tags: d.strings(raw.tags, '"tags"'),
    note: d.optionalString(raw.note, '"note"'),
    source,
  };
}

/**
 * Parses the text of one fixture file (a JSON array of cases). Numbers are read losslessly, so `2` decodes to
 * the Python int `{ kind: 'int', value: 2 }` while `2.0` decodes to the JS number `2`.
 *
 * @param text - The JSON text.
 * @param source - A name for error messages and `GoldenCase.source`.
 * @returns The decoded cases, in file order.
 * @throws GoldenFormatError when the text is not valid JSON or does not follow the format.
 * @example
 * ```ts
 * const [c] = parseGolden('[{"id": "add/0", "fn": "mygrad.add", "args": [2, 2.0], "kwargs": {}}]');
 * c.args; // [{"kind":"int","value":2},2]
 * c.raises; // null
 * ```
 */
export function parseGolden(text: string, source = '<text>'): GoldenCase[] {
  let raw: Json;
  try {
    raw = parse(text, null, (value: string) =>
      isInteger(value) ? new RawInt(value) : Number(value),
    ) as Json;
  } catch (error) {
    throw new GoldenFormatError(`${source}: invalid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(raw))
    throw new GoldenFormatError(`${source}: a fixture file must hold a JSON array of cases`);
  return raw.map((c, i) => decodeCase(c, source, i));
}

/**
 * Reads and decodes one fixture file.
 *
 * @param path - The path of a `*.json` fixture file.
 * @returns Its cases, in file order.
 * @throws GoldenFormatError for malformed content; Node's file errors when it cannot be read.
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const file = join(mkdtempSync(join(tmpdir(), 'golden-')), 'neg.json');
 * writeFileSync(file, '[{"id": "n/0", "fn": "mygrad.negative", "args": [1.5], "kwargs": {}, "out": -1.5}]');
 * loadGoldenFile(file)[0].out; // -1.5
 * ```
 */
export function loadGoldenFile(path: string): GoldenCase[] {
  return parseGolden(readFileSync(path, 'utf8'), path);
}

/**
 * Reads every `*.json` fixture file of a directory (except `MANIFEST.json`), in file-name order.
 *
 * @param dir - The fixture directory.
 * @returns All cases of all files.
 * @throws GoldenFormatError for malformed content; Node's file errors when the directory cannot be read.
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const dir = mkdtempSync(join(tmpdir(), 'golden-'));
 * writeFileSync(join(dir, 'a.json'), '[{"id": "a/0", "fn": "mygrad.abs", "args": [-1.0], "kwargs": {}}]');
 * writeFileSync(join(dir, 'MANIFEST.json'), '{"files": {}}');
 * loadGoldenDir(dir).map((c) => c.id); // ["a/0"]
 * ```
 */
export function loadGoldenDir(dir: string): GoldenCase[] {
  return goldenFiles(dir).flatMap((file) => loadGoldenFile(join(dir, file)));
}

/**
 * The fixture file names of a directory: every `*.json` except `MANIFEST.json`, sorted.
 *
 * @param dir - The fixture directory.
 * @returns File names (not paths).
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const dir = mkdtempSync(join(tmpdir(), 'golden-'));
 * for (const name of ['b.json', 'a.json', 'MANIFEST.json', 'README.md']) writeFileSync(join(dir, name), '[]');
 * goldenFiles(dir); // ["a.json","b.json"]
 * ```
 */
export function goldenFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && name !== 'MANIFEST.json')
    .sort();
}

/**
 * True when `value` is a decoded ARRAY.
 *
 * @example
 * ```ts
 * isGoldenArray({ kind: 'int', value: 1 }); // false
 * ```
 */
export function isGoldenArray(value: unknown): value is GoldenArray {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'array';
}

/**
 * True when `value` is a decoded Python int.
 *
 * @example
 * ```ts
 * isPyInt(parseGolden('[{"id": "i", "fn": "f", "args": [3]}]')[0].args[0]); // true
 * ```
 */
export function isPyInt(value: unknown): value is PyInt {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'int';
}

/**
 * Nests the flat data of an ARRAY by its shape (a plain number or boolean for a 0-d array).
 *
 * @example
 * ```ts
 * const array = {
 *   kind: 'array', shape: [2, 2], dtype: 'bool', sourceDtype: 'bool', data: [1, 0, 0, 1], constant: true, ndarray: false,
 * };
 * goldenToNested(array); // [[true,false],[false,true]]
 * ```
 */
export function goldenToNested(array: GoldenArray): NestedValue {
  const read = (i: number): number | boolean =>
    array.dtype === 'bool' ? array.data[i] !== 0 : array.data[i]!;
  if (array.shape.length === 0) return read(0);
  let offset = 0;
  const build = (axis: number): NestedValue[] => {
    const out: NestedValue[] = [];
    for (let i = 0; i < array.shape[axis]!; i++)
      out.push(axis === array.shape.length - 1 ? read(offset++) : build(axis + 1));
    return out;
  };
  return build(0);
}

/** Nested JS arrays of numbers or booleans. */
export type NestedValue = number | boolean | NestedValue[];
