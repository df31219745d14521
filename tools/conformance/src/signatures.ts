// MyGrad's public API as Python parameter lists with a kind per parameter: what the replay needs to bind a
// recorded call's args/kwargs and to turn each value into what mg expects. Names map to mg by rule (resolve.ts).

/**
 * How a recorded value becomes a JS value:
 * - `array`: tensor-like. ARRAYs become tensors, a Python int a 0-d int32 constant tensor, a list of Python ints
 *   an int32 tensor; Python floats stay numbers and nested lists of floats stay nested arrays.
 * - `number`: a JS number (`"inf"`/`"-inf"`/`"nan"` too); other values pass through (error cases).
 * - `shape`, `axis`: integers or lists of integers (a Python float there cannot be told from an int in JS, so
 *   such a case is unsupported).
 * - `dtype`: a dtype name. `bool`: a flag (passed as-is). `tensors`: a list of tensor-likes. `index`: an index
 *   tuple for `__getitem__`. `any`: decoded generically.
 */
export type ParamKind =
  | 'array'
  | 'number'
  | 'shape'
  | 'axis'
  | 'dtype'
  | 'bool'
  | 'tensors'
  | 'index'
  | 'any';

/** One Python parameter. */
export interface ParamSpec {
  /** Python name, e.g. `lower_bound`. */
  readonly name: string;
  readonly kind: ParamKind;
  /** No default in Python (for a variadic: at least one value is expected). */
  readonly required: boolean;
  /** After `*` (or after a `*args`): can only be passed by keyword. */
  readonly keywordOnly: boolean;
  /**
   * Stays positional in mg even when optional: Python positional-only parameters (before `/`, e.g. NumPy's
   * `where(condition, x, y, /)` and `arange([start,] stop[, step])`) and variadics.
   */
  readonly positional: boolean;
  /** `*name`: takes the remaining positional arguments; mg gets them spread, as JS rest parameters. */
  readonly variadic: boolean;
}

/** A MyGrad function (dotted name) with its parameters (`self` first for Tensor methods). */
export interface Signature {
  readonly name: string;
  readonly params: readonly ParamSpec[];
}

const KINDS: readonly ParamKind[] = [
  'array',
  'number',
  'shape',
  'axis',
  'dtype',
  'bool',
  'tensors',
  'index',
  'any',
];

/**
 * Parses a compact Python-like parameter list: `x: array, axis?: axis, *, constant?: bool`. `name?` is optional,
 * `*name` variadic, a bare `*` starts keyword-only parameters, and `/` marks the parameters before it as
 * positional (Python's positional-only).
 */
export function parseParams(text: string): ParamSpec[] {
  const params: ParamSpec[] = [];
  let keywordOnly = false;
  for (const raw of text.split(',').map((p) => p.trim())) {
    if (raw === '') continue;
    if (raw === '*') {
      keywordOnly = true;
      continue;
    }
    if (raw === '/') {
      for (let i = 0; i < params.length; i++) params[i] = { ...params[i]!, positional: true };
      continue;
    }
    const match = /^(\*?)([A-Za-z_][A-Za-z0-9_]*)(\??)\s*:\s*([a-z]+)$/.exec(raw);
    if (!match || !KINDS.includes(match[4] as ParamKind))
      throw new Error(`bad parameter spec '${raw}' in '${text}'`);
    const variadic = match[1] === '*';
    params.push({
      name: match[2]!,
      kind: match[4] as ParamKind,
      required: match[3] !== '?',
      keywordOnly: keywordOnly && !variadic,
      positional: variadic,
      variadic,
    });
    if (variadic) keywordOnly = true;
  }
  return params;
}

