// Typed errors. Each names the op, what was expected and what came, and lists the Python exception classes
// MyGrad raises in the same situation (`pythonErrors`), so conformance tools can match them generically.

/**
 * Shows a value in an error message: short, unambiguous, with its type for non-plain values. Strings are
 * quoted, arrays show their first six items, tensors (anything with a `shape`) their shape and dtype, other
 * objects their class name.
 *
 * @param value - Anything.
 * @returns A one-line description of `value`.
 *
 * @example
 * ```ts
 * describe('int64'); // "\"int64\""
 * describe([1, [2, 3]]); // "[1, [2, 3]]"
 * describe([1, 2, 3, 4, 5, 6, 7, 8]); // "[1, 2, 3, 4, 5, 6, …]"
 * describe(tensor([[1, 2]])); // "Tensor(shape=[1, 2], dtype=float64)"
 * describe(new Map()); // "Map"
 * describe(undefined); // "undefined"
 * ```
 */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value)) {
    const inner = value.slice(0, 6).map(describe).join(', ');
    return `[${inner}${value.length > 6 ? ', …' : ''}]`;
  }
  const name = (value as { constructor?: { name?: string } }).constructor?.name ?? typeof value;
  if (typeof (value as { shape?: unknown }).shape === 'object') {
    const { shape, dtype } = value as { shape: readonly number[]; dtype?: string };
    return `${name}(shape=[${shape.join(', ')}]${dtype ? `, dtype=${dtype}` : ''})`;
  }
  return name;
}

/**
 * Base class of every error @mg packages throw on purpose: catch it to tell mg's own errors from bugs. Its
 * `name` is the concrete subclass's name.
 *
 * @example
 * ```ts
 * const err = (() => {
 *   try {
 *     sum(tensor([1, 2]), { axis: 1 });
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof MgError; // true
 * (err as MgError).name; // "AxisError"
 * new MgError('boom').pythonErrors; // ["MyGradException"]
 * ```
 */
