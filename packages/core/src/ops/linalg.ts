// STUB: replaced by the linalg implementation.

import { MgNotImplementedError } from '../errors.js';
import type { Tensor, TensorLike } from '../tensor.js';
export const matmul = (_a: TensorLike, _b: TensorLike, _o?: object): Tensor => {
  throw new MgNotImplementedError('matmul');
};
