// Runs a fixture directory against each requested backend: loads @mg/core and the backend packages
// dynamically, resolves every function once, replays every case and tallies the results.
import { type GoldenCase, loadGoldenDir } from '@mg/testing';
import { type CoreApi, type ReplayResult, replayCase } from './replay.js';
import { type FunctionTable, importLoader, type ModuleLoader, resolveAll } from './resolve.js';

/** The backends `--backend all` tries, in order. */
export const KNOWN_BACKENDS: readonly string[] = ['cpu', 'wasm'];

/** One backend's results, or why it was skipped. */
export interface BackendReport {
  readonly backend: string;
  /** Why the backend could not run (then every count is 0). */
  readonly skipped: string | null;
  readonly passed: number;
  readonly failed: number;
  readonly unsupported: number;
  readonly results: readonly ReplayResult[];
}

/** What @mg/core must provide to the runner. */
export interface CoreModule extends CoreApi {
  registerBackend(backend: unknown): void;
  setBackend(name: string): Promise<unknown>;
  findBackend?(name: string): unknown;
  setForceComposite?(force: boolean): boolean;
}

function isCore(mod: Record<string, unknown>): mod is Record<string, unknown> & CoreModule {
  return ['tensor', 'registerBackend', 'setBackend'].every((name) => typeof mod[name] === 'function');
}

/** Loads @mg/core, or returns why it cannot be used. */
export async function loadCore(load: ModuleLoader): Promise<CoreModule | string> {
  const mod = await load('@mg/core');
  if (typeof mod === 'string') return mod;
  return isCore(mod) ? mod : '@mg/core does not export tensor, registerBackend and setBackend';
}

function pascal(name: string): string {
  return name[0]!.toUpperCase() + name.slice(1);
}

interface BackendLike {
  readonly name: string;
  readonly kernels: object;
}

function isBackend(value: unknown): value is BackendLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BackendLike).name === 'string' &&
    typeof (value as BackendLike).kernels === 'object'
  );
}

/**
 * Imports `@mg/backend-<name>`, makes a backend with the factory it exports (`<name>()`,
 * `create<Name>Backend()`, `createBackend()` or the default export), registers and activates it.
 * Returns null when it is active, else why not.
 */
export async function activateBackend(
  name: string,
  core: CoreModule,
  load: ModuleLoader,
): Promise<string | null> {
  const specifier = `@mg/backend-${name}`;
  const mod = await load(specifier);
  if (typeof mod === 'string') return mod;
  const candidates = [
    mod[name],
    mod[`create${pascal(name)}Backend`],
    mod.createBackend,
    mod.default,
    mod.backend,
  ];
  let backend: unknown;
  for (const candidate of candidates) {
    try {
      backend = typeof candidate === 'function' ? await (candidate as () => unknown)() : candidate;
    } catch (error) {
      return `${specifier}'s backend factory threw ${error instanceof Error ? error.message : String(error)}`;
    }
    if (isBackend(backend)) break;
  }
  if (!isBackend(backend)) return `${specifier} exports no backend factory`;
  try {
    core.registerBackend(backend);
  } catch (error) {
    // Already registered (e.g. by a side-effect import): use the registered one.
    if (!core.findBackend?.(backend.name))
      return `registerBackend failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  try {
    await core.setBackend(backend.name);
  } catch (error) {
    return `setBackend('${backend.name}') failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return null;
}

/** Replays every case with the active backend and counts the outcomes. */
export function replayAll(
  backend: string,
  cases: readonly GoldenCase[],
  table: FunctionTable,
  core: CoreApi,
): BackendReport {
  const results = cases.map((c) => replayCase(c, table, core));
  const count = (status: ReplayResult['status']) => results.filter((r) => r.status === status).length;
  return {
    backend,
    skipped: null,
    passed: count('pass'),
    failed: count('fail'),
    unsupported: count('unsupported'),
    results,
  };
}

/** Options of `runConformance`. */
export interface RunOptions {
  readonly fixtures: string;
  readonly backends: readonly string[];
  /** Run every op's composite instead of its fused kernels; reports are labelled `<backend> (composite)`. */
  readonly composite?: boolean;
  /** Called after each backend finished (for streaming output). */
  readonly onReport?: (report: BackendReport) => void;
  readonly load?: ModuleLoader;
}

/** The whole run: every case of `fixtures` on every backend. */
export interface RunReport {
  readonly fixtures: string;
  readonly cases: number;
  readonly backends: readonly BackendReport[];
}

/**
 * Loads the fixtures, resolves their functions and replays them on each backend (skipping unavailable ones).
 * @throws Error when @mg/core cannot be loaded or a fixture file is malformed.
 */
export async function runConformance(options: RunOptions): Promise<RunReport> {
  const load = options.load ?? importLoader();
  const core = await loadCore(load);
  if (typeof core === 'string') throw new Error(core);
  const cases = loadGoldenDir(options.fixtures);
  const table = await resolveAll(
    cases.map((c) => c.fn),
    load,
  );
  const backends: BackendReport[] = [];
  if (options.composite) {
    if (typeof core.setForceComposite !== 'function')
      throw new Error('@mg/core does not export setForceComposite');
    core.setForceComposite(true);
  }
  for (const name of options.backends) {
    const backend = options.composite ? `${name} (composite)` : name;
    const problem = await activateBackend(name, core, load);
    const report =
      problem === null
        ? replayAll(backend, cases, table, core)
        : { backend, skipped: problem, passed: 0, failed: 0, unsupported: 0, results: [] };
    backends.push(report);
    options.onReport?.(report);
  }
  return { fixtures: options.fixtures, cases: cases.length, backends };
}
