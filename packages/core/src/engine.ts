// The autodiff engine: executeOp records one graph node per op call; backward walks the graph in reverse
// topological order, letting each op compute its inputs' gradients; clearGraph forgets it.
import { type DType, isFloat } from './dtype.js';
import { InvalidBackpropError, InvalidGradientError, ShapeError } from './errors.js';
import type { OpAttrs, OpClass, Operation, OpId } from './operation.js';
import { add, broadcastTo, cast, sumToShape } from './ops/engine-support.js';
import { filled } from './ops/kernel.js';
import { fusedKernelFor, getBackend, registerOp } from './registry.js';
import { type Shape, shapesEqual } from './shape.js';
import { resolveConstant, Tensor, type TensorLike, tick } from './tensor.js';

let gradEnabled = true;

/**
 * Whether ops record the graph: true unless inside `noAutodiff` (or an op's forward/backward, which run with
 * recording off).
 *
 * @returns The current setting.
 *
 * @example
 * ```ts
 * isGradEnabled(); // true
 * noAutodiff(() => isGradEnabled()); // false
 * ```
 */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording a graph: outputs have no creator, `backward()` is a no-op. Returns fn's result.
 *
 * @example
 * ```ts
 * const w = tensor([1, 2]);
 * const updated = noAutodiff(() => w.sub(0.1));
 * updated.creator; // null
 * ```
 */
export function noAutodiff<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Options of `executeOp`: the op's attrs (required when its attrs type has required keys) and `constant`. */
export type ExecuteOptions<A> = { constant?: boolean | null } & ({} extends A ? { attrs?: A } : { attrs: A });

/**
 * Converts an op input to a tensor: tensors pass through unchanged, everything else becomes a new constant
 * tensor (so a plain array never receives a gradient).
 *
 * @param value - A tensor, number, boolean, nested array or TypedArray.
 * @returns `value` itself when it is a Tensor, else a constant tensor of its data.
 * @throws As `tensor()` does for data that is not array-like (MgTypeError, ShapeError).
 *
 * @example
 * ```ts
 * const x = tensor([1, 2]);
 * asInput(x) === x; // true
 * const c = asInput([1.5, 2]);
 * c.constant; // true
 * c.dtype; // "float64"
 * asInput(3).shape; // []
 * ```
 */
export function asInput(value: TensorLike): Tensor {
  return value instanceof Tensor ? value : new Tensor(value, { constant: true });
}

/**
 * Runs an op and records it in the graph: the one entry point for core's ops, @mg/activations and third-party
 * plugins. Non-tensor inputs become constant tensors. The output is constant iff every input is (or as
 * `constant` says; integer and bool outputs are always constant). Uses the active backend's fused kernel for
 * the op when one is registered, else the op's own forward/backwardVar.
 *
 * @example
 * ```ts
 * class Twice extends Operation {
 *   static readonly id = 'demo.twice';
 *   forward([x]: readonly Tensor[]) {
 *     return multiply(x!, 2);
 *   }
 *   backwardVar(grad: Tensor) {
 *     return multiply(grad, 2);
 *   }
 * }
 * const x = tensor([1, 2]);
 * const y = executeOp(Twice, [x]);
 * y.backward();
 * y.toArray(); // [2, 4]
 * x.grad?.toArray(); // [2, 2]
 * ```
 */
export function executeOp<Id extends OpId>(
  Op: OpClass<OpAttrs[Id]> & { readonly id: Id },
  inputs: readonly TensorLike[],
  ...[options]: {} extends OpAttrs[Id] ? [ExecuteOptions<OpAttrs[Id]>?] : [ExecuteOptions<OpAttrs[Id]>]
): Tensor {
  const tensors = inputs.map(asInput);
  const attrs = (options as { attrs?: OpAttrs[Id] } | undefined)?.attrs as OpAttrs[Id];
  registerOp(Op);
  const op = new Op();
  op.variables = tensors;
  op.attrs = attrs;
  const fused = fusedKernelFor(Op.id, getBackend().name);
  const recording = gradEnabled;
  gradEnabled = false;
  let out: Tensor;
  try {
    if (fused) {
      const result = fused.forward(tensors, attrs);
      out = result.output;
      fusedState.set(op, { kernel: fused, saved: result.saved });
    } else out = op.forward(tensors, attrs);
  } finally {
    gradEnabled = recording;
  }
  const allConstant = tensors.every((t) => t.constant);
  out.constant = recording
    ? resolveConstant(Op.id, options?.constant, out.dtype, allConstant)
    : (options?.constant ?? (allConstant || !isFloat(out.dtype)));
  if (recording && !out.constant) {
    out.creator = op;
    out._createdAt = tick();
    for (const t of tensors) t.grad = null;
  }
  return out;
}

