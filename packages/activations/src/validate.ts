// Validation shared by the activations: MyGrad's checks on scalar parameters and axes.
import { MgTypeError, normalizeAxes, Tensor, type TensorLike } from '@mg/core';

/** A value as MyGrad's messages show it: the value, then its type (`1.5 (type string)`). */
function shown(value: unknown): string {
  const type =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'array'
        : typeof value === 'object'
          ? value.constructor.name
          : typeof value;
  return `${JSON.stringify(value) ?? String(value)} (type ${type})`;
}

/**
 * A real scalar parameter as a JS number. Accepts a number, or a tensor/array holding exactly one element
 * (MyGrad unwraps 0-d arrays with `.item()`); anything else is a TypeError naming the value and its type.
 */
export function realScalar(op: string, name: string, value: number | TensorLike): number {
  if (typeof value === 'number') return value;
  if (value instanceof Tensor && value.size === 1 && value.dtype !== 'bool') return Number(value.item());
  if (
    ArrayBuffer.isView(value) &&
    (value as ArrayLike<number>).length === 1 &&
    !(value instanceof Uint8Array)
  ) {
    return Number((value as ArrayLike<number>)[0]);
  }
  throw new MgTypeError(op, `\`${name}\` to be a real-valued scalar`, shown(value));
}

/**
 * An integer scalar parameter (glu's axis) as a JS number: an integer, or an int32 tensor holding one element
 * (MyGrad unwraps arrays with `.item()`, which keeps a float array's value a float, so float tensors are
 * rejected like Python floats). Anything else is a TypeError naming the value and its type.
 */
export function integerScalar(op: string, name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (value instanceof Tensor && value.size === 1 && value.dtype === 'int32') return Number(value.item());
  if (value instanceof Int32Array && value.length === 1) return value[0]!;
  throw new MgTypeError(op, `\`${name}\` to be an integer-valued scalar`, shown(value));
}

/**
 * The axes a softmax normalises over, sorted and distinct: `axis` is an integer, a list of integers, or null
 * (all axes). A 0-d input has no axes to normalise over; MyGrad never looks at `axis` then, so only its type
 * is checked. Throws AxisError (out of range), ShapeError (repeated) or MgTypeError (not integers).
 */
export function softmaxAxes(op: string, axis: unknown, ndim: number): number[] {
  if (axis !== null && typeof axis !== 'number' && !Array.isArray(axis)) {
    throw new MgTypeError(op, '`axis` to be null, an integer or a list of integers', shown(axis));
  }
  if (ndim > 0) return normalizeAxes(op, axis as number | readonly number[] | null, ndim);
  const list: readonly unknown[] = typeof axis === 'number' ? [axis] : (axis ?? []);
  const bad = list.findIndex((a) => typeof a !== 'number' || !Number.isInteger(a));
  if (bad >= 0) throw new MgTypeError(op, 'an integer axis', shown(list[bad]));
  return [];
}
