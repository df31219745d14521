// Explicit tensor lifetimes: tidy scopes, keep, grad ownership, shared storage, memory() accounting and the
// errors a disposed tensor raises, on a cpu backend of its own so its memory counts are isolated.
import { createCpuBackend } from '@mg/backend-cpu';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  add,
  type Backend,
  DisposedTensorError,
  executeOp,
  exp,
  keep,
  less,
  MgTypeError,
  matmul,
  mean,
  memory,
  multiply,
  noAutodiff,
  Operation,
  registerBackend,
  registerKernel,
  reshape,
  setBackend,
  subtract,
  sum,
  type Tensor,
  tanh,
  tensor,
  tidy,
  where,
} from '../src/index.js';

declare module '../src/operation.js' {
  interface OpAttrs {
    'test.sumTwice': {};
    'test.savesOnThis': {};
    'test.fusedSaves': {};
    'test.closureSaves': {};
  }
}

const isolated: Backend = { ...createCpuBackend(), name: 'cpu-memory' };
registerBackend(isolated);

beforeAll(async () => {
  await setBackend('cpu-memory');
});
afterAll(async () => {
  await setBackend('cpu');
});

let start: ReturnType<typeof memory>;
beforeEach(() => {
  start = memory();
});

/** How far memory() is from where the test started. */
function growth(): { bytes: number; buffers: number; tensors: number } {
  const now = memory();
  return {
    bytes: now.bytes - start.bytes,
    buffers: now.buffers - start.buffers,
    tensors: now.tensors - start.tensors,
  };
}
const none = { bytes: 0, buffers: 0, tensors: 0 };

describe('memory()', () => {
  it('counts bytes, buffers and live tensors of the active backend', () => {
    const x = tensor([1, 2, 3], { dtype: 'float32' });
    expect(growth()).toEqual({ bytes: 12, buffers: 1, tensors: 1 });
    expect(memory().buffers).toBe(isolated.memory().buffers);
    x.dispose();
    expect(growth()).toEqual(none);
  });

  it('never disposes twice', () => {
    const x = tensor([1, 2]);
    x.dispose();
    x.dispose();
    tidy(() => {
      const y = tensor([3]);
      y.dispose(); // disposed by hand, then again by the scope: counted once
    });
    const r = tidy(() => {
      const z = tensor([4]);
      z.dispose();
      return z; // returning a disposed tensor is allowed; it stays disposed
    });
    expect(r.isDisposed).toBe(true);
    expect(growth()).toEqual(none);
  });
});

