// Leak checks: how much backend memory a function leaves behind (the wasm backend's memory is not garbage
// collected, so tensors that are not disposed stay allocated).
import { getBackend, type MemoryInfo } from '@mg/core';

/** What `checkNoLeaks` measured: the growth of live memory, and the readings it came from. */
export interface LeakReport<T = unknown> {
  /** Bytes still allocated after `fn` minus before (0 when nothing leaked). */
  readonly bytes: number;
  /** Buffers still allocated after `fn` minus before. */
  readonly buffers: number;
  readonly before: MemoryInfo;
  readonly after: MemoryInfo;
  /** What `fn` returned (already disposed when `disposeResult` was set). */
  readonly result: T;
}

/** Options of `checkNoLeaks`. */
export interface LeakOptions {
  /** Dispose the tensors `fn` returns (a tensor, or arrays/objects holding tensors) before measuring. */
  disposeResult?: boolean;
}

/** Disposes every tensor in `value`: a tensor, or (nested) arrays and plain objects of them. */
function disposeAll(value: unknown, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  // Duck-typed, so tensors made by another copy of @mg/core are disposed too.
  const disposable = value as { dispose?: unknown; shape?: unknown };
  if (typeof disposable.dispose === 'function' && disposable.shape !== undefined) {
    disposable.dispose();
    return;
  }
  const items = Array.isArray(value)
    ? value
    : Object.getPrototypeOf(value) === Object.prototype
      ? Object.values(value)
      : [];
  for (const item of items) disposeAll(item, seen);
}

function measure<T>(before: MemoryInfo, result: T, options: LeakOptions): LeakReport<T> {
  if (options.disposeResult) disposeAll(result);
  const after = getBackend().memory();
  return {
    bytes: after.bytes - before.bytes,
    buffers: after.buffers - before.buffers,
    before,
    after,
    result,
  };
}

/**
 * Runs `fn` and reports how much memory of the active backend it left allocated. Optionally disposes what
 * `fn` returns first, so a clean function reports `{ bytes: 0, buffers: 0 }`.
 *
 * @param fn - The code to check; it should dispose its intermediates.
 * @param options - `disposeResult` to dispose the returned tensors before measuring.
 * @returns The growth in bytes and buffers (plus the readings and `fn`'s result).
 * @example
 * ```ts
 * import { tensor } from '@mg/core';
 * const clean = checkNoLeaks(() => tensor([1, 2, 3]), { disposeResult: true });
 * [clean.bytes, clean.buffers]; // [0,0]
 * const leaky = checkNoLeaks(() => tensor([1, 2, 3]));
 * [leaky.bytes, leaky.buffers]; // [24,1]
 * ```
 */
export function checkNoLeaks<T>(fn: () => T, options: LeakOptions = {}): LeakReport<T> {
  const before = getBackend().memory();
  return measure(before, fn(), options);
}

/**
 * `checkNoLeaks` for async code: awaits `fn` before measuring.
 *
 * @param fn - Async code to check.
 * @param options - `disposeResult` to dispose the returned tensors before measuring.
 * @returns The growth in bytes and buffers (plus the readings and `fn`'s result).
 * @example
 * ```ts
 * import { tensor } from '@mg/core';
 * const report = await checkNoLeaksAsync(async () => tensor([1, 2]), { disposeResult: true });
 * report.buffers; // 0
 * ```
 */
export async function checkNoLeaksAsync<T>(
  fn: () => Promise<T>,
  options: LeakOptions = {},
): Promise<LeakReport<T>> {
  const before = getBackend().memory();
  return measure(before, await fn(), options);
}
