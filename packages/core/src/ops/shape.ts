// STUB: replaced by the shape implementation.

import { MgNotImplementedError } from '../errors.js';
import type { Tensor, TensorLike } from '../tensor.js';

const todo =
  (name: string) =>
  (..._args: unknown[]): Tensor => {
    throw new MgNotImplementedError(name);
  };
export const reshape: (x: TensorLike, shape: number | readonly number[], o?: object) => Tensor =
  todo('reshape');
export const flatten: (x: TensorLike, o?: object) => Tensor = todo('flatten');
export const ravel: (x: TensorLike, o?: object) => Tensor = todo('ravel');
export const squeeze: (x: TensorLike, o?: object) => Tensor = todo('squeeze');
export const swapaxes: (x: TensorLike, a: number, b: number, o?: object) => Tensor = todo('swapaxes');
export const transpose: (x: TensorLike, axes?: readonly number[] | null, o?: object) => Tensor =
  todo('transpose');
export const moveaxis: (
  x: TensorLike,
  s: number | readonly number[],
  d: number | readonly number[],
  o?: object,
) => Tensor = todo('moveaxis');