describe('tidy', () => {
  it('disposes the intermediates and keeps what is returned', () => {
    const x = tensor([1, 2, 3]);
    let inner: Tensor | undefined;
    const y = tidy(() => {
      inner = multiply(x, 2);
      return add(inner, 1);
    });
    expect(y.toArray()).toEqual([3, 5, 7]);
    expect(inner?.isDisposed).toBe(true);
    expect(x.isDisposed).toBe(false);
    expect(growth()).toMatchObject({ buffers: 2, tensors: 2 });
    x.dispose();
    y.dispose();
    expect(growth()).toEqual(none);
  });

  it('finds returned tensors in arrays, plain objects and maps, however nested', () => {
    const out = tidy('containers', () => {
      const a = tensor(1);
      const b = tensor(2);
      const c = tensor(3);
      const d = tensor(4);
      tensor(5); // not returned
      const cyclic: { self?: unknown; t: Tensor } = { t: d };
      cyclic.self = cyclic;
      return { list: [a, [b]], nested: { c }, map: new Map([['d', cyclic]]), n: 7 };
    });
    const [a, [b]] = out.list as [Tensor, [Tensor]];
    expect([a.item(), b.item(), out.nested.c.item(), out.map.get('d')!.t.item()]).toEqual([1, 2, 3, 4]);
    expect(growth().tensors).toBe(4);
    for (const t of [a, b, out.nested.c, out.map.get('d')!.t]) t.dispose();
    expect(growth()).toEqual(none);
  });

  it('nests: a returned tensor belongs to the enclosing scope, which disposes it unless it returns it too', () => {
    let fromInner: Tensor | undefined;
    let outerTemp: Tensor | undefined;
    const result = tidy(() => {
      outerTemp = tensor([1, 2]);
      fromInner = tidy(() => {
        const t = multiply(outerTemp!, 3);
        expect(outerTemp!.isDisposed).toBe(false);
        return t;
      });
      expect(fromInner.toArray()).toEqual([3, 6]);
      return sum(fromInner);
    });
    expect(fromInner?.isDisposed).toBe(true);
    expect(outerTemp?.isDisposed).toBe(true);
    expect(result.item()).toBe(9);
    result.dispose();
    expect(growth()).toEqual(none);
  });

  it('disposes the scope when fn throws, and restores the enclosing scope', () => {
    let made: Tensor | undefined;
    expect(() =>
      tidy(() => {
        made = tensor([1, 2]);
        multiply(made, made);
        throw new RangeError('boom');
      }),
    ).toThrow(RangeError);
    expect(made?.isDisposed).toBe(true);
    expect(growth()).toEqual(none);
    // No scope is left active: a tensor made now is not disposed by anything.
    const free = tensor(1);
    tidy(() => tensor(2));
    expect(free.isDisposed).toBe(false);
    free.dispose();
  });

  it('rejects async functions, promises and non-functions with a typed error, leaving nothing behind', () => {
    expect(() => tidy(async () => tensor(1))).toThrow(MgTypeError);
    expect(() => tidy('named', async () => tensor(1))).toThrow(/synchronous function/);
    let made: Tensor | undefined;
    expect(() =>
      tidy(() => {
        made = tensor([1]);
        return Promise.resolve(made);
      }),
    ).toThrow(MgTypeError);
    expect(made?.isDisposed).toBe(true);
    expect(() => tidy(42 as unknown as () => void)).toThrow(MgTypeError);
    expect(() => tidy('name', undefined as unknown as () => void)).toThrow(MgTypeError);
    expect(growth()).toEqual(none);
  });

  it('frees reshape-shared storage only when its last sharer is disposed', () => {
    const x = tensor([1, 2, 3, 4]);
    const r = reshape(x, [2, 2]);
    expect(growth()).toMatchObject({ buffers: 1, tensors: 2 });
    x.dispose();
    expect(growth()).toMatchObject({ buffers: 1, tensors: 1 });
    expect(r.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    r.dispose();
    expect(growth()).toEqual(none);

    const y = tidy(() => reshape(reshape(tensor([5, 6]), [2, 1]), [1, 2]));
    expect(growth()).toMatchObject({ buffers: 1, tensors: 1 });
    expect(y.toArray()).toEqual([[5, 6]]);
    y.dispose();
    expect(growth()).toEqual(none);
  });
});

describe('keep', () => {
  it('moves a tensor out of the innermost scope to the enclosing one', () => {
    let kept: Tensor | undefined;
    let outerEnd = false;
    tidy(() => {
      tidy(() => {
        kept = keep(tensor([1, 2]));
      });
      expect(kept?.isDisposed).toBe(false);
      outerEnd = true;
    });
    expect(outerEnd).toBe(true);
    expect(kept?.isDisposed).toBe(true);
    const top = tidy(() => {
      keep(tensor([3])); // survives every scope: only dispose() frees it
      return 0;
    });
    expect(top).toBe(0);
    expect(growth().tensors).toBe(1);
  });

  it('changes nothing for a tensor no tidy holds, and checks its argument', () => {
    const outside = tensor([1]);
    expect(keep(outside)).toBe(outside);
    tidy(() => {
      keep(outside);
    });
    expect(outside.isDisposed).toBe(false);
    expect(() => keep([1, 2] as unknown as Tensor)).toThrow(MgTypeError);
    outside.dispose();
    expect(() => keep(outside)).toThrow(DisposedTensorError);
  });
});

describe('gradients and tidy', () => {
  it('a grad survives the tidy it was computed in; the intermediates and their grads do not', () => {
    const w = tensor([1, 2, 3]);
    let h: Tensor | undefined;
    tidy(() => {
      h = multiply(w, w);
      sum(h).backward();
      expect(h.grad?.toArray()).toEqual([1, 1, 1]);
    });
    expect(w.grad?.toArray()).toEqual([2, 4, 6]);
    expect(h?.grad?.isDisposed).toBe(true);
    expect(growth()).toMatchObject({ tensors: 2 }); // w and its grad
    w.nullGrad();
    expect(w.grad).toBeNull();
    w.dispose();
    expect(growth()).toEqual(none);
  });

  it('a tidy training step leaves buffers exactly where they were, plus the parameters grads', () => {
    const w1 = tensor([
      [0.1, -0.2, 0.3],
      [0.4, 0.5, -0.6],
    ]);
    const w2 = tensor([[0.7], [-0.8], [0.9]]);
    const x = tensor(
      [
        [1, 2],
        [3, -1],
      ],
      { constant: true },
    );
    const target = tensor([[1], [0]], { constant: true });
    const params = memory();
    const loss = tidy(() => {
      const hidden = tanh(matmul(x, w1));
      const err = subtract(matmul(hidden, w2), target);
      const l = mean(multiply(err, err));
      l.backward();
      return l.item();
    });
    expect(Number.isFinite(loss)).toBe(true);
    expect(memory().buffers - params.buffers).toBe(2);
    expect(memory().tensors - params.tensors).toBe(2);
    w1.nullGrad();
    w2.nullGrad();
    expect(memory()).toEqual(params);
  });

  it('without tidy, backward() still disposes its own temporaries', () => {
    const x = tensor([1, 2, 3]);
    const y = sum(exp(multiply(x, 2)));
    const before = memory();
    y.backward();
    // One grad per non-constant tensor of the graph (x, 2x, exp(2x), y); and the graph is gone with what its
    // ops owned: the constant tensor made for the literal 2.
    expect(memory().tensors - before.tensors).toBe(4 - 1);
    expect(x.grad?.toArray()).toEqual([1, 2, 3].map((v) => 2 * Math.exp(2 * v)));
  });
});

describe('grad ownership', () => {
  it('disposes the old grad when a new backward replaces it', () => {
    const x = tensor(3);
    multiply(x, 2).backward();
    const first = x.grad!;
    multiply(x, 5).backward();
    expect(first.isDisposed).toBe(true);
    expect(x.grad?.item()).toBe(5);
  });

  it('disposes the grad when the tensor is used in a new op, by nullGrad(), and with its tensor', () => {
    const x = tensor([1, 2]);
    multiply(x, x).backward();
    const g1 = x.grad!;
    add(x, 1);
    expect(x.grad).toBeNull(); // MyGrad: a new op nulls its inputs' grads
    expect(g1.isDisposed).toBe(true);
    multiply(x, x).backward();
    const g2 = x.grad!;
    x.nullGrad();
    expect(g2.isDisposed).toBe(true);
    expect(() => g2.toArray()).toThrow(/stopped being its tensor's gradient.*keep\(\)/);
    multiply(x, x).backward();
    const g3 = x.grad!;
    x.dispose();
    expect(g3.isDisposed).toBe(true);
    expect(() => g3.toArray()).toThrow(/gradient of/);
  });

  it('under noAutodiff ops leave grads alone, as in MyGrad', () => {
    const x = tensor([1, 2]);
    multiply(x, x).backward();
    const g = x.grad!;
    const updated = noAutodiff(() => subtract(x, multiply(g, 0.5)));
    expect(updated.toArray()).toEqual([0, 0]);
    expect(x.grad).toBe(g);
    expect(g.isDisposed).toBe(false);
  });

  it('keep() ends ownership: the grad outlives replacement and its tensor', () => {
    const x = tensor([1, 2]);
    multiply(x, x).backward();
    const g = keep(x.grad!);
    multiply(x, 3).backward();
    expect(g.toArray()).toEqual([2, 4]);
    x.dispose();
    expect(g.toArray()).toEqual([2, 4]);
    const inScope = tensor([5]);
    const kept = tidy(() => {
      multiply(inScope, inScope).backward();
      return keep(inScope.grad!);
    });
    inScope.nullGrad();
    expect(kept.toArray()).toEqual([10]);
  });

  it('never disposes a grad the user assigned, or the upstream grad passed to backward', () => {
    const x = tensor([1, 2]);
    const mine = tensor([9, 9]);
    x.grad = mine;
    x.nullGrad();
    expect(mine.isDisposed).toBe(false);
    const upstream = tensor([1, -1]);
    const y = multiply(x, 3);
    y.backward(upstream);
    expect(x.grad?.toArray()).toEqual([3, -3]);
    y.nullGrad();
    upstream.dispose();
    expect(x.grad?.toArray()).toEqual([3, -3]);
    expect(mine.isDisposed).toBe(false);
  });

  it('a graph that uses a grad keeps its own handle on it after the grad is released', () => {
    const w = tensor([1, 2]);
    multiply(w, w).backward(); // w.grad = [2, 4]
    const v = tensor([3, 5]);
    const z = sum(multiply(v, w.grad!));
    multiply(w, 1); // releases w.grad
    const penalty = sum(multiply(w, w.grad ?? w)); // w.grad is null now: w*w
    z.backward();
    expect(v.grad?.toArray()).toEqual([2, 4]);
    penalty.backward();
    expect(w.grad?.toArray()).toEqual([2, 4]);
    const again = sum(multiply(w, w.grad!)); // w * its own grad: the op's input outlives the grad
    again.backward();
    expect(w.grad?.toArray()).toEqual([2, 4]);
  });

  it('gives each input its own handle when backwardVar returns one saved tensor for several inputs', () => {
    class SumTwice extends Operation {
      static readonly id = 'test.sumTwice';
      saved!: Tensor;
      forward([a, b]: readonly Tensor[]): Tensor {
        this.saved = tensor([1, 1], { constant: true });
        return add(a!, b!);
      }
      backwardVar(): Tensor {
        return this.saved; // made in forward, returned for both inputs
      }
    }
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    const before = memory();
    tidy(() => {
      executeOp(SumTwice, [a, b]).backward();
    });
    expect(a.grad).not.toBe(b.grad);
    a.nullGrad();
    expect(b.grad?.toArray()).toEqual([1, 1]);
    // The op's saved tensor was made in the scope and went with it; b's grad shares its data.
    expect(memory().buffers - before.buffers).toBe(1);
    expect(memory().tensors - before.tensors).toBe(1);
    b.nullGrad();
    expect(memory()).toEqual(before);
  });

  it('accumulates grads of a tensor used several times and shares no grad between tensors', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    const y = add(a, b);
    const z = add(y, a);
    z.backward();
    expect(a.grad?.toArray()).toEqual([2, 2]);
    expect(b.grad?.toArray()).toEqual([1, 1]);
    expect(new Set([a.grad, b.grad, y.grad, z.grad]).size).toBe(4);
    z.nullGrad();
    expect(b.grad?.toArray()).toEqual([1, 1]);
    expect(y.grad?.toArray()).toEqual([1, 1]);
  });
});

describe('what an op saves', () => {
  /** exp(x)·2 the composite way: one intermediate it does not need (exp(x)) and one it saves (2·exp(x)). */
  class SavesOnThis extends Operation {
    static readonly id = 'test.savesOnThis';
    twiceExp!: Tensor;
    forward([x]: readonly Tensor[]): Tensor {
      this.twiceExp = multiply(exp(x!), 2);
      return multiply(this.twiceExp, 1);
    }
    backwardVar(grad: Tensor): Tensor {
      return multiply(grad, this.twiceExp);
    }
  }

  it('the intermediates a forward does not save are disposed when it ends', () => {
    const x = tensor([0, 1]);
    const made = growth();
    const y = executeOp(SavesOnThis, [x]);
    // y and the saved 2·exp(x): exp(x) and the constants made for the literals are gone.
    expect(growth().tensors - made.tensors).toBe(2);
    y.backward();
    expect(x.grad?.toArray()).toEqual([2, 2 * Math.E]);
    // After backward the graph is cleared and what the ops owned with it: left are y, its grad and x's grad.
    expect(growth().tensors - made.tensors).toBe(3);
    y.dispose();
    x.dispose();
    expect(growth()).toEqual(none);
  });

  it('an op that records no graph keeps nothing it saved', () => {
    const x = tensor([0, 1], { constant: true });
    const y = executeOp(SavesOnThis, [x]);
    expect(y.toArray()).toEqual([2, 2 * Math.E]);
    expect(growth().tensors).toBe(2);
    const w = tensor([1]);
    const z = noAutodiff(() => executeOp(SavesOnThis, [w]));
    expect(growth().tensors).toBe(4);
    for (const t of [x, y, w, z]) t.dispose();
    expect(growth()).toEqual(none);
  });

  it("a fused kernel's saved tensors live until its graph is cleared (backward or clearGraph)", () => {
    class FusedSaves extends Operation {
      static readonly id = 'test.fusedSaves';
      forward([x]: readonly Tensor[]): Tensor {
        return multiply(x!, x!);
      }
      backwardVar(grad: Tensor, index: number): Tensor {
        return multiply(grad, multiply(this.variables[index]!, 2));
      }
    }
    registerKernel(FusedSaves.id, 'cpu-memory', {
      forward([x]) {
        const twice = multiply(x!, 2);
        return { output: multiply(x!, x!), saved: { slope: [twice] } };
      },
      backwardVar: (grad, _index, saved) => multiply(grad, saved.slope[0]!),
    });
    const x = tensor([3]);
    const y = executeOp(FusedSaves, [x]);
    expect(growth().tensors).toBe(3); // x, y, the saved slope (and the literal 2 is gone)
    y.clearGraph();
    expect(growth().tensors).toBe(2);
    const z = executeOp(FusedSaves, [x]);
    z.backward();
    expect(x.grad?.toArray()).toEqual([6]);
    expect(growth().tensors).toBe(5); // x, y, z, z.grad, x.grad
    for (const t of [x, y, z]) t.dispose();
    expect(growth()).toEqual(none);
  });

  it('a tensor backward needs but the op did not save fails with an error that says how to save it', () => {
    let hidden: Tensor | null = null;
    class ClosureSaves extends Operation {
      static readonly id = 'test.closureSaves';
      forward([x]: readonly Tensor[]): Tensor {
        hidden = multiply(x!, 2);
        return multiply(x!, 3);
      }
      backwardVar(grad: Tensor): Tensor {
        return multiply(grad, hidden!);
      }
    }
    const y = executeOp(ClosureSaves, [tensor([1])]);
    expect(() => y.backward()).toThrow(DisposedTensorError);
    expect(() => executeOp(ClosureSaves, [tensor([1])]).backward()).toThrow(
      /end of its op's forward \(an intermediate the op did not save: a tensor backwardVar needs must be a property of the Operation/,
    );
  });
});

describe('disposed tensors', () => {
  it('throw DisposedTensorError naming the op, the tensor and how it was disposed', () => {
    const x = tensor([1, 2]);
    x.dispose();
    expect(() => multiply(x, 2)).toThrow(DisposedTensorError);
    expect(() => multiply(x, 2)).toThrow(
      'mg.multiply (input 0): Tensor(shape=[2], dtype=float64) was disposed by dispose()',
    );
    expect(() => x.toArray()).toThrow(/by dispose\(\)/);
    expect(() => x.backward()).toThrow(DisposedTensorError);
    const escaped = tidy('step 7', () => {
      keep(tensor([1]));
      return [tensor([1, 2, 3])];
    });
    let leaked: Tensor | undefined;
    tidy('step 8', () => {
      leaked = tensor([[1]]);
    });
    expect(() => leaked!.item()).toThrow(
      'Tensor(shape=[1, 1], dtype=float64) was disposed at the end of tidy("step 8")',
    );
    expect(escaped[0]!.toArray()).toEqual([1, 2, 3]);
  });

  it('backward through a graph whose intermediates a tidy disposed says so', () => {
    const w = tensor([1, 2]);
    const loss = tidy(() => sum(exp(multiply(w, 2))));
    multiply(w, w).backward();
    expect(() => loss.backward()).toThrow(DisposedTensorError);
    expect(() => loss.backward()).toThrow(
      /backward \(a tensor of the graph\).*run backward\(\) inside the tidy/,
    );
    // The check runs before any grad changes.
    expect(w.grad?.toArray()).toEqual([2, 4]);
  });

  it('where, exp and friends inside tidy leave nothing behind', () => {
    const x = tensor([-1, 0.5, 2]);
    tidy(() => {
      const elu = where(less(x, 0), subtract(exp(x), 1), x);
      expect(elu.toArray()).toEqual([Math.exp(-1) - 1, 0.5, 2]);
    });
    x.dispose();
    expect(growth()).toEqual(none);
  });
});
