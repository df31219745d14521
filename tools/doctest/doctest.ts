// Doc-tests: extracts every TSDoc `@example` fenced ```ts block from source files and runs it, turning each
// `expression; // <JSON>` line into an assertion. Each package's docs.test.ts calls describeDocTests (a private
// tool: the Function constructor here never ships).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** One example: where it is and its code. */
export interface DocExample {
  readonly file: string;
  readonly line: number;
  readonly symbol: string;
  readonly code: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every fenced example inside a TSDoc comment of the .ts files under `dir`. */
export function extractExamples(dir: string, root = dir): DocExample[] {
  const examples: DocExample[] = [];
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    for (const comment of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
      const body = comment[1]!;
      if (!body.includes('@example')) continue;
      // Skip line comments (lint suppressions) between the doc comment and its declaration.
      const after = text.slice(comment.index! + comment[0].length).replace(/^(\s*\/\/[^\n]*\n)+/, '');
      const symbol =
        /^\s*(?:export\s+)?(?:declare\s+)?(?:async\s+)?(?:function|const|class|interface|type|abstract class)?\s*([\w$]+)/.exec(
          after,
        )?.[1] ?? '?';
      const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
      const joined = lines.join('\n');
      for (const fence of joined.matchAll(/```ts\n([\s\S]*?)```/g)) {
        const line = text.slice(0, comment.index!).split('\n').length;
        examples.push({ file: relative(root, file), line, symbol, code: fence[1]! });
      }
    }
  }
  return examples;
}

/** Numbers equal within 1e-12 relative (or both NaN); arrays and objects compared structurally. */
function close(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') {
    if (Number.isNaN(actual) || Number.isNaN(expected)) return Number.isNaN(actual) && Number.isNaN(expected);
    return actual === expected || Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected));
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((a, i) => close(a, expected[i]));
  }
  if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
    const keys = Object.keys(expected);
    return keys.every((k) =>
      close((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]),
    );
  }
  return actual === expected;
}

/** Plain JS values for comparison: tensors become nested arrays, typed arrays plain arrays. */
function plain(value: unknown): unknown {
  if (value && typeof value === 'object') {
    if ('dtype' in value && typeof (value as { toArray?: unknown }).toArray === 'function') {
      return (value as unknown as { toArray(): unknown }).toArray();
    }
    if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
    if (Array.isArray(value)) return value.map(plain);
  }
  return value;
}

/** Turns `expr; // <json>` lines into checks; drops import lines (the scope provides the names). */
function instrument(code: string): string {
  return code
    .split('\n')
    .filter((line) => !/^\s*import\s/.test(line))
    .map((line) => {
      const m = /^(\s*)(.+?);\s*\/\/\s*(.+?)\s*$/.exec(line);
      if (!m || /^\s*(const|let|var|return|if|for|class|await using|using)\b/.test(m[2]!)) return line;
      try {
        JSON.parse(m[3]!);
      } catch {
        return line;
      }
      return `${m[1]}__check(${m[2]}, ${JSON.stringify(m[3])});`;
    })
    .join('\n');
}

/**
 * Runs one example with `scope` (name → value) in scope. Throws with the example's location when a check fails
 * or the code throws. Returns the number of checks made.
 */
export async function runExample(example: DocExample, scope: Record<string, unknown>): Promise<number> {
  let checks = 0;
  const __check = (actual: unknown, expectedJson: string) => {
    checks++;
    const expected = JSON.parse(expectedJson) as unknown;
    const got = plain(actual);
    if (!close(got, expected)) {
      throw new Error(
        `${example.file}:${example.line} (${example.symbol}): expected ${expectedJson}, got ${JSON.stringify(got)}`,
      );
    }
  };
  const js = transformSync(`(async () => {\n${instrument(example.code)}\n})()`, { loader: 'ts' }).code;
  const names = Object.keys(scope).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'var');
  const run = new Function('__check', ...names, `return ${js}`) as (...args: unknown[]) => Promise<void>;
  await run(__check, ...names.map((n) => scope[n]));
  return checks;
}

/** What `describeDocTests` checks in a package. */
export interface DocTestOptions {
  /** The package's exports (its index module). */
  readonly exports: Record<string, unknown>;
  /** What the examples have in scope (name → value). */
  readonly scope: Record<string, unknown>;
  /** Which exported values need an example (default: every function). An alias is covered by its original's. */
  readonly needsExample?: (value: unknown) => boolean;
  /** Every example must check at least one value (default: true). */
  readonly requireChecks?: boolean;
}

/**
 * The vitest suite of a package's TSDoc examples: one test that every export `needsExample` accepts has one, and
 * one test per example (under `src`, the package's source directory) that runs it.
 */
export function describeDocTests(src: URL, options: DocTestOptions): void {
  const examples = extractExamples(fileURLToPath(src));
  const {
    exports,
    scope,
    needsExample = (value) => typeof value === 'function',
    requireChecks = true,
  } = options;
  describe('TSDoc examples', () => {
    it('exist for every export that needs one', () => {
      const documented = new Set(examples.map((e) => e.symbol));
      const entries = Object.entries(exports);
      const covered = new Set(entries.filter(([name]) => documented.has(name)).map(([, value]) => value));
      const missing = entries
        .filter(([, value]) => needsExample(value) && !covered.has(value))
        .map(([name]) => name);
      expect(missing).toEqual([]);
    });
    it.each(examples.map((e) => [`${e.file}:${e.line} ${e.symbol}`, e] as const))(
      '%s',
      async (_name, example) => {
        const checks = await runExample(example, scope);
        if (requireChecks) expect(checks).toBeGreaterThan(0);
      },
    );
  });
}
