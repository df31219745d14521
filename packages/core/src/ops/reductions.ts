// STUB: replaced by the reductions implementation.

import { MgNotImplementedError } from '../errors.js';
import type { Tensor, TensorLike } from '../tensor.js';
export interface ReduceOptions {
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
  constant?: boolean | null;
}
export interface VarianceOptions extends ReduceOptions {
  ddof?: number;
}
const todo =
  (name: string) =>
  (_x: TensorLike, _o?: object): Tensor => {
    throw new MgNotImplementedError(name);
  };
export const sum = todo('sum');
export const mean = todo('mean');
export const variance = todo('var');
export const std = todo('std');
export const prod = todo('prod');
export const max = todo('max');
export const min = todo('min');
export const cumsum = todo('cumsum');
export const cumprod = todo('cumprod');
export const argmax = todo('argmax');
export const argmin = todo('argmin');
export const any = todo('any');
