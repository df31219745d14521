// Explicit tensor lifetimes: tidy scopes, keep, and memory(). Wasm memory is invisible to the garbage
// collector, so these free it deterministically; the FinalizationRegistry in tensor.ts is only the safety net.
import type { MemoryInfo } from './backend.js';
import { MgTypeError } from './errors.js';
import { getBackend } from './registry.js';
import {
  currentScope,
  disposedError,
  disposeScope,
  enterScope,
  forEachHeldTensor,
  liveTensorCount,
  moveToScope,
  OWNED_GRAD,
  Scope,
  Tensor,
} from './tensor.js';

/**
 * Runs `fn` in a scope and disposes every tensor made inside it when it ends (also when `fn` throws),
 * except:
 * - the tensors `fn` returns (a Tensor, or arrays, plain objects and Maps holding tensors, searched recursively),
 *   which are handed to the enclosing `tidy` (outside every tidy, nothing disposes them but you);
 * - tensors passed to `keep`;
 * - gradients: a grad belongs to its tensor, not to the scope it was computed in, so `backward()` inside a
 *   tidy leaves `.grad` on tensors made outside it. Grads of tensors the scope disposes go with them.
 *
 * Scopes nest. Everything made inside counts, the saved tensors of ops included, so call `backward()` inside
 * the tidy that built the graph: back-propagating from a returned tensor afterwards throws
 * DisposedTensorError, because its graph's intermediates are gone. Tensors made before the tidy are never
 * disposed by it.
 *
 * @param nameOrFn - A name for the scope (it appears in the error thrown when a disposed tensor is used), or
 *   `fn` itself.
 * @param fn - A synchronous function (when a name comes first).
 * @returns What `fn` returned.
 * @throws MgTypeError when `fn` is not a function or is async (a scope cannot follow tensors across `await`);
 *   whatever `fn` throws, after disposing the scope.
 *
 * @example
 * ```ts
 * const w = tensor([1, 2, 3]);
 * const before = memory().tensors;
 * const loss = tidy('step', () => {
 *   const y = multiply(w, w).sum(); // w*w is disposed when the scope ends; y is returned
 *   y.backward();
 *   return y;
 * });
 * loss.item(); // 14
 * w.grad?.toArray(); // [2, 4, 6]
 * // Left: the returned loss, its grad (ones) and w's grad.
 * memory().tensors - before; // 3
 * ```
 */
export function tidy<T>(name: string, fn: () => T): T;
export function tidy<T>(fn: () => T): T;
export function tidy<T>(nameOrFn: string | (() => T), fn?: () => T): T {
  const name = typeof nameOrFn === 'string' ? nameOrFn : null;
  const body = typeof nameOrFn === 'string' ? fn : nameOrFn;
  if (typeof body !== 'function') throw new MgTypeError('tidy', 'a function to run', body);
  if (body.constructor.name === 'AsyncFunction') throw asyncError(body);
  const parent = currentScope();
  const scope = new Scope(`at the end of tidy(${name === null ? '' : JSON.stringify(name)})`, parent);
  enterScope(scope);
  let result: T;
  try {
    result = body();
  } catch (error) {
    enterScope(parent);
    disposeScope(scope);
    throw error;
  }
  enterScope(parent);
  if (isThenable(result)) {
    disposeScope(scope);
    throw asyncError(result);
  }
  handOver(result, scope, parent);
  disposeScope(scope);
  return result;
}

function asyncError(received: unknown): MgTypeError {
  return new MgTypeError(
    'tidy',
    'a synchronous function (a scope cannot follow the tensors made after an await; dispose them yourself)',
    received,
  );
}

function isThenable(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Moves the tensors of `value` that `scope` holds to `parent`, looking into arrays and plain objects. */
function handOver(value: unknown, scope: Scope, parent: Scope | null): void {
  forEachHeldTensor(value, (t) => {
    if (t._scope === scope) moveToScope(t, parent);
  });
}

/**
 * Keeps `tensor` alive past the innermost `tidy` it belongs to; it then belongs to the enclosing tidy (or,
 * outside every tidy, to you: only `dispose()` or the garbage collector frees it). On a gradient it ends
 * its tensor's ownership: an engine-made grad is disposed when its tensor gets a new one (a new backward(),
 * `nullGrad()`, or the tensor used in a new op) or is disposed, unless it was kept; a kept grad is yours to
 * dispose. Keeping a tensor no tidy holds (made outside every tidy, or held by an enclosing one) changes
 * nothing.
 *
 * @param tensor - A tensor that was not disposed.
 * @returns `tensor` itself.
 * @throws MgTypeError when `tensor` is not a Tensor; DisposedTensorError when it was disposed.
 *
 * @example
 * ```ts
 * let w = tensor([1, 2]);
 * for (let step = 0; step < 3; step++) {
 *   tidy(() => {
 *     multiply(w, w).sum().backward();
 *     const next = noAutodiff(() => subtract(w, multiply(w.grad!, 0.25)));
 *     w.dispose(); // and its grad with it
 *     w = keep(next); // survives the scope; everything else made in it is disposed
 *   });
 * }
 * w.toArray(); // [0.125, 0.25]
 * w.grad; // null
 *
 * const x = tensor([3]);
 * multiply(x, x).backward();
 * const g = keep(x.grad!);
 * x.nullGrad(); // would dispose an unkept grad
 * g.toArray(); // [6]
 * ```
 */
export function keep<T extends Tensor>(tensor: T): T {
  if (!(tensor instanceof Tensor)) throw new MgTypeError('keep', 'a Tensor', tensor);
  if (tensor._storage === null) throw disposedError(tensor, 'keep');
  const scope = currentScope();
  if (tensor._scope === OWNED_GRAD) tensor._scope = null;
  else if (scope !== null && tensor._scope === scope) moveToScope(tensor, scope.parent);
  return tensor;
}

/** What `memory()` reports: the active backend's memory and the number of live tensors. */
export interface MemoryUsage extends MemoryInfo {
  /**
   * Tensors made and not yet disposed (on any backend). Those of a backend without `garbageCollected`
   * (wasm) also leave the count when the FinalizationRegistry frees them; on a garbage-collected backend
   * (cpu) a dropped tensor counts until disposed, as its buffer does in that backend's `memory()`.
   */
  readonly tensors: number;
}

/**
 * The active backend's live memory (`bytes` and `buffers` of tensor data) and the number of tensors not yet
 * disposed. A training step wrapped in `tidy` leaves all three where they were (plus new grads of tensors made
 * outside it, and whatever it returned or kept).
 *
 * @returns `{ bytes, buffers, tensors }`.
 * @throws BackendNotFoundError when no backend is active.
 *
 * @example
 * ```ts
 * const start = memory();
 * const x = tensor([1, 2, 3, 4]); // 4 float64: 32 bytes
 * memory().bytes - start.bytes; // 32
 * memory().buffers - start.buffers; // 1
 * memory().tensors - start.tensors; // 1
 * x.dispose();
 * memory().buffers - start.buffers; // 0
 * ```
 */
export function memory(): MemoryUsage {
  const { bytes, buffers } = getBackend().memory();
  return { bytes, buffers, tensors: liveTensorCount() };
}