interface FusedState {
  kernel: NonNullable<ReturnType<typeof fusedKernelFor>>;
  saved: unknown;
}
const fusedState = new WeakMap<Operation, FusedState>();

/** Tensors reachable from `root` through creators, each after every tensor that depends on it. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  // Iterative post-order DFS: deep graphs (long training loops) must not overflow the stack.
  const stack: [Tensor, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [tensor, next] = top;
    const variables = tensor.creator?.variables ?? [];
    if (next < variables.length) {
      top[1]++;
      const input = variables[next]!;
      if (input._clearedAt > tensor._createdAt) {
        throw new InvalidBackpropError(
          'backward: part of this graph was already cleared by another backward() or clearGraph(); ' +
            'back-propagate through shared sub-graphs in one pass (e.g. sum the heads first)',
        );
      }
      if (!input.constant && !seen.has(input)) {
        seen.add(input);
        stack.push([input, 0]);
      }
    } else {
      order.push(tensor);
      stack.pop();
    }
  }
  return order.reverse();
}

/** Back-propagates from `root` (see Tensor.backward), then clears the graph. */
export function backward(root: Tensor, upstream: TensorLike | null): void {
  if (!gradEnabled) return;
  if (root.constant) {
    clearGraph(root);
    return;
  }
  const order = topologicalOrder(root);
  for (const t of order) t.grad = null;
  gradEnabled = false;
  try {
    root.grad = upstreamGrad(root, upstream);
    for (const tensor of order) {
      const op = tensor.creator;
      if (!op || tensor.grad === null) continue;
      const fused = fusedState.get(op);
      op.variables.forEach((input, index) => {
        if (input.constant) return;
        const raw = fused
          ? fused.kernel.backwardVar(tensor.grad!, index, fused.saved, op.variables, op.attrs)
          : op.backwardVar(tensor.grad!, index);
        const grad = toInputGrad(raw, input.shape, input.dtype, op);
        input.grad = input.grad === null ? grad : add(input.grad, grad);
      });
    }
  } finally {
    gradEnabled = true;
  }
  clearGraph(root);
}

function upstreamGrad(root: Tensor, upstream: TensorLike | null): Tensor {
  if (upstream === null) return filled(root.shape, 1, root.dtype);
  const grad = asInput(upstream);
  let broadcastable = grad.ndim <= root.ndim;
  for (let i = 1; broadcastable && i <= grad.ndim; i++) {
    const g = grad.shape[grad.ndim - i]!;
    broadcastable = g === 1 || g === root.shape[root.ndim - i];
  }
  if (!broadcastable) {
    throw new ShapeError(
      `backward: \`tensor.backward(grad)\` was passed a gradient of shape [${grad.shape.join(', ')}] that does not ` +
        `broadcast to the tensor's shape [${root.shape.join(', ')}] without changing it`,
    );
  }
  return cast(broadcastTo(grad, root.shape), root.dtype);
}

/** Sums a gradient over the dimensions its input was broadcast along, and casts it to the input's dtype. */
function toInputGrad(grad: Tensor, shape: Shape, dtype: DType, op: Operation): Tensor {
  if (!(grad instanceof Tensor)) {
    throw new InvalidGradientError(`${(op.constructor as OpClass).id}: backwardVar must return a Tensor`);
  }
  const reduced = shapesEqual(grad.shape, shape) ? grad : sumToShape(grad, shape);
  if (!shapesEqual(reduced.shape, shape)) {
    throw new InvalidGradientError(
      `${(op.constructor as OpClass).id}: backwardVar returned a gradient of shape [${grad.shape.join(', ')}] for an input of shape [${shape.join(', ')}]`,
    );
  }
  return reduced.dtype === dtype ? reduced : cast(reduced, dtype);
}

/** Clears the graph that produced `root`: every creator upstream becomes null. */
export function clearGraph(root: Tensor): void {
  const stack = [root];
  const now = tick();
  while (stack.length > 0) {
    const tensor = stack.pop()!;
    const op = tensor.creator;
    if (!op) continue;
    tensor.creator = null;
    tensor._clearedAt = now;
    for (const input of op.variables) if (input.creator) stack.push(input);
  }
}
