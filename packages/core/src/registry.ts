// The registries (backends, ops, fused kernels), kept on a globalThis symbol keyed by core's major version so
// that two copies of @mg/core in one node_modules share them instead of silently splitting them.
import type { Backend } from './backend.js';
import { PRIMITIVE_NAMES } from './backend.js';
import {
  BackendContractError,
  BackendNotFoundError,
  describe,
  PluginApiVersionError,
  RegistrationConflictError,
} from './errors.js';
import type { FusedKernel, OpAttrs, OpClass, OpId } from './operation.js';

/** The major version of @mg/core; registries of different majors are kept apart. */
export const CORE_MAJOR = 0;

/**
 * The version of the plugin API (Operation, executeOp, registerOp, registerKernel, makeTensor). A plugin
 * declares the version it targets with `requirePluginApi(1)`; a core that does not speak it throws.
 */
export const PLUGIN_API_VERSION = 1;

interface Registries {
  readonly backends: Map<string, Backend>;
  readonly ready: Set<string>;
  active: Backend | null;
  readonly ops: Map<string, OpClass>;
  readonly kernels: Map<string, FusedKernel>;
  forceComposite: boolean;
}

const KEY = Symbol.for(`@mg/core.registries.v${CORE_MAJOR}`);
const holder = globalThis as { [KEY]?: Registries };
holder[KEY] ??= {
  backends: new Map(),
  ready: new Set(),
  active: null,
  ops: new Map(),
  kernels: new Map(),
  forceComposite: false,
};
/** @internal The shared registries. */
export const registries: Registries = holder[KEY];

/**
 * Registers a backend under its name; `setBackend(name)` then selects it. Registering the same object
 * again is a no-op.
 *
 * @param backend - A backend implementing every primitive kernel (see PRIMITIVE_NAMES).
 * @throws MgTypeError when `backend` lacks a primitive kernel; RegistrationConflictError when a different
 *   backend is already registered under its name.
 *
 * @example
 * ```ts
 * import { registerBackend, setBackend } from '@mg/core';
 * import { cpu } from '@mg/backend-cpu';
 * registerBackend(cpu());
 * await setBackend('cpu');
 * getBackend().name; // "cpu"
 * // A backend missing a kernel is refused (JS callers get no compile-time check):
 * const { pad: _pad, ...kernels } = getBackend().kernels;
 * const err = (() => {
 *   try {
 *     registerBackend({ ...getBackend(), name: 'partial', kernels } as never);
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof BackendContractError; // true
 * (err as BackendContractError).message; // "registerBackend: backend 'partial' does not implement the primitive kernels pad"
 * ```
 */
export function registerBackend(backend: Backend): void {
  const missing = PRIMITIVE_NAMES.filter((name) => typeof backend.kernels?.[name] !== 'function');
  if (missing.length > 0) {
    throw new BackendContractError(
      `registerBackend: backend '${backend.name}' does not implement the primitive kernels ${missing.join(', ')}`,
    );
  }
  const existing = registries.backends.get(backend.name);
  if (existing === backend) return;
  if (existing) {
    throw new RegistrationConflictError(
      `registerBackend: a different backend is already registered as '${backend.name}'`,
    );
  }
  registries.backends.set(backend.name, backend);
}

/**
 * Initialises (once, awaiting its `init`) and activates the backend registered as `name`. Tensors made on
 * another backend move to the active one when next used.
 *
 * @param name - A registered backend's name.
 * @returns The backend, now active.
 * @throws BackendNotFoundError (as a rejected promise) when no backend is registered under `name`.
 *
 * @example
 * ```ts
 * (await setBackend('cpu')).name; // "cpu"
 * const err = await setBackend('gpu').catch((e: unknown) => e);
 * err instanceof BackendNotFoundError; // true
 * (err as BackendNotFoundError).message; // "setBackend: no backend named \"gpu\"; registered: cpu"
 * ```
 */
export async function setBackend(name: string): Promise<Backend> {
  const backend = registries.backends.get(name);
  if (!backend)
    throw new BackendNotFoundError(
      `setBackend: no backend named ${describe(name)}; registered: ${[...registries.backends.keys()].join(', ') || 'none'}`,
    );
  if (!registries.ready.has(name)) {
    await backend.init();
    registries.ready.add(name);
  }
  registries.active = backend;
  return backend;
}

/**
 * The active backend. With none selected yet, the first registered backend whose `init` completes
 * synchronously (returns no Promise) becomes active, so `import '@mg/backend-cpu/register'` is enough.
 *
 * @returns The active backend.
 * @throws BackendNotFoundError when no backend is registered, or none is ready without `await setBackend`.
 *
 * @example
 * ```ts
 * getBackend().name; // "cpu"
 * getBackend() === findBackend('cpu'); // true
 * ```
 */
