// From MyGrad's dotted names to callable mg functions, by rule: the module picks the package, the last name is
// camelCased. Packages are imported dynamically, so a missing package or export makes a case unsupported.
import { camelCase, DUNDERS, RESERVED_ALIASES, type Signature, signatureOf } from './signatures.js';

/** Where a MyGrad name lives in mg, before anything is imported. */
export type Target =
  /** A function exported by `module` at one of the `paths` (tried in order, e.g. `linalg.norm` then `norm`). */
  | { readonly kind: 'function'; readonly module: string; readonly paths: readonly (readonly string[])[] }
  /** A method of the tensor passed first (`self`), under one of `names`. */
  | { readonly kind: 'method'; readonly names: readonly string[] }
  /** `new Tensor(...)` from @mg/core. */
  | { readonly kind: 'constructor' }
  /** A dunder: the @mg/core function `fn` on (self, other), or (other, self) when `reflected`. */
  | { readonly kind: 'operator'; readonly fn: string; readonly reflected: boolean };

const CORE = '@mg/core';

/** Packages by MyGrad module prefix (longest prefixes first). */
const MODULES: readonly (readonly [prefix: string, module: string, namespace: string | null])[] = [
  ['mygrad.nnet.activations.', '@mg/activations', null],
  ['mygrad.nnet.losses.', '@mg/losses', null],
  ['mygrad.nnet.layers.', '@mg/layers', null],
  ['mygrad.nnet.initializers.', '@mg/layers', 'initializers'],
  ['mygrad.random.', CORE, 'random'],
];

function namesFor(pythonName: string): string[] {
  const camel = camelCase(pythonName);
  return [camel, ...(RESERVED_ALIASES[camel] ?? [])];
}

/**
 * Where mg keeps MyGrad's `name` (`mygrad.nnet.activations.leaky_relu` → `@mg/activations` `leakyRelu`), or a
 * reason why there is no rule for it.
 */
export function targetOf(name: string): Target | string {
  if (name === 'mygrad.Tensor') return { kind: 'constructor' };
  if (name.startsWith('mygrad.Tensor.')) {
    const member = name.slice('mygrad.Tensor.'.length);
    if (/^__\w+__$/.test(member)) {
      const dunder = DUNDERS[member];
      return dunder ? { kind: 'operator', ...dunder } : `mg has no equivalent of Tensor.${member}`;
    }
    return { kind: 'method', names: namesFor(member) };
  }
  for (const [prefix, module, namespace] of MODULES) {
    if (!name.startsWith(prefix)) continue;
    const names = namesFor(name.slice(prefix.length));
    return { kind: 'function', module, paths: names.map((n) => (namespace ? [namespace, n] : [n])) };
  }
  if (name.startsWith('mygrad.linalg.')) {
    const names = namesFor(name.slice('mygrad.linalg.'.length));
    return {
      kind: 'function',
      module: CORE,
      paths: [...names.map((n) => ['linalg', n]), ...names.map((n) => [n])],
    };
  }
  const rest = name.slice('mygrad.'.length);
  if (!name.startsWith('mygrad.') || rest.includes('.')) return `no rule maps ${name} to an mg package`;
  return { kind: 'function', module: CORE, paths: namesFor(rest).map((n) => [n]) };
}

/** A callable for one MyGrad name: takes the mg positional arguments (self first for methods) and options. */
export interface ResolvedFunction {
  readonly name: string;
  readonly signature: Signature;
  /** How it is called, e.g. `@mg/core linalg.norm` or `Tensor#sum` (for messages). */
  readonly describe: string;
  invoke(positional: readonly unknown[], options: Readonly<Record<string, unknown>> | undefined): unknown;
}

/** Why a name cannot be replayed. */
export interface Unsupported {
  readonly unsupported: string;
}

/** MyGrad names → mg callables (or reasons), as `replayCase` needs them. */
export type FunctionTable = ReadonlyMap<string, ResolvedFunction | Unsupported>;

/** Imports a module once; a failure is remembered as its message. */
export type ModuleLoader = (specifier: string) => Promise<Record<string, unknown> | string>;

