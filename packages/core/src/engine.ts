// The autodiff engine: executeOp records one graph node per op call; backward walks the graph in reverse
// topological order, letting each op compute its inputs' gradients; clearGraph forgets it.
import { type DType, isFloat } from './dtype.js';
import { InvalidBackpropError, InvalidGradientError, ShapeError } from './errors.js';
import { type OpAttrs, type OpClass, Operation, type OpId } from './operation.js';
import { add, broadcastTo, cast, sumToShape } from './ops/engine-support.js';
import { filled, reshapeData } from './ops/kernel.js';
import { fusedKernelFor, getBackend, registerOp } from './registry.js';
import { type Shape, shapesEqual } from './shape.js';
import {
  currentScope,
  disposedError,
  disposeScope,
  enterScope,
  forEachHeldTensor,
  moveToScope,
  OWNED_GRAD,
  releaseGrad,
  resolveConstant,
  Scope,
  Tensor,
  type TensorLike,
  tick,
} from './tensor.js';

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
  const recording = gradEnabled;
  // Tensors the engine makes for this op (inputs given as plain data, handles on grads): the op owns them.
  let made: Tensor[] | null = null;
  const tensors: Tensor[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const value = inputs[i]!;
    let t: Tensor;
    if (value instanceof Tensor) {
      t = value;
      if (t._storage === null) throw disposedError(t, `${Op.id} (input ${i})`);
      if (recording && t._scope === OWNED_GRAD) {
        // The graph must not lose an input when its owner releases a grad: it gets its own handle on the data.
        t = reshapeData(t, t.shape);
        made = append(made, t);
      }
    } else {
      t = new Tensor(value, { constant: true });
      made = append(made, t);
    }
    tensors.push(t);
  }
  const attrs = (options as { attrs?: OpAttrs[Id] } | undefined)?.attrs as OpAttrs[Id];
  registerOp(Op);
  const op = new Op();
  op.variables = tensors;
  op.attrs = attrs;
  const fused = fusedKernelFor(Op.id, getBackend().name);
  // The forward runs in its own scope: the tensors it makes and neither returns nor saves are disposed when
  // it ends, so an op leaves no garbage behind (wasm memory is invisible to the GC).
  const parent = currentScope();
  const scope = new Scope(FORWARD_SCOPE_LABEL, parent);
  enterScope(scope);
  gradEnabled = false;
  let out: Tensor;
  let saved: unknown;
  try {
    if (fused) {
      const result = fused.forward(tensors, attrs);
      out = result.output;
      saved = result.saved;
    } else out = op.forward(tensors, attrs);
  } catch (error) {
    enterScope(parent);
    gradEnabled = recording;
    disposeScope(scope);
    if (made !== null) for (const t of made) t.dispose();
    throw error;
  }
  enterScope(parent);
  gradEnabled = recording;
  const owned = keepSaved(fused ? saved : op, scope, out, made);
  const allConstant = tensors.every((t) => t.constant);
  out.constant = recording
    ? resolveConstant(Op.id, options?.constant, out.dtype, allConstant)
    : (options?.constant ?? (allConstant || !isFloat(out.dtype)));
  if (recording && !out.constant) {
    out.creator = op;
    out._createdAt = tick();
    if (fused) fusedState.set(op, { kernel: fused, saved });
    if (owned !== null) ownedState.set(op, owned);
    for (const t of tensors) if (t.grad !== null) releaseGrad(t);
  } else if (owned !== null) {
    // No graph: nothing will back-propagate through this op, so what it saved is garbage already.
    for (const t of owned) if (t !== out) t.dispose();
  }
  return out;
}

const FORWARD_SCOPE_LABEL =
  "at the end of its op's forward (an intermediate the op did not save: a tensor backwardVar needs must be " +
  'a property of the Operation, or in the `saved` state of a fused kernel)';