export function getBackend(): Backend {
  if (registries.active) return registries.active;
  for (const [name, backend] of registries.backends) {
    if (!registries.ready.has(name)) {
      const pending = backend.init() as Promise<void> | undefined;
      if (pending && typeof pending.then === 'function') continue;
      registries.ready.add(name);
    }
    registries.active = backend;
    return backend;
  }
  const names = [...registries.backends.keys()];
  throw new BackendNotFoundError(
    names.length
      ? `no backend is ready: await setBackend(${describe(names[0])}) first`
      : "no backend registered: import '@mg/backend-cpu/register' (or registerBackend(...) and setBackend(...))",
  );
}

/**
 * Looks a backend up by name, without selecting or initialising it.
 *
 * @param name - A backend name.
 * @returns The backend registered as `name`, or undefined.
 *
 * @example
 * ```ts
 * findBackend('cpu')?.name; // "cpu"
 * findBackend('gpu') === undefined; // true
 * ```
 */
export function findBackend(name: string): Backend | undefined {
  return registries.backends.get(name);
}

/**
 * Names of every registered backend, in registration order (whether initialised or not).
 *
 * @returns A new array of names.
 *
 * @example
 * ```ts
 * listBackends(); // ["cpu"]
 * ```
 */
export function listBackends(): string[] {
  return [...registries.backends.keys()];
}

/**
 * Registers an op class under its `id`. `executeOp` registers the ops it runs, so calling this is only needed
 * to claim an id early (at plugin load), which surfaces conflicts before first use. The same class twice is a
 * no-op.
 *
 * @param Op - An Operation subclass with a static `id`.
 * @throws RegistrationConflictError naming both classes when a different class holds `Op.id`.
 *
 * @example
 * ```ts
 * class Halve extends Operation {
 *   static readonly id = 'demo.halve';
 *   forward([x]: readonly Tensor[]) {
 *     return multiply(x!, 0.5);
 *   }
 *   backwardVar(grad: Tensor) {
 *     return multiply(grad, 0.5);
 *   }
 * }
 * registerOp(Halve);
 * registerOp(Halve); // the same class again: a no-op
 * listOps().includes('demo.halve'); // true
 * class Impostor extends Halve {
 *   static override readonly id = 'demo.halve';
 * }
 * const err = (() => {
 *   try {
 *     registerOp(Impostor);
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * (err as RegistrationConflictError).message; // "registerOp: op id 'demo.halve' is taken by Halve; cannot register Impostor"
 * ```
 */
export function registerOp(Op: OpClass): void {
  const existing = registries.ops.get(Op.id);
  if (existing === Op) return;
  if (existing) {
    throw new RegistrationConflictError(
      `registerOp: op id '${Op.id}' is taken by ${existing.name || 'an anonymous class'}; cannot register ${Op.name || 'an anonymous class'}`,
    );
  }
  registries.ops.set(Op.id, Op);
}

/**
 * Every registered op id: core's ops register when their module loads, a plugin's when it registers them or
 * first runs them.
 *
 * @returns A new array of ids, sorted.
 *
 * @example
 * ```ts
 * listOps().includes('mg.add'); // true
 * listOps().includes('mg.matmul'); // true
 * ```
 */
export function listOps(): string[] {
  return [...registries.ops.keys()].sort();
}

function kernelKey(opId: string, backend: string): string {
  return `${opId}\u0000${backend}`;
}

/**
 * Registers a fused kernel for (op id, backend name). The engine then runs it instead of the op's composite
 * forward/backward when that backend is active (unless `setForceComposite(true)`). The same kernel twice is a
 * no-op. Neither the op nor the backend needs to be registered yet.
 *
 * @param opId - The op's `id`.
 * @param backend - The backend's name.
 * @param kernel - A forward returning the output and what backward reuses, and the matching backwardVar.
 * @throws RegistrationConflictError when a different kernel is registered for the same op and backend.
 *
 * @example
 * ```ts
 * class Cube extends Operation {
 *   static readonly id = 'demo.cube';
 *   forward([x]: readonly Tensor[]) {
 *     return multiply(multiply(x!, x!), x!);
 *   }
 *   backwardVar(grad: Tensor) {
 *     return multiply(grad, multiply(3, square(this.variables[0]!)));
 *   }
 * }
 * let fusedCalls = 0;
 * registerKernel('demo.cube', 'cpu', {
 *   forward([x]: readonly Tensor[]) {
 *     fusedCalls++;
 *     const squared = square(x!);
 *     return { output: multiply(squared, x!), saved: squared };
 *   },
 *   backwardVar: (grad: Tensor, _index: number, squared: Tensor) => multiply(grad, multiply(squared, 3)),
 * });
 * const x = tensor([1, 2]);
 * const y = executeOp(Cube, [x]);
 * y.toArray(); // [1, 8]
 * y.backward();
 * x.grad?.toArray(); // [3, 12]
 * fusedCalls; // 1
 * kernelCoverage().cpu?.fused.includes('demo.cube'); // true
 * ```
 */
