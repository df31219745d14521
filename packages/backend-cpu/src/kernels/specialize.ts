// Per-scalar-function copies of hot loop templates, so a loop's call to its scalar function stays inlinable.

/**
 * V8 keeps one set of type feedback per function literal. A single loop that calls `f(a[i], b[i])` for every
 * op sees many `f`s, goes megamorphic and stops inlining them: measured ~6x slower than a hand-written loop
 * on `add`. A fresh copy of the loop compiled from its source, one per scalar function, keeps each copy's
 * call site monomorphic, and TurboFan inlines the scalar function as if the loop had been written by hand.
 *
 * Templates must therefore be self-contained: their bodies may use only their parameters and globals (the
 * copy is compiled at global scope). A copy must only ever be called with the key it was made for.
 *
 * Where `new Function` is forbidden (a Content Security Policy without `unsafe-eval`), the template itself is
 * used: correct, just slower.
 */
export function specializer<T extends (...args: never[]) => void>(template: T): (key: object) => T {
  const copies = new WeakMap<object, T>();
  return (key) => {
    let copy = copies.get(key);
    if (copy === undefined) {
      copy = compile(template) ?? template;
      copies.set(key, copy);
    }
    return copy;
  };
}

let evalAllowed = true;
let copiesMade = 0;

function compile<T extends (...args: never[]) => void>(template: T): T | undefined {
  if (!evalAllowed) return undefined;
  try {
    // V8 caches compiled functions by source text, type feedback included: without a unique suffix every
    // "copy" of a template would share one feedback vector and go megamorphic again (measured 4-5x slower).
    return new Function(`return (${template.toString()}); // copy ${++copiesMade}`)() as T;
  } catch {
    evalAllowed = false;
    return undefined;
  }
}