// Parameter lists shared by families of functions.
const UFUNC_TAIL = 'out?: any, *, where?: array, dtype?: dtype, constant?: bool';
const UFUNC1 = `x: array, ${UFUNC_TAIL}`;
const UFUNC2 = `x1: array, x2: array, ${UFUNC_TAIL}`;
const PLAIN1 = 'a: array, *, constant?: bool';
const REDUCE = 'x: array, axis?: axis, keepdims?: bool, *, constant?: bool';
const MOMENT = 'x: array, axis?: axis, ddof?: number, keepdims?: bool, *, constant?: bool';
const CUMULATIVE = 'a: array, axis?: axis, *, constant?: bool';
const LIKE = 'other: array, dtype?: dtype, shape?: shape, *, constant?: bool';
const SPACE =
  'start: number, stop: number, num?: number, endpoint?: bool, dtype?: dtype, axis?: axis, *, constant?: bool';
const RANDOM_SHAPE = 'shape?: shape, *, constant?: bool';
const INIT = (extra: string) => `*shape: shape, ${extra}dtype?: dtype, constant?: bool`;
const NP_UFUNC1 = 'x: array, out?: any, *, where?: array, dtype?: dtype';
const NP_UFUNC2 = 'x1: array, x2: array, out?: any, *, where?: array, dtype?: dtype';
const NP_CLOSE = 'a: array, b: array, rtol?: number, atol?: number, equal_nan?: bool';
const BINARY_DUNDER = 'self: array, other: array';

