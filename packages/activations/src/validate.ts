// Validation shared by the activations: MyGrad's checks on scalar parameters.
import { MgTypeError, Tensor, type TensorLike } from '@mg/core';

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
  const type =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'array'
        : typeof value === 'object'
          ? value.constructor.name
          : typeof value;
  throw new MgTypeError(
    op,
    `\`${name}\` to be a real-valued scalar`,
    `${JSON.stringify(value) ?? String(value)} (type ${type})`,
  );
}
