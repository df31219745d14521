// Per-use copies of hot loop templates for CPU kernels, so each copy's call to its scalar function stays inlinable.

let evalAllowed = true;
let copies = 0;

/**
 * A fresh, separately compiled copy of a loop template, for CPU kernels (backends and fused plugin kernels).
 *
 * V8 keeps type feedback per function: one loop that calls many different scalar functions (`f(a[i])` for every
 * op) goes megamorphic and stops inlining them — measured ~6x slower than a hand-written loop on `add`. A copy
 * per scalar function keeps each call site monomorphic. Each copy's source gets a unique suffix because V8 caches
 * compiled functions by source text, feedback included (identical copies measured 4-5x slower again).
 *
 * The template must be self-contained: it may use only its parameters and globals (the copy is compiled at
 * global scope). Where compiling is forbidden (a Content Security Policy without `unsafe-eval`), the template
 * itself is returned: correct, just slower.
 *
 * @param template - The loop, e.g. `(f, x, out) => { for (let i = 0; i < x.length; i++) out[i] = f(x[i]); }`.
 * @returns A copy of `template` (or `template` itself where compiling is forbidden).
 * @example
 * ```ts
 * const map = (f: (v: number) => number, x: Float64Array, out: Float64Array) => {
 *   for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
 * };
 * const double = loopCopy(map);
 * const out = new Float64Array(2);
 * double((v) => v * 2, Float64Array.of(1, 2), out);
 * Array.from(out); // [2, 4]
 * ```
 */
export function loopCopy<T extends (...args: never[]) => void>(template: T): T {
  if (evalAllowed) {
    try {
      return new Function(`return (${template.toString()}); // copy ${++copies}`)() as T;
    } catch {
      evalAllowed = false;
    }
  }
  return template;
}