/** Rows of [names (space-separated), parameter list]. */
const TABLE: readonly (readonly [string, string])[] = [
  // Tensor creation
  ['mygrad.tensor', 'arr_like: array, dtype?: dtype, *, constant?: bool, copy?: bool, ndmin?: number'],
  ['mygrad.astensor', 't: array, dtype?: dtype, *, constant?: bool'],
  ['mygrad.asarray', 'a: array, dtype?: dtype, order?: any'],
  ['mygrad.arange', 'start: number, stop?: number, step?: number, /, dtype?: dtype, *, constant?: bool'],
  ['mygrad.linspace mygrad.geomspace', SPACE],
  [
    'mygrad.logspace',
    'start: number, stop: number, num?: number, endpoint?: bool, base?: number, dtype?: dtype, axis?: axis, *, constant?: bool',
  ],
  ['mygrad.zeros mygrad.ones mygrad.empty', 'shape: shape, dtype?: dtype, *, constant?: bool'],
  ['mygrad.full', 'shape: shape, fill_value: array, dtype?: dtype, *, constant?: bool'],
  ['mygrad.eye', 'N: number, M?: number, k?: number, dtype?: dtype, *, constant?: bool'],
  ['mygrad.identity mygrad.nnet.initializers.identity', 'n: number, dtype?: dtype, *, constant?: bool'],
  ['mygrad.zeros_like mygrad.ones_like mygrad.empty_like', LIKE],
  ['mygrad.full_like', 'other: array, fill_value: array, dtype?: dtype, shape?: shape, constant?: bool'],
  // Random
  ['mygrad.random.rand mygrad.random.randn', '*shape: shape, constant?: bool'],
  ['mygrad.random.randint', 'low: number, high?: number, shape?: shape, dtype?: dtype'],
  ['mygrad.random.random mygrad.random.random_sample mygrad.random.ranf mygrad.random.sample', RANDOM_SHAPE],
  ['mygrad.random.seed', 'seed_number: number'],
  // Arithmetic, exponents, logarithms, trigonometric and hyperbolic ufuncs
  [
    'mygrad.add mygrad.subtract mygrad.multiply mygrad.divide mygrad.true_divide mygrad.power mygrad.logaddexp ' +
      'mygrad.logaddexp2 mygrad.arctan2 mygrad.maximum mygrad.minimum',
    UFUNC2,
  ],
  [
    'mygrad.negative mygrad.positive mygrad.reciprocal mygrad.square mygrad.exp mygrad.exp2 mygrad.expm1 ' +
      'mygrad.log mygrad.log2 mygrad.log10 mygrad.log1p mygrad.sin mygrad.cos mygrad.tan mygrad.arcsin ' +
      'mygrad.arccos mygrad.arctan mygrad.sinh mygrad.cosh mygrad.tanh mygrad.arcsinh mygrad.arccosh ' +
      'mygrad.arctanh mygrad.sqrt mygrad.cbrt mygrad.nnet.activations.tanh',
    UFUNC1,
  ],
  ['mygrad.add_sequence mygrad.multiply_sequence', '*variables: array, constant?: bool'],
  [
    'mygrad.sinc mygrad.cot mygrad.csc mygrad.sec mygrad.arccot mygrad.arccsc mygrad.arcsec mygrad.coth ' +
      'mygrad.csch mygrad.sech mygrad.arccoth mygrad.arccsch',
    PLAIN1,
  ],
  // Misc math
  ['mygrad.absolute mygrad.abs', `${UFUNC1}, nan_to_num?: bool`],
  ['mygrad.clip', 'a: array, a_min: array, a_max: array, out?: any, *, constant?: bool'],
  ['mygrad.matmul', 'x1: array, x2: array, out?: any, *, dtype?: dtype, constant?: bool'],
  ['mygrad.multi_matmul', 'tensors: tensors, *, constant?: bool'],
  // Reductions and sequential functions
  ['mygrad.sum mygrad.mean mygrad.max mygrad.min mygrad.amax mygrad.amin', REDUCE],
  ['mygrad.prod', 'a: array, axis?: axis, keepdims?: bool, *, constant?: bool'],
  ['mygrad.var mygrad.std', MOMENT],
  ['mygrad.cumsum mygrad.cumprod', CUMULATIVE],
  // Non-differentiable
  ['mygrad.any', 'a: array, axis?: axis, out?: any, keepdims?: bool'],
  ['mygrad.argmax mygrad.argmin', 'a: array, axis?: axis, out?: any'],
  // Shape manipulation
  ['mygrad.reshape', 'a: array, newshape: shape, *, constant?: bool'],
  ['mygrad.ravel', PLAIN1],
  ['mygrad.squeeze', 'a: array, axis?: axis, *, constant?: bool'],
  ['mygrad.expand_dims', 'a: array, axis: axis, *, constant?: bool'],
  ['mygrad.broadcast_to', 'a: array, shape: shape, *, constant?: bool'],
  ['mygrad.atleast_1d mygrad.atleast_2d mygrad.atleast_3d', '*tensors: array, constant?: bool'],
  ['mygrad.transpose', 'a: array, *axes: axis, constant?: bool'],
  ['mygrad.moveaxis', 'a: array, source: axis, destination: axis, *, constant?: bool'],
  ['mygrad.swapaxes', 'a: array, axis1: axis, axis2: axis, *, constant?: bool'],
  ['mygrad.roll', 'a: array, shift: shape, axis?: axis, *, constant?: bool'],
  ['mygrad.concatenate', 'tensors: tensors, axis?: axis, out?: any, dtype?: dtype, *, constant?: bool'],
  ['mygrad.stack', 'tensors: tensors, axis?: axis, out?: any, *, constant?: bool'],
  ['mygrad.repeat', 'a: array, repeats: shape, axis?: axis, *, constant?: bool'],
  // Indexing routines
  ['mygrad.where', 'condition: array, x?: array, y?: array, /, *, constant?: bool'],
  // Linear algebra
  [
    'mygrad.einsum mygrad.linalg.einsum',
    'subscripts: any, *operands: array, optimize?: any, out?: any, constant?: bool',
  ],
  [
    'mygrad.linalg.norm',
    'x: array, ord?: number, axis?: axis, keepdims?: bool, *, nan_to_num?: bool, constant?: bool',
  ],
  // Graph and memory-guard control, I/O and utilities
  ['mygrad.no_autodiff', 'func?: any, to_numpy?: bool'],
  ['mygrad.mem_guard_off mygrad.mem_guard_on', 'func?: any'],
  ['mygrad.mem_guard_active mygrad.turn_memory_guarding_off mygrad.turn_memory_guarding_on', ''],
  ['mygrad.save', 'file: any, tensor: array'],
  ['mygrad.load', 'file: any'],
  ['mygrad.sliding_window_view', 'arr: array, window_shape: shape, step: shape, dilation?: shape'],
  [
    'mygrad.execute_op',
    'Op: any, *input_vars: array, op_args?: any, op_kwargs?: any, constant?: bool, out?: any',
  ],
  // NumPy pass-throughs re-exported by MyGrad (they return plain arrays: constant tensors in mg)
  [
    'mygrad.equal mygrad.not_equal mygrad.less mygrad.less_equal mygrad.greater mygrad.greater_equal ' +
      'mygrad.logical_and mygrad.logical_or mygrad.logical_xor mygrad.floor_divide mygrad.mod mygrad.remainder ' +
      'mygrad.fmod mygrad.divmod',
    NP_UFUNC2,
  ],
  [
    'mygrad.logical_not mygrad.isnan mygrad.isinf mygrad.isfinite mygrad.isnat mygrad.floor mygrad.ceil ' +
      'mygrad.trunc mygrad.rint mygrad.sign mygrad.signbit',
    NP_UFUNC1,
  ],
  ['mygrad.allclose mygrad.isclose', NP_CLOSE],
  ['mygrad.bincount', 'x: array, weights?: array, minlength?: number'],
  ['mygrad.can_cast', 'from_: any, to: dtype, casting?: any'],
  ['mygrad.copyto', 'dst: array, src: array, casting?: any, where?: array'],
  ['mygrad.may_share_memory mygrad.shares_memory', 'a: array, b: array, max_work?: number'],
  ['mygrad.min_scalar_type mygrad.shape', 'a: array'],
  ['mygrad.result_type', '*arrays_and_dtypes: any'],
  // nnet.activations
  ['mygrad.nnet.activations.elu', 'x: array, alpha: number, *, constant?: bool'],
  ['mygrad.nnet.activations.glu', 'x: array, axis?: axis, *, constant?: bool'],
  [
    'mygrad.nnet.activations.hard_tanh',
    'x: array, *, lower_bound?: number, upper_bound?: number, constant?: bool',
  ],
  ['mygrad.nnet.activations.leaky_relu', 'x: array, slope: number, *, constant?: bool'],
  [
    'mygrad.nnet.activations.logsoftmax mygrad.nnet.activations.softmax',
    'x: array, axis?: axis, *, constant?: bool',
  ],
  [
    'mygrad.nnet.activations.relu mygrad.nnet.activations.selu mygrad.nnet.activations.sigmoid ' +
      'mygrad.nnet.activations.soft_sign',
    'x: array, *, constant?: bool',
  ],
  // nnet.losses
  ['mygrad.nnet.losses.softmax_crossentropy', 'x: array, y_true: array, *, constant?: bool'],
  [
    'mygrad.nnet.losses.negative_log_likelihood',
    'x: array, y_true: array, *, weights?: array, constant?: bool',
  ],
  [
    'mygrad.nnet.losses.margin_ranking_loss',
    'x1: array, x2: array, y: array, margin: number, *, constant?: bool',
  ],
  ['mygrad.nnet.losses.multiclass_hinge', 'x: array, y_true: array, hinge?: number, *, constant?: bool'],
  [
    'mygrad.nnet.losses.focal_loss',
    'class_probs: array, targets: array, *, alpha?: number, gamma?: number, constant?: bool',
  ],
  [
    'mygrad.nnet.losses.softmax_focal_loss',
    'scores: array, targets: array, *, alpha?: number, gamma?: number, constant?: bool',
  ],
  // nnet.layers
  [
    'mygrad.nnet.layers.conv_nd',
    'x: array, filter_bank: array, *, stride: shape, padding?: shape, dilation?: shape, constant?: bool',
  ],
  ['mygrad.nnet.layers.max_pool', 'x: array, pool: shape, stride: shape, *, constant?: bool'],
  ['mygrad.nnet.layers.batchnorm', 'x: array, *, gamma?: array, beta?: array, eps: number, constant?: bool'],
  [
    'mygrad.nnet.layers.gru',
    'X: array, Uz: array, Wz: array, bz: array, Ur: array, Wr: array, br: array, Uh: array, Wh: array, bh: array, ' +
      's0?: array, bp_lim?: number, dropout?: number, constant?: bool',
  ],
  // nnet.initializers
  ['mygrad.nnet.initializers.constant', INIT('value?: number, ')],
  ['mygrad.nnet.initializers.dirac', INIT('')],
  [
    'mygrad.nnet.initializers.glorot_normal mygrad.nnet.initializers.glorot_uniform ' +
      'mygrad.nnet.initializers.he_normal mygrad.nnet.initializers.he_uniform',
    INIT('gain?: number, '),
  ],
  ['mygrad.nnet.initializers.normal', INIT('mean?: number, std?: number, ')],
  ['mygrad.nnet.initializers.uniform', INIT('lower_bound?: number, upper_bound?: number, ')],
  // Tensor: constructor, methods (self first) and operators
  ['mygrad.Tensor', 'x: array, *, dtype?: dtype, constant?: bool, copy?: bool, ndmin?: number'],
  ['mygrad.Tensor.backward', 'self: array, grad?: array, /'],
  ['mygrad.Tensor.null_grad mygrad.Tensor.clear_graph mygrad.Tensor.item', 'self: array'],
  ['mygrad.Tensor.null_gradients', 'self: array, clear_graph?: bool'],
  ['mygrad.Tensor.astype', 'self: array, dtype: dtype, casting?: any, copy?: bool, *, constant?: bool'],
  ['mygrad.Tensor.copy mygrad.Tensor.flatten mygrad.Tensor.ravel', 'self: array, *, constant?: bool'],
  ['mygrad.Tensor.reshape', 'self: array, *newshape: shape, constant?: bool'],
  ['mygrad.Tensor.transpose', 'self: array, *axes: axis, constant?: bool'],
  ['mygrad.Tensor.squeeze', 'self: array, axis?: axis, *, constant?: bool'],
  ['mygrad.Tensor.swapaxes', 'self: array, axis1: axis, axis2: axis, *, constant?: bool'],
  ['mygrad.Tensor.moveaxis', 'self: array, source: axis, destination: axis, *, constant?: bool'],
  [
    'mygrad.Tensor.sum mygrad.Tensor.mean mygrad.Tensor.prod mygrad.Tensor.max mygrad.Tensor.min',
    'self: array, axis?: axis, keepdims?: bool, *, constant?: bool',
  ],
  [
    'mygrad.Tensor.std mygrad.Tensor.var',
    'self: array, axis?: axis, ddof?: number, keepdims?: bool, *, constant?: bool',
  ],
  ['mygrad.Tensor.cumsum mygrad.Tensor.cumprod', 'self: array, axis?: axis, *, constant?: bool'],
  ['mygrad.Tensor.argmax mygrad.Tensor.argmin', 'self: array, axis?: axis, out?: any'],
  ['mygrad.Tensor.any', 'self: array, axis?: axis, out?: any, keepdims?: bool'],
  ['mygrad.Tensor.clip', 'self: array, a_min: array, a_max: array, out?: any, *, constant?: bool'],
  [
    'mygrad.Tensor.__add__ mygrad.Tensor.__radd__ mygrad.Tensor.__sub__ mygrad.Tensor.__rsub__ ' +
      'mygrad.Tensor.__mul__ mygrad.Tensor.__rmul__ mygrad.Tensor.__truediv__ mygrad.Tensor.__rtruediv__ ' +
      'mygrad.Tensor.__pow__ mygrad.Tensor.__rpow__ mygrad.Tensor.__matmul__ mygrad.Tensor.__rmatmul__ ' +
      'mygrad.Tensor.__floordiv__ mygrad.Tensor.__rfloordiv__ mygrad.Tensor.__eq__ mygrad.Tensor.__ne__ ' +
      'mygrad.Tensor.__lt__ mygrad.Tensor.__le__ mygrad.Tensor.__gt__ mygrad.Tensor.__ge__ ' +
      'mygrad.Tensor.__iadd__ mygrad.Tensor.__isub__ mygrad.Tensor.__imul__ mygrad.Tensor.__itruediv__ ' +
      'mygrad.Tensor.__ipow__ mygrad.Tensor.__imatmul__ mygrad.Tensor.__contains__',
    BINARY_DUNDER,
  ],
  [
    'mygrad.Tensor.__neg__ mygrad.Tensor.__pos__ mygrad.Tensor.__len__ mygrad.Tensor.__iter__ ' +
      'mygrad.Tensor.__float__ mygrad.Tensor.__int__ mygrad.Tensor.__index__ mygrad.Tensor.__copy__ ' +
      'mygrad.Tensor.__repr__ mygrad.Tensor.__array__',
    'self: array',
  ],
  ['mygrad.Tensor.__getitem__', 'self: array, index: index'],
  ['mygrad.Tensor.__setitem__', 'self: array, index: index, value: array'],
];