/** The default loader: dynamic `import()`, failures (missing or broken package) as messages. */
export function importLoader(): ModuleLoader {
  const cache = new Map<string, Promise<Record<string, unknown> | string>>();
  return (specifier) => {
    let pending = cache.get(specifier);
    if (!pending) {
      pending = import(specifier).then(
        (mod: Record<string, unknown>) => mod,
        (error: unknown) => {
          const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
          return `cannot import ${specifier} (${message.replace(/ imported from .*$/, '')})`;
        },
      );
      cache.set(specifier, pending);
    }
    return pending;
  };
}

function lookup(mod: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = mod;
  for (const key of path) {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

type Fn = (...args: unknown[]) => unknown;

function withOptions(
  positional: readonly unknown[],
  options: Readonly<Record<string, unknown>> | undefined,
): unknown[] {
  const args = [...positional];
  if (options) return [...args, options];
  // Omitted optional positionals at the end must not be passed as explicit `undefined`s.
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  return args;
}

function methodInvoker(names: readonly string[]): ResolvedFunction['invoke'] {
  return (positional, options) => {
    const [self, ...rest] = positional;
    const holder = self as Record<string, unknown> | null | undefined;
    const name = names.find((n) => typeof holder?.[n] === 'function');
    if (name === undefined) throw new MissingMethodError(`Tensor has no method ${names.join(' or ')}`);
    return (holder![name] as Fn).apply(self, withOptions(rest, options));
  };
}

/** A method that the tensor does not have: the case is unsupported, not failed. */
export class MissingMethodError extends Error {
  override name = 'MissingMethodError';
}

/** Resolves one MyGrad name with `load` (dynamic import by default). */
export async function resolveFunction(
  name: string,
  load: ModuleLoader,
): Promise<ResolvedFunction | Unsupported> {
  const signature = signatureOf(name);
  if (!signature) return { unsupported: `the signature table has no ${name}` };
  const target = targetOf(name);
  if (typeof target === 'string') return { unsupported: target };
  switch (target.kind) {
    case 'method':
      return { name, signature, describe: `Tensor#${target.names[0]}`, invoke: methodInvoker(target.names) };
    case 'constructor': {
      const core = await load(CORE);
      if (typeof core === 'string') return { unsupported: core };
      const Tensor = core.Tensor;
      if (typeof Tensor !== 'function') return { unsupported: '@mg/core exports no Tensor class' };
      const Ctor = Tensor as new (...args: unknown[]) => unknown;
      return {
        name,
        signature,
        describe: 'new Tensor',
        invoke: (positional, options) => new Ctor(...withOptions(positional, options)),
      };
    }
    case 'operator': {
      const core = await load(CORE);
      if (typeof core === 'string') return { unsupported: core };
      const fn = core[target.fn];
      if (typeof fn !== 'function') return { unsupported: `@mg/core exports no ${target.fn}` };
      const reflected = target.reflected;
      return {
        name,
        signature,
        describe: `@mg/core ${target.fn}${reflected ? ' (reflected)' : ''}`,
        invoke: (positional, options) => {
          const args = reflected ? [positional[1], positional[0], ...positional.slice(2)] : positional;
          return (fn as Fn)(...withOptions(args, options));
        },
      };
    }
    case 'function': {
      const mod = await load(target.module);
      if (typeof mod === 'string') return { unsupported: mod };
      for (const path of target.paths) {
        const fn = lookup(mod, path);
        if (typeof fn === 'function') {
          return {
            name,
            signature,
            describe: `${target.module} ${path.join('.')}`,
            invoke: (positional, options) => (fn as Fn)(...withOptions(positional, options)),
          };
        }
      }
      return {
        unsupported: `${target.module} exports no ${target.paths.map((p) => p.join('.')).join(' or ')}`,
      };
    }
  }
}

/** Resolves every name (each once) into a FunctionTable. */
export async function resolveAll(
  names: Iterable<string>,
  load: ModuleLoader = importLoader(),
): Promise<FunctionTable> {
  const table = new Map<string, ResolvedFunction | Unsupported>();
  for (const name of new Set(names)) table.set(name, await resolveFunction(name, load));
  return table;
}
