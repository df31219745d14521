// One compiled copy of a loop template per scalar function (see loopCopy in @mg/core for why).
import { loopCopy } from '@mg/core';

/**
 * Per-key copies of `template`: each scalar function (the key) gets its own compiled copy of the loop, so the
 * copy's call to it stays monomorphic and TurboFan inlines it as if the loop had been written by hand. A copy
 * must only ever be called with the key it was made for.
 */
export function specializer<T extends (...args: never[]) => void>(template: T): (key: object) => T {
  const copies = new WeakMap<object, T>();
  return (key) => {
    let copy = copies.get(key);
    if (copy === undefined) {
      copy = loopCopy(template);
      copies.set(key, copy);
    }
    return copy;
  };
}