function buildSignatures(): ReadonlyMap<string, Signature> {
  const map = new Map<string, Signature>();
  for (const [names, params] of TABLE) {
    const parsed = parseParams(params);
    for (const name of names.split(/\s+/)) {
      if (map.has(name)) throw new Error(`signature table lists ${name} twice`);
      map.set(name, { name, params: parsed });
    }
  }
  return map;
}

/** Every MyGrad function the replay knows, by dotted name. */
export const SIGNATURES: ReadonlyMap<string, Signature> = buildSignatures();

/** The signature of MyGrad's `name`, or undefined when the table lacks it. */
export function signatureOf(name: string): Signature | undefined {
  return SIGNATURES.get(name);
}

/**
 * MyGrad's operator dunders that have an mg function: the function (an @mg/core export) and whether the
 * operands are swapped (`a.__radd__(b)` is `b + a`). Dunders missing here (in-place ones, `__len__`, ...) have no
 * mg equivalent.
 */
export const DUNDERS: Readonly<Record<string, { readonly fn: string; readonly reflected: boolean }>> = {
  __add__: { fn: 'add', reflected: false },
  __radd__: { fn: 'add', reflected: true },
  __sub__: { fn: 'subtract', reflected: false },
  __rsub__: { fn: 'subtract', reflected: true },
  __mul__: { fn: 'multiply', reflected: false },
  __rmul__: { fn: 'multiply', reflected: true },
  __truediv__: { fn: 'divide', reflected: false },
  __rtruediv__: { fn: 'divide', reflected: true },
  __pow__: { fn: 'power', reflected: false },
  __rpow__: { fn: 'power', reflected: true },
  __matmul__: { fn: 'matmul', reflected: false },
  __rmatmul__: { fn: 'matmul', reflected: true },
  __floordiv__: { fn: 'floorDivide', reflected: false },
  __rfloordiv__: { fn: 'floorDivide', reflected: true },
  __eq__: { fn: 'equal', reflected: false },
  __ne__: { fn: 'notEqual', reflected: false },
  __lt__: { fn: 'less', reflected: false },
  __le__: { fn: 'lessEqual', reflected: false },
  __gt__: { fn: 'greater', reflected: false },
  __ge__: { fn: 'greaterEqual', reflected: false },
  __neg__: { fn: 'negative', reflected: false },
  __pos__: { fn: 'positive', reflected: false },
  __getitem__: { fn: 'getitem', reflected: false },
};

/**
 * MyGrad names that are reserved words in JS, so mg may export them under another name: the other names
 * to try after the camelCase one.
 */
export const RESERVED_ALIASES: Readonly<Record<string, readonly string[]>> = { var: ['variance'] };

/** MyGrad's snake_case to mg's camelCase: `lower_bound` → `lowerBound`, `atleast_1d` → `atleast1d`. */
export function camelCase(name: string): string {
  const parts = name.split('_').filter((p) => p !== '');
  if (parts.length === 0) return name;
  const [first, ...rest] = parts;
  return first! + rest.map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
}
