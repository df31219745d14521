// The registries (backends, ops, fused kernels), kept on a globalThis symbol keyed by core's major version so
// that two copies of @mg/core in one node_modules share them instead of silently splitting them.
import type { Backend } from './backend.js';
import { PRIMITIVE_NAMES } from './backend.js';
import { BackendNotFoundError, describe, MgTypeError, RegistrationConflictError } from './errors.js';
import type { FusedKernel, OpClass } from './operation.js';

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
 * Registers a backend under its name. Registering the same object again is a no-op; another backend under a
 * taken name throws RegistrationConflictError.
 *
 * @example
 * ```ts
 * import { registerBackend, setBackend } from '@mg/core';
 * import { cpu } from '@mg/backend-cpu';
 * registerBackend(cpu());
 * await setBackend('cpu');
 * ```
 */
export function registerBackend(backend: Backend): void {
  const missing = PRIMITIVE_NAMES.filter((name) => typeof backend.kernels?.[name] !== 'function');
  if (missing.length > 0) {
    throw new MgTypeError(
      'registerBackend',
      'a backend implementing every primitive kernel',
      `'${backend.name}' without ${missing.join(', ')}`,
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

/** Initialises (once) and activates the backend registered as `name`. */
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

/** The registered backend named `name`, or undefined. */
export function findBackend(name: string): Backend | undefined {
  return registries.backends.get(name);
}

/** Names of every registered backend. */
export function listBackends(): string[] {
  return [...registries.backends.keys()];
}

/**
 * Registers an op class under its `id`. The same class twice is a no-op; a different class under a taken id
 * throws RegistrationConflictError naming both.
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

/** Every registered op id, sorted. */
export function listOps(): string[] {
  return [...registries.ops.keys()].sort();
}

function kernelKey(opId: string, backend: string): string {
  return `${opId}\u0000${backend}`;
}

/**
 * Registers a fused kernel for (op id, backend name). The engine then runs it instead of the op's composite
 * forward/backward when that backend is active. Same kernel twice is a no-op; a different one throws.
 */
export function registerKernel(opId: string, backend: string, kernel: FusedKernel): void {
  const key = kernelKey(opId, backend);
  const existing = registries.kernels.get(key);
  if (existing === kernel) return;
  if (existing) {
    throw new RegistrationConflictError(
      `registerKernel: a different fused kernel is already registered for '${opId}' on '${backend}'`,
    );
  }
  registries.kernels.set(key, kernel);
}

/** @internal The fused kernel for (op, backend), unless composites are forced. */
export function fusedKernelFor(opId: string, backend: string): FusedKernel | undefined {
  if (registries.forceComposite) return undefined;
  return registries.kernels.get(kernelKey(opId, backend));
}

/**
 * Forces every op to run its composite forward/backward even where a fused kernel exists (for testing that
 * both paths agree). Returns the previous setting.
 */
export function setForceComposite(force: boolean): boolean {
  const previous = registries.forceComposite;
  registries.forceComposite = force;
  return previous;
}

/** Per backend: which registered ops have a fused kernel there, and which run their composite. */
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

/** Throws unless this core speaks plugin API `version`. Plugins call it once at load. */
export function requirePluginApi(version: number, plugin = 'a plugin'): void {
  if (version !== PLUGIN_API_VERSION) {
    throw new RegistrationConflictError(
      `${plugin} targets the mg plugin API v${version}, but this @mg/core provides v${PLUGIN_API_VERSION}`,
    );
  }
}
