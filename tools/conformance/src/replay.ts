// Replays one golden case against mg: binds the recorded Python call to the signature table, decodes values,
// calls the resolved mg function, then compares result, constant flag, gradients or the raised error.
import {
  compareArrays,
  type GoldenArray,
  type GoldenCase,
  type GoldenGrad,
  type GoldenIndex,
  type GoldenValue,
  isGoldenArray,
  isPyInt,
} from '@mg/testing';
import { type FunctionTable, MissingMethodError, type ResolvedFunction } from './resolve.js';
import { camelCase, type ParamKind, type ParamSpec, type Signature } from './signatures.js';

/** The outcome of one case. */
export type Status = 'pass' | 'fail' | 'unsupported';

/** One case's outcome with the reasons (what differed, or why it could not run). */
export interface ReplayResult {
  readonly id: string;
  readonly fn: string;
  readonly status: Status;
  readonly reasons: readonly string[];
}

/** What the replay needs from an mg tensor (duck-typed, so any copy of @mg/core works). */
export interface MgTensor {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly constant: boolean;
  readonly grad: MgTensor | null;
  dataSync(): ArrayLike<number>;
  backward(grad?: unknown): void;
  dispose?(): void;
}

/** What the replay needs from @mg/core: a way to make tensors. */
export interface CoreApi {
  tensor(data: unknown, options?: Record<string, unknown>): MgTensor;
}

/** The case cannot be expressed in JS or in the table: it is unsupported, not failed. */
class Unsupported extends Error {}

/** True for mg tensors (anything with a shape and dataSync). */
export function isTensor(value: unknown): value is MgTensor {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as MgTensor).shape) &&
    typeof (value as MgTensor).dataSync === 'function'
  );
}

/** A short description of any value for messages. */
export function describeValue(value: unknown): string {
  if (isTensor(value)) return `Tensor(shape=[${value.shape.join(', ')}], dtype=${value.dtype})`;
  if (Array.isArray(value))
    return `[${value.slice(0, 4).map(describeValue).join(', ')}${value.length > 4 ? ', …' : ''}]`;
  if (value === undefined) return 'undefined';
  if (typeof value === 'object' && value !== null) return value.constructor?.name ?? 'object';
  return JSON.stringify(value) ?? String(value);
}

// ---------------------------------------------------------------------------------------------------------
// Binding: Python args/kwargs → parameters.

interface Assigned {
  readonly param: ParamSpec;
  /** The Python positional indices (one, or several for a variadic) or the keyword. */
  readonly argIndices: readonly number[];
  readonly keyword: string | null;
}

/** Binds a recorded call to a signature like Python would, or throws Unsupported. */
function bind(signature: Signature, c: GoldenCase): { assigned: Assigned[]; extraConstant: boolean } {
  const assigned = new Map<ParamSpec, Assigned>();
  const positionalParams = signature.params.filter((p) => !p.keywordOnly);
  let next = 0;
  for (let i = 0; i < c.args.length; i++) {
    const param = positionalParams[next];
    if (!param)
      throw new Unsupported(`${c.args.length} positional arguments do not fit ${signature.name}'s signature`);
    if (param.variadic) {
      assigned.set(param, { param, argIndices: c.args.map((_, j) => j).slice(i), keyword: null });
      break;
    }
    assigned.set(param, { param, argIndices: [i], keyword: null });
    next++;
  }
  let extraConstant = false;
  for (const keyword of Object.keys(c.kwargs)) {
    const param = signature.params.find((p) => p.name === keyword && !p.variadic);
    if (!param) {
      // `constant` is always an mg option, even where the table does not list it.
      if (keyword === 'constant') {
        extraConstant = true;
        continue;
      }
      throw new Unsupported(`${signature.name}'s signature has no parameter '${keyword}'`);
    }
    if (assigned.has(param)) throw new Unsupported(`'${keyword}' is given twice`);
    assigned.set(param, { param, argIndices: [], keyword });
  }
  return { assigned: [...assigned.values()], extraConstant };
}