export function registerKernel<Id extends OpId, S>(
  opId: Id,
  backend: string,
  kernel: FusedKernel<OpAttrs[Id], S>,
): void {
  const key = kernelKey(opId, backend);
  const existing = registries.kernels.get(key);
  if (existing === kernel) return;
  if (existing) {
    throw new RegistrationConflictError(
      `registerKernel: a different fused kernel is already registered for '${opId}' on '${backend}'`,
    );
  }
  // Stored type-erased: the engine only pairs a kernel's own forward output (`saved`) with its own backward.
  registries.kernels.set(key, kernel as FusedKernel<unknown, unknown>);
}

/** @internal The fused kernel for (op, backend), unless composites are forced. */
export function fusedKernelFor(opId: string, backend: string): FusedKernel | undefined {
  if (registries.forceComposite) return undefined;
  return registries.kernels.get(kernelKey(opId, backend));
}

/**
 * Forces every op to run its composite forward/backward even where a fused kernel exists (for testing that
 * both paths agree). The setting is global: restore it when done.
 *
 * @param force - True to bypass fused kernels, false to use them again.
 * @returns The previous setting.
 *
 * @example
 * ```ts
 * class Triple extends Operation {
 *   static readonly id = 'demo.triple';
 *   forward([x]: readonly Tensor[]) {
 *     return multiply(x!, 3);
 *   }
 *   backwardVar(grad: Tensor) {
 *     return multiply(grad, 3);
 *   }
 * }
 * let fusedCalls = 0;
 * registerKernel('demo.triple', 'cpu', {
 *   forward([x]: readonly Tensor[]) {
 *     fusedCalls++;
 *     return { output: add(x!, add(x!, x!)), saved: null };
 *   },
 *   backwardVar: (grad: Tensor) => multiply(grad, 3),
 * });
 * const previous = setForceComposite(true);
 * previous; // false
 * executeOp(Triple, [tensor([1, 2])]).toArray(); // [3, 6]
 * fusedCalls; // 0
 * setForceComposite(previous);
 * executeOp(Triple, [tensor([1, 2])]).toArray(); // [3, 6]
 * fusedCalls; // 1
 * ```
 */
export function setForceComposite(force: boolean): boolean {
  const previous = registries.forceComposite;
  registries.forceComposite = force;
  return previous;
}

/**
 * Per registered backend: which registered ops have a fused kernel there, and which run their composite
 * forward/backward. Kernels registered for an op that is not registered (yet) are not listed.
 *
 * @returns Backend name → sorted op ids, split into `fused` and `composite`.
 *
 * @example
 * ```ts
 * const cpuCoverage = kernelCoverage().cpu!;
 * cpuCoverage.composite.includes('mg.add'); // true
 * cpuCoverage.fused.length + cpuCoverage.composite.length === listOps().length; // true
 * ```
 */
export function kernelCoverage(): Record<string, { fused: string[]; composite: string[] }> {
  const report: Record<string, { fused: string[]; composite: string[] }> = {};
  for (const backend of registries.backends.keys()) {
    const fused: string[] = [];
    const composite: string[] = [];
    for (const id of listOps()) (registries.kernels.has(kernelKey(id, backend)) ? fused : composite).push(id);
    report[backend] = { fused, composite };
  }
  return report;
}

/**
 * Throws unless this core speaks plugin API `version`. Plugins call it once at load, so that a core with an
 * incompatible plugin API fails loudly instead of misbehaving.
 *
 * @param version - The plugin API version the plugin was written for.
 * @param plugin - The plugin's name, for the error message.
 * @throws RegistrationConflictError when `version` is not PLUGIN_API_VERSION.
 *
 * @example
 * ```ts
 * PLUGIN_API_VERSION; // 1
 * requirePluginApi(1, '@acme/mg-swish');
 * const err = (() => {
 *   try {
 *     requirePluginApi(2, '@acme/mg-swish');
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof PluginApiVersionError; // true
 * (err as PluginApiVersionError).message; // "@acme/mg-swish targets the mg plugin API v2, but this @mg/core provides v1"
 * ```
 */
export function requirePluginApi(version: number, plugin = 'a plugin'): void {
  if (version !== PLUGIN_API_VERSION) {
    throw new PluginApiVersionError(
      `${plugin} targets the mg plugin API v${version}, but this @mg/core provides v${PLUGIN_API_VERSION}`,
    );
  }
}