/**
 * Ends a forward's scope: the output and the tensors the forward made and saved (held by `saved`: the fused
 * kernel's state, or the Operation itself with its properties) move to the enclosing scope, every other
 * tensor made in it is disposed. Returns the tensors the op owns from now on (saved ones and `made`), or null.
 */
function keepSaved(saved: unknown, scope: Scope, out: Tensor, made: Tensor[] | null): Tensor[] | null {
  if (out._scope === scope) moveToScope(out, scope.parent);
  let owned = made;
  // Only a forward that made more than its output can have saved anything.
  if (scope.tensors.length > 1 || (scope.tensors.length === 1 && scope.tensors[0] !== out)) {
    forEachHeldTensor(
      saved,
      (t) => {
        if (t._scope !== scope) return;
        moveToScope(t, scope.parent);
        owned = append(owned, t);
      },
      operationProperties,
    );
  }
  disposeScope(scope);
  return owned;
}

/** An Operation's properties other than its inputs and attrs: where a composite keeps what it saved. */
function operationProperties(item: object): readonly unknown[] | undefined {
  if (!(item instanceof Operation)) return undefined;
  return Object.entries(item)
    .filter(([key]) => key !== 'variables' && key !== 'attrs')
    .map(([, value]) => value);
}

function append(list: Tensor[] | null, t: Tensor): Tensor[] {
  if (list === null) return [t];
  list.push(t);
  return list;
}

interface FusedState {
  kernel: NonNullable<ReturnType<typeof fusedKernelFor>>;
  saved: unknown;
}
const fusedState = new WeakMap<Operation, FusedState>();
/** The tensors a recorded op owns (see keepSaved): disposed when its graph is cleared. */
const ownedState = new WeakMap<Operation, Tensor[]>();

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
      if (input._storage === null) {
        throw disposedError(
          input,
          'backward (a tensor of the graph)',
          'run backward() inside the tidy that built the graph, or return or keep() the tensors it needs',
        );
      }
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
  if (root._storage === null) throw disposedError(root, 'backward');
  if (root.constant) {
    clearGraph(root);
    return;
  }
  const order = topologicalOrder(root);
  // Back-propagation runs in its own scope: its temporaries are disposed at the end, the grads it assigns are
  // owned by their tensors (see own), so they survive it and any enclosing tidy.
  const parent = currentScope();
  const scope = new Scope('at the end of backward() (a temporary of back-propagation)', parent);
  enterScope(scope);
  gradEnabled = false;
  try {
    // The new upstream grad is made before old grads are released: it may be one of them.
    const seed = own(upstreamGrad(root, upstream), scope);
    for (const t of order) if (t.grad !== null) releaseGrad(t);
    root.grad = seed;
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
        const previous = input.grad;
        if (previous === null) input.grad = own(grad, scope);
        else {
          input.grad = own(add(previous, grad), scope);
          // A partial sum becomes a temporary: a backwardVar may still read it until back-propagation ends.
          if (previous._scope === OWNED_GRAD) moveToScope(previous, scope);
        }
      });
    }
  } finally {
    gradEnabled = true;
    enterScope(parent);
    disposeScope(scope);
  }
  clearGraph(root);
}

/**
 * Makes `grad` owned by the tensor it is assigned to: a tensor made in this back-propagation is taken as is;
 * anything else (another tensor's grad, a tensor an op saved, the caller's upstream grad) gets a new handle
 * on the same data, so disposing one never disposes the other.
 */
function own(grad: Tensor, scope: Scope): Tensor {
  const owned = grad._scope === scope ? grad : reshapeData(grad, grad.shape);
  owned._scope = OWNED_GRAD;
  return owned;
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
    // Nothing can back-propagate through the op any more: what it saved is released now.
    fusedState.delete(op);
    const owned = ownedState.get(op);
    if (owned !== undefined) {
      ownedState.delete(op);
      for (const t of owned) t.dispose();
    }
  }
}
