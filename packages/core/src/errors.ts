// Typed errors. Each names the op, what was expected and what came, and lists the Python exception classes
// MyGrad raises in the same situation (`pythonErrors`), so conformance tools can match them generically.

/** Shows a value in an error message: short, unambiguous, with its type for non-plain values. */
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

/** Base class of every error @mg packages throw on purpose. */
export class MgError extends Error {
  /** The Python exception classes MyGrad raises in this situation (most specific first). */
  readonly pythonErrors: readonly string[] = ['MyGradException'];
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A bad value for an argument: wrong shape, incompatible shapes, out-of-range parameter (Python ValueError). */
export class MgValueError extends MgError {
  override readonly pythonErrors: readonly string[] = ['ValueError'];
}

/** Shapes that cannot be broadcast together, or a shape that does not fit the data (Python ValueError). */
export class ShapeError extends MgValueError {}

/** An axis out of range for the tensor's rank, or repeated (NumPy's AxisError: a ValueError and IndexError). */
export class AxisError extends MgValueError {
  override readonly pythonErrors: readonly string[] = ['AxisError', 'ValueError', 'IndexError'];
  constructor(op: string, axis: unknown, ndim: number) {
    super(`${op}: axis ${describe(axis)} is out of bounds for a tensor of dimension ${ndim}`);
  }
}

/** An index out of range (Python IndexError). */
export class MgIndexError extends MgError {
  override readonly pythonErrors: readonly string[] = ['IndexError'];
}

/** An argument of the wrong type (Python TypeError). */
export class MgTypeError extends MgError {
  override readonly pythonErrors: readonly string[] = ['TypeError'];
  constructor(op: string, expected: string, received: unknown) {
    super(`${op}: expected ${expected}, received ${describe(received)}`);
  }
}

/** A dtype that the operation does not accept, or an unknown dtype name (Python TypeError). */
export class DTypeError extends MgTypeError {}

/** `constant: false` on an integer or bool tensor (MyGrad raises ValueError). */
export class ConstantIntegerError extends MgValueError {
  constructor(op: string, dtype: string) {
    super(
      `${op}: Integer-valued tensors must be treated as constants (got constant: false for dtype ${dtype})`,
    );
  }
}

/** Back-propagation through a graph that another `backward()` already cleared (MyGrad's InvalidBackprop). */
export class InvalidBackpropError extends MgError {
  override readonly pythonErrors: readonly string[] = ['InvalidBackprop', 'MyGradException'];
}

/** An op's backwardVar returned a gradient of the wrong shape or dtype (MyGrad's InvalidGradient). */
export class InvalidGradientError extends MgError {
  override readonly pythonErrors: readonly string[] = ['InvalidGradient', 'MyGradException'];
}

/** A second registration under an id that is taken by a different definition. */
export class RegistrationConflictError extends MgError {}

/** No backend is registered or selected, or an unknown backend name was asked for. */
export class BackendNotFoundError extends MgError {}

/** A tensor whose data was disposed was used. */
export class DisposedTensorError extends MgError {}

/** Something MyGrad supports that mg does not (yet): Python NotImplementedError. */
export class MgNotImplementedError extends MgError {
  override readonly pythonErrors: readonly string[] = ['NotImplementedError'];
}