// ---------------------------------------------------------------------------------------------------------
// Decoding: golden values → JS values, per parameter kind.

const NON_FINITE: Record<string, number> = {
  nan: Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
};

function leaves(value: GoldenValue): GoldenValue[] {
  return Array.isArray(value) ? value.flatMap(leaves) : [value];
}

class Decoder {
  /** Every tensor made for this case (to dispose at the end). */
  readonly created: MgTensor[] = [];
  private readonly argValues = new Map<number, unknown>();
  private readonly kwargValues = new Map<string, unknown>();
  private readonly decoding = new Set<number>();

  constructor(
    private readonly core: CoreApi,
    private readonly c: GoldenCase,
    private readonly argKinds: readonly ParamKind[],
  ) {}

  private make(data: unknown, options: Record<string, unknown>): MgTensor {
    const t = this.core.tensor(data, options);
    this.created.push(t);
    return t;
  }

  array(a: GoldenArray): MgTensor {
    return this.make([...a.data], {
      shape: [...a.shape],
      dtype: a.dtype,
      ...(a.constant && isFloatDtype(a.dtype) ? { constant: true } : {}),
    });
  }

  /** The JS value of Python positional argument `i` (decoded once, so refs share one tensor). */
  arg(i: number): unknown {
    if (!this.argValues.has(i)) {
      if (i >= this.c.args.length) throw new Unsupported(`a ref to missing argument ${i}`);
      if (this.decoding.has(i)) throw new Unsupported(`argument ${i} refers to itself`);
      this.decoding.add(i);
      this.argValues.set(i, this.value(this.c.args[i]!, this.argKinds[i] ?? 'any'));
    }
    return this.argValues.get(i);
  }

  /** The JS value of keyword argument `name` (decoded once, so its grad can be read after backward). */
  kwarg(name: string, kind: ParamKind): unknown {
    if (!this.kwargValues.has(name)) this.kwargValues.set(name, this.value(this.c.kwargs[name]!, kind));
    return this.kwargValues.get(name);
  }

  index(index: GoldenIndex): unknown[] {
    return index.components.map((part) => {
      if (part === null || typeof part === 'number' || part === '...') return part;
      if (part.kind === 'slice') return { start: part.start, stop: part.stop, step: part.step };
      return this.array(part);
    });
  }

  value(value: GoldenValue, kind: ParamKind): unknown {
    if (isGoldenArray(value)) return this.array(value);
    if (isPyInt(value)) return kind === 'array' ? this.make(value.value, { dtype: 'int32' }) : value.value;
    if (typeof value === 'number') {
      if ((kind === 'shape' || kind === 'axis') && Number.isInteger(value)) {
        throw new Unsupported(
          `the Python float ${value.toFixed(1)} given for an integer parameter has no JS form`,
        );
      }
      return value;
    }
    if (typeof value === 'string') {
      const numeric = kind === 'number' || kind === 'array' || kind === 'any';
      return numeric && Object.hasOwn(NON_FINITE, value) ? NON_FINITE[value] : value;
    }
    if (value === null || typeof value === 'boolean') return value;
    if (Array.isArray(value)) return this.sequence(value, kind);
    // Array.isArray does not narrow readonly arrays away.
    const encoded = value as Exclude<GoldenValue, readonly GoldenValue[] | string | number | boolean | null>;
    switch (encoded.kind) {
      case 'ref':
        return this.arg(encoded.index);
      case 'list':
        return encoded.items.map((item) => this.value(item, kind === 'tensors' ? 'array' : kind));
      case 'index':
        return this.index(encoded);
    }
    throw new Unsupported('an unknown encoded value');
  }

  private sequence(items: readonly GoldenValue[], kind: ParamKind): unknown {
    if (kind === 'array') {
      const all = leaves(items);
      // A list of Python ints is an int64 array in NumPy (an empty list is float64).
      if (all.length > 0 && all.every(isPyInt)) return this.make(this.plain(items), { dtype: 'int32' });
      if (
        all.every(
          (v) => typeof v === 'number' || typeof v === 'boolean' || isPyInt(v) || typeof v === 'string',
        )
      ) {
        return this.plain(items);
      }
    }
    return items.map((item) => this.value(item, kind === 'tensors' ? 'array' : kind));
  }

