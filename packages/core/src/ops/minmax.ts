// maximum, minimum, clip and where: selections whose gradient flows to the selected input only.
import { asInput, executeOp } from '../engine.js';
import { MgValueError } from '../errors.js';
import { Operation } from '../operation.js';
import { registerOp } from '../registry.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { greater, less, select } from './compare.js';
import { binaryForward, defineBinary, type OpOptions } from './define.js';

declare module '../operation.js' {
  interface OpAttrs {
    'mg.maximum': {};
    'mg.minimum': {};
    'mg.where': {};
  }
}

/**
 * Element-wise maximum (NaN propagates). At ties neither input gets a gradient, as in MyGrad.
 * @example
 * ```ts
 * maximum(tensor([1, 5]), tensor([3, 2])).toArray(); // [3, 5]
 * ```
 */
export const maximum = defineBinary('mg.maximum', 'maximum', {
  forward: binaryForward('maximum', 'maximum'),
  grads: [(g, a, b) => select(greater(a, b), g, 0), (g, a, b) => select(greater(b, a), g, 0)],
});

/**
 * Element-wise minimum (NaN propagates). At ties neither input gets a gradient.
 * @example
 * ```ts
 * minimum(tensor([1, 5]), tensor([3, 2])).toArray(); // [1, 2]
 * ```
 */
export const minimum = defineBinary('mg.minimum', 'minimum', {
  forward: binaryForward('minimum', 'minimum'),
  grads: [(g, a, b) => select(less(a, b), g, 0), (g, a, b) => select(less(b, a), g, 0)],
});

/**
 * Limits values to [aMin, aMax] (either bound may be null; bounds may be tensors and get gradients). Implemented
 * as MyGrad does, `minimum(aMax, maximum(aMin, a))`, so values exactly at a bound get a zero gradient.
 * @throws MgValueError when both bounds are null.
 * @example
 * ```ts
 * clip(tensor([-2, 0.5, 3]), 0, 1).toArray(); // [0, 0.5, 1]
 * ```
 */
export function clip(
  a: TensorLike,
  aMin: TensorLike | null,
  aMax: TensorLike | null,
  options: OpOptions = {},
): Tensor {
  if ((aMin === null || aMin === undefined) && (aMax === null || aMax === undefined)) {
    throw new MgValueError('clip: `a_min` and `a_max` cannot both be set to `None` (null)');
  }
  let out = asInput(a);
  if (aMin !== null && aMin !== undefined) out = maximum(aMin, out, options);
  if (aMax !== null && aMax !== undefined) out = minimum(aMax, out, options);
  return out;
}

class Where extends Operation<{}> {
  static readonly id = 'mg.where';
  forward([condition, x, y]: readonly Tensor[]): Tensor {
    return select(condition!, x!, y!);
  }
  backwardVar(grad: Tensor, index: number): Tensor {
    const condition = this.variables[0]!;
    return index === 1 ? select(condition, grad, 0) : select(condition, 0, grad);
  }
}
registerOp(Where);

/**
 * `condition ? x : y` element-wise, all three broadcast together; gradients flow to the selected input.
 * The condition is always treated as a constant.
 * @throws MgValueError when only one of x and y is given.
 * @example
 * ```ts
 * where([true, false], tensor([1, 2]), tensor([10, 20])).toArray(); // [1, 20]
 * ```
 */
export function where(
  condition: TensorLike,
  x?: TensorLike,
  y?: TensorLike,
  options: OpOptions = {},
): Tensor {
  if (x === undefined || y === undefined) {
    throw new MgValueError('where: either both or neither of x and y should be given');
  }
  const cond = asInput(condition);
  const tx = asInput(x);
  const ty = asInput(y);
  broadcastShapes('where', cond.shape, tx.shape, ty.shape);
  // The condition takes no gradient: wrap it as a constant.
  const constCond = cond.constant ? cond : select(cond, 1, 0);
  return executeOp(Where, [constCond, tx, ty], { constant: options.constant });
}
