// Graph-free |x| used inside gradient formulas (absolute() itself records an op).
import type { Tensor } from '../tensor.js';
import { numeric, unaryKernel } from './kernel.js';

/** @internal |x| without recording an op. */
export function absolute(x: Tensor): Tensor {
  return unaryKernel('abs', numeric(x));
}