  private plain(value: GoldenValue): unknown {
    if (Array.isArray(value)) return value.map((v) => this.plain(v));
    if (isPyInt(value)) return value.value;
    if (typeof value === 'string' && Object.hasOwn(NON_FINITE, value)) return NON_FINITE[value];
    return value;
  }
}

function isFloatDtype(dtype: string): boolean {
  return dtype === 'float64' || dtype === 'float32';
}

/**
 * The mg call for a bound case: required and positional parameters in order (a variadic's values spread in
 * place, as JS rest parameters), then one options object with every other given parameter, camelCased.
 */
function assemble(
  signature: Signature,
  assigned: readonly Assigned[],
  extraConstant: boolean,
  decoder: Decoder,
): { positional: unknown[]; options: Record<string, unknown> | undefined } {
  const byParam = new Map(assigned.map((a) => [a.param, a]));
  const positional: unknown[] = [];
  const options: Record<string, unknown> = {};
  for (const param of signature.params) {
    const a = byParam.get(param);
    const value = (): unknown =>
      a!.keyword !== null ? decoder.kwarg(a!.keyword, param.kind) : decoder.arg(a!.argIndices[0]!);
    if (param.variadic) positional.push(...(a ? a.argIndices.map((i) => decoder.arg(i)) : []));
    else if (param.required || param.positional) positional.push(a ? value() : undefined);
    else if (a) options[camelCase(param.name)] = value();
  }
  if (extraConstant) options.constant = decoder.kwarg('constant', 'bool');
  return { positional, options: Object.keys(options).length > 0 ? options : undefined };
}

// ---------------------------------------------------------------------------------------------------------
// Comparison.

/**
 * The dtype whose tolerance judges a float64 result: float32 when a float32 array is among the case's arguments,
 * because the result then carries float32 rounding however NumPy typed it (e.g. a float32 sum divided by a
 * Python int is a float64 in NumPy 1.24); else float64.
 */
function workingPrecision(c: GoldenCase): 'float32' | 'float64' {
  const float32 = (value: GoldenValue): boolean =>
    isGoldenArray(value)
      ? value.dtype === 'float32'
      : Array.isArray(value)
        ? value.some(float32)
        : typeof value === 'object' && value !== null && 'list' in value
          ? (value as { list: readonly GoldenValue[] }).list.some(float32)
          : false;
  return [...c.args, ...Object.values(c.kwargs)].some(float32) ? 'float32' : 'float64';
}

/** The tolerance dtype for an expected dtype: float64 results are judged at the case's working precision. */
function judgedAs(dtype: string, precision: 'float32' | 'float64'): string {
  return dtype === 'float64' ? precision : dtype;
}

function compareTensor(
  actual: unknown,
  expected: GoldenArray,
  what: string,
  precision: 'float32' | 'float64' = 'float64',
): string[] {
  if (!isTensor(actual)) return [`${what}: got ${describeValue(actual)}, expected a tensor`];
  const problems: string[] = [];
  if (actual.shape.length !== expected.shape.length || actual.shape.some((d, i) => d !== expected.shape[i])) {
    problems.push(`${what}: shape [${actual.shape.join(', ')}], expected [${expected.shape.join(', ')}]`);
  }
  if (actual.dtype !== expected.dtype)
    problems.push(`${what}: dtype ${actual.dtype}, expected ${expected.dtype}`);
  if (problems.length === 0) {
    const difference = compareArrays(actual.dataSync(), expected.data, judgedAs(expected.dtype, precision));
    if (difference !== null) problems.push(`${what}: ${difference}`);
  }
  return problems;
}

