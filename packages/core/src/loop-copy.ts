// loopCopy, kept for plugin API v1: it used to compile a copy of a loop with `new Function`, which a strict
// Content Security Policy forbids; mg ships no eval now, and loopCopy returns its template.

/**
 * Returns `template` itself.
 *
 * It used to return a separately compiled copy (`new Function`), so that a loop calling many different scalar
 * functions kept each call monomorphic. mg ships no `eval` or `new Function` (a strict Content Security Policy
 * forbids them), so this is now the identity, kept so that plugins written against plugin API v1 still run. To
 * keep a hot loop's calls monomorphic, give each scalar function a loop of its own in the source (a distinct
 * function literal), or switch on an operation number inside one loop, as `@mg/backend-cpu` does.
 *
 * @deprecated Write the loop per use instead (see above); this will be removed in plugin API v2.
 * @param template - A loop function.
 * @returns `template`.
 * @example
 * ```ts
 * const map = (f: (v: number) => number, x: Float64Array, out: Float64Array) => {
 *   for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
 * };
 * loopCopy(map) === map; // true
 * ```
 */
export function loopCopy<T extends (...args: never[]) => void>(template: T): T {
  return template;
}