export class MgError extends Error {
  /** The Python exception classes MyGrad raises in this situation (most specific first). */
  readonly pythonErrors: readonly string[] = ['MyGradException'];
  /** @param message - The full message, starting with the op's name. */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A bad value for an argument: wrong shape, incompatible shapes, out-of-range parameter (Python ValueError).
 *
 * @example
 * ```ts
 * const err = (() => {
 *   try {
 *     tensor([1, 2]).item();
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof MgValueError; // true
 * (err as MgValueError).pythonErrors; // ["ValueError"]
 * ```
 */
export class MgValueError extends MgError {
  override readonly pythonErrors: readonly string[] = ['ValueError'];
}

/**
 * Shapes that cannot be broadcast together, a shape that does not fit the data, or a repeated axis (Python
 * ValueError).
 *
 * @example
 * ```ts
 * const err = (() => {
 *   try {
 *     add(tensor([1, 2]), tensor([1, 2, 3]));
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof ShapeError; // true
 * err instanceof MgValueError; // true
 * (err as ShapeError).message; // "add: operands could not be broadcast together with shapes (2) (3)"
 * ```
 */
export class ShapeError extends MgValueError {}

/**
 * An axis out of range for the tensor's rank (NumPy's AxisError: a ValueError and an IndexError). A repeated
 * axis is a ShapeError, as NumPy's is a plain ValueError.
 *
 * @example
 * ```ts
 * const err = (() => {
 *   try {
 *     sum(tensor([1]), { axis: 3 });
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof AxisError; // true
 * (err as AxisError).message; // "sum: axis 3 is out of bounds for a tensor of dimension 1"
 * (err as AxisError).pythonErrors; // ["AxisError", "ValueError", "IndexError"]
 * ```
 */
export class AxisError extends MgValueError {
  override readonly pythonErrors: readonly string[] = ['AxisError', 'ValueError', 'IndexError'];
  /**
   * @param op - The function that received the axis.
   * @param axis - The axis as given.
   * @param ndim - The rank it was checked against.
   */
  constructor(op: string, axis: unknown, ndim: number) {
    super(`${op}: axis ${describe(axis)} is out of bounds for a tensor of dimension ${ndim}`);
  }
}

/**
 * An index out of range (Python IndexError).
 *
 * @example
 * ```ts
 * const err = new MgIndexError('index 5 is out of bounds for axis 0 with size 3');
 * err instanceof MgError; // true
 * err.name; // "MgIndexError"
 * err.pythonErrors; // ["IndexError"]
 * ```
 */
export class MgIndexError extends MgError {
  override readonly pythonErrors: readonly string[] = ['IndexError'];
}

/**
 * An argument of the wrong type (Python TypeError). The message reads `<op>: expected <expected>, received
 * <describe(received)>`.
 *
 * @example
 * ```ts
 * const err = (() => {
 *   try {
 *     normalizeAxis('sum', 1.5, 2);
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof MgTypeError; // true
 * (err as MgTypeError).message; // "sum: expected an integer axis, received 1.5"
 * (err as MgTypeError).pythonErrors; // ["TypeError"]
 * ```
 */
export class MgTypeError extends MgError {
  override readonly pythonErrors: readonly string[] = ['TypeError'];
  /**
   * @param op - The function that received the argument.
   * @param expected - What it accepts, as a noun phrase ("an integer axis").
   * @param received - The value it got (shown with `describe`).
   */
  constructor(op: string, expected: string, received: unknown) {
    super(`${op}: expected ${expected}, received ${describe(received)}`);
  }
}

/**
 * A dtype that the operation does not accept, or an unknown dtype name (Python TypeError).
 *
 * @example
 * ```ts
 * const err = (() => {
 *   try {
 *     tensor([1, 2], { dtype: 'complex128' });
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof DTypeError; // true
 * err instanceof MgTypeError; // true
 * ```
 */
export class DTypeError extends MgTypeError {}

/**
 * `constant: false` on an integer or bool tensor (MyGrad raises ValueError): only float tensors get
 * gradients.
 *
 * @example
 * ```ts
 * const err = (() => {
 *   try {
 *     tensor([1, 2], { dtype: 'int32', constant: false });
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof ConstantIntegerError; // true
 * (err as ConstantIntegerError).pythonErrors; // ["ValueError"]
 * ```
 */
export class ConstantIntegerError extends MgValueError {
  /**
   * @param op - The function that was asked for a non-constant tensor.
   * @param dtype - The tensor's (integer or bool) dtype.
   */
  constructor(op: string, dtype: string) {
    super(
      `${op}: Integer-valued tensors must be treated as constants (got constant: false for dtype ${dtype})`,
    );
  }
}

/**
 * Back-propagation through a graph that another `backward()` already cleared (MyGrad's InvalidBackprop).
 *
 * @example
 * ```ts
 * const x = tensor(2);
 * const y = multiply(x, 3);
 * const a = multiply(y, 2);
 * const b = multiply(y, 4);
 * a.backward(); // clears the graph through y, which b also depends on
 * const err = (() => {
 *   try {
 *     b.backward();
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof InvalidBackpropError; // true
 * ```
 */
export class InvalidBackpropError extends MgError {
  override readonly pythonErrors: readonly string[] = ['InvalidBackprop', 'MyGradException'];
}

/**
 * An op's backwardVar returned a gradient of the wrong shape, or not a tensor (MyGrad's InvalidGradient).
 *
 * @example
 * ```ts
 * class BadGrad extends Operation {
 *   static readonly id = 'demo.badGrad';
 *   forward([x]: readonly Tensor[]) {
 *     return multiply(x!, 2);
 *   }
 *   backwardVar() {
 *     return tensor([1, 2, 3]);
 *   }
 * }
 * const y = executeOp(BadGrad, [tensor([1, 2])]);
 * const err = (() => {
 *   try {
 *     y.backward();
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof InvalidGradientError; // true
 * ```
 */
export class InvalidGradientError extends MgError {
  override readonly pythonErrors: readonly string[] = ['InvalidGradient', 'MyGradException'];
}

/**
 * A second registration (of a backend, op or fused kernel) under an id that is taken by a different
 * definition, or a plugin that targets another plugin API version.
 *
 * @example
 * ```ts
 * class NotAdd extends Operation {
 *   static readonly id = 'mg.add';
 *   forward([x]: readonly Tensor[]) {
 *     return x!;
 *   }
 *   backwardVar(grad: Tensor) {
 *     return grad;
 *   }
 * }
 * const err = (() => {
 *   try {
 *     registerOp(NotAdd);
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof RegistrationConflictError; // true
 * ```
 */
export class RegistrationConflictError extends MgError {}

/**
 * No backend is registered or selected, or an unknown backend name was asked for.
 *
 * @example
 * ```ts
 * const err = await setBackend('quantum').catch((e: unknown) => e);
 * err instanceof BackendNotFoundError; // true
 * ```
 */
export class BackendNotFoundError extends MgError {}

/**
 * A tensor whose data was disposed was used.
 *
 * @example
 * ```ts
 * const x = tensor([1, 2]);
 * x.dispose();
 * const err = (() => {
 *   try {
 *     x.toArray();
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof DisposedTensorError; // true
 * ```
 */
export class DisposedTensorError extends MgError {}

/**
 * Something MyGrad supports that mg does not (yet): Python NotImplementedError.
 *
 * @example
 * ```ts
 * const err = new MgNotImplementedError('einsum: the optimize option is not supported');
 * err instanceof MgError; // true
 * err.pythonErrors; // ["NotImplementedError"]
 * ```
 */
export class MgNotImplementedError extends MgError {
  override readonly pythonErrors: readonly string[] = ['NotImplementedError'];
}

/**
 * A backend that does not implement the whole backend contract (Python TypeError).
 * @example
 * ```ts
 * new BackendContractError('registerBackend: backend x does not implement pad').pythonErrors; // ["TypeError"]
 * ```
 */
export class BackendContractError extends MgError {
  override readonly pythonErrors: readonly string[] = ['TypeError'];
}

/**
 * A plugin targets a plugin API version this @mg/core does not provide.
 * @example
 * ```ts
 * new PluginApiVersionError('needs v2').name; // "PluginApiVersionError"
 * ```
 */
export class PluginApiVersionError extends MgError {}