function compareOut(
  actual: unknown,
  expected: GoldenValue,
  what: string,
  precision: 'float32' | 'float64',
): string[] {
  if (isGoldenArray(expected)) return compareTensor(actual, expected, what, precision);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [`${what}: got ${describeValue(actual)}, expected a list of ${expected.length}`];
    }
    return expected.flatMap((e, i) => compareOut(actual[i], e, `${what}[${i}]`, precision));
  }
  if (expected === null)
    return actual === null || actual === undefined
      ? []
      : [`${what}: got ${describeValue(actual)}, expected None`];
  const number = isPyInt(expected)
    ? expected.value
    : typeof expected === 'number' || typeof expected === 'boolean'
      ? Number(expected)
      : null;
  if (number !== null) {
    const value = isTensor(actual) && actual.shape.length === 0 ? actual.dataSync()[0] : actual;
    if (typeof value !== 'number' && typeof value !== 'boolean')
      return [`${what}: got ${describeValue(actual)}, expected ${number}`];
    const difference = compareArrays([Number(value)], [number], precision);
    return difference === null ? [] : [`${what}: ${difference}`];
  }
  throw new Unsupported(`cannot compare a result with ${describeValue(expected)}`);
}

function compareConstant(
  actual: unknown,
  expected: boolean | readonly boolean[] | null,
  what: string,
): string[] {
  if (expected === null) return [];
  if (typeof expected === 'boolean') {
    return isTensor(actual) && actual.constant !== expected
      ? [`${what}.constant is ${actual.constant}, expected ${expected}`]
      : [];
  }
  if (!Array.isArray(actual)) return [];
  return expected.flatMap((e, i) => compareConstant(actual[i], e, `${what}[${i}]`));
}

function compareGrad(actual: unknown, expected: GoldenGrad, what: string): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [`${what}: got ${describeValue(actual)}, expected a list of ${expected.length}`];
    }
    return expected.flatMap((e, i) => compareGrad(actual[i], e, `${what}[${i}]`));
  }
  if (expected === null) {
    if (isTensor(actual) && actual.grad !== null && actual.grad !== undefined)
      return [`${what}.grad should be null`];
    return [];
  }
  const grad = expected as GoldenArray;
  if (!isTensor(actual))
    return [`${what}: ${describeValue(actual)} is not a tensor, but MyGrad gives it a grad`];
  if (actual.grad === null || actual.grad === undefined) return [`${what}.grad is null, expected a gradient`];
  return compareTensor(actual.grad, grad, `${what}.grad`);
}

// ---------------------------------------------------------------------------------------------------------
// Errors.

function pythonErrorsOf(error: unknown): readonly string[] | null {
  const list = (error as { pythonErrors?: unknown } | null)?.pythonErrors;
  return Array.isArray(list) ? (list as string[]) : null;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0]}`;
  return String(error);
}

function isNotImplemented(error: unknown): boolean {
  return pythonErrorsOf(error)?.includes('NotImplementedError') ?? false;
}

/** Classifies an error thrown where none was expected. */
function unexpectedError(error: unknown, stage: string): { status: Status; reason: string } {
  if (error instanceof Unsupported || error instanceof MissingMethodError)
    return { status: 'unsupported', reason: error.message };
  if (isNotImplemented(error))
    return { status: 'unsupported', reason: `${stage} not implemented (${errorText(error)})` };
  return { status: 'fail', reason: `${stage} threw ${errorText(error)}` };
}

/** Judges the error of an error case. */
function judgeError(c: GoldenCase, error: unknown): { status: Status; reason: string | null } {
  if (error instanceof Unsupported || error instanceof MissingMethodError)
    return { status: 'unsupported', reason: error.message };
  const accepted = [c.raises!, ...c.raisesBases];
  const python = pythonErrorsOf(error);
  if (python === null) {
    return { status: 'fail', reason: `expected ${c.raises}, got an untyped ${errorText(error)}` };
  }
  if (python.some((name) => accepted.includes(name))) return { status: 'pass', reason: null };
  if (isNotImplemented(error))
    return { status: 'unsupported', reason: `not implemented (${errorText(error)})` };
  return {
    status: 'fail',
    reason: `expected ${accepted.join('/')}, got ${errorText(error)} [${python.join(', ')}]`,
  };
}

// ---------------------------------------------------------------------------------------------------------

function disposeAll(values: readonly unknown[]): void {
  const seen = new Set<MgTensor>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (!isTensor(value) || seen.has(value)) return;
    seen.add(value);
    visit(value.grad);
  };
  values.forEach(visit);
  for (const t of seen) {
    try {
      t.dispose?.();
    } catch {
      // Already disposed or shared storage: nothing left to free.
    }
  }
}

function run(
  c: GoldenCase,
  resolved: ResolvedFunction,
  core: CoreApi,
  keep: unknown[],
): { status: Status; reasons: string[] } {
  const { assigned, extraConstant } = bind(resolved.signature, c);
  const argKinds: ParamKind[] = [];
  for (const a of assigned) for (const i of a.argIndices) argKinds[i] = a.param.kind;
  const decoder = new Decoder(core, c, argKinds);
  keep.push(decoder.created);
  const { positional, options } = assemble(resolved.signature, assigned, extraConstant, decoder);
  const inputs = c.args.map((_, i) => decoder.arg(i));

  let result: unknown;
  try {
    result = resolved.invoke(positional, options);
  } catch (error) {
    if (c.raises !== null) {
      const { status, reason } = judgeError(c, error);
      return { status, reasons: reason ? [reason] : [] };
    }
    const { status, reason } = unexpectedError(error, 'the call');
    return { status, reasons: [reason] };
  }
  keep.push(result);
  if (c.raises !== null) {
    return {
      status: 'fail',
      reasons: [`expected ${c.raises}, but the call returned ${describeValue(result)}`],
    };
  }

  const reasons = [
    ...compareOut(result, c.out, 'out', workingPrecision(c)),
    ...compareConstant(result, c.outConstant, 'out'),
  ];
  if (reasons.length > 0) return { status: 'fail', reasons };

  if (c.upstream !== null) {
    if (!isGoldenArray(c.upstream) || !isTensor(result))
      throw new Unsupported('back-propagation from several outputs');
    const upstream = decoder.array({ ...c.upstream, constant: true });
    try {
      result.backward(upstream);
    } catch (error) {
      const { status, reason } = unexpectedError(error, 'backward()');
      return { status, reasons: [reason] };
    }
  }
  reasons.push(
    ...c.grads.flatMap((expected, i) =>
      i < inputs.length ? compareGrad(inputs[i], expected, `args[${i}]`) : [],
    ),
    ...Object.entries(c.kwgrads).flatMap(([name, expected]) =>
      Object.hasOwn(c.kwargs, name)
        ? compareGrad(decoder.kwarg(name, 'array'), expected, `kwargs.${name}`)
        : [],
    ),
  );
  return { status: reasons.length > 0 ? 'fail' : 'pass', reasons };
}

/**
 * Replays one case: resolves its function in `table`, calls it with the decoded arguments and compares the
 * outcome with the recording. Never throws: problems of the runner itself are reported as failures.
 *
 * @param c - The golden case.
 * @param table - MyGrad names → resolved mg functions (see `resolveAll`).
 * @param core - @mg/core (for `tensor`).
 */
export function replayCase(c: GoldenCase, table: FunctionTable, core: CoreApi): ReplayResult {
  const entry = table.get(c.fn);
  if (!entry) return { id: c.id, fn: c.fn, status: 'unsupported', reasons: [`${c.fn} was not resolved`] };
  if ('unsupported' in entry)
    return { id: c.id, fn: c.fn, status: 'unsupported', reasons: [entry.unsupported] };
  const keep: unknown[] = [];
  try {
    const { status, reasons } = run(c, entry, core, keep);
    return { id: c.id, fn: c.fn, status, reasons };
  } catch (error) {
    const reason = error instanceof Unsupported ? error.message : `replay error: ${errorText(error)}`;
    return {
      id: c.id,
      fn: c.fn,
      status: error instanceof Unsupported ? 'unsupported' : 'fail',
      reasons: [reason],
    };
  } finally {
    disposeAll(keep);
  }
}
